"""Cold and warm audit of the sample batch: wall time, pages/s, OCR share, peak memory.

    make bench            (or: .venv/bin/python bench/audit_bench.py --seed 1 --jobs 2)

Writes bench/results.md (the section between the AUDIT markers is replaced).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def dossier(*args: str, env: dict) -> float:
    t = time.perf_counter()
    subprocess.run([str(BIN / "dossier"), *args], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def write_block(name: str, block: str) -> None:
    """Put ``block`` (which starts and ends with its markers) between the ``name`` markers of
    bench/results.md, or at its end when the markers are not there yet."""
    res = HERE / "results.md"
    text = res.read_text("utf-8") if res.exists() else "# Benchmark results\n\n"
    begin, end = f"<!-- {name}:BEGIN -->", f"<!-- {name}:END -->"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    res.write_text(text, "utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--ocr", default="rapid")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    env = {**os.environ, "DOSSIER_CACHE_DIR": str(work / "cache")}
    try:
        dossier("sample", str(work / "sample"), "--seed", str(args.seed), env=env)
        rows = []
        for label in ("cold", "warm"):
            out = work / label
            wall = dossier("audit", str(work / "sample" / "batch"), "-o", str(out), "--ocr", args.ocr,
                           "--jobs", str(args.jobs), "-q", env=env)
            doc = json.loads((out / "findings.json").read_text("utf-8"))
            st = doc["stats"]
            rows.append({"run": label, "wall": wall, "pages": st["pages"], "ocr_pages": st["ocr_pages"],
                         "extract": st["seconds"]["extract"], "total": st["seconds"]["total"],
                         "findings": len(doc["findings"])})
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cold, warm = rows
    lines = [
        "<!-- AUDIT:BEGIN -->",
        f"## Audit of the sample batch (seed {args.seed}, engine {args.ocr}, {args.jobs} jobs)",
        f"Machine: {machine()}. Measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| run | wall s | pages | OCR pages | pages/s | extract s (OCR share) | findings |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['run']} | {r['wall']:.1f} | {r['pages']} | {r['ocr_pages']} | "
                     f"{r['pages'] / r['wall']:.2f} | {r['extract']:.1f} ({r['extract'] / max(r['total'], 1e-9):.0%}) | "
                     f"{r['findings']} |")
    lines += ["", f"Warm / cold: {warm['wall'] / cold['wall']:.1%}. Peak RSS of the largest process: {peak:.0f} MiB.",
              "<!-- AUDIT:END -->"]
    block = "\n".join(lines)
    write_block("AUDIT", block)
    print(block)


if __name__ == "__main__":
    main()

