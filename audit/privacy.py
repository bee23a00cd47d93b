"""Personal data masking: what every output hides unless ``--no-mask``.

What is masked (each character replaced by one ``*``, so lengths and positions keep):

* resident ID numbers keep the region (6) and the last 4: ``410202********123X``,
  15-digit ones ``360426*****1007``, also with an OCR slip or two (``O`` for 0, ``l`` for 1);
* mobile numbers keep 3 + 4: ``138****5678`` (also ``138-1234-5678``, ``+86 138…``);
* landlines keep the area code and the last 4: ``0371-****6789``, ``(0371)***5678``; a
  number after a phone label (``电话：25665219``) keeps its last 4;
* addresses after a label (住址, 地址, 通讯地址, 家庭住址 …, with or without a colon) keep
  the province / city / district-or-county part: ``河南省开封市龙亭区**********``;
* house numbers anywhere, after a street or community name: ``北门大街*************``
  (the name stays, the numbers go).

Unit names, patent and certificate numbers, social credit codes, amounts and dates are
never touched (``tests/reports/test_mask.py`` holds the vectors both ways).

:func:`sensitive_spans` gives the character ranges :func:`mask_text` replaces, so a page
image can be blacked out from an OCR line's text and box.
"""
from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from typing import Any, Iterator

from stdnum.cn import uscc

__all__ = ["KEEP", "blank_out", "mask", "mask_text", "sensitive_spans"]

#: keys whose values are identifiers of our own (hashes, ids), never masked
KEEP = {"sha256", "fingerprint", "id", "run_id", "profile_digest"}

_AN = "0-9A-Za-z"
ID_RE = re.compile(rf"(?<![{_AN}])([1-9]\d{{5}})(\d{{8}})(\d{{3}}[0-9Xx])(?![{_AN}])")
# the same as OCR reads it at times: O for 0, l / I / | for 1 (at most two such slips)
_OCR_DIGIT = "0-9OolI|"
ID_OCR_RE = re.compile(rf"(?<![{_AN}|])([1-9][{_OCR_DIGIT}]{{5}})([{_OCR_DIGIT}]{{8}})([{_OCR_DIGIT}]{{3}}[0-9Xx])(?![{_AN}|])")
# 15 digits (issued before 1999): region, YYMMDD, sequence; keep 6 + 4 as audit.ids.mask_id does
ID15_RE = re.compile(rf"(?<![{_AN}])([1-9]\d{{5}})(\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{{3}})(?![{_AN}])")
MOBILE_RE = re.compile(rf"(?<![{_AN}])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)(?P<s>[\s-]?)(\d{{4}})(?P=s)(\d{{4}})(?![{_AN}])")

_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_DASH = r"[-—–]"
LANDLINE_RE = re.compile(
    rf"(?<![{_AN}])(?:{_AREA}\s*{_DASH}\s*|{_AREA}\s+|\(\s*{_AREA}\s*\)\s*{_DASH}?\s*)"
    rf"([2-9]\d{{2,3}})(\d{{4}})(?!\d)")
_PHONE_LABEL = r"(?:电话|座机|固话|传真|联系方式|电话号码|Tel|TEL|tel|Phone|PHONE)"
LABELLED_PHONE_RE = re.compile(
    rf"{_PHONE_LABEL}\s*[:]?\s*(?:{_AREA})?([2-9]\d{{2,3}})(\d{{4}})(?!\d)")

# address labels, longest first (a regex alternation takes the first that matches)
ADDRESS_LABELS = sorted({
    "住址", "地址", "通讯地址", "通信地址", "家庭住址", "家庭地址", "联系地址", "现住址", "现地址",
    "居住地址", "现居住地址", "现居住地", "居住地", "户籍地址", "户籍所在地", "户口所在地", "邮寄地址",
    "收件地址", "住所", "住所地", "单位地址", "工作单位地址",
}, key=len, reverse=True)
# where an address value ends: punctuation, a wide gap, or the next label on the line
_STOP = r"[\n\r\t；;。，,|、]|\s{2,}|(?:邮编|邮政编码|联系电话|电话|手机|邮箱|电子邮箱|联系人|身份证|姓名|E-?mail|email)"
ADDRESS_RE = re.compile(
    rf"(?:{'|'.join(ADDRESS_LABELS)})(?P<sep>\s*:\s*|\s+|)(?P<value>(?:(?!{_STOP}).)+)")
_NUM = r"(?:\d+|[一二三四五六七八九十百零〇]+)"
_STREETS = ("路", "街", "大道", "巷", "胡同", "弄", "小区", "社区", "花园", "家园", "新村", "公寓", "苑", "村",
            "庄", "大厦", "广场", "院")
