"""The approval form read by its labels from docx, xlsx and OCR-like lines."""
from __future__ import annotations

import datetime as dt
import math
import random
import re
from decimal import Decimal

import pytest

from audit.forms import norm_text, parse_approval_form, skew_angle, page_layouts
from extractors.base import Extraction, Line, Page
from tests.parse.formdata import ACHIEVEMENTS, VALUES, YEARS, approval_cells, redrawn_cells
from tests.parse.kit import (ocr_extraction, ocr_lines, office_reader, read_docx, read_xlsx, write_docx,
                             write_xlsx)

HEADER = ["开封工匠推荐审批表", "姓  名：张建国", "工作单位：开封市某某机械制造有限公司", "推荐单位：开封市总工会"]

EXPECT_FIELDS = {
    "name": "张建国", "gender": "男", "ethnicity": "汉族", "birth": dt.date(1985, 7, 1),
    "politics": "中共党员", "education": "大专", "skill_level": "高级技师", "title": "工程师",
    "specialty": "数控加工", "position": "班组长", "honors": VALUES["honors"],
    "id_number": "410203198507150034", "phone": "13803781234", "resume": VALUES["resume"],
    "awards_text": VALUES["awards_text"], "achievements": ACHIEVEMENTS,
}
EXPECT_COUNTS = {
    "projects": 3, "conversions": 1, "patents.invention": 2, "patents.utility_design": 4,
    "awards.national": 1, "awards.provincial": None, "awards.prefecture": 2, "awards.enterprise": 3,
    "promoted.senior_worker": 3, "promoted.technician": 2, "promoted.senior_technician": 1,
    "promoted.other": 0,
}
EXPECT_YEARS = {
    "benefit.created": {2018: Decimal("12.5"), 2019: Decimal(20), 2020: Decimal("31.2")},
    "benefit.saved": {2018: Decimal(2), 2019: Decimal("3.5"), 2020: Decimal(0)},
    "standards": {2018: 0, 2019: 1, 2020: None},
    "methods": {2018: 1, 2019: 0, 2020: 2},
    "apprentices": {2018: 2, 2019: 3, 2020: 4},
    "training": {2018: 120, 2019: 135, 2020: 150},
}


def squash(v):
    return re.sub(r"\s+", "", v) if isinstance(v, str) else v


def check_form(form, *, fields=EXPECT_FIELDS, counts=EXPECT_COUNTS, per_year=EXPECT_YEARS):
    assert form is not None
    got_f = {k: squash(form.fields[k].value) for k in fields if k in form.fields}
    assert got_f == {k: squash(v) for k, v in fields.items()}
    got_c = {k: form.counts[k].value for k in counts if k in form.counts}
    assert got_c == counts
    got_y = {k: {y: f.value for y, f in form.per_year.get(k, {}).items()} for k in per_year}
    assert got_y == per_year


# ---------------------------------------------------------------------------------------
# office files

def readers(kind):
    """Our minimal reader, and the project's office extractor when it is there."""
    out = [pytest.param(read_docx if kind == "docx" else read_xlsx, id="kit")]
    office = office_reader(kind)
    out.append(pytest.param(office, id="office", marks=pytest.mark.skipif(office is None,
                                                                         reason="extractors.office missing")))
    return out


@pytest.fixture(scope="module")
def notice_docx(tmp_path_factory):
    return write_docx(tmp_path_factory.mktemp("docx") / "审批表.docx", approval_cells(), paragraphs_before=HEADER)


@pytest.mark.parametrize("read", readers("docx"))
def test_docx_notice_layout(read, notice_docx):
    form, problems = parse_approval_form(read(notice_docx, "单位/张建国/审批表.docx"), years=YEARS)
    check_form(form)
    assert form.source == "docx"
    assert form.fields["employer"].value == "开封市某某机械制造有限公司"
    assert form.fields["unit"].value == "开封市总工会"
    assert problems == []
    # provenance: grid box of the value cell, the file and its hash
    sp = form.fields["id_number"].spans[0]
    assert sp.file == "单位/张建国/审批表.docx" and sp.page == 1 and sp.sha256
    assert sp.box == (1.0, 4.0, 5.0, 5.0)
    assert form.per_year["benefit.created"][2019].spans[0].box == (2.0, 12.0, 4.0, 13.0)


