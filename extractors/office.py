"""Office files and plain text: docx, xlsx, pptx, txt, csv → pages of lines and tables.

There is no page geometry here, so boxes are grid positions (see ``base.py``): a table
cell's box is ``(col, row, col + colspan, row + rowspan)`` (0-based, in its table), the n-th
paragraph's box is ``(0, n, 1, n + 1)``. Merged cells are given once, with their spans.

- **docx**: one page; body paragraphs and tables in document order (content controls and
  text boxes included, the duplicate fallback copy of a text box skipped). Tables are read
  from the XML grid (``gridSpan``, ``vMerge``, ``gridBefore``), so a merged cell is one
  :class:`Cell` however python-docx would repeat it.
- **xlsx**: one page per worksheet, with one :class:`Table` (``name`` = sheet name) and one
  line per non-empty cell in row order; values as displayed: integers without ``.0``,
  dates ISO (``2020-12-31``; with the time when it is not midnight), percentages with ``%``.
  Formulas give their cached value (``data_only``).
- **pptx**: one page per slide; shapes top to bottom, left to right; tables as tables.
- **txt/csv**: UTF-8 (with or without BOM), else GB18030; csv also as a table.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import warnings
import zipfile
from typing import Iterable, Optional

from .base import Cell, Extraction, Line, Page, ReadProblem, Table, short_error

__all__ = ["extract_docx", "extract_xlsx", "extract_pptx", "extract_text", "decode_text",
           "display_value", "check_zip_container"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_CELLS = 200_000




def _corrupt(kind: str, exc: BaseException) -> ReadProblem:
    return ReadProblem("corrupt", f"{kind} 文件损坏，无法解析：{short_error(exc)}", detail=repr(exc)[:500])


def check_zip_container(data: bytes, limits: dict) -> Optional[ReadProblem]:
    """A zip-bomb guard for docx/xlsx/pptx: refuse when the members would unpack to more
    than 20 × ``max_file_mb`` (at least 1 GiB) or at a ratio over 200:1."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile as exc:
        return ReadProblem("corrupt", f"文件损坏，无法解析：{short_error(exc)}", detail=repr(exc))
    cap = max(1 << 30, int(float(limits.get("max_file_mb", 200)) * 20 * (1 << 20)))
    if total > cap or (len(data) > 0 and total / len(data) > 200 and total > 100 << 20):
        return ReadProblem("zip-bomb", f"文件解压后过大（{total / (1 << 20):.0f} MB），疑似压缩炸弹，未读取",
                           detail=f"{total} bytes unpacked from {len(data)}")
    return None


# ---------------------------------------------------------------------------------------
# docx

def _p_text(el) -> str:
    """Text of a paragraph element: runs, tabs, breaks, hyperlinks, text boxes; the
    compatibility fallback copy of a drawing is skipped."""
    out: list[str] = []

    def walk(e):
        for ch in e:
            tag = ch.tag if isinstance(ch.tag, str) else ""
            if tag == MC_FALLBACK:
                continue
            if tag == W + "t":
                out.append(ch.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "p" and out and not out[-1].endswith("\n"):
                out.append("\n")  # a paragraph of a text box inside this paragraph
                walk(ch)
                continue
            walk(ch)

    walk(el)
    return "".join(out).strip()


def _wval(el, path: str) -> Optional[str]:
    node = el.find(path)
    if node is None:
        return None
    return node.get(W + "val", "")


def _tc_text(tc) -> str:
    parts = []
    for p in tc.iter(W + "p"):
        # paragraphs of nested tables are included once, in order; skip those that are
        # inside a text box of another paragraph (they are part of that paragraph's text)
        anc = p.getparent()
        inside_p = False
        while anc is not None and anc is not tc:
            if anc.tag == W + "p":
                inside_p = True
                break
            anc = anc.getparent()
        if not inside_p:
            t = _p_text(p)
            if t:
                parts.append(t)
    return "\n".join(parts)


def docx_table_cells(tbl) -> list[Cell]:
    """Cells of a ``w:tbl`` element with row/col spans, each merged cell once."""
    cells: list[Cell] = []
    open_v: dict[int, Cell] = {}
    for r, tr in enumerate(_children(tbl, "tr")):
        before = _wval(tr, f"{W}trPr/{W}gridBefore")
        col = int(before) if before and before.isdigit() else 0
        for tc in _children(tr, "tc"):
            span_s = _wval(tc, f"{W}tcPr/{W}gridSpan")
            span = int(span_s) if span_s and span_s.isdigit() and int(span_s) > 0 else 1
            vm = _wval(tc, f"{W}tcPr/{W}vMerge")  # None: no merge; "" or "continue"; "restart"
            above = open_v.get(col)
            if vm is not None and vm != "restart" and above is not None \
                    and above.row + above.rowspan == r and above.colspan == span:
                above.rowspan += 1
                extra = _tc_text(tc)
                if extra:  # text typed into a continued cell is rare; keep it
                    above.text = f"{above.text}\n{extra}" if above.text else extra
            else:
                c = Cell(_tc_text(tc), row=r, col=col, colspan=span)
                cells.append(c)
                if vm == "restart":
                    open_v[col] = c
                else:
                    open_v.pop(col, None)
            col += span
    return cells


def _children(el, name: str):
    """Direct children named ``w:name``, looking through content controls (``w:sdt``)."""
    for ch in el:
        if ch.tag == W + name:
            yield ch
        elif ch.tag == W + "sdt":
            content = ch.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, name)


