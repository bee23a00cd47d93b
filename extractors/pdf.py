"""PDF: the text layer through pdfplumber, scanned pages rendered by pypdfium2 and OCR'd.

Per page:

- the text layer's words (pdfplumber) are grouped into lines in reading order, their boxes
  converted from PDF points to pixels of the page rendered at ``dpi`` (so a box drawn on the
  rendered page lands on the text); ``source="text-layer"``, confidence 1.0;
- a page whose text layer has fewer than ``OcrOptions.min_text_chars`` meaningful characters
  (CJK, letters, digits; unmapped glyphs ``(cid:N)`` do not count) is a scan: it is rendered
  at ``dpi`` and OCR'd (``source="ocr"``), and ``Page.image_sha256`` is the sha256 of the
  rendered pixels. A page with a text layer is never OCR'd.

File-level facts for forensics go to ``Extraction.metadata``: the document information
(Producer, Creator, CreationDate, ModDate, Title, Author), the PDF version, the number of
``%%EOF`` markers and of incremental updates (saves appended after the first), whether it is
linearized or encrypted, and, per text-layer page, how much of it is covered by images.

Values typed into a fillable form (AcroForm text and choice fields) are not part of the
text layer; they are added as lines of their own at the field's box (``form_fields`` in the
metadata counts them). Glyphs drawn twice for a "fake bold" are read once.

Limits: more than ``max_pages`` pages → the first ``max_pages`` are read and a
``too-many-pages`` problem says the rest were not; a page whose render would exceed
``max_megapixels`` is rendered at a lower dpi (``Page.dpi`` says which).
"""
from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Optional, Sequence, Union

from .base import Extraction, Line, Page, ReadProblem, short_error
from .ocr import (EngineUnavailable, OcrOptions, group_words, ocr_into,
                  sort_reading_order)

__all__ = ["extract_pdf", "pdf_page_count", "pdf_metadata", "meaningful_chars",
           "parse_pdf_date"]

Source = Union[str, Path, bytes]

_MEANINGFUL = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_CID = re.compile(r"\(cid:\d+\)")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                       r"(?:([Zz+\-])(\d{2})?'?(\d{2})?'?)?")


def meaningful_chars(text: str) -> int:
    """CJK characters, letters and digits in ``text`` (unmapped ``(cid:N)`` glyphs removed)."""
    return len(_MEANINGFUL.findall(_CID.sub("", text)))


def parse_pdf_date(raw: str) -> Optional[str]:
    """``D:20200315102030+08'00'`` → ``2020-03-15T10:20:30+08:00`` (None if unparsable)."""
    m = _PDF_DATE.search(raw or "")
    if not m:
        return None
    y, mo, d, h, mi, s, tz, tzh, tzm = m.groups()
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if tz in ("Z", "z"):
        out += "Z"
    elif tz in ("+", "-"):
        out += f"{tz}{tzh or '00'}:{tzm or '00'}"
    return out


def _read(src: Source) -> bytes:
    return bytes(src) if isinstance(src, (bytes, bytearray)) else Path(src).read_bytes()


