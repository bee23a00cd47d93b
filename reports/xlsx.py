"""findings.xlsx: the findings document (reports.result.build_document) as a workbook.

Sheets, in order:

* 汇总 — findings per recommending unit and severity (waived ones counted apart), a total
  row; below it the count per rule with its title and clause; then what the run was
  (batch, run id, time, whether personal data is masked);
* 问题清单 — one row per finding, the evidence file linked (``file:`` URI; a zip member
  links its zip), waived findings greyed and struck through;
* 申报与核实对照 — each nominee's declared figures beside what the evidence supports,
  differences highlighted.

Every text that came from a document is written as text: a value starting with ``=``, ``+``,
``-`` or ``@`` is a string cell with Excel's quote prefix, never a formula.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from audit.privacy import mask_text

__all__ = ["write_xlsx", "readable", "file_uri", "SEV_ZH", "SEV_FILL", "STATUS_ZH", "KEY_ZH"]

SEV_ZH = {"high": "严重", "medium": "警告", "low": "提示"}
SEV_ORDER = ("high", "medium", "low")
SEV_FILL = {"high": "F8CBAD", "medium": "FFE699", "low": "DDEBF7"}
STATUS_ZH = {"match": "一致", "fewer": "少于申报", "more": "多于申报", "missing": "未找到",
             "found_only": "未申报但有材料"}
# reconciliation statuses worth a colour: fewer than declared is what a supervisor acts on
STATUS_FILL = {"fewer": SEV_FILL["high"], "missing": SEV_FILL["high"], "more": SEV_FILL["medium"],
               "found_only": SEV_FILL["low"]}
BATCH_WIDE = "（全批次）"

#: the keys rules use in ``declared`` / ``found``, in words a reader knows
KEY_ZH = {
    "nominees": "涉及人选", "number": "编号", "numbers": "编号", "reason": "原因", "detail": "详情",
    "files": "文件", "missing": "缺少", "documents": "文件数", "pages": "页", "limit": "上限",
    "chars": "字数", "problems": "问题", "problem": "问题", "texts": "文本",
    "longest_passage_chars": "最长相同段落字数", "copied_share": "相同部分占比",
    "shorter_chars": "较短文本字数", "excerpt": "摘录", "unknown": "不明", "summary_rows": "汇总表行数",
    "deadline": "截止日期", "received": "收到日期", "not_inventors": "不是发明人",
    "honor_certificates": "荣誉证书", "competition_awards": "竞赛获奖", "producer": "生成软件",
    "creator": "创建软件", "creation_date_iso": "创建时间", "mod_date_iso": "修改时间",
    "incremental_updates": "增量修改次数", "count": "数量", "total": "合计", "min_days": "最少天数",
    "start": "开始", "end": "结束", "days": "天数", "differs": "不同之处", "field": "项目",
    "distances": "图像差异", "holders": "持有人", "post": "职务", "word": "关键词", "sources": "出处",
    "source": "出处", "box": "栏目", "label": "名称", "seal": "盖章", "empty": "空白",
    "unreadable": "无法辨认", "absent": "缺少", "not_in_volume": "目录有而材料中没有",
    "unlisted_pages": "目录未列的页", "page_count_known": "页数已知", "apprentice": "徒弟",
    "statement": "效益证明", "persons": "人员", "not_in_table": "未列入汇总表", "form": "审批表",
    "summary": "汇总表", "date": "日期", "year": "年份", "years": "年份", "submitted": "报送日期",
    "software": "软件", "age": "年龄", "retirement_age": "退休年龄", "ink_sha256": "印章印迹指纹",
    "page": "页码", "file": "文件", "value": "数值", "declared": "申报", "found": "核实",
}

_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FONT = Font(bold=True)
_WAIVED_FONT = Font(color="808080", strike=True)
_WAIVED_FILL = PatternFill("solid", fgColor="EDEDED")
_LINK_FONT = Font(color="0563C1", underline="single")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_THIN = Border(top=Side(style="thin", color="808080"))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_TEXT = 2000     # characters of recognised text per cell: enough to read, small enough to scroll


def write_xlsx(doc: dict, path: Path, rules: Optional[list[dict]] = None) -> None:
    """Write ``doc`` (findings.json as a dict) to ``path`` as findings.xlsx. ``rules`` (the
    registry's ``to_dict()`` list: code, title, severity, clause) names each code in 汇总."""
    masked = bool(doc.get("masked", True))
    wb = Workbook()
    _summary_sheet(wb.active, doc, rules or [], masked)
    _findings_sheet(wb.create_sheet("问题清单"), doc, masked)
    _reconciliation_sheet(wb.create_sheet("申报与核实对照"), doc, masked)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)


