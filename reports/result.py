"""The audit result as one JSON-ready document (findings.json): what every report renders."""
from __future__ import annotations

from typing import Any

from audit.model import jsonable
from reports.mask import mask

SCHEMA_ID = "dossier-audit/findings/v1"


def declared_of(nom) -> dict[str, Any]:
    """The nominee's declared figures: the approval form and the summary-table row."""
    out: dict[str, Any] = {}
    if nom.form is not None:
        f = nom.form
        out["form"] = {
            "file": f.file, "source": f.source,
            "fields": {k: jsonable(v.value) for k, v in f.fields.items()
                       if k not in ("resume", "achievements", "awards_text")},
            "counts": {k: jsonable(v.value) for k, v in f.counts.items()},
            "per_year": {k: {str(y): jsonable(v.value) for y, v in ys.items()}
                         for k, ys in f.per_year.items()},
        }
    if nom.summary is not None:
        out["summary"] = {"file": nom.summary.file, "row": nom.summary.row,
                          "values": {k: jsonable(v.value) for k, v in nom.summary.values.items()}}
    return out


def found_of(nom) -> dict[str, Any]:
    """What the evidence holds, document by document (kind, file, pages, facts)."""
    kinds: dict[str, int] = {}
    for it in nom.evidence:
        kinds[it.kind] = kinds.get(it.kind, 0) + 1
    return {
        "documents_by_kind": kinds,
        "documents": [{"id": it.id, "kind": it.kind, "file": it.file, "pages": it.pages,
                       "confidence": round(it.confidence, 3),
                       "facts": {k: jsonable(v.value) for k, v in it.fields.items()
                                 if not k.startswith("_") and k != "row_spans"}}
                      for it in nom.evidence],
    }


def build_document(result, *, masked: bool = True) -> dict:
    """findings.json as a dict (valid against shared/spec/findings.schema.json)."""
    ctx = result.ctx
    kinds = {f.path: (f.kind or f.role) for f in ctx.files}
    doc = {
        "schema": SCHEMA_ID,
        "campaign": result.profile.id,
        "campaign_name": result.profile.get("name") or result.profile.id,
        "tool_version": result.tool_version,
        "generated_at": result.finished,
        "run_id": result.run_id,
        "batch": result.batch,
        "masked": masked,
        "profile_digest": result.profile.digest,
        "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.size, "kind": kinds[f.path]}
                   for f in ctx.files],
        "nominees": [{"unit": n.unit, "name": n.name, "folder": n.folder,
                      "priority": n.priority, "declared": declared_of(n), "found": found_of(n),
                      "reconciliation": jsonable(getattr(result, "reconciliation", {}).get(n.folder, []))}
                     for n in ctx.nominees],
        "units": [{"name": u.name, "folder": u.folder, "nominees": [n.name for n in u.nominees],
                   "received": jsonable(ctx.receipts[u.name].value) if u.name in ctx.receipts else None,
                   "report_date": jsonable(u.report_date.value) if u.report_date else None,
                   "publicity": [{"start": jsonable(p["start"].value) if p.get("start") else None,
                                  "end": jsonable(p["end"].value) if p.get("end") else None}
                                 for p in u.publicity]}
                  for u in ctx.units],
        "unreadable": [{"path": i.path, "reason": i.reason, "message": i.message, "page": i.page}
                       for i in ctx.read_issues],
        "stats": result.stats,
        # what the P rules looked at: quota, publicity and dates per unit, category ratios
        "overview": jsonable(getattr(result, "overview", None) or {}),
        # the evidence graph (audit.graph): node counts and keys shared by several nominees
        "graph": result.graph.summary() if getattr(result, "graph", None) is not None else None,
        "findings": [f.to_dict() for f in result.findings],
    }
    return mask(doc) if masked else doc
