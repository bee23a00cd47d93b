"""Page renderer for the sample-batch generator.

Draws Chinese documents as images the way a unit's scanner would deliver them, and keeps
the ground truth: every text run drawn (:class:`TruthLine`, box in final pixels) and every
seal stamped (:class:`Seal`). The fake OCR engine of the fast tests replays these lines.

Everything is deterministic for a given ``random.Random``: no global random state, no clock.

Building blocks
  * :func:`fonts` picks a set of installed CJK fonts for one document (body, titles, handwriting…).
  * :class:`Canvas` draws text runs (tight truth boxes), wrapped paragraphs, ruled tables with
    merged cells, certificate borders, photos, QR and bar codes.
  * :func:`draw_seal` stamps a red seal (ring text, star, centre text) by multiplying red ink over
    the page, so the text beneath stays readable; :func:`seal_crop` / :func:`paste_seal` move the
    very same seal pixels onto another page (a digitally pasted seal).
  * :func:`scan` turns a clean page into a scan: rotation, blur, paper tone, uneven light, noise,
    contrast loss, JPEG artefacts, sometimes a dark edge; truth boxes follow the geometry.
  * :func:`save_pdf` / :func:`save_image` write image-only PDFs and image files.
"""
from __future__ import annotations

import functools
import io
import math
import os
import random
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable, Optional, Sequence, Union

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

try:  # opencv comes with rapidocr; everything has a Pillow fallback
    import cv2  # type: ignore
except Exception:  # pragma: no cover - depends on the environment
    cv2 = None

Box = tuple[float, float, float, float]
Color = tuple[int, int, int]

DPI = 200
A4 = (1654, 2339)
A4_LANDSCAPE = (2339, 1654)
A3_LANDSCAPE = (3307, 2339)

INK: Color = (24, 24, 28)
RED: Color = (196, 28, 36)
SEAL_RED: Color = (214, 36, 44)
BLUE_INK: Color = (28, 44, 118)


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------
@dataclass
class TruthLine:
    """One contiguous run of text as a good OCR engine would read it.

    ``text`` has no spaces (OCR drops them); ``box`` is x0, y0, x1, y1 in the final image.
    ``quad`` (optional) keeps the four corners (tl, tr, br, bl) after :func:`scan` rotated the
    page, the way OCR engines report boxes."""
    text: str
    box: Box
    confidence: float = 0.98
    quad: Optional[tuple[tuple[float, float], ...]] = None


@dataclass
class Seal:
    box: Box
    ring_text: str
    center_text: str
    kind: str  # official | finance | contract | other


@dataclass
class RenderedPage:
    image: Image.Image
    lines: list[TruthLine]
    kind: str
    seals: list[Seal] = field(default_factory=list)
    dpi: int = DPI
    meta: dict = field(default_factory=dict)  # layout choices (styles drawn), for the generator

    @property
    def text(self) -> str:
        return "\n".join(t.text for t in self.lines)


# ---------------------------------------------------------------------------------------
# fonts
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FontSpec:
    path: Optional[str]          # None: Pillow's built-in font (no CJK glyphs; last resort)
    index: int = 0
    name: str = ""
    fake_bold: bool = False      # no bold face: draw with a stroke


_KNOWN = {
    # name: (file names to look for, collection index of the simplified-Chinese face)
    "noto_serif": (("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf", "NotoSerifSC-Regular.otf"), 2),
    "noto_serif_bold": (("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf", "NotoSerifSC-Bold.otf"), 2),
    "noto_sans": (("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf"), 2),
    "noto_sans_bold": (("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf", "NotoSansSC-Bold.otf"), 2),
    "wqy_zenhei": (("wqy-zenhei.ttc",), 0),
    "wqy_microhei": (("wqy-microhei.ttc",), 0),
    "ukai": (("ukai.ttc",), 0),
    "uming": (("uming.ttc",), 0),
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"),
              os.path.expanduser("~/.local/share/fonts"), "/Library/Fonts", "C:/Windows/Fonts")
_DIRECT = {
    "noto_serif": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "noto_serif_bold": "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "noto_sans": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "noto_sans_bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "wqy_zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "wqy_microhei": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "ukai": "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "uming": "/usr/share/fonts/truetype/arphic/uming.ttc",
}


def _usable(path: str, index: int) -> bool:
    try:
        f = ImageFont.truetype(path, 20, index=index)
        return f.getlength("国") > 5
    except Exception:
        return False


@functools.lru_cache(maxsize=1)
def available_fonts() -> dict[str, FontSpec]:
    """The CJK fonts installed here, by role name (noto_serif, ukai, …; 'other_N' for unknown ones)."""
    found: dict[str, FontSpec] = {}
    for name, path in _DIRECT.items():
        idx = _KNOWN[name][1]
        if os.path.exists(path) and _usable(path, idx):
            found[name] = FontSpec(path, idx, name)
    missing = [n for n in _KNOWN if n not in found]
    if missing:  # look in the usual folders by file name
        for d in _FONT_DIRS:
            if not os.path.isdir(d):
                continue
            for root, _dirs, files in os.walk(d):
                for fn in files:
                    for n in list(missing):
                        names, idx = _KNOWN[n]
                        if fn in names:
                            p = os.path.join(root, fn)
                            i = idx if fn.endswith(".ttc") else 0
                            if _usable(p, i):
                                found[n] = FontSpec(p, i, n)
                                missing.remove(n)
    if not found and shutil.which("fc-list"):  # anything fontconfig says covers Chinese
        try:
            out = subprocess.run(["fc-list", ":lang=zh", "file", "index"], capture_output=True,
                                 text=True, timeout=20).stdout
        except Exception:
            out = ""
        k = 0
        for ln in sorted(set(out.splitlines())):
            m = re.match(r"(.+?):\s*index=(\d+)", ln.strip())
            if m and _usable(m.group(1), int(m.group(2))):
                found[f"other_{k}"] = FontSpec(m.group(1), int(m.group(2)), f"other_{k}")
                k += 1
    return found


@dataclass(frozen=True)
class FontSet:
    """The fonts of one document, by role."""
    body: FontSpec       # running text (song / hei)
    bold: FontSpec       # headings, labels in bold
    title: FontSpec      # big titles
    hand: FontSpec       # handwriting-like (kai): signatures, filled-in values
    sans: FontSpec
    serif: FontSpec
    seal: FontSpec       # seal ring text
    kai: FontSpec

    def get(self, role: str) -> FontSpec:
        return getattr(self, role, self.body)