# --------------------------------------------------------------------------------------
# values

def readable(v: Any) -> Any:
    """A JSON value as a cell shows it: numbers stay numbers, ``None`` is empty, a dict is
    ``键: 值；键: 值``, a list ``a、b``."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        return v
    return _text(v, top=True)


def _text(v: Any, top: bool = False) -> str:
    if v is None:
        return "—"
    if v == [] or v == {} or v == "":
        return "无"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dict):
        parts = [f"{KEY_ZH.get(str(k), str(k))}: {_text(x)}" for k, x in v.items()]
        return "；".join(parts) if top else "（" + "，".join(parts) + "）"
    if isinstance(v, (list, tuple)):
        if len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int) and not isinstance(v[1], bool):
            return f"{v[0]} 第{v[1]}页"                   # a [file, page] pair
        return "、".join(_text(x) for x in v)
    return str(v)


def _clean(s: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", s)


def _put(ws: Worksheet, row: int, col: int, value: Any, masked: bool):
    """Write one value; text is cleaned of control characters, masked when the document is,
    and kept as text (never a formula) whatever it starts with."""
    if isinstance(value, str):
        value = _clean(mask_text(value) if masked else value)
    c = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        if c.data_type != "s":                          # '=…' would be a formula, '#N/A' an error
            c.data_type = "s"
        if value.startswith(_FORMULA_START):
            c.quotePrefix = True                        # stays text when someone edits the cell
    return c


def file_uri(batch: str, file: str) -> str:
    """Absolute ``file:`` URI of an evidence file; a zip member (``a.zip!/x/y.pdf``) gives the
    zip. Non-ASCII characters stay as they are (an IRI, as Excel and LibreOffice want it);
    spaces, ``#``, ``%`` and ``?`` are escaped."""
    outer = file.split("!/", 1)[0]
    p = (Path(batch) / outer).resolve() if batch else Path(outer).resolve()
    posix = p.as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix                             # C:/… on Windows
    return "file://" + "".join(ch if ord(ch) > 127 else quote(ch, safe="/:-._~!$&'()*+,;=@")
                               for ch in posix)


def _head(ws: Worksheet, row: int, names: Iterable[str]) -> None:
    for i, name in enumerate(names, 1):
        c = ws.cell(row=row, column=i, value=name)
        c.font, c.fill, c.alignment = _HEAD_FONT, _HEAD_FILL, _WRAP


