"""The reconciliation table: declared figures beside what the evidence supports, counted by
the same helpers as the rules (a row that disagrees has its rule's finding)."""
from __future__ import annotations

from decimal import Decimal

import yaml

from rules.reconcile import reconcile
from rules.registry import REGISTRY, all_rules
from tests.rules.builder import build_context

BATCH = yaml.safe_load("""
units:
  - name: A单位
    nominees:
      - name: 张三
        form:
          fields: {skill_level: 技师, honors: "2019年 开封市技术能手；2020年 开封市五一劳动奖章"}
          counts: {patents.invention: 2, patents.utility_design: 1, promoted.technician: 1}
          per_year: {benefit.created: {2019: "45"}, apprentices: {2019: 2, 2020: 0}}
        evidence:
          - {kind: skill_certificate, fields: {holder: 张三, level: 技师}}
          - {kind: patent_certificate, fields: {number: "201710601862.3", ptype_title: invention}}
          - {kind: patent_certificate, fields: {number: "201220572874.0", ptype_title: utility}}
          - {kind: benefit_statement, fields: {year: 2019, created: "40"}}
          - {kind: apprentice_agreement, fields: {master: 张三, apprentice: 李四, sign_date: 2019-03-05}}
          - {kind: honor_certificate, fields: {holder: 张三, title: 开封市技术能手, date: 2019-04-28, issuer: 开封市人力资源和社会保障局}}
          - {kind: training_list, fields: {rows: [{name: 王五, level: 技师, date: 2019-05-01}]}}
""")


def rows_of(ctx):
    table, errors = reconcile(ctx)
    assert not errors
    return {r["figure"]: r for r in table["A单位/张三"]}


def test_rows_beside_each_declared_figure():
    rows = rows_of(build_context(BATCH))
    assert rows["skill_level"]["status"] == "match" and rows["skill_level"]["found"] == "技师"
    inv = rows["patents.invention"]
    assert (inv["declared"], inv["found"], inv["status"], inv["declared_from"]) == (2, 1, "fewer", "审批表")
    assert inv["items"][0]["label"] == "201710601862.3" and inv["items"][0]["file"].endswith("证明材料.pdf")
    assert rows["patents.utility_design"]["status"] == "match"
    b = rows["benefit.created.2019"]
    assert b["declared"] == Decimal("45") and b["found"] == Decimal("40") and b["status"] == "fewer"
    assert rows["apprentices.2019"]["found"] == 1 and rows["apprentices.2019"]["status"] == "fewer"
    assert rows["apprentices.2020"]["status"] == "match"
    assert rows["promoted.technician"]["status"] == "match"
    honors = [r for r in rows.values() if r["rule"] == "V09"]
    assert [(r["label"], r["status"]) for r in honors] == [("荣誉：2019年 开封市技术能手", "match"),
                                                          ("荣誉：2020年 开封市五一劳动奖章", "missing")]
    assert all(r["evidence"] for r in honors)


def test_every_disagreeing_row_has_its_finding():
    ctx = build_context(BATCH)
    all_rules()
    table, _ = reconcile(ctx)
    found = {f.code for code, r in REGISTRY.items() for f in r.func(ctx)}
    for row in table["A单位/张三"]:
        if row["status"] in ("fewer", "missing"):
            assert row["rule"] in found, row


def test_nothing_declared_nothing_found_gives_no_count_rows():
    ctx = build_context({"units": [{"name": "A单位", "nominees": [{"name": "张三", "form": {"fields": {}}}]}]})
    table, errors = reconcile(ctx)
    assert table["A单位/张三"] == [] and not errors