_ROLE_PREFS = {
    "body": ["noto_serif", "uming", "noto_serif", "noto_sans", "wqy_microhei", "uming"],
    "bold": ["noto_serif_bold", "noto_sans_bold", "wqy_zenhei*"],
    "title": ["noto_serif_bold", "noto_sans_bold", "noto_serif_bold", "ukai*", "wqy_zenhei*"],
    "hand": ["ukai"],
    "sans": ["noto_sans", "wqy_microhei", "wqy_zenhei"],
    "serif": ["noto_serif", "uming"],
    "seal": ["noto_sans_bold", "noto_serif_bold", "wqy_zenhei*"],
    "kai": ["ukai"],
}
_FALLBACK_ORDER = ["noto_serif", "noto_sans", "wqy_microhei", "wqy_zenhei", "uming", "ukai",
                   "noto_serif_bold", "noto_sans_bold"]


def fonts(rng: random.Random) -> FontSet:
    """Pick the fonts of one document from the installed CJK fonts (degrades to any CJK font,
    and at worst to Pillow's default font)."""
    av = available_fonts()
    anyf = next((av[n] for n in _FALLBACK_ORDER if n in av), next(iter(av.values()), FontSpec(None)))
    chosen = {}
    for role, prefs in _ROLE_PREFS.items():
        opts = []
        for p in prefs:
            fake = p.endswith("*")
            n = p.rstrip("*")
            if n in av:
                opts.append(replace(av[n], fake_bold=fake))
        if not opts:
            opts = [replace(anyf, fake_bold=role in ("bold", "title", "seal"))]
        chosen[role] = opts[rng.randrange(len(opts))]
    return FontSet(**chosen)


@functools.lru_cache(maxsize=1024)
def _load_font(path: Optional[str], index: int, size: int):
    if path is None:
        try:
            return ImageFont.load_default(size)
        except TypeError:  # old Pillow
            return ImageFont.load_default()
    return ImageFont.truetype(path, size, index=index)


@functools.lru_cache(maxsize=1024)
def _cjk_extent(path: Optional[str], index: int, size: int) -> tuple[int, int]:
    """Top and bottom of a full CJK glyph relative to the baseline (top < 0)."""
    f = _load_font(path, index, size)
    try:
        bb = f.getbbox("国", anchor="ls")
        return int(bb[1]), int(bb[3])
    except Exception:
        return -int(size * 0.85), int(size * 0.12)


def strip_spaces(s: str) -> str:
    return re.sub(r"[ \u3000\t]+", "", s)


# ---------------------------------------------------------------------------------------
# canvas
# ---------------------------------------------------------------------------------------
_ASCII_RUN = re.compile(r"[A-Za-z0-9.,:/%\-+·×_#@()\[\]]+")
_CLOSING = set("，。、；：？！”’）》」』】〉,.;:?!)%")
_OPENING = set("“‘（《「『【〈(")


@dataclass
class Cell:
    """A table cell: row/column of its top-left grid cell, spans, and what to write in it.
    ``text`` may be a list of lines (drawn as given) or a string (wrapped to the cell)."""
    r: int
    c: int
    text: Union[str, Sequence[str]] = ""
    rs: int = 1
    cs: int = 1
    size: Optional[int] = None
    align: str = "center"
    valign: str = "middle"
    role: str = "body"
    fill: Color = INK
    tracking: float = 0.0
    pad: float = 8.0
    border: bool = True
    min_size: int = 22
    leading: float = 1.32
    keep: tuple[str, ...] = ()


