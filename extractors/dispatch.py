"""Which reader for which file (by its bytes, not its name), and reading many files at once.

``extract_file`` reads one file and never raises for a bad file: everything that goes wrong
comes back as a :class:`~extractors.base.ReadProblem` (the only exception that escapes is
:class:`~extractors.ocr.EngineUnavailable`, an error of the *run*). Problems with
``page=None`` concern the whole file:

=================  =================================================================
reason             when
=================  =================================================================
empty              0 bytes
too-large          more than ``limits["max_file_mb"]`` MB: not read
too-many-pages     more than ``limits["max_pages"]`` pages: the first ``max_pages`` are
                   read, the rest are not (the pages read stay usable as evidence)
too-many-pixels    an image over ``limits["max_megapixels"]``: not decoded
encrypted          a PDF that needs a password (an empty user password is tried first)
                   or a password-protected Office file
corrupt            cannot be parsed; or a PDF truncated after its last ``%%EOF`` (read
                   as far as possible)
zero-pages         a PDF / workbook / presentation with nothing in it
unsupported        a format we do not read (.doc/.xls/.wps, HEIC, OFD, RTF, web pages …)
zip-bomb           an Office file that would unpack to an absurd size
mislabelled        the extension says one type, the bytes another: read by the bytes,
                   so the file still has its pages; the caller decides the severity
=================  =================================================================

Page-level problems (``page`` set): ``ocr-failed``, a corrupt page, a truncated image.

``extract_many`` reads a list of files with a process pool; a big PDF's pages are split
across the workers. Results are cached by content (see :mod:`extractors.cache`).
"""
from __future__ import annotations

import hashlib
import math
import multiprocessing as mp
import os
import re
import struct
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Optional, Sequence, Union

from .base import Extraction, ReadProblem
from .cache import EXTRACTOR_VERSION, content_key, open_cache
from .ocr import SEALS_VERSION, EngineUnavailable, OcrOptions, engine_for

__all__ = ["sniff", "sniff_detail", "extract_file", "extract_many", "DEFAULT_LIMITS",
           "OcrOptions", "default_workers", "EngineUnavailable", "WorkerStartError"]

DEFAULT_LIMITS = {"max_file_mb": 200, "max_pages": 400, "max_megapixels": 80}
HEAD_BYTES = 64 * 1024

Progress = Callable[[str, int], None]
PathLike = Union[str, Path, bytes]

EXT_MEDIA = {
    ".pdf": "pdf", ".jpg": "image", ".jpeg": "image", ".jpe": "image", ".png": "image",
    ".tif": "image", ".tiff": "image", ".bmp": "image", ".webp": "image", ".gif": "image",
    ".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pptx": "pptx",
    ".txt": "txt", ".csv": "csv", ".zip": "zip",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole", ".wps": "ole", ".et": "ole", ".dps": "ole",
}
MEDIA_ZH = {"pdf": "PDF", "image": "图片", "docx": "Word 文档（docx）", "xlsx": "Excel 表格（xlsx）",
            "pptx": "PowerPoint 演示文稿（pptx）", "txt": "纯文本", "csv": "CSV 表格",
            "zip": "压缩包", "other": "无法识别的格式", "ole": "旧版 Office/WPS 文档"}


# ---------------------------------------------------------------------------------------
# sniffing

def _zip_names_from_head(head: bytes) -> list[str]:
    names = []
    for m in re.finditer(rb"PK\x03\x04", head):
        i = m.start()
        if i + 30 > len(head):
            break
        nlen = struct.unpack_from("<H", head, i + 26)[0]
        names.append(head[i + 30:i + 30 + nlen].decode("cp437", "replace"))
    return names


def _zip_kind(names: Sequence[str], head: bytes = b"") -> tuple[str, str]:
    low = [n.replace("\\", "/").lower() for n in names]
    if any(n.startswith("word/") for n in low):
        return "docx", ""
    if any(n.startswith("xl/") for n in low):
        return "xlsx", ""
    if any(n.startswith("ppt/") for n in low):
        return "pptx", ""
    if "mimetype" in low and b"opendocument" in head:
        return "other", "odf"
    if "ofd.xml" in low:
        return "other", "ofd"
    if any(n.endswith(".fdseq") or n.startswith("documents/") for n in low) and \
            "[content_types].xml" in low:
        return "other", "xps"
    return "zip", ""


