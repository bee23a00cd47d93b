"""What the ledger's records mean for an audit: waivers applied to findings, and what changed
between two runs (issue 7). Pure functions over findings documents and ledger records."""
from __future__ import annotations

from typing import Any, Iterable


def apply_waivers(findings: Iterable[Any], waivers: dict[str, dict]) -> int:
    """Mark every finding whose fingerprint has a waiver (``Finding.waived`` = {by, reason, at});
    return how many were marked. A waiver follows the evidence: the fingerprint leaves out boxes
    and message, so a re-audit of the same files (re-OCR'd included) finds it again."""
    n = 0
    for f in findings:
        w = waivers.get(f.fingerprint)
        if w:
            f.waived = {"by": w.get("by", ""), "reason": w.get("reason", ""), "at": w.get("at", "")}
            n += 1
    return n


def _who(f: dict) -> str:
    names = [f["nominee"]] if f.get("nominee") else list(f.get("nominees") or [])
    return "、".join(names)


def diff_runs(a: dict, b: dict) -> dict:
    """What changed from run ``a`` to run ``b`` (each a ledger run with ``inputs`` and
    ``findings``, or a findings document): findings new, resolved and still open, matched by
    fingerprint; files added, removed and changed, matched by path and compared by hash."""
    fa = {f["fingerprint"]: f for f in a.get("findings") or []}
    fb = {f["fingerprint"]: f for f in b.get("findings") or []}
    ia = {i["path"]: i["sha256"] for i in a.get("inputs") or [] if isinstance(i, dict)}
    ib = {i["path"]: i["sha256"] for i in b.get("inputs") or [] if isinstance(i, dict)}

    def brief(f: dict) -> dict:
        return {"id": f.get("id"), "fingerprint": f["fingerprint"], "code": f["code"], "severity": f["severity"],
                "unit": f.get("unit"), "who": _who(f), "message": f.get("message", "")}
    return {
        "from": a.get("run_id"), "to": b.get("run_id"),
        "from_at": a.get("at") or a.get("generated_at"), "to_at": b.get("at") or b.get("generated_at"),
        "new": [brief(fb[k]) for k in fb if k not in fa],
        "resolved": [brief(fa[k]) for k in fa if k not in fb],
        "open": [brief(fb[k]) for k in fb if k in fa],
        "files_added": sorted(p for p in ib if p not in ia),
        "files_removed": sorted(p for p in ia if p not in ib),
        "files_changed": sorted(p for p in ib if p in ia and ia[p] != ib[p]),
    }
