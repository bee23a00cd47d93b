"""Checking a complaint during publicity: what the audit already knows about the nominee, and
where the people, numbers and amounts the complaint names appear in the whole batch.

Reads only the audit's outputs (findings.json beside the index, and the index itself): no file
of the batch is opened again and nothing is OCR'd again.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from audit.index import search

# what a complaint may name that the index can look up
_QUOTED = re.compile(r"[“\"「『《]([^”\"」』》]{2,40})[”\"」』》]")
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PATENT = re.compile(r"(?:ZL\s*)?\d{4}\s*\d\s*\d{7}\s*[.．·]?\s*[\dXx](?![0-9])", re.I)
_CERT = re.compile(r"(?<![0-9A-Za-z])[A-Z]{1,6}\d{6,}(?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{10,16}(?![0-9A-Za-z])")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|万)")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def terms_of(text: str, nominee: str) -> list[tuple[str, str]]:
    """(term, why) pairs to look up: the nominee's name, quoted names and titles, ID and phone
    numbers, patent and certificate numbers, amounts; each once, in the order they appear."""
    out: list[tuple[str, str]] = [(nominee, "被投诉人选")]
    spans: list[tuple[int, int, str, str]] = []
    for rx, why in ((_QUOTED, "投诉中引用的名称"), (_ID, "身份证号"), (_PHONE, "电话号码"), (_PATENT, "专利号"),
                    (_CERT, "证书编号"), (_AMOUNT, "金额")):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in spans):
                continue            # inside a quote or a number already taken
            term = (m.group(1) if rx is _QUOTED else m.group(0)).strip()
            spans.append((m.start(), m.end(), term, why))
    for _, _, term, why in sorted(spans):
        if term and all(term != t for t, _ in out):
            out.append((term, why))
    return out


def check_complaint(complaint: dict, index: Path) -> dict[str, Any]:
    """Everything relevant to ``complaint`` (a ledger complaint: number, nominee, unit, text…)
    from the audit whose index is ``index``."""
    doc_path = index.parent / "findings.json"
    doc = json.loads(doc_path.read_text("utf-8")) if doc_path.exists() else {"findings": []}
    name, unit = complaint["nominee"], complaint.get("unit") or ""
    mine = [f for f in doc.get("findings") or []
            if (f.get("nominee") == name or name in (f.get("nominees") or []))
            and (not unit or f.get("unit") in (unit, None))]
    for f in mine:
        places: list[tuple[str, object]] = []
        for e in f.get("evidence") or []:
            if (e["file"], e.get("page")) not in places:
                places.append((e["file"], e.get("page")))
        f["places"] = places[:8]
    terms = [{"term": t, "why": why, "hits": search(index, t)} for t, why in terms_of(complaint["text"], name)]
    return {"complaint": complaint, "run_id": doc.get("run_id"), "generated_at": doc.get("generated_at"),
            "batch": doc.get("batch"), "masked": doc.get("masked", True), "findings": mine, "terms": terms,
            "report": "report.html" if (index.parent / "report.html").exists() else None}