def _body_blocks(body):
    for ch in body:
        if ch.tag in (W + "p", W + "tbl"):
            yield ch
        elif ch.tag == W + "sdt":
            content = ch.find(W + "sdtContent")
            if content is not None:
                yield from _body_blocks(content)


def _core_props(cp) -> dict:
    md = {}
    for name in ("author", "last_modified_by", "created", "modified", "revision", "title",
                 "last_printed"):
        try:
            v = getattr(cp, name)
        except Exception:
            continue
        if v in (None, "", 0):
            continue
        md[name] = v.isoformat() if isinstance(v, (_dt.datetime, _dt.date)) else str(v)[:300]
    return md


def extract_docx(data: bytes, sha256: str, *, file: str = "", limits: Optional[dict] = None) -> Extraction:
    ex = Extraction(file=file, sha256=sha256, media="docx")
    bomb = check_zip_container(data, limits or {})
    if bomb:
        ex.problems.append(bomb)
        return ex
    try:
        import docx
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:
        ex.problems.append(_corrupt("Word", exc))
        return ex
    try:
        ex.metadata = _core_props(d.core_properties)
    except Exception:
        pass
    page = Page(page=1, source="office")
    n_par = 0
    for block in _body_blocks(d.element.body):
        if block.tag == W + "p":
            t = _p_text(block)
            if t:
                page.lines.append(Line(t, (0, n_par, 1, n_par + 1)))
            n_par += 1
        else:
            cells = docx_table_cells(block)
            page.tables.append(Table(cells))
            for c in cells:
                if c.text:
                    page.lines.append(Line(c.text, (c.col, c.row, c.col + c.colspan,
                                                    c.row + c.rowspan)))
    ex.pages.append(page)
    return ex


# ---------------------------------------------------------------------------------------
# xlsx

