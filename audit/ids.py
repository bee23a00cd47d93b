"""Identifiers: resident ID numbers, social credit codes, patent numbers, skill certificates.

The rules behind them are in ``shared/spec/identifiers.md`` (its test vectors are in
``tests/parse/test_ids.py``). Everything here is pure and offline.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from audit.numbers import halfwidth

__all__ = [
    "IdCheck", "check_id_number", "mask_id", "mask_phone", "UsccCheck", "check_uscc",
    "PatentNumber", "parse_patent_number", "find_patent_numbers", "patent_check_char",
    "SkillCertNumber", "parse_skill_cert_number", "SKILL_LEVEL_NAMES", "PATENT_TYPES",
]


# --------------------------------------------------------------------------------------
# resident ID (GB 11643)

@dataclass(frozen=True)
class IdCheck:
    """The verdict on one resident ID number.

    ``reason`` (when not ok): ``length`` | ``chars`` | ``check-digit`` | ``birth-date`` |
    ``future-birth`` | ``region`` | ``fifteen-digit``. ``normalized`` is the number as it
    should be written (upper-case X; a 15-digit number converted to 18 digits). ``birth``
    and ``gender`` ('M'/'F') are given whenever the number is structurally readable, also
    when it is not ok (a wrong check digit still says who it claims to be).
    """
    ok: bool
    reason: Optional[str]
    normalized: str
    birth: Optional[dt.date] = None
    gender: Optional[str] = None


_WEIGHTS_18 = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_18 = "10X98765432"


def _id_check_char(first17: str) -> str:
    return _CHECK_18[sum(int(c) * w for c, w in zip(first17, _WEIGHTS_18)) % 11]


def _normalize_id(s: str) -> str:
    t = re.sub(r"[\s\-_.·]", "", halfwidth(s or "")).upper()
    # OCR: O for 0, I/L for 1, only where it leaves a well-formed number
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", t):
        cand = t.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "|": "1", "D": "0"}))
        if re.fullmatch(r"\d{17}[\dX]|\d{15}", cand):
            t = cand
    return t


def _date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def check_id_number(s: Optional[str], *, today: Optional[dt.date] = None) -> IdCheck:
    """Check a resident ID number: length, characters, birth date (real, not in the future,
    not before 1900), the check digit, and a region code known for the birth year.

    15-digit numbers (issued before 1999) are converted to 18 digits and reported as
    ``fifteen-digit`` (not ok: the form asks for the 18-digit number)."""
    today = today or dt.date.today()
    t = _normalize_id(s or "")
    if re.fullmatch(r"\d{15}", t):
        birth = _date(1900 + int(t[6:8]), int(t[8:10]), int(t[10:12]))
        gender = "M" if int(t[14]) % 2 else "F"
        if birth is None:
            return IdCheck(False, "birth-date", t, None, gender)
        body = t[:6] + "19" + t[6:]
        full = body + _id_check_char(body)
        return IdCheck(False, "fifteen-digit", full, birth, gender)
    if len(t) != 18:
        return IdCheck(False, "length", t)
    if not re.fullmatch(r"\d{17}[\dX]", t):
        return IdCheck(False, "chars", t)
    gender = "M" if int(t[16]) % 2 else "F"
    birth = _date(int(t[6:10]), int(t[10:12]), int(t[12:14]))
    if birth is None or birth.year < 1900:
        return IdCheck(False, "birth-date", t, None, gender)
    if birth > today:
        return IdCheck(False, "future-birth", t, birth, gender)
    if _id_check_char(t[:17]) != t[17]:
        return IdCheck(False, "check-digit", t, birth, gender)
    if not _region_known(t[:6]):
        return IdCheck(False, "region", t, birth, gender)
    return IdCheck(True, None, t, birth, gender)


def _region_known(code: str) -> bool:
    """The region code exists in stdnum's table, in any period. (``stdnum.cn.ric`` also
    wants the county to exist in the birth year; but numbers were first issued in 1984 and
    are re-issued after a move, so a person born in 1978 rightly carries a code of 1983.)"""
    from stdnum import numdb
    try:
        info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    except (KeyError, ValueError):  # pragma: no cover - a broken stdnum install
        return True
    return bool(info.get("county") or (code.endswith("00") and info.get("province")))


def mask_id(s: Optional[str]) -> str:
    """``410202197805121235`` → ``410202********1235`` (first 6 and last 4 kept)."""
    t = re.sub(r"\s+", "", halfwidth(s or "")).upper()
    if len(t) <= 10:
        return t[:2] + "*" * max(0, len(t) - 2)
    return t[:6] + "*" * (len(t) - 10) + t[-4:]


def mask_phone(s: Optional[str]) -> str:
    """``13812345678`` → ``138****5678``; other numbers keep their first 3 and last 4."""
    t = re.sub(r"[\s\-]", "", halfwidth(s or ""))
    if len(t) <= 7:
        return t[:1] + "*" * max(0, len(t) - 1)
    return t[:3] + "*" * (len(t) - 7) + t[-4:]


# --------------------------------------------------------------------------------------
# unified social credit code (GB 32100)

@dataclass(frozen=True)
class UsccCheck:
    ok: bool
    reason: Optional[str]   # length | chars | check-digit | invalid
    normalized: str


def check_uscc(s: Optional[str]) -> UsccCheck:
    """Check a unified social credit code (统一社会信用代码) with ``stdnum.cn.uscc``."""
    t = re.sub(r"[\s\-]", "", halfwidth(s or "")).upper()
    try:
        return UsccCheck(True, None, uscc.validate(t))
    except ValidationError as e:
        name = type(e).__name__
        reason = {"InvalidLength": "length", "InvalidFormat": "chars",
                  "InvalidChecksum": "check-digit"}.get(name, "invalid")
        return UsccCheck(False, reason, t)


# --------------------------------------------------------------------------------------
# patent application numbers (专利申请号)

PATENT_TYPES = {1: "invention", 2: "utility", 3: "design", 8: "pct-invention", 9: "pct-utility"}
PATENT_TYPE_ZH = {1: "发明", 2: "实用新型", 3: "外观设计", 8: "发明（PCT）", 9: "实用新型（PCT）"}


@dataclass(frozen=True)
class PatentNumber:
    """A patent application number as read.

    ``body`` is the digits before the check character (12 since 2003-10, 8 before);
    ``normalized`` the standard spelling ``body.check`` (or just ``body``); ``key`` the body,
    which identifies the patent whatever the spelling (X03 matches on it)."""
    raw: str
    body: str
    check: Optional[str]
    year: int
    type_digit: int
    serial: str
    granted: bool            # written with ZL (a granted patent)
    valid_check: Optional[bool]  # None when no check character was written

    @property
    def type_name(self) -> str:
        return PATENT_TYPES.get(self.type_digit, "unknown")

    @property
    def type_zh(self) -> str:
        return PATENT_TYPE_ZH.get(self.type_digit, "未知")

    @property
    def normalized(self) -> str:
        return f"{self.body}.{self.check}" if self.check else self.body

    @property
    def key(self) -> str:
        return self.body

    @property
    def expected_check(self) -> str:
        return patent_check_char(self.body)


def patent_check_char(body: str) -> str:
    """Check character of a patent application number: digits × 2,3,…,9,2,3,… , sum mod 11,
    10 written X (not 11 minus the remainder)."""
    r = sum(int(c) * (2 + i % 8) for i, c in enumerate(body)) % 11
    return "X" if r == 10 else str(r)


_OCR_PAT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                          "i": "1", "x": "X", "×": "X", "Ⅹ": "X"})
# a candidate: optional ZL/CN, then digits with free spaces, an optional dot, a check char
_PAT_RE = re.compile(
    r"(?P<pre>(?i:Z\s*L|CN)\s*)?"
    r"(?P<digits>[0-9OoDlI|](?:[\s]*[0-9OoDlI|]){7,11})"
    r"\s*(?P<dot>[.·•．。,，:]?)\s*"
    r"(?P<check>[0-9Xx×](?![0-9A-Za-z]))?"
    r"(?P<kind>\s*[ABUSC]\d?(?![A-Za-z]))?",
)


def _year_ok(year: int, new: bool) -> bool:
    if new:
        return 2003 <= year <= dt.date.today().year + 1
    return 1985 <= year <= 2004


def _make_patent(raw: str, digits: str, check: Optional[str], granted: bool) -> Optional[PatentNumber]:
    if len(digits) == 12:
        year, tdig, serial = int(digits[:4]), int(digits[4]), digits[5:]
        if not _year_ok(year, True):
            return None
    elif len(digits) == 8:
        yy = int(digits[:2])
        year = 1900 + yy if yy >= 85 else 2000 + yy
        tdig, serial = int(digits[2]), digits[3:]
        if not _year_ok(year, False):
            return None
    else:
        return None
    if tdig not in PATENT_TYPES:
        return None
    valid = None if check is None else (patent_check_char(digits) == check)
    return PatentNumber(raw=raw.strip(), body=digits, check=check, year=year, type_digit=tdig,
                        serial=serial, granted=granted, valid_check=valid)


def find_patent_numbers(text: str) -> list[PatentNumber]:
    """Every patent application number in a text, in order (publication numbers such as
    ``CN105123456A`` are skipped: they have no check digit)."""
    out: list[PatentNumber] = []
    s = halfwidth(text or "")
    pos = 0
    while True:
        m = _PAT_RE.search(s, pos)
        if not m:
            break
        pos = m.end()
        pre = re.sub(r"\s", "", m.group("pre") or "").upper()
        digits = re.sub(r"\s", "", m.group("digits")).translate(_OCR_PAT)
        check = (m.group("check") or "").translate(_OCR_PAT) or None
        if m.group("kind") and pre == "CN":
            continue                                   # a publication number
        # a run of 13/9 digits without a dot: the last digit is the check digit
        if check is None and len(digits) in (13, 9):
            digits, check = digits[:-1], digits[-1]
        if check is None and len(digits) not in (12, 8):
            continue
        if check is None and len(digits) == 8 and not pre:
            continue                                   # 8 bare digits: too likely something else
        if check is None and len(digits) == 12 and not pre and not m.group("dot"):
            continue
        if re.search(r"[0-9]", s[m.end():m.end() + 1] or ""):
            continue                                   # part of a longer number (an ID, a phone)
        if m.start() > 0 and re.match(r"[0-9]", s[m.start() - 1]):
            continue
        # reject a dot that is really a decimal point of an amount etc.: need 12/8 digits
        p = _make_patent(m.group(0), digits, check, granted=pre == "ZL")
        if p is not None:
            out.append(p)
    return out


def parse_patent_number(text: Optional[str]) -> Optional[PatentNumber]:
    """The first patent application number in ``text``: ``ZL 2020 2 0773489.7``,
    ``ZL201320035469X``, ``201710601862.3``, ``ZL95115608.X``, ``CN 2015 2 0035983.2``, with
    OCR noise (``O`` for 0, ``l`` for 1) and the dot written ``.``, ``·`` or not at all."""
    found = find_patent_numbers(text or "")
    return found[0] if found else None


# --------------------------------------------------------------------------------------
# skill certificate numbers (职业资格证书 / 职业技能等级证书)

SKILL_LEVEL_NAMES = {1: "高级技师", 2: "技师", 3: "高级工", 4: "中级工", 5: "初级工"}


@dataclass(frozen=True)
class SkillCertNumber:
    """Structure of a skill certificate number (no public check digit exists).

    ``kind``: ``old16`` (职业资格证书, 16 digits), ``old13`` (13-digit provincial variant),
    ``new`` (职业技能等级证书 since 2019: a letter + 21 digits). ``level``: 1 高级技师/一级 …
    5 初级工/五级 (None when the structure has no level digit or it is out of range)."""
    raw: str
    normalized: str
    kind: str
    year: Optional[int]
    level: Optional[int]
    province: Optional[str] = None
    issuer_type: Optional[str] = None   # new numbers: Y employer, S social training body
    ok: bool = True
    reason: Optional[str] = None        # level | year

    @property
    def level_name(self) -> Optional[str]:
        return SKILL_LEVEL_NAMES.get(self.level) if self.level else None


def _yy(yy: int, today: dt.date) -> int:
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def parse_skill_cert_number(s: Optional[str], *, today: Optional[dt.date] = None) -> Optional[SkillCertNumber]:
    """Read the structure of a skill certificate number, or None when it has none of the
    known shapes. ``ok`` is False when the level digit or the year is impossible."""
    today = today or dt.date.today()
    t = re.sub(r"[\s\-_:：]", "", halfwidth(s or "")).upper()
    t = re.sub(r"^(?:证书编号|编号|NO\.?|证号)", "", t)
    m = re.fullmatch(r"([YS])([0-9OIL]{21})", t)
    if m:
        d = m.group(2).translate(str.maketrans("OIL", "011"))
        year = 2000 + int(d[12:14])
        level = int(d[14])
        ok, reason = True, None
        if level not in SKILL_LEVEL_NAMES:
            ok, reason = False, "level"
        elif year < 2019 or year > today.year:
            ok, reason = False, "year"
        return SkillCertNumber(raw=s or "", normalized=m.group(1) + d, kind="new", year=year,
                               level=level if level in SKILL_LEVEL_NAMES else None,
                               province=d[4:6], issuer_type=m.group(1), ok=ok, reason=reason)
    d = t.translate(str.maketrans("OIL", "011"))
    if re.fullmatch(r"\d{16}", d):
        year = _yy(int(d[:2]), today)
        level = int(d[10])
        ok = level in SKILL_LEVEL_NAMES
        return SkillCertNumber(raw=s or "", normalized=d, kind="old16", year=year,
                               level=level if ok else None, province=d[2:4],
                               ok=ok, reason=None if ok else "level")
    if re.fullmatch(r"\d{13}", d):
        return SkillCertNumber(raw=s or "", normalized=d, kind="old13", year=_yy(int(d[:2]), today),
                               level=None, province=d[2:4])
    return None
