"""Write the audit result: findings.json, report.html, findings.xlsx, graph.json (and report.pdf)."""
from __future__ import annotations

import json
from pathlib import Path

from reports.html import write_html
from reports.xlsx import write_xlsx
from reports.mask import mask
from reports.result import build_document

def write_all(result, out: Path, *, masked: bool = True, rules: list[dict] | None = None,
              pdf: bool = False, diff: dict | None = None) -> dict:
    """Write the outputs into ``out`` (report.pdf too when ``pdf``); return the findings document.
    ``diff`` (audit.record.diff_runs against the previous audit of the same batch) goes into the
    document and the report."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.pdf").unlink(missing_ok=True)   # an earlier run's PDF would not match this report
    doc = build_document(result, masked=masked)
    if diff is not None:
        doc["diff"] = mask(diff) if masked else diff
    write_json(doc, out / "findings.json")
    write_html(doc, out / "report.html", exhibits=getattr(result, "exhibits", None), rules=rules or [],
               masked=masked)
    write_xlsx(doc, out / "findings.xlsx", rules=rules or [])
    graph = getattr(result, "graph", None)
    if graph is not None:
        # the evidence graph (nominees, evidence items, the keys they share) for later queries
        g = graph.to_dict()
        write_json(mask(g) if masked else g, out / "graph.json")
    if pdf:
        # last, so that a browser missing or failing loses none of the other outputs
        from reports.pdf import write_pdf
        write_pdf(out / "report.html", out / "report.pdf")

    return doc


def write_json(doc: dict, path: Path) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    tmp.replace(path)
