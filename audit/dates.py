"""Dates as written on Chinese forms, notices and certificates, and publicity periods.

Understood: ``2019年3月5日`` (also 号, spaces), ``2019.3.5``, ``2019-03-05``, ``2019/3/5``,
``二〇一九年三月五日`` (〇/零/O), ``2019年3月`` and ``1978.05`` (year and month only: day 1,
precision ``month``), Excel's ``2021-06-08 00:00:00``, ``20210608`` as a whole cell, and OCR
noise inside figures (``2O19``, ``2Ol9``). Periods: ``2021年5月20日至5月26日``,
``2021年5月20日—2021年5月25日``, ``自2021年5月20日起至2021年5月26日止``, ``2021.5.20~5.26``,
``5月20日至26日`` (year from the first date or ``default_year``; month inherited when the
second date gives only a day), with weekdays and times between.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple, Optional

from audit.numbers import fix_ocr_digits

__all__ = ["DateMatch", "DateRange", "parse_date", "parse_date_precision", "find_dates",
           "parse_date_range", "find_date_ranges", "normalize_keep_length", "cn_small_number"]


def normalize_keep_length(s: str) -> str:
    """Full-width to half-width (NFKC) character by character, so offsets stay valid."""
    out = []
    for ch in s or "":
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return fix_ocr_digits("".join(out))


_CN_D = {"〇": 0, "零": 0, "O": 0, "o": 0, "○": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
         "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
         "陆": 6, "柒": 7, "捌": 8, "玖": 9}


def cn_small_number(s: str) -> Optional[int]:
    """一 … 三十一 (and 〇一 style digit strings) as an int."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s or "拾" in s:
        a, _, b = s.replace("拾", "十").partition("十")
        tens = _CN_D.get(a, None) if a else 1
        ones = _CN_D.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    v = 0
    for ch in s:
        if ch not in _CN_D:
            return None
        v = v * 10 + _CN_D[ch]
    return v


class DateMatch(tuple):
    """``(date, start, end, raw)``; ``.precision`` is ``day`` or ``month``."""

    def __new__(cls, d: dt.date, start: int, end: int, raw: str, precision: str = "day"):
        obj = tuple.__new__(cls, (d, start, end, raw))
        obj.precision = precision
        return obj

    @property
    def date(self) -> dt.date:
        return self[0]

    @property
    def start(self) -> int:
        return self[1]

    @property
    def end(self) -> int:
        return self[2]

    @property
    def raw(self) -> str:
        return self[3]


class DateRange(NamedTuple):
    start: dt.date
    end: dt.date
    raw: str
    pos: tuple[int, int]   # character offsets of the whole period in the text


_CNY = r"[〇零Oo○一二三四五六七八九0]"
_CNM = r"(?:十[一二]?|[一二三四五六七八九])"
_CND = r"(?:[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_Y = r"(?:19|20)\d{2}"

_FULL = re.compile(
    # 2019年3月5日 / 2019年3月
    rf"(?P<y1>{_Y})\s*年\s*(?P<m1>\d{{1,2}})\s*月(?:\s*(?P<d1>\d{{1,2}})\s*[日号])?"
    # 2019.3.5 / 2019-03-05 / 2019/3/5 / 1978.05
    rf"|(?P<y2>{_Y})\s*(?P<s2>[.\-/_])\s*(?P<m2>\d{{1,2}})(?:\s*[.\-/_]\s*(?P<d2>\d{{1,2}})(?![\d]))?(?![\d]|\.\d|\s*(?:万|元|%|亿))"
    # 二〇一九年三月五日
    rf"|(?P<y3>{_CNY}{{4}})\s*年\s*(?P<m3>{_CNM})\s*月(?:\s*(?P<d3>{_CND})\s*[日号])?"
)


