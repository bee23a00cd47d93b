"""findings.xlsx (reports.xlsx): sheets, headers, links, styling, text that stays text, masking."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.xlsx import file_uri, readable, write_xlsx

RULES = [{"code": "D01", "title": "身份证号码有误", "severity": "high", "clause": "A1"},
         {"code": "V04", "title": "效益证明与申报不符", "severity": "medium", "clause": "A1 A2 A3 7"},
         {"code": "M03", "title": "文件无法读取", "severity": "low", "clause": "A3"}]
RAW_ID = "410202197805061234"


def finding(i: int, code: str, sev: str, unit, nominee, message: str, **kw) -> dict:
    f = {"id": f"F{i:04d}", "fingerprint": f"fp{i}", "code": code, "severity": sev, "unit": unit,
         "nominee": nominee, "message": message, "evidence": [], "waived": None}
    f.update(kw)
    return f


def document(masked: bool = True) -> dict:
    return {
        "schema": "dossier-audit/findings/v1", "campaign": "kaifeng-2020", "tool_version": "0.test",
        "generated_at": "2021-06-01T00:00:00", "run_id": "run1", "batch": "/data/批次 1", "masked": masked,
        "units": [{"name": "开封市龙亭区总工会"}, {"name": "开封市兰考县总工会"}],
        "nominees": [
            {"unit": "开封市龙亭区总工会", "name": "张三", "reconciliation": [
                {"label": "发明专利", "declared": 3, "declared_from": "审批表", "found": 1, "unit": "件",
                 "status": "fewer", "rule": "V01",
                 "items": [{"label": "ZL201320035469X", "file": "开封市龙亭区总工会/张三/证明.pdf", "page": 2}]},
                {"label": "2019年创效", "declared": 36.36, "declared_from": "审批表", "found": 36.36,
                 "unit": "万元", "status": "match", "rule": "V04", "items": []}]},
            {"unit": "开封市兰考县总工会", "name": "李四", "reconciliation": []}],
        "findings": [
            finding(1, "D01", "high", "开封市龙亭区总工会", "张三", f"身份证号 {RAW_ID} 校验码错误",
                    declared=RAW_ID, found={"reason": "check-digit"}, confidence=0.8,
                    evidence=[{"file": "开封市龙亭区总工会/张三/审批表 #1.docx", "page": 1, "text": RAW_ID}]),
            finding(2, "V04", "medium", "开封市龙亭区总工会", "张三", "=HYPERLINK(\"http://evil\",\"点我\")",
                    declared={"count": 3, "total": 15}, found=["+1", "-2"],
                    evidence=[{"file": "开封市龙亭区总工会.zip!/开封市龙亭区总工会/张三/证明.pdf", "page": 4,
                               "text": "@SUM(A1)"},
                              {"file": "开封市龙亭区总工会/李四/证明.pdf", "page": 2, "text": "-3+2"}]),
            finding(3, "M03", "low", None, None, "文件无法读取\x07（控制字符）",
                    evidence=[{"file": "坏文件.pdf"}],
                    waived={"by": "王科长", "at": "2021-06-02", "reason": "已补交"}),
        ],
    }


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "findings.xlsx"
    write_xlsx(document(), path, rules=RULES)
    return path, load_workbook(path)


def test_sheets_and_headers(book):
    _, wb = book
    assert wb.sheetnames == ["汇总", "问题清单", "申报与核实对照"]
    assert [c.value for c in wb["汇总"][1]] == ["推荐单位", "严重", "警告", "提示", "合计", "其中已豁免", "推荐人选数"]
    assert [c.value for c in wb["问题清单"][1]] == [
        "编号", "推荐单位", "推荐人选", "规则", "严重程度", "可信度", "问题说明", "申报值", "核实值",
        "证据文件", "页码", "识别文字", "豁免", "指纹"]
    assert [c.value for c in wb["申报与核实对照"][1]][:8] == [
        "推荐单位", "推荐人选", "项目", "申报值", "申报来源", "核实值", "单位", "结果"]
    for ws in wb:
        assert ws.freeze_panes in ("A2", "C2") and ws.auto_filter.ref


def test_summary_counts_units_rules_and_mode(book):
    _, wb = book
    rows = [r for r in wb["汇总"].iter_rows(values_only=True)]
    assert rows[1] == ("开封市龙亭区总工会", 1, 1, 0, 2, 0, 1)
    assert rows[2] == ("开封市兰考县总工会", 0, 0, 0, 0, 0, 1)      # a unit without findings is listed
    assert rows[3] == ("（全批次）", 0, 0, 1, 1, 1, None)
    assert rows[4] == ("合计", 1, 1, 1, 3, 1, 2)
    by_code = {r[0]: r for r in rows if r and r[0] in ("D01", "V04", "M03")}
    assert by_code["D01"][:6] == ("D01", "身份证号码有误", "严重", "A1", 1, 0)
    assert by_code["M03"][4:6] == (1, 1)
    assert any(r[0] == "个人信息" and r[1].startswith("已脱敏") for r in rows if r)


def test_findings_rows_links_and_styles(book):
    _, wb = book
    ws = wb["问题清单"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:N4"
    r2 = [c.value for c in ws[2]]
    assert r2[:6] == ["F0001", "开封市龙亭区总工会", "张三", "D01", "严重", 0.8]
    assert ws["F2"].number_format == "0%"
    assert ws["E2"].fill.fgColor.rgb.endswith("F8CBAD") and ws["E3"].fill.fgColor.rgb.endswith("FFE699")
    # one file: linked, spaces and '#' escaped, Chinese kept; page a number
    assert ws["J2"].hyperlink.target == "file:///data/批次%201/开封市龙亭区总工会/张三/审批表%20%231.docx"
    assert ws["K2"].value == 1 and isinstance(ws["K2"].value, int)
    # several files: all listed, the first (a zip member) linked through its zip
    assert ws["J3"].value.splitlines() == ["1. 开封市龙亭区总工会.zip!/开封市龙亭区总工会/张三/证明.pdf",
                                           "2. 开封市龙亭区总工会/李四/证明.pdf"]
    assert ws["J3"].hyperlink.target == "file:///data/批次%201/开封市龙亭区总工会.zip"
    assert ws["K3"].value.splitlines() == ["1. 第4页", "2. 第2页"]
    # dicts and lists as words, numbers as numbers
    assert ws["H3"].value == "数量: 3；合计: 15" and ws["I3"].value == "+1、-2"
    assert ws["G2"].alignment.wrap_text
    # a waived finding: greyed, struck through, who / when / why
    assert ws["M4"].value == "已豁免（王科长，2021-06-02）：已补交"
    assert all(c.font.strike for c in ws[4]) and ws["E4"].fill.fgColor.rgb.endswith("EDEDED")
    assert ws["G4"].value == "文件无法读取（控制字符）"               # control character dropped
    assert ws["J4"].hyperlink.target == "file:///data/批次%201/坏文件.pdf" and ws["K4"].value is None


def test_document_text_stays_text(book):
    path, wb = book
    ws = wb["问题清单"]
    for ref, text in [("G3", "=HYPERLINK(\"http://evil\",\"点我\")"), ("L3", "@SUM(A1)\n-3+2"), ("I3", "+1、-2")]:
        assert ws[ref].value == text and ws[ref].data_type == "s"
    assert ws["G3"].quotePrefix and ws["L3"].quotePrefix and ws["I3"].quotePrefix
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any("<f>" in z.read(n).decode("utf-8") for n in sheets)


def test_reconciliation_differences_highlighted(book):
    _, wb = book
    ws = wb["申报与核实对照"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[0][:9] == ("开封市龙亭区总工会", "张三", "发明专利", 3, "审批表", 1, "件", "少于申报", "V01")
    assert rows[0][9] == "ZL201320035469X（开封市龙亭区总工会/张三/证明.pdf 第2页）"   # patent number untouched
    assert rows[1][3] == 36.36 and rows[1][7] == "一致"
    assert ws["H2"].fill.fgColor.rgb.endswith("F8CBAD") and ws["D2"].fill.fgColor.rgb.endswith("F8CBAD")
    assert ws["H3"].fill.fill_type is None


def _all_text(wb) -> str:
    return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def test_masked_when_masked(tmp_path):
    write_xlsx(document(masked=True), tmp_path / "m.xlsx", rules=RULES)
    text = _all_text(load_workbook(tmp_path / "m.xlsx"))
    assert RAW_ID not in text and "410202********1234" in text
    write_xlsx(document(masked=False), tmp_path / "u.xlsx", rules=RULES)
    wb = load_workbook(tmp_path / "u.xlsx")
    assert RAW_ID in _all_text(wb)
    assert any(r[0] == "个人信息" and r[1].startswith("未脱敏") for r in wb["汇总"].iter_rows(values_only=True) if r)


def test_empty_document(tmp_path):
    doc = document()
    doc["findings"], doc["nominees"] = [], []
    write_xlsx(doc, tmp_path / "e.xlsx")
    wb = load_workbook(tmp_path / "e.xlsx")
    assert wb.sheetnames == ["汇总", "问题清单", "申报与核实对照"] and wb["问题清单"].max_row == 1


@pytest.mark.parametrize("value,shown", [
    (None, None), (3, 3), (2.5, 2.5), (True, "是"), ("高级技师", "高级技师"),
    ({"count": 3, "total": 15}, "数量: 3；合计: 15"),
    ({"nominees": ["甲", "乙"], "files": []}, "涉及人选: 甲、乙；文件: 无"),
    ({"pages": [["a.pdf", 4], ["b.jpg", 1]]}, "页: a.pdf 第4页、b.jpg 第1页"),
    ({"differs": [{"field": "holder", "a": "甲"}]}, "不同之处: （项目: holder，a: 甲）"),
    ({"unknown_key": 0.326}, "unknown_key: 0.326"),
])
def test_readable(value, shown):
    assert readable(value) == shown


def test_file_uri_relative_batch_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert file_uri("batch", "单位/a?.pdf") == (tmp_path / "batch").as_uri() + "/单位/a%3F.pdf"
    assert Path(file_uri("batch", "x.zip!/y/z.pdf")[len("file://"):]) == tmp_path / "batch" / "x.zip"
