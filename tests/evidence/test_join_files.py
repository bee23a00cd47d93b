"""A document spread over several files (a list scanned sheet by sheet, an agreement photographed
page by page) is joined into one, each fact keeping the file and page it was read on."""
from __future__ import annotations

import re

from audit.evidence import join_across_files, parts_of_one, split_documents
from extractors.base import Extraction, Line, Page

from .gen import sample
from .test_split import _split_page


def _ex(path: str, page: Page, sha: str) -> Extraction:
    return Extraction(file=path, sha256=sha * 64, media="image", pages=[Page(1, page.source, page.engine, page.lines,
                                                                             page.width, page.height, page.dpi)])


def _items(exs):
    return join_across_files([(ex, split_documents(ex, nominee="单位/张三")) for ex in exs])


def test_names_of_parts():
    assert parts_of_one("u/张三/人员名单-1.jpg", "u/张三/人员名单-2.jpg")
    assert parts_of_one("u/张三/师带徒协议.jpg", "u/张三/师带徒协议(2).jpg")
    assert parts_of_one("u/张三/协议第1页.png", "u/张三/协议第2页.png")
    assert parts_of_one("u/张三/荣誉证书正面.jpg", "u/张三/荣誉证书反面.jpg")
    assert parts_of_one("u/张三/效益证明.jpg", "u/张三/IMG_0013.jpg")
    assert not parts_of_one("u/张三/人员名单-1.jpg", "u/李四/人员名单-2.jpg")   # another folder
    assert not parts_of_one("u/张三/人员名单.jpg", "u/张三/会议纪要.jpg")
    assert not parts_of_one("u/张三/a.jpg", "u/张三/a.jpg")


def test_list_over_two_files_is_one_document():
    train = sample("training_list", 7)
    t1, t2 = _split_page(train.page, 0.45, 1)
    a = _ex("u/张三/人员名单-1.jpg", t1, "a")
    b = _ex("u/张三/人员名单-2.jpg", t2, "b")
    items = _items([a, b])
    assert [it.kind for it in items] == ["training_list"]
    it = items[0]
    rows = [{k: r[k] for k in ("name", "level", "date")} for r in it.value("rows")]
    assert rows == train.expected["rows"]
    assert it.parts == [{"file": a.file, "sha256": a.sha256, "pages": [1]},
                        {"file": b.file, "sha256": b.sha256, "pages": [1]}]
    files = {(s.file, s.page) for s in it.fields["rows"].spans}
    assert files == {(a.file, 1), (b.file, 1)}          # each row points at its own file


def test_agreement_signature_sheet_in_another_file():
    agr = sample("apprentice_agreement", 2)
    p1, p2 = _split_page(agr.page, 0.55, 1)
    items = _items([_ex("u/张三/师带徒协议.jpg", p1, "c"), _ex("u/张三/师带徒协议(2).jpg", p2, "d")])
    assert [it.kind for it in items] == ["apprentice_agreement"]
    assert items[0].value("sign_date") == agr.expected["sign_date"]
    assert {s.file for s in items[0].fields["sign_date"].spans} == {"u/张三/师带徒协议(2).jpg"}


def test_unrelated_names_are_not_joined():
    train = sample("training_list", 7)
    t1, t2 = _split_page(train.page, 0.45, 1)
    items = _items([_ex("u/张三/人员名单.jpg", t1, "e"), _ex("u/张三/会议纪要.jpg", t2, "f")])
    assert len(items) == 2 and items[0].parts == []


def test_titled_page_starts_its_own_document():
    h1, h2 = sample("honor_certificate", 4).page, sample("honor_certificate", 5).page
    items = _items([_ex("u/张三/荣誉证书-1.jpg", h1, "g"), _ex("u/张三/荣誉证书-2.jpg", h2, "h")])
    assert [it.kind for it in items] == ["honor_certificate", "honor_certificate"]


def test_signature_sheet_without_cues_joins_by_name_only():
    """The second sheet of a list holds only the unit and the date: it fits no kind, so only a
    file named as the list's second part joins it (a scanner's name does not)."""
    train = sample("training_list", 7)
    page = train.page
    last_y = max(l.box[3] for l in page.lines if not re.search(r"年.*月|公司|厂|单位", l.text)) + 1
    t1 = Page(1, "ocr", None, [l for l in page.lines if l.box[3] <= last_y], page.width, page.height, 200)
    t2 = Page(1, "ocr", None, [Line("开封清明上河园股份有限公司", (1000, 300, 1500, 350), 0.98),
                                Line("二〇二一年五月十日", (1050, 380, 1400, 430), 0.98)], page.width, page.height, 200)
    items = _items([_ex("u/张三/人员名单-1.jpg", t1, "i"), _ex("u/张三/人员名单-2.jpg", t2, "j")])
    assert [it.kind for it in items] == ["training_list"]
    assert len(items[0].parts) == 2
    items = _items([_ex("u/张三/人员名单.jpg", t1, "k"), _ex("u/张三/IMG_0031.jpg", t2, "l")])
    assert [it.kind for it in items] == ["training_list", "unclassified"]
