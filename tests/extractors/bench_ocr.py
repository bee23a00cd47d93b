"""Benchmark of RapidOCR settings and process/thread splits on synthetic A4 scans.

Not a test (pytest does not collect it). Run:

    .venv/bin/python -m tests.extractors.bench_ocr            # everything (~5 min on 2 cores)
    .venv/bin/python -m tests.extractors.bench_ocr settings   # accuracy and speed per setting
    .venv/bin/python -m tests.extractors.bench_ocr split      # processes × threads throughput
    .venv/bin/python -m tests.extractors.bench_ocr pipeline   # extract_many end to end + cache
    .venv/bin/python -m tests.extractors.bench_ocr stages     # det / cls / rec time per setting
    .venv/bin/python -m tests.extractors.bench_ocr speed      # wall and CPU s/page per setting
    BENCH_PAGES=20 ... to use more pages (default 10)

Character error rate = Levenshtein distance between the OCR text and the known text (page
text in reading order, whitespace removed) / length of the known text. "keys" counts the
identifier lines (patent, ID, certificate numbers, dates, amounts) read exactly.
"""
from __future__ import annotations

import json
import os
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp

from tests.extractors.synth import KEY_LINES, scanned_pages


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _norm(s: str) -> str:
    """Whitespace removed, full-width forms folded (NFKC; 〈〉 as <>) so width variants
    of the same character are not counted as errors."""
    s = unicodedata.normalize("NFKC", s).replace("〈", "<").replace("〉", ">")
    return "".join(s.split())


def score(ocr_text: str, truth: list[str]) -> tuple[int, int, int, int]:
    t = _norm("".join(truth))
    o = _norm(ocr_text)
    keys = [k for k in KEY_LINES if k in truth]
    exact = sum(1 for k in keys if _norm(k) in o)
    return levenshtein(o, t), len(t), exact, len(keys)


SETTINGS = {
    "lib-default (max_side_len 2000)": dict(max_side_len=2000),
    "max_side_len=1200": dict(max_side_len=1200),
    "max_side_len=1600": dict(max_side_len=1600),
    "max_side_len=2000, det_max_side=960": dict(max_side_len=2000, det_max_side=960),
    "max_side_len=2000, det_max_side=1280": dict(max_side_len=2000, det_max_side=1280),
    "max_side_len=2000, det_max_side=1280, no cls":
        dict(max_side_len=2000, det_max_side=1280, use_cls=False),
    "max_side_len=2400, det_max_side=960": dict(max_side_len=2400, det_max_side=960),
    "max_side_len=2400, det_max_side=1600": dict(max_side_len=2400, det_max_side=1600),
}


def bench_settings(pages, names=None, threads=1, red=True):
    from extractors.ocr import RapidOcrEngine, suppress_red_ink
    if red:
        pages = [(suppress_red_ink(img), t) for img, t in pages]
    rows = []
    for name, s in SETTINGS.items():
        if names and name not in names:
            continue
        eng = RapidOcrEngine(threads=threads, **s)
        eng.recognize(pages[0][0])  # warm-up: model load, first-run allocations
        t0, c0 = time.perf_counter(), time.process_time()
        errs = tot = ex = nk = 0
        for img, truth in pages:
            lines = eng.recognize(img)
            e, n, k, kn = score("".join(l.text for l in lines), truth)
            errs, tot, ex, nk = errs + e, tot + n, ex + k, nk + kn
        dt = (time.perf_counter() - t0) / len(pages)
        cpu = (time.process_time() - c0) / len(pages)
        rows.append({"setting": name, "suppress_red": red, "threads": threads,
                     "s_per_page": round(dt, 3), "cpu_s_per_page": round(cpu, 3),
                     "load1": round(os.getloadavg()[0], 1),
                     "cer_pct": round(100 * errs / tot, 2), "keys_exact": f"{ex}/{nk}"})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


_W = {}


def _init(threads, settings):
    from extractors.ocr import RapidOcrEngine
    _W["eng"] = RapidOcrEngine(threads=threads, **settings)
    _W["eng"].warm_up()


def _run(png: bytes):
    import io
    from PIL import Image
    from extractors.ocr import suppress_red_ink
    img = suppress_red_ink(Image.open(io.BytesIO(png)).convert("RGB"))
    return len(_W["eng"].recognize(img))


