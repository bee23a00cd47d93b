"""Numbers as people write them on forms and statements: figures, amounts, counts.

Everything returns :class:`~decimal.Decimal` (amounts) or ``int`` (counts), never a float,
so ``12.5 万元`` compared with ``125,000.00 元`` is exact.

What is understood:

* figures with units: ``12.5万元``, ``12.5``, ``125000元``, ``12,500.00元``, ``￥125,000``,
  ``1.2亿元``, ``12万5千元``; full-width digits and punctuation; OCR noise inside a figure
  (``O``/``o`` for 0, ``l``/``I``/``|`` for 1, stray spaces, ``，`` as thousands separator);
* amounts in capitals (大写): ``人民币壹拾贰万伍仟元整``, ``壹万元整``, ``伍仟元正``,
  ``壹佰元零伍分``, ``肆角伍分`` (:func:`capitals_to_decimal`, a Decimal-exact wrapper
  around ``cn2an``, which alone fails on prefixes, missing 元, 整 after 角 and 元零伍分);
* counts: ``3``, ``3项``, ``3 个``, ``三``, ``叁``; ``无``/``—``/``/``/``0`` are zero, an empty
  cell or a bare unit (``个``) is ``None`` (nothing declared).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Optional

import cn2an

__all__ = [
    "halfwidth", "fix_ocr_digits", "is_nil", "parse_amount", "parse_wanyuan",
    "capitals_to_decimal", "to_wanyuan", "parse_int", "parse_decimal", "find_amounts",
    "CN_DIGITS",
]

WAN = Decimal(10000)
YI = Decimal(100000000)

# Chinese numerals, lower and upper case (大写), and the OCR look-alike of 壹
CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "壶": 1, "弌": 1, "二": 2, "贰": 2, "貳": 2,
    "两": 2, "兩": 2, "三": 3, "叁": 3, "參": 3, "叄": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
CN_UNITS = "十拾百佰千仟万萬亿億"
CN_NUM_CHARS = "".join(CN_DIGITS) + CN_UNITS
_CN_NUM = f"[{CN_NUM_CHARS}]"
# normalise traditional / variant forms before cn2an sees them
_CN_VARIANTS = str.maketrans({"萬": "万", "億": "亿", "貳": "贰", "參": "叁", "叄": "叁", "陸": "陆",
                              "兩": "两", "壶": "壹", "弌": "壹", "○": "〇", "Ｏ": "〇", "圆": "元",
                              "圓": "元"})

NIL_WORDS = {"无", "没有", "暂无", "—", "–", "-", "/", "\\", "0", "零", "〇", "无此项", "空",
             "——", "--", "－"}
COUNT_UNITS = r"(?:人次|个|項|项|件|份|次|人|名|篇|部|本|套|处|条|家|场|期|批|届)"


def halfwidth(s: str) -> str:
    """NFKC: full-width digits, letters and punctuation to ASCII; Kangxi radicals of PDF
    text layers (``⼀``) to the ordinary characters."""
    return unicodedata.normalize("NFKC", s or "")


_OCR_NEAR_DIGIT = re.compile(r"(?<=[0-9.,])[OoIl|]|[OoIl|](?=[0-9.,]*[0-9])")


def fix_ocr_digits(s: str) -> str:
    """Inside figures, letters OCR confuses with digits become digits: ``2O19`` → ``2019``,
    ``l2.5`` → ``12.5``. Letters not touching a digit are left alone."""
    prev = None
    while prev != s:
        prev = s
        s = _OCR_NEAR_DIGIT.sub(lambda m: "0" if m.group(0) in "Oo" else "1", s)
    return s


def _clean(text: str) -> str:
    s = halfwidth(text).strip()
    s = fix_ocr_digits(s)
    # stray spaces inside a figure: '12 500.00', '12. 5'
    s = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "", s)
    s = re.sub(r"(?<=[0-9])\s*\.\s*(?=[0-9])", ".", s)
    return s


def is_nil(text: Optional[str]) -> bool:
    """True for the ways people write 'none' in a numeric cell: 无, —, /, 0, 零."""
    if text is None:
        return False
    s = re.sub(r"\s+", "", halfwidth(text))
    s = re.sub(COUNT_UNITS + r"$", "", s)
    s = re.sub(r"万?元$", "", s) if s not in ("元",) else s
    if not s:
        return False
    if s in NIL_WORDS or re.fullmatch(r"[-—–/\\_]+", s):
        return True
    return bool(re.fullmatch(r"0+(?:\.0+)?", s))


_FIGURE = re.compile(r"(?<![0-9.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
_UNIT_AFTER = re.compile(r"\s*(亿元|亿|万元|万|千元|元|块)")
_YUAN_BEFORE = re.compile(r"(?:¥|￥|RMB|CNY|人民币|Y)\s*$", re.I)


def parse_decimal(text: Optional[str]) -> Optional[Decimal]:
    """The first plain figure of a text as a Decimal (no units applied)."""
    if text is None:
        return None
    m = _FIGURE.search(_clean(text))
    if not m:
        return None
    try:
        return Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def _scale(unit: str) -> Decimal:
    return {"亿元": YI, "亿": YI, "万元": WAN, "万": WAN, "千元": Decimal(1000)}.get(unit, Decimal(1))


def _want(unit_hint: Optional[str]) -> str:
    if unit_hint in (None, "", "元", "yuan"):
        return "元"
    if unit_hint in ("万元", "万", "wan", "wanyuan"):
        return "万元"
    raise ValueError(f"unknown unit {unit_hint!r}")


def parse_amount(text: Optional[str], *, unit_hint: Optional[str] = None) -> Optional[Decimal]:
    """An amount of money, in the unit ``unit_hint`` (``"元"`` by default, or ``"万元"``).

    ``unit_hint`` is both the unit of the result and the unit assumed for a bare figure
    (a figure in a column headed 万元 is in 万元). A figure that says its unit is converted:
    ``parse_amount("125000元", unit_hint="万元") == Decimal("12.5")``,
    ``parse_amount("12.5万元") == Decimal("125000")``. Capitals (大写) are read too.
    ``无``/``—``/``0`` give 0; an empty or unreadable text gives None.
    """
    want = _want(unit_hint)
    if text is None:
        return None
    s = _clean(text)
    if not s:
        return None
    if is_nil(s):
        return Decimal(0)
    m = _FIGURE.search(s)
    if m:
        rest = s[m.end():]
        # mixed forms such as 12万5千元 / 1万2千: let cn2an read the whole run
        mixed = re.match(r"\s*(万|亿)\s*[0-9" + CN_NUM_CHARS + r"]+\s*(?:千|仟|百|佰)?", rest)
        if mixed:
            run = s[m.start():m.end() + mixed.end()]
            try:
                v = Decimal(str(cn2an.cn2an(run.replace(",", "").replace(" ", ""), "smart")))
                return _in(v, want)
            except (ValueError, KeyError, TypeError, InvalidOperation):
                pass
        try:
            num = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:
            return None
        u = _UNIT_AFTER.match(rest)
        if u:
            return _in(num * _scale(u.group(1)), want)
        if _YUAN_BEFORE.search(s[:m.start()]):
            return _in(num, want)
        return num  # a bare figure is in the unit asked for
    if re.search(_CN_NUM, s):
        v = capitals_to_decimal(s)
        if v is None:
            return None
        t = s.translate(_CN_VARIANTS)
        if re.search(r"[元角分万亿]", t):
            return _in(v, want)
        return v
    return None


def _in(yuan: Decimal, want: str) -> Decimal:
    return to_wanyuan(yuan) if want == "万元" else _norm(yuan)


def _norm(d: Decimal) -> Decimal:
    """Drop trailing zeros of a fraction (12.50 → 12.5) but keep integers as they are."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return d.normalize()


