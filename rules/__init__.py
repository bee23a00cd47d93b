"""Audit rules, one module per family (M materials, P process, D forms, …)."""
from rules.registry import REGISTRY, Rule, all_rules, rule  # noqa: F401
