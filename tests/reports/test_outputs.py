"""Outputs: the vendored schema is the shared one, HTML escapes document text, masking."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
from openpyxl import load_workbook

from audit.model import AuditContext, Finding, Severity, Span
from audit.profile import load_profile
from reports.mask import mask, mask_text
from reports.writers import write_all

REPO = Path(__file__).resolve().parents[2]
SHARED_SCHEMA = REPO.parent / "shared/spec/findings.schema.json"
SCHEMA = json.loads((REPO / "audit/schema/findings.schema.json").read_text("utf-8"))


def test_vendored_schema_matches_shared():
    if not SHARED_SCHEMA.exists():
        pytest.skip("shared/ not beside the checkout")
    assert json.loads(SHARED_SCHEMA.read_text("utf-8")) == SCHEMA


@pytest.mark.parametrize("raw,masked", [
    ("身份证号 410202197805061234 有误", "身份证号 410202********1234 有误"),
    ("41020219780506123X", "410202********123X"),
    ("电话 13812345678。", "电话 138****5678。"),
    ("专利号 ZL201320035469X", "专利号 ZL201320035469X"),
    ("金额 125000 元", "金额 125000 元"),
])
def test_mask_text(raw, masked):
    assert mask_text(raw) == masked


def test_mask_keeps_hashes():
    doc = {"sha256": "1" * 64, "fingerprint": "410202197805061234", "message": "410202197805061234"}
    assert mask(doc) == {"sha256": "1" * 64, "fingerprint": "410202197805061234",
                         "message": "410202********1234"}


def fake_result(message: str, text: str):
    ctx = AuditContext(profile=load_profile())
    f = Finding(code="D01", severity=Severity.HIGH, unit="单位<b>", nominee="张三", message=message,
                evidence=[Span(file="单位/张三/审批表.docx", page=1, box=(1, 2, 3, 4), text=text)], id="F0001")
    return SimpleNamespace(ctx=ctx, profile=ctx.profile, findings=[f], tool_version="t", finished="2021-06-01T00:00:00",
                           run_id="abc", batch="/b", stats={"pages": 1, "ocr_pages": 0, "rule_errors": [],
                                                            "seconds": {"total": 1.0}})


def test_outputs_escape_and_validate(tmp_path):
    res = fake_result("身份证号 410202197805061234 校验码错误", "<script>alert(1)</script>")
    doc = write_all(res, tmp_path)
    jsonschema.validate(doc, SCHEMA)
    html = (tmp_path / "report.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "单位&lt;b&gt;" in html
    assert "410202197805061234" not in html and "410202********1234" in html
    wb = load_workbook(tmp_path / "findings.xlsx")
    assert wb.sheetnames[:2] == ["汇总", "问题清单"]
    rows = list(wb["问题清单"].values)
    col = {name: i for i, name in enumerate(rows[0])}
    assert rows[1][col["规则"]] == "D01" and "410202********1234" in rows[1][col["问题说明"]]


def test_no_mask_writes_in_full(tmp_path):
    res = fake_result("身份证号 410202197805061234 校验码错误", "x")
    doc = write_all(res, tmp_path, masked=False)
    assert "410202197805061234" in doc["findings"][0]["message"]
    assert "未脱敏" in (tmp_path / "report.html").read_text("utf-8")