def parse_wanyuan(text: Optional[str]) -> Optional[Decimal]:
    """An amount in 万元 (the unit of the forms' benefit figures): ``12.5``, ``12.5万元``,
    ``125000元`` all give ``Decimal('12.5')``."""
    return parse_amount(text, unit_hint="万元")


def to_wanyuan(amount_yuan: Decimal | int | str) -> Decimal:
    """元 → 万元, exact: ``to_wanyuan(125000) == Decimal('12.5')``."""
    return _norm(Decimal(str(amount_yuan)) / WAN)


_FRAC = re.compile(r"(?:(?P<jiao>[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖两])角)?零?"
                   r"(?:(?P<fen>[零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖两])分)?$")
_PREFIX_WORDS = re.compile(r"人民币|RMB|CNY|[¥￥]|大写金额|小写金额|金额大写|大写|金额|合计|计|共|约|[:：()（）\[\]【】\s]",
                           re.I)


def capitals_to_decimal(s: Optional[str]) -> Optional[Decimal]:
    """An amount written in Chinese numerals (大写 or 小写), in 元, as an exact Decimal.

    ``人民币壹拾贰万伍仟元整`` → 125000; ``壹佰元零伍分`` → 100.05; ``肆角伍分`` → 0.45;
    ``伍仟元正`` → 5000; ``壹亿贰仟万元`` → 120000000. None when it is not such an amount.
    """
    if not s:
        return None
    t = _PREFIX_WORDS.sub("", halfwidth(s)).translate(_CN_VARIANTS)
    t = t.rstrip("整正")
    if not t or not re.search(_CN_NUM, t):
        return None
    if re.search(r"[^" + CN_NUM_CHARS + r"元角分点0-9.]", t):
        return None
    m = _FRAC.search(t)
    frac = Decimal(0)
    if m and m.group(0):
        if m.group("jiao"):
            frac += Decimal(CN_DIGITS[m.group("jiao")]) / 10
        if m.group("fen"):
            frac += Decimal(CN_DIGITS[m.group("fen")]) / 100
        head = t[:m.start()]
    else:
        head = t
    head = head.rstrip("零〇")
    if head.endswith("元"):
        head = head[:-1].rstrip("零〇")
    if "元" in head or "角" in head or "分" in head:
        return None
    whole = Decimal(0)
    if head:
        try:
            v = cn2an.cn2an(head, "smart")
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        try:
            whole = Decimal(str(v))
        except InvalidOperation:
            return None
        if whole != whole.to_integral_value():
            # cn2an reads 十二点五 as 12.5: keep it exact from its string form
            whole = Decimal(str(v))
    return _norm(whole + frac)


