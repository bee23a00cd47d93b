"""The verification report of a complaint (complaint-N.html), in the audit report's style."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from reports.html import SEV_ZH
from reports.mask import mask_text


def render_complaint(found: dict) -> str:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    c = dict(found["complaint"])
    if found.get("masked", True):
        c["text"] = mask_text(c.get("text") or "")
        found = {**found, "terms": [{**t, "term": mask_text(t["term"])} for t in found["terms"]]}
    return env.get_template("complaint.html.j2").render(f=found, c=c, sev_zh=SEV_ZH)


def write_complaint_report(found: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render_complaint(found), "utf-8")
    tmp.replace(path)
