"""Small test files made on the fly (PDFs, images, office files) for the extractor tests."""
from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from tests.extractors.synth import FONT, font

_CJK_REGISTERED = False


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cjk() -> str:
    global _CJK_REGISTERED
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if not _CJK_REGISTERED:
        pdfmetrics.registerFont(TTFont("WQY", FONT, subfontIndex=0))
        _CJK_REGISTERED = True
    return "WQY"


def text_pdf(pages: list[list[tuple[float, float, str]]], *, size=(595.27, 841.89),
             producer: str = "dossier-test") -> bytes:
    """A PDF with a real text layer: ``pages`` = per page, ``(x_pt, y_from_top_pt, text)``."""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    c.setProducer(producer)
    c.setCreator("tests.extractors")
    name = _cjk()
    for items in pages:
        c.setFont(name, 14)
        for x, y, t in items:
            c.drawString(x, size[1] - y, t)
        c.showPage()
    c.save()
    return buf.getvalue()


def image_pdf(images: list[Image.Image], *, dpi: int = 200) -> bytes:
    """A scanned-looking PDF: each page is one picture, no text layer."""
    buf = io.BytesIO()
    rgb = [im.convert("RGB") for im in images]
    rgb[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=rgb[1:])
    return buf.getvalue()


def mixed_pdf(text_items: list[tuple[float, float, str]], image: Image.Image) -> bytes:
    """Page 1 has a text layer, page 2 is a picture only."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    w, h = 595.27, 841.89
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.setFont(_cjk(), 14)
    for x, y, t in text_items:
        c.drawString(x, h - y, t)
    c.showPage()
    c.drawImage(ImageReader(image.convert("RGB")), 0, 0, width=w, height=h)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(base: bytes, user_password: str = "secret", owner_password: str = "owner") -> bytes:
    import pypdf
    r = pypdf.PdfReader(io.BytesIO(base))
    w = pypdf.PdfWriter()
    for p in r.pages:
        w.add_page(p)
    w.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def zero_page_pdf() -> bytes:
    import pypdf
    out = io.BytesIO()
    pypdf.PdfWriter().write(out)
    return out.getvalue()


def incremental_update(base: bytes) -> bytes:
    """``base`` with one incremental update appended (a metadata change)."""
    import pypdf
    w = pypdf.PdfWriter(io.BytesIO(base), incremental=True)
    w.add_metadata({"/Title": "changed later"})
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def text_image(lines: list[str], size=(900, 400), colour=(0, 0, 0)) -> Image.Image:
    img = Image.new("RGB", size, (250, 250, 250))
    d = ImageDraw.Draw(img)
    f = font(36)
    for i, t in enumerate(lines):
        d.text((40, 40 + i * 60), t, font=f, fill=colour)
    return img


def jpeg_bytes(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=90, **kw)
    return buf.getvalue()


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def jpeg_with_exif(img: Image.Image, orientation: int, software: str = "Adobe Photoshop CC",
                   datetime: str = "2021:05:20 10:11:12",
                   original: str = "2019:03:01 08:00:00") -> bytes:
    exif = Image.Exif()
    exif[274] = orientation
    exif[305] = software
    exif[306] = datetime
    exif.get_ifd(0x8769)[36867] = original
    return jpeg_bytes(img, exif=exif.tobytes())


def huge_png_header(width: int = 60000, height: int = 60000) -> bytes:
    """A PNG whose header declares a huge image (the pixel data is a few bytes)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
            + chunk(b"IEND", b""))


def tiff_frames(images: list[Image.Image]) -> bytes:
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------------------------------
# engines for tests

from extractors.base import Line  # noqa: E402
from extractors.ocr import OcrEngine, OcrOptions  # noqa: E402


class CountingEngine(OcrEngine):
    """Recognises every image as the same line; counts calls (pixel-keyed, cacheable)."""
    name = "counting"

    def __init__(self, text: str = "识别结果：一行足够长的清晰文字"):
        self.text = text
        self.calls: list = []

    def version(self) -> str:
        return "1"

    def settings(self) -> dict:
        return {"text": self.text}

    def recognize(self, image, key=None):
        self.calls.append(key)
        return [Line(self.text, (10, 10, 100, 40), 0.95)]


class ExplodingEngine(OcrEngine):
    """Fails the test if anything asks it to recognise a page."""
    name = "exploding"

    def version(self) -> str:
        return "1"

    def recognize(self, image, key=None):
        raise AssertionError(f"OCR must not run here (key={key})")


def opts(engine, **kw) -> OcrOptions:
    """OcrOptions for tests: no cache unless asked."""
    kw.setdefault("cache_dir", None)
    return OcrOptions(engine=engine, **kw)


def form_pdf(values: dict[str, tuple[float, float, str]]) -> bytes:
    """A fillable PDF: the label text in the text layer, each value in a text field.
    ``values``: field name → (x_pt, y_from_top_pt, value); fields are 200 × 20 pt."""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    w, h = 595.27, 841.89
    c = canvas.Canvas(buf, pagesize=(w, h))
    c.setFont(_cjk(), 14)
    c.drawString(72, h - 100, "开封工匠推荐审批表（可填写版）")
    for name, (x, y, value) in values.items():
        c.drawString(72, h - y - 15, name)
        c.acroForm.textfield(name=name, value=value, x=x, y=h - y - 20, width=200, height=20,
                             borderWidth=0, fontSize=10)
    c.showPage()
    c.save()
    return buf.getvalue()


def fake_bold_pdf(text: str) -> bytes:
    """Each glyph drawn twice, 0.3 pt apart (how some Chinese word processors fake bold)."""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595.27, 841.89))
    c.setFont(_cjk(), 14)
    for dx in (0, 0.3):
        c.drawString(72 + dx, 700, text)
    c.showPage()
    c.save()
    return buf.getvalue()