@pytest.mark.parametrize("read", readers("xlsx"))
def test_xlsx_notice_layout(read, tmp_path):
    p = write_xlsx(tmp_path / "审批表.xlsx", approval_cells())
    form, problems = parse_approval_form(read(p), years=YEARS)
    check_form(form)
    assert form.source == "xlsx"
    assert problems == []


@pytest.mark.parametrize("read", readers("docx"))
def test_docx_redrawn_by_another_unit(read, tmp_path):
    """Other label words (出生日期, 公民身份号码, 手机, 文化程度 …), a header row of labels over
    a row of values, years across a transposed benefit table, values with units."""
    p = write_docx(tmp_path / "b.docx", redrawn_cells(), paragraphs_before=["推荐单位：开封市总工会"])
    form, problems = parse_approval_form(read(p), years=YEARS)
    fields = {k: v for k, v in EXPECT_FIELDS.items() if k not in ("specialty", "awards_text")}
    check_form(form, fields=fields, counts={"patents.invention": 2, "patents.utility_design": 4},
               per_year={k: EXPECT_YEARS[k] for k in ("benefit.created", "benefit.saved")})
    assert "specialty" not in form.fields          # not on this form: absent, not empty
    assert form.fields["unit"].value == "开封市总工会"


@pytest.fixture(scope="module")
def empty_docx(tmp_path_factory):
    v = {k: ("" if isinstance(x, str) else x) for k, x in VALUES.items()}
    v.update({k: {y: "" for y in YEARS} for k in ("created", "saved", "standards", "methods", "apprentices", "training")})
    v["promoted"] = ["", "", "", ""]
    v.update(national="个", provincial="个", prefecture="个", enterprise="个", projects="项", conversions="项",
             invention="个", utility="个")
    return write_docx(tmp_path_factory.mktemp("empty") / "t.docx", approval_cells(v))


@pytest.mark.parametrize("read", readers("docx"))
def test_empty_template_gives_empty_facts(read, empty_docx):
    form, problems = parse_approval_form(read(empty_docx), years=YEARS)
    assert form is not None
    for k in ("name", "gender", "id_number", "resume", "achievements", "birth"):
        f = form.fields[k]
        assert f.value is None and f.raw == "" and f.empty and f.spans   # label found, nothing filled
    for k in EXPECT_COUNTS:
        assert form.counts[k].value is None, k
    for k in EXPECT_YEARS:
        assert {y: f.value for y, f in form.per_year[k].items()} == {y: None for y in YEARS}
    assert "employer" not in form.fields           # no header lines: label not found


def test_unreadable_values_and_conflicts(tmp_path):
    v = dict(VALUES, birth="不详", projects="若干")
    p = write_docx(tmp_path / "x.docx", approval_cells(v), paragraphs_before=["姓名：李四"])
    form, problems = parse_approval_form(read_docx(p), years=YEARS)
    assert form.fields["birth"].value is None and form.fields["birth"].raw == "不详"
    assert form.counts["projects"].value is None and form.counts["projects"].raw == "若干"
    assert any("出生年月" in p and "不详" in p for p in problems)
    assert any("课题成果" in p for p in problems)
    assert any("姓名" in p and "李四" in p for p in problems)       # two names on one form


def test_not_a_form(tmp_path):
    ex = Extraction(file="事迹材料.docx", sha256="x", media="docx", pages=[Page(
        page=1, source="office", lines=[Line("张建国同志先进事迹材料", (0, 0, 1, 1)),
                                        Line("该同志长期工作在数控加工一线，姓名不详。", (0, 1, 1, 2))])])
    assert parse_approval_form(ex, years=YEARS)[0] is None
    assert parse_approval_form(Extraction(file="e.pdf", sha256="x", media="pdf"), years=YEARS)[0] is None