def bench_split(pages, settings, configs=((1, 1), (1, 2), (2, 1), (2, 2)), rounds=3):
    """Throughput (wall s/page) of processes × ONNX threads. Configurations are interleaved
    over ``rounds`` so that load from other programs hits them alike; min and median kept."""
    import io
    import statistics
    blobs = []
    for img, _ in pages:
        b = io.BytesIO()
        img.save(b, "PNG")
        blobs.append(b.getvalue())
    ctx = mp.get_context("spawn")
    pools = {}
    for procs, threads in configs:
        ex = ProcessPoolExecutor(procs, mp_context=ctx, initializer=_init,
                                 initargs=(threads, settings))
        list(ex.map(_run, blobs[:procs]))  # every worker warm
        pools[(procs, threads)] = ex
    times = {c: [] for c in configs}
    try:
        for _ in range(rounds):
            for c in configs:
                t0 = time.perf_counter()
                list(pools[c].map(_run, blobs))
                times[c].append((time.perf_counter() - t0) / len(blobs))
    finally:
        for ex in pools.values():
            ex.shutdown()
    rows = []
    for (procs, threads), ts in times.items():
        rows.append({"processes": procs, "threads": threads,
                     "s_per_page_min": round(min(ts), 3),
                     "s_per_page_median": round(statistics.median(ts), 3),
                     "runs": [round(t, 2) for t in ts], "load1": round(os.getloadavg()[0], 1)})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def bench_stages(pages, repeats=5):
    """Time of each RapidOCR stage (min of ``repeats`` runs, 1 thread): robust to other load
    on the machine, since the fastest run is the one nothing else interfered with."""
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR
    from extractors.ocr import _limit_detector, suppress_red_ink
    rows = []
    imgs = [suppress_red_ink(img) for img, _ in pages]
    for max_side in (1200, 1600, 2000):
        for det_side in (None, 960, 1280):
            if det_side and det_side >= max_side:
                continue
            ocr = RapidOCR(max_side_len=max_side, intra_op_num_threads=1, inter_op_num_threads=1)
            if det_side:
                _limit_detector(ocr, det_side)
            det_t = rec_t = cls_t = 0.0
            for img in imgs:
                arr = np.asarray(img)[:, :, ::-1].copy()
                small, _, _ = ocr.preprocess(arr)
                best_det = best_rec = best_cls = 1e9
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    boxes, _ = ocr.auto_text_det(small)
                    best_det = min(best_det, time.perf_counter() - t0)
                crops = ocr.get_crop_img_list(small, boxes)
                for _ in range(max(1, repeats // 2)):
                    t0 = time.perf_counter()
                    ocr.text_cls(crops)
                    best_cls = min(best_cls, time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    ocr.text_rec(crops)
                    best_rec = min(best_rec, time.perf_counter() - t0)
                det_t, rec_t, cls_t = det_t + best_det, rec_t + best_rec, cls_t + best_cls
            n = len(imgs)
            rows.append({"max_side_len": max_side, "det_max_side": det_side or "(lib: same)",
                         "det_s": round(det_t / n, 3), "cls_s": round(cls_t / n, 3),
                         "rec_s": round(rec_t / n, 3),
                         "total_no_cls_s": round((det_t + rec_t) / n, 3)})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def bench_pipeline(pages, configs=((1, 2), (2, 1)), rounds=2):
    """extract_many on one scanned PDF of the pages: s/page per (workers, threads), then the
    same with a cold and a warm cache."""
    import shutil
    import tempfile
    from pathlib import Path
    from extractors.dispatch import extract_many
    from extractors.ocr import OcrOptions
    from tests.extractors.makers import image_pdf, sha
    tmp = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    data = image_pdf([img for img, _ in pages])
    pdf = tmp / "证明材料.pdf"
    pdf.write_bytes(data)
    job = [(pdf, "证明材料.pdf", sha(data))]
    rows = []
    times = {c: [] for c in configs}
    for _ in range(rounds):  # interleaved, so that other load hits every configuration
        for workers, threads in configs:
            o = OcrOptions(engine="rapid", threads=threads, cache_dir=None)
            t0 = time.perf_counter()
            ex = extract_many(job, ocr_options=o, workers=workers)
            times[(workers, threads)].append(time.perf_counter() - t0)
            assert len(ex[0].pages) == len(pages)
    for (workers, threads), ts in times.items():
        rows.append({"pipeline": "extract_many (incl. pool start + model load)",
                     "workers": workers, "threads": threads,
                     "s_per_page_min": round(min(ts) / len(pages), 3),
                     "runs_total_s": [round(t, 1) for t in ts],
                     "load1": round(os.getloadavg()[0], 1)})
        print(json.dumps(rows[-1]), flush=True)
    workers, threads = configs[-1]
    cache = tmp / "cache"
    o = OcrOptions(engine="rapid", threads=threads, cache_dir=str(cache))
    for label in ("cold cache", "warm cache (file entry)"):
        t0 = time.perf_counter()
        extract_many(job, ocr_options=o, workers=workers)
        dt = time.perf_counter() - t0
        rows.append({"pipeline": label, "workers": workers, "total_s": round(dt, 3)})
        print(json.dumps(rows[-1]), flush=True)
    # page entries only: another file holding the same scans (new sha, same pixels)
    other = tmp / "copy.pdf"
    other.write_bytes(data + b"\n% a different file with the same pages\n")
    t0 = time.perf_counter()
    extract_many([(other, "copy.pdf", None)], ocr_options=o, workers=workers)
    dt = time.perf_counter() - t0
    rows.append({"pipeline": "warm cache (page entries: render + hash only)", "workers": workers,
                 "total_s": round(dt, 2)})
    print(json.dumps(rows[-1]), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main(argv):
    what = argv[1] if len(argv) > 1 else "all"
    n = int(os.environ.get("BENCH_PAGES", "10"))
    pages = scanned_pages(n)
    print(f"{len(pages)} synthetic scanned A4 pages at 200 dpi, cpu_count={os.cpu_count()}")
    if what in ("all", "settings"):
        bench_settings(pages, ["lib-default (max_side_len 2000)", "max_side_len=1200"], red=False)
        bench_settings(pages)
    if what == "speed":  # CPU seconds per page of the main candidates (robust to other load)
        bench_settings(pages, ["lib-default (max_side_len 2000)", "max_side_len=1200",
                               "max_side_len=1600", "max_side_len=2000, det_max_side=960",
                               "max_side_len=2000, det_max_side=1280",
                               "max_side_len=2000, det_max_side=1280, no cls"])
    if what in ("all", "stages"):
        bench_stages(pages[:2], repeats=3)
    if what in ("all", "pipeline"):
        bench_pipeline(pages)
    if what in ("all", "split"):
        from extractors.ocr import RapidOcrEngine
        print("defaults:", RapidOcrEngine.DEFAULTS)
        bench_split(pages, {k: v for k, v in RapidOcrEngine.DEFAULTS.items()},
                    rounds=int(os.environ.get("BENCH_ROUNDS", "3")))


if __name__ == "__main__":
    main(sys.argv)