def _looks_text(head: bytes) -> Optional[str]:
    """The decoded text when ``head`` is text (UTF-8/16, GB18030), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head[:len(head) - (len(head) % 2)].decode("utf-16", "replace")
        except Exception:
            return None
    if b"\x00" in head:
        return None
    text = None
    for enc in ("utf-8-sig", "gb18030"):
        for cut in range(0, 4):  # the head may end inside a multibyte character
            try:
                text = head[:len(head) - cut].decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is not None:
            break
    if text is None:
        return None
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a") or ord(ch) == 127)
    return text if bad <= max(1, len(text) // 100) else None


def sniff_detail(data_head: bytes, name: str = "") -> tuple[str, str]:
    """``(media, detail)``: ``detail`` names what ``other`` is (``ole``, ``heic``, ``rtf``,
    ``html``, ``mht``, ``odf``, ``ofd``, ``ole-encrypted`` …) or is empty."""
    h = data_head
    if not h:
        return "other", "empty"
    if h.startswith(b"%PDF-"):
        return "pdf", ""
    if h.startswith(b"\xff\xd8\xff"):
        return "image", "jpeg"
    if h.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "png"
    if h.startswith((b"II*\x00", b"MM\x00*")):
        return "image", "tiff"
    if h.startswith((b"GIF87a", b"GIF89a")):
        return "image", "gif"
    if h[:4] == b"RIFF" and h[8:12] == b"WEBP":
        return "image", "webp"
    if h[:2] == b"BM" and len(h) >= 26 and h[6:10] == b"\x00\x00\x00\x00" and \
            struct.unpack_from("<I", h, 14)[0] in (12, 40, 52, 56, 64, 108, 124):
        return "image", "bmp"
    if h[4:8] == b"ftyp" and h[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"hevc", b"avif"):
        return "image", "heic"
    if h.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(_zip_names_from_head(h), h)
    if h.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        enc = "EncryptionInfo".encode("utf-16-le")
        return "other", "ole-encrypted" if enc in h else "ole"
    if h.startswith(b"{\\rtf"):
        return "other", "rtf"
    if b"%PDF-" in h[:1024]:  # junk before the header: readers accept it, so do we
        return "pdf", ""
    text = _looks_text(h)
    if text is not None:
        t = text.lstrip("\ufeff \r\n\t").lower()
        if t.startswith(("<!doctype html", "<html")) or "<html" in t[:2048]:
            return "other", "html"
        if t.startswith("mime-version:") or ("mime-version:" in t[:2048] and "multipart/related" in t[:4096]):
            return "other", "mht"
        if t.startswith("<?xml") and ("word.document" in t[:4096] or "excel.sheet" in t[:4096]):
            return "other", "office-xml"
        ext = PurePosixPath(name.replace("\\", "/")).suffix.lower()
        if ext in (".csv", ".tsv"):
            return "csv", ""
        return "txt", ""
    return "other", ""


def sniff(data_head: bytes, name: str) -> str:
    """The media of a file from its first bytes: ``pdf``, ``image``, ``docx``, ``xlsx``,
    ``pptx``, ``zip``, ``txt``, ``csv`` or ``other``. ``name`` only breaks the tie between
    txt and csv."""
    return sniff_detail(data_head, name)[0]


UNSUPPORTED_ZH = {
    "ole": "旧版 Office/WPS 格式（.doc/.xls/.ppt/.wps）无法读取，请另存为 docx/xlsx/pptx 或 PDF 后重新提交",
    "mht": "网页格式（单个文件网页 .mht，常见于另存为 .doc 的文件）无法读取，请另存为 docx 或 PDF 后重新提交",
    "html": "网页格式（HTML）无法读取，请另存为 docx 或 PDF 后重新提交",
    "office-xml": "Word/Excel 2003 XML 格式无法读取，请另存为 docx/xlsx 后重新提交",
    "rtf": "RTF 格式无法读取，请另存为 docx 或 PDF 后重新提交",
    "heic": "HEIC/HEIF 图片格式无法读取，请转换为 JPG 或 PNG 后重新提交",
    "odf": "OpenDocument 格式（odt/ods/odp）无法读取，请另存为 docx/xlsx/pptx 后重新提交",
    "ofd": "OFD 版式文件无法读取，请转换为 PDF 后重新提交",
    "xps": "XPS 格式无法读取，请转换为 PDF 后重新提交",
    "zip": "压缩包应先解压后逐个读取",
    "": "无法识别的文件格式，无法读取",
}


# ---------------------------------------------------------------------------------------
# one file

def _ext(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _zip_media(blob: bytes, head: bytes, media: str, detail: str) -> tuple[str, str]:
    """The head showed only the first members of a zip: decide from its central directory."""
    import io
    import zipfile
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            return _zip_kind(z.namelist(), head)
    except Exception:  # a broken container: let the reader the head chose report it
        return media, detail


def _mislabel(ext: str, media: str, detail: str) -> Optional[ReadProblem]:
    expected = EXT_MEDIA.get(ext)
    if expected is None:
        return None
    real = "ole" if detail in ("ole", "ole-encrypted") else media
    if expected == real or {expected, real} <= {"txt", "csv"}:
        return None
    return ReadProblem("mislabelled",
                       f"文件扩展名为 {ext}，但内容实际是{MEDIA_ZH.get(real, real)}；已按实际格式读取",
                       detail=f"{ext} is {real}{'/' + detail if detail else ''}")


def _file_key(sha256: str, rel: str, limits: dict, ocr: OcrOptions) -> Optional[str]:
    try:
        eng = engine_for(ocr)
        return content_key(kind="file", v=EXTRACTOR_VERSION, sha=sha256, ext=_ext(rel),
                           limits={k: limits.get(k) for k in sorted(DEFAULT_LIMITS)},
                           dpi=ocr.dpi, min_text=ocr.min_text_chars, photos=ocr.detect_photos,
                           red=ocr.suppress_red, rotate=ocr.auto_rotate, seals=SEALS_VERSION if ocr.read_seals else 0, engine=eng.name, version=eng.version(),
                           settings=eng.settings())
    except EngineUnavailable:
        raise
    except Exception:
        return None


def _cacheable(ex: Extraction) -> bool:
    return not any(p.reason == "ocr-failed" for p in ex.problems)


def extract_file(path: PathLike, rel: str, sha256: Optional[str], *, limits: Optional[dict] = None,
                 ocr: Optional[OcrOptions] = None, pages: Optional[Sequence[int]] = None,
                 file_level: bool = True) -> Extraction:
    """Read one file: ``path`` is a path or the file's bytes; ``rel`` its batch-relative
    name (zip members ``a.zip!/x/y.pdf``); ``sha256`` its hash (computed when None).

    Never raises for a bad file. ``pages``/``file_level`` read part of a PDF (used by
    :func:`extract_many`). Whole-file results are cached by content unless
    ``ocr.cache_dir`` is None.
    """
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    ocr = ocr or OcrOptions()
    try:
        return _extract_file(path, rel, sha256, limits, ocr, pages, file_level)
    except EngineUnavailable:
        raise
    except Exception as exc:  # the last line of defence: a bug must not stop the batch
        return Extraction(file=rel, sha256=sha256 or "", media="other", problems=[ReadProblem(
            "corrupt", f"文件损坏，无法解析：{str(exc)[:120] or type(exc).__name__}",
            detail=repr(exc)[:500])])


def _extract_file(path: PathLike, rel: str, sha256: Optional[str], limits: dict,
                  ocr: OcrOptions, pages: Optional[Sequence[int]], file_level: bool) -> Extraction:
    is_bytes = isinstance(path, (bytes, bytearray))
    try:
        if is_bytes:
            size = len(path)
            head = bytes(path[:HEAD_BYTES])
        else:
            size = os.stat(path).st_size
            with open(path, "rb") as f:
                head = f.read(HEAD_BYTES)
    except OSError as exc:
        return Extraction(file=rel, sha256=sha256 or "", media="other", problems=[ReadProblem(
            "corrupt", f"无法打开文件：{exc.strerror or exc}", detail=repr(exc))])
    media, detail = sniff_detail(head, rel)
    if size == 0:  # nothing to sniff: say what the name promised
        by_name = EXT_MEDIA.get(_ext(rel), "other")
        return Extraction(file=rel, sha256=sha256 or hashlib.sha256(b"").hexdigest(),
                          media="other" if by_name == "ole" else by_name,
                          problems=[ReadProblem("empty", "文件为空（0 字节）")])
    max_bytes = float(limits["max_file_mb"]) * 1024 * 1024
    if size > max_bytes:
        return Extraction(file=rel, sha256=sha256 or "", media=media, problems=[ReadProblem(
            "too-large", f"文件过大（{size / 1048576:.1f} MB，上限 {float(limits['max_file_mb']):g} MB），未读取",
            detail=f"{size} bytes")])
    data: Optional[bytes] = bytes(path) if is_bytes else None

    def load() -> bytes:
        nonlocal data
        if data is None:
            data = Path(path).read_bytes()
        return data

    if not sha256:
        sha256 = hashlib.sha256(load()).hexdigest()

    whole = file_level and pages is None
    cache = open_cache(ocr.cache_dir) if whole else None
    key = _file_key(sha256, rel, limits, ocr) if cache is not None else None
    if key:
        hit = cache.get_extraction(key)
        if hit is not None:
            hit.file = rel
            return hit

    src = data if data is not None else path
    if media == "pdf":
        from .pdf import extract_pdf
        ex = extract_pdf(src, sha256, file=rel, limits=limits, ocr=ocr, pages=pages,
                         file_level=file_level)
    elif media == "image" and detail == "heic":
        ex = Extraction(file=rel, sha256=sha256, media="image",
                        problems=[ReadProblem("unsupported", UNSUPPORTED_ZH["heic"])])
    elif media == "image":
        from .images import extract_image
        ex = extract_image(src, sha256, file=rel, limits=limits, ocr=ocr)
    elif media in ("docx", "xlsx", "pptx", "zip"):
        from . import office
        readers = {"docx": office.extract_docx, "xlsx": office.extract_xlsx,
                   "pptx": office.extract_pptx}
        blob = load()
        media, detail = _zip_media(blob, head, media, detail)
        if media in readers:
            ex = readers[media](blob, sha256, file=rel, limits=limits)
        else:
            ex = Extraction(file=rel, sha256=sha256, media="zip" if media == "zip" else "other",
                            problems=[ReadProblem("unsupported", UNSUPPORTED_ZH.get(
                                detail or media, UNSUPPORTED_ZH[""]), detail=detail)])
    elif media in ("txt", "csv"):
        from .office import extract_text
        ex = extract_text(load(), sha256, file=rel, media=media, limits=limits)
    elif detail == "ole-encrypted":
        ex = Extraction(file=rel, sha256=sha256, media="other", problems=[ReadProblem(
            "encrypted", "Office 文件已设置打开密码，无法读取（请去除密码后重新提交）")])
    else:
        ex = Extraction(file=rel, sha256=sha256, media="other", problems=[ReadProblem(
            "unsupported", UNSUPPORTED_ZH.get(detail, UNSUPPORTED_ZH[""]), detail=detail)])
    if file_level:
        mis = _mislabel(_ext(rel), media, detail)
        if mis:
            ex.problems.append(mis)
    ex.file = rel
    if key and _cacheable(ex):
        cache.put_extraction(key, ex)
    return ex


# ---------------------------------------------------------------------------------------
# many files

def default_workers() -> int:
    """One worker process per CPU core (measured best with one ONNX thread each)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Task:
    index: int           # the job's position
    path: PathLike
    rel: str
    sha256: Optional[str]
    pages: Optional[tuple[int, ...]] = None
    file_level: bool = True
    cost: float = 1.0


