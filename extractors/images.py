"""Images (JPEG, PNG, TIFF, BMP, WebP, GIF): one page per frame, OCR'd unless a photograph.

Each frame is turned upright by its EXIF orientation, converted to RGB (transparency over
white), hashed by its pixels (``Page.image_sha256``), then either marked as a photograph
(``Page.is_photo``: work photos and ID photos carry no text worth reading) or OCR'd.
EXIF fields useful for forensics (Software, DateTime, DateTimeOriginal, camera) are kept in
``Extraction.metadata``. Pillow's decompression-bomb guard is set from the read limits, so
a huge image is refused from its header before any pixel is decoded.
"""
from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path
from typing import Optional, Union

from PIL import Image, ImageFile, ImageOps, ImageSequence, UnidentifiedImageError

from .base import Extraction, Page, ReadProblem, short_error
from .ocr import EngineUnavailable, OcrOptions, ocr_into, suppress_red_ink

__all__ = ["extract_image", "looks_like_photo", "photo_features", "pixel_sha256",
           "image_metadata", "to_rgb", "set_pixel_limit", "suppress_red_ink"]

Source = Union[str, Path, bytes]

EXIF_TAGS = {271: "make", 272: "model", 274: "orientation", 305: "software",
             306: "datetime", 315: "artist"}
EXIF_SUB_TAGS = {36867: "datetime_original", 36868: "datetime_digitized",
                 37521: "subsec_time_original", 42016: "image_unique_id"}


def pixel_sha256(img: Image.Image) -> str:
    """sha256 of the image's raw RGB pixels, prefixed by its size (``"WxH\\n"``): equal only
    for pixel-identical pages, whatever file format carried them."""
    rgb = img if img.mode == "RGB" else img.convert("RGB")
    h = hashlib.sha256(f"{rgb.width}x{rgb.height}\n".encode())
    h.update(rgb.tobytes())
    return h.hexdigest()


def set_pixel_limit(max_megapixels: float) -> int:
    """Set Pillow's decompression-bomb guard to the read limit; returns the pixel limit."""
    limit = int(float(max_megapixels) * 1_000_000)
    Image.MAX_IMAGE_PIXELS = limit
    return limit


def to_rgb(img: Image.Image) -> Image.Image:
    """RGB, with transparency composited over white and 16-bit greys scaled to 8 bits."""
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        import numpy as np
        a = np.asarray(img).astype("float64")
        hi = a.max() or 1.0
        scale = 255.0 / (65535.0 if hi > 255 else 255.0)
        return Image.fromarray((a * scale).clip(0, 255).astype("uint8"), "L").convert("RGB")
    if img.mode == "P" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        bg.alpha_composite(rgba)
        return bg.convert("RGB")
    return img.convert("RGB")


def image_metadata(img: Image.Image) -> dict:
    """Format, size, frames, dpi and the EXIF fields that matter for forensics."""
    md: dict = {"format": img.format, "mode": img.mode, "width": img.width,
                "height": img.height, "frames": int(getattr(img, "n_frames", 1) or 1)}
    dpi = img.info.get("dpi")
    if dpi:
        try:
            md["dpi"] = [round(float(dpi[0]), 1), round(float(dpi[1]), 1)]
        except Exception:
            pass
    try:
        exif = img.getexif()
    except Exception:
        exif = None
    if exif:
        ex: dict = {}
        for tag, name in EXIF_TAGS.items():
            if tag in exif:
                ex[name] = _exif_value(exif[tag])
        try:
            sub = exif.get_ifd(0x8769)
        except Exception:
            sub = {}
        for tag, name in EXIF_SUB_TAGS.items():
            if tag in sub:
                ex[name] = _exif_value(sub[tag])
        if 0x8825 in exif:
            ex["has_gps"] = True
        if ex:
            md["exif"] = ex
    for k in ("Software", "software", "Creation Time", "Description", "Author"):  # PNG text
        if isinstance(img.info.get(k), str):
            md.setdefault("text", {})[k] = img.info[k][:200]
    return md


def _exif_value(v):
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str):
        return v.strip("\x00 ").strip()[:200]
    try:
        return int(v) if float(v).is_integer() else float(v)
    except Exception:
        return str(v)[:200]


# ---------------------------------------------------------------------------------------
# photograph or document?