def find_amounts(text: str) -> list[tuple[Decimal, int, int, str, str]]:
    """Every amount in a text: ``(yuan, start, end, raw, kind)`` with kind ``figure`` or
    ``capitals``, for comparing the figures and the capitals of one statement (V14).
    A figure counts only when it carries a unit (元/万元/￥…)."""
    out: list[tuple[Decimal, int, int, str, str]] = []
    s = halfwidth(text or "")
    cap = re.compile(r"(?:人民币|RMB)?\s*[" + CN_NUM_CHARS + r"壶圆元角分整正零]{2,}")
    for m in cap.finditer(s):
        raw = m.group(0)
        if not re.search(r"[元圆角分]", raw):
            continue
        v = capitals_to_decimal(raw)
        if v is not None:
            out.append((v, m.start(), m.end(), raw.strip(), "capitals"))
    fig = re.compile(r"(?:[¥￥]|RMB|人民币)?\s*(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|千元|元)?")
    for m in fig.finditer(s):
        if not (m.group(2) or re.match(r"[¥￥]|RMB|人民币", m.group(0))):
            continue
        try:
            num = Decimal(m.group(1).replace(",", "").replace("，", ""))
        except InvalidOperation:
            continue
        out.append((_norm(num * _scale(m.group(2) or "元")), m.start(), m.end(), m.group(0).strip(), "figure"))
    out.sort(key=lambda x: x[1])
    return out


_CN_INT = re.compile(r"[" + CN_NUM_CHARS + r"]+")


def parse_int(text: Optional[str]) -> Optional[int]:
    """A count: ``3``, ``3项``, ``3 个``, ``共3项``, ``三``, ``叁``, ``十二``.

    ``无``/``—``/``/``/``0`` → 0 (declared as none); empty text or a bare unit such as
    ``个`` (an unfilled template cell) → None; a fraction (``2.5``) → None.
    """
    if text is None:
        return None
    s = _clean(text)
    s = re.sub(r"\s+", "", s)
    if not s:
        return None
    if is_nil(s):
        return 0
    core = re.sub(COUNT_UNITS, "", s)
    if not core or re.fullmatch(r"[()（）:：_.,]*", core):
        return None
    if re.fullmatch(r"[OoIl|]+", core):
        core = core.replace("O", "0").replace("o", "0").replace("I", "1").replace("l", "1").replace("|", "1")
    m = re.search(r"(?<![0-9.])(\d+(?:\.\d+)?)", core)
    if m:
        d = Decimal(m.group(1))
        if d != d.to_integral_value():
            return None
        return int(d)
    m = _CN_INT.search(core.translate(_CN_VARIANTS))
    if m:
        try:
            v = cn2an.cn2an(m.group(0), "smart")
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        if isinstance(v, float) and not v.is_integer():
            return None
        return int(v)
    return None
