"""Classification and facts on whole sample batches: what the audit read against what the generator drew.

For each seed the sample batch is generated (or taken from ``--cache``), audited (the
generator's text replayed with ``--source truth``, or real RapidOCR with ``--source ocr``) and
every evidence document the generator placed (``expected.json`` → nominees[].evidence: kind,
file, page, facts) is looked up among the audit's evidence items of that nominee by file and
page. Reports, as markdown:

* page classification: the share of placed documents whose page the audit gave the right kind,
  and the confusions (drawn kind → kind read, or ``missing`` when no item covers the page);
* facts: the share of drawn facts read exactly, per kind and field (dates by year only:
  the documents write them in many forms, the per-page benchmark ``bench/fields.py`` checks
  them whole).

    python bench/batch_fields.py --seeds 1 2 3
    python bench/batch_fields.py --seeds 1 --source ocr --jobs 2
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.pipeline import AuditOptions, run_audit  # noqa: E402
from audit.profile import load_profile  # noqa: E402


def norm(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()[:10]
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return format(Decimal(str(v)).normalize(), "f")
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, str):
        return v.replace(" ", "")
    return v


def read_facts(it) -> dict:
    """The item's facts in the shape of the generator's truth_facts."""
    out = {k: f.value for k, f in it.fields.items()}
    if it.kind == "benefit_statement" and out.get("by_year"):
        rows = out["by_year"]
        out["_by_year"] = {int(r["year"]): r for r in rows if r.get("year")}
    if it.kind == "training_list":
        out["names"] = [r.get("name") for r in out.get("rows") or []]
    d = out.get("date") or out.get("sign_date")
    if isinstance(d, date):
        out["date_year"] = d.year
    return out


def compare(kind: str, want: dict, have: dict) -> dict[str, bool]:
    res = {}
    for k, w in want.items():
        h = have.get(k)
        if kind == "benefit_statement" and k in ("created", "saved") and h is None and "_by_year" in have:
            h = have["_by_year"].get(int(want["year"]), {}).get(k)
        if kind == "benefit_statement" and k == "year" and h is None and "_by_year" in have:
            h = w if int(w) in have["_by_year"] else None
        if k in ("created", "saved") and h is not None:
            res[k] = Decimal(str(h)) == Decimal(str(w))
        elif k in ("year", "date_year") and h is not None:
            res[k] = int(h) == int(w)
        else:
            res[k] = norm(h) == norm(w)
    return res


def run_seed(seed: int, source: str, cache: Path, jobs: int, regen: bool) -> dict:
    d = cache / f"seed{seed}"
    if regen or not (d / "expected.json").exists():
        from audit.sample.batch import generate
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        generate(d, seed, workers=2)
    exp = json.loads((d / "expected.json").read_text("utf-8"))
    if not any("evidence" in n for n in exp["nominees"]):
        raise SystemExit(f"{d}/expected.json has no evidence list: regenerate with --regen")
    ocr = f"replay:{d / 'ocr-truth.json'}" if source == "truth" else "rapid"
    t0 = time.time()
    batch = d / "batch"
    res = run_audit(batch, load_profile(None, batch), AuditOptions(ocr=ocr, jobs=jobs, second_reading=False))
    wall = time.time() - t0
    by_nom = {n.name: n for n in res.ctx.nominees}
    pages = Counter()
    confusions = Counter()
    facts: dict[tuple[str, str], list[bool]] = defaultdict(list)
    misses = []
    for n in exp["nominees"]:
        nom = by_nom.get(n["name"])
        for ev in n.get("evidence", []):
            pages["all"] += 1
            hit = None
            if nom is not None:
                for it in nom.evidence:
                    if it.file == ev["file"] and ev["page"] in (it.pages or []):
                        hit = it
                        break
            got = hit.kind if hit else "missing"
            if got == ev["kind"]:
                pages["right"] += 1
            else:
                confusions[(ev["kind"], got)] += 1
                continue
            for k, ok in compare(ev["kind"], ev["facts"], read_facts(hit)).items():
                facts[(ev["kind"], k)].append(ok)
                if not ok:
                    misses.append(f"seed {seed} {n['name']} {ev['kind']}.{k}: drawn {ev['facts'][k]!r}, "
                                  f"read {read_facts(hit).get(k)!r} ({ev['file']} p{ev['page']})")
    # the golden comparison as the tests make it: planted codes missed, clean nominees flagged
    from reports.result import build_document
    from tests.test_sample_batches import compare as golden
    missed, noisy = golden(build_document(res, masked=False), exp)
    return {"pages": pages, "confusions": confusions, "facts": facts, "misses": misses, "wall": wall,
            "stats": res.stats, "missed": missed, "noisy": noisy,
            "low_on_clean": [f"{f.nominee}: {f.code} {f.message}" for f in res.findings
                             if f.nominee in {n["name"] for n in exp["nominees"] if n["clean"]}]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--source", choices=("truth", "ocr"), default="truth")
    ap.add_argument("--cache", default="/tmp/dossier-bench-batches")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--regen", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list every fact not read exactly")
    a = ap.parse_args(argv)
    pages, conf, facts, misses, wall = Counter(), Counter(), defaultdict(list), [], 0.0
    golden_lines: list[str] = []
    for s in a.seeds:
        r = run_seed(s, a.source, Path(a.cache), a.jobs, a.regen)
        pages.update(r["pages"])
        conf.update(r["confusions"])
        for k, v in r["facts"].items():
            facts[k].extend(v)
        misses += r["misses"]
        wall += r["wall"]
        golden_lines.append(f"- seed {s}: {len(r['missed'])} planted codes missed, "
                            f"{len(r['noisy'])} findings above low on clean nominees, "
                            f"{len(r['low_on_clean'])} findings in all on clean nominees")
        golden_lines += [f"  - missed {m}" for m in r["missed"]] + [f"  - clean: {m}" for m in r["low_on_clean"]]
    allf = [x for v in facts.values() for x in v]
    src = "generator's text replayed" if a.source == "truth" else "real RapidOCR"
    print(f"## Whole sample batches, seeds {' '.join(map(str, a.seeds))} ({src})\n")
    print(f"Evidence documents placed: {pages['all']}; page classified right: {pages['right']} "
          f"= {100 * pages['right'] / max(1, pages['all']):.1f} %. "
          f"Facts read exactly: {sum(allf)}/{len(allf)} = {100 * sum(allf) / max(1, len(allf)):.1f} %. "
          f"Audit time {wall:.0f} s.\n")
    if conf:
        print("| drawn kind | read as | pages |\n|---|---|---|")
        for (w, g), c in conf.most_common():
            print(f"| {w} | {g} | {c} |")
        print()
    else:
        print("No confusions.\n")
    print("| kind | field | exact | n |\n|---|---|---|---|")
    for (k, f), v in sorted(facts.items()):
        print(f"| {k} | {f} | {100 * sum(v) / len(v):.0f} % | {len(v)} |")
    print("\nPlanted defects (the golden comparison of tests/test_sample_batches.py):\n")
    print("\n".join(golden_lines))
    if a.misses and misses:
        print("\nMisses:\n" + "\n".join(f"- {m}" for m in misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
