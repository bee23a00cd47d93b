"""Which material a file is, from its content: title words and label words (audit/kinds.yaml).

This is the file-level step the M rules need; per-page classification of evidence
volumes builds on the same cue file.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

KINDS_FILE = Path(__file__).with_name("kinds.yaml")


@lru_cache(maxsize=1)
def kinds() -> dict:
    return yaml.safe_load(KINDS_FILE.read_text("utf-8"))["kinds"]


def _squash(s: str) -> str:
    return re.sub(r"[\s　:：()（）]", "", s)


def classify_text(text: str) -> Optional[str]:
    """The kind of document a text is, or None when no kind fits well enough."""
    lines = [_squash(x) for x in text.splitlines() if x.strip()]
    head = "".join(lines[:8])
    body = "".join(lines)
    best: tuple[float, Optional[str]] = (0.0, None)
    for kind, cue in kinds().items():
        title = any(t in head for t in cue.get("titles", []))
        n_labels = sum(1 for w in cue.get("labels", []) if w in body)
        enough = n_labels >= cue.get("min_labels", 1)
        if not (title or enough):
            continue
        score = (2.0 if title else 0.0) + (1.5 if enough else 0.0) + n_labels / 20
        # a specific title beats a generic one ('汇总表' inside the form's notes)
        score += max((len(t) for t in cue.get("titles", []) if t in head), default=0) / 10
        if score > best[0]:
            best = (score, kind)
    return best[1]


def role_of_kind(kind: Optional[str]) -> Optional[str]:
    if kind is None:
        return None
    return kinds().get(kind, {}).get("role")