_W: dict = {}


def _worker_init(limits: dict, ocr: OcrOptions) -> None:
    """Runs once in each worker: pin compute threads, build the OCR engine, load its models."""
    threads = max(1, int(ocr.threads or 1))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    os.environ["OMP_THREAD_LIMIT"] = str(threads)
    try:
        import cv2
        cv2.setNumThreads(threads)
    except Exception:
        pass
    _W["limits"], _W["ocr"] = limits, ocr
    try:
        eng = engine_for(ocr)
        warm = getattr(eng, "warm_up", None)
        if warm:
            warm()
    except Exception as exc:  # reported by the first task, not by breaking the pool
        _W["error"] = exc


def _worker_ping() -> int:
    return os.getpid()


class WorkerStartError(RuntimeError):
    """The worker processes cannot start (an error of the run, not of a file): e.g. a script
    that calls :func:`extract_many` without an ``if __name__ == "__main__":`` guard."""


def _worker_run(task: _Task) -> tuple[int, Extraction]:
    if "error" in _W:
        raise _W["error"]
    ex = extract_file(task.path, task.rel, task.sha256, limits=_W["limits"], ocr=_W["ocr"],
                      pages=task.pages, file_level=task.file_level)
    return task.index, ex


def _plan(i: int, path: PathLike, rel: str, sha: Optional[str], workers: int,
          limits: dict) -> list[_Task]:
    """One task per file, except a PDF with several pages, split into page chunks."""
    try:
        size = len(path) if isinstance(path, (bytes, bytearray)) else os.stat(path).st_size
        if isinstance(path, (bytes, bytearray)):
            head = bytes(path[:HEAD_BYTES])
        else:
            with open(path, "rb") as f:
                head = f.read(HEAD_BYTES)
    except OSError:
        return [_Task(i, path, rel, sha)]
    media = sniff(head, rel)
    if media != "pdf" or workers <= 1 or size > float(limits["max_file_mb"]) * 1048576:
        return [_Task(i, path, rel, sha, cost=1.0 if media == "image" else 0.2)]
    from .pdf import pdf_page_count
    n = pdf_page_count(path)
    if not n or n <= 1:
        return [_Task(i, path, rel, sha, cost=1.0)]
    n = min(n, int(limits["max_pages"]))
    chunk = max(1, min(16, math.ceil(n / (workers * 8))))
    tasks = []
    for start in range(1, n + 1, chunk):
        pages = tuple(range(start, min(n, start + chunk - 1) + 1))
        tasks.append(_Task(i, path, rel, sha, pages=pages, file_level=(start == 1),
                           cost=float(len(pages))))
    return tasks


