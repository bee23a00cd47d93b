"""Content-addressed cache of extraction results (diskcache: SQLite in WAL mode).

Three kinds of entry, all keyed by content, never by file name:

- **OCR lines of one page image**: key = sha256 of the page's pixels + engine name,
  engine version and engine settings (+ our preprocessing). The same scan inside two files
  is recognised once; a run that was interrupted keeps every page it finished.
- **A whole file's extraction**: key = file sha256 + extractor version + everything that
  changes the result (dpi, limits, engine identity and settings, the file's extension).
  A second audit of an unchanged batch reads no PDF and renders no page.
- **A page drawn for the reports** (``audit.illustrate``): key = file sha256 + page + the size
  and quality it was drawn at; the JPEG bytes.

Location: ``cache_dir="auto"`` → ``$DOSSIER_CACHE_DIR`` if set, else
``platformdirs.user_cache_dir("dossier-audit")``; a path → that folder; ``None`` → no cache.
Several processes may read and write at once (SQLite WAL with a busy timeout). A cache that
cannot be opened or written is skipped: caching never makes an extraction fail.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any, Optional, Union

from .base import Cell, Extraction, Line, Page, ReadProblem, Table

log = logging.getLogger(__name__)

__all__ = ["ExtractCache", "open_cache", "default_cache_dir", "content_key",
           "extraction_to_record", "extraction_from_record", "AUTO"]

AUTO = "auto"
# bump when the output of an extractor changes for the same input (invalidates file entries)
EXTRACTOR_VERSION = "5"   # 3: Page.seals; 5: Page.phash/dhash/ink_box
SIZE_LIMIT = 8 * 1024 ** 3


def default_cache_dir() -> Path:
    env = os.environ.get("DOSSIER_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs
    return Path(platformdirs.user_cache_dir("dossier-audit"))


def content_key(**parts: Any) -> str:
    """A stable key: sha256 of the parts as canonical JSON."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ExtractCache:
    """A diskcache.Cache with typed get/put; every failure is a miss."""

    def __init__(self, directory: Union[str, Path]):
        import diskcache
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._dc = diskcache.Cache(str(self.directory), timeout=60, size_limit=SIZE_LIMIT)
        self.hits = 0
        self.misses = 0

    def close(self) -> None:
        try:
            self._dc.close()
        except Exception:  # pragma: no cover
            pass

    def _get(self, key: str) -> Optional[str]:
        try:
            v = self._dc.get(key)
        except Exception as exc:  # locked for too long, corrupt file: a miss
            log.warning("cache read failed: %s", exc)
            v = None
        if v is None:
            self.misses += 1
        else:
            self.hits += 1
        return v

    def _put(self, key: str, value: str) -> None:
        try:
            self._dc.set(key, value)
        except Exception as exc:
            log.warning("cache write failed: %s", exc)

    # a page drawn for the reports (audit.illustrate): JPEG bytes
    def get_bytes(self, key: str) -> Optional[bytes]:
        try:
            v = self._dc.get("B:" + key)
        except Exception as exc:
            log.warning("cache read failed: %s", exc)
            v = None
        if isinstance(v, bytes):
            self.hits += 1
            return v
        self.misses += 1
        return None

    def put_bytes(self, key: str, value: bytes) -> None:
        try:
            self._dc.set("B:" + key, value)
        except Exception as exc:
            log.warning("cache write failed: %s", exc)

    # OCR lines of one page image
    def get_lines(self, key: str) -> Optional[tuple[list[Line], dict]]:
        """``(lines, extra)`` stored by :meth:`put_lines`, or None."""
        v = self._get("L:" + key)
        if v is None:
            return None
        try:
            d = json.loads(v)
            lines = [Line(t, tuple(b) if b else None, c) for t, b, c in d["l"]]
            return lines, d.get("x") or {}
        except Exception:
            return None

    def put_lines(self, key: str, lines: list[Line], extra: Optional[dict] = None) -> None:
        d = {"l": [[l.text, list(l.box) if l.box else None, l.confidence] for l in lines]}
        if extra:
            d["x"] = extra
        self._put("L:" + key, json.dumps(d, ensure_ascii=False))

    # a whole file
    def get_extraction(self, key: str) -> Optional[Extraction]:
        v = self._get("E:" + key)
        if v is None:
            return None
        try:
            return extraction_from_record(json.loads(v))
        except Exception:
            return None

    def put_extraction(self, key: str, ex: Extraction) -> None:
        try:
            blob = json.dumps(extraction_to_record(ex), ensure_ascii=False, default=str)
        except Exception as exc:  # pragma: no cover
            log.warning("cannot cache extraction of %s: %s", ex.file, exc)
            return
        self._put("E:" + key, blob)


_OPEN: dict[str, Optional[ExtractCache]] = {}
_OPEN_LOCK = threading.Lock()


def open_cache(cache_dir: Optional[Union[str, Path]] = AUTO) -> Optional[ExtractCache]:
    """The cache at ``cache_dir`` (``"auto"``, a path, or ``None`` for none), opened once per
    process. Returns ``None`` when disabled or when it cannot be opened."""
    if cache_dir is None:
        return None
    d = default_cache_dir() if str(cache_dir) == AUTO else Path(cache_dir).expanduser()
    k = f"{os.getpid()}:{d}"
    with _OPEN_LOCK:
        if k not in _OPEN:
            try:
                _OPEN[k] = ExtractCache(d)
            except Exception as exc:
                log.warning("cache at %s disabled: %s", d, exc)
                _OPEN[k] = None
        return _OPEN[k]


# ---------------------------------------------------------------------------------------
# (de)serialisation of a whole extraction, with every field (tables, image hashes)

def extraction_to_record(ex: Extraction) -> dict:
    return {
        "file": ex.file, "sha256": ex.sha256, "media": ex.media,
        "pages": [asdict(p) for p in ex.pages],
        "problems": [asdict(p) for p in ex.problems],
        "metadata": ex.metadata,
    }


def _page_from(d: dict) -> Page:
    d = dict(d)
    d["lines"] = [Line(l["text"], tuple(l["box"]) if l.get("box") else None,
                       l.get("confidence", 1.0)) for l in d.get("lines", [])]
    d["tables"] = [Table([Cell(**c) for c in t.get("cells", [])], t.get("name", ""))
                   for t in d.get("tables", [])]
    known = set(Page.__dataclass_fields__)
    return Page(**{k: v for k, v in d.items() if k in known})


def extraction_from_record(r: dict) -> Extraction:
    known = set(ReadProblem.__dataclass_fields__)
    return Extraction(
        file=r["file"], sha256=r["sha256"], media=r["media"],
        pages=[_page_from(p) for p in r.get("pages", [])],
        problems=[ReadProblem(**{k: v for k, v in p.items() if k in known})
                  for p in r.get("problems", [])],
        metadata=r.get("metadata") or {},
    )