class Canvas:
    """A page being drawn: a Pillow image plus the truth lines and seals drawn on it."""

    def __init__(self, width: int, height: int, rng: Optional[random.Random] = None, *,
                 fontset: Optional[FontSet] = None, bg: Color = (255, 255, 255),
                 kind: str = "page", dpi: int = DPI):
        self.rng = rng if rng is not None else random.Random(0)
        self.fs = fontset or fonts(self.rng)
        self.image = Image.new("RGB", (int(width), int(height)), bg)
        self.draw = ImageDraw.Draw(self.image)
        self.lines: list[TruthLine] = []
        self.seals: list[Seal] = []
        self.kind = kind
        self.dpi = dpi
        self.meta: dict = {}

    # -- page ---------------------------------------------------------------------------
    @classmethod
    def a4(cls, rng: random.Random, landscape: bool = False, **kw) -> "Canvas":
        w, h = A4_LANDSCAPE if landscape else A4
        return cls(w, h, rng, **kw)

    @property
    def W(self) -> int:
        return self.image.width

    @property
    def H(self) -> int:
        return self.image.height

    def page(self, kind: Optional[str] = None) -> RenderedPage:
        return RenderedPage(self.image, list(self.lines), kind or self.kind, list(self.seals),
                            self.dpi, dict(self.meta))

    # -- fonts and measuring ------------------------------------------------------------
    def font(self, size: float, role: str = "body"):
        spec = self.fs.get(role)
        size = max(6, int(round(size)))
        f = _load_font(spec.path, spec.index, size)
        stroke = max(1, round(size / 30)) if spec.fake_bold else 0
        return f, stroke, spec

    def measure(self, s: str, size: float, role: str = "body", tracking: float = 0.0) -> float:
        if not s:
            return 0.0
        f, stroke, _ = self.font(size, role)
        return f.getlength(s) + tracking * size * (len(s) - 1) + 2 * stroke

    # -- text ---------------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, size: float, *, role: str = "body",
             fill: Color = INK, align: str = "left", valign: str = "top",
             tracking: float = 0.0, angle: float = 0.0, record: bool = True,
             conf: float = 0.98, join: bool = False, join_gap: float = 1.0) -> Optional[Box]:
        """Draw one run of text and (by default) record it as a truth line.

        ``x`` is the left edge (align='left'), the centre ('center') or the right edge ('right');
        ``y`` is the top of a CJK glyph ('top'), its middle ('middle'), its bottom ('bottom'),
        or the baseline ('baseline'). ``tracking`` adds space between characters in em.
        ``angle`` (degrees, counter-clockwise) tilts the run, e.g. a handwritten signature.
        ``join`` appends this run to the previous truth line when it continues it on the same row
        within ``join_gap`` em (label, colon and value written close together read as one line).
        Returns the ink box (tight)."""
        if not s or not s.strip():
            return None
        f, stroke, spec = self.font(size, role)
        size_i = max(6, int(round(size)))
        top, bot = _cjk_extent(spec.path, spec.index, size_i)
        if valign == "top":
            base = y - top
        elif valign == "middle":
            base = y - (top + bot) / 2
        elif valign == "bottom":
            base = y - bot
        else:
            base = y
        width = self.measure(s, size, role, tracking)
        if align == "center":
            x0 = x - width / 2
        elif align == "right":
            x0 = x - width
        else:
            x0 = x
        pad = int(size * 0.5) + stroke + 2
        l, t, r, b = f.getbbox(s, anchor="ls", stroke_width=stroke)
        ox = int(math.floor(x0)) - pad
        oy = int(math.floor(base + min(t, top))) - pad
        mw = int(width + (r - l) * 0 + pad * 2 + size)
        mh = int(max(b, bot) - min(t, top) + pad * 2 + 1)
        mask = Image.new("L", (max(1, mw), max(1, mh)), 0)
        md = ImageDraw.Draw(mask)
        if tracking == 0.0:
            md.text((x0 - ox, base - oy), s, font=f, fill=255, anchor="ls",
                    stroke_width=stroke, stroke_fill=255)
        else:
            cx = x0
            for ch in s:
                md.text((cx - ox, base - oy), ch, font=f, fill=255, anchor="ls",
                        stroke_width=stroke, stroke_fill=255)
                cx += f.getlength(ch) + tracking * size
        if angle:
            cw, ch_ = mask.size
            mask = mask.rotate(angle, resample=Image.BICUBIC, expand=True)
            ox -= (mask.width - cw) // 2
            oy -= (mask.height - ch_) // 2
        bb = mask.getbbox()
        if bb is None:
            return None
        self.image.paste(fill, (ox, oy), mask)
        box = (float(max(0, bb[0] + ox)), float(max(0, bb[1] + oy)), float(min(self.W, bb[2] + ox)),
               float(min(self.H, bb[3] + oy)))
        if record:
            t_ = strip_spaces(s)
            if t_:
                last = self.lines[-1] if self.lines else None
                if join and last is not None and self._continues(last.box, box, size, join_gap):
                    lb = last.box
                    self.lines[-1] = TruthLine(last.text + t_, (min(lb[0], box[0]), min(lb[1], box[1]),
                                                               max(lb[2], box[2]), max(lb[3], box[3])),
                                               min(last.confidence, conf))
                else:
                    self.lines.append(TruthLine(t_, box, conf))
        return box

    @staticmethod
    def _continues(a: Box, b: Box, size: float, gap_em: float) -> bool:
        ov = min(a[3], b[3]) - max(a[1], b[1])
        hmin = max(1.0, min(a[3] - a[1], b[3] - b[1]))
        gap = b[0] - a[2]
        return ov > 0.4 * hmin and -2 <= gap <= gap_em * size

    def record(self, s: str, box: Box, conf: float = 0.98) -> None:
        self.lines.append(TruthLine(strip_spaces(s), tuple(float(v) for v in box), conf))

    # -- wrapping -----------------------------------------------------------------------
    @staticmethod
    def _atoms(s: str, keep: Sequence[str] = ()) -> list[str]:
        """Split text into unbreakable pieces: single CJK chars, ASCII runs, kept phrases;
        closing punctuation sticks to what precedes it, opening punctuation to what follows."""
        marks: list[tuple[int, int]] = []
        for k in keep:
            if not k:
                continue
            start = 0
            while True:
                i = s.find(k, start)
                if i < 0:
                    break
                marks.append((i, i + len(k)))
                start = i + len(k)
        atoms: list[str] = []
        i = 0
        n = len(s)
        while i < n:
            m = next((e for (b, e) in marks if b == i), None)
            if m is not None:
                atoms.append(s[i:m])
                i = m
                continue
            mm = _ASCII_RUN.match(s, i)
            if mm and mm.end() > i:
                atoms.append(mm.group(0))
                i = mm.end()
                continue
            atoms.append(s[i])
            i += 1
        merged: list[str] = []
        pend = ""
        for a in atoms:
            if a == " " and not merged:
                continue
            if pend:
                a = pend + a
                pend = ""
            if a in _OPENING:
                pend = a
                continue
            if merged and a[0] in _CLOSING and len(a) <= 2:
                merged[-1] += a
            else:
                merged.append(a)
        if pend:
            merged.append(pend)
        return merged

    def wrap(self, s: str, width: float, size: float, role: str = "body",
             tracking: float = 0.0, keep: Sequence[str] = (), first_indent: float = 0.0) -> list[str]:
        """Break text into lines no wider than ``width`` (hard breaks at '\\n')."""
        out: list[str] = []
        for para in str(s).split("\n"):
            atoms = self._atoms(para, keep)
            line = ""
            avail = width - first_indent
            for a in atoms:
                cand = line + a
                if not line or self.measure(cand, size, role, tracking) <= avail:
                    if not line and self.measure(a, size, role, tracking) > avail:
                        # a single piece wider than the line: break it by characters
                        for ch in a:
                            if line and self.measure(line + ch, size, role, tracking) > avail:
                                out.append(line)
                                line = ""
                                avail = width
                            line += ch
                        continue
                    line = cand
                else:
                    out.append(line.rstrip())
                    line = a.lstrip()
                    avail = width
            out.append(line.rstrip())
        return out

    def paragraph(self, x: float, y: float, width: float, s: str, size: float, *,
                  role: str = "body", fill: Color = INK, leading: float = 1.7,
                  indent: float = 2.0, justify: bool = True, align: str = "left",
                  max_y: Optional[float] = None, keep: Sequence[str] = (),
                  conf: float = 0.98) -> float:
        """Draw wrapped text starting at (x, y); each paragraph ('\\n') starts indented by
        ``indent`` characters. Lines that would pass ``max_y`` are not drawn. Returns the y of
        the next line."""
        step = size * leading
        for para in str(s).split("\n"):
            ind = indent * size
            lines = self.wrap(para, width, size, role, keep=keep, first_indent=ind)
            for i, ln in enumerate(lines):
                if max_y is not None and y + size > max_y:
                    return y
                lx = x + (ind if i == 0 else 0)
                lw = width - (ind if i == 0 else 0)
                tr = 0.0
                if justify and i < len(lines) - 1 and len(ln) > 8:
                    nat = self.measure(ln, size, role)
                    extra = (lw - nat) / max(1, len(ln) - 1) / size
                    if 0 < extra < 0.35:
                        tr = extra
                if align == "center":
                    self.text(x + width / 2, y, ln, size, role=role, fill=fill, align="center", conf=conf)
                else:
                    self.text(lx, y, ln, size, role=role, fill=fill, tracking=tr, conf=conf)
                y += step
        return y

    # -- lines and shapes ---------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: int = 2, fill: Color = INK) -> None:
        self.draw.line([(x0, y0), (x1, y1)], fill=fill, width=int(width))

    def rect(self, box: Box, width: int = 2, outline: Color = INK, fill: Optional[Color] = None) -> None:
        x0, y0, x1, y1 = box
        if fill is not None:
            self.draw.rectangle([x0, y0, x1, y1], fill=fill)
        if width > 0:
            for (a, b, c, d) in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                self.draw.line([(a, b), (c, d)], fill=outline, width=int(width))

    def underline(self, x0: float, x1: float, y: float, width: int = 2, fill: Color = INK) -> None:
        self.line(x0, y, x1, y, width, fill)

    # -- tables -------------------------------------------------------------------------
    def table(self, x0: float, y0: float, widths: Sequence[float], heights: Sequence[float],
              cells: Sequence[Cell], *, size: float = 26, lw: int = 2, outer: Optional[int] = None,
              line_fill: Color = INK) -> dict[tuple[int, int], Box]:
        """Draw a ruled table. Returns each cell's box by (row, column) of its top-left grid cell."""
        xs = [x0]
        for w in widths:
            xs.append(xs[-1] + w)
        ys = [y0]
        for h in heights:
            ys.append(ys[-1] + h)
        boxes: dict[tuple[int, int], Box] = {}
        for c in cells:
            bx = (xs[c.c], ys[c.r], xs[min(len(widths), c.c + c.cs)], ys[min(len(heights), c.r + c.rs)])
            boxes[(c.r, c.c)] = bx
            if c.border:
                self.rect(bx, lw, line_fill)
        if outer:
            self.rect((xs[0], ys[0], xs[-1], ys[-1]), outer, line_fill)
        for c in cells:
            self.cell_text(boxes[(c.r, c.c)], c, size)
        return boxes

    def cell_text(self, box: Box, c: Cell, default_size: float = 26) -> list[str]:
        """Write a cell's text inside ``box`` (wrapping, shrinking to ``min_size``, then
        truncating). Returns the lines drawn."""
        if not c.text or (isinstance(c.text, str) and not c.text.strip()):
            return []
        x0, y0, x1, y1 = box
        w = x1 - x0 - 2 * c.pad
        h = y1 - y0 - 2 * max(4.0, c.pad * 0.6)
        size = float(c.size or default_size)
        while True:
            if isinstance(c.text, str):
                lines = self.wrap(c.text, w, size, c.role, c.tracking, keep=c.keep)
            else:
                lines = [str(t) for t in c.text]
            lines = [ln for ln in lines] or [""]
            need = size + (len(lines) - 1) * size * c.leading
            widest = max(self.measure(ln, size, c.role, c.tracking) for ln in lines)
            if (need <= h and widest <= w + 1) or size <= c.min_size:
                break
            size -= 1
        step = size * c.leading
        fit = max(1, int((h - size) // step) + 1)
        lines = lines[:fit]
        block = size + (len(lines) - 1) * step
        if c.valign == "top":
            y = y0 + max(4.0, c.pad * 0.6)
        elif c.valign == "bottom":
            y = y1 - max(4.0, c.pad * 0.6) - block
        else:
            y = (y0 + y1) / 2 - block / 2
        drawn = []
        for ln in lines:
            if ln.strip():
                if c.align == "center":
                    self.text((x0 + x1) / 2, y, ln, size, role=c.role, fill=c.fill, align="center",
                              tracking=c.tracking)
                elif c.align == "right":
                    self.text(x1 - c.pad, y, ln, size, role=c.role, fill=c.fill, align="right",
                              tracking=c.tracking)
                else:
                    self.text(x0 + c.pad, y, ln, size, role=c.role, fill=c.fill, tracking=c.tracking)
                drawn.append(ln)
            y += step
        return drawn

    # -- decorations --------------------------------------------------------------------
    def cert_border(self, box: Box, style: str, color: Color, band: float = 60) -> None:
        """A certificate frame inside ``box``: 'double', 'guilloche', 'corners', 'dots', 'plain'."""
        x0, y0, x1, y1 = box
        d = self.draw
        if style == "plain":
            self.rect(box, 6, color)
            return
        self.rect(box, 7, color)
        ix0, iy0, ix1, iy1 = x0 + band, y0 + band, x1 - band, y1 - band
        self.rect((ix0, iy0, ix1, iy1), 3, color)
        if style == "double":
            self.rect((x0 + 14, y0 + 14, x1 - 14, y1 - 14), 2, color)
        elif style == "guilloche":
            rng = self.rng
            waves = rng.randint(3, 5)
            period = rng.uniform(34, 60)
            amp = (band - 16) / 2
            for k in range(waves):
                ph = k * 2 * math.pi / waves
                for (ax, ay, bx, by, horiz) in ((x0, y0, x1, y0, True), (x0, y1 - band, x1, y1 - band, True),
                                                (x0, y0, x0, y1, False), (x1 - band, y0, x1 - band, y1, False)):
                    pts = []
                    if horiz:
                        xx = x0 + 8
                        while xx <= x1 - 8:
                            pts.append((xx, ay + band / 2 + amp * math.sin(ph + (xx - x0) * 2 * math.pi / period)))
                            xx += 4
                    else:
                        yy = y0 + 8
                        while yy <= y1 - 8:
                            pts.append((ax + band / 2 + amp * math.sin(ph + (yy - y0) * 2 * math.pi / period), yy))
                            yy += 4
                    d.line(pts, fill=color, width=2)
        elif style == "corners":
            L = band * 2.2
            for (cx, cy, sx, sy) in ((ix0, iy0, 1, 1), (ix1, iy0, -1, 1), (ix0, iy1, 1, -1), (ix1, iy1, -1, -1)):
                d.line([(cx + sx * 12, cy + sy * 12), (cx + sx * L, cy + sy * 12)], fill=color, width=4)
                d.line([(cx + sx * 12, cy + sy * 12), (cx + sx * 12, cy + sy * L)], fill=color, width=4)
                r = band * 0.45
                d.ellipse([cx - sx * band / 2 - r, cy - sy * band / 2 - r, cx - sx * band / 2 + r,
                           cy - sy * band / 2 + r], outline=color, width=4)
                d.ellipse([cx - sx * band / 2 - r / 3, cy - sy * band / 2 - r / 3, cx - sx * band / 2 + r / 3,
                           cy - sy * band / 2 + r / 3], fill=color)
        elif style == "dots":
            step = band * 0.7
            s = band * 0.22
            mid = band / 2
            xx = x0 + band
            while xx < x1 - band:
                for yy in (y0 + mid, y1 - mid):
                    d.polygon([(xx, yy - s), (xx + s, yy), (xx, yy + s), (xx - s, yy)], fill=color)
                xx += step
            yy = y0 + band
            while yy < y1 - band:
                for xx2 in (x0 + mid, x1 - mid):
                    d.polygon([(xx2, yy - s), (xx2 + s, yy), (xx2, yy + s), (xx2 - s, yy)], fill=color)
                yy += step

    def emblem(self, center: tuple[float, float], r: float, color: Color) -> None:
        """A round ornament (rays, rings and a star): no text."""
        cx, cy = center
        d = self.draw
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=color, width=max(2, int(r * 0.06)))
        d.ellipse([cx - r * 0.78, cy - r * 0.78, cx + r * 0.78, cy + r * 0.78], outline=color, width=2)
        for k in range(36):
            a = k * math.pi / 18
            d.line([(cx + math.cos(a) * r * 0.8, cy + math.sin(a) * r * 0.8),
                    (cx + math.cos(a) * r * 0.95, cy + math.sin(a) * r * 0.95)], fill=color, width=2)
        d.polygon(_star_points(cx, cy - r * 0.05, r * 0.42), fill=color)
        for k in range(5):
            a = -math.pi / 2 + k * 2 * math.pi / 5 + math.pi / 5
            d.polygon(_star_points(cx + math.cos(a) * r * 0.58, cy + math.sin(a) * r * 0.58, r * 0.1), fill=color)

    def qr(self, box: Box, fill: Color = INK) -> None:
        """A QR-code-like square pattern (not decodable; no text)."""
        x0, y0, x1, y1 = box
        n = 25
        cell = (x1 - x0) / n
        rng = self.rng
        grid = [[rng.random() < 0.5 for _ in range(n)] for _ in range(n)]
        for (fx, fy) in ((0, 0), (n - 7, 0), (0, n - 7)):
            for i in range(7):
                for j in range(7):
                    on = i in (0, 6) or j in (0, 6) or (2 <= i <= 4 and 2 <= j <= 4)
                    grid[fy + j][fx + i] = on
            for i in range(-1, 8):
                for j in (-1, 7):
                    for (a, b) in ((fx + i, fy + j), (fx + j, fy + i)):
                        if 0 <= a < n and 0 <= b < n:
                            grid[b][a] = False
        for j in range(n):
            for i in range(n):
                if grid[j][i]:
                    self.draw.rectangle([x0 + i * cell, y0 + j * cell, x0 + (i + 1) * cell - 1,
                                         y0 + (j + 1) * cell - 1], fill=fill)

    def barcode(self, box: Box, fill: Color = INK) -> None:
        x0, y0, x1, y1 = box
        x = x0
        rng = self.rng
        while x < x1 - 4:
            w = rng.choice((2, 2, 3, 4, 6))
            self.draw.rectangle([x, y0, x + w - 1, y1], fill=fill)
            x += w + rng.choice((2, 3, 4, 6))

    def paste_photo(self, box: Box, img: Image.Image) -> None:
        x0, y0, x1, y1 = [int(round(v)) for v in box]
        self.image.paste(img.convert("RGB").resize((x1 - x0, y1 - y0), Image.BILINEAR), (x0, y0))


def _star_points(cx: float, cy: float, r: float, rot: float = 0.0) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.382
        a = -math.pi / 2 + rot + k * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


# ---------------------------------------------------------------------------------------
# seals
# ---------------------------------------------------------------------------------------
def _seal_mask(rng: random.Random, fs: FontSet, ring_text: str, center_text: str, kind: str,
               a: float, b: float) -> Image.Image:
    """Ink coverage (L, 0-255) of a round (a == b) or oval seal with semi-axes a, b."""
    pad = 6
    W = int(2 * a + 2 * pad)
    H = int(2 * b + 2 * pad)
    cx, cy = W / 2, H / 2
    m = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(m)
    rr = min(a, b)
    ring_w = max(4, int(rr * rng.uniform(0.055, 0.075)))
    d.ellipse([cx - a, cy - b, cx + a, cy + b], outline=255, width=ring_w)
    if kind == "finance" and a != b and rng.random() < 0.5:
        iw = max(2, ring_w // 3)
        d.ellipse([cx - a + ring_w * 2.2, cy - b + ring_w * 2.2, cx + a - ring_w * 2.2, cy + b - ring_w * 2.2],
                  outline=255, width=iw)
    spec = fs.seal
    # ring text along the upper arc, characters upright to the outward normal
    text = strip_spaces(ring_text)
    n = len(text)
    if n:
        span = min(300.0, max(150.0, 17.0 * n + 40)) if kind != "finance" or a == b else min(280.0, 16.0 * n + 60)
        inset = ring_w + rr * 0.05
        ta, tb = a - inset, b - inset
        char_h = min(rr * 0.30, 2 * math.pi * min(ta, tb) * (span / 360.0) / max(1, n) * 1.05)
        char_h = max(10.0, char_h)
        ta2, tb2 = ta - char_h * 0.55, tb - char_h * 0.55
        # arc-length parametrisation on the ellipse of the character centres
        ts = np.linspace(-math.radians(span / 2), math.radians(span / 2), 721)
        xs = ta2 * np.sin(ts)
        ys = -tb2 * np.cos(ts)
        seg = np.hypot(np.diff(xs), np.diff(ys))
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        total = cum[-1]
        f = _load_font(spec.path, spec.index, max(8, int(char_h)))
        stroke = 1 if spec.fake_bold else 0
        for i, ch in enumerate(text):
            s = (i + 0.5) / n * total
            t = float(np.interp(s, cum, ts))
            px = cx + ta2 * math.sin(t)
            py = cy - tb2 * math.cos(t)
            phi = math.degrees(math.atan2(tb2 * math.sin(t), ta2 * math.cos(t)))
            size = int(char_h * 1.5) + 4
            ci = Image.new("L", (size, size), 0)
            # slightly condensed glyphs, as seal engravers do
            ImageDraw.Draw(ci).text((size / 2, size / 2), ch, font=f, fill=255, anchor="mm",
                                    stroke_width=stroke, stroke_fill=255)
            if n > 12:
                sq = ci.resize((max(4, int(size * 0.82)), size), Image.BILINEAR)
                ci = Image.new("L", (size, size), 0)
                ci.paste(sq, ((size - sq.width) // 2, 0))
            ci = ci.rotate(-phi, resample=Image.BICUBIC, expand=True)
            m.paste(255, (int(px - ci.width / 2), int(py - ci.height / 2)), ci)
    # star and centre text
    ct = strip_spaces(center_text or "")
    star_r = rr * (0.27 if kind == "official" else 0.22)
    if ct == "★" or not ct:
        d.polygon(_star_points(cx, cy, star_r), fill=255)
    else:
        d.polygon(_star_points(cx, cy - rr * 0.08, star_r), fill=255)
        csize = max(10, int(min(rr * 0.2, (2 * a * 0.62) / max(1, len(ct)))))
        f2 = _load_font(spec.path, spec.index, csize)
        d.text((cx, cy + rr * 0.48), ct, font=f2, fill=255, anchor="mm",
               stroke_width=1 if spec.fake_bold else 0, stroke_fill=255)
    return m


def draw_seal(page: Union[RenderedPage, Canvas], rng: random.Random, *, center: tuple[float, float],
              ring_text: str, center_text: str = "★", kind: str = "official",
              radius: Optional[float] = None, oval: Optional[bool] = None,
              color: Optional[Color] = None, strength: Optional[float] = None,
              fontset: Optional[FontSet] = None) -> Seal:
    """Stamp a red seal centred at ``center``: ring, ring text along the arc, star, centre text.

    Ink multiplies over the page (text beneath stays black), with uneven pressure, speckled
    gaps and a random turn. ``radius`` defaults to a 40 mm seal (38 mm finance) at the page's dpi.
    Finance seals are sometimes oval (``oval``). Appends the :class:`Seal` to ``page.seals``."""
    dpi = page.dpi
    if radius is None:
        mm = 40.0 if kind != "finance" else 38.0
        radius = mm / 25.4 * dpi / 2 * rng.uniform(0.97, 1.03)
    if oval is None:
        oval = kind == "finance" and rng.random() < 0.35
    a = radius * (1.2 if oval else 1.0)
    b = radius * (0.8 if oval else 1.0)
    fs = fontset or getattr(page, "fs", None) or fonts(rng)
    mask = _seal_mask(rng, fs, ring_text, center_text, kind, a, b)
    turn = rng.uniform(-12, 12) if not oval else rng.uniform(-5, 5)
    mask = mask.rotate(turn, resample=Image.BICUBIC, expand=False)
    mask = mask.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
    alpha = np.asarray(mask, dtype=np.float32) / 255.0
    h, w = alpha.shape
    # uneven ink: low-frequency pressure, a pressure gradient, speckled gaps
    lo = np.array([[rng.uniform(0.55, 1.0) for _ in range(5)] for _ in range(5)], dtype=np.float32)
    lo_img = Image.fromarray((lo * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    press = np.asarray(lo_img, dtype=np.float32) / 255.0
    ga = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grad = ((xx - w / 2) * math.cos(ga) + (yy - h / 2) * math.sin(ga)) / max(w, h)
    press = press * (1.0 - rng.uniform(0.1, 0.4) * (grad + 0.5))
    nrng = np.random.default_rng(rng.getrandbits(63))
    speck = nrng.random((h, w), dtype=np.float32)
    gaps = np.where(speck < rng.uniform(0.02, 0.08), 0.35, 1.0).astype(np.float32)
    k = strength if strength is not None else rng.uniform(0.82, 0.97)
    alpha = np.clip(alpha * np.clip(press, 0.3, 1.0) * gaps * k * 1.15, 0.0, 0.97)
    col = np.array(color or (int(rng.uniform(196, 232)), int(rng.uniform(18, 52)), int(rng.uniform(28, 62))),
                   dtype=np.float32) / 255.0
    cx, cy = center
    ox = int(round(cx - w / 2))
    oy = int(round(cy - h / 2))
    _multiply_ink(page.image, alpha, col, ox, oy)
    seal = Seal((cx - a, cy - b, cx + a, cy + b), ring_text, center_text, kind)
    page.seals.append(seal)
    return seal


def _multiply_ink(img: Image.Image, alpha: np.ndarray, col: np.ndarray, ox: int, oy: int) -> None:
    h, w = alpha.shape
    x0, y0 = max(0, ox), max(0, oy)
    x1, y1 = min(img.width, ox + w), min(img.height, oy + h)
    if x1 <= x0 or y1 <= y0:
        return
    region = np.asarray(img.crop((x0, y0, x1, y1)), dtype=np.float32)
    a = alpha[y0 - oy:y1 - oy, x0 - ox:x1 - ox][..., None]
    out = region * (1.0 - a * (1.0 - col[None, None, :]))
    img.paste(Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8)), (x0, y0))


def seal_crop(page: RenderedPage, seal: Seal, *, ink_only: bool = True) -> Image.Image:
    """The seal's pixels. With ``ink_only`` (default) an RGBA image whose alpha is 255 on the
    red ink and 0 elsewhere, so :func:`paste_seal` copies exactly the seal pixels and not the
    text beneath them; otherwise the plain RGB rectangle. ``info['seal']`` keeps the seal's
    ring text, centre text and kind."""
    x0, y0, x1, y1 = [int(round(v)) for v in seal.box]
    x0, y0 = max(0, x0 - 3), max(0, y0 - 3)
    x1, y1 = min(page.image.width, x1 + 3), min(page.image.height, y1 + 3)
    crop = page.image.crop((x0, y0, x1, y1)).convert("RGB")
    if ink_only:
        arr = np.asarray(crop, dtype=np.int16)
        r, g, b = arr[..., 0], arr[..., 1], arr[..., 2]
        red = (r - np.maximum(g, b) > 45) & (r > 110)
        alpha = Image.fromarray((red * 255).astype(np.uint8))
        crop = crop.convert("RGBA")
        crop.putalpha(alpha)
    crop.info["seal"] = {"ring_text": seal.ring_text, "center_text": seal.center_text, "kind": seal.kind}
    return crop


def paste_seal(page: RenderedPage, seal_image: Image.Image, center: tuple[float, float], *,
               ring_text: Optional[str] = None, center_text: Optional[str] = None,
               kind: Optional[str] = None) -> Seal:
    """Paste a seal crop (from :func:`seal_crop`) centred at ``center``, pixel-identically: the
    pixels where its alpha is non-zero are copied as they are (no blending, no resampling)."""
    w, h = seal_image.size
    ox = int(round(center[0] - w / 2))
    oy = int(round(center[1] - h / 2))
    if seal_image.mode == "RGBA":
        rgb = seal_image.convert("RGB")
        mask = seal_image.getchannel("A").point(lambda v: 255 if v >= 128 else 0)
        page.image.paste(rgb, (ox, oy), mask)
    else:
        page.image.paste(seal_image.convert("RGB"), (ox, oy))
    info = seal_image.info.get("seal", {}) if hasattr(seal_image, "info") else {}
    seal = Seal((float(ox), float(oy), float(ox + w), float(oy + h)),
                ring_text if ring_text is not None else info.get("ring_text", ""),
                center_text if center_text is not None else info.get("center_text", ""),
                kind if kind is not None else info.get("kind", "official"))
    page.seals.append(seal)
    return seal


# ---------------------------------------------------------------------------------------
# scanning
# ---------------------------------------------------------------------------------------
_DAMAGE = {
    #          angle range      blur sigma     noise sd     jpeg q      contrast lo / hi   shadow p  shift
    "light": ((0.3, 0.8), (0.35, 0.6), (1.5, 3.0), (86, 94), (6, 14), (248, 253), 0.05, 6),
    "normal": ((0.3, 1.5), (0.5, 0.85), (2.5, 5.0), (74, 88), (12, 30), (238, 250), 0.2, 14),
    "heavy": ((1.0, 2.5), (0.8, 1.3), (5.0, 8.5), (55, 72), (28, 55), (222, 240), 0.45, 24),
}


def _affine_apply(M: np.ndarray, pts: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(float(M[0, 0] * x + M[0, 1] * y + M[0, 2]), float(M[1, 0] * x + M[1, 1] * y + M[1, 2]))
            for (x, y) in pts]


def _transform_box(M: np.ndarray, box: Box, W: int, H: int, grow: float = 0.0):
    x0, y0, x1, y1 = box
    q = _affine_apply(M, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    xs = [p[0] for p in q]
    ys = [p[1] for p in q]
    nb = (max(0.0, min(xs) - grow), max(0.0, min(ys) - grow), min(float(W), max(xs) + grow),
          min(float(H), max(ys) + grow))
    return nb, tuple(q)


def scan(page: RenderedPage, rng: random.Random, damage: str = "normal", *,
         angle: Optional[float] = None, background: Optional[Color] = None) -> RenderedPage:
    """A scanner's copy of ``page``: damage in none | light | normal | heavy.

    Small rotation and shift (same image size; uncovered corners show the scanner lid or a
    dark bed), blur, paper tone, uneven light, sensor noise, contrast loss, sometimes a dark
    shadow along one edge, then JPEG encode/decode. Truth boxes and seal boxes are carried
    through the same geometry (axis-aligned bbox of the turned box, kept in ``quad`` too).
    ``angle`` (degrees) overrides the random turn. Returns a new page; the input is untouched."""
    if damage not in ("none", "light", "normal", "heavy"):
        raise ValueError(f"damage must be none|light|normal|heavy, not {damage!r}")
    if damage == "none":
        return RenderedPage(page.image.copy(), [replace(t) for t in page.lines], page.kind,
                            [replace(s) for s in page.seals], page.dpi, dict(page.meta))
    (a_lo, a_hi), (b_lo, b_hi), (n_lo, n_hi), (q_lo, q_hi), (c_lo, c_hi), (w_lo, w_hi), p_shadow, shift = _DAMAGE[damage]
    W, H = page.image.size
    ang = angle if angle is not None else rng.uniform(a_lo, a_hi) * rng.choice((-1, 1))
    tx = rng.uniform(-shift, shift)
    ty = rng.uniform(-shift, shift)
    blur = rng.uniform(b_lo, b_hi)
    noise_sd = rng.uniform(n_lo, n_hi)
    quality = rng.randint(q_lo, q_hi)
    black = rng.uniform(c_lo, c_hi)
    white = rng.uniform(w_lo, w_hi)
    tint = (1.0, rng.uniform(0.975, 0.995), rng.uniform(0.93, 0.975)) if rng.random() < 0.75 else (1.0, 1.0, 1.0)
    dark_bed = rng.random() < (0.15 if damage != "heavy" else 0.35)
    fillc = background or ((rng.randint(30, 70),) * 3 if dark_bed else (rng.randint(235, 250),) * 3)
    shadow = rng.random() < p_shadow
    shadow_side = rng.choice(("left", "right", "top", "bottom"))
    shadow_w = rng.uniform(25, 110)
    shadow_depth = rng.uniform(0.35, 0.7)
    seed = rng.getrandbits(63)
    light = [[rng.uniform(0.94, 1.0) for _ in range(4)] for _ in range(4)]

    # geometry: rotation about the centre plus a shift
    th = math.radians(ang)
    c, s = math.cos(th), math.sin(th)
    cx, cy = W / 2.0, H / 2.0
    # counter-clockwise rotation on screen (y down): x' = c x + s y ..., as cv2.getRotationMatrix2D
    M = np.array([[c, s, (1 - c) * cx - s * cy + tx], [-s, c, s * cx + (1 - c) * cy + ty]], dtype=np.float64)
    src = np.asarray(page.image if page.image.mode == "RGB" else page.image.convert("RGB"))
    # tone: contrast loss + paper tint via a lookup table
    v = np.arange(256, dtype=np.float32)
    lut = np.stack([(black + (white - black) * v / 255.0) * tint[ch] for ch in range(3)], axis=-1)
    lut = np.clip(lut + 0.5, 0, 255).astype(np.uint8)
    # uneven light (and the shadow of a lifted lid / a book's spine)
    light_small = np.array(light, dtype=np.float32)
    if cv2 is not None:
        illum = cv2.resize(light_small, (W, H), interpolation=cv2.INTER_LINEAR)
    else:
        illum = np.asarray(Image.fromarray((light_small * 255).astype(np.uint8)).resize((W, H), Image.BILINEAR),
                           dtype=np.float32) / 255.0
    if shadow:
        if shadow_side in ("left", "right"):
            ramp = np.arange(W, dtype=np.float32)
            if shadow_side == "right":
                ramp = ramp[::-1]
            prof = 1.0 - shadow_depth * np.clip(1.0 - ramp / shadow_w, 0, 1) ** 1.5
            illum *= prof[None, :]
        else:
            ramp = np.arange(H, dtype=np.float32)
            if shadow_side == "bottom":
                ramp = ramp[::-1]
            prof = 1.0 - shadow_depth * np.clip(1.0 - ramp / shadow_w, 0, 1) ** 1.5
            illum *= prof[:, None]
    # sensor noise: a tile of gaussian noise laid with a random offset (cheap, no visible period)
    nrng = np.random.default_rng(seed)
    T = 768
    tile = nrng.standard_normal((T, T), dtype=np.float32) * noise_sd
    oy_, ox_ = int(nrng.integers(0, T)), int(nrng.integers(0, T))
    reps = ((H + oy_) // T + 1, (W + ox_) // T + 1)
    noise = np.tile(tile, reps)[oy_:oy_ + H, ox_:ox_ + W]
    if cv2 is not None:
        # one thread: these images are small, and batch generation runs pages side by side
        threads = cv2.getNumThreads()
        cv2.setNumThreads(1)
        try:
            img = cv2.warpAffine(src, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=tuple(int(v) for v in fillc))
            img = cv2.GaussianBlur(img, (0, 0), blur)
            img = cv2.LUT(img, lut.reshape(1, 256, 3))
            f = np.multiply(img, illum[..., None], dtype=np.float32)
            f += noise[..., None]
            out = cv2.convertScaleAbs(f)
            ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR),
                                   [int(cv2.IMWRITE_JPEG_QUALITY), int(quality)])
            image = Image.fromarray(cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB))
        finally:
            cv2.setNumThreads(threads)
    else:  # Pillow: inverse map
        Mi = np.linalg.inv(np.vstack([M, [0, 0, 1]]))[:2]
        im = page.image.convert("RGB").transform((W, H), Image.AFFINE, tuple(Mi.flatten()),
                                                 resample=Image.BILINEAR, fillcolor=tuple(fillc))
        img = np.asarray(im.filter(ImageFilter.GaussianBlur(blur)))
        img = np.stack([lut[img[..., ch], ch] for ch in range(3)], axis=-1)
        f = np.multiply(img, illum[..., None], dtype=np.float32)
        f += noise[..., None]
        out = np.clip(f, 0, 255).astype(np.uint8)
        bio = io.BytesIO()
        Image.fromarray(out).save(bio, "JPEG", quality=int(quality))
        bio.seek(0)
        image = Image.open(bio).convert("RGB")

    grow = 1.0 + blur
    lines = []
    for t in page.lines:
        nb, q = _transform_box(M, t.box, W, H, grow)
        if nb[2] - nb[0] < 2 or nb[3] - nb[1] < 2:
            continue
        lines.append(TruthLine(t.text, nb, t.confidence, q))
    seals = []
    for sl in page.seals:
        nb, _ = _transform_box(M, sl.box, W, H)
        seals.append(Seal(nb, sl.ring_text, sl.center_text, sl.kind))
    meta = dict(page.meta)
    meta["scan"] = {"damage": damage, "angle": round(ang, 3), "shift": (round(tx, 1), round(ty, 1)),
                    "blur": round(blur, 2), "noise": round(noise_sd, 2), "jpeg_quality": quality,
                    "shadow": shadow_side if shadow else None}
    return RenderedPage(image, lines, page.kind, seals, page.dpi, meta)


# ---------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------
_DEFAULT_PDF_DATE = datetime(2021, 5, 28, 9, 30, 0)


def save_pdf(pages: Sequence[RenderedPage], path, *, jpeg_quality: int = 80,
             producer: Optional[str] = None, creator: Optional[str] = None,
             title: Optional[str] = None, author: Optional[str] = None,
             creation_date: Optional[datetime] = None, mod_date: Optional[datetime] = None) -> None:
    """An image-only PDF (no text layer), one page per image, each image JPEG-encoded.

    The page size is pixels / dpi * 72 pt, so rendering at the page's dpi gives back the same
    pixel size. Metadata: ``producer``/``creator`` (forensic plants), dates default to a
    fixed time so the same pages give byte-identical files (``mod_date`` defaults to
    ``creation_date``)."""
    if not pages:
        raise ValueError("save_pdf needs at least one page")
    dpis = {p.dpi for p in pages}
    if len(dpis) != 1:
        raise ValueError(f"all pages of one PDF must share a dpi, got {sorted(dpis)}")
    ims = [p.image.convert("RGB") for p in pages]
    cd = creation_date or _DEFAULT_PDF_DATE
    # a hair over the dpi: the page comes out a millionth smaller than pixels/dpi*72, so renderers that
    # round the size up (pdfium: ceil of a float32 width × scale) and those that round give the same pixels
    kw = dict(save_all=True, append_images=ims[1:], resolution=float(pages[0].dpi) * (1 + 1e-6),
              quality=int(jpeg_quality), creationDate=cd.timetuple(), modDate=(mod_date or cd).timetuple())
    if producer is not None:
        kw["producer"] = producer
    if creator is not None:
        kw["creator"] = creator
    kw["title"] = title or ""  # Pillow would put the file name there: keep the bytes independent of the path
    if author is not None:
        kw["author"] = author
    ims[0].save(os.fspath(path), "PDF", **kw)


def save_image(page: Union[RenderedPage, Image.Image], path, *, fmt: str = "JPEG", quality: int = 85,
               software: Optional[str] = None, taken: Optional[datetime] = None) -> None:
    """Write the page image (JPEG, PNG or TIFF) with its dpi. ``software`` and ``taken`` set the
    EXIF Software and DateTime/DateTimeOriginal tags (forensic plants)."""
    img = page.image if isinstance(page, RenderedPage) else page
    dpi = page.dpi if isinstance(page, RenderedPage) else DPI
    fmt = fmt.upper()
    if fmt == "JPG":
        fmt = "JPEG"
    if fmt == "TIF":
        fmt = "TIFF"
    kw: dict = {"dpi": (dpi, dpi)}
    if software is not None or taken is not None:
        ex = Image.Exif()
        if software is not None:
            ex[0x0131] = software
        if taken is not None:
            stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
            ex[0x0132] = stamp
            ex.get_ifd(0x8769)[0x9003] = stamp
        kw["exif"] = ex.tobytes()
    if fmt == "JPEG":
        kw.update(quality=int(quality), optimize=False)
        img = img.convert("RGB")
    elif fmt == "TIFF":
        kw["compression"] = "tiff_lzw"
    img.save(os.fspath(path), fmt, **kw)
