"""Personal data masking for everything meant to be passed around.

ID numbers keep the region (6) and the last 4 characters: ``410202********123X``;
mobile numbers keep 3 + 4: ``138****5678``.
"""
from __future__ import annotations

import re
from typing import Any

ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
ID15_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{6})(\d{3})(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


KEEP = {"sha256", "fingerprint", "id", "run_id", "profile_digest"}


def mask_text(s: str) -> str:
    s = ID_RE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), s)
    s = PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), s)
    return s


def mask(obj: Any) -> Any:
    """Mask every string inside a JSON-like structure."""
    if isinstance(obj, str):
        return mask_text(obj)
    if isinstance(obj, dict):
        return {k: (v if k in KEEP else mask(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask(v) for v in obj]
    return obj
