"""A page drawn again, in the pixel grid its boxes were read in, and crops of it.

Boxes of OCR lines are pixels of the page as the extractor rendered it: a PDF page at the
scale that gave ``Page.width`` × ``Page.height``, an image upright after its EXIF orientation.
:func:`page_image` redraws exactly that grid so a box cut from it shows what was read (for
the second reading of a doubtful number, and for the crops of the reports).
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Optional, Union

from PIL import Image, ImageOps

from .base import Box

Source = Union[str, Path, bytes]


def _bytes(src: Source) -> bytes:
    return src if isinstance(src, bytes) else Path(src).read_bytes()


def page_image(src: Source, media: str, page: int, *, width: float = 0, height: float = 0) -> Optional[Image.Image]:
    """Page ``page`` (1-based) of a PDF or image file as RGB, ``width`` × ``height`` pixels when
    given (the size the extractor saw). None when the page cannot be drawn."""
    try:
        if media == "pdf":
            import pypdfium2 as pdfium
            doc = pdfium.PdfDocument(_bytes(src))
            try:
                pg = doc[page - 1]
                w_pt, h_pt = pg.get_size()
                scale = (width / w_pt) if width and w_pt else 200 / 72.0
                bitmap = pg.render(scale=scale, may_draw_forms=True)
                img = bitmap.to_pil().convert("RGB")
                bitmap.close()
                pg.close()
            finally:
                doc.close()
        elif media == "image":
            im = Image.open(io.BytesIO(_bytes(src)))
            if page > 1:
                im.seek(page - 1)
            img = ImageOps.exif_transpose(im).convert("RGB")
        else:
            return None
    except Exception:
        return None
    if width and height and (abs(img.width - width) > 2 or abs(img.height - height) > 2):
        img = img.resize((int(round(width)), int(round(height))), Image.BICUBIC)
    return img


def crop(img: Image.Image, box: Box, *, pad: float = 0.25) -> Image.Image:
    """``box`` cut out of ``img`` with ``pad`` times the box height added around it."""
    x0, y0, x1, y1 = box
    m = max(2.0, (y1 - y0) * pad)
    x0, y0 = max(0, int(x0 - m)), max(0, int(y0 - m))
    x1, y1 = min(img.width, int(x1 + m + 1)), min(img.height, int(y1 + m + 1))
    return img.crop((x0, y0, max(x0 + 1, x1), max(y0 + 1, y1)))
