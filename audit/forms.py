"""The approval form (attachment 1), read by its labels, not by cell positions.

One parser serves three sources. Every piece of text becomes an :class:`Item` (text + box
in one coordinate space per page):

* docx / xlsx tables: each cell is an item whose box is its grid rectangle
  ``(col, row, col + colspan, row + rowspan)`` (several tables on a page are stacked);
  paragraphs outside tables are read line by line (``工作单位：XX``);
* OCR'd scans and PDF text layers: each line is an item with its pixel box. Cells of a
  ruled table come out as separate lines; a label and its value may come out as one line
  (``姓名张三``, ``性别：男``); a label may be split over lines (``个人`` / ``简历``, or one
  character a line when printed vertically) and is joined back.

Labels are recognised from ``audit/labels.yaml`` (spaces removed, one wrong character
tolerated for labels of 3+ characters). A value is what lies to the right of its label, up
to the next label of the row (or, for multi-line fields, every line of the block between
the label rows above and below); for column headers (技术等级提升 → 高级工 …) it lies
below. Per-year tables are read at (row of the year, column of the header), or (column of
the year under the header, next row), or transposed, by box alignment.
"""
from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from audit.dates import parse_date_precision
from audit.model import DeclaredForm, Fact, Span
from audit.numbers import parse_int, parse_wanyuan
from extractors.base import Extraction

__all__ = ["parse_approval_form", "label_config", "LabelIndex", "LabelDef", "Item", "Layout",
           "norm_text", "strip_hints", "page_layouts", "form_label_index", "merge_split_labels",
           "year_of", "same_row", "skew_angle", "deskew", "read_opinions", "opinion_box_key"]

LABELS_FILE = Path(__file__).with_name("labels.yaml")
INF = float("inf")


# ---------------------------------------------------------------------------------------
# label vocabulary

@lru_cache(maxsize=1)
def label_config() -> dict:
    return yaml.safe_load(LABELS_FILE.read_text("utf-8"))


@lru_cache(maxsize=1)
def _hint_res() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in label_config().get("hints", []))


def norm_text(s: Optional[str]) -> str:
    """Whitespace removed, full-width punctuation unified (NFKC), required-field stars and
    underlines dropped: ``姓  名：`` → ``姓名:``."""
    t = unicodedata.normalize("NFKC", s or "")
    t = re.sub(r"\s+", "", t)
    t = t.replace("／", "/").replace("＊", "").replace("*", "").replace("﹕", ":")
    t = re.sub(r"_{2,}|﹍+|＿+", "", t)
    return t


def strip_hints(t: str) -> str:
    """Remove the template's printed hints: ``(800字以内)``, ``(从参加工作起填起，具体到月份)``,
    ``(万元)``, ``(个)`` …"""
    for rx in _hint_res():
        t = rx.sub("", t)
    return t


def _core(t: str) -> str:
    """A normalised text as compared with labels: hints and a trailing colon removed."""
    return strip_hints(t).strip(":").strip()


