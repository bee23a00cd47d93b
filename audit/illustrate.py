"""Gather the exhibits (:mod:`audit.exhibits`) while the batch's files are at hand.

Runs inside the audit's temporary folder, after the rules: draws every page a finding points
at with :func:`extractors.crops.page_image`, in the grid its boxes were read in, keeps it as a
JPEG with the boxes of the personal numbers on it, and cuts excerpts of office files.
"""
from __future__ import annotations

import io
from typing import Any, Iterable, Optional

from audit.exhibits import Excerpt, Exhibits, PageShot
from audit.model import Box, Finding, Span

MAX_SIDE = 1800          # long side of a kept page, pixels (≈150 dpi for A4 at 200 dpi)
JPEG_QUALITY = 82
MAX_PAGES = 1500         # pages kept per audit (about 300 MB of JPEG at most; the rest is listed)
CONTEXT_ROWS = 1         # table rows shown above and below the cell read
MAX_COLS = 12
PICTURED = {"pdf", "image"}


def wanted_spans(findings: list[Finding], ctx: Any) -> list[Span]:
    """Every span the reports will show: each finding's evidence, then the unclassified pages."""
    out = [s for f in findings for s in f.evidence]
    for n in ctx.nominees:
        for it in n.evidence:
            if it.kind == "unclassified":
                out.extend(Span(file=it.file, page=p) for p in it.pages)
    return out


def gather(findings: list[Finding], ctx: Any, extractions: dict, *, workers: int = 1,
           cache_dir: Optional[str] = None) -> Exhibits:
    """Draw the pages and cut the excerpts the reports need (the batch's files must be at hand).
    Pages are drawn in ``workers`` processes when there are enough of them, and kept in the
    extraction cache at ``cache_dir`` (the same file drawn again costs nothing)."""
    ex_out = Exhibits()
    local = {f.path: f.local for f in ctx.files}
    for i in ctx.read_issues:
        if i.page is None and i.reason != "mislabelled":
            ex_out.unreadable.setdefault(i.path, i.message)
    todo: dict[tuple[str, int], tuple] = {}
    for s in wanted_spans(findings, ctx):
        ex = extractions.get(s.file)
        if ex is None:
            continue
        ex_out.media[s.file] = ex.media
        if not ex.pages:
            continue
        page = s.page or 1
        if not (1 <= page <= len(ex.pages)):
            continue
        pg = ex.pages[page - 1]
        if ex.media in PICTURED:
            key = (s.file, page)
            if key in todo:
                continue
            if len(todo) >= MAX_PAGES:
                ex_out.skipped += 1
                continue
            if local.get(s.file) and pg.width and pg.height:
                todo[key] = (local[s.file], ex.media, page, float(pg.width), float(pg.height), s.file, pg.source,
                             [(ln.text, ln.box) for ln in pg.lines], ex.sha256, cache_dir)
        elif s.box is not None:
            key3 = (s.file, page, tuple(float(v) for v in s.box))
            if key3 not in ex_out.excerpts:
                e = excerpt_of(pg, s, page)
                if e is not None:
                    ex_out.excerpts[key3] = e
    jobs = list(todo.values())
    if workers > 1 and len(jobs) >= 8:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers) as pool:
            shots = list(pool.map(shoot, jobs, chunksize=4))
    else:
        shots = [shoot(j) for j in jobs]
    for key, shot in zip(todo, shots):
        if shot is not None:
            ex_out.pages[key] = shot
    return ex_out


def shoot(job: tuple) -> Optional[PageShot]:
    """One page drawn and kept as a JPEG (a picklable job, run in a worker process)."""
    from extractors.cache import content_key, open_cache
    path, media, page, width, height, file, source, lines, sha256, cache_dir = job
    cache = open_cache(cache_dir) if cache_dir and sha256 else None
    key = content_key(what="page-drawing", sha256=sha256, page=page, width=width, height=height,
                      side=MAX_SIDE, quality=JPEG_QUALITY)
    jpeg = cache.get_bytes(key) if cache is not None else None
    if jpeg is None:
        jpeg = draw(path, media, page, width, height)
        if jpeg is None:
            return None
        if cache is not None:
            cache.put_bytes(key, jpeg)
    return PageShot(file=file, page=page, width=width, height=height, jpeg=jpeg,
                    sensitive=sensitive_boxes(lines), source=source)


