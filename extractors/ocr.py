"""OCR engines behind one small interface (as OCRmyPDF's ``OcrEngine``).

An engine turns a page image into :class:`~extractors.base.Line` objects with axis-aligned
boxes in the image's pixels, sorted in reading order. Engines:

``rapid``      RapidOCR (``rapidocr-onnxruntime``, PP-OCR ONNX models). The default.
``tesseract``  Tesseract 5 ``chi_sim+eng`` through pytesseract.
``null``       recognises nothing (a run that only wants text layers and office files).
``replay:F``   :class:`FakeEngine` replaying recorded lines from the JSON file ``F``.

Engines are created lazily and once per process (:func:`engine_for`); a missing engine
raises :class:`EngineUnavailable` (an error of the *run*, not of a file).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import threading
from dataclasses import dataclass, field
from importlib import metadata as _md
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from .base import Box, Extraction, Line, Page, ReadProblem, short_error

__all__ = [
    "EngineUnavailable", "OcrOptions", "OcrEngine", "RapidOcrEngine", "TesseractEngine",
    "NullEngine", "FakeEngine", "get_engine", "engine_for", "engine_id",
    "sort_reading_order", "group_words", "polygon_to_box", "recordings_from",
    "OCR_CONFUSIONS", "suppress_red_ink", "recognize_page", "recognize_oriented",
    "unrotate_box", "recognize_page_and_seals", "read_page_seals", "seal_to_dict",
    "page_image_hashes", "ink_box",
]


class EngineUnavailable(Exception):
    """An OCR engine is not installed or cannot start. ``message`` is Chinese, ``fix`` says how.

    The CLI maps this to its engine error (exit code 3); extractors never turn it into a
    read problem, because it says nothing about the file.
    """

    def __init__(self, message: str, fix: str = "", engine: str = ""):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.engine = engine

    def __str__(self) -> str:
        return f"{self.message}\n{self.fix}" if self.fix else self.message

    def __reduce__(self):  # picklable across the process pool
        return (EngineUnavailable, (self.message, self.fix, self.engine))


@dataclass
class OcrOptions:
    """How pages without a text layer are recognised. Picklable: sent to every worker.

    ``engine``      an engine name for :func:`get_engine` (``"rapid"``, ``"tesseract"``,
                    ``"null"``, ``"replay:<json>"``) or an :class:`OcrEngine` instance
                    (must be picklable when ``workers > 1``).
    ``engine_opts`` keyword arguments for the engine (e.g. ``{"max_side_len": 2000}``).
    ``threads``     compute threads per process inside the engine (ONNX intra-op threads;
                    ``OMP_THREAD_LIMIT`` for Tesseract). Default 1, with one worker process
                    per core: on 2 busy cores 2 × 1 read 10 scanned pages in 33 s against
                    41–45 s for 1 process × 2 threads (on idle cores the two are within 15 %),
                    and processes also parallelise rendering, parsing and hashing.
    ``dpi``         render resolution for PDF pages (boxes of text layers use it too).
    ``cache_dir``   ``"auto"``: ``$DOSSIER_CACHE_DIR`` or the user cache dir; a path; or
                    ``None`` to disable caching.
    ``min_text_chars`` a PDF page whose text layer has fewer meaningful characters (CJK,
                    letters, digits) than this is treated as a scan and OCR'd.
    ``detect_photos`` images that look like photographs are not OCR'd (``Page.is_photo``).
    ``suppress_red`` fade red ink (seals, red stamps) to the paper before OCR: a seal over a
                    line of text otherwise makes the engine drop that line (CER 4.3 % → 0.4 %
                    on the benchmark pages). Red print stays legible as light grey.
    ``auto_rotate`` a page that reads poorly is tried turned 180°/90°/270° (scans upside
                    down, phone photos sideways); see :func:`recognize_oriented`.
    ``read_seals``  find and read the red seals of every OCR'd page (``Page.seals``, see
                    :func:`read_page_seals`); pages read from a text layer are not rendered,
                    so they have none.
    """
    engine: Any = "rapid"
    engine_opts: dict = field(default_factory=dict)
    threads: int = 1
    dpi: int = 200
    cache_dir: Optional[str] = "auto"
    min_text_chars: int = 10
    detect_photos: bool = True
    suppress_red: bool = True
    auto_rotate: bool = True
    read_seals: bool = True


# ---------------------------------------------------------------------------------------
# geometry helpers shared by the engines and the PDF text layer

def polygon_to_box(points: Iterable[Sequence[float]]) -> Box:
    """An axis-aligned box ``(x0, y0, x1, y1)`` around a polygon (RapidOCR gives 4 points)."""
    pts = [(float(p[0]), float(p[1])) for p in points]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return (round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1))


def sort_reading_order(lines: Sequence[Line], row_tolerance: float = 0.5) -> list[Line]:
    """Lines top to bottom, then left to right within a row.

    Two lines are in the same row when their vertical centres differ by at most
    ``row_tolerance`` times the smaller of their heights (so a slightly skewed scan keeps
    label and value together, while lines of a paragraph stay apart). Lines without a box
    keep their order at the end.
    """
    boxed = [l for l in lines if l.box]
    unboxed = [l for l in lines if not l.box]
    out: list[Line] = []
    for r in _rows(boxed, row_tolerance):
        out.extend(r)
    return out + unboxed


def _rows(boxed: Sequence[Line], row_tolerance: float) -> list[list[Line]]:
    """Boxed lines grouped into rows, top to bottom, each row left to right. A line joins the
    current row when its centre is within ``row_tolerance`` × the smaller height of the
    row's running centre."""
    rows: list[list[Line]] = []
    row_yc = row_h = 0.0
    for l in sorted(boxed, key=lambda l: ((l.box[1] + l.box[3]) / 2, l.box[0])):
        yc = (l.box[1] + l.box[3]) / 2
        h = max(1.0, l.box[3] - l.box[1])
        if rows and abs(yc - row_yc) <= row_tolerance * min(h, row_h):
            rows[-1].append(l)
            n = len(rows[-1])
            row_yc += (yc - row_yc) / n
            row_h += (h - row_h) / n
        else:
            rows.append([l])
            row_yc, row_h = yc, h
    for r in rows:
        r.sort(key=lambda l: l.box[0])
    return rows