def _mk(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _from_full(m: re.Match, default_day: int = 1) -> tuple[Optional[dt.date], str]:
    if m.group("y1"):
        y, mo, d = int(m.group("y1")), int(m.group("m1")), m.group("d1")
        day = int(d) if d else None
    elif m.group("y2"):
        y, mo, d = int(m.group("y2")), int(m.group("m2")), m.group("d2")
        day = int(d) if d else None
    else:
        y = cn_small_number(m.group("y3"))
        mo = cn_small_number(m.group("m3"))
        day = cn_small_number(m.group("d3")) if m.group("d3") else None
        if y is None or mo is None:
            return None, "day"
    if day is None:
        return _mk(y, mo, default_day), "month"
    return _mk(y, mo, day), "day"


def find_dates(text: str, *, default_day: int = 1) -> list[DateMatch]:
    """Every date in a text, in order: ``(date, start, end, raw)`` with offsets into ``text``.
    Year-and-month dates get ``default_day`` and ``precision == 'month'``."""
    s = normalize_keep_length(text or "")
    out: list[DateMatch] = []
    for m in _FULL.finditer(s):
        d, prec = _from_full(m, default_day)
        if d is None:
            continue
        out.append(DateMatch(d, m.start(), m.end(), (text or "")[m.start():m.end()], prec))
    return out


_EXCEL_DT = re.compile(rf"^({_Y})-(\d{{2}})-(\d{{2}})(?:[ T]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?)?$")


def parse_date_precision(text: Optional[str], *, default_day: int = 1) -> Optional[tuple[dt.date, str]]:
    """``(date, precision)``: precision ``day``, ``month`` (day set to ``default_day``) or
    ``year`` (a bare ``2019年``: 1 January)."""
    if text is None:
        return None
    s = normalize_keep_length(str(text)).strip()
    if not s:
        return None
    compact = re.sub(r"\s+", "", s)
    m = _EXCEL_DT.match(s)
    if m:
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return (d, "day") if d else None
    m = re.fullmatch(rf"({_Y})(\d{{2}})(\d{{2}})", compact)
    if m:
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d, "day"
    m = re.fullmatch(rf"({_Y})(\d{{2}})", compact)
    if m and 1 <= int(m.group(2)) <= 12:           # 197805 (出生年月 typed without a dot)
        return _mk(int(m.group(1)), int(m.group(2)), default_day), "month"
    found = find_dates(s, default_day=default_day)
    if found:
        return found[0][0], found[0].precision
    m = re.fullmatch(rf"({_Y})\s*年?度?", compact)
    if m:
        return dt.date(int(m.group(1)), 1, 1), "year"
    return None


def parse_date(text: Optional[str], *, default_day: int = 1) -> Optional[dt.date]:
    """The first date in ``text`` (see :func:`parse_date_precision` for the precision)."""
    got = parse_date_precision(text, default_day=default_day)
    return got[0] if got else None


# ---------------------------------------------------------------------------------------
# periods

_DECOR = (r"(?:\s*(?:[(（]\s*(?:星期|周|礼拜)[一二三四五六日天七]\s*[)）]|(?:星期|周|礼拜)[一二三四五六日天七]"
          r"|上午|下午|晚上|早上|中午|凌晨|\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?"
          r"|\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分|整|半)?|[(（]\s*含\s*[)）]))*\s*")
_SEP = r"(?:起\s*)?(?:至|到|—+|–+|-+|－+|~|～|〜|一|─+)\s*"
_TAIL = re.compile(_DECOR + _SEP + r"(?:自\s*)?")
_MD = re.compile(rf"(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]|(?P<cm>{_CNM})\s*月\s*(?P<cd>{_CND})\s*[日号]")
_D = re.compile(rf"(?P<d>\d{{1,2}})\s*[日号]|(?P<cd>{_CND})\s*[日号]")
_NUM_MD = re.compile(r"(?P<m>\d{1,2})\s*[.\-/]\s*(?P<d>\d{1,2})(?![\d.]|\s*(?:万|元|%))")
_NUM_D = re.compile(r"(?P<d>\d{1,2})(?![\d.:：]|\s*(?:万|元|%|个|天|时|点|月|年))")
_END_DECOR = re.compile(_DECOR + r"(?:止|结束)?")


def _md(m: re.Match) -> tuple[Optional[int], Optional[int]]:
    if m.groupdict().get("m"):
        return int(m.group("m")), int(m.group("d"))
    if m.groupdict().get("cm"):
        return cn_small_number(m.group("cm")), cn_small_number(m.group("cd"))
    if m.groupdict().get("cd"):
        return None, cn_small_number(m.group("cd"))
    return None, int(m.group("d"))


def find_date_ranges(text: str, *, default_year: Optional[int] = None) -> list[DateRange]:
    """Every period ``<date> 至 <date>`` in a text, in order.

    The first date needs a year unless ``default_year`` is given; the second inherits the
    year (and the month) it leaves out. A second date earlier than the first in a later
    month of the same inherited year is taken to be in the next year (12月28日至1月3日)."""
    raw_text = text or ""
    s = normalize_keep_length(raw_text)
    starts: list[tuple[int, int, Optional[int], int, int, bool, str]] = []  # (pos, end, y, m, d, numeric, prec)
    taken: list[tuple[int, int]] = []
    for m in _FULL.finditer(s):
        d, prec = _from_full(m)
        if d is None:
            continue
        starts.append((m.start(), m.end(), d.year, d.month, d.day, bool(m.group("y2")), prec))
        taken.append((m.start(), m.end()))
    for m in _MD.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        mo, dd = _md(m)
        if mo is None or dd is None:
            continue
        starts.append((m.start(), m.end(), None, mo, dd, False, "day"))
    starts.sort()
    out: list[DateRange] = []
    last_end = -1
    for pos, end, y, mo, dd, numeric, prec in starts:
        if pos < last_end:
            continue
        year = y if y is not None else default_year
        if year is None or prec != "day":
            continue
        t = _TAIL.match(s, end)
        if not t:
            continue
        p = t.end()
        y2 = m2 = d2 = None
        full = _FULL.match(s, p)
        if full:
            d, prec2 = _from_full(full)
            if d is None or prec2 != "day":
                continue
            y2, m2, d2, q = d.year, d.month, d.day, full.end()
        else:
            q = None
            for rx, ok in ((_MD, True), (_D, True), (_NUM_MD, numeric), (_NUM_D, True)):
                if not ok:
                    continue
                mm = rx.match(s, p)
                if mm:
                    m2, d2 = _md(mm)
                    q = mm.end()
                    break
            if q is None or d2 is None:
                continue
        if m2 is None:
            m2 = mo
        inherited_year = y2 is None
        if y2 is None:
            y2 = year
        a = _mk(year, mo, dd)
        b = _mk(y2, m2, d2)
        if a is None or b is None:
            continue
        if b < a and inherited_year and m2 < mo:
            b = _mk(y2 + 1, m2, d2)
            if b is None:
                continue
        if b < a:
            continue
        e = _END_DECOR.match(s, q)
        q2 = e.end() if e and e.group(0).strip() in ("止", "结束") or (e and re.search("[止束]", e.group(0))) else q
        out.append(DateRange(a, b, raw_text[pos:q2].strip(), (pos, q2)))
        last_end = q2
    return out


def parse_date_range(text: Optional[str], *, default_year: Optional[int] = None) -> Optional[DateRange]:
    """The first period in a text (see :func:`find_date_ranges`), or None."""
    found = find_date_ranges(text or "", default_year=default_year)
    return found[0] if found else None