def _merge(parts: list[Extraction]) -> Extraction:
    parts = sorted(parts, key=lambda e: e.pages[0].page if e.pages else 0)
    first = next((p for p in parts if p.metadata), parts[0])
    out = Extraction(file=first.file, sha256=first.sha256, media=first.media,
                     metadata=dict(first.metadata))
    seen = set()
    for p in parts:
        out.pages.extend(p.pages)
        for pr in p.problems:
            k = (pr.reason, pr.message, pr.page)
            if k not in seen:
                seen.add(k)
                out.problems.append(pr)
        for k, v in p.metadata.items():
            if k in ("image_cover", "rotated_pages") and isinstance(v, dict):
                out.metadata.setdefault(k, {}).update(v)
    out.pages.sort(key=lambda pg: pg.page)
    return out


def extract_many(jobs: Sequence[tuple[PathLike, str, Optional[str]]], *,
                 limits: Optional[dict] = None, ocr_options: Optional[OcrOptions] = None,
                 workers: int = 1, progress: Optional[Progress] = None) -> list[Extraction]:
    """Read many files; results in the order of ``jobs`` (``(path, rel, sha256)``).

    ``workers == 1`` reads in this process. Otherwise a spawn-context process pool of
    ``workers`` processes, each building its OCR engine once; a PDF with several pages is
    split into page chunks so every core has work. ``progress(kind, n)`` is called with
    increments: ``("pages", n)`` when n pages are done, ``("files", 1)`` when a file is.
    Files already in the cache are not sent to the pool. Raises only
    :class:`EngineUnavailable` (checked before any work starts).
    """
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    ocr = ocr_options or OcrOptions()
    eng = engine_for(ocr)  # raises EngineUnavailable now rather than in every worker
    eng.version()
    results: list[Optional[Extraction]] = [None] * len(jobs)
    report = progress or (lambda kind, n: None)
    cache = open_cache(ocr.cache_dir)

    def done_file(i: int, ex: Extraction) -> None:
        results[i] = ex
        report("files", 1)

    if workers <= 1:
        for i, (path, rel, sha) in enumerate(jobs):
            ex = extract_file(path, rel, sha, limits=limits, ocr=ocr)
            report("pages", len(ex.pages))
            done_file(i, ex)
        return results  # type: ignore[return-value]

    tasks: list[_Task] = []
    keys: dict[int, Optional[str]] = {}
    for i, (path, rel, sha) in enumerate(jobs):
        if not sha and not isinstance(path, (bytes, bytearray)):
            try:
                sha = _sha256_file(path)
            except OSError:
                sha = None
        elif not sha:
            sha = hashlib.sha256(path).hexdigest()
        if cache is not None and sha:
            keys[i] = _file_key(sha, rel, limits, ocr)
            hit = cache.get_extraction(keys[i]) if keys[i] else None
            if hit is not None:
                hit.file = rel
                report("pages", len(hit.pages))
                done_file(i, hit)
                continue
        tasks.extend(_plan(i, path, rel, sha, workers, limits))

    remaining = {}
    for t in tasks:
        remaining[t.index] = remaining.get(t.index, 0) + 1
    parts: dict[int, list[Extraction]] = {}

    def on_result(t: _Task, ex: Extraction) -> None:
        report("pages", len(ex.pages))
        parts.setdefault(t.index, []).append(ex)
        remaining[t.index] -= 1
        if remaining[t.index] == 0:
            whole = _merge(parts.pop(t.index)) if len(tasks_by_index[t.index]) > 1 else ex
            if len(tasks_by_index[t.index]) > 1 and cache is not None and keys.get(t.index) \
                    and _cacheable(whole):
                cache.put_extraction(keys[t.index], whole)
            done_file(t.index, whole)

    tasks_by_index: dict[int, list[_Task]] = {}
    for t in tasks:
        tasks_by_index.setdefault(t.index, []).append(t)
    order = sorted(tasks, key=lambda t: -t.cost)
    _run_pool(order, workers, limits, ocr, on_result)
    return results  # type: ignore[return-value]