_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


def _joiner(left: str, right: str, gap: float, height: float, space_gap: float) -> str:
    if not left or not right:
        return ""
    if _ASCII_WORD.match(left[-1]) and _ASCII_WORD.match(right[0]):
        return " "
    return " " if gap > space_gap * height else ""


def group_words(words: Sequence[tuple[str, Box, float]], *, split_gap: float = 2.0,
                space_gap: float = 0.25, row_tolerance: float = 0.5) -> list[Line]:
    """Words ``(text, box, confidence)`` → lines in reading order.

    Words in one row are joined (a space between Latin words, or where the gap exceeds
    ``space_gap`` times the row height, e.g. ``身份证号 4102…``); a row is cut into separate lines where the horizontal gap exceeds ``split_gap`` times the
    row height, so a label and its value in different table cells stay separate lines, as
    OCR engines return them.
    """
    ws = [Line(t, b, c) for t, b, c in words if t and t.strip() and b]
    out: list[Line] = []
    for r in _rows(ws, row_tolerance):
        height = max(1.0, sorted(w.box[3] - w.box[1] for w in r)[len(r) // 2])
        seg: list[Line] = []
        for w in r:
            if seg and w.box[0] - seg[-1].box[2] > split_gap * height:
                out.append(_merge(seg, height, space_gap))
                seg = []
            seg.append(w)
        if seg:
            out.append(_merge(seg, height, space_gap))
    return out


def _merge(seg: list[Line], height: float, space_gap: float) -> Line:
    text = seg[0].text.strip()
    for prev, w in zip(seg, seg[1:]):
        t = w.text.strip()
        text += _joiner(text, t, w.box[0] - prev.box[2], height, space_gap) + t
    box = (min(w.box[0] for w in seg), min(w.box[1] for w in seg),
           max(w.box[2] for w in seg), max(w.box[3] for w in seg))
    conf = sum(w.confidence for w in seg) / len(seg)
    return Line(text, tuple(round(v, 1) for v in box), conf)


# ---------------------------------------------------------------------------------------
# engines

def suppress_red_ink(image, margin: int = 50):
    """A copy of ``image`` (RGB) where reddish pixels (R − max(G, B) > ``margin``) are
    replaced by their red channel as grey: a red seal fades to near paper white, black text
    under it stays black, red print becomes light grey but stays legible."""
    import numpy as np
    from PIL import Image
    img = image if image.mode == "RGB" else image.convert("RGB")
    a = np.asarray(img)
    r = a[..., 0].astype(np.int16)
    red = (r - np.maximum(a[..., 1], a[..., 2]).astype(np.int16)) > margin
    if not red.any():
        return img
    out = a.copy()
    out[red] = a[..., 0][red][:, None]
    return Image.fromarray(out)


class OcrEngine:
    """The interface: ``name``, ``version()``, ``settings()``, ``recognize()``.

    ``version()`` and ``settings()`` go into the cache key: two results are interchangeable
    only when both match. ``settings()`` holds what changes the *result*, not the speed.
    """
    name = "base"
    #: True when the result depends on the page key rather than the pixels (replay engines)
    keyed_by_page = False

    def version(self) -> str:
        raise NotImplementedError

    def settings(self) -> dict:
        return {}

    def recognize(self, image, key: Optional[str] = None) -> list[Line]:
        """Lines of ``image`` (a PIL image) in reading order. ``key`` is
        ``f"{file_sha256}:{page}"`` (page 1-based); only replaying engines use it."""
        raise NotImplementedError


def engine_id(engine: OcrEngine) -> str:
    """What ``Page.engine`` records: name and version."""
    return f"{engine.name} {engine.version()}".strip()


def _pkg_version(name: str) -> Optional[str]:
    try:
        return _md.version(name)
    except _md.PackageNotFoundError:
        return None


class RapidOcrEngine(OcrEngine):
    """RapidOCR 1.4.4 (``rapidocr_onnxruntime.RapidOCR``), built lazily once per instance.

    What the keyword arguments of RapidOCR 1.4.4 really do (read from its source, checked by
    ``tests/extractors/test_ocr_real.py`` and measured by ``tests/extractors/bench_ocr.py``):

    - ``max_side_len`` (Global): the whole page is shrunk to this longest side *before*
      detection, and the text lines are cropped for recognition from that shrunk page.
      Takes effect.
    - ``det_limit_side_len`` / ``det_limit_type``: have **no effect** on pages bigger than
      960 px: with the shipped ``limit_type: min`` (736) a page whose short side is ≥ 736 is
      not resized, and with ``limit_type: max`` ``TextDetector.get_preprocess`` ignores the
      setting and picks 960/1500/2000 from the page size. Our ``det_max_side`` setting
      replaces that method so the detector really runs on a page shrunk to ``det_max_side``
      while recognition still crops lines from the page at ``max_side_len``.
    - ``intra_op_num_threads``/``inter_op_num_threads``: copied into every ONNX session;
      take effect (1..cpu_count).
    - ``use_cls``: the 0/180° line classifier; ``text_score``: lines below it are dropped.
    """
    name = "rapidocr"
    # Chosen with tests/extractors/bench_ocr.py on 20 synthetic A4 scans at 200 dpi (seals
    # faded first): the detector on a page shrunk to 1280 px costs 0.45 s instead of 1.3 s at
    # 2000 px, and recognition on lines cropped at 2000 px keeps the char error rate at 0.2 %
    # (max_side_len=1200: 0.66 %). The per-line 0/180° classifier turned a good line upside
    # down on one page (0.58 %), so it is off; whole pages upside down or sideways are
    # handled by recognize_oriented().
    DEFAULTS = {"max_side_len": 2000, "det_max_side": 1280, "use_cls": False,
                "text_score": 0.5}

    def __init__(self, threads: int = 1, **settings: Any):
        if _pkg_version("rapidocr-onnxruntime") is None:
            raise EngineUnavailable(
                "OCR 引擎 RapidOCR 未安装", "请安装：pip install rapidocr-onnxruntime==1.4.4",
                engine="rapid")
        unknown = set(settings) - set(self.DEFAULTS)
        if unknown:
            raise ValueError(f"unknown RapidOCR settings: {sorted(unknown)}")
        self._settings = {**self.DEFAULTS, **settings}
        self.threads = int(threads)
        self._ocr = None
        self._lock = threading.Lock()

    def version(self) -> str:
        return f"{_pkg_version('rapidocr-onnxruntime')}/ort-{_pkg_version('onnxruntime')}"

    def settings(self) -> dict:
        return dict(self._settings)

    def _engine(self):
        if self._ocr is None:
            with self._lock:
                if self._ocr is None:
                    try:
                        from rapidocr_onnxruntime import RapidOCR
                    except Exception as exc:  # pragma: no cover - depends on the install
                        raise EngineUnavailable(
                            f"OCR 引擎 RapidOCR 无法加载：{exc}",
                            "请重新安装：pip install rapidocr-onnxruntime==1.4.4",
                            engine="rapid") from exc
                    s = self._settings
                    kw = {"max_side_len": int(s["max_side_len"]),
                          "use_cls": bool(s["use_cls"]),
                          "text_score": float(s["text_score"])}
                    if self.threads and self.threads > 0:
                        kw["intra_op_num_threads"] = self.threads
                        kw["inter_op_num_threads"] = 1
                    ocr = RapidOCR(**kw)
                    if s.get("det_max_side"):
                        _limit_detector(ocr, int(s["det_max_side"]))
                    self._ocr = ocr
        return self._ocr

    def warm_up(self) -> None:
        """Load the models now (a worker's initializer calls this)."""
        self._engine()

    def recognize(self, image, key: Optional[str] = None) -> list[Line]:
        ocr = self._engine()
        img = image if image.mode == "RGB" else image.convert("RGB")
        result, _elapse = ocr(img)
        if not result:
            return []
        lines = [Line(str(text).strip(), polygon_to_box(pts), float(score))
                 for pts, text, score in result if str(text).strip()]
        return sort_reading_order(lines)

    def __getstate__(self):
        return {"_settings": self._settings, "threads": self.threads}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._ocr = None
        self._lock = threading.Lock()


def _limit_detector(ocr, side: int) -> None:
    """Make RapidOCR 1.4.4's detector shrink its input to ``side`` (longest side).

    ``TextDetector.get_preprocess`` ignores ``limit_side_len`` for pages over 960 px (see
    :class:`RapidOcrEngine`); this instance attribute replaces it with a fixed-size one.
    """
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess
    det = ocr.text_det
    pre = DetPreProcess(side, "max", det.mean, det.std)
    det.get_preprocess = lambda max_wh: pre


class TesseractEngine(OcrEngine):
    """Tesseract through ``pytesseract.image_to_data``; words grouped into lines with boxes;
    confidence = mean word confidence / 100."""
    name = "tesseract"

    def __init__(self, threads: int = 1, lang: str = "chi_sim+eng", psm: int = 3,
                 oem: int = 1):
        try:
            import pytesseract
        except Exception as exc:
            raise EngineUnavailable("OCR 引擎 Tesseract 的 Python 接口 pytesseract 未安装",
                                    "请安装：pip install pytesseract", engine="tesseract") from exc
        if not shutil.which(getattr(pytesseract.pytesseract, "tesseract_cmd", "tesseract")):
            raise EngineUnavailable(
                "未找到 Tesseract 程序", "请安装：apt-get install tesseract-ocr tesseract-ocr-chi-sim",
                engine="tesseract")
        self._pt = pytesseract
        self.lang, self.psm, self.oem = lang, int(psm), int(oem)
        self.threads = int(threads)
        try:
            langs = set(pytesseract.get_languages(config=""))
        except Exception:  # pragma: no cover
            langs = set()
        missing = [l for l in lang.split("+") if langs and l not in langs]
        if missing:
            raise EngineUnavailable(
                f"Tesseract 缺少语言包：{'、'.join(missing)}",
                "请安装：apt-get install tesseract-ocr-chi-sim", engine="tesseract")
        self._version: Optional[str] = None

    def version(self) -> str:
        if self._version is None:
            try:
                self._version = str(self._pt.get_tesseract_version())
            except Exception:  # pragma: no cover
                self._version = "unknown"
        return self._version

    def settings(self) -> dict:
        return {"lang": self.lang, "psm": self.psm, "oem": self.oem}

    def recognize(self, image, key: Optional[str] = None) -> list[Line]:
        if self.threads > 0:
            os.environ["OMP_THREAD_LIMIT"] = str(self.threads)
        img = image if image.mode in ("RGB", "L") else image.convert("RGB")
        d = self._pt.image_to_data(img, lang=self.lang, config=f"--psm {self.psm} --oem {self.oem}",
                                   output_type=self._pt.Output.DICT)
        groups: dict[tuple, list[tuple[str, Box, float]]] = {}
        for i, text in enumerate(d["text"]):
            text = (text or "").strip()
            if not text or int(d["level"][i]) != 5:
                continue
            conf = float(d["conf"][i])
            if conf < 0:
                continue
            x, y, w, h = (int(d[k][i]) for k in ("left", "top", "width", "height"))
            k = (d["page_num"][i], d["block_num"][i], d["par_num"][i], d["line_num"][i])
            groups.setdefault(k, []).append((text, (x, y, x + w, y + h), conf / 100.0))
        lines: list[Line] = []
        for words in groups.values():
            # Tesseract's own lines; cut them at wide gaps like the other engines
            lines.extend(group_words(words, row_tolerance=10.0, space_gap=0.6))
        return sort_reading_order(lines)


class NullEngine(OcrEngine):
    """Recognises nothing: pages without a text layer come back with no lines."""
    name = "null"

    def version(self) -> str:
        return "0"

    def recognize(self, image, key: Optional[str] = None) -> list[Line]:
        return []


# typical confusions of Chinese OCR, both ways where they are symmetric
OCR_CONFUSIONS: dict[str, str] = {
    "0": "O", "O": "0", "o": "0", "1": "l", "l": "1", "I": "1", "5": "S", "S": "5",
    "8": "B", "B": "8", "2": "Z", "Z": "2", "6": "b", "9": "g", "7": "T",
    "己": "已", "已": "己", "巳": "己", "日": "曰", "曰": "日", "人": "入", "入": "人",
    "土": "士", "士": "土", "未": "末", "末": "未", "千": "干", "干": "千", "天": "夭",
    "大": "太", "王": "玉", "贝": "见", "候": "侯", "侯": "候", "拨": "拔", "壹": "壶",
    "—": "一", "一": "—", "：": ":", "，": ",", "（": "(", "）": ")", "年": "午", "午": "年",
}


class FakeEngine(OcrEngine):
    """Replays recorded lines keyed by ``f"{file_sha256}:{page}"`` (page 1-based).

    ``recordings`` maps a key to ``[{"text", "box", "confidence"}, ...]``; unknown keys give
    ``[]``. With ``noise > 0`` each character that has a typical OCR confusion
    (:data:`OCR_CONFUSIONS`) is swapped with probability ``noise``, seeded by ``seed`` and
    the key, so a test run is reproducible; a corrupted line loses 0.05 confidence per swap.
    ``calls`` lists the keys asked for (in this process).

    Seals: an entry with a ``"seal"`` member (``{"text", "box", "confidence", "seal": {"kind",
    "ring_text", "center_text"}}``, as the sample generator writes them into its
    ``ocr-truth.json``) is no text line but a seal stamped on the page; :meth:`recorded_seal`
    answers with it when the page's seal at that box is read. A recording may also be
    ``{"lines": [...], "seals": [...]}``. Old recordings (plain lists of lines) read as before.
    """
    name = "fake"
    keyed_by_page = True

    def __init__(self, recordings: dict[str, list[dict]], noise: float = 0.0, seed: int = 0):
        self.recordings = {str(k): _as_entries(v) for k, v in (recordings or {}).items()}
        self.noise = float(noise)
        self.seed = int(seed)
        self.calls: list[Optional[str]] = []
        blob = json.dumps(self.recordings, sort_keys=True, ensure_ascii=False).encode()
        self._digest = hashlib.sha256(blob).hexdigest()[:16]

    @classmethod
    def from_json(cls, path: Union[str, Path], **opts: Any) -> "FakeEngine":
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise EngineUnavailable(f"找不到 OCR 回放文件：{p}", "请检查 replay: 后面的路径",
                                    engine="replay") from exc
        except ValueError as exc:
            raise EngineUnavailable(f"OCR 回放文件不是有效的 JSON：{p}（{exc}）",
                                    engine="replay") from exc
        return cls(data, **opts)

    def version(self) -> str:
        return self._digest

    def settings(self) -> dict:
        return {"noise": self.noise, "seed": self.seed}

    def recognize(self, image, key: Optional[str] = None) -> list[Line]:
        self.calls.append(key)
        recs = [r for r in self.recordings.get(key or "", []) if "seal" not in r]
        rng = random.Random(f"{self.seed}:{key}")
        out = []
        for r in recs:
            text = str(r.get("text", ""))
            conf = float(r.get("confidence", 1.0))
            box = r.get("box")
            if self.noise > 0:
                chars = list(text)
                swaps = 0
                for i, ch in enumerate(chars):
                    alt = OCR_CONFUSIONS.get(ch)
                    if alt is not None and rng.random() < self.noise:
                        chars[i] = alt
                        swaps += 1
                text = "".join(chars)
                conf = max(0.3, conf - 0.05 * swaps) if swaps else conf
            out.append(Line(text, tuple(float(v) for v in box) if box else None, conf))
        return out


    def recorded_seal(self, key: Optional[str], box: Box, min_overlap: float = 0.3) -> Optional[dict]:
        """The seal recorded on page ``key`` that overlaps ``box`` most (intersection over
        the smaller box at least ``min_overlap``): ``{"kind", "ring_text", "center_text"}``,
        or None (the seal is then read as ``unknown``)."""
        best, best_ov = None, min_overlap
        for r in self.recordings.get(key or "", []):
            sd = r.get("seal")
            b = r.get("box")
            if not isinstance(sd, dict) or not b:
                continue
            ov = _overlap(box, b)
            if ov >= best_ov:
                best, best_ov = sd, ov
        return dict(best) if best else None


def _as_entries(v: Any) -> list[dict]:
    """A page's recording as one list: lines, then seals as entries with a ``seal`` member."""
    if isinstance(v, dict):
        out = list(v.get("lines") or [])
        for sd in v.get("seals") or []:
            sd = dict(sd)
            out.append({"text": sd.get("ring_text") or "印章", "box": sd.get("box"),
                        "confidence": sd.get("confidence", 0.98),
                        "seal": {k: sd.get(k, "") for k in ("kind", "ring_text", "center_text")}})
        return out
    return list(v or [])


def _overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection of two boxes over the area of the smaller one."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return ix * iy / small if small > 0 else 0.0


def recordings_from(extractions: Iterable[Any], sources: Sequence[str] = ("ocr",)) -> dict:
    """Recordings for :class:`FakeEngine` from real extractions (pages whose source is in
    ``sources``): record once with a real engine, replay in tests. Seals read on a page are
    recorded after its lines (entries with a ``seal`` member)."""
    rec: dict[str, list[dict]] = {}
    for ex in extractions:
        for p in ex.pages:
            if p.source in sources:
                rec[f"{ex.sha256}:{p.page}"] = [l.to_dict() for l in p.lines] + [
                    {"text": s.get("ring_text") or "印章", "box": list(s["box"]),
                     "confidence": s.get("confidence", 0.0),
                     "seal": {k: s.get(k, "") for k in ("kind", "ring_text", "center_text")}}
                    for s in getattr(p, "seals", []) or []]
    return rec


# ---------------------------------------------------------------------------------------
# construction

def get_engine(name: str, **opts: Any) -> OcrEngine:
    """An engine by name: ``rapid``, ``tesseract``, ``null`` or ``replay:<path.json>``.

    Raises :class:`EngineUnavailable` when the engine is not installed or unknown.
    """
    n = (name or "").strip()
    low = n.lower()
    if low in ("rapid", "rapidocr", "rapidocr-onnxruntime"):
        return RapidOcrEngine(**opts)
    if low == "tesseract":
        return TesseractEngine(**opts)
    if low in ("null", "none"):
        return NullEngine()
    if low.startswith("replay:"):
        opts.pop("threads", None)
        return FakeEngine.from_json(n.split(":", 1)[1], **opts)
    raise EngineUnavailable(f"未知的 OCR 引擎：{name}",
                            "可选：rapid、tesseract、null、replay:<录制文件.json>", engine=name)


_ENGINES: dict[str, OcrEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(options: OcrOptions) -> OcrEngine:
    """The engine ``options`` asks for, created once per process."""
    if isinstance(options.engine, OcrEngine):
        return options.engine
    key = json.dumps([options.engine, options.engine_opts, options.threads], sort_keys=True,
                     default=str)
    eng = _ENGINES.get(key)
    if eng is None:
        with _ENGINES_LOCK:
            eng = _ENGINES.get(key)
            if eng is None:
                opts = dict(options.engine_opts)
                if str(options.engine).lower() != "null":
                    opts.setdefault("threads", options.threads)
                eng = get_engine(str(options.engine), **opts)
                _ENGINES[key] = eng
    return eng


def _score(lines: Sequence[Line]) -> float:
    return sum(l.confidence * len(l.text) for l in lines)


def _readable(lines: Sequence[Line]) -> bool:
    """Enough confident text that the page is evidently upright."""
    chars = sum(len(l.text) for l in lines)
    if chars < 10:
        return False
    return _score(lines) / chars >= 0.75


def unrotate_box(box: Box, rotation: int, width: float, height: float) -> Box:
    """A box found on the page turned ``rotation``° counter-clockwise (PIL ``rotate(…,
    expand=True)``) back in the coordinates of the original ``width`` × ``height`` page."""
    x0, y0, x1, y1 = box
    if rotation == 180:
        pts = [(width - x1, height - y1), (width - x0, height - y0)]
    elif rotation == 90:
        pts = [(width - y0, x0), (width - y1, x1)]
    elif rotation == 270:
        pts = [(y0, height - x0), (y1, height - x1)]
    else:
        return box
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1))


def recognize_oriented(engine: OcrEngine, image, key: Optional[str] = None,
                       auto_rotate: bool = True) -> tuple[list[Line], int]:
    """``(lines, rotation)``: recognise the page; when it reads poorly (under 10 characters or
    mean confidence under 0.75) try it turned 180°, 90° and 270° and keep a clearly better
    reading. Lines stay in the upright reading order; boxes are mapped back onto the page as
    given. RapidOCR's per-line 0/180° classifier is off by default (it flipped good lines on
    the benchmark pages), so a whole page scanned upside down or sideways is handled here."""
    lines = engine.recognize(image, key=key)
    if not auto_rotate or engine.keyed_by_page or _readable(lines):
        return lines, 0
    best_score, best_rot, best = _score(lines), 0, lines
    for rot in (180, 90, 270):
        cand = engine.recognize(image.rotate(rot, expand=True), key=key)
        sc = _score(cand)
        if sc > 1.5 * best_score + 5:
            best_score, best_rot, best = sc, rot, cand
            if _readable(cand):
                break
    if best_rot == 0:
        return lines, 0
    w, h = image.size
    return [Line(l.text, unrotate_box(l.box, best_rot, w, h) if l.box else None, l.confidence)
            for l in best], best_rot


def recognize_page(image, *, image_sha: str, key: Optional[str],
                   options: OcrOptions) -> tuple[list[Line], str, int]:
    """OCR one page image through the cache: ``(lines, engine id, rotation)``.

    ``image_sha`` is the sha256 of the page's pixels (the cache key, with the engine's name,
    version and settings); ``key`` is ``f"{file_sha256}:{page}"`` for replaying engines.
    ``rotation`` is how far (degrees, counter-clockwise) the page had to be turned to read.
    Engine errors propagate: the caller turns them into an ``ocr-failed`` read problem.
    """
    lines, eid, rotation, _seals = recognize_page_and_seals(image, image_sha=image_sha, key=key,
                                                             options=options, seals=False)
    return lines, eid, rotation


def recognize_page_and_seals(image, *, image_sha: str, key: Optional[str], options: OcrOptions,
                             seals: bool = True, notes: Optional[list] = None
                             ) -> tuple[list[Line], str, int, Optional[list[dict]]]:
    """:func:`recognize_page` plus the page's seals (:func:`read_page_seals`), both through
    one cache entry: ``(lines, engine id, rotation, seals)``. ``seals`` is None when not asked
    for (``seals=False``) or when reading them failed (the reason is appended to ``notes``
    and logged; a failure is not cached, so the next run tries again). A cache entry written
    before seals were read (or without them) gets them added on the next hit."""
    from .cache import content_key, open_cache
    engine = engine_for(options)
    eid = engine_id(engine)
    if isinstance(engine, NullEngine):
        return [], eid, 0, ([] if seals else None)
    cache = open_cache(options.cache_dir)
    ck = None
    if cache is not None:
        ck = content_key(content=key if engine.keyed_by_page else image_sha,
                         engine=engine.name, version=engine.version(),
                         settings=engine.settings(), suppress_red=options.suppress_red,
                         auto_rotate=options.auto_rotate)
        hit = cache.get_lines(ck)
        if hit is not None:
            lines, extra = hit
            rotation = int(extra.get("rotation", 0))
            got = extra.get("seals") if extra.get("seals_v") == SEALS_VERSION else None
            if not seals or got is not None:
                return lines, eid, rotation, (list(got) if seals else None)
            found = _seals_or_none(image, engine, key, notes)
            if found is not None:
                cache.put_lines(ck, lines, _extra(rotation, found))
            return lines, eid, rotation, found
    img = suppress_red_ink(image) if options.suppress_red else image
    lines, rotation = recognize_oriented(engine, img, key, options.auto_rotate)
    # seals are found on the page as scanned (red ink intact), not on the faded copy read above
    found = _seals_or_none(image, engine, key, notes) if seals else None
    if cache is not None and ck is not None:
        cache.put_lines(ck, lines, _extra(rotation, found))
    return lines, eid, rotation, found


# bump when the seals read from the same page change: cached pages get their seals read again
# (their lines are kept) and whole-file entries are invalidated. 2: seals stamped over each other
SEALS_VERSION = 2


def _extra(rotation: int, seals: Optional[list[dict]]) -> Optional[dict]:
    x: dict = {}
    if rotation:
        x["rotation"] = rotation
    if seals is not None:
        x["seals"], x["seals_v"] = seals, SEALS_VERSION
    return x or None


def _seals_or_none(image, engine, key, notes) -> Optional[list[dict]]:
    import logging
    try:
        return read_page_seals(image, engine, key)
    except EngineUnavailable:
        raise
    except Exception as exc:   # seal reading never makes extraction fail
        msg = f"seal reading failed on {key or 'page'}: {short_error(exc)}"
        logging.getLogger(__name__).warning(msg)
        if notes is not None:
            notes.append(msg)
        return None


def seal_to_dict(seal: Any) -> dict:
    """A :class:`extractors.seals.Seal` as ``Page.seals`` stores it (JSON, no crop)."""
    return {"box": [round(float(v), 1) for v in seal.box], "kind": seal.kind,
            "ring_text": seal.ring_text, "center_text": seal.center_text,
            "confidence": round(float(seal.confidence), 3), "ink_sha256": seal.ink_sha256,
            "shape": seal.shape}


def read_page_seals(image, engine: OcrEngine, key: Optional[str] = None) -> list[dict]:
    """The red seals on one page image (:mod:`extractors.seals`), as ``Page.seals`` dicts.

    Detection is image processing and always runs. Reading uses the engine's single-line
    recogniser on the unrolled ring and the centre line; a replaying engine
    (:class:`FakeEngine`) answers with the seal it recorded on the page at that place
    (:meth:`FakeEngine.recorded_seal`) instead, kind ``unknown`` where it recorded none."""
    import cv2
    # one OpenCV thread: the page is small, extraction runs pages in parallel processes, and a
    # process whose OpenCV thread pool has started deadlocks in cv2 after a fork (the sample
    # generator forks after an audit in one process: tests.golden_check)
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        return _read_page_seals(image, engine, key)
    finally:
        cv2.setNumThreads(threads)


def _read_page_seals(image, engine: OcrEngine, key: Optional[str]) -> list[dict]:
    from .seals import classify, find_seals, read_seal
    cands = find_seals(image)
    cands.sort(key=lambda c: (round(c.box[1] / 50), c.box[0]))
    replay = getattr(engine, "recorded_seal", None) if engine.keyed_by_page else None
    out = []
    for c in cands:
        if callable(replay):
            seal = read_seal(image, c, engine=None)        # box, shape, ink hash: no OCR
            rec = replay(key, c.box)
            if rec:
                seal.ring_text = str(rec.get("ring_text") or "")
                seal.center_text = str(rec.get("center_text") or "")
                seal.kind = str(rec.get("kind") or classify(seal.ring_text, seal.center_text, shape=c.shape))
                seal.confidence = round(float(c.score) * float(rec.get("confidence", 0.98)), 3)
        else:
            seal = read_seal(image, c, engine=engine)
        out.append(seal_to_dict(seal))
    return out


def ocr_into(page: Page, image, ex: Extraction, options: OcrOptions) -> Page:
    """Recognise a rendered page into ``page`` (lines, engine, seals); a failure becomes a
    ``ocr-failed`` ReadProblem on ``ex``, never an exception (EngineUnavailable excepted:
    that is a run error). Seals are found and read on every page OCR'd here (scanned PDF
    pages, images); a failure to read them gives no seals and a note in
    ``ex.metadata["seal_notes"]`` (logged), never a read problem. The page's perceptual hashes
    (``Page.phash``/``dhash``/``ink_box``, :func:`page_image_hashes`, about 10 ms) are taken
    here too, from the same rendered image (replayed OCR included)."""
    notes: list[str] = []
    try:
        lines, eid, rotation, seals = recognize_page_and_seals(
            image, image_sha=page.image_sha256, key=f"{ex.sha256}:{page.page}", options=options,
            seals=options.read_seals, notes=notes)
    except EngineUnavailable:
        raise
    except Exception as exc:
        ex.problems.append(ReadProblem("ocr-failed", f"第 {page.page} 页文字识别失败：{short_error(exc)}",
                                       page=page.page, detail=repr(exc)[:500]))
        return page
    page.source, page.engine, page.lines = "ocr", eid, lines
    page.seals = list(seals or [])
    if page.phash is None:
        try:
            page.phash, page.dhash, page.ink_box = page_image_hashes(image)
        except Exception as exc:   # hashing never makes extraction fail
            ex.metadata.setdefault("hash_notes", []).append(f"page {page.page}: {short_error(exc)}")
    if notes:
        ex.metadata.setdefault("seal_notes", []).extend(notes)
    if rotation:  # read turned by this many degrees counter-clockwise
        ex.metadata.setdefault("rotated_pages", {})[str(page.page)] = rotation
    return page


# ---------------------------------------------------------------------------------------
# perceptual hashes of a page (X02: near-duplicate page images across nominees)

HASH_SIZE = 16            # imagehash hash_size: 16 × 16 = 256 bits, 64 hex digits
INK_LEVEL = 128           # a pixel darker than this (after fading red ink) is ink
MIN_INK_SHARE = 0.002     # a page with less ink than this share of its area is near-blank: no hash


def _small_gray(image) -> tuple[Any, int]:
    """The page shrunk by a whole factor to about 500 px on its short side (box filter),
    red ink faded (:func:`suppress_red_ink`), in grey: ``(image, factor)``. Hashing works on
    this copy (about 5 ms a page instead of 130 ms on the full A4 page at 200 dpi)."""
    img = image if image.mode == "RGB" else image.convert("RGB")
    f = max(1, min(img.width, img.height) // 500)
    small = img.reduce(f) if f > 1 else img
    return suppress_red_ink(small).convert("L"), f


def _ink_box_small(g, level: int = INK_LEVEL) -> Optional[tuple[int, int, int, int]]:
    import numpy as np
    a = np.asarray(g) < level
    if a.mean() < MIN_INK_SHARE:
        return None
    h, w = a.shape
    rows = np.flatnonzero(a.sum(axis=1) >= max(2, int(0.004 * w)))
    cols = np.flatnonzero(a.sum(axis=0) >= max(2, int(0.004 * h)))
    if len(rows) < 2 or len(cols) < 2:
        return None
    x0, x1, y0, y1 = int(cols[0]), int(cols[-1]) + 1, int(rows[0]), int(rows[-1]) + 1
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return (x0, y0, x1, y1)


def ink_box(image, level: int = INK_LEVEL) -> Optional[tuple[int, int, int, int]]:
    """The box ``(x0, y0, x1, y1)`` (page pixels) around the page's dark content, or None for a
    near-blank page. Red ink (seals) is faded first; rows and columns with only a speck of
    ink (scanner dust) do not extend the box."""
    g, f = _small_gray(image)
    b = _ink_box_small(g, level)
    if b is None:
        return None
    return (b[0] * f, b[1] * f, min(image.width, b[2] * f), min(image.height, b[3] * f))


def page_image_hashes(image, hash_size: int = HASH_SIZE
                      ) -> tuple[Optional[str], Optional[str], Optional[list[int]]]:
    """``(phash, dhash, ink_box)`` of a page image: imagehash pHash and dHash (``hash_size``
    16: 64 hex digits each) of the ink area (:func:`ink_box`, red ink faded), so a scan's
    margins, shift and seal do not count; ``(None, None, None)`` for a near-blank page
    (blank pages all collide). Computed on the page shrunk to about 500 px (:func:`_small_gray`)."""
    import imagehash
    g, f = _small_gray(image)
    b = _ink_box_small(g)
    if b is None:
        return None, None, None
    crop = g.crop(b)
    box = [b[0] * f, b[1] * f, min(image.width, b[2] * f), min(image.height, b[3] * f)]
    return (str(imagehash.phash(crop, hash_size=hash_size)),
            str(imagehash.dhash(crop, hash_size=hash_size)), box)
