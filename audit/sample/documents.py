"""The documents of a sample batch, drawn as clean pages (the caller runs :func:`render.scan`).

Every function takes ``rng`` (``random.Random``) first and keyword arguments after, and
varies wording, title, layout, fonts, label wording, date forms and number forms with the
rng, so that two units' documents never look like one template. Wording variants live in
``wording.yaml``. Dates may be given as ``datetime.date`` or ISO strings (``2019-03-05``;
``2019-03`` for a month) and are written in a form the rng picks (2019年3月5日, 2019.3.5,
2019-03-05, 二〇一九年三月五日 …; force one with ``date_style=``); any other string is drawn
as it is. Each page's ``meta`` says what was chosen (e.g. ``meta['date_text']``).
"""
from __future__ import annotations

import functools
import random
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter

from .render import (BLUE_INK, INK, RED, Canvas, Cell, RenderedPage, draw_seal,
                     fonts, strip_spaces)

DateLike = Union[date, datetime, str, None]

# ---------------------------------------------------------------------------------------
# wording, dates, amounts, numbers
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def wording() -> dict:
    with open(Path(__file__).with_name("wording.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def _pick(rng: random.Random, seq: Sequence[Any]) -> Any:
    return seq[rng.randrange(len(seq))]


_UP = "〇一二三四五六七八九"


def _upper_int(n: int) -> str:
    if n < 10:
        return _UP[n] if n else "〇"
    t, u = divmod(n, 10)
    return ("" if t == 1 else _UP[t]) + "十" + (_UP[u] if u else "")


def as_date(x: DateLike) -> tuple[Optional[date], str]:
    """(date, precision) from a date or an ISO-like string; precision is 'day', 'month' or ''."""
    if isinstance(x, datetime):
        return x.date(), "day"
    if isinstance(x, date):
        return x, "day"
    if isinstance(x, str):
        m = re.match(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*$", x)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day"
            except ValueError:
                return None, ""
        m = re.match(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$", x)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), 1), "month"
            except ValueError:
                return None, ""
    return None, ""


DATE_STYLES = ("cn", "cn0", "upper", "dot", "dot0", "dash", "slash", "cn_month", "upper_month")


def fmt_date(d: date, style: str = "cn") -> str:
    """Write a date: cn 2019年3月5日, cn0 2019年03月05日, upper 二〇一九年三月五日, dot 2019.3.5,
    dot0 2019.03.05, dash 2019-03-05, slash 2019/3/5, cn_month 2019年3月, upper_month 二〇一九年三月."""
    y, m, dd = d.year, d.month, d.day
    if style == "cn0":
        return f"{y}年{m:02d}月{dd:02d}日"
    if style == "upper":
        return "".join(_UP[int(ch)] for ch in str(y)) + f"年{_upper_int(m)}月{_upper_int(dd)}日"
    if style == "upper_month":
        return "".join(_UP[int(ch)] for ch in str(y)) + f"年{_upper_int(m)}月"
    if style == "dot":
        return f"{y}.{m}.{dd}"
    if style == "dot0":
        return f"{y}.{m:02d}.{dd:02d}"
    if style == "dash":
        return f"{y}-{m:02d}-{dd:02d}"
    if style == "slash":
        return f"{y}/{m}/{dd}"
    if style == "cn_month":
        return f"{y}年{m}月"
    return f"{y}年{m}月{dd}日"


def _date_text(rng: random.Random, x: DateLike, styles: Sequence[str], force: Optional[str] = None) -> str:
    d, prec = as_date(x)
    if d is None:
        return "" if x is None else str(x)
    if prec == "month":
        st = force if force in ("cn_month", "upper_month") else _pick(rng, ("cn_month", "cn_month", "upper_month"))
        return fmt_date(d, st)
    return fmt_date(d, force or _pick(rng, styles))


CERT_DATES = ("cn", "cn", "upper", "upper", "cn0", "cn_month", "upper_month")
LETTER_DATES = ("cn", "cn", "cn", "cn0", "upper")
FORM_DATES = ("cn", "cn", "dot", "dash", "cn0")

_DIG = "零壹贰叁肆伍陆柒捌玖"


def _group_caps(g: int) -> str:
    s = ""
    zero = False
    for i, u in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        dgt = g // 10 ** i % 10
        if dgt == 0:
            zero = bool(s)
            continue
        if zero:
            s += "零"
            zero = False
        s += _DIG[dgt] + u
    return s


def amount_in_capitals(amount: Union[int, float, str, Decimal], prefix: str = "") -> str:
    """Amount in yuan written in capital numerals: 125000 → 壹拾贰万伍仟元整,
    1234.5 → 壹仟贰佰叁拾肆元伍角, 100.05 → 壹佰元零伍分."""
    a = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    neg = a < 0
    a = abs(a)
    yuan = int(a)
    cents = int((a - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    groups = []
    n = yuan
    while n:
        groups.append(n % 10000)
        n //= 10000
    out = ""
    need_zero = False
    gu = ["", "万", "亿", "万亿"]
    for gi in reversed(range(len(groups))):
        g = groups[gi]
        if g == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or g < 1000):
            out += "零"
        out += _group_caps(g) + gu[gi]
        need_zero = False
    s = ""
    if yuan:
        s = out + "元"
    if not jiao and not fen:
        s = (s or "零元") + "整"
    else:
        if jiao:
            s += _DIG[jiao] + "角"
        elif yuan:
            s += "零"
        if fen:
            s += _DIG[fen] + "分"
    return ("负" if neg else "") + prefix + s


def _fmt_amount(rng: random.Random, yuan: Decimal, wan: bool, style: Optional[int] = None) -> str:
    if wan:
        v = (yuan / Decimal(10000))
        st = style if style is not None else rng.randrange(2)
        if st == 0:
            txt = f"{v.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
        else:
            txt = f"{v.normalize():f}" if v == v.quantize(Decimal("0.0001")) else f"{v:.2f}"
        return txt + "万元"
    st = style if style is not None else rng.randrange(3)
    if st == 0:
        return f"{yuan.quantize(Decimal('1')) if yuan == yuan.to_integral_value() else yuan}元"
    if st == 1:
        return f"{yuan.quantize(Decimal('0.01')):,.2f}元"
    return f"{yuan.quantize(Decimal('0.01'))}元"


_PN = re.compile(r"^(?:ZL|CN)?(\d{4})(\d)(\d{7})([0-9X])$|^(?:ZL|CN)?(\d{2})(\d)(\d{5})([0-9X])$")
PATENT_STYLES = ("spaced", "spaced", "compact", "zl_space", "plain", "nodot", "middot")


def format_patent_number(number: str, style: str = "spaced") -> str:
    """Write an application number the ways people do: spaced 'ZL 2020 2 0773489.7',
    compact 'ZL202020773489.7', zl_space 'ZL 202020773489.7', plain '202020773489.7',
    nodot 'ZL2020207734897', middot 'ZL 202020773489·7'. Unparseable numbers come back as given."""
    raw = re.sub(r"[\s.·]", "", str(number)).upper()
    m = _PN.match(raw)
    if not m:
        return str(number)
    if m.group(1):
        y, t, ser, chk = m.group(1), m.group(2), m.group(3), m.group(4)
    else:
        y, t, ser, chk = m.group(5), m.group(6), m.group(7), m.group(8)
    if style == "spaced":
        return f"ZL {y} {t} {ser}.{chk}"
    if style == "compact":
        return f"ZL{y}{t}{ser}.{chk}"
    if style == "zl_space":
        return f"ZL {y}{t}{ser}.{chk}"
    if style == "plain":
        return f"{y}{t}{ser}.{chk}"
    if style == "nodot":
        return f"ZL{y}{t}{ser}{chk}"
    if style == "middot":
        return f"ZL {y}{t}{ser}·{chk}"
    return f"ZL{y}{t}{ser}.{chk}"


def _year_of(x: DateLike) -> str:
    d, _ = as_date(x)
    if d:
        return str(d.year)
    m = re.search(r"(19|20)\d{2}", str(x or ""))
    return m.group(0) if m else ""


# ---------------------------------------------------------------------------------------
# shared layout pieces
# ---------------------------------------------------------------------------------------
PAPERS = [(255, 255, 255), (253, 250, 240), (250, 246, 232), (255, 252, 246), (252, 248, 238)]
FRAME_COLORS = [(188, 148, 62), (178, 38, 40), (160, 118, 48), (40, 70, 140), (150, 30, 30)]


def _cell(c: Canvas, box, text, size: float = 26, *, align: str = "center", valign: str = "middle",
          role: str = "body", tracking: float = 0.0, fill=INK, border: bool = True, lw: int = 2,
          pad: float = 8.0, min_size: int = 22, leading: float = 1.3, keep=()) -> list[str]:
    if border:
        c.rect(box, lw)
    if text is None:
        return []
    return c.cell_text(box, Cell(0, 0, text, size=size, align=align, valign=valign, role=role,
                                 tracking=tracking, fill=fill, pad=pad, min_size=min_size,
                                 leading=leading, keep=tuple(keep)), size)


def _sign_block(c: Canvas, rng: random.Random, *, x: float, y: float, names: Sequence[str],
                date_s: str, size: float, seal: Optional[str], seal_unit: Optional[str] = None,
                align: str = "center", seal_center_text: Optional[str] = None,
                seal_radius: Optional[float] = None, role: str = "body", gap: float = 1.7) -> float:
    """Issuer lines and the date, centred on x (or right-aligned at x), with a seal over them.
    Returns the y under the block."""
    boxes = []
    yy = y
    for nm in names:
        b = c.text(x, yy, nm, size, align=align, role=role)
        if b:
            boxes.append(b)
        yy += size * gap
    if date_s:
        b = c.text(x, yy, date_s, size, align=align, role=role)
        if b:
            boxes.append(b)
        yy += size * gap
    if seal and boxes:
        x0 = min(b[0] for b in boxes)
        x1 = max(b[2] for b in boxes)
        y0 = min(b[1] for b in boxes)
        y1 = max(b[3] for b in boxes)
        cx = (x0 + x1) / 2 + rng.uniform(-0.15, 0.15) * (x1 - x0)
        cy = (y0 + y1) / 2 + rng.uniform(-0.2, 0.2) * (y1 - y0 + size)
        ring = seal_unit or (names[0] if names else "")
        ct = seal_center_text if seal_center_text is not None else {
            "finance": "财务专用章", "contract": "合同专用章"}.get(seal, "★")
        draw_seal(c, rng, center=(cx, cy), ring_text=ring, center_text=ct, kind=seal, radius=seal_radius)
    return yy


def _sheet(rng: random.Random, landscape: bool, kind: str, *, inset_p: float = 0.45,
           paper: Optional[tuple] = None) -> tuple[Canvas, tuple[float, float, float, float]]:
    """An A4 scanner page holding a sheet of paper (sometimes smaller than the page)."""
    c = Canvas.a4(rng, landscape, kind=kind, bg=(255, 255, 255))
    W, H = c.W, c.H
    if rng.random() < inset_p:
        sx0, sy0 = rng.uniform(25, 120), rng.uniform(25, 120)
        sx1, sy1 = W - rng.uniform(25, 120), H - rng.uniform(25, 120)
    else:
        sx0, sy0, sx1, sy1 = 0, 0, W, H
    col = paper or _pick(rng, PAPERS)
    c.rect((sx0, sy0, sx1, sy1), 0, fill=col)
    if (sx0, sy0) != (0, 0):
        c.rect((sx0, sy0, sx1, sy1), 1, outline=(205, 205, 205))
    return c, (sx0, sy0, sx1, sy1)


def _paras(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def _certificate(rng: random.Random, *, kind: str, title: str, body: str, keep: Sequence[str],
                 issuers: Sequence[str], date_s: str, number_line: Optional[str], seal: bool,
                 fields: Optional[list[tuple[str, str]]] = None) -> Canvas:
    """A certificate: decorative frame, red (or dark) title, body text, issuer, date, seal."""
    landscape = rng.random() < 0.6
    c, sheet = _sheet(rng, landscape, kind)
    sx0, sy0, sx1, sy1 = sheet
    style = _pick(rng, ("double", "guilloche", "corners", "dots", "plain", "double"))
    color = _pick(rng, FRAME_COLORS)
    m = rng.uniform(28, 60)
    band = rng.uniform(38, 62) if style != "plain" else 20
    frame = (sx0 + m, sy0 + m, sx1 - m, sy1 - m)
    c.cert_border(frame, style, color, band)
    ix0, iy0, ix1, iy1 = frame[0] + band + 50, frame[1] + band + 40, frame[2] - band - 50, frame[3] - band - 40
    iw = ix1 - ix0
    y = iy0 + rng.uniform(20, 70)
    if rng.random() < 0.3:
        r = rng.uniform(55, 75)
        c.emblem(((ix0 + ix1) / 2, y + r), r, _pick(rng, ((200, 40, 40), (190, 150, 60))))
        y += 2 * r + 30
    tsize = rng.uniform(92, 128) if landscape else rng.uniform(100, 136)
    tsize = min(tsize, iw * 0.8 / max(1, len(title)) / 1.4)
    tracking = rng.uniform(0.25, 0.8) if len(title) <= 5 else rng.uniform(0.05, 0.3)
    tcolor = _pick(rng, (RED, RED, (200, 40, 40), (150, 110, 40), INK))
    c.text((ix0 + ix1) / 2, y, title, tsize, role="title", fill=tcolor, align="center", tracking=tracking)
    c.meta["title"] = strip_spaces(title)
    y += tsize + rng.uniform(50, 110)
    bsize = rng.uniform(44, 56) if landscape else rng.uniform(44, 52)
    # signature block height, to keep the body above it
    ns = len(issuers)
    maxlen = max([len(strip_spaces(n)) for n in issuers] + [len(date_s)])
    ssize = min(bsize, (0.4 if ns >= 2 else 0.55) * iw / max(1, maxlen))
    sig_h = (2 if ns >= 2 else ns + 1) * ssize * 1.7
    bottom = iy1 - sig_h - rng.uniform(30, 80)
    num_top = rng.random() < 0.4
    if number_line and num_top:
        c.text(ix1, iy0 - 10, number_line, rng.uniform(28, 34), align="right")
    side = rng.uniform(20, 110)
    bx0, bw = ix0 + side, iw - 2 * side
    role = "body" if rng.random() < 0.6 else "kai"
    leading = rng.uniform(1.75, 2.1)
    paras = _paras(body)
    fsize = bsize * 0.95
    # height of the body, to sit it in the free space between title and signatures
    h = 0.0
    for p in paras:
        indent = 0 if p.endswith("：") or p.endswith(":") else 2
        h += len(c.wrap(p, bw, bsize, role, keep=keep, first_indent=indent * bsize)) * bsize * leading
    if fields:
        h += len(fields) * fsize * 2.0
    free = bottom - y
    if free > h:
        y += (free - h) * rng.uniform(0.2, 0.45)
    for p in paras:
        indent = 0 if p.endswith("：") or p.endswith(":") else 2
        y = c.paragraph(bx0, y, bw, p, bsize, role=role, indent=indent, leading=leading, max_y=bottom, keep=keep)
    if fields:
        lw = max(c.measure(k, fsize) for k, _ in fields)
        fx = bx0 + rng.uniform(40, 160)
        tight = rng.random() < 0.5
        for k, v in fields:
            if y + fsize > bottom:
                break
            kb = c.text(fx, y, k, fsize)
            vx = (kb[2] + 6) if (tight and kb) else fx + lw + 12
            c.text(vx, y, v, fsize, join=True)
            y += fsize * 2.0
    # issuers and date
    sy = iy1 - sig_h
    if ns >= 2:
        # side by side, each with its seal; the date under them
        xs = [ix0 + iw * rng.uniform(0.26, 0.32), ix0 + iw * rng.uniform(0.7, 0.76)]
        for k, nm in enumerate(issuers[:2]):
            _sign_block(c, rng, x=xs[k], y=sy, names=[nm], date_s="", size=ssize,
                        seal="official" if seal else None)
        c.text(xs[1] if rng.random() < 0.6 else (xs[0] + xs[1]) / 2, sy + ssize * 1.7, date_s, ssize, align="center")
    else:
        sig_x = ix1 - rng.uniform(0.18, 0.26) * iw
        _sign_block(c, rng, x=sig_x, y=sy, names=list(issuers), date_s=date_s, size=ssize,
                    seal="official" if seal else None)
    if number_line and not num_top:
        c.text(ix0, iy1 - bsize * 0.8, number_line, rng.uniform(28, 34))
    c.meta["date_text"] = date_s
    c.meta["landscape"] = landscape
    return c


def _issuers(issuer: Union[str, Sequence[str]]) -> list[str]:
    if isinstance(issuer, str):
        return [s for s in re.split(r"[\n]|\s{2,}", issuer) if s.strip()] or [issuer]
    return [str(s) for s in issuer]


# ---------------------------------------------------------------------------------------
# certificates
# ---------------------------------------------------------------------------------------
def honor_certificate(rng: random.Random, *, holder: str, title: str, issuer: Union[str, Sequence[str]],
                      date: DateLike, number: Optional[str] = None, seal: bool = True,
                      date_style: Optional[str] = None, body: Optional[str] = None) -> RenderedPage:
    """荣誉证书: '授予 张三 同志 “开封市技术能手” 称号' with issuer, date and seal.
    ``body`` overrides the wording (placeholders {holder} {title} {year})."""
    w = wording()["honor"]
    date_s = _date_text(rng, date, CERT_DATES, date_style)
    text = (body or _pick(rng, w["bodies"])).format(holder=holder, title=title, year=_year_of(date))
    nl = (_pick(rng, w["number_labels"]) + str(number)) if number else None
    c = _certificate(rng, kind="honor_certificate", title=_pick(rng, w["titles"]), body=text,
                     keep=(holder, f"“{title}”", title), issuers=_issuers(issuer), date_s=date_s,
                     number_line=nl, seal=seal)
    return c.page()


def competition_award(rng: random.Random, *, holder: str, competition: str, rank: str,
                      issuer: Union[str, Sequence[str]], date: DateLike, seal: bool = True,
                      number: Optional[str] = None, date_style: Optional[str] = None) -> RenderedPage:
    """技能竞赛获奖证书 (一等奖 / 第二名 …)."""
    w = wording()["competition"]
    date_s = _date_text(rng, date, CERT_DATES, date_style)
    fields = None
    if rng.random() < 0.3:
        fl = w["form_labels"]
        text = ""
        fields = [(_pick(rng, fl["name"]), holder), (_pick(rng, fl["event"]), competition),
                  (_pick(rng, fl["rank"]), rank)]
    else:
        text = _pick(rng, w["bodies"]).format(holder=holder, competition=competition, rank=rank)
    nl = ("证书编号：" + str(number)) if number else None
    c = _certificate(rng, kind="competition_award", title=_pick(rng, w["titles"]), body=text,
                     keep=(holder, rank), issuers=_issuers(issuer), date_s=date_s, number_line=nl,
                     seal=seal, fields=fields)
    if fields:
        c.meta["fields"] = fields
    return c.page()


def innovation_award(rng: random.Random, *, holder: str, project: str, rank: str,
                     issuer: Union[str, Sequence[str]], date: DateLike, seal: bool = True,
                     award: Optional[str] = None, number: Optional[str] = None,
                     date_style: Optional[str] = None) -> RenderedPage:
    """技术创新成果奖 / 合理化建议奖 / 职工技术创新成果 certificate. ``award`` names the prize
    (default: picked from wording.yaml)."""
    w = wording()["innovation"]
    date_s = _date_text(rng, date, CERT_DATES, date_style)
    aw = award or _pick(rng, w["awards"])
    fields = None
    if rng.random() < 0.3:
        fl = w["form_labels"]
        text = ""
        fields = [(_pick(rng, fl["project"]), project), (_pick(rng, fl["rank"]), f"{aw}{rank}"),
                  (_pick(rng, fl["holder"]), holder)]
    else:
        text = _pick(rng, w["bodies"]).format(holder=holder, project=project, rank=rank, award=aw,
                                              year=_year_of(date))
    nl = ("编号：" + str(number)) if number else None
    c = _certificate(rng, kind="innovation_award", title=_pick(rng, w["titles"]), body=text,
                     keep=(holder, rank), issuers=_issuers(issuer), date_s=date_s, number_line=nl,
                     seal=seal, fields=fields)
    c.meta["award"] = aw
    return c.page()


def photo(rng: random.Random, *, kind: str = "work", size: Optional[tuple[int, int]] = None) -> Image.Image:
    """A synthetic photo-like image, no text: 'work' (a person at a machine) or 'id'
    (head and shoulders on a plain background, 413×579 = 2 inch at 300 dpi)."""
    nrng = np.random.default_rng(rng.getrandbits(63))
    if kind == "id":
        W, H = size or (413, 579)
        bg = _pick(rng, ((67, 142, 219), (255, 255, 255), (214, 40, 40), (90, 160, 230)))
        im = Image.new("RGB", (W, H), bg)
        d = ImageDraw.Draw(im)
        skin = (int(rng.uniform(215, 240)), int(rng.uniform(175, 200)), int(rng.uniform(150, 175)))
        cloth = _pick(rng, ((30, 35, 50), (40, 40, 45), (25, 45, 90)))
        cx = W / 2 + rng.uniform(-10, 10)
        d.ellipse([cx - W * 0.5, H * 0.72, cx + W * 0.5, H * 1.3], fill=cloth)
        d.polygon([(cx - W * 0.1, H * 0.72), (cx + W * 0.1, H * 0.72), (cx, H * 0.86)], fill=(245, 245, 245))
        d.rectangle([cx - W * 0.08, H * 0.55, cx + W * 0.08, H * 0.74], fill=skin)
        d.ellipse([cx - W * 0.2, H * 0.2, cx + W * 0.2, H * 0.62], fill=skin)
        d.chord([cx - W * 0.215, H * 0.15, cx + W * 0.215, H * 0.5], 180, 360, fill=(25, 22, 20))
        for ex in (-0.08, 0.08):
            d.ellipse([cx + W * ex - 9, H * 0.4 - 5, cx + W * ex + 9, H * 0.4 + 5], fill=(30, 25, 25))
        d.line([(cx - W * 0.05, H * 0.53), (cx + W * 0.05, H * 0.53)], fill=(160, 80, 80), width=4)
        arr = np.asarray(im.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float32)
        arr += nrng.normal(0, 3, arr.shape).astype(np.float32)
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    W, H = size or (1600, 1200)
    top = np.array([rng.uniform(120, 200), rng.uniform(130, 200), rng.uniform(140, 210)], dtype=np.float32)
    bot = np.array([rng.uniform(60, 110), rng.uniform(60, 110), rng.uniform(60, 110)], dtype=np.float32)
    t = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    arr = top[None, None, :] * (1 - t) + bot[None, None, :] * t
    arr = np.broadcast_to(arr, (H, W, 3)).copy()
    im = Image.fromarray(arr.astype(np.uint8))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randint(4, 9)):  # machines, cabinets, pipes
        x0 = rng.uniform(0, W * 0.9)
        y0 = rng.uniform(H * 0.2, H * 0.8)
        w = rng.uniform(W * 0.08, W * 0.35)
        h = rng.uniform(H * 0.1, H * 0.5)
        col = tuple(int(v) for v in (rng.uniform(40, 200), rng.uniform(60, 200), rng.uniform(60, 210)))
        if rng.random() < 0.7:
            d.rectangle([x0, y0, x0 + w, y0 + h], fill=col, outline=(30, 30, 30), width=3)
        else:
            d.ellipse([x0, y0, x0 + w * 0.6, y0 + w * 0.6], fill=col, outline=(30, 30, 30), width=3)
    d.rectangle([0, H * 0.85, W, H], fill=(int(rng.uniform(80, 130)),) * 3)
    px = rng.uniform(W * 0.3, W * 0.7)
    uni = _pick(rng, ((30, 60, 140), (230, 120, 30), (40, 90, 60), (60, 60, 70)))
    d.polygon([(px - 110, H * 0.92), (px + 110, H * 0.92), (px + 80, H * 0.45), (px - 80, H * 0.45)], fill=uni)
    d.ellipse([px - 55, H * 0.28, px + 55, H * 0.45], fill=(225, 185, 160))
    d.chord([px - 62, H * 0.25, px + 62, H * 0.38], 180, 360, fill=_pick(rng, ((240, 200, 30), (230, 230, 230), (200, 40, 40))))
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 2.2)))
    arr = np.asarray(im, dtype=np.float32)
    arr += nrng.normal(0, rng.uniform(3, 7), arr.shape).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


_make_photo = photo

_LEVEL_DIGIT = {"高级技师": "一级", "技师": "二级", "高级工": "三级", "中级工": "四级", "初级工": "五级"}


def skill_certificate(rng: random.Random, *, holder: str, gender: str, id_number: str, occupation: str,
                      level: str, number: str, issuer: str, date: DateLike, photo: bool = True,
                      variant: Optional[str] = None, date_style: Optional[str] = None) -> RenderedPage:
    """职业资格证书 (``variant='old'``) or 职业技能等级证书 ('new'); by default a number starting
    with a letter gives 'new'. Fields: 姓名 性别 身份证号 职业(工种) 等级 证书编号 发证机关 发证日期."""
    w = wording()["skill"]
    lab = w["labels"]
    var = variant or ("new" if re.match(r"^[A-Za-z]", str(number)) else "old")
    date_s = _date_text(rng, date, ("cn", "cn0", "cn", "dot0"), date_style)
    lw_opts = w["level_words"].get(level)
    if var == "new" and level in _LEVEL_DIGIT and rng.random() < 0.6:
        level_s = f"{_LEVEL_DIGIT[level]}/{level}"
    elif lw_opts and var == "old":
        level_s = _pick(rng, lw_opts)
    else:
        level_s = level
    title = _pick(rng, w["new_titles"] if var == "new" else w["old_titles"])
    pick = lambda k: _pick(rng, lab[k])  # noqa: E731
    labels = {"name": pick("name"), "gender": pick("gender"), "id": pick("id"),
              "occupation": pick("occupation"), "level": pick("level") if var == "old" else "职业技能等级",
              "number": pick("number"), "issuer": pick("issuer") if var == "old" else "评价机构",
              "date": pick("date")}
    landscape = var == "old" or rng.random() < 0.5
    c, sheet = _sheet(rng, landscape, "skill_certificate", inset_p=0.5,
                      paper=_pick(rng, ((255, 255, 255), (250, 248, 240), (246, 250, 246), (248, 246, 252))))
    sx0, sy0, sx1, sy1 = sheet
    color = _pick(rng, ((30, 80, 150), (178, 38, 40), (40, 110, 80), (160, 118, 48)))
    c.cert_border((sx0 + 40, sy0 + 40, sx1 - 40, sy1 - 40), _pick(rng, ("double", "plain", "guilloche")), color,
                  rng.uniform(28, 40))
    seal_at = None
    if var == "old":
        # an inner booklet spread: left page photo + identity, right page occupation + issuer
        size = rng.uniform(40, 46)
        mid = (sx0 + sx1) / 2
        c.line(mid, sy0 + 90, mid, sy1 - 90, 1, (185, 185, 185))
        lx0 = sx0 + rng.uniform(120, 170)
        rx0 = mid + rng.uniform(80, 130)
        top, bot = sy0 + rng.uniform(130, 180), sy1 - rng.uniform(150, 200)
        y = top
        c.text((sx0 + mid) / 2, y, title, rng.uniform(60, 72), role="title", fill=color, align="center",
               tracking=0.2)
        y += 130
        ph_box = (lx0, y, lx0 + 280, y + 390)
        if photo:
            c.paste_photo(ph_box, _make_photo(rng, kind="id"))
        else:
            c.rect(ph_box, 2, (150, 150, 150))
        fx = lx0 + 330
        yy = y + 30
        for k, v in (("name", holder), ("gender", gender)):
            c.text(fx, yy, labels[k], size)
            c.text(fx + c.measure(labels[k], size) + 30, yy, v, size, role="hand" if rng.random() < 0.2 else "body",
                   join=True)
            yy += size * 2.6
        y = ph_box[3] + 70
        step = max(size * 1.5, min(size * 2.2, (bot - y - 4 * size) / 3))
        for k, v in (("id", id_number), ("number", str(number))):
            c.text(lx0, y, labels[k], size)
            y += step
            c.text(lx0, y, v, size)
            y += step * 1.3
        rows = [("occupation", occupation, True), ("level", level_s, True)]
        extra = rng.random() < 0.5
        y = top + 40
        n_units = 2 * 2 + (2 if extra else 0) + 3
        step = max(size * 1.5, min(size * 2.6, (bot - y) / n_units))
        for k, v, _ in rows:
            c.text(rx0, y, labels[k], size)
            y += step
            c.text(rx0 + 40, y, v, size * 1.1, role="bold")
            y += step
        if extra:
            c.text(rx0, y, "理论知识考试成绩：" + str(rng.randint(70, 95)), size * 0.9)
            y += step
            c.text(rx0, y, "操作技能考核成绩：" + str(rng.randint(75, 98)), size * 0.9)
            y += step
        c.text(rx0, y, labels["issuer"] + "：", size)
        y += step
        ib = c.text(rx0 + 40, y, issuer, size)
        y += step
        db = c.text(rx0, y, labels["date"] + "：" + date_s, size)
        if ib and db:
            seal_at = ((ib[0] + ib[2]) / 2 + rng.uniform(-40, 60), (ib[1] + db[3]) / 2)
        c.text((mid + sx1) / 2, sy1 - 120, "中华人民共和国人力资源和社会保障部监制", 28, align="center",
               fill=(90, 90, 90))
    else:
        size = rng.uniform(40, 46)
        y = sy0 + rng.uniform(140, 200)
        c.text((sx0 + sx1) / 2, y, title, rng.uniform(76, 92), role="title", fill=color, align="center",
               tracking=rng.uniform(0.1, 0.35))
        y += 170
        pw, ph = 260, 350
        ph_box = (sx1 - 170 - pw, y, sx1 - 170, y + ph)
        if photo:
            c.paste_photo(ph_box, _make_photo(rng, kind="id"))
        fx = sx0 + rng.uniform(150, 230)
        lab_w = max(c.measure(labels[k] + "：", size) for k in labels)
        rows = [("name", holder), ("gender", gender), ("id", id_number), ("occupation", occupation),
                ("level", level_s), ("number", str(number)), ("issuer", issuer), ("date", date_s)]
        step = max(size * 1.7, min(size * 2.6, (sy1 - 200 - y) / len(rows)))
        tight = rng.random() < 0.4
        boxes = {}
        for k, v in rows:
            kb = c.text(fx, y, labels[k] + "：", size)
            vx = kb[2] + 4 if (tight and kb) else fx + lab_w + 10
            boxes[k] = c.text(vx, y, v, size, role="bold" if k in ("level", "occupation") else "body", join=True)
            y += step
        if boxes.get("issuer"):
            ib = boxes["issuer"]
            seal_at = ((ib[0] + ib[2]) / 2 + rng.uniform(0, 120), ib[1] + rng.uniform(-10, 40))
        c.qr((sx1 - 170 - 220, sy1 - 150 - 220, sx1 - 170, sy1 - 150))
    if seal_at:
        draw_seal(c, rng, center=seal_at, ring_text=issuer, center_text="★", kind="official")
    c.meta.update(variant=var, level_text=level_s, date_text=date_s)
    return c.page()


def patent_certificate(rng: random.Random, *, number: str, ptype: str, title: str, inventors: Sequence[str],
                       patentee: str, filed: DateLike, granted: DateLike, cert_no: Union[str, int],
                       number_style: Optional[str] = None, date_style: Optional[str] = None,
                       address: Optional[str] = None) -> RenderedPage:
    """发明 / 实用新型 / 外观设计专利证书 (``ptype`` invention | utility | design) with 证书号,
    名称, 发明人/设计人, 专利号 (written in one of :data:`PATENT_STYLES`), 申请日, 专利权人,
    授权公告日, the standard wording, and the seal of 国家知识产权局."""
    w = wording()["patent"]
    if ptype not in ("invention", "utility", "design"):
        raise ValueError(f"ptype must be invention|utility|design, not {ptype!r}")
    nstyle = number_style or _pick(rng, PATENT_STYLES)
    num_s = format_patent_number(number, nstyle)
    ds = date_style or _pick(rng, ("cn0", "cn0", "cn"))
    filed_s = _date_text(rng, filed, (ds,))
    granted_s = _date_text(rng, granted, (ds,))
    cert = str(cert_no)
    cert_s = cert if cert.startswith("第") else f"第{cert}号"
    c, sheet = _sheet(rng, False, "patent_certificate", inset_p=0.35,
                      paper=_pick(rng, ((255, 255, 255), (252, 250, 244), (250, 248, 240))))
    sx0, sy0, sx1, sy1 = sheet
    W = sx1 - sx0
    gold = _pick(rng, ((176, 140, 60), (160, 120, 50), (190, 150, 70)))
    frame = (sx0 + 50, sy0 + 50, sx1 - 50, sy1 - 50)
    c.cert_border(frame, _pick(rng, ("guilloche", "double", "guilloche")), gold, rng.uniform(36, 48))
    cx = (sx0 + sx1) / 2
    y = sy0 + rng.uniform(150, 190)
    if rng.random() < 0.75:
        c.emblem((cx, y + 70), 70, (200, 40, 40))
        y += 170
    tsize = rng.uniform(76, 92)
    c.text(cx, y, w["titles"][ptype], tsize, role="title", fill=INK if rng.random() < 0.6 else (120, 30, 30),
           align="center", tracking=rng.uniform(0.05, 0.25))
    y += tsize + 55
    csize = rng.uniform(34, 40)
    c.text(cx, y, "证书号" + cert_s, csize, align="center")
    if rng.random() < 0.6:
        c.barcode((sx1 - 420, sy0 + 120, sx1 - 140, sy0 + 170))
    y += csize + 80
    size = rng.uniform(34, 39)
    x0 = sx0 + rng.uniform(150, 210)
    x1 = sx1 - rng.uniform(150, 210)
    sep = _pick(rng, ("；", "、", "，", " "))
    people = sep.join(inventors) if sep != " " else " ".join(inventors)
    rows = [(w["name_labels"][ptype], title), (w["person_labels"][ptype], people), ("专利号", num_s),
            ("专利申请日", filed_s), ("专利权人", patentee)]
    if address or rng.random() < 0.4:
        rows.append(("地址", address or "河南省开封市" + _pick(rng, ("鼓楼区", "龙亭区", "禹王台区", "顺河回族区",
                                                                 "祥符区", "示范区")) + "某某路" + str(rng.randint(1, 199)) + "号"))
    rows.append(("授权公告日", granted_s))
    spaced = rng.random() < 0.5
    lab_w = max(c.measure(k, size) for k, _ in rows)
    for k, v in rows:
        if spaced:
            # labels spread to one width, colons aligned, values aligned
            tr = (lab_w - c.measure(k, size)) / max(1, len(k) - 1) / size if len(k) > 1 else 0.0
            c.text(x0, y, k, size, tracking=tr)
            kx = x0 + lab_w
        else:
            b = c.text(x0, y, k, size)
            kx = b[2] + 2 if b else x0 + c.measure(k, size)
        c.text(kx, y, "：", size, join=True)
        vx = (x0 + lab_w + size + 4) if spaced else (kx + size * 0.9)
        lines = c.wrap(v, x1 - vx, size, keep=tuple(inventors))
        for j, ln in enumerate(lines[:3]):
            c.text(vx, y, ln, size, join=(j == 0), join_gap=1.3)
            y += size * 1.6
        y += size * 0.45
    y += 30
    bsize = size * 0.92
    y = c.paragraph(x0, y, x1 - x0, w["boilerplate"][ptype].format(
        term="十五" if (as_date(filed)[0] or date(2000, 1, 1)) >= date(2021, 6, 1) else "十"), bsize, leading=1.65)
    y += 10
    y = c.paragraph(x0, y, x1 - x0, w["register"], bsize, leading=1.65)
    y = max(y + 60, sy1 - 420)
    c.text(cx + 120, y, "局长", size)
    sig = c.text(cx + 120 + size * 2.8, y - 10, "申长雨", size * 1.4, role="hand", angle=rng.uniform(-4, 4))
    if sig:
        draw_seal(c, rng, center=(sig[2] + rng.uniform(20, 80), (sig[1] + sig[3]) / 2 + rng.uniform(-30, 30)),
                  ring_text="中华人民共和国国家知识产权局", center_text="★", kind="official")
    c.text(cx, sy1 - 150, "第1页（共" + str(rng.choice((1, 2))) + "页）", size * 0.7, align="center",
           fill=(80, 80, 80))
    c.meta.update(number_text=num_s, number_style=nstyle, filed_text=filed_s, granted_text=granted_s)
    return c.page()


def benefit_statement(rng: random.Random, *, unit: str, project: str, person: str, year: Union[int, str],
                      created_yuan, saved_yuan, date: DateLike, capitals: Optional[str] = None,
                      seal: Optional[str] = "finance", seal_unit: Optional[str] = None,
                      in_wanyuan: Optional[bool] = None, saved_capitals: Optional[str] = None,
                      date_style: Optional[str] = None, layout: Optional[str] = None) -> RenderedPage:
    """经济效益证明: project, person credited, year, amounts in figures and in capitals.

    ``capitals`` replaces the capital text of the first amount written (the created amount, or
    the saved amount when nothing was created) to plant V14; ``saved_capitals`` that of the saved
    amount. ``seal``: 'finance' (ring = seal_unit or unit, centre 财务专用章), 'official' (公章) or
    None. ``in_wanyuan`` writes figures in 万元. ``layout``: 'letter' or 'table'."""
    w = wording()["benefit"]
    cy_ = Decimal(str(created_yuan or 0))
    sv_ = Decimal(str(saved_yuan or 0))
    wan = in_wanyuan if in_wanyuan is not None else rng.random() < 0.3
    ast = rng.randrange(3) if not wan else rng.randrange(2)
    pre = "人民币" if rng.random() < 0.7 else ""
    date_s = _date_text(rng, date, LETTER_DATES, date_style)
    lay = layout or ("table" if rng.random() < 0.3 else "letter")
    c = Canvas.a4(rng, kind="benefit_statement")
    W, H = c.W, c.H
    L = rng.uniform(150, 210)
    R = W - rng.uniform(150, 210)
    y = rng.uniform(140, 220)
    if rng.random() < 0.4:  # letterhead
        c.text(W / 2, y, unit, rng.uniform(52, 64), role="title", fill=RED, align="center", tracking=0.05)
        y += 100
        c.line(L - 30, y, R + 30, y, 4, RED)
        y += 70
    title = _pick(rng, w["titles"]).format(project=project)
    tsize = rng.uniform(50, 60)
    for ln in c.wrap(title, R - L, tsize, "bold"):
        c.text(W / 2, y, ln, tsize, role="bold", align="center", tracking=0.1 if len(ln) < 8 else 0.0)
        y += tsize * 1.5
    y += 40
    size = rng.uniform(34, 38)
    first_caps_used = False
    amounts = []
    if cy_ or not sv_:
        caps = capitals if capitals is not None else amount_in_capitals(cy_, pre)
        first_caps_used = True
        amounts.append(("created", _fmt_amount(rng, cy_, wan, ast), caps))
    if sv_:
        if capitals is not None and not first_caps_used:
            caps = capitals
        else:
            caps = saved_capitals if saved_capitals is not None else amount_in_capitals(sv_, pre)
        amounts.append(("saved", _fmt_amount(rng, sv_, wan, ast), caps))
    keep = (person, project)
    if lay == "letter":
        intro = _pick(rng, w["intros"]).format(person=person, project=project, year=year, unit=unit)
        y = c.paragraph(L, y, R - L, intro, size, leading=1.9, keep=keep)
        for kind_, amt, caps in amounts:
            tmpl = _pick(rng, w["created"] if kind_ == "created" else w["saved"])
            y = c.paragraph(L, y, R - L, tmpl.format(amount=amt, caps=caps), size, leading=1.9,
                            keep=(amt, caps))
        y = c.paragraph(L, y, R - L, _pick(rng, w["closings"]), size, leading=1.9)
    else:
        intro = f"兹证明{person}同志主持的“{project}”项目{year}年度经济效益如下："
        y = c.paragraph(L, y, R - L, intro, size, leading=1.9, keep=keep)
        y += 20
        unit_w = "万元" if wan else "元"
        tw = R - L
        widths = [tw * 0.3, tw * 0.14, tw * 0.28, tw * 0.28]
        hdr = ["项目名称", "年度", f"创效（{unit_w}）", f"节资（{unit_w}）"]
        rh = 90
        x = L
        for k, hd in enumerate(hdr):
            _cell(c, (x, y, x + widths[k], y + rh), hd, size * 0.85, role="bold")
            x += widths[k]
        y += rh
        vals = [project, str(year),
                next((a[1].replace(unit_w, "") for a in amounts if a[0] == "created"), "0"),
                next((a[1].replace(unit_w, "") for a in amounts if a[0] == "saved"), "0")]
        x = L
        rh2 = 130
        for k, v in enumerate(vals):
            _cell(c, (x, y, x + widths[k], y + rh2), v, size * 0.85)
            x += widths[k]
        y += rh2 + 40
        for kind_, amt, caps in amounts:
            lab = "创效金额（大写）：" if kind_ == "created" else "节资金额（大写）："
            y = c.paragraph(L, y, R - L, lab + caps, size, indent=0, leading=1.8, keep=(caps,))
        y = c.paragraph(L, y + 10, R - L, "特此证明。", size, leading=1.8)
    y += rng.uniform(60, 160)
    if rng.random() < 0.5:
        c.text(L, y, "财务负责人：", size)
        _hand_sign(c, rng, L + c.measure("财务负责人：", size), y, _pick(rng, ("李红", "王建华", "张丽", "刘敏", "赵勇")),
                   size)
        y += size * 2.2
    sx = R - rng.uniform(180, 300)
    _sign_block(c, rng, x=sx, y=y + rng.uniform(60, 200), names=[unit], date_s=date_s, size=size, seal=seal,
                seal_unit=seal_unit or unit)
    c.meta.update(date_text=date_s, in_wanyuan=wan, amounts=[(k, a, cp) for k, a, cp in amounts], layout=lay)
    return c.page()


def _hand_sign(c: Canvas, rng: random.Random, x: float, y: float, name: str, size: float) -> None:
    """A handwritten signature (kai font, blue-black, tilted) starting about x, well clear of
    the printed label before it (a separate text line)."""
    c.text(x + size * rng.uniform(2.5, 3.5), y - size * 0.15, name, size * rng.uniform(1.15, 1.4), role="hand",
           fill=BLUE_INK, angle=rng.uniform(-5, 5))


def apprentice_agreement(rng: random.Random, *, master: str, apprentice: str, unit: str, start: DateLike,
                         end: DateLike, sign_date: DateLike, signed: bool = True, seal: bool = True,
                         date_style: Optional[str] = None) -> RenderedPage:
    """师带徒协议 / 师徒协议书 / 导师带徒协议: 甲方(师傅), 乙方(徒弟), period 自…至…, clauses,
    signatures (handwritten, when ``signed``), unit seal, date."""
    w = wording()["apprentice"]
    st = date_style or _pick(rng, LETTER_DATES)
    start_s = _date_text(rng, start, (st,))
    end_s = _date_text(rng, end, (st,))
    sign_s = _date_text(rng, sign_date, (st,))
    c = Canvas.a4(rng, kind="apprentice_agreement")
    W, H = c.W, c.H
    L = rng.uniform(150, 200)
    R = W - rng.uniform(150, 200)
    y = rng.uniform(150, 230)
    title = _pick(rng, w["titles"])
    tsize = rng.uniform(54, 66)
    c.text(W / 2, y, title, tsize, role="bold", align="center", tracking=rng.uniform(0.1, 0.5))
    y += tsize + 80
    size = rng.uniform(33, 37)
    pa, pb = _pick(rng, w["parties"])
    for lab, nm in ((pa, master), (pb, apprentice)):
        c.text(L, y, lab + nm, size)
        y += size * 1.9
    if rng.random() < 0.6:
        c.text(L, y, "单位：" + unit, size)
        y += size * 1.9
    y += 20
    y = c.paragraph(L, y, R - L, _pick(rng, w["intro"]).format(unit=unit), size, leading=1.85)
    y = c.paragraph(L, y, R - L, _pick(rng, w["periods"]).format(start=start_s, end=end_s), size, leading=1.85,
                    indent=0, keep=(start_s, end_s))
    for cl in w["clauses"]:
        if y > H * 0.66:
            break
        y = c.paragraph(L, y, R - L, cl, size, leading=1.85, indent=0, max_y=H * 0.7)
    y = max(y + 70, H * 0.72)
    col2 = L + (R - L) * 0.52
    la = "甲方（签字）：" if "甲" in pa else "师傅（签字）："
    lb = "乙方（签字）：" if "乙" in pb else "徒弟（签字）："
    c.text(L, y, la, size)
    c.text(col2, y, lb, size)
    if signed:
        _hand_sign(c, rng, L + c.measure(la, size) + 10, y, master, size)
        _hand_sign(c, rng, col2 + c.measure(lb, size) + 10, y, apprentice, size)
    y += size * 3
    ub = c.text(L, y, "单位（盖章）：", size)
    y += size * 3
    c.text(L, y, "签订日期：" + sign_s, size)
    if seal and ub:
        draw_seal(c, rng, center=(ub[2] + rng.uniform(80, 200), ub[1] + rng.uniform(0, 60)), ring_text=unit,
                  center_text="★", kind="official")
    c.meta.update(start_text=start_s, end_text=end_s, sign_text=sign_s)
    return c.page()


def training_list(rng: random.Random, *, unit: str, rows: Sequence[Sequence[str]], title: Optional[str] = None,
                  seal: bool = True, date: DateLike = None, date_style: Optional[str] = None) -> RenderedPage:
    """培训/技能提升人员名单: 序号 姓名 晋升等级 晋升时间 (a 4th element per row adds 获得荣誉).
    Rows that do not fit on the page are left out (``meta['rows_drawn']``)."""
    w = wording()["training"]
    hd = w["headers"]
    c = Canvas.a4(rng, kind="training_list")
    W, H = c.W, c.H
    L = rng.uniform(120, 180)
    R = W - rng.uniform(120, 180)
    y = rng.uniform(150, 220)
    t = title or _pick(rng, w["titles"])
    tsize = rng.uniform(48, 58)
    for ln in c.wrap(t, R - L, tsize, "bold"):
        c.text(W / 2, y, ln, tsize, role="bold", align="center")
        y += tsize * 1.5
    y += 20
    size = rng.uniform(30, 34)
    c.text(L, y, "单位：" + unit, size)
    y += size * 2.2
    honor = any(len(r) > 3 and r[3] for r in rows)
    tw = R - L
    if honor:
        widths = [tw * 0.09, tw * 0.17, tw * 0.2, tw * 0.2, tw * 0.34]
        header = ["序号", _pick(rng, hd["name"]), _pick(rng, hd["level"]), _pick(rng, hd["time"]), _pick(rng, hd["honor"])]
    else:
        widths = [tw * 0.12, tw * 0.26, tw * 0.31, tw * 0.31]
        header = ["序号", _pick(rng, hd["name"]), _pick(rng, hd["level"]), _pick(rng, hd["time"])]
    rh = rng.uniform(62, 72)
    bottom = H - 460
    x = L
    for k, h_ in enumerate(header):
        _cell(c, (x, y, x + widths[k], y + rh), h_, size, role="bold")
        x += widths[k]
    y += rh
    n_fit = int((bottom - y) // rh)
    if len(rows) > n_fit:
        rh = max(50.0, (bottom - y) / max(1, len(rows)))
        n_fit = int((bottom - y) // rh)
    drawn = 0
    for i, r in enumerate(rows[:n_fit]):
        vals = [str(i + 1)] + [str(v) for v in r[:3]] + ([str(r[3]) if len(r) > 3 else ""] if honor else [])
        x = L
        for k, v in enumerate(vals):
            _cell(c, (x, y, x + widths[k], y + rh), v, min(size, rh * 0.48), min_size=22)
            x += widths[k]
        y += rh
        drawn += 1
    y += rng.uniform(170, 230)  # clear of the table: the seal sits on the unit's name below it
    date_s = _date_text(rng, date, LETTER_DATES, date_style) if date else ""
    _sign_block(c, rng, x=R - 260, y=y, names=[unit], date_s=date_s, size=size, seal="official" if seal else None)
    c.meta.update(rows_drawn=drawn, date_text=date_s)
    return c.page()


def media_clipping(rng: random.Random, *, outlet: str, level: str, date: DateLike, person: str, headline: str,
                   body: str, page_no: Optional[int] = None, style: Optional[str] = None,
                   date_style: Optional[str] = None) -> RenderedPage:
    """A newspaper clipping (masthead, date line, headline, byline, column text) pasted on a
    sheet; ``style='web'`` draws a printed web page instead. ``level`` is kept in meta."""
    w = wording()["media"]
    st = style or ("web" if rng.random() < 0.25 else "paper")
    d, _ = as_date(date)
    date_s = _date_text(rng, date, ("cn",), date_style)
    wk = "星期" + "一二三四五六日"[d.weekday()] if d else ""
    reporter = _pick(rng, w["reporters"])
    byline = _pick(rng, w["bylines"]).format(reporter=reporter)
    c = Canvas.a4(rng, kind="media_clipping")
    W, H = c.W, c.H
    if st == "web":
        L, R = 120, W - 120
        y = 110
        bar = _pick(rng, ((180, 30, 30), (20, 70, 150), (30, 110, 160)))
        c.rect((L - 20, y, R + 20, y + 130), 0, fill=bar)
        c.text(L + 20, y + 65, outlet, 56, role="bold", fill=(255, 255, 255), valign="middle")
        y += 200
        hs = 50
        for ln in c.wrap(headline, R - L, hs, "bold"):
            c.text((L + R) / 2, y, ln, hs, role="bold", align="center")
            y += hs * 1.5
        y += 20
        meta_s = f"来源：{outlet}　　发布时间：{fmt_date(d, 'dash') if d else date_s}"
        c.text((L + R) / 2, y, meta_s, 28, align="center", fill=(110, 110, 110))
        y += 70
        c.line(L, y, R, y, 2, (200, 200, 200))
        y += 50
        c.text(L, y, byline, 32)
        y += 70
        c.paragraph(L, y, R - L, body, 34, leading=1.8, max_y=H - 150, keep=(person,))
    else:
        # the clipping: newsprint on a white sheet
        cx0, cy0 = rng.uniform(90, 160), rng.uniform(100, 180)
        cx1, cy1 = W - rng.uniform(90, 160), H - rng.uniform(120, 260)
        news = (int(rng.uniform(232, 242)), int(rng.uniform(229, 238)), int(rng.uniform(215, 228)))
        c.rect((cx0 + 6, cy0 + 6, cx1 + 6, cy1 + 6), 0, fill=(200, 200, 200))
        c.rect((cx0, cy0, cx1, cy1), 0, fill=news)
        L, R = cx0 + 50, cx1 - 50
        y = cy0 + 50
        red_mast = rng.random() < 0.6
        c.text(L, y, outlet, rng.uniform(84, 104), role="title", fill=RED if red_mast else INK,
               tracking=rng.uniform(0.05, 0.2))
        pn = page_no or rng.randint(1, 8)
        c.text(R, y + 10, date_s, 28, align="right")
        c.text(R, y + 56, f"{wk}　第{pn}版", 28, align="right")
        y += 140
        c.line(L, y, R, y, 4, INK)
        c.line(L, y + 8, R, y + 8, 1, INK)
        y += 50
        hs = rng.uniform(54, 66)
        for ln in c.wrap(headline, R - L, hs, "bold"):
            c.text((L + R) / 2, y, ln, hs, role="bold", align="center")
            y += hs * 1.45
        y += 15
        c.text((L + R) / 2, y, byline, 30, align="center")
        y += 80
        ncol = 2 if rng.random() < 0.6 else 3
        gap = 44
        cw = (R - L - gap * (ncol - 1)) / ncol
        size = 30 if ncol == 2 else 28
        step = size * 1.55
        img_h = 0
        if rng.random() < 0.5:  # a photo on top of the first column(s)
            img_h = rng.uniform(330, 460)
            span = cw * (2 if ncol == 3 else 1) + (gap if ncol == 3 else 0)
            c.paste_photo((L, y, L + span, y + img_h), photo(rng, kind="work", size=(800, 560)))
        lines: list[tuple[str, float]] = []
        for para in _paras(body):
            for j, ln in enumerate(c.wrap(para, cw, size, first_indent=2 * size)):
                lines.append((ln, 2 * size if j == 0 else 0.0))
        li = 0
        for col in range(ncol):
            x = L + col * (cw + gap)
            yy = y + (img_h + 30 if img_h and (col == 0 or (ncol == 3 and col == 1)) else 0)
            while li < len(lines) and yy + size < cy1 - 50:
                ln, ind = lines[li]
                c.text(x + ind, yy, ln, size)
                yy += step
                li += 1
            if col < ncol - 1:
                c.line(x + cw + gap / 2, y, x + cw + gap / 2, cy1 - 60, 1, (120, 120, 120))
    c.meta.update(style=st, level=level, date_text=date_s, outlet=outlet)
    return c.page()


_STD_WORDS = {"standard": "行业标准", "行业标准": "行业标准", "enterprise_standard": "企业标准",
              "企业标准": "企业标准", "method": "工作法", "工作法": "工作法", "procedure": "操作规程",
              "操作规程": "操作规程", "操作规范": "操作规程"}


def standard_doc(rng: random.Random, *, title: str, kind: str, number: str, author: str, date: DateLike,
                 adoption_unit: Optional[str] = None, issuer: Optional[str] = None,
                 adoption_date: DateLike = None, date_style: Optional[str] = None) -> RenderedPage:
    """Cover of an industry / enterprise standard, a 工作法 or an 操作规程 (``kind``: standard,
    enterprise_standard, method, procedure). With ``adoption_unit`` the copy carries a stamped
    note that the unit adopted it (推广应用), with that unit's seal."""
    word = _STD_WORDS.get(kind)
    if word is None:
        k = str(kind).lower()
        word = ("工作法" if "method" in k or "工作法" in k else "操作规程" if "proc" in k or "规程" in k or "规范" in k
                else "企业标准" if "enterprise" in k or "企业" in k else "行业标准")
    kind_key = {"行业标准": "standard", "企业标准": "enterprise_standard", "工作法": "method",
                "操作规程": "procedure"}[word]
    d, _ = as_date(date)
    c = Canvas.a4(rng, kind="standard_doc")
    W, H = c.W, c.H
    L, R = rng.uniform(150, 200), W - rng.uniform(150, 200)
    y = rng.uniform(140, 200)
    date_s = _date_text(rng, date, ("dash",) if kind_key in ("standard", "enterprise_standard") else LETTER_DATES,
                        date_style)
    if kind_key in ("standard", "enterprise_standard"):
        c.text(L, y, f"ICS {rng.randint(1, 97):02d}.{rng.randint(10, 200):03d}", 30, role="sans")
        c.text(L, y + 50, f"{_pick(rng, 'JKLN')} {rng.randint(1, 99):02d}", 30, role="sans")
        code = re.match(r"[A-Z]+", str(number))
        if code:
            c.text(R, y, code.group(0), 110, role="bold", align="right")
        y += 190
        if kind_key == "standard":
            org = _pick(rng, ("中华人民共和国机械行业标准", "中华人民共和国化工行业标准", "中华人民共和国电力行业标准",
                              "中华人民共和国轻工行业标准"))
        else:
            org = (issuer or author.split("、")[0]) + "企业标准" if issuer else "企业标准"
        c.text(W / 2, y, org, rng.uniform(54, 64), role="bold", align="center", tracking=0.1)
        y += 110
        c.text(R, y, str(number), 34, role="sans", align="right")
        y += 60
        c.line(L, y, R, y, 3)
        y += 300
        ts = rng.uniform(62, 72)
        for ln in c.wrap(title, R - L, ts, "bold"):
            c.text(W / 2, y, ln, ts, role="bold", align="center")
            y += ts * 1.5
        y += 80
        c.text(W / 2, y, "主要起草人：" + author, 34, align="center")
        yb = H - 430
        if d:
            impl = d + timedelta(days=rng.choice((30, 60, 90)))
            c.text(L, yb, f"{fmt_date(d, 'dash')}发布", 36, role="sans")
            c.text(R, yb, f"{fmt_date(impl, 'dash')}实施", 36, role="sans", align="right")
        else:
            c.text(L, yb, f"{date_s}发布", 36, role="sans")
        c.line(L, yb + 70, R, yb + 70, 3)
        c.text(W / 2, yb + 120, (issuer or ("中华人民共和国工业和信息化部" if kind_key == "standard" else author)) + "　发布",
               44, role="bold", align="center")
    else:
        y += 200
        ts = rng.uniform(70, 84)
        for ln in c.wrap(title, R - L, ts, "title"):
            c.text(W / 2, y, ln, ts, role="title", align="center", tracking=0.05)
            y += ts * 1.45
        y += 40
        if kind_key == "method" and word not in title:
            c.text(W / 2, y, f"——{author}{word}", 44, align="center")
            y += 100
        y += 200
        size = 38
        rows = [("编号：", str(number)), ("编制人：" if kind_key == "procedure" else "总结人：", author)]
        if issuer:
            rows.append(("单位：", issuer))
        rows.append(("日期：", date_s))
        x = W / 2 - 300
        for k, v in rows:
            c.text(x, y, k + v, size)
            y += size * 2.2
    if adoption_unit:
        ad_s = _date_text(rng, adoption_date or date, LETTER_DATES)
        bx0, by0 = W * 0.42, H - 380 if kind_key not in ("standard", "enterprise_standard") else H * 0.52
        bx1, by1 = W - 140, by0 + 300
        if rng.random() < 0.6:
            c.rect((bx0, by0, bx1, by1), 2, (40, 40, 40))
        note = _pick(rng, wording()["standard"]["adoption"]).format(word=word)
        yy = c.paragraph(bx0 + 30, by0 + 30, bx1 - bx0 - 60, note, 32, role="hand", fill=BLUE_INK, indent=0,
                         leading=1.6, justify=False)
        _sign_block(c, rng, x=(bx0 + bx1) / 2 + 60, y=yy + 10, names=[adoption_unit], date_s=ad_s, size=30,
                    seal="official")
    c.meta.update(word=word, date_text=date_s)
    return c.page()


def catalog(rng: random.Random, *, person: str, items: Sequence[Sequence[str]], title: Optional[str] = None
            ) -> RenderedPage:
    """证明材料目录: 序号, 材料名称, 页码 (items are (name, pages)). Items past the page are left
    out (``meta['rows_drawn']``)."""
    w = wording()["catalog"]
    c = Canvas.a4(rng, kind="catalog")
    W, H = c.W, c.H
    L, R = rng.uniform(130, 180), W - rng.uniform(130, 180)
    y = rng.uniform(150, 220)
    t = title or _pick(rng, w["titles"])
    ts = rng.uniform(52, 62)
    c.text(W / 2, y, t, ts, role="bold", align="center", tracking=0.3 if len(strip_spaces(t)) <= 4 else 0.05)
    y += ts + 40
    size = rng.uniform(30, 34)
    c.text(W / 2, y, _pick(rng, ("推荐人选：", "姓名：", "")) + person, size, align="center")
    y += size * 2.4
    tw = R - L
    widths = [tw * 0.12, tw * 0.68, tw * 0.2]
    hd = w["headers"]
    hdr = [_pick(rng, hd["seq"]), _pick(rng, hd["name"]), _pick(rng, hd["page"])]
    rh = rng.uniform(64, 76)
    x = L
    for k, h_ in enumerate(hdr):
        _cell(c, (x, y, x + widths[k], y + rh), h_, size, role="bold")
        x += widths[k]
    y += rh
    bottom = H - 140
    if len(items) * rh > bottom - y:
        rh = max(52.0, (bottom - y) / max(1, len(items)))
    drawn = 0
    left_align = rng.random() < 0.6
    for i, it in enumerate(items):
        if y + rh > bottom:
            break
        vals = [str(i + 1), str(it[0]), str(it[1]) if len(it) > 1 else ""]
        x = L
        for k, v in enumerate(vals):
            _cell(c, (x, y, x + widths[k], y + rh), v, min(size, rh * 0.5),
                  align="left" if (k == 1 and left_align) else "center", pad=14)
            x += widths[k]
        y += rh
        drawn += 1
    c.meta.update(rows_drawn=drawn)
    return c.page()


# ---------------------------------------------------------------------------------------
# attachment 1: the approval form
# ---------------------------------------------------------------------------------------
_OPINION_LABELS = {
    "unit_union": [["所在单位", "工会意见"], ["所在", "单位", "工会", "意见"], ["所在单位工会意见"]],
    "unit_hr": [["所在单位", "人力资源", "部门意见"], ["所在单位人", "力资源部门", "意见"]],
    "county_union": [["各县(区)", "总工会(各", "产业工会、", "市直机关", "工会)意见"],
                     ["县(区)总工会", "(产业工会、", "市直机关工会)", "意见"]],
    "county_hr": [["各县(区)", "人力资源", "社会保障", "部门意见"], ["县(区)人力", "资源社会保障", "部门意见"]],
    "city_union": [["市总工会", "意见"], ["市总", "工会", "意见"]],
    "city_hr": [["市人力资源", "社会保障局", "意见"], ["市人力", "资源社会", "保障局", "意见"]],
}


def _opinion_seal_unit(key: str, values: dict) -> str:
    emp = values.get("employer") or "推荐单位"
    unit = values.get("unit") or "开封市总工会"
    if key == "unit_union":
        return emp + "工会委员会"
    if key == "unit_hr":
        return emp
    if key == "county_union":
        return unit
    if key == "county_hr":
        if "总工会" in unit:
            return unit.replace("总工会", "人力资源和社会保障局")
        return unit
    if key == "city_union":
        return "开封市总工会"
    return "开封市人力资源和社会保障局"


def approval_form(rng: random.Random, *, values: dict, years: Sequence[int], opinions: dict,
                  opinion_dates: Optional[dict] = None, seal_units: Optional[dict] = None,
                  photo: Optional[bool] = None, date_style: Optional[str] = None) -> list[RenderedPage]:
    """开封工匠推荐审批表 (attachment 1) re-drawn as two A4 pages.

    Page 1: title, 姓名/工作单位/推荐单位, the basic grid, 个人简历, 受奖情况. Page 2: 技术创新,
    经济效益 per year, 培养人才, 主要业绩, the six opinion boxes. ``values`` are strings (see the
    brief; '' = blank cell); ``opinions[key]`` True stamps that box with a seal and a date
    (``opinion_dates[key]`` or 2021-05-28 by default; ``seal_units[key]`` overrides the seal's
    unit)."""
    v = {k: ("" if val is None else str(val)) for k, val in values.items()}
    g = lambda k: v.get(k, "")  # noqa: E731
    fs = fonts(rng)
    spaced = rng.random() < 0.5
    split_labels = rng.random() < 0.5
    lsize = rng.uniform(26, 29)
    vsize = rng.uniform(26, 28)
    vrole = "hand" if rng.random() < 0.15 else "body"
    lw = rng.choice((2, 2, 3))

    def lab(s: str) -> dict:
        tr = 0.0
        if spaced and len(s) == 2:
            tr = rng.uniform(0.5, 0.8)
        elif spaced and len(s) == 3:
            tr = rng.uniform(0.15, 0.3)
        return {"tracking": tr}

    # ---------------- page 1
    c = Canvas.a4(rng, kind="approval_form", fontset=fs)
    W, H = c.W, c.H
    L = rng.uniform(105, 150)
    R = W - rng.uniform(105, 150)
    TW = R - L
    y = rng.uniform(100, 150)
    if rng.random() < 0.4:
        c.text(L, y, "附件1", 30, role="sans")
        y += 50
    ts = rng.uniform(54, 62)
    c.text(W / 2, y, "开封工匠推荐审批表", ts, role="title", align="center", tracking=rng.uniform(0.05, 0.2))
    y += ts + 50
    csize = 30
    cx = L + TW * rng.uniform(0.12, 0.22)
    for labl, key in (("姓　　名：", "name"), ("工作单位：", "employer"), ("推荐单位：", "unit")):
        lbw = c.measure(labl, csize)
        c.text(cx, y, labl, csize)
        c.underline(cx + lbw, R - TW * 0.1, y + csize + 6, 1)
        c.text(cx + lbw + 20, y, g(key), csize, role=vrole)
        y += csize * 1.9
    y += 25
    # basic grid: 7 columns (label, value) x3 + photo
    base = [150, 190, 150, 170, 165, 200, 240]
    jit = [b * rng.uniform(0.9, 1.1) for b in base]
    s_ = sum(jit)
    cw = [b / s_ * TW for b in jit]
    xs = [L]
    for w_ in cw:
        xs.append(xs[-1] + w_)
    rh = rng.uniform(80, 90)

    def box(c0, c1, y0, y1):
        return (xs[c0], y0, xs[c1], y1)

    def L_(text, bx, **kw):
        lines = text
        if isinstance(text, str) and split_labels and len(text) >= 5:
            half = (len(text) + 1) // 2
            lines = [text[:half], text[half:]]
        return _cell(c, bx, lines, lsize, lw=lw, **{**lab(text if isinstance(text, str) else ""), **kw})

    def V_(text, bx, **kw):
        kw.setdefault("size", vsize)
        size = kw.pop("size")
        return _cell(c, bx, text, size, lw=lw, role=kw.pop("role", vrole), **kw)

    rows3 = [[("姓名", "name"), ("性别", "gender"), ("民族", "ethnicity")],
             [("出生年月", "birth"), ("政治面貌", "politics"), ("学历", "education")],
             [("技术等级", "skill_level"), ("职称", "title"), ("专业特长", "specialty")]]
    for ri, row in enumerate(rows3):
        y0, y1 = y + ri * rh, y + (ri + 1) * rh
        for k, (lbl, key) in enumerate(row):
            L_(lbl, box(2 * k, 2 * k + 1, y0, y1))
            V_(g(key), box(2 * k + 1, 2 * k + 2, y0, y1))
    y3 = y + 3 * rh
    rh_h = rng.uniform(115, 135)
    L_("职务", box(0, 1, y3, y3 + rh_h))
    V_(g("position"), box(1, 3, y3, y3 + rh_h))
    L_(["所获荣誉", "及年份"] if rng.random() < 0.7 else "所获荣誉及年份", box(3, 4, y3, y3 + rh_h))
    V_(g("honors"), box(4, 6, y3, y3 + rh_h), align="left", min_size=22)
    ph = box(6, 7, y, y3 + rh_h)
    want_photo = photo if photo is not None else rng.random() < 0.7
    if want_photo:
        c.rect(ph, lw)
        px0, py0, px1, py1 = ph
        pw = (px1 - px0) - 30
        phh = min(pw * 1.4, (py1 - py0) - 30)
        pw = phh / 1.4
        cxp, cyp = (px0 + px1) / 2, (py0 + py1) / 2
        c.paste_photo((cxp - pw / 2, cyp - phh / 2, cxp + pw / 2, cyp + phh / 2), _make_photo(rng, kind="id"))
    else:
        _cell(c, ph, ["2寸彩色", "照片"], lsize, lw=lw)
    y4 = y3 + rh_h
    L_("身份证号", box(0, 1, y4, y4 + rh))
    V_(g("id_number"), box(1, 4, y4, y4 + rh))
    L_("联系电话", box(4, 5, y4, y4 + rh))
    V_(g("phone"), box(5, 7, y4, y4 + rh))
    y5 = y4 + rh
    bottom = H - rng.uniform(100, 140)
    remain = bottom - y5
    h_res = remain * rng.uniform(0.55, 0.62)
    res_lab = ["个人", "简历"] if rng.random() < 0.6 else ["个", "人", "简", "历"]
    _cell(c, box(0, 1, y5, y5 + h_res), res_lab, lsize, lw=lw)
    resume = g("resume")
    if not resume and rng.random() < 0.5:
        resume = ""
    V_(resume, box(1, 7, y5, y5 + h_res), align="left", valign="top", pad=16, leading=1.5, min_size=24)
    y6 = y5 + h_res
    _cell(c, box(0, 1, y6, bottom), ["受奖", "情况"] if rng.random() < 0.6 else ["受", "奖", "情", "况"], lsize, lw=lw)
    V_(g("awards_text"), box(1, 7, y6, bottom), align="left", valign="top", pad=16, leading=1.5, min_size=24)
    c.rect((L, y, R, bottom), lw + 1)
    p1 = c.page()

    # ---------------- page 2
    c = Canvas.a4(rng, kind="approval_form", fontset=fs)
    top = rng.uniform(100, 140)
    y = top
    w0 = TW * rng.uniform(0.1, 0.12)
    X = L + w0
    RW = R - X
    lab_lines = lambda s: s  # noqa: E731

    # 技术创新 (3 rows)
    rt = rng.uniform(72, 82)
    _cell(c, (L, y, X, y + 3 * rt), ["技术", "创新"], lsize, lw=lw)
    a = [RW * f for f in (0.17, 0.12, 0.07, 0.15, 0.21, 0.12)]
    a.append(RW - sum(a))
    ax = [X]
    for w_ in a:
        ax.append(ax[-1] + w_)
    for ri, (lbl, key, unit_, plab, pkey) in enumerate((("课题成果", "projects", "项", "发明专利", "patents.invention"),
                                                        ("成果转化", "conversions", "项", "实用新型/外观",
                                                         "patents.utility_design"))):
        y0, y1 = y + ri * rt, y + (ri + 1) * rt
        L_(lbl, (ax[0], y0, ax[1], y1))
        V_(g(key), (ax[1], y0, ax[2], y1))
        _cell(c, (ax[2], y0, ax[3], y1), unit_, lsize, lw=lw)
        _cell(c, (ax[4], y0, ax[5], y1), plab, lsize, lw=lw, min_size=22)
        V_(g(pkey), (ax[5], y0, ax[6], y1))
        _cell(c, (ax[6], y0, ax[7], y1), "个", lsize, lw=lw)
    _cell(c, (ax[3], y, ax[4], y + 2 * rt), ["专利", "数量"], lsize, lw=lw)
    y2 = y + 2 * rt
    w1 = a[0]
    rest = (RW - w1) / 4
    L_("获奖等级", (X, y2, X + w1, y2 + rt))
    for k, (lbl, key) in enumerate((("国家级", "awards.national"), ("省部级", "awards.provincial"),
                                     ("地厅级", "awards.prefecture"), ("企业级", "awards.enterprise"))):
        gx = X + w1 + k * rest
        _cell(c, (gx, y2, gx + rest * 0.45, y2 + rt), lbl, lsize * 0.95, lw=lw, pad=4)
        V_(g(key), (gx + rest * 0.45, y2, gx + rest * 0.8, y2 + rt), pad=4)
        _cell(c, (gx + rest * 0.8, y2, gx + rest, y2 + rt), "个", lsize, lw=lw, pad=2)
    y = y2 + rt
    # 经济效益
    re_ = rng.uniform(64, 72)
    ny = len(years)
    _cell(c, (L, y, X, y + (ny + 1) * re_), ["经济", "效益", "(万元)"], lsize * 0.95, lw=lw)
    bw = [RW * f for f in (0.14, 0.2, 0.2, 0.18)]
    bw.append(RW - sum(bw))
    bx = [X]
    for w_ in bw:
        bx.append(bx[-1] + w_)
    for k, h_ in enumerate(("年度", "创效(万元)", "节资(万元)", "行业标准", "工作法/操作规程")):
        _cell(c, (bx[k], y, bx[k + 1], y + re_), h_, lsize * 0.95, lw=lw, min_size=22, **lab(h_))
    for i, yr in enumerate(years):
        y0 = y + (i + 1) * re_
        y1 = y0 + re_
        _cell(c, (bx[0], y0, bx[1], y1), str(yr), vsize, lw=lw)
        for k, key in enumerate((f"benefit.created.{yr}", f"benefit.saved.{yr}", f"standards.{yr}", f"methods.{yr}")):
            V_(g(key), (bx[k + 1], y0, bx[k + 2], y1))
    y += (ny + 1) * re_
    # 培养人才
    rp = rng.uniform(66, 74)
    ncols = 2 * ny + 4
    pw_ = RW / ncols
    _cell(c, (L, y, X, y + 3 * rp), ["培养", "人才"], lsize, lw=lw)
    grp = [("签订师带徒协议(份)", ny), ("各类培训(人次)", ny), ("技术等级提升(人次)", 4)]
    gx = X
    for lbl, n in grp:
        _cell(c, (gx, y, gx + n * pw_, y + rp), lbl, lsize * 0.9, lw=lw, min_size=22)
        gx += n * pw_
    subs = [str(yr) for yr in years] * 2 + ["高级工", "技师", "高级技师", "其他"]
    keys = ([f"apprentices.{yr}" for yr in years] + [f"training.{yr}" for yr in years] +
            ["promoted.senior_worker", "promoted.technician", "promoted.senior_technician", "promoted.other"])
    for k, (sb, key) in enumerate(zip(subs, keys)):
        x0 = X + k * pw_
        _cell(c, (x0, y + rp, x0 + pw_, y + 2 * rp), sb, lsize * 0.88, lw=lw, pad=4, min_size=22)
        V_(g(key), (x0, y + 2 * rp, x0 + pw_, y + 3 * rp), pad=4)
    y += 3 * rp
    # 主要业绩
    h_ach = rng.uniform(640, 700)
    _cell(c, (L, y, X, y + h_ach), ["主要", "业绩", "(800字", "以内)"], lsize * 0.9, lw=lw, min_size=22)
    V_(g("achievements"), (X, y, R, y + h_ach), align="left", valign="top", pad=16, size=26, min_size=24,
       leading=1.45)
    y += h_ach
    # opinion boxes (3 rows x 2)
    bottom = H - rng.uniform(120, 160)
    ro = (bottom - y) / 3
    half = TW / 2
    wl = TW * rng.uniform(0.13, 0.16)
    keys_order = [("unit_union", "unit_hr"), ("county_union", "county_hr"), ("city_union", "city_hr")]
    od = opinion_dates or {}
    su = seal_units or {}
    stamped_meta = {}
    seal_r = 40.0 / 25.4 * 200 / 2 * 0.7
    for ri, pair in enumerate(keys_order):
        y0, y1 = y + ri * ro, y + (ri + 1) * ro
        for k, key in enumerate(pair):
            x0 = L + k * half
            lbl = _pick(rng, _OPINION_LABELS[key])
            _cell(c, (x0, y0, x0 + wl, y1), lbl, lsize * 0.82, lw=lw, pad=5, min_size=22, leading=1.2)
            bxx = (x0 + wl, y0, x0 + half, y1)
            c.rect(bxx, lw)
            stamped = bool(opinions.get(key))
            inner_r = bxx[2] - 40
            if stamped:
                c.text(bxx[0] + 30, y0 + 25, _pick(rng, ("同意推荐。", "同意推荐", "同意。", "情况属实，同意推荐。")), 30,
                       role="hand", fill=BLUE_INK if rng.random() < 0.5 else INK)
                ds = _date_text(rng, od.get(key, "2021-05-28"), ("cn",), date_style)
                db = c.text(inner_r, y1 - 55, ds, 28, role="hand" if rng.random() < 0.5 else "body", align="right")
                pb = c.text(inner_r - c.measure(ds, 28) - 20, y1 - 110, "（公章）", 26, align="left")
                cxs = (db[0] + db[2]) / 2 if db else (bxx[0] + bxx[2]) / 2
                cys = y1 - 110
                draw_seal(c, rng, center=(cxs + rng.uniform(-40, 40), cys + rng.uniform(-25, 15)),
                          ring_text=su.get(key, _opinion_seal_unit(key, v)), kind="official", radius=seal_r)
                stamped_meta[key] = ds
            else:
                c.text(inner_r - 230, y1 - 110, "（公章）", 26)
                c.text(inner_r, y1 - 55, "年　　月　　日", 28, align="right")
    c.rect((L, top, R, bottom), lw + 1)
    c.text(L, bottom + 30, "注：本表一式四份，请用A3纸正反两面打印。", 24)
    p2 = c.page()
    p1.meta.update(page=1, spaced_labels=spaced)
    p2.meta.update(page=2, stamped=stamped_meta)
    return [p1, p2]


# ---------------------------------------------------------------------------------------
# attachment 2: the summary table
# ---------------------------------------------------------------------------------------
_LEVELS4 = ("enterprise", "prefecture", "provincial", "national")
_LEVEL_CN = {"enterprise": "企业级", "prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}


def summary_table(rng: random.Random, *, unit: str, rows: Sequence[dict], years: Sequence[int], date: str,
                  seal: bool = True, category_column: bool = False, leader: Optional[str] = None,
                  date_style: Optional[str] = None) -> RenderedPage:
    """开封工匠推荐人选基本情况汇总表 (attachment 2), A4 landscape, two header rows with the
    notice's merged group headers, optional 类别 column, 推荐单位(公章), 领导签名 (``leader`` is
    signed by hand), 填表日期, and the unit's seal over the header."""
    c = Canvas.a4(rng, landscape=True, kind="summary_table")
    W, H = c.W, c.H
    L = rng.uniform(40, 55)
    R = W - rng.uniform(40, 55)
    TW = R - L
    y = rng.uniform(60, 90)
    if rng.random() < 0.35:
        c.text(L, y, "附件2", 28, role="sans")
    ts = rng.uniform(44, 50)
    c.text(W / 2, y, "开封工匠推荐人选基本情况汇总表", ts, role="title", align="center", tracking=0.05)
    y += ts + 40
    hs = 30
    date_s = _date_text(rng, date, FORM_DATES, date_style)
    ub = c.text(L, y, "推荐单位(公章)：" + unit, hs)
    lx = L + TW * 0.52
    c.text(lx, y, "领导签名：", hs)
    if leader:
        _hand_sign(c, rng, lx + c.measure("领导签名：", hs) + 10, y, leader, hs)
    c.text(R, y, "填表日期：" + date_s, hs, align="right")
    y += hs + 35
    ny = len(years)
    cols: list[tuple[str, str, Optional[str], str]] = []  # (group, sub, key, width class)
    cols.append(("序号", "", "seq", "seq"))
    cols.append(("姓名", "", "name", "name"))
    cols.append(("工作单位及职务", "", "employer_position", "emp"))
    cols.append(("技术等级/职称/执业资格", "", "level_title", "lvl"))
    if category_column:
        cols.append(("类别", "", "category", "cat"))
    for lv in _LEVELS4:
        cols.append(("技能竞赛获奖名次", _LEVEL_CN[lv], f"competition.{lv}", "n"))
    for lv in _LEVELS4:
        cols.append(("攻关课题及创新成果获奖(项)", _LEVEL_CN[lv], f"innovation.{lv}", "n"))
    for k, nm in (("invention", "发明专利"), ("utility", "实用新型"), ("design", "外观设计")):
        cols.append(("取得专利数量(件)", nm, f"patents.{k}", "n"))
    for lv in _LEVELS4:
        cols.append(("行业标准或操作规范、工作法应用情况(次)", _LEVEL_CN[lv], f"standards.{lv}", "n"))
    for yr in years:
        cols.append(("创造经济效益(万元)", str(yr), f"benefit.{yr}", "b"))
    for yr in years:
        cols.append(("签订师带徒协议(份)", str(yr), f"apprentices.{yr}", "n"))
    for lv in ("prefecture", "provincial", "national"):
        cols.append(("媒体宣传情况(次)", _LEVEL_CN[lv], f"media.{lv}", "n"))
    cols.append(("备注", "", "remark", "rem"))
    nw = rng.uniform(63, 67)
    bwid = rng.uniform(88, 96)
    n_n = sum(1 for cl in cols if cl[3] == "n")
    n_b = sum(1 for cl in cols if cl[3] == "b")
    fixed_total = TW - n_n * nw - n_b * bwid
    weights = {"seq": 0.78, "name": 1.05, "emp": 2.2, "lvl": 1.6, "cat": 1.0, "rem": 1.25}
    wsum = sum(weights[cl[3]] for cl in cols if cl[3] in weights)
    widths = []
    for cl in cols:
        if cl[3] == "n":
            widths.append(nw)
        elif cl[3] == "b":
            widths.append(bwid)
        else:
            widths.append(fixed_total * weights[cl[3]] / wsum)
    # names stay on one line: widen the name column at the expense of the employer column
    need = max([c.measure(str(r.get("name", "")), 24) for r in rows] + [0]) + 16
    ni = [cl[2] for cl in cols].index("name")
    ei = [cl[2] for cl in cols].index("employer_position")
    if widths[ni] < need:
        widths[ei] -= need - widths[ni]
        widths[ni] = need
    xs = [L]
    for w_ in widths:
        xs.append(xs[-1] + w_)
    h0 = rng.uniform(100, 112)
    h1 = rng.uniform(76, 84)
    size = 24
    lw = 2
    # header row 1: merged groups; single columns span both header rows
    i = 0
    while i < len(cols):
        grp, sub, key, cls = cols[i]
        if not sub:
            _cell(c, (xs[i], y, xs[i + 1], y + h0 + h1), grp, size, lw=lw, pad=4, min_size=22, leading=1.2)
            i += 1
            continue
        j = i
        while j < len(cols) and cols[j][0] == grp:
            j += 1
        _cell(c, (xs[i], y, xs[j], y + h0), grp, size, lw=lw, pad=5, min_size=22, leading=1.2)
        for k in range(i, j):
            _cell(c, (xs[k], y + h0, xs[k + 1], y + h0 + h1), cols[k][1], 22, lw=lw, pad=3, min_size=22,
                  leading=1.15)
        i = j
    y += h0 + h1
    notes_h = 3 * 32 * 1.45 + 30
    avail = H - 70 - notes_h - y
    n_rows = max(len(rows), 4 if rng.random() < 0.5 else len(rows))
    rh = min(rng.uniform(110, 150), avail / max(1, n_rows))
    for ri in range(n_rows):
        r = rows[ri] if ri < len(rows) else {}
        for k, (grp, sub, key, cls) in enumerate(cols):
            val = r.get(key, "") if r else ""
            val = "" if val is None else str(val)
            al = "left" if cls in ("emp", "rem") and rng.random() < 0.0 else "center"
            _cell(c, (xs[k], y, xs[k + 1], y + rh), val, size, lw=lw, pad=3 if cls in ("n", "b") else 6,
                  min_size=22, align=al, leading=1.2)
        y += rh
    c.rect((L, y - n_rows * rh - h0 - h1, R, y), 3)
    y += 25
    notes = ["注：1.表中“技术等级”指职工技能等级，如技师、高级技师；“执业资格”指国家颁发的执业资格证书，如一级建造师、二级监理师等。",
             "2.表中备注栏填写对推荐人选的特殊说明，如国家级非物质文化遗产传承人等。",
             "3.各推荐单位对所推荐人选按优先顺序排列。"]
    for k, nt in enumerate(notes):
        for ln in c.wrap(nt, TW - 60, 24):
            c.text(L + (0 if k == 0 else 48), y, ln, 24)
            y += 24 * 1.45
    if seal and ub:
        draw_seal(c, rng, center=(ub[0] + (ub[2] - ub[0]) * rng.uniform(0.5, 0.8), (ub[1] + ub[3]) / 2 + rng.uniform(0, 40)),
                  ring_text=unit, center_text="★", kind="official")
    c.meta.update(date_text=date_s, columns=[cl[2] for cl in cols], rows_drawn=len(rows))
    return c.page()


# ---------------------------------------------------------------------------------------
# unit documents
# ---------------------------------------------------------------------------------------
def _names_short(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0] + "同志"
    if len(names) == 2:
        return "、".join(names) + "同志"
    return names[0] + "等" + str(len(names)) + "名同志"


def publicity_notice(rng: random.Random, *, unit: str, names: Sequence[str], start: DateLike, end: DateLike,
                     issued: DateLike, screenshot: bool = False, campaign: str = "2020年度开封工匠",
                     seal: bool = True, date_style: Optional[str] = None) -> RenderedPage:
    """公示: on paper (title, body with the period in one of several forms, names, contact,
    unit, date, seal) or, with ``screenshot``, a phone screenshot of the same notice posted in
    an official account (1080×2340; not meant to be scanned)."""
    w = wording()["publicity"]
    st = date_style or _pick(rng, ("cn", "cn", "dot", "cn0"))
    start_s = _date_text(rng, start, (st,))
    end_s = _date_text(rng, end, (st,))
    ds, de = as_date(start)[0], as_date(end)[0]
    period_t = _pick(rng, w["periods"])
    if st == "cn" and ds and de and ds.year == de.year and "至" in period_t and rng.random() < 0.5:
        end_s = f"{de.month}月{de.day}日"  # 2021年5月20日至5月26日
    if st == "dot" and "~" not in period_t and rng.random() < 0.5:
        period_t = "公示期：{start}~{end}。"
    period = period_t.format(start=start_s, end=end_s)
    issued_s = _date_text(rng, issued, (st if st != "dot" else "cn",))
    title = _pick(rng, w["titles"]).format(names_short=_names_short(names), campaign=campaign)
    intro = _pick(rng, w["intros"]).format(campaign=campaign)
    closing = _pick(rng, w["closing"]).format(unit=unit)
    contact = _pick(rng, w["contact"]).format(phone=f"{rng.randint(22000000, 29999999)}")
    if screenshot:
        c = Canvas(1080, 2340, rng, kind="publicity_notice")
        W, H = c.W, c.H
        c.rect((0, 0, W, 90), 0, fill=(237, 237, 237))
        c.text(48, 45, f"{rng.randint(8, 21)}:{rng.randint(0, 59):02d}", 36, role="sans", valign="middle")
        c.text(W - 48, 45, f"{rng.randint(20, 99)}%", 32, role="sans", valign="middle", align="right")
        c.rect((0, 90, W, 230), 0, fill=(237, 237, 237))
        c.draw.line([(60, 160), (40, 140), (60, 120)], fill=INK, width=5)
        c.text(W / 2, 160, unit if len(unit) <= 12 else "公众号", 40, role="sans", align="center", valign="middle")
        c.line(0, 230, W, 230, 1, (210, 210, 210))
        L, R = 56, W - 56
        y = 290
        for ln in c.wrap(title, R - L, 54, "bold"):
            c.text(L, y, ln, 54, role="bold")
            y += 54 * 1.45
        y += 20
        c.text(L, y, unit, 34, role="sans", fill=(87, 107, 149))
        c.text(L + c.measure(unit, 34, "sans") + 30, y, issued_s if st != "dot" else fmt_date(as_date(issued)[0], "dash")
               if as_date(issued)[0] else issued_s, 34, role="sans", fill=(150, 150, 150), join=True)
        y += 100
        size = 42
        y = c.paragraph(L, y, R - L, intro, size, role="sans", leading=1.75, max_y=H - 60)
        for nm in names:
            if y + size > H - 60:
                break
            c.text(L + 2 * size, y, nm, size, role="sans")
            y += size * 1.75
        y = c.paragraph(L, y, R - L, period, size, role="sans", leading=1.75, max_y=H - 60, keep=(start_s, end_s))
        y = c.paragraph(L, y, R - L, closing, size, role="sans", leading=1.75, max_y=H - 60)
        y = c.paragraph(L, y, R - L, contact, size, role="sans", leading=1.75, max_y=H - 60)
        c.meta.update(screenshot=True)
    else:
        c = Canvas.a4(rng, kind="publicity_notice")
        W, H = c.W, c.H
        L, R = rng.uniform(150, 200), W - rng.uniform(150, 200)
        y = rng.uniform(170, 240)
        ts = rng.uniform(46, 54)
        for ln in c.wrap(title, R - L, ts, "bold"):
            c.text(W / 2, y, ln, ts, role="bold", align="center")
            y += ts * 1.5
        y += 50
        size = rng.uniform(34, 37)
        y = c.paragraph(L, y, R - L, intro, size, leading=1.85)
        if rng.random() < 0.5 or len(names) <= 2:
            for nm in names:
                c.text(L + 4 * size, y, nm, size)
                y += size * 1.85
        else:
            y = c.paragraph(L, y, R - L, "、".join(names), size, leading=1.85, keep=tuple(names))
        y = c.paragraph(L, y, R - L, period, size, leading=1.85, keep=(start_s, end_s))
        y = c.paragraph(L, y, R - L, closing, size, leading=1.85)
        y = c.paragraph(L, y, R - L, contact, size, leading=1.85)
        y += 120
        _sign_block(c, rng, x=R - 250, y=y, names=[unit], date_s=issued_s, size=size,
                    seal="official" if seal else None)
        c.meta.update(screenshot=False)
    c.meta.update(period_text=strip_spaces(period), start_text=start_s, end_text=end_s, issued_text=issued_s)
    return c.page()


def recommendation_report(rng: random.Random, *, unit: str, names: Sequence[str], date: DateLike,
                          campaign: str = "2020年度开封工匠", seal: bool = True,
                          descriptions: Optional[Sequence[str]] = None,
                          date_style: Optional[str] = None) -> RenderedPage:
    """推荐报告: title, addressee, body naming the nominees in priority order, closing, unit,
    date and the unit's seal. ``descriptions`` (one per name) add a line about each."""
    w = wording()["report"]
    date_s = _date_text(rng, date, LETTER_DATES, date_style)
    c = Canvas.a4(rng, kind="recommendation_report")
    W, H = c.W, c.H
    L, R = rng.uniform(150, 200), W - rng.uniform(150, 200)
    y = rng.uniform(140, 200)
    if rng.random() < 0.45:
        c.text(W / 2, y, unit + ("文件" if rng.random() < 0.5 else ""), rng.uniform(60, 72), role="title", fill=RED,
               align="center", tracking=0.05)
        y += 110
        c.line(L - 20, y, R + 20, y, 5, RED)
        y += 80
    title = _pick(rng, w["titles"]).format(names_short=_names_short(names), campaign=campaign)
    ts = rng.uniform(46, 54)
    for ln in c.wrap(title, R - L, ts, "bold"):
        c.text(W / 2, y, ln, ts, role="bold", align="center")
        y += ts * 1.5
    y += 40
    size = rng.uniform(34, 37)
    c.text(L, y, _pick(rng, w["addressees"]), size)
    y += size * 1.9
    y = c.paragraph(L, y, R - L, _pick(rng, w["bodies"]).format(campaign=campaign), size, leading=1.85)
    for i, nm in enumerate(names):
        line = f"{i + 1}.{nm}"
        if descriptions and i < len(descriptions) and descriptions[i]:
            line += "，" + descriptions[i]
        y = c.paragraph(L, y, R - L, line, size, leading=1.85, indent=2, keep=(nm,), max_y=H - 500)
    y = c.paragraph(L, y, R - L, _pick(rng, w["closings"]), size, leading=1.85)
    y = max(y + 120, H * 0.6)
    _sign_block(c, rng, x=R - 260, y=y, names=[unit], date_s=date_s, size=size, seal="official" if seal else None)
    c.meta.update(date_text=date_s)
    return c.page()


def blank_like(rng: random.Random) -> RenderedPage:
    """A near-blank page: the back of a sheet, with faint show-through and specks; no text."""
    c = Canvas.a4(rng, kind="blank")
    W, H = c.W, c.H
    g = ImageDraw.Draw(c.image)
    tone = int(rng.uniform(245, 251))
    y = rng.uniform(180, 300)
    while y < H - rng.uniform(200, 600):
        x0 = rng.uniform(150, 220)
        x1 = W - rng.uniform(150, 500)
        g.rectangle([x0, y, x1, y + rng.uniform(18, 26)], fill=(tone, tone, tone))
        y += rng.uniform(50, 70)
    im = c.image.filter(ImageFilter.GaussianBlur(6))
    d = ImageDraw.Draw(im)
    for _ in range(rng.randint(5, 30)):
        x, yy = rng.uniform(0, W), rng.uniform(0, H)
        r = rng.uniform(0.8, 2.5)
        v = int(rng.uniform(60, 160))
        d.ellipse([x - r, yy - r, x + r, yy + r], fill=(v, v, v))
    return RenderedPage(im, [], "blank", [], c.dpi, {})


__all__ = [
    "honor_certificate", "competition_award", "skill_certificate", "patent_certificate", "innovation_award",
    "benefit_statement", "apprentice_agreement", "training_list", "media_clipping", "standard_doc", "catalog",
    "approval_form", "summary_table", "publicity_notice", "recommendation_report", "photo", "blank_like",
    "amount_in_capitals", "format_patent_number", "fmt_date", "as_date", "PATENT_STYLES", "DATE_STYLES", "wording",
]
