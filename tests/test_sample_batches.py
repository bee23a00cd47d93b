"""Whole-batch golden tests: our generator plants known defects; the audit must find them.

The fast version replays the generator's ground-truth text through the fake OCR engine
(`replay:`), so it tests intake, extraction plumbing, parsing and rules without OCR cost.
`test_real_ocr_batch` (marked `ocr`, `slow`) runs RapidOCR on one whole seed.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from audit.pipeline import AuditOptions, run_audit
from audit.profile import load_profile
from reports.writers import write_all
from rules.registry import all_rules

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "audit/schema/findings.schema.json").read_text("utf-8"))
IMPLEMENTED = {r.code for r in all_rules()}
SEEDS = [1, 2, 3]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from audit.sample.batch import generate
    out = {}
    for seed in SEEDS:
        d = tmp_path_factory.mktemp(f"seed{seed}")
        generate(d, seed)
        out[seed] = d
    return out


def audit_sample(d: Path, ocr: str, out: Path, jobs: int = 1) -> dict:
    batch = d / "batch"
    before = {p: p.stat().st_mtime_ns for p in batch.rglob("*")}
    result = run_audit(batch, load_profile(None, batch), AuditOptions(ocr=ocr, jobs=jobs, strict=True))
    assert {p: p.stat().st_mtime_ns for p in batch.rglob("*")} == before, "the audit touched the batch"
    doc = write_all(result, out, rules=[r.to_dict() for r in all_rules()])
    jsonschema.validate(json.loads((out / "findings.json").read_text("utf-8")), SCHEMA)
    assert (out / "report.html").stat().st_size > 0 and (out / "findings.xlsx").stat().st_size > 0
    graph = json.loads((out / "graph.json").read_text("utf-8"))
    assert graph["summary"]["nominees"] == len(doc["nominees"]) and graph["edges"]
    return doc


def compare(doc: dict, expected: dict) -> tuple[list[str], list[str]]:
    """(missed expected codes, findings above low on clean nominees) for implemented codes."""
    found: dict[tuple, set] = {}
    for f in doc["findings"]:
        if f.get("nominee") is None:
            found.setdefault((f["unit"], None), set()).add(f["code"])
        for n in [f["nominee"]] if f.get("nominee") else (f.get("nominees") or []):
            found.setdefault(("*", n), set()).add(f["code"])
    batch_codes = {f["code"] for f in doc["findings"] if f["unit"] is None}
    missed = []
    for u in expected["units"]:
        for c in u["codes"]:
            if c in IMPLEMENTED and c not in found.get((u["unit"], None), set()):
                missed.append(f"{u['unit']}: {c}")
    for n in expected["nominees"]:
        for c in n["codes"]:
            if c in IMPLEMENTED and c not in found.get(("*", n["name"]), set()):
                missed.append(f"{n['unit']}/{n['name']}: {c}")
    for c in expected.get("batch_codes", []):
        if c in IMPLEMENTED and c not in batch_codes:
            missed.append(f"batch: {c}")
    clean = {n["name"] for n in expected["nominees"] if n["clean"]}
    noisy = [f"{n}: {f['code']} {f['message']}" for f in doc["findings"] if f["severity"] != "low"
             for n in {f.get("nominee")} | set(f.get("nominees") or []) if n in clean]
    return missed, noisy


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_planted_defects_found(generated, seed, tmp_path):
    d = generated[seed]
    expected = json.loads((d / "expected.json").read_text("utf-8"))
    doc = audit_sample(d, f"replay:{d / 'ocr-truth.json'}", tmp_path / "out")
    missed, noisy = compare(doc, expected)
    assert not missed, f"planted defects not found: {missed}"
    assert not noisy, f"clean nominees flagged above low: {noisy}"
    assert not doc["stats"]["rule_errors"]


@pytest.mark.slow
def test_masking_on_by_default(generated, tmp_path):
    d = generated[1]
    doc = audit_sample(d, f"replay:{d / 'ocr-truth.json'}", tmp_path / "out")
    text = (tmp_path / "out" / "findings.json").read_text("utf-8")
    import re
    assert not re.search(r"(?<![0-9A-Za-z])\d{17}[0-9X](?![0-9A-Za-z])", text.replace(doc["run_id"], ""))
    assert doc["masked"] is True


@pytest.mark.slow
@pytest.mark.ocr
def test_real_ocr_batch(generated, tmp_path):
    """One seed end to end with RapidOCR, as `make demo` runs it."""
    d = generated[1]
    expected = json.loads((d / "expected.json").read_text("utf-8"))
    doc = audit_sample(d, "rapid", tmp_path / "out", jobs=2)
    missed, noisy = compare(doc, expected)
    assert not missed, f"planted defects not found with real OCR: {missed}"
    assert not noisy, f"clean nominees flagged above low with real OCR: {noisy}"