def test_inline_labels_in_cells_and_paragraphs(tmp_path):
    """A unit that writes label and value into one cell (``姓名：张三``) and several labels on
    one paragraph line."""
    cells = [("姓名：张三", 0, 0, 1, 1), ("性别：女", 0, 1, 1, 1), ("民族：回族", 0, 2, 1, 1),
             ("出生年月：1990年3月", 1, 0, 1, 1), ("学历：本科", 1, 1, 1, 1), ("职称：", 1, 2, 1, 1),
             ("发明专利：3项", 2, 0, 1, 1), ("联系电话：138 0378 1234", 2, 1, 1, 1)]
    p = write_docx(tmp_path / "i.docx", cells,
                   paragraphs_before=["工作单位：开封某公司    推荐单位：祥符区总工会"])
    form, _ = parse_approval_form(read_docx(p), years=YEARS)
    assert form.value("name") == "张三" and form.value("gender") == "女"
    assert form.value("birth") == dt.date(1990, 3, 1)
    assert form.value("phone") == "13803781234"
    assert form.fields["title"].value is None
    assert form.value("employer") == "开封某公司" and form.value("unit") == "祥符区总工会"
    assert form.counts["patents.invention"].value == 3


# ---------------------------------------------------------------------------------------
# scans: OCR-like lines

def rotate(lines, deg, jitter=2.0, seed=1):
    """What a scanner's slight turn does to OCR boxes (axis-aligned boxes of turned text)."""
    rnd = random.Random(seed)
    a = math.radians(deg)
    out = []
    for l in lines:
        x0, y0, x1, y1 = l.box
        pts = [(x, y) for x in (x0, x1) for y in (y0, y1)]
        rp = [(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)) for x, y in pts]
        xs, ys = [p[0] for p in rp], [p[1] for p in rp]
        j = lambda: rnd.uniform(-jitter, jitter)  # noqa: E731
        out.append(Line(l.text, (min(xs) + j(), min(ys) + j(), max(xs) + j(), max(ys) + j()), l.confidence))
    return out


def scan_lines(*, align="center", deg=0.0, glue=("姓  名",), split_name=False):
    lines = ocr_lines(approval_cells(), align=align,
                      vertical=["技术\n创新", "培\n养\n人\n才", "经济\n效益\n(万元)", "受奖\n情况"],
                      glue=glue, noise={"2019": "2O19", "性  别": "性别：男"})
    lines = [l for l in lines if l.text != "男"]        # the value went into 性别：男
    if split_name:                                     # 姓  名 read as two lines
        out = []
        for l in lines:
            if l.text == "姓名":
                x0, y0, x1, y1 = l.box
                out += [Line("姓", (x0 - 20, y0, x0 + 14, y1)), Line("名", (x1 - 14, y0, x1 + 20, y1))]
            else:
                out.append(l)
        lines = out
    header = [Line("开封工匠推荐审批表", (700, 120, 1100, 170)), Line("姓名：张建国", (120, 220, 420, 254)),
              Line("工作单位：开封市某某机械制造有限公司", (480, 220, 1200, 254)),
              Line("推荐单位：开封市总工会", (1300, 220, 1700, 254))]
    return rotate(header + lines, deg) if deg else header + lines


@pytest.mark.parametrize("align,deg,glue,split", [
    ("center", 0.0, ("姓  名",), False),     # 姓名张建国 as one line
    ("left", 0.0, (), True),                 # 姓 / 名 as two lines
    ("center", 1.5, ("姓  名",), False),
    ("left", -2.5, (), True),
    ("center", 2.5, (), False),
])
def test_scan_lines(align, deg, glue, split):
    ex = ocr_extraction([scan_lines(align=align, deg=deg, glue=glue, split_name=split)])
    form, problems = parse_approval_form(ex, years=YEARS)
    check_form(form)
    assert form.source == "ocr"
    assert form.value("employer") == "开封市某某机械制造有限公司"
    assert form.value("unit") == "开封市总工会"
    assert problems == []
    # evidence boxes are the pixel boxes as read, not the deskewed ones
    f = form.fields["id_number"]
    assert f.confidence == pytest.approx(0.97)
    texts = {l.text: l.box for l in ex.pages[0].lines}
    assert f.spans[0].box == texts["410203198507150034"]


