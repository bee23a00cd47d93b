"""Time the cross-nominee (X) and forensics (F) rules alone on synthetic audit contexts.

    python bench/cross.py                    # 100, 1 000 and 10 000 nominees, 30 items each
    python bench/cross.py --sizes 100 1000

Each nominee gets 30 evidence items (certificates, patents, statements, agreements,
standards) with file hashes, page pixel hashes, numbers and seal ink hashes, and one PDF
file record per item with scanner metadata. A realistic share of duplicates is planted: about
1 % of nominees share a file with another, 1 % a patent, 1 % a certificate number, 1 % a
statement, 1 % an apprentice, 1 % a pasted seal, 0.5 % an edited PDF. Prints, per size, the
seconds to build the graph and run the rules, the findings per code and the peak memory.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.model import AuditContext, EvidenceItem, Fact, FileRecord, Nominee, SealInfo, Unit  # noqa: E402
from audit.profile import load_profile  # noqa: E402
from rules.registry import all_rules  # noqa: E402

KINDS = ["honor_certificate", "competition_award", "innovation_award", "skill_certificate", "patent_certificate",
         "benefit_statement", "apprentice_agreement", "standard_doc"]


def make_ctx(n: int, seed: int = 1, per: int = 30) -> AuditContext:
    rng = random.Random(seed)
    ctx = AuditContext(profile=load_profile())
    units = [Unit(name=f"单位{u}", folder=f"单位{u}") for u in range(max(1, n // 5))]
    noms = []
    for i in range(n):
        u = units[i % len(units)]
        nom = Nominee(unit=u.name, name=f"人选{i}", folder=f"{u.folder}/人选{i}")
        for j in range(per):
            kind = KINDS[j % len(KINDS)]
            f = f"{nom.folder}/材料{j}.pdf"
            sha = f"{i:06d}{j:03d}" + "0" * 55
            it = EvidenceItem(id=f"{sha[:12]}:p1", kind=kind, file=f, sha256=sha, pages=[1], unit=u.name,
                              nominee=nom.key, page_hashes=[(f, 1, "p" + sha)])
            if kind == "patent_certificate":
                it.fields["number"] = Fact(f"2019{i:07d}{j % 10}.{j % 10}")
                it.fields["inventors"] = Fact([nom.name])
            elif kind == "benefit_statement":
                it.fields.update(year=Fact(2019 + j % 2), created=Fact(Decimal(rng.randint(100000, 9000000)) / 10000),
                                 project=Fact(f"项目{i}-{j}"), issuer=Fact(u.name))
            elif kind == "apprentice_agreement":
                it.fields.update(apprentice=Fact(f"徒{i}x{j}"), start=Fact(date(2019, 3, 1)), end=Fact(date(2021, 2, 28)))
            elif kind != "standard_doc":
                it.fields.update(number=Fact(f"KF{i:07d}{j:03d}"), holder=Fact(nom.name))
            it.seals.append(SealInfo(file=f, page=1, box=(0, 0, 100, 100), ring_text=u.name, ink_sha256="ink" + sha,
                                     sha256=sha))
            nom.evidence.append(it)
            nom.files.append(FileRecord(path=f, sha256=sha, size=1, local=f, unit=u.name, nominee=nom.key,
                                        role="evidence", metadata={"media": "pdf", "scan_pages": 1,
                                                                   "producer": "EPSON Scan"}))
        u.nominees.append(nom)
        noms.append(nom)
    # duplicates: each kind of reuse on about 1 % of nominees
    k = max(1, n // 100)
    for _ in range(k):
        a, b = rng.sample(noms, 2)
        b.evidence[0].sha256 = a.evidence[0].sha256                       # X01 (same file)
        b.evidence[1].page_hashes = list(a.evidence[1].page_hashes)       # X01 (same page)
        b.evidence[4].fields["number"] = a.evidence[4].fields["number"]   # X03
        b.evidence[2].fields["number"] = a.evidence[2].fields["number"]   # X05
        b.evidence[5].fields = dict(a.evidence[5].fields)                 # X07
        b.evidence[6].fields["apprentice"] = a.evidence[6].fields["apprentice"]   # X04
        c = rng.choice(noms)
        for it in c.evidence[8:11]:                                       # F03
            it.seals[0].ink_sha256 = "pasted" + c.key
        d = rng.choice(noms)
        d.evidence[9].fields["number"] = d.evidence[1].fields["number"]   # X08
    for d in rng.sample(noms, max(1, n // 200)):
        d.files[0].metadata.update(producer="Adobe Photoshop CC 2019")   # F01
    ctx.units = units
    ctx.files = [f for nm in noms for f in nm.files]
    return ctx


def run(n: int) -> dict:
    t0 = time.perf_counter()
    ctx = make_ctx(n)
    t1 = time.perf_counter()
    counts: dict[str, int] = {}
    per_rule: dict[str, float] = {}
    for r in all_rules():
        if r.code[0] not in "XF":
            continue
        t = time.perf_counter()
        counts[r.code] = sum(1 for _ in r.func(ctx))
        per_rule[r.code] = round(time.perf_counter() - t, 2)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"nominees": n, "items": n * 30, "make_s": round(t1 - t0, 2), "rules_s": round(t2 - t1, 2),
            "per_rule_s": per_rule, "findings": counts, "peak_rss_mb": round(rss)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    a = ap.parse_args()
    print("| nominees | items | X+F rules s (graph included) | peak RSS MB | findings |")
    print("|---|---|---|---|---|")
    for n in a.sizes:
        r = run(n)
        print(f"| {r['nominees']} | {r['items']} | {r['rules_s']} | {r['peak_rss_mb']} | "
              f"{' '.join(f'{c}:{v}' for c, v in r['findings'].items())} |", flush=True)
        print(f"  per rule (first includes building the graph): {r['per_rule_s']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
