"""Opinion boxes of a scanned approval form and the seals in them (audit.forms.read_opinions, D07)."""
from __future__ import annotations

import hashlib
import random

import pytest

from audit.forms import opinion_box_key, parse_approval_form, read_opinions
from audit.sample import documents as D
from audit.sample.batch import _save_pdf, _seal_truth, _truth
from audit.sample.render import scan
from extractors.base import Extraction, Line, Page
from extractors.dispatch import extract_file
from extractors.ocr import FakeEngine, OcrOptions

YEARS = [2018, 2019, 2020]
VALUES = {"name": "张建国", "gender": "男", "birth": "1978.05", "employer": "开封空分集团有限公司",
          "unit": "祥符区总工会", "id_number": "410203197805150034", "education": "大专",
          "skill_level": "高级技师", "achievements": "该同志长期扎根生产一线。" * 8}


@pytest.mark.parametrize("label,key", [
    ("所在单位工会意见", "unit_union"), ("所在单位人力资源部门意见", "unit_hr"), ("所在单位人事部门意见", "unit_hr"),
    ("各县(区)总工会(各产业工会、市直机关工会)意见", "county_union"), ("产业工会意见", "county_union"),
    ("县(区)人力资源社会保障部门意见", "county_hr"), ("县区人社部门意见", "county_hr"),
    ("市总工会意见", "city_union"), ("市人力资源社会保障局意见", "city_hr"), ("评审委员会意见", "other"),
])
def test_opinion_box_key(label, key):
    assert opinion_box_key(label) == key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rendered_form_scan_opinions_and_seals(tmp_path, seed):
    stamped = {"unit_union": seed != 2, "unit_hr": True, "county_union": True, "county_hr": seed != 3}
    pages = D.approval_form(random.Random(seed), values=VALUES, years=YEARS, opinions=stamped)
    pages = [scan(p, random.Random(seed * 10 + i), "normal") for i, p in enumerate(pages)]
    path = tmp_path / "审批表.pdf"
    _save_pdf(pages, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rec = {f"{sha}:{i}": _truth(p.lines) + _seal_truth(p) for i, p in enumerate(pages, 1)}
    ex = extract_file(path, "单位/张建国/审批表.pdf", sha, ocr=OcrOptions(engine=FakeEngine(rec), cache_dir=None))
    form, _ = parse_approval_form(ex, years=YEARS)
    assert form is not None and form.source == "ocr"
    got = {o["box"]: o["seal"] for o in form.opinions}
    assert got == {**stamped, "city_union": False, "city_hr": False}
    for o in form.opinions:
        assert o["span"].page == 2 and o["span"].file == "单位/张建国/审批表.pdf"
        if o["seal"]:
            assert o["seals"][0].kind == "official" and o["seals"][0].sha256 == sha


def _page(lines, seals, source="ocr"):
    return Page(page=1, source=source, lines=[Line(t, b, c) for t, b, c in lines], width=1654, height=2339,
                dpi=200, seals=seals)


def test_stacked_boxes_other_wording():
    """One column of boxes, labels on one line each, a seal per box but the second."""
    lines = [("推荐单位工会意见：", (100, 200, 400, 240), 0.95), ("同意推荐", (500, 300, 700, 340), 0.9),
             ("推荐单位人事部门意见：", (100, 600, 450, 640), 0.95),
             ("县区人社部门意见", (100, 1000, 400, 1040), 0.7)]
    seals = [{"box": [900, 250, 1120, 470], "kind": "official", "ring_text": "某某公司工会委员会", "confidence": 0.9},
             {"box": [900, 1050, 1120, 1270], "kind": "unknown", "ring_text": "", "confidence": 0.3}]
    ex = Extraction(file="a/b/审批表.jpg", sha256="s", media="image", pages=[_page(lines, seals)])
    ops = read_opinions(ex)
    assert [(o["box"], o["seal"]) for o in ops] == [("unit_union", True), ("unit_hr", False), ("county_hr", True)]
    assert ops[2]["confidence"] == 0.7


def test_text_layer_and_office_pages_have_no_opinions():
    lines = [("所在单位工会意见", (100, 200, 400, 240), 1.0)]
    ex = Extraction(file="a.pdf", sha256="s", media="pdf", pages=[_page(lines, [], source="text-layer")])
    assert read_opinions(ex) == []


def test_pipeline_gives_evidence_items_the_seals_of_their_pages():
    from audit.model import EvidenceItem
    from audit.pipeline import attach_seals, page_seals
    seal = {"box": [10, 10, 230, 230], "kind": "finance", "ring_text": "某某公司", "center_text": "财务专用章",
            "confidence": 0.9, "ink_sha256": "h"}
    p1 = _page([("经济效益证明", (100, 100, 400, 140), 0.9)], [seal])
    p2 = Page(page=2, source="text-layer", lines=[Line("证明", (0, 0, 1, 1))], seals=[])
    ex = Extraction(file="u/n/证明材料.pdf", sha256="abc", media="pdf", pages=[p1, p2])
    a = EvidenceItem(id="a", kind="benefit_statement", file=ex.file, sha256="abc", pages=[1])
    b = EvidenceItem(id="b", kind="benefit_statement", file=ex.file, sha256="abc", pages=[2])
    attach_seals([a, b], ex)
    assert [(s.kind, s.page, s.sha256, s.ring_text) for s in a.seals] == [("finance", 1, "abc", "某某公司")]
    assert a.source == "ocr" and b.source == "text-layer" and b.seals == []
    assert len(page_seals(ex)) == 1


@pytest.mark.ocr
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_real_ocr_finds_the_unstamped_box(tmp_path, seed):
    """RapidOCR on page 2 of a scanned form: the boxes stamped before submission, and the one
    left unstamped, are told apart (the city's boxes may or may not be found: never flagged)."""
    stamped = {"unit_union": seed != 1, "unit_hr": seed != 2, "county_union": True, "county_hr": seed != 3}
    page = scan(D.approval_form(random.Random(seed), values=VALUES, years=YEARS, opinions=stamped)[1],
                random.Random(seed), "normal")
    path = tmp_path / "审批表.png"
    page.image.save(path, dpi=(200, 200))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine="rapid", threads=2, cache_dir=None))
    got = {o["box"]: o["seal"] for o in read_opinions(ex)}
    assert {k: got.get(k) for k in stamped} == stamped