def photo_features(img: Image.Image) -> dict:
    """Numbers :func:`looks_like_photo` decides on, computed on a ≤256 px thumbnail.

    ``paper``    share of 16×16 blocks that look like paper (bright, nearly grey on average;
                 sparse ink does not darken a block much)
    ``midtones`` share of pixels with luma in 60..200 (a page is paper plus ink; a photo is
                 mostly in between)
    ``hue_bits`` entropy (bits) of the hues of clearly coloured pixels over 12 bins: one
                 colour (a red certificate cover, a red seal) is near 0; a scene is > 1.
    ``colourful`` share of clearly coloured pixels (chroma > 40)
    """
    import numpy as np
    small = to_rgb(img).copy()
    small.thumbnail((256, 256))
    a = np.asarray(small).astype(np.float32)
    luma = a @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    chroma = a.max(-1) - a.min(-1)
    blocks = np.asarray(small.resize((16, 16), Image.BOX)).astype(np.float32)
    b_luma = blocks @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    b_chroma = blocks.max(-1) - blocks.min(-1)
    paper = float(((b_luma > 150) & (b_chroma < 45)).mean())
    midtones = float(((luma > 60) & (luma < 200)).mean())
    col = chroma > 40
    colourful = float(col.mean())
    hue_bits = 0.0
    if col.sum() > 50:
        hsv = np.asarray(small.convert("HSV")).astype(np.float32)
        hue = (hsv[..., 0][col] * 360.0 / 256.0 + 15.0) % 360.0  # red centred in bin 0
        hist = np.bincount((hue // 30).astype(int), minlength=12).astype(np.float64)
        p = hist[hist > 0] / hist.sum()
        hue_bits = max(0.0, float(-(p * np.log2(p)).sum()))
    return {"paper": round(paper, 3), "midtones": round(midtones, 3),
            "hue_bits": round(hue_bits, 3), "colourful": round(colourful, 3)}


def looks_like_photo(img: Image.Image) -> bool:
    """True for a photograph (a scene: broad tones, several hues, little paper).

    Errs towards "document": a missed photo only costs an OCR pass, while a certificate
    taken for a photo would lose its text. So a page needs all three: little paper
    (< 35 % of blocks), mostly mid-tones (> 40 % of pixels) and more than one hue family
    (hue entropy ≥ 1 bit over a tenth of the pixels). A red certificate cover, a dim photo of
    a sheet of paper or a dark-mode screenshot stay documents.
    """
    f = photo_features(img)
    return (f["paper"] < 0.35 and f["midtones"] > 0.40 and f["hue_bits"] >= 1.0
            and f["colourful"] >= 0.10)


# ---------------------------------------------------------------------------------------

def _open(src: Source) -> Image.Image:
    if isinstance(src, (bytes, bytearray)):
        return Image.open(io.BytesIO(src))
    return Image.open(str(src))


def _too_many(w: int, h: int, limit: int, page: Optional[int]) -> ReadProblem:
    return ReadProblem("too-many-pixels",
                       f"图片尺寸过大（{w}×{h}，约 {w * h / 1e6:.0f} 百万像素，上限 {limit / 1e6:.0f} 百万像素），未读取",
                       page=page, detail=f"{w}x{h}")


def extract_image(src: Source, sha256: str, *, file: str = "", limits: Optional[dict] = None,
                  ocr: Optional[OcrOptions] = None) -> Extraction:
    """Read an image file (path or bytes). Never raises for a bad file (only
    :class:`~extractors.ocr.EngineUnavailable`, which is an error of the run)."""
    limits = limits or {}
    ocr = ocr or OcrOptions()
    ex = Extraction(file=file, sha256=sha256, media="image")
    limit = set_pixel_limit(limits.get("max_megapixels", 80))
    max_pages = int(limits.get("max_pages", 400))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data" and the like
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = _open(src)
            w, h = img.size
            if w * h > limit:
                ex.problems.append(_too_many(w, h, limit, None))
                return ex
            ex.metadata = image_metadata(img)
            n_frames = int(getattr(img, "n_frames", 1) or 1)
            if n_frames > max_pages:
                ex.problems.append(ReadProblem(
                    "too-many-pages", f"图片共 {n_frames} 帧，超过上限 {max_pages}，只读取前 {max_pages} 帧",
                    detail=f"{n_frames}>{max_pages}"))
            for i, frame in enumerate(ImageSequence.Iterator(img)):
                if i >= max_pages:
                    break
                page_no = i + 1
                fw, fh = frame.size
                if fw * fh > limit:
                    ex.problems.append(_too_many(fw, fh, limit, page_no))
                    continue
                try:
                    frame.load()
                except OSError as exc:
                    if "truncated" not in str(exc).lower():
                        raise
                    ImageFile.LOAD_TRUNCATED_IMAGES = True
                    try:
                        frame.load()
                    finally:
                        ImageFile.LOAD_TRUNCATED_IMAGES = False
                    ex.problems.append(ReadProblem(
                        "corrupt", "图片文件不完整（数据被截断），只读取了可见部分",
                        page=page_no, detail=str(exc)))
                ex.pages.append(_frame_page(frame, page_no, sha256, ex, ocr))
    except EngineUnavailable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        w, h = _header_size(src)
        ex.problems.append(_too_many(w, h, limit, None) if w else ReadProblem(
            "too-many-pixels", "图片尺寸过大，未读取", detail=str(exc)))
    except UnidentifiedImageError as exc:
        ex.problems.append(ReadProblem("corrupt", "图片文件损坏或格式无法识别", detail=str(exc)))
    except Exception as exc:
        ex.problems.append(ReadProblem("corrupt", f"图片文件损坏，无法解析：{short_error(exc)}",
                                       detail=repr(exc)[:500]))
    if not ex.pages and not ex.problems:
        ex.problems.append(ReadProblem("zero-pages", "图片中没有可读取的画面"))
    return ex


def _frame_page(frame: Image.Image, page_no: int, sha256: str, ex: Extraction,
                ocr: OcrOptions) -> Page:
    try:
        upright = ImageOps.exif_transpose(frame)
    except Exception:
        upright = frame
    rgb = to_rgb(upright)
    dpi = 0
    d = frame.info.get("dpi")
    try:
        if d and 50 <= float(d[0]) <= 2400:
            dpi = int(round(float(d[0])))
    except Exception:
        pass
    page = Page(page=page_no, source="none", width=float(rgb.width), height=float(rgb.height),
                dpi=dpi, image_sha256=pixel_sha256(rgb))
    if ocr.detect_photos and looks_like_photo(rgb):
        page.is_photo = True
        return page
    return ocr_into(page, rgb, ex, ocr)


def _header_size(src: Source) -> tuple[int, int]:
    """Width and height from the header, without Pillow's guard (for the message)."""
    old = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _open(src).size
    except Exception:
        return 0, 0
    finally:
        Image.MAX_IMAGE_PIXELS = old