def _widths(ws: Worksheet, widths: Iterable[float]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _printable(ws: Worksheet) -> None:
    """A4 landscape, all columns on one page width, the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


# --------------------------------------------------------------------------------------
# 汇总

def _summary_sheet(ws: Worksheet, doc: dict, rules: list[dict], masked: bool) -> None:
    ws.title = "汇总"
    _head(ws, 1, ["推荐单位", "严重", "警告", "提示", "合计", "其中已豁免", "推荐人选数"])
    units: list[str] = [u["name"] for u in doc.get("units") or []]
    nominees = Counter(n["unit"] for n in doc.get("nominees") or [])
    counts: dict[str, Counter] = {}
    for f in doc["findings"]:
        unit = f.get("unit") or BATCH_WIDE
        if unit not in units:
            units.append(unit)
        c = counts.setdefault(unit, Counter())
        c[f["severity"]] += 1
        c["waived"] += bool(f.get("waived"))
    if BATCH_WIDE in units:                             # batch-wide findings last, before the total
        units.remove(BATCH_WIDE)
        units.append(BATCH_WIDE)
    row = 2
    total = Counter()
    for unit in units:
        c = counts.get(unit, Counter())
        total.update(c)
        vals = [unit, *(c[s] for s in SEV_ORDER), sum(c[s] for s in SEV_ORDER), c["waived"],
                nominees.get(unit) if unit != BATCH_WIDE else None]
        for col, v in enumerate(vals, 1):
            _put(ws, row, col, v, masked).alignment = _TOP
        for col, s in enumerate(SEV_ORDER, 2):
            if c[s]:
                ws.cell(row=row, column=col).fill = PatternFill("solid", fgColor=SEV_FILL[s])
        row += 1
    ws.auto_filter.ref = f"A1:G{max(row - 1, 1)}"
    vals = ["合计", *(total[s] for s in SEV_ORDER), sum(total[s] for s in SEV_ORDER), total["waived"],
            sum(nominees.values())]
    for col, v in enumerate(vals, 1):
        c = ws.cell(row=row, column=col, value=v)
        c.font, c.border = _TOTAL_FONT, _THIN

    # per rule code
    row += 2
    _head(ws, row, ["规则", "名称", "严重程度", "依据条款", "问题数", "其中已豁免"])
    by_code = Counter(f["code"] for f in doc["findings"])
    waived = Counter(f["code"] for f in doc["findings"] if f.get("waived"))
    known = {r["code"]: r for r in rules}
    sev_of = {f["code"]: f["severity"] for f in doc["findings"]}
    for code in sorted(by_code, key=_code_key):
        r = known.get(code, {})
        sev = r.get("severity") or sev_of[code]
        row += 1
        for col, v in enumerate([code, r.get("title", ""), SEV_ZH.get(sev, sev), r.get("clause", ""),
                                 by_code[code], waived[code]], 1):
            _put(ws, row, col, v, masked).alignment = _TOP
        ws.cell(row=row, column=3).fill = PatternFill("solid", fgColor=SEV_FILL.get(sev, "FFFFFF"))

    # what this workbook is
    row += 2
    about = [("活动", doc.get("campaign")), ("材料文件夹", doc.get("batch")), ("运行编号", doc.get("run_id")),
             ("生成时间", doc.get("generated_at")), ("工具版本", doc.get("tool_version")),
             ("个人信息", "已脱敏（身份证号、电话、住址已遮挡）" if doc.get("masked", True)
              else "未脱敏（完整显示身份证号、电话、住址，仅供内部使用）")]
    for label, v in about:
        row += 1
        ws.cell(row=row, column=1, value=label).font = _HEAD_FONT
        _put(ws, row, 2, v if v is None or isinstance(v, (int, float)) else str(v), masked)
    _widths(ws, [34, 26, 10, 14, 9, 11, 11])
    ws.freeze_panes = "A2"


def _code_key(code: str) -> tuple[int, str]:
    order = "MPEDVXF"
    return (order.index(code[0]) if code[:1] in order else len(order), code)


# --------------------------------------------------------------------------------------
# 问题清单

FINDING_COLUMNS = [("编号", 8), ("推荐单位", 22), ("推荐人选", 12), ("规则", 6), ("严重程度", 8),
                   ("可信度", 7), ("问题说明", 60), ("申报值", 22), ("核实值", 26), ("证据文件", 40),
                   ("页码", 6), ("识别文字", 36), ("豁免", 24), ("指纹", 22)]
_WRAPPED = {"推荐单位", "推荐人选", "问题说明", "申报值", "核实值", "证据文件", "识别文字", "豁免", "页码"}


def _dedup(xs: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for x in xs:
        if x not in out:
            out.append(x)
    return out


def _waiver(w: Optional[dict]) -> Optional[str]:
    if not w:
        return None
    parts = [p for p in (w.get("by"), w.get("at")) if p]
    return "已豁免" + ("（" + "，".join(parts) + "）" if parts else "") + (f"：{w['reason']}" if w.get("reason") else "")


def _files_and_pages(ev: list[dict], files: list[str]) -> tuple[Any, Any]:
    """The 证据文件 and 页码 cells: one file and one page as they are (the page a number);
    several files numbered one a line, their pages on the same lines."""
    pages_of = {f: _dedup(e["page"] for e in ev if e["file"] == f and e.get("page") is not None) for f in files}
    if len(files) <= 1:
        pages = pages_of.get(files[0], []) if files else []
        page = pages[0] if len(pages) == 1 else ("、".join(map(str, pages)) or None)
        return (files[0] if files else None), page
    file_cell = "\n".join(f"{i}. {f}" for i, f in enumerate(files, 1))
    if not any(pages_of.values()):
        return file_cell, None
    page_cell = "\n".join(f"{i}. " + (f"第{'、'.join(map(str, pages_of[f]))}页" if pages_of[f] else "—")
                          for i, f in enumerate(files, 1))
    return file_cell, page_cell


def _findings_sheet(ws: Worksheet, doc: dict, masked: bool) -> None:
    _head(ws, 1, [c for c, _ in FINDING_COLUMNS])
    col = {name: i for i, (name, _) in enumerate(FINDING_COLUMNS, 1)}
    batch = doc.get("batch") or ""
    for row, f in enumerate(doc["findings"], 2):
        ev = f.get("evidence") or []
        files = _dedup(e["file"] for e in ev)
        texts = _dedup(e.get("text") for e in ev if e.get("text"))
        text = "\n".join(texts)
        if len(text) > _MAX_TEXT:
            text = text[:_MAX_TEXT] + "……"
        file_cell, page = _files_and_pages(ev, files)
        nominee = f.get("nominee") or "、".join(f.get("nominees") or []) or None
        values = {
            "编号": f["id"], "推荐单位": f.get("unit") or BATCH_WIDE, "推荐人选": nominee, "规则": f["code"],
            "严重程度": SEV_ZH.get(f["severity"], f["severity"]), "可信度": f.get("confidence"),
            "问题说明": f["message"], "申报值": readable(f.get("declared")), "核实值": readable(f.get("found")),
            "证据文件": file_cell, "页码": page, "识别文字": text or None, "豁免": _waiver(f.get("waived")),
            "指纹": f.get("fingerprint"),
        }
        for name, v in values.items():
            c = _put(ws, row, col[name], v, masked and name not in ("编号", "指纹"))
            c.alignment = _WRAP if name in _WRAPPED else _TOP
        ws.cell(row=row, column=col["可信度"]).number_format = "0%"
        sev = ws.cell(row=row, column=col["严重程度"])
        sev.fill = PatternFill("solid", fgColor=SEV_FILL.get(f["severity"], "FFFFFF"))
        if files:
            link = ws.cell(row=row, column=col["证据文件"])
            link.hyperlink = file_uri(batch, files[0])
            link.font = _LINK_FONT
        if f.get("waived"):
            for c in ws[row]:
                c.font = _WAIVED_FONT
            sev.fill = _WAIVED_FILL
    last = max(2, len(doc["findings"]) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_COLUMNS))}{last}"
    _widths(ws, [w for _, w in FINDING_COLUMNS])
    _printable(ws)
    ws.freeze_panes = "A2"


# --------------------------------------------------------------------------------------
# 申报与核实对照

RECON_COLUMNS = [("推荐单位", 22), ("推荐人选", 10), ("项目", 24), ("申报值", 14), ("申报来源", 10),
                 ("核实值", 14), ("单位", 6), ("结果", 12), ("核对规则", 8), ("所依据的材料", 70)]


def _items(items: list[dict]) -> Optional[str]:
    lines = []
    for i in items or []:
        where = i.get("file", "") + (f" 第{i['page']}页" if i.get("page") else "")
        lines.append(f"{i.get('label') or ''}（{where}）" if where else str(i.get("label") or ""))
    return "\n".join(lines) or None


def _reconciliation_sheet(ws: Worksheet, doc: dict, masked: bool) -> None:
    _head(ws, 1, [c for c, _ in RECON_COLUMNS])
    row = 1
    for n in doc.get("nominees") or []:
        for r in n.get("reconciliation") or []:
            row += 1
            status = r.get("status") or ""
            vals = [n.get("unit"), n.get("name"), r.get("label"), readable(r.get("declared")),
                    r.get("declared_from"), readable(r.get("found")), r.get("unit") or None,
                    STATUS_ZH.get(status, status), r.get("rule"), _items(r.get("items") or [])]
            for c_, v in enumerate(vals, 1):
                _put(ws, row, c_, v, masked).alignment = _WRAP if c_ in (1, 3, 10) else _TOP
            if status in STATUS_FILL:
                fill = PatternFill("solid", fgColor=STATUS_FILL[status])
                for c_ in (4, 6, 8):
                    ws.cell(row=row, column=c_).fill = fill
                ws.cell(row=row, column=8).font = _HEAD_FONT
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RECON_COLUMNS))}{max(row, 2)}"
    _widths(ws, [w for _, w in RECON_COLUMNS])
    _printable(ws)
    ws.freeze_panes = "C2"

