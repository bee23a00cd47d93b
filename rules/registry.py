"""The rule registry: a rule is a small function registered with its permanent code.

    @rule("P01", Severity.HIGH, title="推荐人数不符合2-5名", clause="§二")
    def unit_quota(ctx):
        '''...docstring sections...'''
        yield Finding(...)

Codes are permanent (shared/spec/rules.md): the registry refuses malformed and duplicate
codes. A rule is pure: it reads the context (model + profile) and yields findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from audit.model import Finding, Severity

CODE_RE = re.compile(r"^[MPEDVXF][0-9]{2}$")
DOC_SECTIONS = ("What it checks", "Why", "Example finding", "Known false positives",
                "Profile settings used")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    clause: str
    func: Callable[..., Iterable[Finding]]

    @property
    def doc(self) -> str:
        import inspect
        return inspect.cleandoc(self.func.__doc__ or "")

    def section(self, name: str) -> str:
        """The text of one docstring section (``Why:`` … up to the next section)."""
        names = "|".join(re.escape(s) for s in DOC_SECTIONS)
        m = re.search(rf"^{re.escape(name)}:\s*(.*?)(?=^(?:{names}):|\Z)", self.doc, re.S | re.M)
        return m.group(1).strip() if m else ""

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity.value, "title": self.title,
                "clause": self.clause,
                "checks": self.section("What it checks"),
                "why": self.section("Why"),
                "example": self.section("Example finding"),
                "false_positives": self.section("Known false positives"),
                "profile": self.section("Profile settings used")}


REGISTRY: dict[str, Rule] = {}


def rule(code: str, severity: Severity, *, title: str, clause: str):
    """Register a rule function under a permanent code."""
    if not CODE_RE.match(code):
        raise ValueError(f"malformed rule code {code!r}")

    def deco(func):
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = Rule(code, Severity(severity), title, clause, func)
        func.rule_code = code
        return func
    return deco


def all_rules() -> list[Rule]:
    """Every implemented rule, in code order (importing the family modules registers them)."""
    from rules import cross, eligibility, evidence, figures, forensics, forms, materials, process, seals, texts  # noqa: F401  (registration)
    order = "MPEDVXF"
    return sorted(REGISTRY.values(), key=lambda r: (order.index(r.code[0]), r.code))
