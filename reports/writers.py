"""Write the audit result: findings.json, report.html, findings.xlsx."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from reports.html import write_html
from reports.mask import mask
from reports.result import build_document

SEV_ZH = {"high": "严重", "medium": "警告", "low": "提示"}
SEV_FILL = {"high": "F8CBAD", "medium": "FFE699", "low": "DDEBF7"}


def write_all(result, out: Path, *, masked: bool = True, rules: list[dict] | None = None,
              pdf: bool = False) -> dict:
    """Write the outputs into ``out`` (report.pdf too when ``pdf``); return the findings document."""
    out.mkdir(parents=True, exist_ok=True)
    doc = build_document(result, masked=masked)
    write_json(doc, out / "findings.json")
    write_html(doc, out / "report.html", exhibits=getattr(result, "exhibits", None), rules=rules or [],
               masked=masked)
    write_xlsx(doc, out / "findings.xlsx")
    graph = getattr(result, "graph", None)
    if graph is not None:
        # the evidence graph (nominees, evidence items, the keys they share) for later queries
        g = graph.to_dict()
        write_json(mask(g) if masked else g, out / "graph.json")
    if pdf:
        # last, so that a browser missing or failing loses none of the other outputs
        from reports.pdf import write_pdf
        write_pdf(out / "report.html", out / "report.pdf")
    return doc


def write_json(doc: dict, path: Path) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    tmp.replace(path)


def totals(doc: dict) -> dict:
    sev = Counter(f["severity"] for f in doc["findings"])
    by_unit: dict[str, Counter] = {}
    for f in doc["findings"]:
        by_unit.setdefault(f["unit"] or "（全批次）", Counter())[f["severity"]] += 1
    return {"severity": sev, "by_unit": by_unit}


def write_xlsx(doc: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    head = ["编号", "推荐单位", "推荐人选", "规则", "严重程度", "问题说明", "申报值", "核实值",
            "证据文件", "页码", "识别文字", "指纹"]
    ws.append(head)
    for f in doc["findings"]:
        ev = f["evidence"][0] if f["evidence"] else {}
        nominee = f.get("nominee") or "、".join(f.get("nominees") or [])
        ws.append([f["id"], f["unit"] or "（全批次）", nominee, f["code"], SEV_ZH[f["severity"]],
                   f["message"], _cell(f.get("declared")), _cell(f.get("found")),
                   "；".join(e["file"] for e in f["evidence"]) or "", ev.get("page"),
                   ev.get("text", "")[:200], f["fingerprint"]])
        fill = PatternFill("solid", fgColor=SEV_FILL[f["severity"]])
        ws.cell(row=ws.max_row, column=5).fill = fill
    for c in ws[1]:
        c.font = Font(bold=True)
    widths = [8, 22, 10, 6, 8, 70, 20, 20, 40, 6, 30, 22]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    s = wb.create_sheet("汇总")
    s.append(["推荐单位", "严重", "警告", "提示", "合计"])
    for unit, c in totals(doc)["by_unit"].items():
        s.append([unit, c["high"], c["medium"], c["low"], sum(c.values())])
    for c in s[1]:
        c.font = Font(bold=True)
    s.column_dimensions["A"].width = 30
    s.freeze_panes = "A2"
    wb.move_sheet("汇总", offset=-1)
    _reconciliation_sheet(wb, doc)
    wb.save(path)


STATUS_ZH = {"match": "一致", "fewer": "少于申报", "more": "多于申报", "missing": "未找到",
             "found_only": "未申报但有材料"}


def _reconciliation_sheet(wb, doc: dict) -> None:
    """核对表: each nominee's declared figures beside what the evidence supports."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    ws = wb.create_sheet("核对表")
    ws.append(["推荐单位", "推荐人选", "项目", "申报值", "申报来源", "核实值", "单位", "结果", "核对规则", "所依据的材料"])
    bad = PatternFill("solid", fgColor=SEV_FILL["medium"])
    for n in doc["nominees"]:
        for r in n.get("reconciliation") or []:
            its = "；".join(f"{i['label']}（{i['file']}" + (f" 第{i['page']}页" if i.get("page") else "") + "）"
                           for i in r.get("items") or [])
            ws.append([n["unit"], n["name"], r["label"], _cell(r.get("declared")), r.get("declared_from") or "",
                       _cell(r.get("found")), r.get("unit") or "", STATUS_ZH.get(r["status"], r["status"]),
                       r.get("rule") or "", its])
            if r["status"] in ("fewer", "missing"):
                ws.cell(row=ws.max_row, column=8).fill = bad
    for c in ws[1]:
        c.font = Font(bold=True)
    for i, w in enumerate([22, 10, 30, 14, 8, 14, 6, 12, 8, 80], 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=10):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)
