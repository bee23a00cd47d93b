"""Field accuracy of the evidence step (audit/evidence.py), printed as markdown tables.

For N seeds per kind the sample renderer draws a page with random facts
(``tests/evidence/gen.py``); the page is classified and its facts extracted, and every fact is
compared with the one drawn. Reports the share of facts read exactly per field, the page
classification accuracy and the confusions.

Sources of the page's lines:

* ``truth`` (default): the renderer's ground-truth lines (what a perfect OCR would read);
* ``noise``: the same lines with ~3 % of the characters that OCR typically confuses swapped
  (``--noise 0.03``);
* ``ocr``: the page is scanned (``render.scan``, damage ``normal``), saved as JPEG and read by
  the real extractor with RapidOCR, as the audit does (slow: ~2 s a page on 2 cores).

    python bench/fields.py --seeds 30
    python bench/fields.py --source noise --noise 0.03 --seeds 30
    python bench/fields.py --source ocr --seeds 2 --workers 2
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.evidence import split_documents  # noqa: E402
from extractors.base import Extraction, Line, Page  # noqa: E402
from tests.evidence.gen import KINDS, OTHER_KINDS, load_read_pages, sample, save_read_pages  # noqa: E402


LIST_KEYS = {"rows": ("name", "level", "date"), "items": ("title", "page")}


def same(key: str, want: Any, have: Any) -> bool:
    """Exact, except for what is only spelling: spaces in standard numbers and issuers."""
    if key in LIST_KEYS and isinstance(have, list):
        have = [{k: r.get(k) for k in LIST_KEYS[key]} for r in have]
    if key in ("number", "issuer") and isinstance(want, str) and isinstance(have, str):
        return want.replace(" ", "") == have.replace(" ", "")
    return want == have


def list_score(key: str, want: list, have: Any) -> tuple[int, int]:
    """Rows (or catalog items) read exactly, matched in order: (right, of)."""
    have = [{k: r.get(k) for k in LIST_KEYS[key]} for r in (have or [])]
    right = sum(1 for w, h in zip(want, have) if w == h)
    return right, max(len(want), len(have))


def noisy(page: Page, rate: float, seed: int) -> Page:
    """``page`` with ``rate`` of all its characters swapped for a typical OCR confusion
    (``extractors.ocr.OCR_CONFUSIONS``: 0/O, 1/l, 5/S, 8/B, 己/已, 日/曰, 年/午, 一/— …), chosen
    among the characters that have one."""
    from extractors.ocr import OCR_CONFUSIONS
    rng = random.Random(seed)
    total = sum(len(ln.text) for ln in page.lines)
    able = sum(1 for ln in page.lines for ch in ln.text if ch in OCR_CONFUSIONS)
    p = min(1.0, rate * total / able) if able else 0.0
    lines = []
    for ln in page.lines:
        chars = list(ln.text)
        swaps = 0
        for i, ch in enumerate(chars):
            alt = OCR_CONFUSIONS.get(ch)
            if alt is not None and rng.random() < p:
                chars[i] = alt
                swaps += 1
        lines.append(Line("".join(chars), ln.box, max(0.3, ln.confidence - 0.05 * swaps)))
    return Page(page.page, page.source, page.engine, lines, page.width, page.height, page.dpi)


def ocr_pages(samples, workers: int) -> list[Page]:
    from audit.sample.render import save_image
    from extractors.dispatch import extract_many
    from extractors.ocr import OcrOptions
    tmp = Path(tempfile.mkdtemp(prefix="fields-bench-"))
    jobs = []
    for i, sm in enumerate(samples):
        p = tmp / f"{i:03d}-{sm.kind}.jpg"
        save_image(sm.rendered, p, quality=85)
        jobs.append((p, p.name, None))
    exs = extract_many(jobs, ocr_options=OcrOptions(cache_dir=None), workers=workers)
    return [ex.pages[0] if ex.pages else Page(1, "none") for ex in exs]


def run(seeds: int, source: str, noise: float, workers: int, kinds=KINDS, other=OTHER_KINDS,
        start: int = 0, save: str = "", replay: str = "") -> dict:
    t0 = time.time()
    if replay:
        samples, pages = load_read_pages(replay)
        source = "replay"
    else:
        samples = [sample(k, s, scanned=(source == "ocr")) for k in kinds for s in range(start, start + seeds)]
        samples += [sample(k, s, scanned=(source == "ocr")) for k in other
                    for s in range(start, start + max(1, seeds // 3))]
    if source == "replay":
        pass
    elif source == "ocr":
        pages = ocr_pages(samples, workers)
    elif source == "noise":
        pages = [noisy(sm.page, noise, zlib.crc32(f"{sm.kind}:{sm.seed}".encode())) for sm in samples]
    else:
        pages = [sm.page for sm in samples]
    if save:
        save_read_pages(save, samples, pages)
    t1 = time.time()
    field_ok: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    conf = Counter()
    misses = []
    for sm, pg in zip(samples, pages):
        ex = Extraction(file=f"{sm.kind}-{sm.seed}.jpg", sha256="0" * 64, media="image", pages=[pg])
        items = split_documents(ex, nominee=sm.nominee)
        got = items[0]
        conf[(sm.kind, got.kind)] += 1
        for key, want in sm.expected.items():
            f = got.fields.get(key) if got.kind == sm.kind else None
            have = f.value if f is not None else None
            ok = same(key, want, have)
            field_ok[(sm.kind, key)][0] += ok
            field_ok[(sm.kind, key)][1] += 1
            if key in LIST_KEYS:
                a, b = list_score(key, want, have)
                field_ok[(sm.kind, f"{key} (per row)")][0] += a
                field_ok[(sm.kind, f"{key} (per row)")][1] += b
            if not ok:
                misses.append((sm.kind, sm.seed, key, want, have))
    return {"fields": field_ok, "confusion": conf, "misses": misses, "pages": len(samples),
            "seconds_read": round(t1 - t0, 1), "seconds_parse": round(time.time() - t1, 1)}


def report(res: dict, title: str) -> str:
    out = [f"### {title}", "", "| kind | field | exact | n |", "|---|---|---|---|"]
    tot = [0, 0]
    for (k, key), (a, b) in sorted(res["fields"].items()):
        out.append(f"| {k} | {key} | {100 * a / max(1, b):.0f} % | {b} |")
        if "(per row)" in key:
            continue
        tot[0] += a
        tot[1] += b
    out.append(f"| **all facts** (lists counted whole) | | **{100 * tot[0] / max(1, tot[1]):.1f} %** | {tot[1]} |")
    conf = res["confusion"]
    n = sum(conf.values())
    right = sum(v for (a, b), v in conf.items() if a == b)
    out += ["", f"Page classification: {right}/{n} = {100 * right / max(1, n):.1f} %", ""]
    wrong = [(a, b, v) for (a, b), v in sorted(conf.items()) if a != b]
    if wrong:
        out += ["| true kind | classified as | pages |", "|---|---|---|"]
        out += [f"| {a} | {b} | {v} |" for a, b, v in wrong]
    else:
        out.append("No confusions.")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--source", choices=("truth", "noise", "ocr"), default="truth")
    ap.add_argument("--noise", type=float, default=0.03)
    ap.add_argument("--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    ap.add_argument("--misses", action="store_true", help="list every fact not read exactly")
    ap.add_argument("--save", default="", help="write the pages read to this JSON file")
    ap.add_argument("--replay", default="", help="read the pages from a JSON file written by --save")
    a = ap.parse_args(argv)
    kinds = tuple(a.kinds.split(",")) if a.kinds else KINDS
    other = () if a.kinds else OTHER_KINDS
    res = run(a.seeds, a.source, a.noise, a.workers, kinds, other, a.start, a.save, a.replay)
    label = {"truth": "ground-truth lines", "noise": f"ground-truth lines, {a.noise:.0%} OCR confusions",
             "ocr": "scanned pages read by RapidOCR"}[a.source]
    if a.replay:
        label = f"pages replayed from {Path(a.replay).name}"
    print(report(res, f"Evidence fields, {label} ({a.seeds} seeds per kind, {res['pages']} pages)"))
    print(f"\n_read {res['seconds_read']} s, classify+extract {res['seconds_parse']} s_")
    if a.misses:
        print()
        for k, s, key, want, have in res["misses"]:
            print(f"- {k} seed {s} {key}: want {want!r} got {have!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
