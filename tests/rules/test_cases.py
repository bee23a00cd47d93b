"""One loader for the YAML cases of every rule (tests/rules/cases/<CODE>.yml).

Each case builds a small context, runs that one rule, and compares the findings with
``expect`` (a list of partial findings; [] for a passing case). Every registered rule must
have at least one passing and one failing case, and a documented docstring.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from audit.model import Finding
from rules.registry import DOC_SECTIONS, all_rules
from tests.rules.builder import build_context

CASES = Path(__file__).with_name("cases")
RULES = {r.code: r for r in all_rules()}
SCHEMA = json.loads((Path(__file__).resolve().parents[2].parent / "shared/spec/findings.schema.json")
                    .read_text("utf-8")) if (Path(__file__).resolve().parents[2].parent / "shared/spec/findings.schema.json").exists() else None


def load_cases():
    out = []
    for path in sorted(CASES.glob("*.yml")):
        spec = yaml.safe_load(path.read_text("utf-8"))
        for case in spec["cases"]:
            out.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}-{case['name']}"))
    return out


def _matches(f: Finding, want: dict) -> bool:
    d = f.to_dict()
    for k, v in want.items():
        if k == "message_contains":
            if isinstance(v, str):
                v = [v]
            if not all(str(x) in d["message"] for x in v):
                return False
        elif k == "count":
            continue
        elif d.get(k) != v:
            return False
    return True


@pytest.mark.parametrize("code,case", load_cases())
def test_rule_case(code, case):
    ctx = build_context(case["batch"])
    findings = list(RULES[code].func(ctx))
    expect = case.get("expect") or []
    assert all(f.code == code for f in findings)
    if not expect:
        assert findings == [], [f.message for f in findings]
        return
    assert len(findings) == len(expect), [f.message for f in findings]
    for want in expect:
        assert any(_matches(f, want) for f in findings), (want, [f.to_dict() for f in findings])
    for f in findings:
        f.id = "F0001"
        assert f.evidence, f"{code} finding without evidence: {f.message}"
        if SCHEMA is not None:
            jsonschema.validate({"schema": "dossier-audit/findings/v1", "campaign": "t", "inputs": [],
                                 "nominees": [], "findings": [f.to_dict()]}, SCHEMA)


def test_every_rule_has_passing_and_failing_cases():
    have: dict[str, set[str]] = {}
    for p in load_cases():
        code, case = p.values
        have.setdefault(code, set()).add("fail" if case.get("expect") else "pass")
    for code in RULES:
        assert have.get(code) == {"pass", "fail"}, f"{code} needs a passing and a failing case"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_documented(code):
    r = RULES[code]
    for section in DOC_SECTIONS:
        assert r.section(section), f"{code} docstring lacks '{section}:'"
    assert r.title and r.clause


def test_rule_codes_are_in_the_spec():
    spec = Path(__file__).resolve().parents[2].parent / "shared/spec/rules.md"
    if not spec.exists():
        pytest.skip("shared/spec not beside the checkout")
    text = spec.read_text("utf-8")
    for code, r in RULES.items():
        assert f"| {code} |" in text
        sev_col = text.split(f"| {code} |", 1)[1].split("\n", 1)[0]
        assert r.severity.value in sev_col, f"{code}: registry severity {r.severity.value} vs spec '{sev_col}'"
