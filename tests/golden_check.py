"""Developer check: audit sample seeds with the generator's text replayed, print what the golden
test would say (planted codes missed, clean nominees flagged above low) and the findings of
the codes asked for.

    python -m tests.golden_check                 # seeds 1 2 3, batches cached in /tmp/dossier-golden
    python -m tests.golden_check --codes V06 V07 --regen --seeds 2
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from audit.pipeline import AuditOptions, run_audit
from audit.profile import load_profile
from reports.writers import write_all
from rules.registry import all_rules
from tests.test_sample_batches import compare


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--codes", nargs="*", default=[])
    ap.add_argument("--regen", action="store_true", help="generate the batches again")
    ap.add_argument("--cache", default="/tmp/dossier-golden")
    a = ap.parse_args()
    bad = 0
    for seed in a.seeds:
        d = Path(a.cache) / f"seed{seed}"
        if a.regen or not (d / "expected.json").exists():
            from audit.sample.batch import generate
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
            generate(d, seed, workers=2)
        expected = json.loads((d / "expected.json").read_text("utf-8"))
        batch = d / "batch"
        res = run_audit(batch, load_profile(None, batch),
                        AuditOptions(ocr=f"replay:{d / 'ocr-truth.json'}", jobs=1, strict=True))
        out = Path(tempfile.mkdtemp(prefix=f"golden{seed}-"))
        doc = write_all(res, out, rules=[r.to_dict() for r in all_rules()])
        missed, noisy = compare(doc, expected)
        print(f"== seed {seed}: {len(doc['findings'])} findings, output {out}")
        print("   planted:", sorted({c for n in expected["nominees"] for c in n["codes"]}
                                    | {c for u in expected["units"] for c in u["codes"]}))
        for m in missed:
            print("   MISSED", m)
        for m in noisy:
            print("   CLEAN FLAGGED", m)
        for f in doc["findings"]:
            if f["code"] in a.codes:
                print(f"   {f['code']} {f['severity']:6} {f.get('nominee') or f.get('unit')}: {f['message']}")
        errs = doc["stats"].get("rule_errors")
        if errs:
            print("   RULE ERRORS", errs)
        bad += len(missed) + len(noisy) + len(errs or [])
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
