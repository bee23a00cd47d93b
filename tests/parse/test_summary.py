"""The summary table (attachment 2) from xlsx, docx and OCR-like lines."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from audit.summary import parse_summary_table
from extractors.base import Line
from tests.parse.kit import ocr_extraction, ocr_lines, office_reader, read_docx, read_xlsx, write_docx, write_xlsx
from tests.parse.summarydata import GROUPS, ROWS, SINGLES_AFTER, SINGLES_BEFORE, summary_cells
from tests.parse.test_forms import rotate

YEARS = [2018, 2019, 2020]
WIDTHS = [60, 110, 300, 200] + [62] * 24 + [200]


def expected(row: dict, keys=None) -> dict:
    """Declared values as the parser must give them (None for an empty cell)."""
    out = {}
    for k, v in row.items():
        if keys is not None and k not in keys:
            continue
        v = v.strip()
        if k in ("seq",):
            out[k] = int(v)
        elif k == "name":
            out[k] = v.replace(" ", "")
        elif k in ("employer_position", "level_title", "remark", "category"):
            out[k] = v or None
        elif k.startswith("benefit."):
            out[k] = Decimal(v) if v else None
        else:
            out[k] = None if v == "" else (0 if v in ("—", "无", "0") else int(v))
    return out


def got(row, keys, squash_text=False) -> dict:
    out = {}
    for k in keys:
        v = row.value(k)
        if squash_text and isinstance(v, str):
            v = v.replace(" ", "").replace("\n", "")
        out[k] = v
    return out


def check(table, rows=ROWS, squash_text=False, keys=None):
    assert table is not None
    assert len(table.rows) == len(rows)
    for r, want in zip(table.rows, rows):
        exp = expected(want, keys)
        if squash_text:
            exp = {k: (v.replace(" ", "") if isinstance(v, str) else v) for k, v in exp.items()}
        assert got(r, exp.keys(), squash_text) == exp


OFFICE_XLSX = office_reader("xlsx")


@pytest.mark.parametrize("read", [pytest.param(read_xlsx, id="kit"), pytest.param(
    OFFICE_XLSX, id="office", marks=pytest.mark.skipif(OFFICE_XLSX is None, reason="extractors.office missing"))])
def test_xlsx_with_title_and_unit_rows(read, tmp_path):
    t = parse_summary_table(read(write_xlsx(tmp_path / "汇总表.xlsx", summary_cells()), "汇总表.xlsx"), years=YEARS)
    check(t)
    assert t.source == "xlsx" and t.problems == []
    assert t.unit_name.value == "开封市祥符区总工会"
    assert t.date.value == dt.date(2021, 6, 8)
    r1 = t.rows[0]
    assert r1.row == 1 and r1.file == "汇总表.xlsx"
    # every column of the notice resolved, empty cells are None (not 0), '—' is 0
    assert r1.values["competition.national"].value is None and r1.values["competition.national"].raw == ""
    assert r1.value("media.provincial") == 0
    assert r1.values["benefit.2019"].spans[0].box[1] == 4        # 0-based grid row of the first data row
    keys = set(r1.values)
    assert {"competition.enterprise", "innovation.national", "patents.utility", "standards.provincial",
            "benefit.2019", "apprentices.2020", "media.provincial", "remark"} <= keys


def test_docx_summary(tmp_path):
    t = parse_summary_table(read_docx(write_docx(tmp_path / "s.docx", summary_cells(title=False))), years=YEARS)
    check(t)
    assert t.source == "docx"


def test_columns_reordered_missing_and_category(tmp_path):
    groups = [GROUPS[4], GROUPS[2], GROUPS[0]]            # benefit, patents, competition; no media …
    singles_before = [("序号", "seq"), ("姓名", "name"), ("类别", "category")]
    rows = [dict(r, category=c) for r, c in zip(ROWS, ("先进制造业", "传统手工艺"))]
    cells = summary_cells(rows, groups=groups, singles_before=singles_before,
                          singles_after=[("备注", "remark"), ("工作单位及职务", "employer_position")])
    t = parse_summary_table(read_xlsx(write_xlsx(tmp_path / "x.xlsx", cells)), years=YEARS)
    keys = ({"seq", "name", "category", "remark", "employer_position"}
            | {k for k in ROWS[0] if k.split(".")[0] in ("benefit", "patents", "competition")})
    check(t, rows, keys=keys)
    assert "media.provincial" not in t.rows[0].values and "level_title" not in t.rows[0].values
    assert t.rows[0].value("category") == "先进制造业"


def test_header_without_groups_is_reported(tmp_path):
    """Sub-columns with no group header: patents still resolve, levels and years cannot."""
    cells = [("序号", 0, 0, 1, 1), ("姓名", 0, 1, 1, 1), ("发明专利", 0, 2, 1, 1), ("国家级", 0, 3, 1, 1),
             ("2019", 0, 4, 1, 1), ("1", 1, 0, 1, 1), ("张三", 1, 1, 1, 1), ("2", 1, 2, 1, 1),
             ("1", 1, 3, 1, 1), ("3", 1, 4, 1, 1)]
    t = parse_summary_table(read_xlsx(write_xlsx(tmp_path / "y.xlsx", cells)), years=YEARS)
    assert t.rows[0].value("patents.invention") == 2
    assert not any(k.endswith("national") for k in t.rows[0].values)
    assert len(t.problems) == 2 and all("上级栏目" in p for p in t.problems)


@pytest.mark.parametrize("deg,merge_numbers", [(0.0, False), (1.2, True), (-2.0, False)])
def test_scan_of_summary(deg, merge_numbers):
    lines = ocr_lines(summary_cells(), col_w=WIDTHS, row_h=70, wrap=True)
    if merge_numbers:
        # OCR runs narrow neighbouring cells of a row into one line: '1 2 3'
        lines = merge_row_numbers(lines)
    if deg:
        lines = rotate(lines, deg)
    t = parse_summary_table(ocr_extraction([lines], file="汇总表.pdf"), years=YEARS)
    check(t, squash_text=True)
    assert t.source == "ocr" and t.problems == []
    assert t.unit_name.value == "开封市祥符区总工会" and t.date.value == dt.date(2021, 6, 8)
    # an empty cell of a scan still says where it is
    sp = t.rows[1].values["media.national"].spans[0]
    assert sp.page == 1 and sp.box is not None


def merge_row_numbers(lines):
    """Join the one-character lines of innovation.* columns on each data row into one line."""
    out, pending = [], {}
    for l in lines:
        x0, y0, x1, y1 = l.box
        if l.text in {"1", "2", "3"} and 120 + 60 + 110 + 300 + 200 + 4 * 62 <= x0 < 120 + 670 + 8 * 62:
            pending.setdefault(round(y0), []).append(l)
        else:
            out.append(l)
    for ls in pending.values():
        ls.sort(key=lambda l: l.box[0])
        box = (ls[0].box[0], min(l.box[1] for l in ls), ls[-1].box[2], max(l.box[3] for l in ls))
        out.append(Line(" ".join(l.text for l in ls), box, 0.9))
    return out


def test_scan_continues_on_second_page():
    cells = summary_cells(blank_rows=0)
    lines = ocr_lines(cells, col_w=WIDTHS, row_h=70, wrap=True)
    # page 2: the same columns, one more nominee, no header
    extra = {"seq": "3", "name": "王五", "employer_position": "某公司", "level_title": "技师",
             "patents.invention": "1", "benefit.2020": "2.5"}
    keys = [k for _, k in SINGLES_BEFORE] + [f"{g}.{s}" for _, g, subs in GROUPS for s in
                                             [{"企业级": "enterprise", "地厅级": "prefecture", "省部级": "provincial",
                                               "国家级": "national", "发明专利": "invention", "实用新型": "utility",
                                               "外观设计": "design"}.get(x, x) for x in subs]] + ["remark"]
    page2_cells = [(extra.get(k, ""), 0, i, 1, 1) for i, k in enumerate(keys)]
    page2 = ocr_lines(page2_cells, col_w=WIDTHS, row_h=70, y0=200, wrap=True)
    t = parse_summary_table(ocr_extraction([[l for l in lines if not l.text.startswith("注")], page2]), years=YEARS)
    assert [r.value("name") for r in t.rows] == ["张建国", "李梅", "王五"]
    assert t.rows[2].value("benefit.2020") == Decimal("2.5")
    assert t.rows[2].values["name"].spans[0].page == 2


def test_not_a_summary_table(tmp_path):
    cells = [("收件登记", 0, 0, 1, 2), ("推荐单位", 1, 0, 1, 1), ("收件日期", 1, 1, 1, 1)]
    assert parse_summary_table(read_xlsx(write_xlsx(tmp_path / "r.xlsx", cells)), years=YEARS) is None