def _sha256_file(path: PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _run_pool(tasks: list[_Task], workers: int, limits: dict, ocr: OcrOptions,
              on_result: Callable[[_Task, Extraction], None]) -> None:
    """Run tasks in a pool; if a worker dies (a crash inside a parser), retry what was not
    finished in a fresh pool, then one task per pool so only the culprit fails."""
    ctx = mp.get_context("spawn")
    pending = list(tasks)
    for attempt in range(2):
        if not pending:
            return
        pending = _pool_pass(pending, workers, limits, ocr, on_result, ctx)
    for t in pending:  # isolate: each remaining task alone
        left = _pool_pass([t], 1, limits, ocr, on_result, ctx)
        for lt in left:
            on_result(lt, Extraction(file=lt.rel, sha256=lt.sha256 or "", media="other",
                                     problems=[ReadProblem(
                                         "corrupt", "读取该文件时解析程序崩溃，文件可能已损坏",
                                         page=None if lt.file_level else (lt.pages or [None])[0],
                                         detail="worker process died")]))


def _pool_pass(tasks, workers, limits, ocr, on_result, ctx) -> list[_Task]:
    unfinished: list[_Task] = []
    ex = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=ctx,
                             initializer=_worker_init, initargs=(limits, ocr))
    try:
        try:
            ex.submit(_worker_ping).result()
        except BrokenProcessPool as exc:
            raise WorkerStartError(
                "无法启动读取文件的工作进程（用 spawn 方式启动时主程序须有 if __name__ == '__main__' 保护）；"
                "可改用 workers=1") from exc
        futs = {ex.submit(_worker_run, t): t for t in tasks}
        not_done = set(futs)
        while not_done:
            done, not_done = wait(not_done, return_when=FIRST_COMPLETED)
            for f in done:
                t = futs[f]
                try:
                    _, res = f.result()
                except BrokenProcessPool:
                    unfinished.append(t)
                    continue
                except EngineUnavailable:
                    raise
                except Exception as exc:  # e.g. a result that cannot be pickled
                    res = Extraction(file=t.rel, sha256=t.sha256 or "", media="other",
                                     problems=[ReadProblem(
                                         "corrupt", f"读取文件时出错：{str(exc)[:120]}",
                                         page=None if t.file_level else (t.pages or [None])[0],
                                         detail=repr(exc)[:500])])
                on_result(t, res)
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
    return unfinished
