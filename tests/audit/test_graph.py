"""The evidence graph (audit.graph): keys, groups, serialising, and near-linear building."""
from __future__ import annotations

import json
import time

from audit.graph import EvidenceGraph, graph_of
from audit.model import AuditContext, EvidenceItem, Fact, Nominee, Unit
from audit.pipeline import attach_page_hashes, file_facts
from extractors.base import Extraction, Line, Page
from tests.rules.builder import build_context


def _ctx():
    return build_context({"units": [
        {"name": "A单位", "nominees": [
            {"name": "张三", "evidence": [
                {"kind": "honor_certificate", "file": "证明材料.pdf", "sha256": "vol", "pages": [1],
                 "page_hashes": ["p1"], "fields": {"holder": "张三", "number": "KFZGH20200211"}},
                {"kind": "patent_certificate", "file": "证明材料.pdf", "sha256": "vol", "pages": [2],
                 "page_hashes": ["p2"], "fields": {"number": "201710601862.3"}}]},
            {"name": "李四", "evidence": [
                {"kind": "honor_certificate", "file": "荣誉.jpg", "sha256": "jpg", "pages": [1],
                 "page_hashes": ["p9"], "fields": {"holder": "李四", "number": "KFZGH 20200211"}},
                {"kind": "standard_doc", "file": "规范.pdf", "sha256": "std", "pages": [1], "page_hashes": ["p2"]}]},
        ]}]})


def test_groups_by_key_type():
    ctx = _ctx()
    gr = graph_of(ctx)
    assert graph_of(ctx) is gr                       # built once per context
    certs = gr.shared(["cert"])
    assert len(certs) == 1 and certs[0].nominees == ["A单位/张三", "A单位/李四"]
    assert [it.file for _n, it in certs[0].items] == ["A单位/张三/证明材料.pdf", "A单位/李四/荣誉.jpg"]
    pages = gr.shared(["file", "page"])
    # the volume's file key is one nominee's only: it does not drag the volume's other items in
    assert len(pages) == 1 and [it.kind for _n, it in pages[0].items] == ["patent_certificate", "standard_doc"]
    assert gr.shared(["patent"]) == []
    assert gr.repeated(["file", "page", "cert"]) == []
    assert gr.who_has("cert", "KFZGH20200211") == ["A单位/张三", "A单位/李四"]


def test_serialisable():
    gr = graph_of(_ctx())
    d = gr.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["summary"]["nominees"] == 2 and d["summary"]["evidence"] == 4
    assert d["summary"]["shared_keys"]["cert"] == 1 and d["summary"]["shared_keys"]["page"] == 1
    kinds = {n["type"] for n in d["nodes"]}
    assert kinds == {"nominee", "evidence", "key"}


def test_building_is_near_linear():
    def ctx_of(n: int) -> AuditContext:
        unit = Unit(name="U", folder="U")
        for i in range(n):
            nom = Nominee(unit="U", name=f"N{i}", folder=f"U/N{i}")
            for j in range(30):
                f = f"U/N{i}/{j}.pdf"
                it = EvidenceItem(id=f"{i}:{j}", kind="honor_certificate", file=f, sha256=f"s{i}-{j}", pages=[1],
                                  fields={"number": Fact(f"NO{(i * 30 + j) % (n * 29):08d}")},
                                  page_hashes=[(f, 1, f"h{i}-{j}")])
                nom.evidence.append(it)
            unit.nominees.append(nom)
        return AuditContext(profile=None, units=[unit])

    def timed(n: int) -> float:
        ctx = ctx_of(n)
        t = time.perf_counter()
        gr = EvidenceGraph.build(ctx)
        gr.shared(["cert"])
        return time.perf_counter() - t

    small, big = timed(20), timed(200)
    assert big < small * 10 * 3 + 0.5      # ten times the nominees: not a hundred times the time


def test_page_hashes_and_file_facts_from_the_extraction():
    ex = Extraction(file="A/张三/x.pdf", sha256="abc", media="pdf", metadata={
        "producer": "Adobe Photoshop", "creation_date_iso": "2021-05-20T10:00:00", "incremental_updates": 1,
        "image_cover": {"2": 0.97}},
        pages=[Page(page=1, source="ocr", lines=[Line("荣誉证书 张三同志")], image_sha256="h1"),
               Page(page=2, source="text-layer", lines=[Line("张三")]),
               Page(page=3, source="ocr", lines=[], image_sha256="blank")])
    it = EvidenceItem(id="abc:p1", kind="honor_certificate", file=ex.file, sha256="abc", pages=[1, 3])
    attach_page_hashes([it], {ex.file: ex})
    assert it.page_hashes == [("A/张三/x.pdf", 1, "h1")]      # the blank page is left out
    md = file_facts(ex)
    assert md["producer"] == "Adobe Photoshop" and md["scan_pages"] == 2 and md["incremental_updates"] == 1
    assert md["text_overlay"] == [{"page": 2, "cover": 0.97, "lines": 1, "text": "张三"}]
