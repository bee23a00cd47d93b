"""Pages read by the real RapidOCR (recorded in fixtures/rapidocr_pages.json), replayed."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from audit.evidence import split_documents
from extractors.base import Extraction

from .gen import load_read_pages

FIXTURE = Path(__file__).with_name("fixtures") / "rapidocr_pages.json"
IDS = {"number", "id_number", "cert_no", "created", "saved", "created_capitals", "saved_capitals", "year",
       "level", "number_level", "ptype_title", "ptype_digit", "rank", "filed", "granted", "start", "end"}
LIST_KEYS = {"rows": ("name", "level", "date"), "items": ("title", "page")}


def test_real_ocr_pages():
    samples, pages = load_read_pages(FIXTURE)
    assert len(samples) >= 80
    right_kind = 0
    ok, n = Counter(), Counter()
    misses = []
    for sm, pg in zip(samples, pages):
        it = split_documents(Extraction(file="x.jpg", sha256="0" * 64, media="image", pages=[pg]),
                             nominee=sm.nominee)[0]
        right_kind += it.kind == sm.kind
        for key, want in sm.expected.items():
            have = it.value(key) if it.kind == sm.kind else None
            if key in LIST_KEYS and isinstance(have, list):
                have = [{k: r.get(k) for k in LIST_KEYS[key]} for r in have]
            if isinstance(want, str) and isinstance(have, str) and key in ("number", "issuer"):
                want, have = want.replace(" ", ""), have.replace(" ", "")
            group = "ids" if key in IDS else "text"
            n[group] += 1
            ok[group] += want == have
            if want != have:
                misses.append((sm.kind, sm.seed, key, want, have))
    assert right_kind == len(samples)
    # what is left are characters the engine misread (水→永, 汴→沐, 工→区, a seal over a date)
    assert ok["ids"] / n["ids"] >= 0.97, misses
    assert (ok["ids"] + ok["text"]) / (n["ids"] + n["text"]) >= 0.95, misses