def test_scan_two_pages_and_text_layer():
    """A4 scan: the achievements and opinion boxes on page 2; a PDF text layer reads the same."""
    cells = approval_cells()
    top = [c for c in cells if c[1] < 17]
    bottom = [(t, r - 17, c, rs, cs) for t, r, c, rs, cs in cells if r >= 17]
    p1 = ocr_lines(top, vertical=["培\n养\n人\n才"])
    p2 = ocr_lines(bottom, vertical=["所在单位\n工会意见"])
    for source in ("ocr", "text-layer"):
        ex = ocr_extraction([p1, p2], source=source)
        form, problems = parse_approval_form(ex, years=YEARS)
        check_form(form)
        assert form.source == source
        assert form.fields["achievements"].spans[0].page == 2
        assert "同意推荐" not in form.value("achievements")


def test_scan_redrawn_form():
    lines = ocr_lines(redrawn_cells(), col_w=[220, 200, 200, 200, 300])
    form, _ = parse_approval_form(ocr_extraction([lines]), years=YEARS)
    fields = {k: v for k, v in EXPECT_FIELDS.items() if k not in ("specialty", "awards_text")}
    check_form(form, fields=fields, counts={"patents.invention": 2, "patents.utility_design": 4},
               per_year={k: EXPECT_YEARS[k] for k in ("benefit.created", "benefit.saved")})


def test_scan_fuzzy_label_and_no_group_headers():
    """One wrong character in a long label (OCR), and a form without the 技术等级提升 header:
    高级技师 next to 技术等级 is a value, not a label."""
    cells = [("姓名", 0, 0, 1, 1), ("王五", 0, 1, 1, 1), ("性别", 0, 2, 1, 1), ("男", 0, 3, 1, 1),
             ("出生年日", 1, 0, 1, 1), ("1970.01", 1, 1, 1, 1), ("民族", 1, 2, 1, 1), ("汉", 1, 3, 1, 1),
             ("技术等级", 2, 0, 1, 1), ("高级技师", 2, 1, 1, 1), ("政治面貌", 2, 2, 1, 1), ("群众", 2, 3, 1, 1),
             ("身份证号玛", 3, 0, 1, 1), ("410203197001010011", 3, 1, 1, 3)]
    form, _ = parse_approval_form(ocr_extraction([ocr_lines(cells, col_w=250)]), years=YEARS)
    assert form.value("birth") == dt.date(1970, 1, 1)
    assert form.value("skill_level") == "高级技师"
    assert form.value("id_number") == "410203197001010011"
    assert "promoted.senior_technician" not in form.counts


def test_skew_angle_estimate():
    lines = ocr_lines(approval_cells())
    for deg in (-2.0, 0.0, 1.2):
        ex = ocr_extraction([rotate(lines, deg, jitter=0)])
        from audit.forms import Item
        items = [Item(text=l.text, box=l.box, page=1) for l in ex.pages[0].lines]
        assert skew_angle(items) == pytest.approx(deg, abs=0.25)


def test_norm_text():
    assert norm_text("姓  名：") == "姓名:"
    assert norm_text("实用新型／外观") == "实用新型/外观"
    assert norm_text("身份证号*") == "身份证号"


def test_layouts_of_office_pages_keep_grid_boxes(tmp_path):
    p = write_docx(tmp_path / "two.docx", [("姓名", 0, 0, 1, 1), ("张三", 0, 1, 1, 1)])
    ex = read_docx(p)
    ex.pages[0].tables.append(ex.pages[0].tables[0])          # a second table on the page
    lay = page_layouts(ex)[0]
    assert lay.grid and len(lay.items) == 4
    assert lay.items[2].box[1] > lay.items[0].box[3]            # stacked below the first
    assert lay.items[2].span_box == lay.items[0].span_box        # cited by its own grid box