def _lev1(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        return sum(1 for x, y in zip(a, b) if x != y) == 1
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


@dataclass(frozen=True)
class LabelDef:
    key: str
    kind: str                 # field | count | per_year | group | stopper
    variants: tuple[str, ...]
    type: str = "text"
    multiline: bool = False
    scope: Optional[str] = None
    value: str = "right"


class LabelIndex:
    """Exact, fuzzy and prefix look-up of label variants."""

    def __init__(self, defs: Iterable[LabelDef], patterns: Iterable[str] = ()):
        self.defs = list(defs)
        self.exact: dict[str, LabelDef] = {}
        for d in self.defs:
            for v in d.variants:
                self.exact.setdefault(v, d)
        self.variants = sorted(self.exact, key=len, reverse=True)
        self.prefixes = {v[:i] for v in self.exact for i in range(1, len(v) + 1)}
        self.patterns = [re.compile(p) for p in patterns]

    def full(self, core: str) -> Optional[LabelDef]:
        if not core:
            return None
        d = self.exact.get(core)
        if d is not None:
            return d
        if core.endswith(")") and "(" in core:
            # a label with a note of its own: 身份证号码(18位), 学历(学位)
            base = re.sub(r"\([^()]*\)$", "", core)
            if base and base != core and len(base) >= 2:
                d = self.full(base)
                if d is not None:
                    return d
        if len(core) >= 3:
            hits = {self.exact[v].key: self.exact[v] for v in self.variants
                    if len(v) >= 3 and abs(len(v) - len(core)) <= 1 and _lev1(core, v)}
            if len(hits) == 1:
                return next(iter(hits.values()))
        return None

    def prefix(self, core: str) -> Optional[tuple[LabelDef, str]]:
        """(label, remainder) for the longest variant that starts ``core`` with text after it."""
        for v in self.variants:
            if len(v) >= 2 and core.startswith(v) and len(core) > len(v):
                return self.exact[v], core[len(v):]
        return None

    def is_prefix(self, s: str) -> bool:
        return s in self.prefixes

    def stopper_pattern(self, core: str) -> bool:
        return len(core) <= 24 and any(p.search(core) for p in self.patterns)


def _defs_from(section: dict, kind: str) -> list[LabelDef]:
    out = []
    for key, spec in (section or {}).items():
        if isinstance(spec, list):
            spec = {"labels": spec}
        variants = tuple(dict.fromkeys(_core(norm_text(v)) for v in spec.get("labels", [])))
        out.append(LabelDef(key=key, kind=kind, variants=variants, type=spec.get("type", "text"),
                            multiline=bool(spec.get("multiline")), scope=spec.get("scope"),
                            value=spec.get("value", "right")))
    return out


@lru_cache(maxsize=1)
def form_label_index() -> LabelIndex:
    cfg = label_config()["form"]
    defs = (_defs_from(cfg.get("fields"), "field") + _defs_from(cfg.get("counts"), "count")
            + _defs_from(cfg.get("per_year"), "per_year") + _defs_from(cfg.get("groups"), "group")
            + [LabelDef(key="stopper", kind="stopper",
                        variants=tuple(dict.fromkeys(_core(norm_text(v)) for v in cfg.get("stoppers", []))))])
    return LabelIndex(defs, cfg.get("stopper_patterns", []))


@lru_cache(maxsize=1)
def _units() -> frozenset[str]:
    return frozenset(label_config().get("units", []))


# ---------------------------------------------------------------------------------------
# items and layouts

@dataclass(eq=False)
class Item:
    """A piece of text with a box in its layout's coordinates (grid or pixels)."""
    text: str
    box: tuple[float, float, float, float]
    page: int
    confidence: Optional[float] = None
    span_box: Optional[tuple[float, float, float, float]] = None  # the box to cite
    parts: list["Item"] = field(default_factory=list)
    norm: str = ""
    core: str = ""
    role: str = "value"         # label | group | stopper | per_year | year | unit | hint | value | empty
    ldef: Optional[LabelDef] = None
    inline: Optional[str] = None  # value written in the same cell / line as the label
    extra: list = field(default_factory=list)  # further (label, value) pairs of the same line
    year: Optional[int] = None

    def __post_init__(self):
        self.norm = norm_text(self.text)
        self.core = _core(self.norm)

    x0 = property(lambda s: s.box[0])
    y0 = property(lambda s: s.box[1])
    x1 = property(lambda s: s.box[2])
    y1 = property(lambda s: s.box[3])
    xc = property(lambda s: (s.box[0] + s.box[2]) / 2)
    yc = property(lambda s: (s.box[1] + s.box[3]) / 2)
    w = property(lambda s: max(1e-6, s.box[2] - s.box[0]))
    h = property(lambda s: max(1e-6, s.box[3] - s.box[1]))

    @property
    def header_like(self) -> bool:
        return self.role in ("label", "group", "stopper", "per_year", "year", "unit", "hint")

    @property
    def is_label(self) -> bool:
        return self.role in ("label", "group", "stopper", "per_year")

    def span(self, ex: Extraction, text: Optional[str] = None) -> Span:
        return Span(file=ex.file, page=self.page, box=self.span_box or self.box,
                    text=self.text if text is None else text,
                    confidence=self.confidence, sha256=ex.sha256)


@dataclass
class Layout:
    """The items of one page (or of the free lines of an office page)."""
    page: int
    items: list[Item]
    grid: bool                       # boxes are grid cells (office) rather than pixels
    free: list[Item] = field(default_factory=list)   # lines read only inline (label: value)
    source: str = ""

    def __post_init__(self):
        hs = [it.h for it in self.items if it.text.strip()]
        self.lh = 1.0 if self.grid else (statistics.median(hs) if hs else 20.0)


def page_layouts(ex: Extraction) -> list[Layout]:
    """One :class:`Layout` per page: tables of office files as grid items (stacked when a
    page has several), lines of scans and text layers as pixel items."""
    out: list[Layout] = []
    office = ex.media in ("docx", "xlsx", "pptx", "txt", "csv") or any(p.source == "office" for p in ex.pages)
    for p in ex.pages:
        if office or (p.tables and not any(l.box for l in p.lines)):
            items: list[Item] = []
            offset = 0
            for t in p.tables:
                if not t.cells:
                    continue
                rmax = 0
                for c in t.cells:
                    gb = (float(c.col), float(c.row), float(c.col + c.colspan), float(c.row + c.rowspan))
                    items.append(Item(text=c.text or "", page=p.page, span_box=gb,
                                      box=(gb[0], gb[1] + offset, gb[2], gb[3] + offset)))
                    rmax = max(rmax, c.row + c.rowspan)
                offset += rmax + 2
            cell_texts = {norm_text(it.text) for it in items}
            free = [Item(text=l.text, box=l.box or (0, i, 1, i + 1), page=p.page, span_box=l.box)
                    for i, l in enumerate(p.lines)
                    if l.text.strip() and not (p.tables and norm_text(l.text) in cell_texts)]
            out.append(Layout(page=p.page, items=items, grid=True, free=free, source="office"))
        else:
            items = [Item(text=l.text, box=tuple(float(v) for v in l.box), page=p.page,
                          confidence=l.confidence if p.source == "ocr" else None,
                          span_box=tuple(float(v) for v in l.box))
                     for l in p.lines if l.box and l.text.strip()]
            deskew(items)
            free = [Item(text=l.text, box=(0, i, 1, i + 1), page=p.page)
                    for i, l in enumerate(p.lines) if not l.box and l.text.strip()]
            out.append(Layout(page=p.page, items=items, grid=False, free=free, source=p.source))
    return out


# ---------------------------------------------------------------------------------------
# geometry

def skew_angle(items: list[Item], max_deg: float = 3.0, step: float = 0.1) -> float:
    """The page's rotation in degrees (positive: text runs downhill to the right).

    Pairs of text lines far apart on the page vote for the angle of the line joining them;
    pairs on one row of text agree, pairs on different rows scatter, so the most voted angle
    is the page's (0 when no angle clearly wins)."""
    if len(items) < 6:
        return 0.0
    hs = sorted(it.h for it in items)
    lh = hs[len(hs) // 2]
    pts = sorted(((it.xc, it.yc) for it in items))
    lim = math.tan(math.radians(max_deg))
    votes: Counter = Counter()
    for i, (xa, ya) in enumerate(pts):
        for xb, yb in pts[i + 1:]:
            dx = xb - xa
            if dx < 6 * lh:
                continue
            t = (yb - ya) / dx
            if abs(t) > lim:
                continue
            votes[round(math.degrees(math.atan(t)) / step)] += 1
    if not votes:
        return 0.0
    smooth = {k: votes.get(k - 1, 0) + 2 * votes.get(k, 0) + votes.get(k + 1, 0) for k in votes}
    best = max(smooth, key=lambda k: (smooth[k], -abs(k)))
    if best == 0 or smooth[best] < 6 or smooth[best] < 1.5 * smooth.get(0, 0):
        return 0.0
    return best * step


def deskew(items: list[Item]) -> float:
    """Turn the boxes of a skewed scan back (centres rotated, heights shrunk by the slant);
    the boxes cited as evidence (``span_box``) stay as read. Returns the angle corrected."""
    deg = skew_angle(items)
    if abs(deg) < 0.15:
        return 0.0
    a = math.radians(deg)
    ca, sa = math.cos(a), math.sin(a)
    for it in items:
        xc, yc, w, h = it.xc, it.yc, it.w, it.h
        nx, ny = xc * ca + yc * sa, -xc * sa + yc * ca
        nh = max(h - w * abs(sa), 0.6 * h)
        nw = max(w - h * abs(sa), 0.6 * w)
        it.box = (nx - nw / 2, ny - nh / 2, nx + nw / 2, ny + nh / 2)
    return deg

def _vov(a: Item, b: Item) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def _hov(a: Item, b: Item) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def same_row(a: Item, b: Item, lay: Layout) -> bool:
    if lay.grid:
        return _vov(a, b) > 1e-6
    lh = min(a.h, b.h, lay.lh * 1.5)
    return _vov(a, b) > 0.4 * lh or abs(a.yc - b.yc) < 0.5 * lh


def row_mates(it: Item, lay: Layout, pred=None) -> list[Item]:
    """Items of the same row as ``it`` (itself included), left to right."""
    out = [o for o in lay.items if (o is it or same_row(o, it, lay)) and (pred is None or pred(o))]
    return sorted(out, key=lambda o: o.x0)


def column_range(it: Item, lay: Layout) -> tuple[float, float]:
    """The x-range of the column headed by ``it``: up to half-way to its row neighbours."""
    mates = row_mates(it, lay, lambda o: o.role != "empty" or lay.grid)
    mates = [o for o in mates if o is it or _hov(o, it) <= 0.1 * min(o.w, it.w)]
    lo, hi = -INF, INF
    for o in mates:
        if o is it:
            continue
        if o.xc < it.xc:
            lo = max(lo, (o.x1 + it.x0) / 2 if o.x1 <= it.x0 else it.x0)
        else:
            hi = min(hi, (it.x1 + o.x0) / 2 if o.x0 >= it.x1 else it.x1)
    return lo, hi


# ---------------------------------------------------------------------------------------
# classification

YEAR_RE = re.compile(r"^((?:19|20)[0-9]{2})(?:年度?|年)?$")
_OCR01 = str.maketrans("OoIl|", "00111")


def year_of(core: str) -> Optional[int]:
    m = YEAR_RE.match(core.translate(_OCR01))
    if not m:
        return None
    return int(m.group(1))


_COUNT_REST = re.compile(r"^:?[0-9OoIl一二三四五六七八九十零〇两壹贰叁肆伍陆柒捌玖拾无/—\-.]*"
                         r"(?:个|项|件|份|人次|次|人|万元|元)?$")


def _split_inline(core: str, idx: LabelIndex) -> list[tuple[LabelDef, str]]:
    """``姓名:张三工作单位:XX`` → [(name, 张三), (employer, XX)]: labels followed by a colon."""
    hits: list[tuple[int, int, LabelDef]] = []
    for v in idx.variants:
        if len(v) < 2:
            continue
        start = 0
        while True:
            i = core.find(v + ":", start)
            if i < 0:
                break
            hits.append((i, i + len(v) + 1, idx.exact[v]))
            start = i + 1
    if not hits:
        return []
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    chosen: list[tuple[int, int, LabelDef]] = []
    for h in hits:
        if chosen and h[0] < chosen[-1][1]:
            continue
        chosen.append(h)
    if chosen[0][0] != 0:
        # text before the first label: accept only when it is itself a label (no colon)
        head = core[:chosen[0][0]]
        d = idx.full(_core(head))
        if d is None:
            return []
        chosen.insert(0, (0, len(head), d))
    out = []
    for i, (s, e, d) in enumerate(chosen):
        nxt = chosen[i + 1][0] if i + 1 < len(chosen) else len(core)
        out.append((d, core[e:nxt]))
    return out


def classify(lay: Layout, idx: LabelIndex, years: list[int]) -> None:
    """Give every item a role; join labels split over lines (scans)."""
    if not lay.grid:
        merge_split_labels(lay, idx)
    units = _units()
    for it in lay.items:
        it.role, it.ldef, it.inline, it.extra = "value", None, None, []
        if not it.norm:
            it.role = "empty"
            continue
        if not it.core:
            it.role = "hint"
            continue
        y = year_of(it.core)
        if y is not None:
            it.role, it.year = "year", y
            continue
        if it.core in units:
            it.role = "unit"
            continue
        d = idx.full(it.core)
        if d is not None:
            it.role, it.ldef = _role_of(d), d
            continue
        pairs = _split_inline(it.norm.strip(), idx)
        if pairs:
            d, rest = pairs[0]
            it.role, it.ldef = _role_of(d), d
            it.inline = strip_hints(rest)
            it.extra = pairs[1:]
            continue
        if idx.stopper_pattern(it.core):
            it.role = "stopper"


def _role_of(d: LabelDef) -> str:
    return {"field": "label", "count": "label", "per_year": "per_year", "group": "group",
            "stopper": "stopper"}[d.kind]


def classify_prefix(lay: Layout, idx: LabelIndex, exclude: set[int]) -> None:
    """Second pass: ``姓名张三`` (label and value run together, no colon) outside the blocks of
    multi-line values. Only fields, and counts whose remainder is a figure."""
    for it in lay.items:
        if it.role != "value" or id(it) in exclude:
            continue
        left = [o for o in lay.items if o is not it and o.role not in ("empty", "hint")
                and o.x1 <= it.x0 + (0.01 if lay.grid else 0.5 * lay.lh) and same_row(o, it, lay)]
        if left:
            nb = max(left, key=lambda o: o.x1)
            if nb.is_label and not (nb.inline or "").strip(":"):
                continue        # the value of the label on its left (民族乐器制作 under 专业特长)
        hit = idx.prefix(it.core)
        if hit is None:
            continue
        d, rest = hit
        if d.kind == "field" and len(it.core) <= 40:
            it.role, it.ldef, it.inline = "label", d, rest
        elif d.kind in ("count", "per_year") and _COUNT_REST.match(rest):
            it.role, it.ldef, it.inline = _role_of(d), d, rest


def merge_split_labels(lay: Layout, idx: LabelIndex) -> None:
    """Join label pieces that OCR returned as separate lines: ``个人`` over ``简历``, ``受``
    ``奖`` ``情`` ``况`` one under the other, ``姓`` ``名`` side by side, ``所在单位`` over
    ``工会意见`` (an opinion box: a stopper)."""
    items = sorted(lay.items, key=lambda o: (o.y0, o.x0))
    used: set[int] = set()
    merged: list[Item] = []
    lh = lay.lh

    def below(o: Item, cur: Item) -> bool:
        return _hov(o, cur) > 0.3 * min(o.w, cur.w) and -0.3 * lh <= o.y0 - cur.y1 < 1.3 * lh

    def right(o: Item, cur: Item) -> bool:
        return same_row(o, cur, lay) and -0.3 * lh <= o.x0 - cur.x1 < 4 * lh

    def nearest(cands: list[Item], cur: Item) -> Optional[Item]:
        if not cands:
            return None
        return min(cands, key=lambda o: max(0.0, o.y0 - cur.y1) + max(0.0, o.x0 - cur.x1))

    for it in items:
        if id(it) in used or not it.core:
            continue
        best: Optional[list[Item]] = None
        # (a) pieces of a label: every step a prefix of a label variant
        if idx.is_prefix(it.core):
            chain, text, cur = [it], it.core, it
            while True:
                nxt = nearest([o for o in items if id(o) not in used and o not in chain and o.core
                               and (below(o, cur) or right(o, cur)) and idx.is_prefix(text + o.core)], cur)
                if nxt is None:
                    break
                chain.append(nxt)
                text += nxt.core
                cur = nxt
                if idx.exact.get(text) is not None and len(chain) > 1:
                    best = list(chain)
        # (b) a stacked opinion-box label ending in 意见 and the like (所在 / 单位 / 工会 / 意见:
        # longer than the label 所在单位 its first pieces make)
        if len(it.core) <= 8 and not idx.stopper_pattern(it.core):
            chain, text, cur = [it], it.core, it
            for _ in range(12):
                nxt = nearest([o for o in items if id(o) not in used and o not in chain and o.core
                               and len(o.core) <= 8 and below(o, cur)], cur)
                if nxt is None or len(text + nxt.core) > 24:
                    break
                chain.append(nxt)
                text += nxt.core
                cur = nxt
                if idx.stopper_pattern(text):
                    if best is None or len(chain) > len(best):
                        best = list(chain)
                    break
        # a label cell's printed hint under the label (主要业绩 / (800字以内)) is part of it
        if best is not None or idx.full(it.core) is not None:
            base = best or [it]
            cur, hint, text = base[-1], [], ""
            for _ in range(4):
                nxt = nearest([o for o in items if id(o) not in used and o not in base and o not in hint
                               and o.norm and len(o.norm) <= 14 and below(o, cur)], cur)
                if nxt is None or (not hint and not nxt.norm.startswith("(")):
                    break
                hint.append(nxt)
                text += nxt.norm
                cur = nxt
                if ")" in text:
                    break
            if hint and ")" in text and not strip_hints(text).strip():
                best = base + hint
        # (c) a template hint printed over lines: (800字 / 以内)
        if best is None and it.norm.startswith("(") and ")" not in it.norm:
            chain, text, cur = [it], it.norm, it
            for _ in range(4):
                nxt = nearest([o for o in items if id(o) not in used and o not in chain and o.norm
                               and len(o.norm) <= 12 and below(o, cur)], cur)
                if nxt is None:
                    break
                chain.append(nxt)
                text += nxt.norm
                cur = nxt
                if ")" in text:
                    if not strip_hints(text).strip():
                        best = list(chain)
                    break
        if best:
            box = (min(o.x0 for o in best), min(o.y0 for o in best),
                   max(o.x1 for o in best), max(o.y1 for o in best))
            confs = [o.confidence for o in best if o.confidence is not None]
            m = Item(text="".join(o.text.strip() for o in best), box=box, page=it.page,
                     confidence=min(confs) if confs else None, parts=best)
            merged.append(m)
            used.update(id(o) for o in best)
    if merged:
        lay.items = [o for o in lay.items if id(o) not in used] + merged


# ---------------------------------------------------------------------------------------
# scope of scoped labels (国家级 next to 获奖等级, 高级工 under 技术等级提升 …)

def _in_scope(it: Item, groups: list[Item], lay: Layout) -> bool:
    for g in groups:
        if it.x0 >= g.x1 - 0.3 * lay.lh:
            if same_row(g, it, lay):
                return True
            # a header in a tall cell (rowspan): its rows are those its text is centred on
            if not lay.grid and g.y0 - 1.5 * lay.lh <= it.yc <= g.y1 + 1.5 * lay.lh:
                return True
        if it.yc > g.yc:
            gap = it.y0 - g.y1
            near = gap <= (1.01 if lay.grid else 3 * lay.lh)
            lo, hi = column_range(g, lay)
            if not lay.grid:
                # a centred header over several columns: widen by its own width
                lo, hi = min(lo, g.x0 - g.w), max(hi, g.x1 + g.w)
            if near and lo - 1e-6 <= it.xc <= hi + 1e-6:
                return True
    return False


def apply_scopes(lay: Layout) -> list[Item]:
    """Scoped labels out of their group's reach become values again. Returns the scoped
    labels whose group header is absent from the page (decided after the fields)."""
    groups: dict[str, list[Item]] = {}
    for it in lay.items:
        if it.role == "group":
            groups.setdefault(it.ldef.key, []).append(it)
    pending = []
    for it in lay.items:
        d = it.ldef
        if it.role == "label" and d is not None and d.scope:
            g = groups.get(d.scope)
            if g:
                if not _in_scope(it, g, lay):
                    it.role, it.ldef, it.inline, it.extra = "value", None, None, []
            else:
                pending.append(it)
                it.role = "value"
    return pending


# ---------------------------------------------------------------------------------------
# value regions

def _in_column(o: Item, L: Item) -> bool:
    return _hov(o, L) > 0.3 * min(o.w, L.w)


def _mates(o: Item, lay: Layout) -> list[Item]:
    """Items in the same row as ``o`` (memoised per layout)."""
    cache = lay.__dict__.setdefault("_mates_cache", {})
    got = cache.get(id(o))
    if got is None:
        got = [m for m in lay.items if m.role not in ("hint", "empty") and (m is o or same_row(m, o, lay))]
        cache[id(o)] = got
    return got


def _cell_extent(L: Item, lay: Layout, skip: frozenset | set = frozenset()) -> tuple[float, float]:
    """The vertical extent of the table row of label ``L`` on a scan (no rulings are known).

    Rows are followed down L's column: each row starts where the one above ended; a row
    whose label is a label ends as far below its label's centre as it starts above it (labels
    are centred in their cells, values start at the top), and never before its own content
    ends nor after the next row's content begins. A row whose label and first value line
    start level (top-aligned cells) runs on while its value lines follow each other; the
    first row reaches up over the value lines that run on above it."""
    pad = 0.25 * lay.lh
    gap = 0.6 * lay.lh
    chain = [o for o in lay.items if o is L or (o.role not in ("hint", "empty") and _in_column(o, L))]
    chain.sort(key=lambda o: (o.yc, o.x0))
    rows: list[list[Item]] = []
    for o in chain:
        if rows and any(same_row(o, r, lay) for r in rows[-1]):
            rows[-1].append(o)
        else:
            rows.append([o])
    b: Optional[float] = None
    for i, row in enumerate(rows):
        own = [o for o in row if o is L or _in_column(o, L)]
        e = L if L in row else next((o for o in own if o.is_label), own[0] if own else
                                    next((o for o in row if o.is_label), row[0]))
        mates = {id(m): m for r in row for m in _mates(r, lay)}.values()
        c_top = min(o.y0 for o in mates)
        c_bot = max(o.y1 for o in mates)
        nxt_top = min(o.y0 for o in rows[i + 1]) - pad if i + 1 < len(rows) else INF
        if b is None:
            # the first row: value lines running on above the label's line belong to it
            cur = c_top
            for o in sorted((o for o in lay.items if o.xc > e.x1 and o.yc < c_top and o.role != "empty"
                             and not o.is_label), key=lambda o: -o.y1):
                if cur - o.y1 > gap:
                    break
                cur = min(cur, o.y0)
            top = cur - pad
        else:
            top = min(b, c_top - pad)
        tall = e.h > 1.6 * lay.lh or (e.ldef is not None and (e.ldef.multiline or e.ldef.kind == "group"))
        if e.is_label and tall:
            # the cell is as far below the label's centre as its content starts above it
            # (content at the top of the cell, or centred with the label)
            first = [o.y0 for o in lay.items if o.xc > e.x1 and id(o) not in skip
                     and (not o.header_like or o.role == "hint") and o.role != "empty"
                     and o.y0 >= top - 0.3 * lay.lh and o.y0 <= e.yc]
            sym_top = max(top, min(first) - pad) if first else top
            bottom = max(c_bot + pad, 2 * e.yc - sym_top)
        else:
            # a row of one line of text ends half-way to the next line of text under it
            x_lo = min(m.x0 for m in mates)
            under = [o.y0 for o in lay.items if o.y0 >= c_bot - 0.2 * lay.lh and o.x1 > x_lo
                     and o.role not in ("hint", "empty") and id(o) not in {id(m) for m in mates}]
            nearest_under = min(under) if under else INF
            bottom = min(c_bot + lay.lh, (c_bot + nearest_under) / 2)
            bottom = max(bottom, c_bot + 0.1 * lay.lh)
        if e.is_label and tall:
            if nxt_top < INF:
                # top-aligned cell: the value starts level with the label and runs on
                right = sorted((o for o in lay.items if o.xc > e.x1 and top <= o.yc <= nxt_top
                                and not o.is_label and o.role != "empty"), key=lambda o: o.y0)
                if right and abs(right[0].y0 - e.y0) < gap:
                    end = right[0].y1
                    for o in right[1:]:
                        if o.y0 - end > gap:
                            break
                        end = max(end, o.y1)
                    bottom = max(bottom, end + pad)
                elif right:
                    # a block of lines that starts, after a wide gap, below the label's centre
                    # and about where this row should end is the next row's (top-aligned) value
                    end = right[0].y1
                    for o in right[1:]:
                        if o.y0 - end > 2 * lay.lh and e.yc < o.y0 < bottom + 0.5 * lay.lh:
                            bottom = min(bottom, o.y0 - 0.1 * lay.lh)
                            break
                        end = max(end, o.y1)
        bottom = max(min(bottom, nxt_top), e.y1)
        if e is L:
            return _bound_by_labels(L, lay, top, bottom)
        b = bottom
    return L.y0, L.y1


def _bound_by_labels(L: Item, lay: Layout, top: float, bottom: float) -> tuple[float, float]:
    """A field's row also ends at the labels of the rows above and below it further right
    (a label in the middle of a row may have nothing under it in its own column)."""
    if L.ldef is None or L.ldef.kind != "field":
        return top, bottom
    tol = 0.3 * lay.lh
    for o in lay.items:
        if o is L or not o.is_label or o.xc <= L.x0 or same_row(o, L, lay):
            continue
        if o.y1 <= L.y0 + tol:
            top = max(top, min(o.y1 + 0.25 * lay.lh, L.y0))
        elif o.y0 >= L.y1 - tol:
            bottom = min(bottom, max(o.y0 - 0.25 * lay.lh, L.y1))
    return top, bottom


def _right_region(L: Item, lay: Layout, multiline: bool, skip: frozenset | set = frozenset()) -> list[Item]:
    lh = lay.lh
    if lay.grid:
        top, bot = L.y0, L.y1
        band = lambda o: _vov(o, L) > 1e-6  # noqa: E731
    else:
        ctop, cbot = _cell_extent(L, lay, skip)
        reach = 40 * lh if multiline else 2.5 * lh
        top = min(max(ctop, L.yc - reach), L.y0)
        bot = max(min(cbot, L.yc + reach), L.y1)
        band = lambda o: top - 1e-6 <= o.yc <= bot + 1e-6  # noqa: E731
    # the next label to the right in the label's own row ends the value
    x_hi = INF
    for o in lay.items:
        if o is L or not o.is_label:
            continue
        if o.xc > L.x1 and (same_row(o, L, lay) or (multiline and band(o))):
            x_hi = min(x_hi, o.x0)
    out = [o for o in lay.items
           if o is not L and band(o) and o.xc > L.x1 - (0 if lay.grid else 0.2 * lh)
           and o.x0 >= L.x1 - (1e-6 if lay.grid else 0.5 * lh) and o.xc < x_hi
           and not o.is_label and id(o) not in skip]
    if multiline and not lay.grid and not out and L.h > 2.2 * L.w:
        # nothing beside a label printed vertically (个/人/简/历 stacked) in the middle of a
        # tall cell: its text starts at the top of the cell, which runs from the labels of the
        # row above to those of the row below
        above = [o.y1 for o in lay.items if o is not L and o.is_label and o.y1 <= L.y0 + 0.3 * lh
                 and not same_row(o, L, lay)]
        below = [o.y0 for o in lay.items if o is not L and o.is_label and o.y0 >= L.y1 - 0.3 * lh
                 and not same_row(o, L, lay)]
        top = max(above) + 0.25 * lh if above else L.y0 - 20 * lh
        bot = min(below) - 0.25 * lh if below else L.y1 + 20 * lh
        out = [o for o in lay.items
               if o is not L and top <= o.yc <= bot and o.xc > L.x1 - 0.2 * lh and o.x0 >= L.x1 - 0.5 * lh
               and o.xc < x_hi and not o.is_label and id(o) not in skip]
    if multiline and not lay.grid and out:
        # a later block of lines, far below the first and below the label's centre, is the
        # top-aligned value of the next row (受奖情况 under 个人简历), not more of this one
        out.sort(key=lambda o: o.y0)
        keep = [out[0]]
        end = out[0].y1
        for o in out[1:]:
            if o.y0 - end > 2 * lh and o.y0 > L.yc + 0.5 * lh:
                break
            keep.append(o)
            end = max(end, o.y1)
        out = keep
    return out


def _below_region(L: Item, lay: Layout, skip: frozenset | set = frozenset()) -> list[Item]:
    """A block label with its text underneath (``主要业绩`` as a heading): every item below it
    down to the next label row, across the width of the page."""
    nxt = INF
    for o in lay.items:
        if o is not L and o.is_label and o.y0 >= L.y1 - 1e-6:
            nxt = min(nxt, o.y0)
    return [o for o in lay.items if o is not L and o.y0 >= L.y1 - (1e-6 if lay.grid else 0.3 * lay.lh)
            and o.y1 <= nxt + 1e-6 and not o.is_label and id(o) not in skip]


def _directly_below(L: Item, lay: Layout) -> Optional[list[Item]]:
    """The items of the next row under ``L`` within its column (a column header's value)."""
    lo, hi = column_range(L, lay)
    cands = [o for o in lay.items if o is not L and o.yc > L.y1 - (0 if lay.grid else 0.2 * lay.lh)
             and lo <= o.xc <= hi and _hov(o, L) > -0.5 * max(L.w, lay.lh)]
    if not cands:
        return None
    if lay.grid:
        # the cell right under it, not a wide cell of a later row that happens to cover it
        cands = [o for o in cands if o.x0 >= lo - 0.01 and o.x1 <= hi + 0.01]
    else:
        cands = [o for o in cands if o.w <= 3 * max(hi - lo if hi < INF and lo > -INF else L.w, L.w)]
    if not cands:
        return None
    first = min(cands, key=lambda o: o.y0)
    if lay.grid:
        if first.y0 - L.y1 > 0.01:
            return None
    elif first.y0 - L.y1 > 2.5 * lay.lh:
        return None
    row = [o for o in cands if same_row(o, first, lay)]
    return row


def _header_row(L: Item, lay: Layout) -> bool:
    mates = row_mates(L, lay, lambda o: o.role != "empty")
    return len(mates) >= 2 and all(o.header_like for o in mates)


def _join(items: list[Item], lay: Layout, multiline: bool) -> str:
    items = [o for o in items if o.role not in ("hint",)]
    if not items:
        return ""
    rows: list[list[Item]] = []
    for o in sorted(items, key=lambda o: (o.yc, o.x0)):
        if rows and any(same_row(o, r, lay) for r in rows[-1]):
            rows[-1].append(o)
        else:
            rows.append([o])
    lines = []
    for r in rows:
        r.sort(key=lambda o: o.x0)
        s = ""
        for o in r:
            t = strip_hints(o.text.strip())
            t = re.sub(r"_{2,}", "", t).strip()
            if not t:
                continue
            if s and re.match(r"[0-9A-Za-z]", s[-1]) and re.match(r"[0-9A-Za-z]", t[0]):
                s += " "
            s += t
        if s:
            lines.append(s)
    sep = "\n" if multiline else ""
    return sep.join(lines).strip()


# ---------------------------------------------------------------------------------------
# values

def _value_fact(d: LabelDef, raw: str, spans: list[Span], conf: Optional[float]) -> Fact:
    raw = (raw or "").strip()
    text = raw.lstrip(":：").strip()
    if not text:
        return Fact(value=None, raw="", spans=spans, confidence=conf)
    v: Any
    if d.type == "date":
        got = parse_date_precision(text)
        v = got[0] if got else None
    elif d.type == "int":
        v = parse_int(text)
    elif d.type == "wanyuan":
        v = parse_wanyuan(text)
    elif d.type == "id":
        v = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    elif d.type == "phone":
        v = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    elif d.key == "name":
        v = re.sub(r"\s+", "", text)
    else:
        v = text
    if d.type in ("int", "wanyuan") and v is None and re.fullmatch(r"(?:个|项|件|份|人次|次|人|万元|元|\s)*", text):
        return Fact(value=None, raw="", spans=spans, confidence=conf)
    return Fact(value=v, raw=text, spans=spans, confidence=conf)


def _conf(items: list[Item]) -> Optional[float]:
    cs = [o.confidence for o in items if o.confidence is not None]
    return min(cs) if cs else None


class _Collector:
    def __init__(self, ex: Extraction):
        self.ex = ex
        self.form = DeclaredForm(file=ex.file)
        self.problems: list[str] = []

    def put(self, d: LabelDef, fact: Fact, year: Optional[int] = None) -> None:
        if d.kind == "per_year":
            slot = self.form.per_year.setdefault(d.key, {})
            self._store(slot, year, fact, f"{_zh(d)}（{year}年）")
        else:
            store = self.form.fields if d.kind == "field" else self.form.counts
            self._store(store, d.key, fact, _zh(d))

    def _store(self, store: dict, key, fact: Fact, zh: str) -> None:
        old = store.get(key)
        if old is None or (old.empty and not old.raw and (not fact.empty or fact.raw)):
            store[key] = fact
            return
        if fact.empty and not fact.raw:
            return
        a = re.sub(r"\s+", "", str(old.value if old.value is not None else old.raw))
        b = re.sub(r"\s+", "", str(fact.value if fact.value is not None else fact.raw))
        if a != b and b not in a and a not in b:
            self.problems.append(f"“{zh}”出现多处且内容不同：“{a[:30]}”与“{b[:30]}”，取前者。")


def _zh(d: LabelDef) -> str:
    return d.variants[0] if d.variants else d.key


def _fact_from_items(d: LabelDef, L: Item, vals: list[Item], lay: Layout, ex: Extraction) -> Fact:
    vals = [o for o in vals if o.role not in ("hint",)]
    text_items = [o for o in vals if o.role != "empty"]
    raw = _join(text_items, lay, d.multiline)
    spans = [o.span(ex) for o in text_items if o.text.strip()]
    if not raw:
        spans = [L.span(ex)]
    return _value_fact(d, raw, spans, _conf(text_items) if text_items else L.confidence)


def _read_label(L: Item, lay: Layout, ex: Extraction, skip: frozenset | set = frozenset()) -> tuple[Fact, list[Item]]:
    """The value of label item ``L`` and the items it was read from."""
    d = L.ldef
    assert d is not None
    if L.inline is not None and L.inline.strip(":").strip():
        text = L.inline.strip(":").strip()
        fact = _value_fact(d, text, [L.span(ex)], L.confidence)
        extra: list[Item] = []
        if d.multiline and not lay.grid:
            extra = _right_region(L, lay, True, skip)
            if extra:
                more = _join(extra, lay, True)
                fact = _value_fact(d, text + "\n" + more, [L.span(ex)] + [o.span(ex) for o in extra],
                                   _conf([L] + extra))
        return fact, extra
    if d.value == "below":
        vals = _directly_below(L, lay) or []
        return _fact_from_items(d, L, vals, lay, ex), vals
    vals = _right_region(L, lay, d.multiline, skip)
    has_text = any(o.role not in ("empty", "hint") for o in vals)
    if not vals or (not has_text and not lay.grid):
        if _header_row(L, lay):
            below = _directly_below(L, lay)
            if below and all(not o.is_label and o.role != "year" for o in below):
                return _fact_from_items(d, L, below, lay, ex), below
            if d.kind != "field":
                return Fact(value=None, raw="", spans=[L.span(ex)], confidence=L.confidence), []
        if d.multiline:
            below = _below_region(L, lay, skip)
            if below and any(o.role not in ("empty", "hint") for o in below):
                return _fact_from_items(d, L, below, lay, ex), below
    return _fact_from_items(d, L, vals, lay, ex), vals


# ---------------------------------------------------------------------------------------
# per-year tables

def _years_below_in_column(H: Item, lay: Layout, years: list[int]) -> list[Item]:
    lo, hi = column_range(H, lay)
    reach = 1.01 if lay.grid else 3 * lay.lh
    ys = [o for o in lay.items if o.role == "year" and o.yc > H.yc and o.y0 - H.y1 <= reach
          and lo <= o.xc <= hi and (not years or o.year in years)]
    if not ys:
        return []
    first = min(ys, key=lambda o: o.y0)
    row = [o for o in ys if same_row(o, first, lay)]
    best: dict[int, Item] = {}
    for o in sorted(row, key=lambda o: abs(o.xc - H.xc)):
        best.setdefault(o.year, o)
    return sorted(best.values(), key=lambda o: o.x0)


def _years_in_rows(H: Item, lay: Layout, years: list[int]) -> list[Item]:
    """Year row labels of a table headed by ``H`` (years down a column left of it)."""
    cands = [o for o in lay.items if o.role == "year" and o.yc > H.yc and o.x1 <= H.x0 + 0.5 * lay.lh
             and (not years or o.year in years)]
    if not cands:
        return []
    hdr = [o for o in row_mates(H, lay) if o.role == "group" and o.ldef and o.ldef.key == "year_header"]
    if hdr:
        lo, hi = column_range(hdr[0], lay)
        cands = [o for o in cands if lo <= o.xc <= hi] or cands
    anchor = min(cands, key=lambda o: (o.y0 - H.y1) + 0.1 * (H.x0 - o.x1))
    tol = 0.5 if lay.grid else max(anchor.w, 2 * lay.lh) * 0.6
    col = [o for o in cands if abs(o.xc - anchor.xc) <= tol]
    best: dict[int, Item] = {}
    for o in sorted(col, key=lambda o: o.y0):
        best.setdefault(o.year, o)
    rows = sorted(best.values(), key=lambda o: o.y0)
    # stop at a gap: rows of another table further down
    out = rows[:1]
    for o in rows[1:]:
        step = o.yc - out[-1].yc
        limit = 1.01 if lay.grid else 3.5 * lay.lh
        if step > limit and not (lay.grid and step <= 2.01):
            break
        out.append(o)
    return out


def _years_above_in_row(H: Item, lay: Layout, years: list[int]) -> list[Item]:
    """Transposed table: a header row of years above, ``H`` as a row label at the left."""
    cands = [o for o in lay.items if o.role == "year" and o.yc < H.yc and o.x0 >= H.x1 - 0.5 * lay.lh
             and (not years or o.year in years)]
    if not cands:
        return []
    first = max(cands, key=lambda o: o.y0)
    return [o for o in cands if same_row(o, first, lay)]


def _cell_at(col_item: Item, row_item: Item, lay: Layout) -> list[Item]:
    lo, hi = column_range(col_item, lay)
    out = []
    for o in lay.items:
        if o is col_item or o is row_item or o.header_like and o.role != "unit":
            continue
        if not (lo <= o.xc <= hi):
            continue
        if lay.grid:
            if _vov(o, row_item) > 1e-6 and _vov(o, col_item) <= 1e-6:
                out.append(o)
        elif abs(o.yc - row_item.yc) < 0.8 * lay.lh and o.yc > col_item.y1 - 0.2 * lay.lh:
            out.append(o)
    return out


def read_per_year(lay: Layout, ex: Extraction, years: list[int], col: _Collector,
                  consumed: Optional[set[int]] = None) -> None:
    consumed = consumed if consumed is not None else set()
    heads = [o for o in lay.items if o.role == "per_year"]
    for H in heads:
        d = H.ldef
        zh = _zh(d)
        if H.inline and H.inline.strip(":"):
            col.problems.append(f"“{zh}”后直接写有“{H.inline[:20]}”，未按年度分栏，未能读取。")
        below = _years_below_in_column(H, lay, years)
        found: dict[int, Fact] = {}
        if below:
            for Y in below:
                vals = _directly_below(Y, lay) or []
                vals = [o for o in vals if not o.header_like or o.role == "unit"]
                consumed.update(id(o) for o in vals)
                found[Y.year] = _fact_from_items(d, Y, vals, lay, ex)
        else:
            rows = _years_in_rows(H, lay, years)
            if rows:
                for Y in rows:
                    vals = _cell_at(H, Y, lay)
                    consumed.update(id(o) for o in vals)
                    found[Y.year] = _fact_from_items(d, Y, vals, lay, ex)
            else:
                for Y in _years_above_in_row(H, lay, years):
                    lo, hi = column_range(Y, lay)
                    vals = [o for o in lay.items if not o.header_like and same_row(o, H, lay)
                            and lo <= o.xc <= hi]
                    consumed.update(id(o) for o in vals)
                    found[Y.year] = _fact_from_items(d, Y, vals, lay, ex)
        if not found:
            col.problems.append(f"找到“{zh}”栏，但未找到其年度（{'、'.join(map(str, years)) or '年份'}）。")
            continue
        for y, f in found.items():
            if f.value is None and f.raw:
                col.problems.append(f"“{zh}”{y}年的数值“{f.raw[:20]}”无法识别。")
            col.put(d, f, y)
        missing = [y for y in years if y not in found]
        if missing and found:
            col.problems.append(f"“{zh}”栏中未找到 {'、'.join(map(str, missing))} 年度。")


# ---------------------------------------------------------------------------------------
# the form

MIN_FIELD_KEYS = 4
MIN_ALL_KEYS = 6


def parse_approval_form(extraction: Extraction, *, years: list[int]) -> tuple[Optional[DeclaredForm], list[str]]:
    """Read an approval form (attachment 1) from any extraction (docx, xlsx, scan, text layer).

    Returns ``(form, problems)``; ``form`` is None when the document is not an approval form
    (too few of its labels found). ``problems`` are Chinese sentences for a reviewer (values
    that could not be read, fields written twice with different content …). A label found
    with nothing filled in gives ``Fact(value=None, raw="")``; a label not found leaves its
    key out."""
    ex = extraction
    years = [int(y) for y in (years or [])]
    idx = form_label_index()
    col = _Collector(ex)
    layouts = page_layouts(ex)
    for lay in layouts:
        classify(lay, idx, years)
        pending = apply_scopes(lay)
        # blocks of multi-line values: their lines are never read as labels
        exclude: set[int] = set()
        for L in lay.items:
            if L.role == "label" and L.ldef.multiline:
                vals = _right_region(L, lay, True)
                exclude.update(id(o) for o in vals)
        classify_prefix(lay, idx, exclude)
        # scoped labels whose group header is missing: values when a field reads them
        for it in pending:
            if not _read_by_field(it, lay):
                it.role = "label"
        consumed: set[int] = set()
        # tables of figures first: their cells are unambiguous
        read_per_year(lay, ex, years, col, consumed)
        for L in sorted((o for o in lay.items if o.role == "label"), key=lambda o: (o.y0, o.x0)):
            if L.ldef.kind != "count":
                continue
            fact, used = _read_label(L, lay, ex, consumed)
            consumed.update(id(o) for o in used)
            if fact.value is None and fact.raw:
                col.problems.append(f"“{_zh(L.ldef)}”的内容“{fact.raw[:20]}”无法识别为数字。")
            col.put(L.ldef, fact)
        for L in sorted((o for o in lay.items if o.role == "label"), key=lambda o: (o.y0, o.x0)):
            if L.ldef.kind != "field":
                continue
            fact, used = _read_label(L, lay, ex, consumed)
            col.put(L.ldef, fact)
            for d2, rest in L.extra:
                if d2.kind in ("field", "count"):
                    col.put(d2, _value_fact(d2, strip_hints(rest), [L.span(ex)], L.confidence))
        for it in lay.free:
            for d, rest in _split_inline(it.norm, idx) or _prefix_pairs(it, idx):
                if d.kind in ("field", "count"):
                    col.put(d, _value_fact(d, strip_hints(rest), [it.span(ex)], it.confidence))
    f = col.form
    _sum_patent_parts(f)
    n_fields = len([k for k in f.fields])
    n_all = n_fields + len(f.counts) + len(f.per_year)
    if n_fields < MIN_FIELD_KEYS or n_all < MIN_ALL_KEYS:
        return None, col.problems
    f.source = _source(ex)
    if f.source == "ocr":
        f.opinions = read_opinions(ex)
    for key, fact in f.fields.items():
        if fact.value is None and fact.raw:
            col.problems.append(f"“{_field_zh(key)}”的内容“{fact.raw[:20]}”无法识别。")
    return f, col.problems


def _sum_patent_parts(form: DeclaredForm) -> None:
    """A form with separate 实用新型 and 外观设计 rows: their sum is the form's figure for
    实用新型/外观 (the rows stay as ``patents.utility`` and ``patents.design``)."""
    if "patents.utility_design" in form.counts:
        return
    parts = [form.counts[k] for k in ("patents.utility", "patents.design") if k in form.counts]
    if not parts:
        return
    known = [p.value for p in parts if p.value is not None]
    value = sum(known) if known else None
    form.counts["patents.utility_design"] = Fact(
        value=value, raw=" + ".join(p.raw for p in parts if p.raw),
        spans=[s for p in parts for s in p.spans],
        confidence=min((p.confidence for p in parts if p.confidence is not None), default=None))


def _read_by_field(it: Item, lay: Layout) -> bool:
    """Whether a field label sits left of ``it`` in its row with no label between them."""
    left = [o for o in lay.items if o.is_label and o is not it and same_row(o, it, lay) and o.x1 <= it.x0 + 1e-6]
    if not left:
        return False
    nearest = max(left, key=lambda o: o.x1)
    return nearest.role == "label" and nearest.ldef is not None and nearest.ldef.kind == "field"


def _prefix_pairs(it: Item, idx: LabelIndex) -> list[tuple[LabelDef, str]]:
    hit = idx.prefix(it.core)
    if hit and hit[0].kind == "field" and len(it.core) <= 40:
        return [hit]
    return []


def _field_zh(key: str) -> str:
    for d in form_label_index().defs:
        if d.key == key:
            return _zh(d)
    return key


def _source(ex: Extraction) -> str:
    if ex.media in ("docx", "xlsx"):
        return ex.media
    srcs = [p.source for p in ex.pages if p.lines]
    if "ocr" in srcs:
        return "ocr"
    if "text-layer" in srcs:
        return "text-layer"
    return srcs[0] if srcs else ex.media


# ---------------------------------------------------------------------------------------
# opinion boxes of a scanned form, and the seals in them (rule D07)

OPINION_KEYS = ("unit_union", "unit_hr", "county_union", "county_hr", "city_union", "city_hr")
_OPINION_END = re.compile(r"意[见兄贝觅][:)]?$")
_HR_WORDS = ("人力", "人事", "人社", "社会保障", "社保", "劳动", "力资源", "资源社会")
_COUNTY_WORDS = ("县", "区", "产业", "市直", "各")


def opinion_box_key(label: str) -> str:
    """Which opinion box a label names, whatever the wording: unit_union (所在单位工会),
    unit_hr (所在单位人力资源/人事部门), county_union (县区总工会、产业工会、市直机关工会),
    county_hr (县区人社部门), city_union (市总工会), city_hr (市人社局); ``other`` else."""
    t = norm_text(label)
    hr = any(w in t for w in _HR_WORDS)
    union = "工会" in t or "工 会" in t or t.endswith("工意见")
    if t.startswith("市") or "市总" in t or "市人" in t:
        if "市直" not in t:
            return "city_hr" if hr else ("city_union" if union or "市总" in t else "other")
    if any(w in t for w in _COUNTY_WORDS) and "单位" not in t.replace("各", ""):
        return "county_hr" if hr else ("county_union" if union else "other")
    if "单位" in t or "所在" in t:
        return "unit_hr" if hr else ("unit_union" if union else "other")
    return "other"


def _label_cluster(anchor, lines: list) -> list:
    """The lines of one opinion label: the anchor (…意见) and the lines stacked right above
    it in the same narrow label cell."""
    cluster = [anchor]
    h = max(1.0, anchor.box[3] - anchor.box[1])
    while len(cluster) < 7:
        top = min(l.box[1] for l in cluster)
        x0 = min(l.box[0] for l in cluster)
        x1 = max(l.box[2] for l in cluster)
        best = None
        for l in lines:
            if any(l is c for c in cluster):
                continue
            b = l.box
            # right above: starts clearly higher, ends at most a line's height higher (OCR
            # boxes are padded, so stacked lines may overlap by half their height)
            if b[1] > top - 0.3 * h or top - b[3] > 1.1 * h:
                continue
            ov = min(x1, b[2]) - max(x0, b[0])
            if ov <= 0.3 * min(x1 - x0, b[2] - b[0]):
                continue
            t = norm_text(l.text)
            if _OPINION_END.search(t) or "公章" in t or len(t) > 12:
                continue
            if best is None or b[3] > best.box[3]:
                best = l
        if best is None:
            break
        cluster.append(best)
    return sorted(cluster, key=lambda l: l.box[1])


def read_opinions(ex: Extraction) -> list[dict]:
    """The opinion boxes of a scanned approval form and whether each carries a seal.

    Each box is found by its label (lines ending in 意见, with the label lines stacked above
    them; any wording, see :func:`opinion_box_key`); its region runs from the label's right
    edge to the next label of the row (or the page edge) and, vertically, halfway to the
    label rows above and below. A seal of ``Page.seals`` whose centre lies in the region
    belongs to the box. Only OCR'd pages count (a docx form or a text layer has no seals).
    Returns ``[{"box", "label", "seal", "seals": [SealInfo], "span": Span, "confidence",
    "page"}]`` in page order."""
    from audit.model import SealInfo
    out: list[dict] = []
    for p in ex.pages:
        if p.source != "ocr":
            continue
        lines = [l for l in p.lines if l.box and l.text.strip()]
        found = []
        used: set[int] = set()
        for a in sorted(lines, key=lambda l: (l.box[1], l.box[0])):
            t = norm_text(a.text)
            if id(a) in used or not _OPINION_END.search(t) or len(t) > 24:
                continue
            cl = _label_cluster(a, lines)
            used.update(id(l) for l in cl)
            text = "".join(norm_text(l.text) for l in cl)
            box = (min(l.box[0] for l in cl), min(l.box[1] for l in cl),
                   max(l.box[2] for l in cl), max(l.box[3] for l in cl))
            found.append({"key": opinion_box_key(text), "text": text, "bbox": box,
                          "conf": min(float(l.confidence) for l in cl), "cy": (box[1] + box[3]) / 2})
        if not found:
            continue
        # rows of labels (labels of one row are centred on the same line)
        rows: list[list[dict]] = []
        for o in sorted(found, key=lambda o: o["cy"]):
            tol = max(40.0, 0.5 * (o["bbox"][3] - o["bbox"][1]))
            if rows and abs(o["cy"] - rows[-1][0]["cy"]) <= tol:
                rows[-1].append(o)
            else:
                rows.append([o])
        centres = [sum(o["cy"] for o in r) / len(r) for r in rows]
        default_half = max(0.05 * (p.height or 2339), max(o["bbox"][3] - o["bbox"][1] for o in found))
        seals = [SealInfo.from_page(d, file=ex.file, page=p.page, sha256=ex.sha256) for d in p.seals]
        for ri, row in enumerate(rows):
            up = (centres[ri] - centres[ri - 1]) / 2 if ri > 0 else None
            down = (centres[ri + 1] - centres[ri]) / 2 if ri + 1 < len(rows) else None
            y0 = centres[ri] - (up or down or default_half)
            y1 = centres[ri] + (down or up or default_half)
            for o in sorted(row, key=lambda o: o["bbox"][0]):
                x0 = o["bbox"][2]
                rights = [q["bbox"][0] for q in row if q["bbox"][0] > x0]
                x1 = min(rights) if rights else (p.width or INF)
                region = (x0, y0, x1, y1)
                inside = [s for s in seals if x0 <= s.center[0] <= x1 and y0 <= s.center[1] <= y1]
                out.append({"box": o["key"], "label": o["text"], "seal": bool(inside), "seals": inside,
                            "region": tuple(round(v, 1) for v in region), "page": p.page,
                            "confidence": round(o["conf"], 3),
                            "span": Span(file=ex.file, page=p.page, box=tuple(round(v, 1) for v in o["bbox"]),
                                         text=o["text"], confidence=round(o["conf"], 3), sha256=ex.sha256)})
    return out
