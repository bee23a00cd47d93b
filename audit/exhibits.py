"""Exhibits: what a report shows beside each finding (gathered by :mod:`audit.illustrate`).

The reports see only the audit result, and the files extracted from zips live in a temporary
folder that is gone when the audit returns. So the audit keeps, for every page a finding points
at (and every page no kind fitted), the page drawn again in the pixel grid its boxes were read
in (:func:`extractors.crops.page_image`), as a JPEG, with the boxes of the personal numbers on
it (ID, phone, address: :func:`audit.privacy.sensitive_spans`) so a masked report can black
them out. For Word and Excel files, which have no page to draw, it keeps an excerpt: the rows
of the table around the cell, or the paragraphs around the one read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from audit.model import Box


@dataclass
class PageShot:
    """A page as the extractor saw it: ``width`` × ``height`` is the grid of its boxes."""
    file: str
    page: int
    width: float
    height: float
    jpeg: bytes
    sensitive: list[Box] = field(default_factory=list)   # grid boxes to black out when masked
    source: str = "ocr"                                   # ocr | text-layer


@dataclass
class Excerpt:
    """Rows of an office file around what was read there (no page image exists)."""
    file: str
    page: int
    box: Box
    kind: str                                  # table | text
    title: str = ""                            # sheet name, or ""
    rows: list[tuple[int, list[str]]] = field(default_factory=list)   # (row number, cells)
    cols: list[int] = field(default_factory=list)                      # column numbers shown
    highlight: set[tuple[int, int]] = field(default_factory=set)      # (row, col) read


@dataclass
class Exhibits:
    pages: dict[tuple[str, int], PageShot] = field(default_factory=dict)
    excerpts: dict[tuple[str, int, Box], Excerpt] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)        # file → pdf|image|docx|xlsx|… read
    unreadable: dict[str, str] = field(default_factory=dict)   # file → why it could not be read
    skipped: int = 0                                           # pages not kept (MAX_PAGES)

    def page(self, file: str, page: Optional[int]) -> Optional[PageShot]:
        return self.pages.get((file, page or 1))

    def excerpt(self, file: str, page: Optional[int], box: Optional[Iterable[float]]) -> Optional[Excerpt]:
        if box is None:
            return None
        return self.excerpts.get((file, page or 1, tuple(float(v) for v in box)))