def pdf_metadata(data: bytes) -> dict:
    """Document information and revision facts (never raises; ``error`` says what failed)."""
    md: dict = {}
    head = data[:1024]
    m = re.search(rb"%PDF-(\d\.\d)", head)
    if m:
        md["pdf_version"] = m.group(1).decode()
    eofs = data.count(b"%%EOF")
    linearized = b"/Linearized" in head
    md["eof_count"] = eofs
    md["startxref_count"] = data.count(b"startxref")
    md["linearized"] = linearized
    # a linearized file has two %%EOF markers from the start; each save appended after
    # that (an incremental update: edited after creation, signed, filled in) adds one
    md["incremental_updates"] = max(0, eofs - 1 - (1 if linearized else 0))
    try:
        import pypdf
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            md["encrypted"] = True
            try:
                reader.decrypt("")
            except Exception:
                return md
        info = reader.metadata or {}
        for key, name in (("/Producer", "producer"), ("/Creator", "creator"),
                          ("/CreationDate", "creation_date"), ("/ModDate", "mod_date"),
                          ("/Title", "title"), ("/Author", "author"), ("/Subject", "subject")):
            v = info.get(key)
            if v is None:
                continue
            v = str(v).strip()
            if not v:
                continue
            md[name] = v[:300]
            if name.endswith("_date"):
                iso = parse_pdf_date(v)
                if iso:
                    md[name + "_iso"] = iso
    except Exception as exc:
        md["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return md


def _open_pdfium(src: Source):
    """``(document, problem)``: an open pypdfium2 document, or the reason it cannot be.

    PDFium's error code is not reliable (it keeps the previous document's error, and a
    document with no pages fails with "Success"), so a failure is diagnosed with pypdf.
    """
    import pypdfium2 as pdfium
    try:
        inp = bytes(src) if isinstance(src, (bytes, bytearray)) else str(src)
        return pdfium.PdfDocument(inp), None
    except Exception as exc:
        return None, _diagnose(src, exc)


def _diagnose(src: Source, exc: BaseException) -> ReadProblem:
    msg = str(exc) or type(exc).__name__
    try:
        import pypdf
        data = _read(src)
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                return ReadProblem("encrypted", "PDF 文件已加密，无法读取（需要密码）", detail=msg)
        if len(reader.pages) == 0:
            return ReadProblem("zero-pages", "PDF 文件没有任何页面", detail=msg)
    except Exception as exc2:
        msg = f"{msg}; pypdf: {exc2}"[:500]
    return ReadProblem("corrupt", "PDF 文件损坏，无法解析", detail=msg)


def pdf_page_count(src: Source) -> Optional[int]:
    """Number of pages, or None when the PDF cannot be opened (cheap: no page is parsed)."""
    doc, _ = _open_pdfium(src)
    if doc is None:
        return None
    try:
        return len(doc)
    finally:
        doc.close()


def _truncation(data: bytes) -> Optional[ReadProblem]:
    last = data.rfind(b"%%EOF")
    if last < 0:
        return ReadProblem("corrupt", "PDF 文件不完整（缺少文件结尾标记 %%EOF），可能在传输中被截断；已尽量读取",
                           detail="no %%EOF")
    tail = data[last + 5:].strip(b"\r\n\t\x00 ")
    if len(tail) > 1024 and (b" obj" in tail or b"xref" in tail):
        return ReadProblem("corrupt", "PDF 文件末尾有不完整的追加内容，可能在传输中被截断；已尽量读取",
                           detail=f"{len(tail)} bytes after the last %%EOF")
    return None


def extract_pdf(src: Source, sha256: str, *, file: str = "", limits: Optional[dict] = None,
                ocr: Optional[OcrOptions] = None, pages: Optional[Sequence[int]] = None,
                file_level: bool = True) -> Extraction:
    """Read a PDF (path or bytes). Never raises for a bad file.

    ``pages`` (1-based) restricts the pages read, for splitting a big PDF across workers;
    ``file_level`` says whether this call also reports what concerns the whole file
    (metadata, too many pages, truncation): true for exactly one of the parts.
    """
    limits = limits or {}
    ocr = ocr or OcrOptions()
    ex = Extraction(file=file, sha256=sha256, media="pdf")
    try:
        _extract(src, ex, limits, ocr, pages, file_level)
    except EngineUnavailable:
        raise
    except Exception as exc:  # a bug or an unforeseen file: never out of here
        ex.problems.append(ReadProblem("corrupt", f"PDF 文件损坏，无法解析：{short_error(exc)}",
                                       detail=repr(exc)[:500]))
    return ex


def _extract(src: Source, ex: Extraction, limits: dict, ocr: OcrOptions,
             pages: Optional[Sequence[int]], file_level: bool) -> None:
    data = _read(src) if (file_level or isinstance(src, (bytes, bytearray))) else None
    if file_level and data is not None:
        ex.metadata = pdf_metadata(data)
    doc, problem = _open_pdfium(data if data is not None else src)
    if problem:
        if problem.reason == "encrypted" and file_level:
            ex.metadata["encrypted"] = True
        if problem.reason == "zero-pages" and file_level:
            ex.metadata["pages"] = 0
        ex.problems.append(problem)
        return
    try:
        n = len(doc)
        if file_level:
            ex.metadata["pages"] = n
        if n == 0:
            ex.problems.append(ReadProblem("zero-pages", "PDF 文件没有任何页面"))
            return
        max_pages = int(limits.get("max_pages", 400))
        if pages is None:
            wanted = list(range(1, min(n, max_pages) + 1))
        else:
            wanted = [p for p in pages if 1 <= p <= min(n, max_pages)]
        if file_level and n > max_pages:
            ex.problems.append(ReadProblem(
                "too-many-pages", f"PDF 共 {n} 页，超过上限 {max_pages} 页，只读取了前 {max_pages} 页",
                detail=f"{n}>{max_pages}"))
        if file_level and data is not None:
            t = _truncation(data)
            if t:
                ex.problems.append(t)
        plumber = _open_plumber(data if data is not None else src, wanted, ex)
        forms = _form_reader(data if data is not None else src)
        max_px = float(limits.get("max_megapixels", 80)) * 1_000_000
        covers = {}
        try:
            for pno in wanted:
                page, cover = _read_page(doc, plumber, pno, ex, ocr, max_px, forms)
                ex.pages.append(page)
                if cover is not None and cover >= 0.3:
                    covers[str(pno)] = round(cover, 2)
        finally:
            if plumber is not None:
                plumber.close()
        if covers:
            # text-layer pages that are mostly pictures (a typed caption over a pasted scan):
            # their pictures were not OCR'd
            ex.metadata.setdefault("image_cover", {}).update(covers)
    finally:
        doc.close()


def _open_plumber(src: Source, wanted: list[int], ex: Extraction):
    import pdfplumber
    try:
        fp = io.BytesIO(src) if isinstance(src, (bytes, bytearray)) else str(src)
        return pdfplumber.open(fp, pages=wanted, password="")
    except Exception as exc:
        # pdfium opened it but pdfminer cannot: read every page as a scan
        ex.problems.append(ReadProblem(
            "corrupt", "PDF 文字层无法解析，已按扫描件识别", detail=repr(exc)[:300]))
        return None


def _scale_for(w_pt: float, h_pt: float, dpi: int, max_px: float) -> float:
    scale = dpi / 72.0
    if w_pt * h_pt * scale * scale > max_px:
        scale = math.sqrt(max_px / max(1.0, w_pt * h_pt))
    return scale


def _form_reader(src: Source):
    """A pypdf reader when the PDF has an interactive form (AcroForm), else None."""
    try:
        import pypdf
        fp = io.BytesIO(src) if isinstance(src, (bytes, bytearray)) else str(src)
        reader = pypdf.PdfReader(fp, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        if "/AcroForm" not in reader.trailer["/Root"]:
            return None
        return reader
    except Exception:
        return None


def _form_fields(reader, pdfpage, pno: int, width: int, height: int) -> list[tuple]:
    """Values typed into the text and choice fields of a fillable form on page ``pno``, as
    words ``(text, box, 1.0)`` in rendered pixels (they are not part of the text layer)."""
    import pypdfium2 as pdfium
    out = []
    try:
        annots = reader.pages[pno - 1].get("/Annots")
        annots = annots.get_object() if annots is not None else []
    except Exception:
        return out
    conv = pdfium.PdfPosConv(pdfpage, (0, 0, width, height, 0))
    for ref in annots or []:
        try:
            a = ref.get_object()
            if a.get("/Subtype") != "/Widget":
                continue
            field, value, ftype = a, a.get("/V"), a.get("/FT")
            hops = 0
            while (value is None or ftype is None) and "/Parent" in field and hops < 10:
                field = field["/Parent"].get_object()
                value = value if value is not None else field.get("/V")
                ftype = ftype if ftype is not None else field.get("/FT")
                hops += 1
            if ftype not in ("/Tx", "/Ch") or value is None:
                continue
            if isinstance(value, (list, tuple)):
                value = "、".join(str(v) for v in value)
            text = str(value).strip()
            if not text:
                continue
            r = [float(v) for v in a["/Rect"]]
            (xa, ya), (xb, yb) = conv.to_bitmap(r[0], r[1]), conv.to_bitmap(r[2], r[3])
            box = (float(min(xa, xb)), float(min(ya, yb)), float(max(xa, xb)), float(max(ya, yb)))
            out.append((text, box))
        except Exception:
            continue
    return out


def _read_page(doc, plumber, pno: int, ex: Extraction, ocr: OcrOptions,
               max_px: float, forms=None) -> tuple[Page, Optional[float]]:
    pdfpage = doc[pno - 1]
    try:
        w_pt, h_pt = pdfpage.get_size()
        scale = _scale_for(w_pt, h_pt, ocr.dpi, max_px)
        dpi = int(round(scale * 72))
        words, cover = [], None
        if plumber is not None:
            try:
                words, cover = _text_layer(plumber, pno, scale)
            except Exception as exc:
                ex.problems.append(ReadProblem(
                    "corrupt", f"第 {pno} 页文字层无法解析，已按扫描件识别", page=pno,
                    detail=repr(exc)[:300]))
                words = []
        fields = []
        if forms is not None:
            fields = _form_fields(forms, pdfpage, pno, math.ceil(w_pt * scale),
                                  math.ceil(h_pt * scale))
        text = "".join(w[0] for w in words) + "".join(f[0] for f in fields)
        if meaningful_chars(text) >= ocr.min_text_chars:
            lines = group_words(words)
            if fields:  # form values are lines of their own, placed in reading order
                lines = sort_reading_order(lines + [Line(t, b, 1.0) for t, b in fields])
                ex.metadata["form_fields"] = ex.metadata.get("form_fields", 0) + len(fields)
            # the size pypdfium2 renders at (it rounds up), so boxes and pixels agree
            return Page(page=pno, source="text-layer", lines=lines,
                        width=float(math.ceil(w_pt * scale)), height=float(math.ceil(h_pt * scale)),
                        dpi=dpi), cover
        return _ocr_page(pdfpage, pno, scale, dpi, ex, ocr), None
    finally:
        pdfpage.close()


def _text_layer(plumber, pno: int, scale: float):
    page = next((p for p in plumber.pages if p.page_number == pno), None)
    if page is None:
        return [], None
    try:
        # the visible area (what pdfium renders) is the crop box
        cx0, ctop = float(page.cropbox[0]), float(page.cropbox[1])
        cw = float(page.cropbox[2]) - cx0
        ch = float(page.cropbox[3]) - ctop
        words = []
        try:  # "fake bold" (each glyph drawn twice, common from WPS) → once
            src_page = page.dedupe_chars(tolerance=1)
        except Exception:
            src_page = page
        for w in src_page.extract_words(x_tolerance=1.5, y_tolerance=3, keep_blank_chars=False,
                                        use_text_flow=False):
            t = _CID.sub("", w["text"]).strip()
            if not t:
                continue
            x0, x1 = float(w["x0"]) - cx0, float(w["x1"]) - cx0
            y0, y1 = float(w["top"]) - ctop, float(w["bottom"]) - ctop
            if x1 < 0 or y1 < 0 or x0 > cw or y0 > ch:
                continue  # outside the visible page
            words.append((t, (x0 * scale, y0 * scale, x1 * scale, y1 * scale), 1.0))
        cover = None
        imgs = page.images
        if imgs and cw > 0 and ch > 0:
            area = 0.0
            for im in imgs:
                iw = max(0.0, min(float(im["x1"]) - cx0, cw) - max(float(im["x0"]) - cx0, 0.0))
                ih = max(0.0, min(float(im["bottom"]) - ctop, ch) - max(float(im["top"]) - ctop, 0.0))
                area += iw * ih
            cover = min(1.0, area / (cw * ch))
        return words, cover
    finally:
        page.close()


def _ocr_page(pdfpage, pno: int, scale: float, dpi: int, ex: Extraction,
              ocr: OcrOptions) -> Page:
    from .images import pixel_sha256
    bitmap = pdfpage.render(scale=scale, may_draw_forms=True)
    try:
        img = bitmap.to_pil()
        if img.mode != "RGB":
            img = img.convert("RGB")
    finally:
        bitmap.close()
    page = Page(page=pno, source="none", width=float(img.width), height=float(img.height),
                dpi=dpi, image_sha256=pixel_sha256(img))
    return ocr_into(page, img, ex, ocr)


