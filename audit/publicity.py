"""Publicity notices (公示) and recommendation reports: the periods and dates they state.

``parse_publicity`` finds the publicity period(s) of a notice or a screenshot of one:
``公示期为2021年5月20日至5月26日``, ``公示时间：2021年5月20日—2021年5月25日``,
``自2021年5月20日起至26日止``, ``2021.5.20~5.26``, and ``自2021年5月20日起公示5天`` (the end
is derived, and marked so). ``parse_report_date`` gives the date a report was signed: the
date line at its end, near the seal.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Optional

from audit.dates import DateRange, cn_small_number, find_date_ranges, find_dates, normalize_keep_length
from audit.model import Fact, Span
from extractors.base import Extraction, Line, Page

__all__ = ["parse_publicity", "parse_report_date", "page_text"]

KEYWORDS = ("公示", "公告", "公布")
_DURATION = re.compile(r"(?:为期|公示期?(?:为|是)?|期限为?)\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(个工作日|个自然日|天|日)")
_NAME_STOP_WORDS = ("公示", "推荐", "人选", "单位", "同志", "名单", "如下", "情况", "期间", "时间", "电话", "监督",
                   "反映", "意见", "联系", "工会", "委员", "办公", "公司", "关于", "特此", "以上", "党员", "群众",
                   "技师", "工程", "高级", "中级", "职工", "工匠", "开封", "河南", "年度", "选树", "拟")
_NAME_BAD_END = tuple("市县区省局厂司会部处室院校所队科站族工师长员")


def page_text(page: Page) -> tuple[str, list[tuple[int, int, Line]]]:
    """The page's lines joined by newlines, and where each line sits in that text."""
    parts: list[str] = []
    where: list[tuple[int, int, Line]] = []
    pos = 0
    for l in page.lines:
        t = l.text or ""
        where.append((pos, pos + len(t), l))
        parts.append(t)
        pos += len(t) + 1
    return "\n".join(parts), where


def _spans(ex: Extraction, page: Page, where, a: int, b: int) -> tuple[list[Span], Optional[float]]:
    spans, confs = [], []
    for s, e, l in where:
        if e > a and s < b:
            spans.append(Span(file=ex.file, page=page.page, box=l.box, text=l.text,
                              confidence=l.confidence if page.source == "ocr" else None, sha256=ex.sha256))
            if page.source == "ocr":
                confs.append(l.confidence)
    return spans, (min(confs) if confs else None)


def _doc_year(ex: Extraction) -> Optional[int]:
    """The year most full dates of the document are in (a posting date, a signature date)."""
    years = Counter(d[0].year for p in ex.pages for d in find_dates(p.text) if d.precision == "day")
    return years.most_common(1)[0][0] if years else None


def _names(text: str) -> list[str]:
    """Names listed after 如下 / 名单 (张三、李四 or one per line), best effort."""
    m = re.search(r"(?:如下|名单)[:：]?", text)
    if not m:
        return []
    tail = text[m.end():]
    stop = re.search(r"公示(?:期|时间|日期)|公示期间|监督|联系电话|举报电话|反映|特此公示", tail)
    block = tail[:stop.start()] if stop else tail[:400]
    out: list[str] = []
    for tok in re.split(r"[、，,；;\s\n]+", block):
        tok = re.sub(r"[（(].*$", "", tok).strip("：:。.")
        tok = re.sub(r"^\d+[.、．]?", "", tok)
        if (re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", tok) and not any(w in tok for w in _NAME_STOP_WORDS)
                and not tok.endswith(_NAME_BAD_END) and tok not in out):
            out.append(tok)
    return out


def parse_publicity(extraction: Extraction, *, default_year: Optional[int] = None) -> list[dict]:
    """Publicity periods in a notice or a screenshot of one.

    Returns ``[{"start": Fact(date), "end": Fact(date), "text": raw, "names": [...],
    "file": path, "end_derived": bool}]``, periods introduced by 公示 first (only those when
    any is). A period without a year takes the year of the document's own dates, else
    ``default_year``. ``自…起公示5天`` gives an end date counted in calendar days, with
    ``end_derived`` set."""
    ex = extraction
    year = _doc_year(ex) or default_year
    found: list[tuple[bool, dict]] = []
    for page in ex.pages:
        text, where = page_text(page)
        norm = normalize_keep_length(text)
        names = _names(norm)
        ranges: list[DateRange] = find_date_ranges(text, default_year=year)
        covered: list[tuple[int, int]] = []
        for r in ranges:
            a, b = r.pos
            before = norm[max(0, a - 40):a]
            line_start = norm.rfind("\n", 0, a) + 1
            keyed = any(k in before for k in KEYWORDS) or any(k in norm[line_start:b] for k in KEYWORDS)
            spans, conf = _spans(ex, page, where, a, b)
            raw = r.raw.replace("\n", "")
            found.append((keyed, {
                "start": Fact(value=r.start, raw=raw, spans=spans, confidence=conf),
                "end": Fact(value=r.end, raw=raw, spans=spans, confidence=conf),
                "text": raw, "names": names, "file": ex.file, "end_derived": False}))
            covered.append((a, b))
        # a start date and a duration: 自2021年5月20日起公示5天 / 公示期5个工作日，自…起
        for m in _DURATION.finditer(norm):
            if any(a - 60 <= m.start() <= b + 60 for a, b in covered):
                continue
            n = cn_small_number(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
            if not n:
                continue
            near = [d for d in find_dates(text) if abs(d.start - m.start()) <= 60 and d.precision == "day"]
            if not near:
                continue
            d0 = min(near, key=lambda d: abs(d.start - m.start()))
            a, b = min(d0.start, m.start()), max(d0.end, m.end())
            spans, conf = _spans(ex, page, where, a, b)
            raw = text[a:b].replace("\n", "")
            found.append((True, {
                "start": Fact(value=d0.date, raw=d0.raw, spans=spans, confidence=conf),
                "end": Fact(value=d0.date + dt.timedelta(days=n - 1), raw=raw, spans=spans, confidence=conf),
                "text": raw, "names": names, "file": ex.file, "end_derived": True}))
    if any(k for k, _ in found):
        return [p for k, p in found if k]
    return [p for _, p in found]


def parse_report_date(extraction: Extraction) -> Optional[Fact]:
    """The date of a recommendation report: the date line at its end (near the seal).

    Of all full dates, the last one standing on a line of its own (a signature line); else
    the last full date; else the last year-and-month date. None when there is no date."""
    ex = extraction
    cands: list[tuple[int, int, int, bool, object, Page, list]] = []   # (prec, page, order, alone, dm, page, where)
    for page in ex.pages:
        text, where = page_text(page)
        for i, dm in enumerate(find_dates(text)):
            line = next((l for s, e, l in where if s <= dm.start < e + 1), None)
            rest = re.sub(r"[\s\u3000（）()]", "", (line.text if line else "").replace(dm.raw, "", 1))
            alone = len(rest) <= 2
            cands.append((1 if dm.precision == "day" else 0, page.page, dm.start, alone, dm, page, where))
    if not cands:
        return None
    day = [c for c in cands if c[0] == 1]
    pool = day or cands
    alone = [c for c in pool if c[3]]
    best = max(alone or pool, key=lambda c: (c[1], c[2]))
    dm, page, where = best[4], best[5], best[6]
    spans, conf = _spans(ex, page, where, dm.start, dm.end)
    return Fact(value=dm.date, raw=dm.raw, spans=spans, confidence=conf)