def draw(path: str, media: str, page: int, width: float, height: float) -> Optional[bytes]:
    """The page as a JPEG of at most MAX_SIDE pixels, from the file itself."""
    from PIL import Image
    from extractors.crops import page_image
    img = page_image(path, media, page, width=width, height=height)
    if img is None:
        return None
    scale = min(1.0, MAX_SIDE / max(img.width, img.height))
    if scale < 1.0:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.BICUBIC,
                         reducing_gap=2.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def _weight(ch: str) -> float:
    """Rough printed width of a character, in em: CJK and full-width 1, the rest about half."""
    return 1.0 if ord(ch) > 0x2E80 else 0.55


def sensitive_boxes(lines: Iterable[tuple[str, Optional[Box]]]) -> list[Box]:
    """The parts of line boxes (text, box) where masked characters sit, by the characters' widths."""
    from audit.privacy import sensitive_spans
    out: list[Box] = []
    for text, box in lines:
        if not box or not text:
            continue
        spans = sensitive_spans(text)
        if not spans:
            continue
        x0, y0, x1, y1 = (float(v) for v in box)
        w = [_weight(c) for c in text]
        total = sum(w) or 1.0
        pos = [0.0]
        for v in w:
            pos.append(pos[-1] + v)
        for a, b in spans:
            pad = (y1 - y0) * 0.15
            out.append((max(x0, x0 + (x1 - x0) * pos[a] / total - pad), y0 - pad,
                        min(x1, x0 + (x1 - x0) * pos[b] / total + pad), y1 + pad))
    return out


def excerpt_of(pg: Any, s: Span, page: int) -> Optional[Excerpt]:
    """The table rows around a cell, or the paragraphs around a paragraph, read at ``s.box``."""
    box = tuple(float(v) for v in s.box)
    col, row = int(box[0]), int(box[1])
    text = (s.text or "").strip()
    for t in pg.tables:
        for c in t.cells:
            if c.row == row and c.col == col and (not text or text in c.text or c.text in text
                                                  or _loose(text) == _loose(c.text)):
                return _table_excerpt(s.file, page, box, t, c)
    lines = list(pg.lines)
    idx = [i for i, ln in enumerate(lines) if ln.box and tuple(float(v) for v in ln.box) == box]
    if not idx:
        return None
    i = next((i for i in idx if text and (text in lines[i].text or lines[i].text in text)), idx[0])
    lo, hi = max(0, i - 1), min(len(lines), i + 2)
    rows = [(j, [lines[j].text]) for j in range(lo, hi)]
    return Excerpt(file=s.file, page=page, box=box, kind="text", rows=rows, cols=[0], highlight={(i, 0)})


def _loose(s: str) -> str:
    return "".join(s.split())


def _table_excerpt(file: str, page: int, box: Box, t: Any, cell: Any) -> Excerpt:
    grid: dict[tuple[int, int], str] = {(c.row, c.col): c.text for c in t.cells}
    ncols = max((c.col + c.colspan for c in t.cells), default=1)
    r0, r1 = cell.row, cell.row + cell.rowspan - 1
    shown = sorted({0, *range(max(0, r0 - CONTEXT_ROWS), r1 + CONTEXT_ROWS + 1)})
    have_rows = {c.row for c in t.cells}
    shown = [r for r in shown if r in have_rows or r == r0]
    if ncols <= MAX_COLS:
        cols = list(range(ncols))
    else:
        start = max(0, min(cell.col - MAX_COLS // 2, ncols - MAX_COLS))
        cols = list(range(start, start + MAX_COLS))
    rows = [(r, [grid.get((r, c), "") for c in cols]) for r in shown]
    hl = {(r, c) for r in range(r0, r1 + 1) for c in range(cell.col, cell.col + cell.colspan) if c in cols}
    return Excerpt(file=file, page=page, box=box, kind="table", title=getattr(t, "name", "") or "",
                   rows=rows, cols=cols, highlight=hl)
