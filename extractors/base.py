"""Types every extractor returns.

An extractor turns the bytes of one file into pages of text lines with boxes. It never
raises on a bad file: what it could not read comes back as a :class:`ReadProblem`, which
the audit turns into an M03 finding.

Coordinates: ``box`` is ``(x0, y0, x1, y1)`` with the origin at the top left. For PDF pages
and images it is in pixels of the page rendered at ``Page.dpi`` (PDF text layers are
converted to that same pixel space, so a box drawn on the rendered page lands on the text).
For office files without geometry (docx, xlsx, pptx, txt) boxes are grid positions:
``(col, row, col + colspan, row + rowspan)`` for table cells, ``(0, n, 1, n + 1)`` for
the n-th paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Optional

Box = tuple[float, float, float, float]
NON_FATAL = {"mislabelled"}   # problems after which the file was still read whole


@dataclass
class Line:
    """One line (or table cell) of text with its box and OCR confidence (1.0 for text layers)."""
    text: str
    box: Optional[Box] = None
    confidence: float = 1.0

    def to_dict(self) -> dict:
        return {"text": self.text, "box": list(self.box) if self.box else None,
                "confidence": round(float(self.confidence), 4)}


@dataclass
class Cell:
    """A table cell of an office document (docx/xlsx) or a table region of a page."""
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """A table: cells in grid coordinates, merged cells given once with their spans."""
    cells: list[Cell] = field(default_factory=list)
    name: str = ""  # sheet name for xlsx


@dataclass
class Page:
    """One page of a file (a PDF page, an image, a sheet, or the whole of a docx/txt)."""
    page: int                     # 1-based
    source: str                   # "text-layer" | "ocr" | "office" | "none"
    engine: Optional[str] = None  # OCR engine id+version when source == "ocr"
    lines: list[Line] = field(default_factory=list)
    width: float = 0.0            # pixel size at dpi (0 for office files)
    height: float = 0.0
    dpi: int = 0
    tables: list[Table] = field(default_factory=list)
    is_photo: bool = False        # a photograph (not OCR'd)
    image_sha256: Optional[str] = None  # sha256 of the rendered page pixels (for X01)
    # red seals found on the page image (extractors.ocr.read_page_seals), JSON dicts: box (pixels
    # at dpi), kind (finance|official|contract|other|unknown), ring_text, center_text,
    # confidence, ink_sha256, shape. Only pages that were rendered and OCR'd are looked at: a
    # page read from its text layer is never rendered, so it has none (nor do office files).
    seals: list[dict] = field(default_factory=list)
    # perceptual hashes of the page's ink area (extractors.ocr.page_image_hashes; imagehash pHash
    # and dHash, hash_size 16, 64 hex digits) and that area (pixels at dpi) — for X02; None on
    # pages not rendered (text layers, office files) and on near-blank pages
    phash: Optional[str] = None
    dhash: Optional[str] = None
    ink_box: Optional[list[int]] = None

    @property
    def text(self) -> str:
        """The page's lines in reading order, one per line."""
        return "\n".join(l.text for l in self.lines)


@dataclass
class ReadProblem:
    """Why (part of) a file could not be read. ``reason`` is a stable code, ``message`` Chinese."""
    reason: str   # corrupt|encrypted|empty|zero-pages|unsupported|mislabelled|too-large|too-many-pages|too-many-pixels|zip-bomb|unsafe-path|symlink|ocr-failed|password
    message: str
    page: Optional[int] = None
    detail: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        return {k: v for k, v in d.items() if v not in (None, "")}


@dataclass
class Extraction:
    """Everything read from one file."""
    file: str                     # batch-relative path (zip members: 'a.zip!/x/y.pdf')
    sha256: str
    media: str                    # pdf|image|docx|xlsx|pptx|txt|csv|other
    pages: list[Page] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # pdf info / exif, for forensics

    @property
    def ok(self) -> bool:
        """Read whole: pages came back and no file-level problem, a mislabel excepted."""
        return bool(self.pages) and not any(p.page is None and p.reason not in NON_FATAL
                                            for p in self.problems)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    def to_dict(self) -> dict:
        """The JSON shape printed by ``dossier extract --json``."""
        return {
            "file": self.file,
            "sha256": self.sha256,
            "media": self.media,
            "pages": [
                {"page": p.page, "source": p.source, "engine": p.engine, "text": p.text,
                 "width": p.width, "height": p.height, "dpi": p.dpi, "is_photo": p.is_photo,
                 "lines": [l.to_dict() for l in p.lines],
                 **({"seals": [dict(s) for s in p.seals]} if p.seals else {})}
                for p in self.pages
            ],
            "problems": [pr.to_dict() for pr in self.problems],
        }


def short_error(exc: BaseException) -> str:
    """An exception as one short line for a ReadProblem message (the full repr goes to detail)."""
    s = str(exc) or type(exc).__name__
    return s if len(s) <= 120 else s[:117] + "…"