_AFTER_STREET = "(?:" + "|".join(f"(?<={w})" for w in _STREETS) + ")"   # each look-behind of fixed width
_HOUSE = r"(?:号院|号楼|号|栋|幢|座|#)"
HOUSE_RE = re.compile(
    rf"{_AFTER_STREET}\s*(?P<chain>{_NUM}\s*(?:{_HOUSE}|组)"
    rf"(?:\s*(?:{_NUM}|[A-Za-z])+\s*(?:{_HOUSE}|单元|层|楼|室|户|组|-))*"
    rf"(?:(?<=[元栋幢座楼#-])\s*\d+(?![\d年月日]))?)")


@functools.lru_cache(maxsize=1)
def _admin_re() -> re.Pattern:
    """Names of provinces, prefectures and counties (past and present, from python-stdnum's
    table of region codes), one after another at the start of a text: ``河南省开封市鼓楼区``."""
    table = (importlib.resources.files("stdnum") / "cn" / "loc.dat").read_text("utf-8")
    names = set()
    for m in re.finditer(r'(?:province|county)="([^"]+)"', table):
        for n in m.group(1).split(","):
            n = re.sub(r"^\[[^\]]*\]", "", n).strip()
            if len(n) >= 2 and "直辖" not in n and n not in ("市辖区", "县"):
                names.add(n)
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:\s*(?:{alt})){{0,4}}")


def _fold(s: str) -> str:
    """Full-width digits, letters and punctuation to ASCII, one character for one, so that
    positions in the folded text are positions in ``s``."""
    out = []
    for ch in s:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _is_uscc(s: str) -> bool:
    try:
        uscc.validate(s)
    except Exception:  # noqa: BLE001 - stdnum raises several ValidationError kinds
        return False
    return True


def _id_date_plausible(d: str) -> bool:
    y, m, day = int(d[:4]), int(d[4:6]), int(d[6:8])
    return 1900 <= y <= 2099 and 1 <= m <= 12 and 1 <= day <= 31


def _ranges(t: str) -> Iterator[tuple[int, int]]:
    """The raw ranges to mask in the folded text ``t`` (may overlap)."""
    for m in ID_RE.finditer(t):
        if not _id_date_plausible(m.group(2)) and _is_uscc(m.group(0).upper()):
            continue                                   # an all-digit social credit code
        yield m.span(2)
    for m in ID_OCR_RE.finditer(t):
        slips = sum(not c.isdigit() for c in m.group(0)[:17])
        if 0 < slips <= 2:
            yield m.span(2)
    for m in ID15_RE.finditer(t):
        yield m.start(2), m.start(2) + 5
    for m in MOBILE_RE.finditer(t):
        yield m.span(3)
    for m in LANDLINE_RE.finditer(t):
        yield m.span(1)
    for m in LABELLED_PHONE_RE.finditer(t):
        yield m.span(1)
    for m in ADDRESS_RE.finditer(t):
        value = m.group("value").rstrip()
        start = m.start("value")
        keep = _admin_re().match(value).end()
        if not value or (":" not in m.group("sep") and not keep and not HOUSE_RE.search(value)):
            continue                                   # "地址变更等事项…": not an address
        rest = value[keep:]
        lead = len(rest) - len(rest.lstrip())
        if len(rest) > lead:
            yield start + keep + lead, start + len(value)
    for m in HOUSE_RE.finditer(t):
        yield m.span("chain")


def sensitive_spans(text: str) -> list[tuple[int, int]]:
    """The character ranges ``[start, end)`` of ``text`` that :func:`mask_text` replaces with
    ``*``: sorted, not overlapping, not touching."""
    if not text:
        return []
    marked = bytearray(len(text))
    for a, b in _ranges(_fold(text)):
        marked[a:b] = b"\x01" * (b - a)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(marked):
        if marked[i]:
            j = i
            while j < len(marked) and marked[j]:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def blank_out(s: str, spans: list[tuple[int, int]]) -> str:
    """``s`` with the character ranges ``spans`` replaced by ``*``, one per character."""
    if not spans:
        return s
    chars = list(s)
    for a, b in spans:
        chars[a:b] = "*" * (b - a)
    return "".join(chars)


def mask_text(s: str) -> str:
    """``s`` with its personal data replaced by ``*``, one per character."""
    return blank_out(s, sensitive_spans(s))


def mask(obj: Any) -> Any:
    """Mask every string inside a JSON-like structure (values under :data:`KEEP` keys stay)."""
    if isinstance(obj, str):
        return mask_text(obj)
    if isinstance(obj, dict):
        return {k: (v if k in KEEP else mask(v)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [mask(v) for v in obj]
    return obj
