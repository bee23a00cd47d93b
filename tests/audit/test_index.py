"""The audit's index and ``dossier search`` over it (issue 7, item 4): names, ID numbers on a
masked index, patent and certificate numbers in several spellings, amounts compared as
numbers, page images by perceptual hash, and the folder that is not an audit's output."""
from __future__ import annotations

import random
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw

from audit.errors import UsageError
from audit.index import (AMOUNT, IMAGE, INDEX_NAME, NUMBER, TEXT, compact, index_path, normalize, search,
                         search_image, sensitive_numbers, write_index)
from audit.model import AuditContext, DeclaredForm, EvidenceItem, Fact, FileRecord, Nominee, Span, Unit
from extractors.base import Extraction, Line, Page
from extractors.ocr import page_image_hashes

ID = "410225196704027351"
MOBILE = "13812345678"
UNIT_A, UNIT_B = "开封市兰考县总工会", "开封市尉氏县总工会"
FILE_A = f"{UNIT_A}/01-张三/证明材料.pdf"
FORM_A = f"{UNIT_A}/01-张三/审批表.docx"
FILE_B = f"{UNIT_B}/01-李四/佐证材料.pdf"


def page_image(seed: int) -> Image.Image:
    """A page of black "text" bars and boxes, different for each seed."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(img)
    y = 150
    while y < 1600:
        x = 120 + rnd.randrange(0, 200)
        while x < 1100:
            w = rnd.randrange(20, 160)
            d.rectangle([x, y, min(1120, x + w), y + rnd.randrange(18, 34)], fill="black")
            x += w + rnd.randrange(15, 60)
        y += rnd.randrange(45, 110)
    for _ in range(4):
        x0, y0 = rnd.randrange(100, 900), rnd.randrange(100, 1400)
        d.rectangle([x0, y0, x0 + rnd.randrange(100, 300), y0 + rnd.randrange(80, 300)], outline="black", width=6)
    return img


def ocr_page(no: int, texts: list[str], image: Image.Image | None = None) -> Page:
    lines = [Line(t, (100.0, 100.0 + 60 * i, 900.0, 140.0 + 60 * i), 0.95) for i, t in enumerate(texts)]
    p = Page(page=no, source="ocr", lines=lines, width=1240, height=1754, dpi=150)
    if image is not None:
        p.phash, p.dhash, p.ink_box = page_image_hashes(image)
    return p


def fact(value, file: str, page: int, line: int, text: str) -> Fact:
    return Fact(value, raw=text, spans=[Span(file, page, (100.0, 100.0 + 60 * line, 900.0, 140.0 + 60 * line), text)])


def small_result() -> SimpleNamespace:
    """Two nominees of two units: a skill certificate with an ID number and a phone, a patent,
    a benefit statement and a form cell with the same amount; the patent appears again with
    the other nominee, printed differently."""
    a_pages = [
        ocr_page(1, ["职业技能等级证书", "姓名：张三", f"公民身份号码：{ID}", f"联系电话：{MOBILE}",
                     "证书编号：S000041000011003045"], page_image(1)),
        ocr_page(2, ["实用新型专利证书", "专利号：ZL 2018 1 4048706.9", "发明人：张三；李四"], page_image(2)),
        ocr_page(3, ["经济效益证明", "创造经济效益23.15万元", "大写：人民币贰拾叁万壹仟伍佰元整",
                     "节约资金12万元"]),
    ]
    form_page = Page(page=1, source="office", lines=[
        Line("姓名", (0, 1, 1, 2)), Line("张三", (1, 1, 2, 2)), Line("身份证号", (0, 2, 1, 3)),
        Line(ID, (1, 2, 2, 3)), Line("创效（万元）", (0, 3, 1, 4)), Line("23.15", (1, 3, 2, 4))])
    b_pages = [ocr_page(1, ["发明专利证书", "专利号：ZL201814048706.9", "姓名：李四", "联系电话：0371-25665219"],
                        page_image(3))]
    ex = {FILE_A: Extraction(FILE_A, "a" * 64, "pdf", a_pages), FORM_A: Extraction(FORM_A, "c" * 64, "docx", [form_page]),
          FILE_B: Extraction(FILE_B, "b" * 64, "pdf", b_pages)}
    fa = FileRecord(FILE_A, "a" * 64, 1, FILE_A, unit=UNIT_A, nominee=f"{UNIT_A}/01-张三", role="evidence")
    ff = FileRecord(FORM_A, "c" * 64, 1, FORM_A, unit=UNIT_A, nominee=f"{UNIT_A}/01-张三", role="form")
    fb = FileRecord(FILE_B, "b" * 64, 1, FILE_B, unit=UNIT_B, nominee=f"{UNIT_B}/01-李四", role="evidence")
    zhang = Nominee(UNIT_A, "张三", f"{UNIT_A}/01-张三", files=[fa, ff])
    zhang.evidence = [
        EvidenceItem("a:p1", "skill_certificate", FILE_A, "a" * 64, [1], fields={
            "holder": fact("张三", FILE_A, 1, 1, "姓名：张三"),
            "id_number": fact(ID, FILE_A, 1, 2, f"公民身份号码：{ID}"),
            "number": fact("S000041000011003045", FILE_A, 1, 4, "证书编号：S000041000011003045")}),
        EvidenceItem("a:p2", "patent_certificate", FILE_A, "a" * 64, [2], fields={
            "number": fact("201814048706.9", FILE_A, 2, 1, "专利号：ZL 2018 1 4048706.9"),
            "inventors": fact(["张三", "李四"], FILE_A, 2, 2, "发明人：张三；李四")}),
        EvidenceItem("a:p3", "benefit_statement", FILE_A, "a" * 64, [3], fields={
            "created": fact(Decimal("23.15"), FILE_A, 3, 1, "创造经济效益23.15万元")}),
    ]
    zhang.forms = [DeclaredForm(FORM_A, fields={"name": Fact("张三", "张三", [Span(FORM_A, 1, (1, 1, 2, 2), "张三")])},
                                per_year={"benefit.created": {2020: Fact(Decimal("23.15"), "23.15",
                                                                         [Span(FORM_A, 1, (1, 3, 2, 4), "23.15")])}})]
    li = Nominee(UNIT_B, "李四", f"{UNIT_B}/01-李四", files=[fb])
    li.evidence = [EvidenceItem("b:p1", "patent_certificate", FILE_B, "b" * 64, [1], fields={
        "number": fact("201814048706.9", FILE_B, 1, 1, "专利号：ZL201814048706.9")})]
    ctx = AuditContext(profile=None, units=[Unit(UNIT_A, UNIT_A, nominees=[zhang]), Unit(UNIT_B, UNIT_B, nominees=[li])],
                       files=[fa, ff, fb])
    return SimpleNamespace(run_id="r0001", batch="/batch", tool_version="test", ctx=ctx, extractions=ex)


@pytest.fixture
def out(tmp_path) -> Path:
    o = tmp_path / "out"
    write_index(small_result(), o / INDEX_NAME)
    return o


def places(hits: list[dict]) -> set[tuple[str, int]]:
    return {(h["file"], h["page"]) for h in hits}


def test_normalise_both_sides_the_same_way():
    assert normalize("ＺＬ 2O18 1 4048706.9") == "ZL201814048706.9"
    assert normalize("zl2018l4048706.9") == "ZL201814048706.9"      # the l of zl stays a letter
    assert compact("ZL 2018 1 4048706.9") == compact("ZL201814048706.9") == "ZL2018140487069"
    assert normalize("张 三") == "张三"


def test_name_found_with_place_unit_and_nominee(out):
    hits = search(out, "李四")
    assert places(hits) == {(FILE_A, 2), (FILE_B, 1)}
    b = next(h for h in hits if h["file"] == FILE_B)
    assert b == {"file": FILE_B, "page": 1, "box": [100.0, 220.0, 900.0, 260.0], "text": "姓名：李四",
                 "unit": UNIT_B, "nominee": "李四", "document": "专利证书", "kind": TEXT, "distance": None}
    assert {h["nominee"] for h in search(out, "张三")} == {"张三"}
    assert search(out, "王五") == []


def test_full_id_number_found_on_a_masked_index(out):
    hits = search(out, ID)
    assert places(hits) == {(FILE_A, 1), (FORM_A, 1)}
    assert {h["kind"] for h in hits} == {NUMBER}
    assert {h["text"] for h in hits} == {"公民身份号码：410225********7351", "410225********7351"}
    # typed with spaces, or as OCR misread it
    assert places(search(out, "4102 2519 6704 0273 51")) == places(hits)
    assert places(search(out, "4102251967O4027351")) == places(hits)
    # another ID with the same visible digits is not this one
    assert search(out, "410225198001017351") == []


def test_phone_numbers_found_on_a_masked_index(out):
    assert places(search(out, "138-1234-5678")) == {(FILE_A, 1)}
    assert places(search(out, "0371-25665219")) == {(FILE_B, 1)}
    assert places(search(out, "25665219")) == {(FILE_B, 1)}
    assert search(out, "13812345679") == []


def test_no_full_id_or_phone_anywhere_in_a_masked_index(out):
    queries = [ID, "张三", "李四", "公民身份号码", "联系电话", "4102", MOBILE, "专利号"]
    texts = [h["text"] for q in queries for h in search(out, q)]
    assert texts and not any(ID in t or MOBILE in t or "25665219" in t for t in texts)
    raw = (out / INDEX_NAME).read_bytes()
    for secret in (ID, MOBILE, "25665219", "196704027"):
        assert secret.encode() not in raw
    con = sqlite3.connect(out / INDEX_NAME)
    assert con.execute("SELECT masked FROM meta").fetchone() == (1,)
    cells = [str(v) for t in ("lines", "facts", "pages") for row in con.execute(f"SELECT * FROM {t}") for v in row]
    assert not any(re.search(r"196704027|12345678|25665219", c) for c in cells)


def test_unmasked_index_keeps_the_text_as_read(tmp_path):
    write_index(small_result(), tmp_path / INDEX_NAME, masked=False)
    hits = search(tmp_path, ID)
    assert f"公民身份号码：{ID}" in {h["text"] for h in hits}
    assert places(hits) == {(FILE_A, 1), (FORM_A, 1)}


@pytest.mark.parametrize("query", ["ZL 2018 1 4048706.9", "201814048706.9", "ZL201814048706.9",
                                   "2018 1 4048706.9", "ＺＬ２０１８１４０４８７０６．９"])
def test_patent_number_in_any_spelling(out, query):
    hits = search(out, query)
    assert places(hits) == {(FILE_A, 2), (FILE_B, 1)}
    assert {h["kind"] for h in hits} == {NUMBER}


def test_certificate_number(out):
    assert places(search(out, "S000041000011003045")) == {(FILE_A, 1)}
    assert places(search(out, "s0000 4100 0011 0030 45")) == {(FILE_A, 1)}
    assert search(out, "S000041000011003046") == []


@pytest.mark.parametrize("query", ["23.15万元", "231500元", "贰拾叁万壹仟伍佰元整", "￥231,500.00"])
def test_amount_in_any_spelling(out, query):
    hits = search(out, query)
    amounts = {(h["file"], h["page"], h["text"]) for h in hits if h["kind"] == AMOUNT}
    assert amounts == {(FILE_A, 3, "创造经济效益23.15万元"), (FILE_A, 3, "大写：人民币贰拾叁万壹仟伍佰元整"),
                       (FORM_A, 1, "23.15")}
    assert not any("12万元" in h["text"] for h in hits)
    assert places(search(out, "120000元")) == {(FILE_A, 3)}


def test_image_of_a_page_found_and_an_unrelated_image_not(out, tmp_path):
    shot = page_image(1)                 # page 1 of FILE_A, saved smaller as a JPEG
    shot = shot.resize((shot.width // 2, shot.height // 2))
    shot.save(tmp_path / "scan.jpg", quality=85)
    hits = search_image(out, tmp_path / "scan.jpg")
    assert hits and (hits[0]["file"], hits[0]["page"]) == (FILE_A, 1)
    assert hits[0]["kind"] == IMAGE and hits[0]["distance"] <= 4
    assert hits[0]["text"] == "职业技能等级证书" and hits[0]["nominee"] == "张三"
    assert hits[0]["box"] == [float(v) for v in page_image_hashes(page_image(1))[2]]
    assert [h["distance"] for h in hits] == sorted(h["distance"] for h in hits)
    page_image(99).save(tmp_path / "other.png")
    assert search_image(out, tmp_path / "other.png") == []


def test_image_that_cannot_be_compared(out, tmp_path):
    Image.new("RGB", (800, 1000), "white").save(tmp_path / "blank.png")
    with pytest.raises(UsageError, match="空白"):
        search_image(out, tmp_path / "blank.png")
    (tmp_path / "not.jpg").write_bytes(b"not an image")
    with pytest.raises(UsageError, match="无法读取图片"):
        search_image(out, tmp_path / "not.jpg")


def test_index_path_takes_the_output_folder_or_the_file(out, tmp_path):
    assert index_path(out) == out / INDEX_NAME
    assert index_path(out / INDEX_NAME) == out / INDEX_NAME
    (tmp_path / "batch").mkdir()
    with pytest.raises(UsageError) as e:
        index_path(tmp_path / "batch")
    assert "审核结果文件夹" in str(e.value) and e.value.exit_code == 2
    with pytest.raises(UsageError, match="找不到审核结果"):
        search(tmp_path / "nowhere", "张三")
    (tmp_path / "notes.txt").write_text("张三", "utf-8")
    with pytest.raises(UsageError, match="不是审核索引"):
        search(tmp_path / "notes.txt", "张三")


def test_a_database_that_is_not_an_index_is_refused(tmp_path):
    sqlite3.connect(tmp_path / INDEX_NAME).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(UsageError, match="不是本工具写的审核索引"):
        search(tmp_path, "张三")


def test_empty_query_is_refused(out):
    with pytest.raises(UsageError, match="没有给出要查找的内容"):
        search(out, "  ")


def test_writing_again_replaces_the_index(out):
    write_index(small_result(), out / INDEX_NAME)
    assert [p.name for p in out.iterdir()] == [INDEX_NAME]
    assert places(search(out, "李四", limit=1)) <= {(FILE_A, 2), (FILE_B, 1)}
    assert len(search(out, "李四", limit=1)) == 1


def test_sensitive_numbers_are_the_whole_numbers_masking_hides():
    assert sensitive_numbers(f"身份证号：{ID}，手机 138-1234-5678") == [("id", ID), ("phone", MOBILE)]
    assert ("phone", "25665219") in sensitive_numbers("电话：0371-25665219")
    assert sensitive_numbers("统一社会信用代码 91410200MA44XXXX1X 专利号 ZL201814048706.9") == []


@pytest.mark.slow
def test_search_a_generated_batch(tmp_path):
    """Seed 1 audited with the replay engine: names, ID numbers, patents, amounts, images."""
    from audit.pipeline import AuditOptions, run_audit
    from audit.profile import load_profile
    from audit.sample.batch import generate
    generate(tmp_path, 1)
    batch = tmp_path / "batch"
    result = run_audit(batch, load_profile(None, batch),
                       AuditOptions(ocr=f"replay:{tmp_path / 'ocr-truth.json'}", jobs=1, strict=True))
    out = tmp_path / "out"
    write_index(result, out / INDEX_NAME)
    raw = (out / INDEX_NAME).read_bytes()
    noms = result.ctx.nominees
    for n in noms:
        assert any(h["nominee"] == n.name for h in search(out, n.name)), n.name
    ids = {f.value for n in noms for it in n.evidence for k, f in it.fields.items() if k == "id_number" and f.value}
    assert ids
    for i in ids:
        hits = search(out, i)
        assert hits and all(i not in h["text"] for h in hits) and i.encode() not in raw
    patents = [(n, it) for n in noms for it in n.evidence if it.kind == "patent_certificate" and it.value("number")]
    assert patents
    for n, it in patents:
        num = it.value("number")
        for q in (num, "ZL" + num, f"ZL {num[:4]} {num[4]} {num[5:]}"):
            assert (it.file, it.pages[0]) in places(search(out, q)), q
    benefits = [it for n in noms for it in n.evidence if it.kind == "benefit_statement" and it.value("created")]
    assert benefits
    for it in benefits:
        wan = it.value("created")
        for q in (f"{wan}万元", f"{wan * 10000}元"):
            assert (it.file, it.pages[0]) in places(search(out, q)), q
    scans = [(f, p) for f, e in result.extractions.items() for p in e.pages
             if p.phash and "!" not in f and f.lower().endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff"))]
    assert scans
    f, p = scans[0]
    near = search_image(out, batch / f)
    assert near and (near[0]["file"], near[0]["page"]) == (f, p.page) and near[0]["distance"] <= 4
