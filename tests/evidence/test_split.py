"""Pages into documents: continuation pages joined, photos and blanks kept, nothing dropped."""
from __future__ import annotations

from audit.evidence import classify_page, split_documents
from extractors.base import Extraction, Line, Page

from .gen import sample


def _split_page(page: Page, frac: float, first_no: int) -> tuple[Page, Page]:
    """One page cut in two at ``frac`` of its height (a document printed over two sheets)."""
    cut = page.height * frac
    top = [ln for ln in page.lines if ln.box[3] <= cut]
    bot = [Line(ln.text, (ln.box[0], ln.box[1] - cut + 150, ln.box[2], ln.box[3] - cut + 150), ln.confidence)
           for ln in page.lines if ln.box[3] > cut]
    return (Page(first_no, "ocr", None, top, page.width, page.height, 200),
            Page(first_no + 1, "ocr", None, bot, page.width, page.height, 200))


def _renumber(page: Page, no: int) -> Page:
    return Page(no, page.source, page.engine, page.lines, page.width, page.height, page.dpi,
                is_photo=page.is_photo)


def _volume():
    cat = sample("catalog", 3).page
    patent = sample("patent_certificate", 1)
    agr = sample("apprentice_agreement", 2)
    a1, a2 = _split_page(agr.page, 0.55, 3)
    train = sample("training_list", 7)
    t1, t2 = _split_page(train.page, 0.45, 6)
    honor = sample("honor_certificate", 4)
    pages = [_renumber(cat, 1), _renumber(patent.page, 2), a1, a2, Page(5, "ocr", lines=[]),
             t1, t2, Page(8, "none", is_photo=True), _renumber(honor.page, 9)]
    return pages, agr, train


def test_volume_split_into_documents():
    pages, agr, train = _volume()
    ex = Extraction(file="张三/证明材料.pdf", sha256="cd" * 32, media="pdf", pages=pages)
    items = split_documents(ex, nominee="单位/01-张三")
    got = [(it.kind, it.pages) for it in items]
    assert got == [("catalog", [1]), ("patent_certificate", [2]), ("apprentice_agreement", [3, 4]),
                   ("unclassified", [5]), ("training_list", [6, 7]), ("photo", [8]),
                   ("honor_certificate", [9])]
    assert sorted(p for it in items for p in it.pages) == list(range(1, 10))   # nothing dropped
    agreement = items[2]
    assert agreement.value("master") == agr.expected["master"]
    assert agreement.value("start") == agr.expected["start"]
    assert agreement.value("sign_date") == agr.expected["sign_date"]      # on the second page
    assert agreement.value("signed") is True
    assert {s.page for s in agreement.fields["sign_date"].spans} == {4}
    rows = [{k: r[k] for k in ("name", "level", "date")} for r in items[4].value("rows")]
    assert rows == train.expected["rows"]                                   # both pages of the list
    assert items[3].value("blank") is True
    assert items[2].id == "cdcdcdcdcdcd:p3"


def test_photo_and_empty_pages():
    assert classify_page(Page(1, "none", is_photo=True)) == ("photo", 1.0)
    assert classify_page(Page(1, "ocr", lines=[])) == ("unclassified", 0.0)
    junk = Page(1, "ocr", lines=[Line("ABC123", (100, 100, 300, 140), 0.6), Line("~~", (100, 200, 140, 240), 0.3)],
                width=1654, height=2339)
    assert classify_page(junk)[0] == "unclassified"
    ex = Extraction(file="x.jpg", sha256="0" * 64, media="image", pages=[junk])
    items = split_documents(ex)
    assert [it.kind for it in items] == ["unclassified"]


def test_each_certificate_is_its_own_document():
    """Two certificates of one kind in a row stay two documents (each has its title)."""
    a = sample("honor_certificate", 1).page
    b = sample("honor_certificate", 2).page
    ex = Extraction(file="荣誉证书.pdf", sha256="1" * 64, media="pdf",
                    pages=[_renumber(a, 1), _renumber(b, 2)])
    assert [(it.kind, it.pages) for it in split_documents(ex)] == [("honor_certificate", [1]),
                                                                   ("honor_certificate", [2])]


def test_file_name_is_not_used():
    sm = sample("benefit_statement", 5)
    ex = Extraction(file="专利证书.pdf", sha256="2" * 64, media="pdf", pages=[sm.page])
    assert split_documents(ex)[0].kind == "benefit_statement"


def test_office_page_without_boxes():
    """A statement typed in Word (lines without geometry) is read by its labels and phrases."""
    text = ["经济效益证明", "兹证明，张建国同志主持完成的“空压机余热回收改造”项目，2019年度经财务部门核算：",
            "创造经济效益125,000.00元（大写：人民币壹拾贰万伍仟元整）；", "节约资金5.6万元（大写：伍万陆仟元整）。",
            "特此证明。", "开封空分集团有限公司", "2019年12月20日"]
    page = Page(1, "office", lines=[Line(t, None) for t in text])
    ex = Extraction(file="效益.docx", sha256="3" * 64, media="docx", pages=[page])
    it = split_documents(ex)[0]
    assert it.kind == "benefit_statement"
    assert it.value("person") == "张建国"
    assert it.value("project") == "空压机余热回收改造"
    assert it.value("year") == 2019
    assert str(it.value("created")) == "12.5" and str(it.value("created_capitals")) == "12.5"
    assert str(it.value("saved")) == "5.6" and str(it.value("saved_capitals")) == "5.6"
    assert it.value("issuer") == "开封空分集团有限公司"
    assert it.fields["created"].spans[0].box is None