def test_scan_tall_cells_centred_labels_top_aligned_values():
    """As Word prints a filled form: labels centred in tall cells (个/人/简/历 one character a
    line, 主要/业绩/(800字/以内)), values typed at the top of their cells, a lone '无' at the top
    of the awards cell just under the resume cell."""
    resume = "\n".join(f"{2000 + 2 * i}.01—{2001 + 2 * i}.12 开封某机械公司 岗位{i}" for i in range(5))
    v = dict(VALUES, resume=resume, awards_text="无")
    cells = []
    for t, r, c, rs, cs in approval_cells(v):
        if t == "主要业绩":
            t = "主要\n业绩\n(800字\n以内)"
        if t.startswith("(800字以内)\n"):
            t = t.split("\n", 1)[1]
        if t.startswith("(从参加工作起填起"):
            t = t.split("\n", 1)[1]
        cells.append((t, r, c, rs, cs))
    value_texts = [resume, "无", v["honors"], ACHIEVEMENTS]
    lines = ocr_lines(cells, top=value_texts, vertical=["个人\n简历", "受奖\n情况"],
                      min_lines={resume: 14, "无": 9, ACHIEVEMENTS: 10})
    for deg in (0.0, 1.0):
        form, problems = parse_approval_form(ocr_extraction([rotate(lines, deg) if deg else lines]), years=YEARS)
        check_form(form, fields=dict(EXPECT_FIELDS, resume=resume, awards_text="无"))
        assert problems == []


def test_value_starting_with_a_label_word(tmp_path):
    """专业特长 '民族乐器制作' starts with the label 民族; it stays the value of 专业特长."""
    cells = [("姓名", 0, 0, 1, 1), ("张三", 0, 1, 1, 1), ("民族", 0, 2, 1, 1), ("汉族", 0, 3, 1, 1),
             ("专业特长", 1, 0, 1, 1), ("民族乐器制作", 1, 1, 1, 3), ("性别", 2, 0, 1, 1), ("男", 2, 1, 1, 1),
             ("学历", 2, 2, 1, 1), ("高中", 2, 3, 1, 1), ("职务", 3, 0, 1, 1), ("技术员", 3, 1, 1, 1)]
    for ex in (read_xlsx(write_xlsx(tmp_path / "v.xlsx", cells)), ocr_extraction([ocr_lines(cells, col_w=260)])):
        form, problems = parse_approval_form(ex, years=YEARS)
        assert form.value("specialty") == "民族乐器制作" and form.value("ethnicity") == "汉族"
        assert problems == []


def test_empty_year_cell_does_not_read_the_row_below(tmp_path):
    """xlsx leaves empty cells out: an empty 2020 training cell must not read the achievements
    text of the next row (a wide cell under it)."""
    v = dict(VALUES, training={2018: "120", 2019: "135", 2020: ""})
    form, _ = parse_approval_form(read_xlsx_sparse(write_xlsx(tmp_path / "s.xlsx", approval_cells(v))), years=YEARS)
    assert form.per_year["training"][2020].value is None
    assert squash(form.value("achievements")) == squash(ACHIEVEMENTS)


def read_xlsx_sparse(path):
    """An xlsx read the way the office extractor does: empty cells are not cells."""
    ex = read_xlsx(path)
    for p in ex.pages:
        for t in p.tables:
            t.cells = [c for c in t.cells if c.text.strip()]
    return ex


def test_patents_counted_apart_and_labels_with_notes(tmp_path):
    """Another unit's form: 实用新型 and 外观设计 on rows of their own (summed into
    实用新型/外观), labels carrying notes (身份证号码（18位）, 学历（学位）)."""
    cells = [("姓名", 0, 0, 1, 1), ("张三", 0, 1, 1, 1), ("性别", 0, 2, 1, 1), ("男", 0, 3, 1, 1),
             ("身份证号码（18位）", 1, 0, 1, 1), ("410203197001010011", 1, 1, 1, 3),
             ("学历（学位）", 2, 0, 1, 1), ("本科（学士）", 2, 1, 1, 1), ("民族", 2, 2, 1, 1), ("汉族", 2, 3, 1, 1),
             ("专利数量", 3, 0, 3, 1), ("发明专利", 3, 1, 1, 1), ("1", 3, 2, 1, 1),
             ("实用新型", 4, 1, 1, 1), ("3件", 4, 2, 1, 1), ("外观设计", 5, 1, 1, 1), ("2", 5, 2, 1, 1)]
    form, problems = parse_approval_form(read_xlsx(write_xlsx(tmp_path / "p.xlsx", cells)), years=YEARS)
    assert form.value("id_number") == "410203197001010011"
    assert form.value("education") == "本科（学士）"
    assert form.counts["patents.invention"].value == 1
    assert form.counts["patents.utility_design"].value == 5
    assert len(form.counts["patents.utility_design"].spans) == 2
