"""Build approval forms and summary tables the way units deliver them, as extractions.

A layout is a list of cells ``(text, row, col, rowspan, colspan)``. From it we build:

* a .docx (python-docx, merged cells) read back into an :class:`Extraction` the way an
  office extractor does (grid cells with spans, paragraphs as lines);
* an .xlsx (openpyxl, merged ranges) read back the same way;
* OCR-like lines: each cell's text drawn as separate lines with pixel boxes, as an OCR
  engine returns a ruled table (multi-line cells become several lines, vertical labels one
  character a line, optional noise and label+value run together).
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Optional, Sequence

from extractors.base import Cell, Extraction, Line, Page, Table

CellSpec = tuple  # (text, row, col, rowspan, colspan)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def office_reader(kind: str):
    """The project's own office extractor (``extractors.office``) as a reader ``(path, file)
    -> Extraction``, or None while it is not available."""
    try:
        from extractors import office
    except Exception:  # pragma: no cover - the extractor is developed separately
        return None
    fn = getattr(office, f"extract_{kind}", None)
    if fn is None:
        return None

    def read(path: Path, file: Optional[str] = None) -> Extraction:
        data = path.read_bytes()
        return fn(data, hashlib.sha256(data).hexdigest(), file=file or path.name)
    return read


# ---------------------------------------------------------------------------------------
# docx

def write_docx(path: Path, cells: Sequence[CellSpec], *, paragraphs_before: Iterable[str] = (),
               paragraphs_after: Iterable[str] = (), n_rows: Optional[int] = None,
               n_cols: Optional[int] = None) -> Path:
    import docx
    d = docx.Document()
    for p in paragraphs_before:
        d.add_paragraph(p)
    rows = n_rows or max(r + rs for _, r, c, rs, cs in cells)
    cols = n_cols or max(c + cs for _, r, c, rs, cs in cells)
    t = d.add_table(rows=rows, cols=cols)
    for text, r, c, rs, cs in cells:
        cell = t.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
        lines = str(text).split("\n")
        cell.text = lines[0]
        for extra in lines[1:]:
            cell.add_paragraph(extra)
    for p in paragraphs_after:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def read_docx(path: Path, file: Optional[str] = None) -> Extraction:
    """A docx as an office extractor returns it: one page, every table as grid cells
    (merged cells once, with spans), the paragraphs outside tables as lines."""
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(str(path))
    tables = []
    for tbl in d.tables:
        cells: list[Cell] = []
        open_v: dict[int, Cell] = {}
        for r, tr in enumerate(tbl._tbl.tr_lst):
            c = 0
            for tc in tr.tc_lst:
                span = tc.grid_span
                vm = tc.vMerge
                text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.p_lst)
                if vm == "continue" and c in open_v:
                    open_v[c].rowspan += 1
                else:
                    cell = Cell(text=text, row=r, col=c, rowspan=1, colspan=span)
                    cells.append(cell)
                    if vm == "restart":
                        open_v[c] = cell
                    else:
                        open_v.pop(c, None)
                c += span
        tables.append(Table(cells=cells))
    lines = [Line(p.text, (0, i, 1, i + 1)) for i, p in enumerate(d.paragraphs) if p.text.strip()]
    page = Page(page=1, source="office", lines=lines, tables=tables)
    return Extraction(file=file or path.name, sha256=_sha(path), media="docx", pages=[page])


# ---------------------------------------------------------------------------------------
# xlsx

def write_xlsx(path: Path, cells: Sequence[CellSpec], *, title: str = "Sheet1") -> Path:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for text, r, c, rs, cs in cells:
        ws.cell(row=r + 1, column=c + 1, value=text)
        if rs > 1 or cs > 1:
            ws.merge_cells(start_row=r + 1, start_column=c + 1, end_row=r + rs, end_column=c + cs)
    wb.save(str(path))
    return path


def read_xlsx(path: Path, file: Optional[str] = None) -> Extraction:
    """An xlsx as an office extractor returns it: a page per sheet, the used range as grid
    cells (merged ranges once, with spans; empty cells included), cell values as text."""
    import openpyxl
    wb = openpyxl.load_workbook(str(path), data_only=True)
    pages = []
    for i, ws in enumerate(wb.worksheets, 1):
        merged = {}
        covered = set()
        for rng in ws.merged_cells.ranges:
            merged[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
            for rr in range(rng.min_row, rng.max_row + 1):
                for cc in range(rng.min_col, rng.max_col + 1):
                    if (rr, cc) != (rng.min_row, rng.min_col):
                        covered.add((rr, cc))
        cells = []
        lines = []
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            for cell in row:
                key = (cell.row, cell.column)
                if key in covered:
                    continue
                v = cell.value
                text = "" if v is None else (v.isoformat(sep=" ") if hasattr(v, "isoformat") else str(v))
                rs, cs = merged.get(key, (1, 1))
                cells.append(Cell(text=text, row=cell.row - 1, col=cell.column - 1, rowspan=rs, colspan=cs))
                if text.strip():
                    lines.append(Line(text, (cell.column - 1, cell.row - 1, cell.column - 1 + cs, cell.row - 1 + rs)))
        pages.append(Page(page=i, source="office", lines=lines, tables=[Table(cells=cells, name=ws.title)]))
    return Extraction(file=file or path.name, sha256=_sha(path), media="xlsx", pages=pages)


# ---------------------------------------------------------------------------------------
# OCR-like lines

CHAR = 34      # glyph size in pixels (A4 at 200 dpi, 12 pt)


def ocr_lines(cells: Sequence[CellSpec], *, col_w: Sequence[float] | float = 150, row_h: float = 90,
              x0: float = 120, y0: float = 300, vertical: Iterable[str] = (),
              glue: Iterable[str] = (), noise: dict[str, str] | None = None,
              align: str = "center", conf: float = 0.97, wrap: bool = False,
              top: Iterable[str] = (), min_lines: dict[str, int] | None = None) -> list[Line]:
    """Lines as an OCR engine would return a ruled table drawn from ``cells``.

    ``top``: texts set at the top of their cell (typed values) while the rest is centred (labels);
    ``min_lines``: a cell text → the lines its row is at least tall (a tall cell, little text);
    ``vertical``: texts printed one character a line (a narrow label cell); ``wrap``: text
    wider than its cell wraps onto more lines, as a word processor does;
    ``glue``: label texts whose value (the next cell of the row) OCR runs into the same
    line (``姓名张三``); ``noise``: replacements applied to a cell's text (``2019`` → ``2O19``)."""
    vertical = set(vertical)
    top_set = set(top)
    min_lines = min_lines or {}
    ncols = max(c + cs for _, r, c, rs, cs in cells)
    nrows = max(r + rs for _, r, c, rs, cs in cells)
    widths = list(col_w) if not isinstance(col_w, (int, float)) else [float(col_w)] * ncols
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)

    def pieces(text: str, width: float) -> list[str]:
        parts = [p.replace(" ", "") for p in str(text).split("\n") if p.strip()]
        if not wrap:
            return parts
        out = []
        per = max(1, int((width - 10) // CHAR))
        for p in parts:
            k = per * 2 if p.isascii() else per
            out.extend(p[i:i + k] for i in range(0, len(p), k))
        return out

    def need(text: str, width: float) -> float:
        if text in vertical or text.replace("\n", "") in vertical:
            n = len(text.replace("\n", "").replace(" ", ""))
            return n * (CHAR + 8) + 24
        return max(len(pieces(text, width)), min_lines.get(text, 0)) * (CHAR + 14) + 24

    # rows grow to fit their cells, as a word processor does
    heights = [float(row_h)] * nrows
    for text, r, c, rs, cs in sorted(cells, key=lambda x: x[3]):
        h = need(str(text), xs[c + cs] - xs[c])
        have = sum(heights[r:r + rs])
        if h > have:
            heights[r + rs - 1] += h - have
    ys = [y0]
    for h in heights:
        ys.append(ys[-1] + h)
    glue, noise = set(glue), noise or {}
    by_pos = {(r, c): (t, rs, cs) for t, r, c, rs, cs in cells}
    out: list[Line] = []
    skip: set[tuple[int, int]] = set()
    for text, r, c, rs, cs in sorted(cells, key=lambda x: (x[1], x[2])):
        if (r, c) in skip:
            continue
        text = str(text)
        if not text.strip():
            continue
        text = noise.get(text, text)
        left, right = xs[c], xs[c + cs]
        top_y, bottom = ys[r], ys[r + rs]
        cell_text = text
        if text in glue:
            # the value cell to the right runs into this line
            nxt = by_pos.get((r, c + cs))
            if nxt and str(nxt[0]).strip():
                text = text + str(nxt[0])
                skip.add((r, c + cs))
                right = xs[c + cs + nxt[2]]
        if text in vertical or text.replace("\n", "") in vertical:
            chars = [ch for ch in text.replace("\n", "") if ch.strip()]
            total = len(chars) * (CHAR + 8)
            y = (top_y + bottom) / 2 - total / 2
            xm = (left + right) / 2
            for ch in chars:
                out.append(Line(ch, (xm - CHAR / 2, y, xm + CHAR / 2, y + CHAR), conf))
                y += CHAR + 8
            continue
        parts = pieces(text, right - left)
        total = len(parts) * (CHAR + 14)
        at_top = align != "center" or text in top_set or str(cell_text) in top_set
        y = top_y + 12 if at_top else (top_y + bottom) / 2 - total / 2
        for p in parts:
            wpx = min(right - left - 10, len(p) * CHAR * (0.55 if p.isascii() else 1.0))
            if align == "center":
                xa = (left + right) / 2 - wpx / 2
            else:
                xa = left + 8
            out.append(Line(p, (round(xa, 1), round(y, 1), round(xa + wpx, 1), round(y + CHAR, 1)), conf))
            y += CHAR + 14
    return out


def ocr_extraction(pages: Sequence[Sequence[Line]], file: str = "审批表.pdf", source: str = "ocr") -> Extraction:
    ps = [Page(page=i, source=source, engine="fake" if source == "ocr" else None, lines=list(ls),
               width=2339, height=3307, dpi=200) for i, ls in enumerate(pages, 1)]
    return Extraction(file=file, sha256=hashlib.sha256(file.encode()).hexdigest(), media="pdf", pages=ps)
