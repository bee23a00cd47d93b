"""個人简历 as entries: (start year-month, end year-month or 'now', text).

People write the resume as lines like ``1998.07—2005.03 开封空分集团 焊工``, ``1998年7月至
2005年3月 …``, ``2005.04-至今 …``, ``2005/04～今``; OCR adds noise (``2O05``, ``—`` read as
``一``). This module finds those ranges; rule D04 judges them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

YM = r"((?:19|20)[0-9OolI]{2})\s*(?:[.．/\-年]\s*([0-9OolI]{1,2})\s*月?)?"
SEP = r"\s*(?:[—–\-－~～〜至到一]+|－|—{1,2})\s*"
NOW = r"(至今|今|现在|目前)"
RANGE_RE = re.compile(YM + SEP + r"(?:" + YM + r"|" + NOW + r")")


@dataclass
class ResumeEntry:
    start: tuple[int, Optional[int]]          # (year, month or None)
    end: Optional[tuple[int, Optional[int]]]  # None = until now
    text: str
    line: str


def _num(s: Optional[str]) -> Optional[int]:
    if s is None:
        return None
    s = s.translate(str.maketrans("OolI", "0011"))
    try:
        return int(s)
    except ValueError:
        return None


def parse_resume(text: str) -> list[ResumeEntry]:
    """Entries in the order written. Lines without a date range are appended to the entry before."""
    entries: list[ResumeEntry] = []
    for raw in re.split(r"[\n；;]+", text or ""):
        line = raw.strip()
        if not line:
            continue
        for m in RANGE_RE.finditer(line):
            y1, m1 = _num(m.group(1)), _num(m.group(2))
            if m.group(5):
                end = None
            else:
                end = (_num(m.group(3)), _num(m.group(4)))
            if y1 is None or (m1 is not None and not 1 <= m1 <= 12):
                continue
            if end is not None and (end[0] is None or (end[1] is not None and not 1 <= end[1] <= 12)):
                continue
            entries.append(ResumeEntry((y1, m1), end, line[m.end():].strip(" ，,：:"), line))
    return entries


def months(ym: tuple[int, Optional[int]]) -> int:
    return ym[0] * 12 + ((ym[1] or 1) - 1)
