"""The summary table (attachment 2): one row per nominee, read by its header words.

The notice's table has two header rows: group headers (技能竞赛获奖名次, 取得专利数量,
创造经济效益(万元) …) spanning sub-columns (企业级 … 国家级, 发明专利 …, the years), and single
columns spanning both rows (序号, 姓名, 工作单位及职务, 技术等级/职称/执业资格, 备注, an optional
类别). Units move, drop and add columns, and put a title and a 推荐单位 line above. Each
column is resolved to a key (``competition.enterprise``, ``patents.utility``,
``benefit.2019``, ``apprentices.2020``, ``media.provincial`` …) by its header words and box:
a sub-column belongs to the group header above it whose span covers it.

Works on office tables (grid cells) and on scans / text layers (lines with pixel boxes:
each data line goes to the column whose x-range holds it, to the row of the nearest 序号 or
姓名). An empty numeric cell is ``Fact(None)`` (nothing declared); ``0``/``—``/``无`` are 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from audit.dates import parse_date
from audit.forms import (INF, Item, LabelDef, LabelIndex, Layout, merge_split_labels, year_of, label_config,
                         norm_text, page_layouts, same_row, strip_hints)
from audit.model import Fact, Span, SummaryRow, SummaryTable
from audit.numbers import parse_int, parse_wanyuan
from extractors.base import Extraction

__all__ = ["parse_summary_table", "Column"]

TEXT_KEYS = ("name", "employer_position", "level_title", "category", "remark")


@lru_cache(maxsize=1)
def _vocab() -> dict:
    v = label_config()["summary"]
    n = lambda xs: [strip_hints(norm_text(x)) for x in xs]  # noqa: E731
    return {
        "columns": {k: n(ws) for k, ws in v["columns"].items()},
        "groups": {k: n(ws) for k, ws in v["groups"].items()},
        "levels": {k: n(ws) for k, ws in v["levels"].items()},
        "patents": {k: n(ws) for k, ws in v["patents"].items()},
        "unit_labels": n(v.get("unit_labels", [])),
        "date_labels": n(v.get("date_labels", [])),
        "end": [re.compile(p) for p in v.get("end_patterns", [])],
    }


@dataclass
class Column:
    key: str
    lo: float
    hi: float
    header: Item


# ---------------------------------------------------------------------------------------
# header words

def _kind(core: str) -> tuple[str, str]:
    """('year'|'level'|'patent'|'single'|'group'|'', key) of a header text."""
    v = _vocab()
    if not core or len(core) > 40:
        return "", ""
    y = year_of(core)
    if y is not None:
        return "year", str(y)
    for k, ws in v["levels"].items():
        if core in ws:
            return "level", k
    for k, ws in v["patents"].items():
        if core in ws or any(core.startswith(w) and len(w) >= 2 and len(core) <= len(w) + 2 for w in ws):
            return "patent", k
    for k, ws in v["columns"].items():
        if k == "seq":
            if core in ws:
                return "single", k
            continue
        if k == "name":
            if core in ws or (core.endswith("姓名") and len(core) <= 6):
                return "single", k
            continue
        if any(w in core for w in ws):
            return "single", k
    for k, ws in v["groups"].items():
        if any(w in core for w in ws):
            return "group", k
    return "", ""


def _core(it: Item) -> str:
    return strip_hints(it.norm).strip(":")


def _merge_pieces(items: list[Item], lay: Layout) -> list[Item]:
    """Scans: a header written over several lines of one cell (``签订师带`` / ``徒协议(份)``,
    ``创造经济效`` / ``益(万元)``) becomes one item. A chain starts at an unknown piece or a
    group header and takes only unknown pieces (or pieces of the same group) below it."""
    if lay.grid:
        return items
    items = sorted(items, key=lambda o: (o.y0, o.x0))
    kind = {id(o): _kind(_core(o)) for o in items}
    used: set[int] = set()
    out: list[Item] = []
    for it in items:
        if id(it) in used:
            continue
        chain = [it]
        k0 = kind[id(it)]
        if k0[0] in ("", "group"):
            cur = it
            while True:
                nxt = None
                for o in items:
                    if id(o) in used or o in chain:
                        continue
                    ov = min(o.x1, cur.x1) - max(o.x0, cur.x0)
                    if ov > 0.5 * min(o.w, cur.w) and -0.2 * lay.lh <= o.y0 - cur.y1 < 0.6 * lay.lh:
                        nxt = o if nxt is None or o.y0 < nxt.y0 else nxt
                if nxt is None:
                    break
                kn = kind[id(nxt)]
                if not (kn[0] == "" or (kn[0] == "group" and k0[0] in ("", "group"))):
                    break
                chain.append(nxt)
                cur = nxt
                if k0[0] == "":
                    k0 = _kind(strip_hints(norm_text("".join(o.text for o in chain))))
        if len(chain) > 1:
            m = Item(text="".join(o.text.strip() for o in chain), page=it.page, confidence=it.confidence,
                     box=(min(o.x0 for o in chain), min(o.y0 for o in chain),
                          max(o.x1 for o in chain), max(o.y1 for o in chain)), parts=chain)
            sb = [o.span_box or o.box for o in chain]
            m.span_box = (min(b[0] for b in sb), min(b[1] for b in sb), max(b[2] for b in sb), max(b[3] for b in sb))
            used.update(id(o) for o in chain)
            out.append(m)
        else:
            used.add(id(it))
            out.append(it)
    return out


@lru_cache(maxsize=8)
def _word_index(years: tuple[int, ...]) -> LabelIndex:
    """Whole header words (序号, 企业级, 发明专利, the years …) for joining their pieces."""
    v = _vocab()
    words = [w for k in ("columns", "levels", "patents") for ws in v[k].values() for w in ws]
    words += [str(y) for y in years] + [f"{y}年" for y in years]
    return LabelIndex([LabelDef(key="header", kind="stopper", variants=tuple(dict.fromkeys(words)))])


def _find_header(lay: Layout) -> Optional[tuple[list[tuple[Item, str, str]], float, float]]:
    """(header items with (kind, key), top, bottom) of the table on this layout, or None."""
    kinds = {id(it): _kind(_core(it)) for it in lay.items}
    anchors = [it for it in lay.items if kinds[id(it)] in (("single", "name"), ("single", "seq"))]
    best = None
    for a in sorted(anchors, key=lambda o: o.y0):
        if lay.grid:
            zone = [it for it in lay.items if a.y0 - 1.01 <= it.yc <= a.y1 + 1.01]
        else:
            zone = [it for it in lay.items if a.y0 - 6 * lay.lh <= it.yc <= a.y1 + 3 * lay.lh]
        zone = _merge_pieces(zone, lay)
        classified = [(it, *_kind(_core(it))) for it in zone]
        classified = [x for x in classified if x[1]]
        n = len({(k, key) for _, k, key in classified})
        if n >= 4 and (best is None or n > best[0]):
            best = (n, a, classified)
    if best is None:
        return None
    _, a, out = best
    top = min(it.y0 for it, _, _ in out)
    bottom = max(it.y1 for it, _, _ in out)
    return out, top, bottom


def _ranges(items: list[Item]) -> dict[int, tuple[float, float]]:
    """x-ranges of side-by-side header items: half-way to each neighbour."""
    srt = sorted(items, key=lambda o: o.xc)
    out = {}
    for i, it in enumerate(srt):
        lo = -INF if i == 0 else (min(srt[i - 1].x1, it.x0) + max(srt[i - 1].x1, it.x0)) / 2
        hi = INF if i == len(srt) - 1 else (min(it.x1, srt[i + 1].x0) + max(it.x1, srt[i + 1].x0)) / 2
        if i > 0 and srt[i - 1].x1 > it.x0:      # overlapping boxes: cut between centres
            lo = (srt[i - 1].xc + it.xc) / 2
        if i < len(srt) - 1 and it.x1 > srt[i + 1].x0:
            hi = (it.xc + srt[i + 1].xc) / 2
        out[id(it)] = (lo, hi)
    return out


def _columns(header: list[tuple[Item, str, str]], lay: Layout, problems: list[str]) -> list[Column]:
    groups = [(it, key) for it, kind, key in header if kind == "group"]
    singles = [(it, key) for it, kind, key in header if kind == "single"]
    subs = [(it, kind, key) for it, kind, key in header if kind in ("year", "level", "patent")]
    # one item per group (a group split over lines gives several pieces at one place)
    top_level = [it for it, _ in groups] + [it for it, _ in singles]
    rng = _ranges(top_level)
    gkey = {id(it): key for it, key in groups}
    leaves: list[tuple[Item, str]] = []
    used_groups: set[int] = set()
    for it, kind, key in subs:
        owner = None
        for g, _ in groups:
            lo, hi = (g.x0, g.x1) if lay.grid else rng[id(g)]
            if lay.grid:
                inside = g.x0 - 1e-6 <= it.xc <= g.x1 + 1e-6
            else:
                inside = lo <= it.xc <= hi
            if inside and g.yc < it.yc and not same_row(g, it, lay):
                if owner is None or g.y1 > owner.y1:
                    owner = g
        if owner is not None:
            used_groups.add(id(owner))
            gk = gkey[id(owner)]
            if kind == "year" and gk not in ("benefit", "apprentices"):
                problems.append(f"年份列“{it.text.strip()}”位于“{owner.text.strip()}”之下，无法判断其含义，未读取。")
                continue
            if kind == "level" and gk not in ("competition", "innovation", "standards", "media"):
                problems.append(f"“{it.text.strip()}”列位于“{owner.text.strip()}”之下，无法判断其含义，未读取。")
                continue
            if kind == "patent":
                gk = "patents"
            leaves.append((it, f"{gk}.{key}"))
        elif kind == "patent":
            leaves.append((it, f"patents.{key}"))
        else:
            problems.append(f"“{it.text.strip()}”列没有上级栏目（如“技能竞赛获奖名次”），无法判断其含义，未读取。")
    for it, key in singles:
        leaves.append((it, key))
    for g, key in groups:
        if id(g) not in used_groups and not any(gkey.get(id(o)) == key and id(o) in used_groups for o, _ in groups):
            leaves.append((g, f"{key}.total"))     # a group with no sub-columns: one figure
    # leaf x-ranges
    if lay.grid:
        cols = [Column(key, it.x0, it.x1, it) for it, key in leaves]
    else:
        r = _ranges([it for it, _ in leaves])
        cols = [Column(key, r[id(it)][0], r[id(it)][1], it) for it, key in leaves]
    seen: dict[str, Column] = {}
    for c in sorted(cols, key=lambda c: c.lo):
        if c.key in seen:
            if c.key.endswith(".total"):
                continue
            problems.append(f"汇总表中“{c.header.text.strip()}”栏出现两次，只读取第一栏。")
            continue
        seen[c.key] = c
    return sorted(seen.values(), key=lambda c: c.lo)


# ---------------------------------------------------------------------------------------
# rows

def _is_end(it: Item) -> bool:
    return any(p.search(it.norm) for p in _vocab()["end"])


def _split_across(it: Item, cols: list[Column]) -> list[tuple[Column, str, Item]]:
    """An OCR line that runs over several narrow columns (``1 0 2``): its words go to the
    columns under them."""
    over = [c for c in cols if min(it.x1, c.hi) - max(it.x0, c.lo) > 0.25 * min(it.w, c.hi - c.lo if c.hi < INF else it.w)]
    inside = [c for c in cols if c.lo <= it.xc <= c.hi]
    tokens = it.text.split()
    if len(over) <= 1 or len(tokens) <= 1:
        return [(inside[0], it.text, it)] if inside else []
    if len(tokens) == len(over):
        return [(c, t, it) for c, t in zip(sorted(over, key=lambda c: c.lo), tokens)]
    # place each word by its share of the characters
    out = []
    total = max(1, len(it.text))
    pos = 0
    for t in tokens:
        i = it.text.index(t, pos)
        pos = i + len(t)
        x = it.x0 + it.w * (i + len(t) / 2) / total
        c = next((c for c in cols if c.lo <= x <= c.hi), None)
        if c is not None:
            out.append((c, t, it))
    return out


def _rows(lay: Layout, cols: list[Column], top: float, bottom: float) -> list[list[tuple[Column, str, Item]]]:
    tol = 1e-6 if lay.grid else 0.3 * lay.lh
    end_y = INF
    for it in lay.items:
        if it.y0 >= bottom - tol and _is_end(it):
            end_y = min(end_y, it.y0)
    data = [it for it in lay.items if it.y0 >= bottom - tol and it.y1 <= end_y + tol
            and not any(it is c.header for c in cols)]
    if lay.grid:
        by_row: dict[float, list[tuple[Column, str, Item]]] = {}
        for it in data:
            c = next((c for c in cols if c.lo - 1e-6 <= it.xc <= c.hi + 1e-6), None)
            if c is not None:
                by_row.setdefault(it.y0, []).append((c, it.text, it))
        return [by_row[y] for y in sorted(by_row)]
    placed = [p for it in data for p in _split_across(it, cols)]
    seq_col = next((c for c in cols if c.key == "seq"), None)
    name_col = next((c for c in cols if c.key == "name"), None)
    anchors = [it for c, t, it in placed if c is seq_col and parse_int(t) is not None and len(t.strip()) <= 3]
    if not anchors and name_col is not None:
        anchors = [it for c, t, it in placed if c is name_col and re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", norm_text(t))]
    if not anchors:
        rows: list[list[tuple[Column, str, Item]]] = []
        for p in sorted(placed, key=lambda p: p[2].yc):
            if rows and same_row(rows[-1][0][2], p[2], lay):
                rows[-1].append(p)
            else:
                rows.append([p])
        return rows
    anchors.sort(key=lambda o: o.yc)
    rows = [[] for _ in anchors]
    for p in placed:
        yc = p[2].yc
        i = min(range(len(anchors)), key=lambda k: abs(anchors[k].yc - yc))
        gap_up = anchors[i].yc - anchors[i - 1].yc if i > 0 else 3 * lay.lh
        gap_dn = anchors[i + 1].yc - anchors[i].yc if i + 1 < len(anchors) else 3 * lay.lh
        limit = (gap_up if yc < anchors[i].yc else gap_dn) * 0.75
        if abs(yc - anchors[i].yc) <= max(limit, 0.6 * lay.lh):
            rows[i].append(p)
    return rows


def _value(key: str, text: str, spans: list[Span], conf: Optional[float]) -> Fact:
    raw = (text or "").strip()
    if not raw:
        return Fact(value=None, raw="", spans=spans, confidence=conf)
    if key == "seq":
        v = parse_int(raw)
    elif key == "name":
        v = re.sub(r"\s+", "", raw)
    elif key in TEXT_KEYS:
        v = raw
    elif key.startswith("benefit."):
        v = parse_wanyuan(raw)
    else:
        v = parse_int(raw)
    return Fact(value=v, raw=raw, spans=spans, confidence=conf)


def _row_values(cells: list[tuple[Column, str, Item]], cols: list[Column], lay: Layout,
                ex: Extraction, problems: list[str]) -> dict[str, Fact]:
    by_col: dict[str, list[tuple[str, Item]]] = {}
    for c, t, it in cells:
        by_col.setdefault(c.key, []).append((t, it))
    if cells:
        row_y0 = min(it.y0 for _, _, it in cells)
        row_y1 = max(it.y1 for _, _, it in cells)
    else:
        row_y0 = row_y1 = 0
    out: dict[str, Fact] = {}
    for c in cols:
        got = sorted(by_col.get(c.key, []), key=lambda p: (p[1].yc, p[1].x0))
        texts = [t.strip() for t, _ in got if t.strip()]
        if c.key in TEXT_KEYS:
            text = ("\n" if lay.grid and c.key != "name" else "").join(texts)
        else:
            text = "".join(texts)           # pieces of one figure wrapped in a narrow cell
        spans = [it.span(ex, t) for t, it in got if t.strip()]
        confs = [it.confidence for _, it in got if it.confidence is not None]
        if not spans:
            if got:
                spans = [got[0][1].span(ex)]
            else:
                lo = c.header.x0 if lay.grid else max(c.lo, c.header.x0 - c.header.w)
                hi = c.header.x1 if lay.grid else min(c.hi, c.header.x1 + c.header.w)
                spans = [Span(file=ex.file, page=lay.page, box=(lo, row_y0, hi, row_y1), text="",
                              sha256=ex.sha256)]
        f = _value(c.key, text, spans, min(confs) if confs else None)
        if f.value is None and f.raw:
            problems.append(f"汇总表“{c.header.text.strip()}”栏的“{f.raw[:20]}”无法识别。")
        out[c.key] = f
    return out


def _header_fields(ex: Extraction, layouts: list[Layout], top_of_table: dict[int, float]) -> tuple[Optional[Fact], Optional[Fact]]:
    """推荐单位（公章）: X and 填表日期 from the lines above the table (or anywhere)."""
    v = _vocab()
    words = sorted(v["unit_labels"] + v["date_labels"] + ["领导签名", "领导签字", "负责人", "联系人", "联系电话", "填表人"],
                   key=len, reverse=True)
    unit = date = None
    for lay in layouts:
        limit = top_of_table.get(lay.page, INF)
        pool = [it for it in lay.items if it.y1 <= limit + 1e-6] + list(lay.free)
        for it in sorted(pool, key=lambda o: (o.y0, o.x0)):
            s = it.norm
            hits = []
            for w in words:
                for m in re.finditer(re.escape(w) + r":?", s):
                    if not any(a <= m.start() < b for a, b, _ in hits):
                        hits.append((m.start(), m.end(), w))
            hits.sort()
            for i, (a, b, w) in enumerate(hits):
                val = s[b:hits[i + 1][0] if i + 1 < len(hits) else len(s)].strip(":")
                if not val:
                    right = [o for o in pool if o is not it and same_row(o, it, lay) and o.x0 >= it.x1 - 1e-6]
                    if right and i + 1 == len(hits):
                        r = min(right, key=lambda o: o.x0)
                        if not _kind(_core(r))[0]:
                            val = r.norm
                if w in v["unit_labels"] and unit is None and val:
                    unit = Fact(value=val, raw=val, spans=[it.span(ex)], confidence=it.confidence)
                elif w in v["date_labels"] and date is None and val:
                    date = Fact(value=parse_date(val), raw=val, spans=[it.span(ex)], confidence=it.confidence)
    return unit, date


def parse_summary_table(extraction: Extraction, *, years: list[int]) -> Optional[SummaryTable]:
    """Read a summary table (attachment 2) from an xlsx, docx, scan or text layer.

    None when no table header with 序号/姓名 and enough known column words is found.
    ``years`` are the campaign's evaluation years: year sub-columns outside them are read
    as well, and reported in ``problems``."""
    ex = extraction
    layouts = page_layouts(ex)
    problems: list[str] = []
    rows: list[SummaryRow] = []
    cols: Optional[list[Column]] = None
    tops: dict[int, float] = {}
    found = False
    for lay in layouts:
        if not lay.grid:
            # header words printed over several lines of a narrow cell (企 / 业 / 级)
            merge_split_labels(lay, _word_index(tuple(int(y) for y in years or ())))
        hdr = _find_header(lay)
        if hdr is not None:
            header, top, bottom = hdr
            cols = _columns(header, lay, problems)
            tops[lay.page] = top
            found = True
        elif cols is not None and not lay.grid:
            top = bottom = -INF                    # a scan continued on the next page
        else:
            continue
        for cells in _rows(lay, cols, top, bottom):
            vals = _row_values(cells, cols, lay, ex, problems)
            filled = [k for k, f in vals.items() if k != "seq" and f.raw]
            if not filled:
                continue                            # a blank template row
            rows.append(SummaryRow(file=ex.file, row=len(rows) + 1, values=vals))
    if not found:
        return None
    for c in cols or []:
        m = re.match(r"(benefit|apprentices)\.(\d{4})$", c.key)
        if m and years and int(m.group(2)) not in years:
            problems.append(f"汇总表“{c.header.text.strip()}”年度不在评选年度（{'、'.join(map(str, years))}）之内。")
    unit, date = _header_fields(ex, layouts, tops)
    source = ex.media if ex.media in ("xlsx", "docx") else next(
        (p.source for p in ex.pages if p.source in ("ocr", "text-layer")), ex.media)
    return SummaryTable(file=ex.file, unit_name=unit, date=date, rows=rows, source=source, problems=problems)
