"""A second OCR engine as tie-breaker on the doubtful reading behind a finding.

A rule that decides on a value read with low confidence says so and lowers its severity. After
the rules, each finding whose deciding evidence was read below :data:`THRESHOLD` gets that spot
read again by the other engine (Tesseract when the audit ran RapidOCR, and the reverse), on a
crop of the page redrawn in the grid the box was read in:

* the two readings agree: the finding says so (a supervisor can rely on the number more);
* they disagree: the finding says what the second engine read, and its severity is lowered one
  step (never below low), because the accusation rests on a digit the engines do not agree on.

The second reading is recorded on the finding (``rereads``) with both texts, the engine and
the spot. It costs one small OCR call per doubtful finding (at most ``limit`` per audit).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any, Optional

from audit.model import Finding, Severity

log = logging.getLogger(__name__)

THRESHOLD = 0.85
_NUM = re.compile(r"[0-9Xx][0-9Xx.·\-/]{3,}")


def other_engine(primary: str) -> Optional[str]:
    """The engine that gives the second reading, or None (replayed or null OCR)."""
    p = (primary or "").lower()
    if p.startswith("rapid"):
        return "tesseract"
    if p.startswith("tesseract"):
        return "rapid"
    return None


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s).upper()


def _key(s: str) -> str:
    """What must agree: the longest number in the text when there is one, else the text."""
    s = _norm(s)
    nums = _NUM.findall(s)
    if nums:
        return re.sub(r"[.·\-/]", "", max(nums, key=len))
    return s


def agrees(first: str, second: str) -> bool:
    """Whether the second reading confirms the first: the same number (punctuation aside), or
    the first text found whole inside the second (the crop may catch a neighbour)."""
    a, b = _key(first), _norm(second)
    if not a:
        return False
    if _NUM.search(_norm(first)):
        return a in re.sub(r"[.·\-/]", "", b)
    return a in b


def doubtful_span(f: Finding):
    """The lowest-confidence span with a box behind ``f``, when it is below the threshold."""
    spans = [s for s in f.evidence if s.box is not None and s.page and s.text
             and s.confidence is not None and s.confidence < THRESHOLD]
    if not spans:
        return None
    return min(spans, key=lambda s: s.confidence)


def recheck(findings: list[Finding], ctx: Any, extractions: dict, primary: str, *,
            engine: Any = None, limit: int = 40) -> dict:
    """Read the doubtful spot of each finding again with the other engine. Returns counts
    (checked, agreed, disagreed, unreadable) and, when the engine is missing, why."""
    stats = {"engine": None, "checked": 0, "agreed": 0, "disagreed": 0, "unreadable": 0}
    todo = [(f, s) for f in findings for s in [doubtful_span(f)] if s is not None]
    if not todo:
        return stats
    if engine is None:
        name = other_engine(primary)
        if name is None:
            return stats
        from extractors.ocr import EngineUnavailable, get_engine
        try:
            engine = get_engine(name)
        except EngineUnavailable as exc:
            stats["unavailable"] = str(exc)
            return stats
    stats["engine"] = getattr(engine, "name", str(engine))
    from extractors.crops import crop, page_image
    local = {f.path: f for f in ctx.files}
    images: dict[tuple[str, int], Any] = {}
    for f, s in todo[:limit]:
        ex = extractions.get(s.file)
        rec = local.get(s.file)
        if ex is None or rec is None or not (1 <= s.page <= len(ex.pages)):
            stats["unreadable"] += 1
            continue
        pg = ex.pages[s.page - 1]
        if pg.source != "ocr":
            continue
        k = (s.file, s.page)
        if k not in images:
            images[k] = page_image(rec.local, ex.media, s.page, width=pg.width, height=pg.height)
        img = images[k]
        if img is None:
            stats["unreadable"] += 1
            continue
        try:
            lines = engine.recognize(crop(img, s.box))
        except Exception as exc:  # a failing second engine never stops the audit
            log.warning("second reading failed on %s p%s: %s", s.file, s.page, exc)
            stats["unreadable"] += 1
            continue
        second = " ".join(l.text for l in lines).strip()
        ok = agrees(s.text, second)
        stats["checked"] += 1
        stats["agreed" if ok else "disagreed"] += 1
        f.rereads.append({"engine": stats["engine"], "file": s.file, "page": s.page,
                          "box": [round(float(v), 1) for v in s.box], "first": s.text,
                          "first_confidence": round(float(s.confidence), 3), "second": second,
                          "agrees": ok})
        if ok:
            f.message += f"（已用第二个识别引擎对该处复核，读数一致：“{s.text}”。）"
        else:
            f.message += (f"（第二个识别引擎将该处读作“{second or '无法识别'}”，与“{s.text}”不一致，"
                          f"可能为识别误差，请核对原件。）")
            f.severity = Severity(f.severity).lowered()
    return stats
