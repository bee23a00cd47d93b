"""The optional receipt log (收件登记.xlsx | .csv): 推荐单位 → 收件日期."""
from __future__ import annotations

import re
from typing import Optional

from audit.dates import parse_date
from audit.model import Fact, Span
from extractors.base import Extraction

UNIT_HEADERS = ("推荐单位", "单位名称", "报送单位", "单位")
DATE_HEADERS = ("收件日期", "收件时间", "接收日期", "报送日期", "日期")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def parse_receipts(ex: Extraction) -> dict[str, Fact]:
    """Unit name (as written) → date received, read by the header words, not positions."""
    out: dict[str, Fact] = {}
    for page in ex.pages:
        for table in page.tables:
            grid: dict[tuple[int, int], str] = {(c.row, c.col): c.text for c in table.cells}
            if not grid:
                continue
            rows = sorted({r for r, _ in grid})
            ucol = dcol = hrow = None
            for r in rows:
                cells = {c: _norm(t) for (rr, c), t in grid.items() if rr == r}
                u = next((c for c, t in cells.items() if any(h == t or h in t for h in UNIT_HEADERS[:3])), None)
                d = next((c for c, t in cells.items() if any(h in t for h in DATE_HEADERS)), None)
                if u is not None and d is not None:
                    ucol, dcol, hrow = u, d, r
                    break
            if hrow is None:
                continue
            for r in rows:
                if r <= hrow:
                    continue
                unit = _norm(grid.get((r, ucol), ""))
                raw = grid.get((r, dcol), "").strip()
                if not unit or not raw:
                    continue
                span = Span(file=ex.file, page=page.page, box=(dcol, r, dcol + 1, r + 1),
                            text=f"{unit} {raw}", sha256=ex.sha256)
                out[unit] = Fact(value=parse_date(raw), raw=raw, spans=[span])
    if not out:
        # a csv or txt log: "单位,日期" lines
        for page in ex.pages:
            for line in page.lines:
                parts = re.split(r"[,，\t;；]+", line.text)
                if len(parts) >= 2:
                    d = parse_date(parts[-1])
                    unit = _norm(parts[0])
                    if d and unit and not any(h in unit for h in UNIT_HEADERS):
                        out[unit] = Fact(value=d, raw=parts[-1], spans=[Span(
                            file=ex.file, page=page.page, box=line.box, text=line.text, sha256=ex.sha256)])
    return out


def match_unit(receipts: dict[str, Fact], unit: str) -> Optional[Fact]:
    """The receipt of a unit whose folder name is ``unit`` (exact, else one containing the other)."""
    u = _norm(unit)
    if u in receipts:
        return receipts[u]
    for k, v in receipts.items():
        if k and (k in u or u in k):
            return v
    return None
