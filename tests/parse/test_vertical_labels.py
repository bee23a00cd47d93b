"""A scanned approval form whose 个人简历 label is printed vertically in the middle of a tall
cell while the resume starts at the top of it (RapidOCR lines of a real sample page, page 1)."""
from __future__ import annotations

import json
from pathlib import Path

from audit.forms import parse_approval_form
from extractors.base import Extraction, Line, Page

FIXTURE = Path(__file__).parent / "fixtures" / "form_vertical_resume_label.json"


def test_resume_beside_a_vertical_label():
    d = json.loads(FIXTURE.read_text("utf-8"))
    page = Page(1, "ocr", "rapidocr", [Line(t, tuple(b), c) for t, b, c in d["lines"]], d["width"], d["height"], 200)
    form, _ = parse_approval_form(Extraction(file="审批表扫描件.pdf", sha256="4" * 64, media="pdf", pages=[page]),
                                  years=[2018, 2019, 2020])
    resume = form.fields["resume"].value
    assert resume.split("\n") == ["2004.8-2007.8开封市服装厂木版年画雕版工",
                                  "2007.9-2011.1开封市祥符区朱仙镇天成老店木版年画社技术部班组长",
                                  "2011.2-至今开封市祥符区朱仙镇天成老店木版年画社技术负责人"]
    assert form.fields["id_number"].value == "410225198312120935"
