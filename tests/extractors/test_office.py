"""docx / xlsx / pptx / txt / csv, and the old formats we refuse."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from extractors.base import Cell
from extractors.dispatch import extract_file
from extractors.office import display_value, extract_docx, extract_pptx, extract_text, extract_xlsx
from tests.extractors.makers import ExplodingEngine, opts, sha, write


def _docx_form() -> bytes:
    import docx
    d = docx.Document()
    d.add_paragraph("开封工匠推荐审批表")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).text = "姓  名"
    t.cell(0, 1).text = "张建国"
    t.cell(0, 2).text = "照片"
    t.cell(0, 2).merge(t.cell(1, 3))  # 2 × 2 block
    t.cell(1, 0).text = "性别"
    t.cell(1, 1).text = "男"
    a = t.cell(2, 0).merge(t.cell(2, 1))
    a.text = "主要业绩"
    t.cell(2, 2).text = "完成技术革新12项"
    d.add_paragraph("")
    d.add_paragraph("推荐单位意见：同意推荐")
    d.core_properties.author = "张三"
    d.core_properties.last_modified_by = "李四"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_order_with_merged_cells_once():
    data = _docx_form()
    ex = extract_docx(data, sha(data))
    assert ex.ok and ex.media == "docx" and len(ex.pages) == 1
    page = ex.pages[0]
    assert page.source == "office"
    cells = sorted(page.tables[0].cells, key=lambda c: (c.row, c.col))
    assert cells == [
        Cell("姓  名", 0, 0), Cell("张建国", 0, 1), Cell("照片", 0, 2, rowspan=2, colspan=2),
        Cell("性别", 1, 0), Cell("男", 1, 1),
        Cell("主要业绩", 2, 0, colspan=2), Cell("完成技术革新12项", 2, 2),
        Cell("", 2, 3)]  # empty cells of a Word table are kept: an unfilled field
    texts = [l.text for l in page.lines]
    assert texts == ["开封工匠推荐审批表", "姓  名", "张建国", "照片", "性别", "男", "主要业绩",
                     "完成技术革新12项", "推荐单位意见：同意推荐"]
    boxes = {l.text: l.box for l in page.lines}
    assert boxes["照片"] == (2, 0, 4, 2)  # (col, row, col + colspan, row + rowspan)
    assert boxes["开封工匠推荐审批表"] == (0, 0, 1, 1)
    assert boxes["推荐单位意见：同意推荐"] == (0, 2, 1, 3)  # 3rd body paragraph (one empty)
    assert ex.metadata["author"] == "张三" and ex.metadata["last_modified_by"] == "李四"


def _xlsx() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    ws["A1"] = "开封工匠推荐人选基本情况汇总表"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "序号", "姓名", "创效（万元）", "日期"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = 1.0, "张建国", 45.6, dt.datetime(2020, 12, 31)
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = 2, "李四", 12.0, dt.datetime(2020, 6, 1, 9, 30)
    ws["E3"] = 0.25
    ws["E3"].number_format = "0%"
    ws.merge_cells("F2:F4")
    ws["F2"] = "备注"
    ws2 = wb.create_sheet("第二页")
    ws2["B2"] = "另一张表"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_merged_cells_and_display_values():
    data = _xlsx()
    ex = extract_xlsx(data, sha(data))
    assert ex.ok and [p.page for p in ex.pages] == [1, 2]
    assert ex.metadata["sheets"] == ["汇总表", "第二页"]
    t = ex.pages[0].tables[0]
    assert t.name == "汇总表"
    got = {(c.row, c.col): c for c in t.cells}
    assert got[(0, 0)] == Cell("开封工匠推荐人选基本情况汇总表", 0, 0, rowspan=1, colspan=4)
    assert got[(2, 0)].text == "1" and got[(3, 0)].text == "2"
    assert got[(2, 2)].text == "45.6" and got[(3, 2)].text == "12"
    assert got[(2, 3)].text == "2020-12-31" and got[(3, 3)].text == "2020-06-01 09:30:00"
    assert got[(2, 4)].text == "25%"
    assert got[(1, 5)] == Cell("备注", 1, 5, rowspan=3, colspan=1)
    assert ex.pages[0].lines[0].box == (0, 0, 4, 1)
    assert ex.pages[1].lines[0].text == "另一张表" and ex.pages[1].lines[0].box == (1, 1, 2, 2)


def test_display_value():
    assert display_value(3.0) == "3" and display_value(0.1 + 0.2) == "0.3"
    assert display_value(410203198507150031) == "410203198507150031"
    assert display_value(dt.date(2020, 1, 2)) == "2020-01-02"
    assert display_value(None) == "" and display_value(True) == "TRUE"


def _pptx() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches
    prs = Presentation()
    for title, body in [("个人事迹", "从业二十年，完成技术革新12项"), ("主要成果", "获得发明专利2项")]:
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = title
        s.placeholders[1].text = body
    s = prs.slides[1]
    tbl = s.shapes.add_table(2, 2, Inches(1), Inches(5), Inches(4), Inches(1)).table
    tbl.cell(0, 0).text = "年度"
    tbl.cell(0, 1).text = "创效"
    tbl.cell(1, 0).merge(tbl.cell(1, 1))
    tbl.cell(1, 0).text = "合计"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def test_pptx_one_page_per_slide():
    data = _pptx()
    ex = extract_pptx(data, sha(data))
    assert [p.page for p in ex.pages] == [1, 2]
    assert ex.pages[0].text == "个人事迹\n从业二十年，完成技术革新12项"
    assert "获得发明专利2项" in ex.pages[1].text
    cells = ex.pages[1].tables[0].cells
    assert Cell("合计", 1, 0, rowspan=1, colspan=2) in cells and len(cells) == 3


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gb18030"])
def test_txt_encodings(enc):
    text = "事迹材料\n张建国，男，1985年7月出生。\n\n从事数控车工二十年。"
    ex = extract_text(text.encode(enc), "s")
    assert [l.text for l in ex.pages[0].lines] == ["事迹材料", "张建国，男，1985年7月出生。",
                                                    "从事数控车工二十年。"]
    assert ex.pages[0].lines[2].box == (0, 3, 1, 4)


def test_csv_as_table(tmp_path):
    data = "推荐单位,收件日期\n开封市总工会,2021-06-10\n某某公司,2021-06-12\n".encode("gb18030")
    ex = extract_file(write(tmp_path, "收件登记.csv", data), "收件登记.csv", sha(data),
                      ocr=opts(ExplodingEngine()))
    assert ex.media == "csv" and ex.ok
    cells = {(c.row, c.col): c.text for c in ex.pages[0].tables[0].cells}
    assert cells[(0, 0)] == "推荐单位" and cells[(2, 1)] == "2021-06-12"


@pytest.mark.parametrize("name", ["审批表.doc", "汇总表.xls", "事迹.wps"])
def test_old_office_formats_are_unsupported(tmp_path, name):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    ex = extract_file(write(tmp_path, name, data), name, sha(data), ocr=opts(ExplodingEngine()))
    assert not ex.ok and [p.reason for p in ex.problems] == ["unsupported"]
    assert "另存为" in ex.problems[0].message


def test_password_protected_office_file(tmp_path):
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 +
            "EncryptionInfo".encode("utf-16-le") + b"\x00" * 200)
    ex = extract_file(write(tmp_path, "审批表.docx", data), "审批表.docx", sha(data),
                      ocr=opts(ExplodingEngine()))
    assert [p.reason for p in ex.problems][0] == "encrypted"


def test_corrupt_docx(tmp_path):
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<broken")
        z.writestr("word/document.xml", "<not xml")
    data = buf.getvalue()
    ex = extract_file(write(tmp_path, "a.docx", data), "a.docx", sha(data), ocr=opts(ExplodingEngine()))
    assert ex.media == "docx" and not ex.ok and ex.problems[0].reason == "corrupt"
    assert ex.problems[0].message.startswith("Word 文件损坏")


def test_xlsx_named_docx_is_read_as_xlsx_and_flagged(tmp_path):
    data = _xlsx()
    ex = extract_file(write(tmp_path, "审批表.docx", data), "审批表.docx", sha(data),
                      ocr=opts(ExplodingEngine()))
    assert ex.media == "xlsx" and ex.pages
    assert [p.reason for p in ex.problems] == ["mislabelled"]