def display_value(v, number_format: str = "General") -> str:
    """A cell value as a person reads it: ``12`` not ``12.0``, dates ISO, ``%`` kept."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, _dt.datetime):
        if v.time() == _dt.time(0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="seconds")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return str(v)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            return str(v)
        if number_format and "%" in number_format:
            return f"{v * 100:.10g}%"
        if isinstance(v, int) or float(v).is_integer() and abs(v) < 1e21:
            return str(int(v))
        return f"{v:.15g}"
    return str(v)


def extract_xlsx(data: bytes, sha256: str, *, file: str = "", limits: Optional[dict] = None) -> Extraction:
    limits = limits or {}
    ex = Extraction(file=file, sha256=sha256, media="xlsx")
    bomb = check_zip_container(data, limits)
    if bomb:
        ex.problems.append(bomb)
        return ex
    try:
        import openpyxl
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:
        ex.problems.append(_corrupt("Excel", exc))
        return ex
    try:
        ex.metadata = _core_props(wb.properties)
    except Exception:
        pass
    ex.metadata["sheets"] = [ws.title for ws in wb.worksheets]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    if hidden:
        ex.metadata["hidden_sheets"] = hidden
    max_pages = int(limits.get("max_pages", 400))
    for i, ws in enumerate(wb.worksheets):
        if i >= max_pages:
            ex.problems.append(ReadProblem(
                "too-many-pages", f"工作簿共 {len(wb.worksheets)} 个工作表，只读取了前 {max_pages} 个"))
            break
        try:
            ex.pages.append(_sheet_page(ws, i + 1, ex))
        except Exception as exc:
            ex.problems.append(ReadProblem("corrupt", f"工作表“{ws.title}”无法解析：{short_error(exc)}",
                                           page=i + 1, detail=repr(exc)[:300]))
    if not ex.pages and not ex.problems:
        ex.problems.append(ReadProblem("zero-pages", "Excel 文件没有工作表"))
    return ex


def _sheet_page(ws, page_no: int, ex: Extraction) -> Page:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row, rng.min_col, rng.max_row, rng.max_col
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    table = Table(name=ws.title)
    page = Page(page=page_no, source="office", tables=[table])
    n = 0
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if v is None or (cell.row, cell.column) in covered:
                continue
            text = display_value(v, cell.number_format).strip()
            if not text:
                continue
            n += 1
            if n > MAX_CELLS:
                ex.problems.append(ReadProblem(
                    "too-large", f"工作表“{ws.title}”单元格过多，只读取了前 {MAX_CELLS} 个",
                    page=page_no))
                return page
            rs, cs = spans.get((cell.row, cell.column), (1, 1))
            r, c = cell.row - 1, cell.column - 1
            table.cells.append(Cell(text, row=r, col=c, rowspan=rs, colspan=cs))
            page.lines.append(Line(text, (c, r, c + cs, r + rs)))
    return page


# ---------------------------------------------------------------------------------------
# pptx

def extract_pptx(data: bytes, sha256: str, *, file: str = "", limits: Optional[dict] = None) -> Extraction:
    limits = limits or {}
    ex = Extraction(file=file, sha256=sha256, media="pptx")
    bomb = check_zip_container(data, limits)
    if bomb:
        ex.problems.append(bomb)
        return ex
    try:
        from pptx import Presentation
        prs = Presentation(io.BytesIO(data))
    except Exception as exc:
        ex.problems.append(_corrupt("PowerPoint", exc))
        return ex
    try:
        ex.metadata = _core_props(prs.core_properties)
    except Exception:
        pass
    max_pages = int(limits.get("max_pages", 400))
    for i, slide in enumerate(prs.slides):
        if i >= max_pages:
            ex.problems.append(ReadProblem("too-many-pages", f"演示文稿超过 {max_pages} 页，只读取了前 {max_pages} 页"))
            break
        page = Page(page=i + 1, source="office")
        n = 0
        for shape in _shapes_in_order(slide.shapes):
            if getattr(shape, "has_table", False) and shape.has_table:
                table = Table(_pptx_table_cells(shape.table))
                page.tables.append(table)
                for c in table.cells:
                    if c.text:
                        page.lines.append(Line(c.text, (c.col, c.row, c.col + c.colspan,
                                                        c.row + c.rowspan)))
            elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                for para in shape.text_frame.paragraphs:
                    t = para.text.replace("\v", "\n").strip()
                    if t:
                        page.lines.append(Line(t, (0, n, 1, n + 1)))
                    n += 1
        ex.pages.append(page)
    if not ex.pages and not ex.problems:
        ex.problems.append(ReadProblem("zero-pages", "演示文稿没有任何幻灯片"))
    return ex


def _shapes_in_order(shapes) -> Iterable:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    def key(s):
        return (s.top if s.top is not None else 0, s.left if s.left is not None else 0)
    for s in sorted(list(shapes), key=key):
        if s.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes_in_order(s.shapes)
        else:
            yield s


def _pptx_table_cells(tbl) -> list[Cell]:
    cells = []
    for r, row in enumerate(tbl.rows):
        for c, cell in enumerate(row.cells):
            if cell.is_spanned:
                continue
            rs = cell.span_height if cell.is_merge_origin else 1
            cs = cell.span_width if cell.is_merge_origin else 1
            cells.append(Cell(cell.text.strip(), row=r, col=c, rowspan=rs, colspan=cs))
    return cells


# ---------------------------------------------------------------------------------------
# txt / csv

def decode_text(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (BOM removed), else GB18030, else UTF-8 with
    replacement characters (``"utf-8?"``)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace"), "utf-8?"


def extract_text(data: bytes, sha256: str, *, file: str = "", media: str = "txt",
                 limits: Optional[dict] = None) -> Extraction:
    ex = Extraction(file=file, sha256=sha256, media=media)
    text, enc = decode_text(data)
    ex.metadata["encoding"] = enc
    if enc == "utf-8?":
        ex.problems.append(ReadProblem("corrupt", "文本文件编码无法识别，部分字符可能显示为乱码", page=1))
    page = Page(page=1, source="office")
    if media == "csv":
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
        table = Table()
        for r, row in enumerate(csv.reader(io.StringIO(text), dialect)):
            for c, val in enumerate(row):
                val = val.strip()
                if val:
                    table.cells.append(Cell(val, row=r, col=c))
                    page.lines.append(Line(val, (c, r, c + 1, r + 1)))
        page.tables.append(table)
    else:
        for n, ln in enumerate(text.splitlines()):
            ln = ln.strip()
            if ln:
                page.lines.append(Line(ln, (0, n, 1, n + 1)))
    ex.pages.append(page)
    return ex
