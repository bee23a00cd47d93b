"""Small helpers shared by the rule families (pure: no I/O)."""
from __future__ import annotations

from typing import Iterable, Optional

from audit.model import Fact, FileRecord, Nominee, Span

IMAGE_EXT = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")
SCAN_EXT = (".pdf",) + IMAGE_EXT




def file_span(f: FileRecord, page: Optional[int] = None, text: str = "") -> Span:
    return Span(file=f.path, page=page, sha256=f.sha256, text=text)


def fact_spans(*facts: Optional[Fact]) -> list[Span]:
    out: list[Span] = []
    for fa in facts:
        if fa is not None:
            out.extend(fa.spans)
    return out


def name_of(path: str) -> str:
    return path.split("!/")[-1].rsplit("/", 1)[-1]


def files_with(files: Iterable[FileRecord], *roles: str) -> list[FileRecord]:
    return [f for f in files if f.material in roles]


def nominee_label(n: Nominee) -> str:
    return n.name


def fmt(v) -> str:
    """A value as a supervisor reads it (Decimal without trailing zeros)."""
    from decimal import Decimal
    if isinstance(v, Decimal):
        s = format(v.normalize(), "f")
        return s
    if v is None:
        return "（空）"
    return str(v)
