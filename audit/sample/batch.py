"""The batch composer of the sample-batch generator.

``generate(out, seed)`` writes

* ``out/batch/``       a submitted batch as ``shared/spec/batch-format.md`` describes it: one
  folder (or zip, with GBK-encoded names) per recommending unit, its report, publicity proof,
  summary table (xlsx and stamped scan), and one folder (or zip) per nominee with the approval
  form (docx / xlsx / scan), deeds (docx / txt / text PDF), presentation, photos and evidence
  (a bound, catalogued volume and/or a folder of scans); optionally 收件登记.xlsx;
* ``out/expected.json`` the planted defects and the codes the auditor must raise;
* ``out/ocr-truth.json`` for every scanned page ``"<sha256>:<page>"`` → the lines drawn on it
  (text, box in pixels of the page as the auditor renders it, confidence), then its seals
  (entries with a ``seal`` member {kind, ring_text, center_text}), for the fake OCR engine of
  the fast tests.

The same seed gives byte-identical files (fixed dates in every container and metadata),
except the encrypted PDF planted for M03 (its encryption salt is random).
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import random
import shutil
import time
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional, Sequence

from . import documents as D
from .defects import GENERATOR, BatchPlan, EvItem, ExtraFile, NomPlan, UnitPlan, form_values, plan_batch, plant
from .people import DEADLINE, DOMAINS, YEARS, resume_text
from .render import RenderedPage, TruthLine, paste_seal, save_image, save_pdf, scan, seal_crop

FIXED_DT = datetime(2021, 5, 28, 9, 30, 0)
ZIP_DT = (2021, 6, 8, 10, 30, 0)
CJK_TTF = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


# ---------------------------------------------------------------------------------------
# small file helpers
# ---------------------------------------------------------------------------------------
def sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def sha256_path(p: Path) -> str:
    return sha256_bytes(p.read_bytes())


def normalize_ooxml(path: Path) -> None:
    """Rewrite an OOXML zip (docx/xlsx/pptx) with fixed entry times, so a seed gives the same bytes."""
    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    fixed = []
    for name, data in entries:
        if name == "docProps/core.xml":
            import re
            data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>",
                          lambda m: b"<dcterms:" + m.group(1) + m.group(2) + b">2021-05-28T09:30:00Z</dcterms:"
                          + m.group(1) + b">", data)
        fixed.append((name, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in fixed:
            zi = zipfile.ZipInfo(name, date_time=(2021, 5, 28, 9, 30, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)


class GBKZipInfo(zipfile.ZipInfo):
    """A zip entry whose name is stored in GBK without the UTF-8 flag, as Chinese Windows does."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own hook
        try:
            return self.filename.encode("ascii"), self.flag_bits & ~0x800
        except UnicodeEncodeError:
            return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_gbk_zip(zpath: Path, root: Path, arc_root: Optional[str]) -> list[str]:
    """Zip the tree ``root`` into ``zpath`` with GBK names (under ``arc_root/`` when given)."""
    names = []
    files = sorted(p for p in root.rglob("*"))
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        if arc_root:
            zi = GBKZipInfo(arc_root + "/", date_time=ZIP_DT)
            zi.external_attr = 0x10
            zf.writestr(zi, b"")
        for p in files:
            rel = p.relative_to(root).as_posix()
            arc = f"{arc_root}/{rel}" if arc_root else rel
            if p.is_dir():
                zi = GBKZipInfo(arc + "/", date_time=ZIP_DT)
                zi.external_attr = 0x10
                zf.writestr(zi, b"")
                continue
            zi = GBKZipInfo(arc, date_time=ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0x20
            zi.create_system = 0  # MS-DOS
            zf.writestr(zi, p.read_bytes())
            names.append(arc)
    return names


def _save_pdf(pages: Sequence[RenderedPage], path: Path, *, jpeg_quality: int = 80, **meta) -> None:
    """render.save_pdf, with a local fallback that writes the same image-only PDF."""
    try:
        save_pdf(pages, path, jpeg_quality=jpeg_quality, **meta)
        return
    except TypeError:
        pass
    ims = [p.image.convert("RGB") for p in pages]
    cd = meta.get("creation_date") or FIXED_DT
    md = meta.get("mod_date") or cd
    kw = dict(save_all=True, append_images=ims[1:], resolution=float(pages[0].dpi), quality=int(jpeg_quality),
              creationDate=cd.timetuple(), modDate=md.timetuple())
    for k in ("producer", "creator", "title", "author"):
        if meta.get(k):
            kw[k] = meta[k]
    ims[0].save(os.fspath(path), "PDF", **kw)


def _truth(lines: Sequence[TruthLine]) -> list[dict]:
    return [{"text": t.text, "box": [round(float(v), 1) for v in t.box], "confidence": round(float(t.confidence), 3)}
            for t in lines]


def _seal_truth(page: RenderedPage) -> list[dict]:
    """The seals stamped on a page, as entries the fake OCR engine replays when it is asked to
    read the seal at that place (extractors.ocr.FakeEngine.recorded_seal): a ``seal`` member
    marks them, so they are never replayed as text lines. Boxes are in the pixels of the page
    image, clipped to it: the pixels the extractor sees (images natively; PDFs are saved at the
    page's dpi, 200, and rendered at the profile's dpi, 200)."""
    out = []
    W, H = page.image.size
    for s in page.seals:
        x0, y0, x1, y1 = s.box
        box = [round(max(0.0, float(x0)), 1), round(max(0.0, float(y0)), 1),
               round(min(float(W), float(x1)), 1), round(min(float(H), float(y1)), 1)]
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            continue
        centre = "" if (s.center_text or "").strip() in ("", "★") else s.center_text
        out.append({"text": s.ring_text or "印章", "box": box, "confidence": 0.98,
                    "seal": {"kind": s.kind, "ring_text": s.ring_text, "center_text": centre}})
    return out


def _num(v: str) -> Any:
    """A figure as an Excel cell value: int, float, or the text itself."""
    if v is None or v == "":
        return None
    try:
        d = Decimal(str(v))
    except Exception:
        return v
    return int(d) if d == d.to_integral_value() else float(d)


# ---------------------------------------------------------------------------------------
# the approval form as a label grid (docx and xlsx)
# ---------------------------------------------------------------------------------------
@dataclass
class GCell:
    r: int
    c: int
    rs: int
    cs: int
    text: str
    label: bool


def _lab(s: str, spaced: bool) -> str:
    if spaced and len(s) == 2:
        return s[0] + "  " + s[1]
    return s


def form_grid(v: dict, st: dict, rng: random.Random) -> tuple[list[GCell], int]:
    """Attachment 1 as cells on a 12-column grid, with the unit's label wording and merges."""
    sp = st["spaced"]
    cells: list[GCell] = []
    r = 0

    def L(c, text, cs=1, rs=1):
        cells.append(GCell(r, c, rs, cs, text, True))

    def V(c, key, cs=1, rs=1):
        cells.append(GCell(r, c, rs, cs, v.get(key, ""), False))

    photo_rows = 3
    L(0, _lab("姓名", sp)); V(1, "name", 2); L(3, _lab("性别", sp)); V(4, "gender"); L(5, _lab("民族", sp)); V(6, "ethnicity", 3)
    cells.append(GCell(r, 9, photo_rows, 3, "照片" if rng.random() < 0.5 else "2寸彩色照片", True))
    r += 1
    L(0, st["birth_label"]); V(1, "birth", 2); L(3, "政治面貌"); V(4, "politics"); L(5, _lab("学历", sp)); V(6, "education", 3)
    r += 1
    L(0, "技术等级"); V(1, "skill_level", 2); L(3, _lab("职称", sp)); V(4, "title"); L(5, "专业特长"); V(6, "specialty", 3)
    r += 1
    rows_34 = []

    def row_pos():
        L(0, _lab("职务", sp)); V(1, "position", 3); L(4, st["honors_label"], 2); V(6, "honors", 6)

    def row_id():
        L(0, st["id_label"]); V(1, "id_number", 5); L(6, st["phone_label"], 2); V(8, "phone", 4)
    rows_34 = [row_pos, row_id]
    if st["form_swap_rows"]:
        rows_34.reverse()
    for f in rows_34:
        f()
        r += 1
    if st["form_cover_in_table"]:
        L(0, "工作单位"); V(1, "employer", 5); L(6, "推荐单位", 2); V(8, "unit", 4)
        r += 1
    L(0, st["resume_label"] if rng.random() < 0.7 else st["resume_label"] + "（从参加工作起填起，具体到月份）")
    V(1, "resume", 11)
    r += 1
    L(0, st["awards_label"]); V(1, "awards_text", 11)
    r += 1
    # 技术创新
    cells.append(GCell(r, 0, 3, 1, "技术创新", True))
    L(1, "课题成果", 2); V(3, "projects", 2); L(5, "项"); cells.append(GCell(r, 6, 2, 1, "专利数量", True))
    L(7, "发明专利", 2); V(9, "patents.invention", 2); L(11, "个")
    r += 1
    L(1, "成果转化", 2); V(3, "conversions", 2); L(5, "项"); L(7, "实用新型/外观", 2); V(9, "patents.utility_design", 2)
    L(11, "个")
    r += 1
    L(1, "获奖等级", 2)
    for k, (zh, key) in enumerate((("国家级", "awards.national"), ("省部级", "awards.provincial"),
                                   ("地厅级", "awards.prefecture"), ("企业级", "awards.enterprise"))):
        L(3 + 2 * k, zh); V(4 + 2 * k, key)
    L(11, "个")
    r += 1
    # 经济效益
    cells.append(GCell(r, 0, 1 + len(YEARS), 1, "经济效益（万元）", True))
    L(1, "年度", 2); L(3, "创效（万元）", 2); L(5, "节资（万元）", 2); L(7, "行业标准", 2); L(9, "工作法/操作规程", 3)
    r += 1
    for y in YEARS:
        L(1, str(y), 2); V(3, f"benefit.created.{y}", 2); V(5, f"benefit.saved.{y}", 2); V(7, f"standards.{y}", 2)
        V(9, f"methods.{y}", 3)
        r += 1
    # 培养人才
    cells.append(GCell(r, 0, 3, 1, "培养人才", True))
    L(1, "签订师带徒协议（份）", 3); L(4, "各类培训（人次）", 3); L(7, "技术等级提升（人次）", 5)
    r += 1
    for k, y in enumerate(YEARS):
        L(1 + k, str(y)); L(4 + k, str(y))
    L(7, "高级工"); L(8, "技师"); L(9, "高级技师"); L(10, "其他", 2)
    r += 1
    for k, y in enumerate(YEARS):
        V(1 + k, f"apprentices.{y}"); V(4 + k, f"training.{y}")
    V(7, "promoted.senior_worker"); V(8, "promoted.technician"); V(9, "promoted.senior_technician")
    V(10, "promoted.other", 2)
    r += 1
    L(0, "主要业绩（800字以内）" if rng.random() < 0.7 else "主要业绩"); V(1, "achievements", 11)
    r += 1
    ops = (("所在单位工会意见", "所在单位人力资源部门意见"),
           ("各县（区）总工会（各产业工会、市直机关工会）意见", "各县（区）人力资源社会保障部门意见"),
           ("市总工会意见", "市人力资源社会保障局意见"))
    for a, b in ops:
        L(0, a); cells.append(GCell(r, 1, 1, 5, "（公章）\n年　　月　　日", False))
        L(6, b, 2); cells.append(GCell(r, 8, 1, 4, "（公章）\n年　　月　　日", False))
        r += 1
    return cells, r


def write_form_docx(path: Path, v: dict, st: dict, rng: random.Random, photo: Optional[bytes]) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    from docx.oxml.ns import qn

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(1.8)
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(10.5)
    if rng.random() < 0.4:
        doc.add_paragraph("附件1")
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = t.add_run("开封工匠推荐审批表")
    run.bold = True
    run.font.size = Pt(20)
    if not st["form_cover_in_table"]:
        for lab, key in (("姓    名：", "name"), ("工作单位：", "employer"), ("推荐单位：", "unit")):
            doc.add_paragraph(lab + v.get(key, ""))
    cells, nrows = form_grid(v, st, rng)
    table = doc.add_table(rows=nrows, cols=12)
    table.style = "Table Grid"
    flat = table._cells          # once: table.cell() rebuilds the whole grid on every call
    grid = [flat[r * 12:(r + 1) * 12] for r in range(nrows)]
    for gc in cells:
        a = grid[gc.r][gc.c]
        if gc.rs > 1 or gc.cs > 1:
            a = a.merge(grid[gc.r + gc.rs - 1][gc.c + gc.cs - 1])
        lines = (gc.text or "").split("\n")
        a.paragraphs[0].text = lines[0]
        for ln in lines[1:]:
            a.add_paragraph(ln)
        if gc.label:
            for p_ in a.paragraphs:
                p_.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if photo is not None and gc.label and "照片" in gc.text:
            a.paragraphs[0].text = ""
            a.paragraphs[0].add_run().add_picture(io.BytesIO(photo), width=Cm(2.5))
    doc.add_paragraph("注：本表一式四份，请用A3纸正反两面打印。")
    cp = doc.core_properties
    cp.author = rng.choice(("Administrator", "user", "微软用户", "dell", "HP"))
    cp.created = cp.modified = FIXED_DT
    cp.last_modified_by = cp.author
    cp.revision = 1
    doc.save(os.fspath(path))
    normalize_ooxml(path)


def _xl_border():
    from openpyxl.styles import Border, Side
    s = Side(style="thin")
    return Border(left=s, right=s, top=s, bottom=s)


def write_form_xlsx(path: Path, v: dict, st: dict, rng: random.Random) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = rng.choice(("审批表", "Sheet1", "推荐审批表"))
    row0 = 1
    ws.cell(1, 1, "开封工匠推荐审批表").font = Font(size=18, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=12)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    row0 = 2
    if not st["form_cover_in_table"]:
        for lab, key in (("姓    名：", "name"), ("工作单位：", "employer"), ("推荐单位：", "unit")):
            ws.cell(row0, 1, lab + v.get(key, ""))
            ws.merge_cells(start_row=row0, start_column=1, end_row=row0, end_column=12)
            row0 += 1
    cells, nrows = form_grid(v, st, rng)
    border = _xl_border()
    numeric = {"projects", "conversions"}
    key_of = {}
    for gc in cells:
        rr, cc = row0 + gc.r, 1 + gc.c
        text = gc.text
        val: Any = text
        if not gc.label and text and all(ch.isdigit() or ch == "." for ch in text) and len(text) < 9:
            val = _num(text)
        cell = ws.cell(rr, cc, val if val != "" else None)
        cell.alignment = Alignment(wrap_text=True, vertical="center" if gc.label or len(text) < 30 else "top",
                                   horizontal="center" if gc.label else "left")
        if gc.rs > 1 or gc.cs > 1:
            ws.merge_cells(start_row=rr, start_column=cc, end_row=rr + gc.rs - 1, end_column=cc + gc.cs - 1)
        for r_ in range(rr, rr + gc.rs):
            for c_ in range(cc, cc + gc.cs):
                ws.cell(r_, c_).border = border
        if len(text) > 60:
            ws.row_dimensions[rr].height = min(409, 15 * (len(text) // 40 + text.count("\n") + 1))
    for k in range(12):
        ws.column_dimensions["ABCDEFGHIJKL"[k]].width = 10 if k else 13
    wb.properties.creator = rng.choice(("Administrator", "user", "微软用户"))
    wb.properties.created = wb.properties.modified = FIXED_DT
    wb.save(os.fspath(path))
    normalize_ooxml(path)


# ---------------------------------------------------------------------------------------
# the summary table (attachment 2) as xlsx
# ---------------------------------------------------------------------------------------
LV4 = ("enterprise", "prefecture", "provincial", "national")
LV_ZH = {"enterprise": "企业级", "prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}


def summary_columns(category: bool, cat_before_remark: bool) -> list[tuple[str, str, str]]:
    cols = [("序号", "", "seq"), ("姓名", "", "name"), ("工作单位及职务", "", "employer_position"),
            ("技术等级/职称/执业资格", "", "level_title")]
    if category and not cat_before_remark:
        cols.append(("类别", "", "category"))
    cols += [("技能竞赛获奖名次", LV_ZH[lv], f"competition.{lv}") for lv in LV4]
    cols += [("攻关课题及创新成果获奖（项）", LV_ZH[lv], f"innovation.{lv}") for lv in LV4]
    cols += [("取得专利数量（件）", zh, f"patents.{k}") for k, zh in (("invention", "发明专利"), ("utility", "实用新型"),
                                                              ("design", "外观设计"))]
    cols += [("行业标准或操作规范、工作法应用情况（次）", LV_ZH[lv], f"standards.{lv}") for lv in LV4]
    cols += [("创造经济效益（万元）", str(y), f"benefit.{y}") for y in YEARS]
    cols += [("签订师带徒协议（份）", str(y), f"apprentices.{y}") for y in YEARS]
    cols += [("媒体宣传情况（次）", LV_ZH[lv], f"media.{lv}") for lv in ("prefecture", "provincial", "national")]
    if category and cat_before_remark:
        cols.append(("类别", "", "category"))
    cols.append(("备注", "", "remark"))
    return cols


def write_summary_xlsx(path: Path, u: UnitPlan, rows: list[dict], rng: random.Random) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    st = u.style
    cols = summary_columns(u.category_column, st["category_before_remark"])
    wb = Workbook()
    ws = wb.active
    ws.title = rng.choice(("汇总表", "Sheet1", "附件2"))
    n = len(cols)
    r = 1
    if st["title_row"]:
        ws.cell(r, 1, "开封工匠推荐人选基本情况汇总表").font = Font(size=16, bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        r += 1
    if st["unit_row"]:
        d = u.summary_date
        ws.cell(r, 1, f"推荐单位（公章）：{u.name}")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=min(n, 8))
        ws.cell(r, min(n, 8) + 2, "领导签名：")
        ws.cell(r, n - 5, f"填表日期：{d.year}年{d.month}月{d.day}日")
        r += 1
    border = _xl_border()
    c = 0
    while c < n:
        grp, sub, key = cols[c]
        if not sub:
            ws.cell(r, c + 1, grp)
            ws.merge_cells(start_row=r, start_column=c + 1, end_row=r + 1, end_column=c + 1)
            c += 1
            continue
        j = c
        while j < n and cols[j][0] == grp:
            ws.cell(r + 1, j + 1, cols[j][1])
            j += 1
        ws.cell(r, c + 1, grp)
        if j - c > 1:
            ws.merge_cells(start_row=r, start_column=c + 1, end_row=r, end_column=j)
        c = j
    for rr in (r, r + 1):
        for cc in range(1, n + 1):
            cell = ws.cell(rr, cc)
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.font = Font(bold=True, size=10)
    r += 2
    for row in rows:
        for k, (_, _, key) in enumerate(cols):
            val = row.get(key, "")
            if key.startswith(("competition.", "innovation.", "patents.", "standards.", "benefit.", "apprentices.",
                               "media.")) or key == "seq":
                cv = _num(val)
            else:
                cv = val or None
            cell = ws.cell(r, k + 1, cv)
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        r += 1
    if st["notes"]:
        r += 1
        for nt in ("注：1.表中“技术等级”指职工技能等级，如技师、高级技师；“执业资格”指国家颁发的执业资格证书，如一级建造师、二级监理师等。",
                   "2.表中备注栏填写对推荐人选的特殊说明，如国家级非物质文化遗产传承人等。",
                   "3.各推荐单位对所推荐人选按优先顺序排列。"):
            ws.cell(r, 1, nt)
            r += 1
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["B"].width = 10
    wb.properties.creator = "Administrator"
    wb.properties.created = wb.properties.modified = FIXED_DT
    wb.save(os.fspath(path))
    normalize_ooxml(path)


def write_receipts_xlsx(path: Path, bp: BatchPlan, rng: random.Random) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "收件登记"
    ws.append(["序号", "推荐单位", "收件日期", "收件人", "备注"])
    units = list(bp.units)
    rng.shuffle(units)
    style = rng.randrange(3)
    for i, u in enumerate(units, 1):
        d = u.received or DEADLINE
        name = u.name if rng.random() < 0.7 else u.name.replace("开封市", "", 1)
        if style == 0:
            dv: Any = datetime(d.year, d.month, d.day)
        elif style == 1:
            dv = f"{d.year}年{d.month}月{d.day}日"
        else:
            dv = f"{d:%Y-%m-%d}"
        ws.append([i, name, dv, rng.choice(("任梦", "冯伟博")), "纸质、电子版" if rng.random() < 0.5 else ""])
        if style == 0:
            ws.cell(i + 1, 3).number_format = "yyyy-mm-dd"
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 16
    wb.properties.created = wb.properties.modified = FIXED_DT
    wb.save(os.fspath(path))
    normalize_ooxml(path)


# ---------------------------------------------------------------------------------------
# deeds, presentation
# ---------------------------------------------------------------------------------------
def write_deeds_docx(path: Path, title: str, text: str, rng: random.Random) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    doc = Document()
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rr = p.add_run(title)
    rr.bold = True
    rr.font.size = Pt(18)
    for para in text.split("\n"):
        q = doc.add_paragraph(para)
        q.paragraph_format.first_line_indent = Pt(21)
    cp = doc.core_properties
    cp.author = rng.choice(("Administrator", "user", "微软用户"))
    cp.created = cp.modified = FIXED_DT
    cp.revision = 1
    doc.save(os.fspath(path))
    normalize_ooxml(path)


_FONT_NAME: Optional[str] = None


def _reportlab_font() -> str:
    global _FONT_NAME
    if _FONT_NAME:
        return _FONT_NAME
    from reportlab.pdfbase import pdfmetrics
    for path in CJK_TTF:
        if os.path.exists(path):
            try:
                from reportlab.pdfbase.ttfonts import TTFont
                pdfmetrics.registerFont(TTFont("CJK", path, subfontIndex=0))
                _FONT_NAME = "CJK"
                return _FONT_NAME
            except Exception:
                continue
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _FONT_NAME = "STSong-Light"
    return _FONT_NAME


def write_text_pdf(path: Path, title: str, text: str) -> None:
    """A text PDF (as printed from Word): CJK TTF, wrapped lines, deterministic."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas
    font = _reportlab_font()
    c = canvas.Canvas(os.fspath(path), pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor("Administrator")
    c.setCreator("Microsoft® Word 2016")
    W, H = A4
    L, R, T, B = 72, W - 72, H - 72, 72
    y = T
    c.setFont(font, 18)
    c.drawCentredString(W / 2, y, title)
    y -= 40
    size, lead = 12, 22
    c.setFont(font, size)
    for para in text.split("\n"):
        line = "　　" if not para.startswith(("一、", "二、", "三、", "四、")) else ""
        for ch in para:
            if stringWidth(line + ch, font, size) > R - L:
                c.drawString(L, y, line)
                y -= lead
                line = ""
                if y < B:
                    c.showPage()
                    c.setFont(font, size)
                    y = T
            line += ch
        if line:
            c.drawString(L, y, line)
            y -= lead
            if y < B:
                c.showPage()
                c.setFont(font, size)
                y = T
    c.save()


def write_pptx(path: Path, nm: NomPlan, photo: bytes, rng: random.Random) -> None:
    from pptx import Presentation
    from pptx.util import Inches, Pt
    p = nm.person
    prs = Presentation()
    if rng.random() < 0.7:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    s = prs.slides.add_slide(prs.slide_layouts[0])
    s.shapes.title.text = f"{p.name}——{rng.choice(('匠心筑梦', '技能报国', '精益求精', '立足岗位 追求卓越'))}"
    s.placeholders[1].text = f"{p.employer.name}  {p.position}\n2020年度开封工匠推荐人选"
    dom = DOMAINS[p.occupation]
    bullets = [
        ("个人简介", [f"{p.gender}，{p.birth.year}年{p.birth.month}月出生，{p.politics}", f"{p.skill_level}，{p.specialty}",
                  f"从事{dom.field}工作{2021 - p.resume[0].start[0]}年"]),
        ("技能专长", [f"熟练掌握{t}" for t in dom.techniques[:3]]),
        ("创新成果", [f"专利 {len(p.patents)} 项" if p.patents else "参与多项技术攻关",
                  *(f"{a.name}（{a.rank}）" for a in p.innovations[:2])]),
        ("传帮带", [f"签订师带徒协议 {len(p.agreements)} 份" if p.agreements else "坚持传帮带",
                 f"带动 {len(p.trainees)} 名职工技能等级提升" if p.trainees else "组织技能培训"]),
        ("荣誉", [f"{h.year}年 {h.title}" for h in p.honors]),
    ]
    for i, (t, items) in enumerate(bullets):
        sl = prs.slides.add_slide(prs.slide_layouts[1])
        sl.shapes.title.text = t
        body = sl.placeholders[1].text_frame
        body.text = items[0] if items else ""
        for it in items[1:]:
            body.add_paragraph().text = it
        if i == 0 or (i == 2 and rng.random() < 0.5):
            sl.shapes.add_picture(io.BytesIO(photo), prs.slide_width - Inches(4.2), Inches(1.8), width=Inches(3.8))
    cp = prs.core_properties
    cp.author = "Administrator"
    cp.created = cp.modified = FIXED_DT
    cp.revision = 1
    prs.save(os.fspath(path))
    normalize_ooxml(path)


# ---------------------------------------------------------------------------------------
# the writer
# ---------------------------------------------------------------------------------------
SCANNERS = ("EPSON Scan", "Canon MF Scan Utility", "HP Scan", "KODAK Capture Pro", "Brother iPrint&Scan",
            "FUJI XEROX DocuWorks", "RICOH Aficio MP 2555", "KONICA MINOLTA bizhub C368")

KIND_FILE_NAMES = {
    "skill": ("职业资格证书", "技能等级证书", "职业技能等级证书", "资格证书"),
    "honor": ("荣誉证书", "{title}证书", "{title}"),
    "competition": ("技能竞赛获奖证书", "竞赛获奖证书", "获奖证书"),
    "innovation": ("创新成果获奖证书", "技术创新成果证书", "成果获奖证书"),
    "patent": ("{ptype}专利证书", "专利证书-{title}", "专利证书"),
    "statement": ("{year}年经济效益证明", "经济效益证明{year}", "效益证明（{year}年度）"),
    "agreement": ("师带徒协议-{apprentice}", "师带徒协议", "师徒协议书（{apprentice}）"),
    "training": ("技能等级提升人员名单", "培养人才名单", "培训晋级人员名单"),
    "clipping": ("媒体报道-{outlet}", "{outlet}报道", "新闻报道"),
    "stddoc": ("{title}", "《{title}》", "标准及工作法"),
}


class Writer:
    def __init__(self, bp: BatchPlan, stage: Path, damage: str):
        self.bp = bp
        self.stage = stage
        self.damage = damage
        self.truth: dict[str, list[dict]] = {}
        self.scanned_pages = 0
        self.copies: list[tuple[EvItem, str]] = []
        self.unit_files: dict[str, dict[str, str]] = {}    # unit → role → rel path
        self.nom_files: dict[str, dict[str, str]] = {}     # nominee → role → rel path
        self.seed = bp.seed

    # -- helpers ---------------------------------------------------------------------------
    def rng(self, tag: str) -> random.Random:
        return random.Random(f"{self.seed}:{tag}")

    def path(self, rel: str) -> Path:
        p = self.stage / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def record(self, rel: str, pages: Optional[Sequence[RenderedPage]], count: bool = True) -> str:
        data = (self.stage / rel).read_bytes()
        sha = sha256_bytes(data)
        if pages is not None:
            for i, pg in enumerate(pages, 1):
                self.truth[f"{sha}:{i}"] = _truth(pg.lines) + _seal_truth(pg)
            if count:
                self.scanned_pages += len(pages)
        return sha

    def scanned(self, page: RenderedPage, tag: str, damage: str) -> RenderedPage:
        return scan(page, self.rng(tag + ":scan"), damage)

    def scanner_meta(self, rel: str) -> dict:
        """What the unit's scanner writes into a PDF: its name, and the day of the scan."""
        unit = rel.split("/", 1)[0]
        u = next((u for u in self.bp.units if u.name == unit), None)
        r = random.Random(f"{self.seed}:scanner:{unit}")
        name = r.choice(SCANNERS)
        d = u.summary_date if u else date(2021, 5, 28)
        t = random.Random(f"{self.seed}:scantime:{rel}")
        when = datetime(d.year, d.month, d.day, t.randint(8, 17), t.randint(0, 59), t.randint(0, 59))
        return {"producer": name, "creator": name, "creation_date": when, "mod_date": when}

    def save_scans(self, pages: list[RenderedPage], rel: str, fmt: str, q: int, meta: Optional[dict] = None,
                   exif: Optional[dict] = None) -> str:
        p = self.path(rel)
        if fmt == "pdf":
            m = self.scanner_meta(rel)
            m.update(meta or {})
            _save_pdf(pages, p, jpeg_quality=q, **m)
        elif fmt in ("jpg", "jpg-as-pdf"):
            # F02: EXIF Software / DateTimeOriginal planted on the item (``EvItem.exif``)
            save_image(pages[0], p, fmt="JPEG", quality=q, **(exif or {}))
        elif fmt == "png":
            # a scan is noise-rich: PNG's default effort buys little, so keep it quick
            pages[0].image.save(os.fspath(p), "PNG", dpi=(pages[0].dpi, pages[0].dpi), compress_level=2)
        elif fmt == "tif":
            save_image(pages[0], p, fmt="TIFF")
        else:
            raise ValueError(fmt)
        return self.record(rel, pages)

    # -- the batch -------------------------------------------------------------------------
    def write(self, workers: int = 1) -> None:
        """Write every unit (in ``workers`` forked processes when > 1), then the copies."""
        units = self.bp.units
        if workers > 1 and len(units) > 1 and hasattr(os, "fork"):
            import multiprocessing
            global _FORK_WRITER
            _FORK_WRITER = self
            try:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(min(workers, len(units))) as pool:
                    results = pool.map(_unit_job, range(len(units)), chunksize=1)
            finally:
                _FORK_WRITER = None
            for res in results:
                self.merge(res)
        else:
            for u in units:
                self.write_unit(u)
        for e, rel in self.copies:
            src = self.stage / e.copy_from.locs[0][0]
            shutil.copyfile(src, self.path(rel))
            e.locs = [(rel, 1)]
        if self.bp.receipt_log:
            rel = "收件登记.xlsx"
            write_receipts_xlsx(self.path(rel), self.bp, self.rng("receipts"))

    def item_keys(self) -> dict[int, tuple[str, int]]:
        return {id(e): (x.name, k) for x in self.bp.noms for k, e in enumerate(x.evidence)}

    def unit_result(self, u: UnitPlan) -> dict:
        """What a forked worker hands back: everything write_unit changed."""
        keys = self.item_keys()
        return {
            "truth": self.truth, "scanned": self.scanned_pages,
            "unit_files": {u.name: self.unit_files.get(u.name, {})},
            "nom_files": {x.name: self.nom_files.get(x.name, {}) for x in u.noms},
            "locs": {(x.name, k): e.locs for x in u.noms for k, e in enumerate(x.evidence)},
            "extras": {(x.name, k): ef.path for x in u.noms for k, ef in enumerate(x.extras)},
            "declared": {x.name: x.declared for x in u.noms},
            "copies": [(keys[id(e)], rel) for e, rel in self.copies],
        }

    def merge(self, res: dict) -> None:
        items = {(x.name, k): e for x in self.bp.noms for k, e in enumerate(x.evidence)}
        by_name = {x.name: x for x in self.bp.noms}
        self.truth.update(res["truth"])
        self.scanned_pages += res["scanned"]
        self.unit_files.update(res["unit_files"])
        self.nom_files.update(res["nom_files"])
        for key, locs in res["locs"].items():
            items[key].locs = locs
        for (name, k), path in res["extras"].items():
            by_name[name].extras[k].path = path
        for name, v in res["declared"].items():
            by_name[name].declared = v
        for key, rel in res["copies"]:
            self.copies.append((items[key], rel))

    def write_unit(self, u: UnitPlan) -> None:
        st = u.style
        base = u.name
        files = self.unit_files.setdefault(u.name, {})
        names = [x.name for x in u.noms]
        dmg = u.damage
        q = u.jpeg_q
        # recommendation report
        rng = self.rng(f"report:{u.name}")
        page = D.recommendation_report(rng, unit=u.name, names=names, date=u.report_date)
        fn = (f"{base}/推荐报告.{u.report_format}", f"{base}/{u.name}推荐报告.{u.report_format}",
              f"{base}/关于推荐2020年度开封工匠人选的推荐报告.{u.report_format}")[st["file_style"]]
        self.save_scans([self.scanned(page, f"report:{u.name}", dmg)], fn, u.report_format, q)
        files["report"] = fn
        # publicity
        if "publicity" not in u.missing:
            rng = self.rng(f"pub:{u.name}")
            shot = u.pub_format == "png"
            page = D.publicity_notice(rng, unit=u.name, names=names, start=u.pub_start, end=u.pub_end,
                                      issued=u.pub_issued, screenshot=shot)
            if shot:
                fn = rng.choice((f"{base}/公示截图.png", f"{base}/公示.png", f"{base}/推荐人选公示截图.png"))
                self.save_scans([page], fn, "png", q)
            else:
                fn = rng.choice((f"{base}/公示.{u.pub_format}", f"{base}/推荐人选公示.{u.pub_format}",
                                 f"{base}/公示材料.{u.pub_format}"))
                self.save_scans([self.scanned(page, f"pub:{u.name}", dmg)], fn, u.pub_format, q)
            files["publicity"] = fn
        # summary table rows
        rows = []
        for x in u.noms:
            if x.name == u.summary_missing_name:
                continue
            r = dict(x.summary_row)
            r.update(x.summary_over)
            rows.append(r)
        for i, r in enumerate(rows, 1):
            r["seq"] = str(i)
        if u.summary_mod == "dup" and len(rows) >= 2:
            k = self.rng(f"dup:{u.name}").randrange(1, len(rows))
            rows[k]["seq"] = rows[k - 1]["seq"]
        if u.summary_mod == "extra":
            e = u.spec.employers[0]
            rows.append({"seq": str(len(rows) + 1), "name": u.summary_extra_name,
                         "employer_position": f"{e.name}{DOMAINS[e.occupations[0]].positions[0]}",
                         "level_title": "技师", "category": e.category_label, "remark": "",
                         **{f"benefit.{y}": "" for y in YEARS}})
        rng = self.rng(f"sumx:{u.name}")
        fn = (f"{base}/汇总表.xlsx", f"{base}/附件2-推荐人选基本情况汇总表.xlsx", f"{base}/{u.name}汇总表.xlsx")[st["file_style"]]
        write_summary_xlsx(self.path(fn), u, rows, rng)
        self.record(fn, None)
        files["summary"] = fn
        if "summary_scan" not in u.missing:
            rng = self.rng(f"sums:{u.name}")
            page = D.summary_table(rng, unit=u.name, rows=rows, years=list(YEARS), date=u.summary_date.isoformat(),
                                   seal=True, category_column=u.category_column)
            fmt = u.summary_scan_format
            fn = (f"{base}/汇总表（盖章）.{fmt}", f"{base}/汇总表扫描件.{fmt}", f"{base}/附件2汇总表(盖章版).{fmt}")[
                st["file_style"]]
            self.save_scans([self.scanned(page, f"sums:{u.name}", dmg)], fn, fmt, q)
            files["summary_scan"] = fn
        for x in u.noms:
            self.write_nominee(u, x)

    # -- a nominee -------------------------------------------------------------------------
    def write_nominee(self, u: UnitPlan, x: NomPlan) -> None:
        p = x.person
        st = u.style
        folder = f"{u.name}/{x.folder_name}"
        files = self.nom_files.setdefault(x.name, {})
        files["folder"] = folder
        rng = self.rng(f"nom:{x.name}")
        # form values
        v = form_values(x)
        if x.resume_gap or x.resume_no_months:
            v["resume"] = resume_text(p.resume, st["resume_style"], st["resume_sep"], drop_months=x.resume_no_months)
        v.update(x.form_over)
        x.declared = v
        fs = st["file_style"]
        photo_id = D.photo(self.rng(f"idphoto:{x.name}"), kind="id")
        pbuf = io.BytesIO()
        photo_id.save(pbuf, "JPEG", quality=90)
        for fmt in x.form_formats:
            if fmt == "docx":
                fn = (f"{folder}/审批表.docx", f"{folder}/{p.name}推荐审批表.docx", f"{folder}/开封工匠推荐审批表.docx")[fs]
                write_form_docx(self.path(fn), v, st, self.rng(f"formdocx:{x.name}"),
                                pbuf.getvalue() if rng.random() < 0.4 else None)
                self.record(fn, None)
                files.setdefault("form", fn)
            elif fmt == "xlsx":
                fn = (f"{folder}/附件1-审批表.xlsx", f"{folder}/{p.name}审批表.xlsx", f"{folder}/推荐审批表.xlsx")[fs]
                write_form_xlsx(self.path(fn), v, st, self.rng(f"formxlsx:{x.name}"))
                self.record(fn, None)
                files.setdefault("form", fn)
            else:
                frng = self.rng(f"formscan:{x.name}")
                d0 = u.pub_start
                pages = D.approval_form(frng, values=v, years=list(YEARS), opinions=x.opinions,
                                        opinion_dates={k: d0.isoformat() for k in x.opinions})
                pages = [self.scanned(pg, f"formscan:{x.name}:{i}", "light" if u.damage == "heavy" else u.damage)
                         for i, pg in enumerate(pages)]
                fn = (f"{folder}/审批表（签字盖章）.pdf", f"{folder}/{p.name}审批表扫描件.pdf", f"{folder}/推荐审批表.pdf")[fs]
                self.save_scans(pages, fn, "pdf", u.jpeg_q)
                files["form_scan"] = fn
                files.setdefault("form", fn)
        # deeds
        title, text = p.deeds_title, p.deeds
        if x.deeds_fmt == "docx":
            fn = rng.choice((f"{folder}/事迹材料.docx", f"{folder}/{p.name}事迹材料.docx", f"{folder}/{p.name}同志先进事迹材料.docx"))
            write_deeds_docx(self.path(fn), title, text, self.rng(f"deeds:{x.name}"))
        elif x.deeds_fmt == "txt":
            fn = rng.choice((f"{folder}/事迹材料.txt", f"{folder}/{p.name}事迹材料.txt"))
            body = title + "\n\n" + text + "\n"
            if x.deeds_encoding == "gbk":
                data = body.replace("\n", "\r\n").encode("gbk")
            else:
                data = ("\ufeff" if rng.random() < 0.5 else "").encode("utf-8") + body.encode("utf-8")
            self.path(fn).write_bytes(data)
        else:
            fn = rng.choice((f"{folder}/事迹材料.pdf", f"{folder}/{p.name}事迹材料.pdf"))
            write_text_pdf(self.path(fn), title, text)
        self.record(fn, None)
        files["deeds"] = fn
        # presentation
        work = D.photo(self.rng(f"workphoto:{x.name}"), kind="work")
        wbuf = io.BytesIO()
        work.save(wbuf, "JPEG", quality=85)
        if "ppt" not in x.missing:
            fn = rng.choice((f"{folder}/{p.name}.pptx", f"{folder}/汇报PPT.pptx", f"{folder}/{p.name}事迹展示.pptx",
                             f"{folder}/PPT.pptx"))
            write_pptx(self.path(fn), x, wbuf.getvalue(), self.rng(f"ppt:{x.name}"))
            self.record(fn, None)
            files["ppt"] = fn
        # photos
        q = rng.randint(85, 95)
        for kind, img in (("work_photo", work), ("id_photo", photo_id)):
            if kind in x.missing:
                continue
            zh = "工作照" if kind == "work_photo" else "证件照"
            if x.photo_mode == "files":
                fn = rng.choice((f"{folder}/{zh}.jpg", f"{folder}/{p.name}{zh}.jpg", f"{folder}/{p.name}-{zh}.jpg"))
            elif x.photo_mode == "folder":
                fn = f"{folder}/照片/{zh}.jpg"
            else:
                fn = f"{folder}/照片/IMG_2021052{rng.randint(0, 9)}_{rng.randint(80000, 180000):06d}.jpg"
            save_image(img, self.path(fn), fmt="JPEG", quality=q)
            self.record(fn, [RenderedPage(img, [], "photo", [])], count=False)
            files[kind] = fn
        # evidence
        self.write_evidence(u, x, folder)
        # unreadable extras (M03)
        for ef in x.extras:
            self.write_extra(u, x, folder, ef)

    def write_evidence(self, u: UnitPlan, x: NomPlan, folder: str) -> None:
        st = u.style
        p = x.person
        rng = self.rng(f"evid:{x.name}")
        vol = [e for e in x.evidence if e.place == "volume"]
        loose = [e for e in x.evidence if e.place == "folder"]
        files = self.nom_files[x.name]
        # bound volume: catalog, then one scanned page per item
        if vol:
            pages: list[RenderedPage] = []
            for e in vol:
                pages.append(self.render_item(u, x, e))
            items = []
            i = 0
            grouped = rng.random() < 0.4
            while i < len(vol):
                j = i + 1
                if grouped:
                    while j < len(vol) and vol[j].kind == vol[i].kind and vol[i].kind in ("patent", "statement", "agreement", "honor"):
                        j += 1
                first, last = i + 2, j + 1
                title = vol[i].title if j == i + 1 else {"patent": "专利证书", "statement": "经济效益证明",
                                                         "agreement": "师带徒协议", "honor": "荣誉证书"}[vol[i].kind] + f"（{j - i}份）"
                items.append((title, str(first) if first == last else f"{first}-{last}"))
                i = j
            if x.catalog_defect == "extra":
                # M02: the catalog lists a document the volume does not hold
                at = rng.randrange(len(items) + 1)
                items.insert(at, (x.catalog_extra, str(len(vol) + 2)))
            skip = 0
            if x.catalog_defect != "none":
                cat = D.catalog(self.rng(f"catalog:{x.name}"), person=p.name, items=items)
                cat = self.scanned(cat, f"catalog:{x.name}", u.damage)
                pages = [cat] + pages
            else:
                skip = 1   # M02: no catalog, the volume starts with the first document
            name = st["volume_name"].format(name=p.name)
            fn = f"{folder}/{name}"
            meta = {}
            self.save_scans(pages, fn, "pdf", u.jpeg_q, meta)
            for k, e in enumerate(vol):
                e.locs = [(fn, k + 2 - skip)]
            files["volume"] = fn
        # folder of separate scans
        if loose:
            sub = st["evidence_folder"]
            used: set[str] = set()
            idx = 0
            if x.evidence_mode == "folder" and x.catalog_in_folder:
                items = [(e.title, str(k + 1)) for k, e in enumerate(loose)]
                cat = D.catalog(self.rng(f"catalog:{x.name}"), person=p.name, items=items)
                cat = self.scanned(cat, f"catalog:{x.name}", u.damage)
                self.save_scans([cat], f"{folder}/{sub}/00-材料目录.jpg", "jpg", u.jpeg_q)
            for e in loose:
                idx += 1
                src_fmt = e.copy_from.fmt if e.copy_from is not None else e.fmt
                ext = {"pdf": "pdf", "jpg": "jpg", "png": "png", "tif": "tif", "jpg-as-pdf": "pdf"}[src_fmt]
                stem = e.fname.rsplit(".", 1)[0] if e.fname else self.file_stem(e, rng)
                pre = f"{idx:02d}-" if st["file_style"] == 1 else (f"{idx}." if st["file_style"] == 2 and rng.random() < 0.5 else "")
                if e.fname in ("专利证书.pdf",):
                    pre = ""
                name = f"{pre}{stem}.{ext}"
                k = 2
                while name in used:
                    name = f"{pre}{stem}（{k}）.{ext}"
                    k += 1
                used.add(name)
                rel = f"{folder}/{sub}/{name}"
                if e.copy_from is not None:
                    self.copies.append((e, rel))
                    continue
                page = self.render_item(u, x, e)
                meta = dict(e.pdf_meta) if e.pdf_meta else {}
                if e.kind in ("agreement", "training") and e.fmt in ("jpg", "png") and not e.touched \
                        and not e.paste_seal and rng.random() < 0.5:
                    # photographed sheet by sheet: the top half with the title in one file, the
                    # rest in a second (one document over two files)
                    halves = split_page(page, 0.5 if e.kind == "agreement" else 0.45)
                    if halves is not None:
                        rel1, rel2 = (f"{folder}/{sub}/{pre}{stem}-{k}.{ext}" for k in (1, 2))
                        used.update({rel1.rsplit("/", 1)[1], rel2.rsplit("/", 1)[1]})
                        self.save_scans([halves[0]], rel1, e.fmt, u.jpeg_q, meta)
                        self.save_scans([halves[1]], rel2, e.fmt, u.jpeg_q, meta)
                        e.locs = [(rel1, 1)]
                        continue
                self.save_scans([page], rel, e.fmt, u.jpeg_q, meta, exif=e.exif if e.fmt == "jpg" else None)
                e.locs = [(rel, 1)]
            files["evidence_folder"] = f"{folder}/{sub}"

    def file_stem(self, e: EvItem, rng: random.Random) -> str:
        t = rng.choice(KIND_FILE_NAMES[e.kind])
        o = e.obj
        fill = {}
        if e.kind == "honor":
            fill["title"] = e.kw.get("title", "")
        if e.kind == "patent":
            fill["ptype"] = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}[o.ptype]
            fill["title"] = o.title
        if e.kind == "statement":
            fill["year"] = o.year
        if e.kind == "agreement":
            fill["apprentice"] = o.apprentice
        if e.kind == "clipping":
            fill["outlet"] = o.outlet
        if e.kind == "stddoc":
            fill["title"] = o.title
        return t.format(**fill).replace("/", "-")

    def render_item(self, u: UnitPlan, x: NomPlan, e: EvItem) -> RenderedPage:
        fn = getattr(D, e.fn)
        page = fn(random.Random(e.seed), **e.kw)
        page = scan(page, random.Random(e.seed + ":scan"), e.damage or u.damage)
        if e.paste_seal:
            self.paste_finance_seal(page, e)
        return page

    _seal_cache: dict = {}

    def paste_finance_seal(self, page: RenderedPage, e: EvItem) -> None:
        """F03: one finance-seal image pasted, pixel for pixel, on every statement of the nominee."""
        donor = e.paste_seal["donor"]
        unit = e.paste_seal["unit"]
        crop = self._seal_cache.get(donor)
        if crop is None:
            dp = D.benefit_statement(random.Random(donor), unit=unit, project="技术改造", person="某某", year=2019,
                                     created_yuan=10000, saved_yuan=0, date="2019-12-20", seal="finance")
            seal = next(s for s in dp.seals if s.kind == "finance")
            crop = seal_crop(dp, seal)
            self._seal_cache[donor] = crop
        # over the issuing unit's name at the foot of the statement
        cands = [t for t in page.lines if unit in t.text or t.text in unit and len(t.text) >= 4]
        if cands:
            t = max(cands, key=lambda t: t.box[1])
            cx, cy = (t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2 + 10
        else:
            cx, cy = page.image.width * 0.7, page.image.height * 0.7
        paste_seal(page, crop, (cx, cy), ring_text=unit, center_text="财务专用章", kind="finance")

    def write_extra(self, u: UnitPlan, x: NomPlan, folder: str, ef: ExtraFile) -> None:
        rel = f"{folder}/{ef.name}"
        p = self.path(rel)
        r = self.rng(f"extra:{x.name}:{ef.name}")
        if ef.how == "empty":
            p.write_bytes(b"")
        elif ef.how == "wps":
            p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(r.getrandbits(8) for _ in range(r.randint(3000, 7000))))
        elif ef.how in ("corrupt-pdf", "encrypted-pdf"):
            h = x.person.honors[0]
            page = D.honor_certificate(random.Random(f"extra-page:{x.name}"), holder=x.name, title=h.title,
                                       issuer=h.issuer, date=h.date)
            page = scan(page, random.Random(f"extra-page:{x.name}:scan"), u.damage)
            buf = io.BytesIO()
            tmp = self.stage / f".tmp-{x.name}.pdf"
            _save_pdf([page], tmp, jpeg_quality=u.jpeg_q)
            data = tmp.read_bytes()
            tmp.unlink()
            if ef.how == "corrupt-pdf":
                p.write_bytes(data[: int(len(data) * r.uniform(0.4, 0.7))])
            else:
                from pypdf import PdfReader, PdfWriter
                w = PdfWriter()
                for pg in PdfReader(io.BytesIO(data)).pages:
                    w.add_page(pg)
                w.encrypt(user_password=f"{r.randint(100000, 999999)}", owner_password="kfgj2021", algorithm="RC4-128")
                w.write(buf)
                p.write_bytes(buf.getvalue())
        ef.path = rel
        self.record(rel, None)

    # -- final layout: zips ----------------------------------------------------------------
    def finish(self, batch: Path) -> dict[str, str]:
        """Move the staged tree into ``batch``, zipping the units/nominees that arrive as zips.
        Returns staged-rel-prefix → batch path prefix for the zipped parts."""
        batch.mkdir(parents=True, exist_ok=True)
        mapping: dict[str, str] = {}
        for u in self.bp.units:
            src = self.stage / u.name
            if u.zipped:
                zname = f"{u.name}.zip" if self.rng(f"zipname:{u.name}").random() < 0.6 else f"{u.name}推荐材料.zip"
                write_gbk_zip(batch / zname, src, u.name)
                mapping[u.name + "/"] = f"{zname}!/{u.name}/"
                u.folder = f"{zname}!/{u.name}"
                for x in u.noms:
                    x.folder = f"{zname}!/{u.name}/{x.folder_name}"
                continue
            u.folder = u.name
            for x in u.noms:
                x.folder = f"{u.name}/{x.folder_name}"
                if x.zipped:
                    nsrc = src / x.folder_name
                    zname = f"{x.folder_name}.zip"
                    (batch / u.name).mkdir(parents=True, exist_ok=True)
                    write_gbk_zip(batch / u.name / zname, nsrc, None if x.zip_flat else x.folder_name)
                    inner = "" if x.zip_flat else f"{x.folder_name}/"
                    mapping[f"{u.name}/{x.folder_name}/"] = f"{u.name}/{zname}!/{inner}"
                    x.folder = f"{u.name}/{zname}"
                    shutil.rmtree(nsrc)
            shutil.copytree(src, batch / u.name, dirs_exist_ok=True)
        for f in ("收件登记.xlsx",):
            if (self.stage / f).exists():
                shutil.copyfile(self.stage / f, batch / f)
        return mapping


_FORK_WRITER: Optional[Writer] = None


def _unit_job(i: int) -> dict:
    w = _FORK_WRITER
    w.truth, w.scanned_pages, w.copies = {}, 0, []
    u = w.bp.units[i]
    w.write_unit(u)
    return w.unit_result(u)


def split_page(page: RenderedPage, frac: float) -> Optional[tuple[RenderedPage, RenderedPage]]:
    """``page`` cut in two across a gap between its text lines near ``frac`` of its height
    (never through a line or a seal); boxes of the lower half moved up. None without a gap."""
    H = page.image.height
    spans = sorted((ln.box[1], ln.box[3]) for ln in page.lines)
    spans += [(sd.box[1], sd.box[3]) for sd in page.seals]
    spans.sort()
    gaps, end = [], None
    for y0, y1 in spans:
        if end is not None and y0 - end > 12:
            gaps.append((end + y0) / 2)
        end = y1 if end is None else max(end, y1)
    gaps = [g for g in gaps if 0.25 * H < g < 0.75 * H]
    if not gaps:
        return None
    cut = int(min(gaps, key=lambda g: abs(g - frac * H)))

    def moved(b, dy):
        return (b[0], b[1] - dy, b[2], b[3] - dy)

    def half(lo: int, hi: int) -> RenderedPage:
        lines = [TruthLine(ln.text, moved(ln.box, lo), ln.confidence,
                           tuple((qx, qy - lo) for qx, qy in ln.quad) if ln.quad else None)
                 for ln in page.lines if lo <= (ln.box[1] + ln.box[3]) / 2 < hi]
        seals = [dataclasses.replace(sd, box=moved(sd.box, lo)) for sd in page.seals
                 if lo <= (sd.box[1] + sd.box[3]) / 2 < hi]
        return RenderedPage(page.image.crop((0, lo, page.image.width, hi)), lines, page.kind, seals, page.dpi,
                            dict(page.meta))
    return half(0, cut), half(cut, H)


def _final(mapping: dict[str, str], rel: Optional[str]) -> Optional[str]:
    if rel is None:
        return None
    for pre in sorted(mapping, key=len, reverse=True):
        if rel.startswith(pre):
            return mapping[pre] + rel[len(pre):]
        if rel + "/" == pre:
            return mapping[pre].rstrip("/")
    return rel


def _jsonable(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()[:10]
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def truth_facts(e: EvItem) -> dict:
    """The facts of one evidence item as the audit should read them (keys of
    audit/evidence_kinds.yaml), for the field benchmark (bench/fields.py --batch)."""
    from audit.ids import parse_patent_number
    kw = e.kw
    if e.fn == "patent_certificate":
        pn = parse_patent_number(kw["number"])
        out = {"number": pn.normalized if pn else kw["number"], "ptype_title": kw["ptype"],
               "inventors": list(kw["inventors"]), "filed": kw["filed"], "granted": kw["granted"]}
    elif e.fn == "skill_certificate":
        out = {k: kw[k] for k in ("holder", "id_number", "level", "number")}
    elif e.fn in ("honor_certificate",):
        out = {k: kw[k] for k in ("holder", "title")}
        if kw.get("number"):
            out["number"] = kw["number"]
    elif e.fn == "competition_award":
        out = {k: kw[k] for k in ("holder", "rank")}
    elif e.fn == "innovation_award":
        out = {k: kw[k] for k in ("holder", "rank")}
    elif e.fn == "benefit_statement":
        out = {"year": kw["year"], "person": kw["person"]}
        for k in ("created", "saved"):
            v = Decimal(kw[f"{k}_yuan"])
            if v:
                out[k] = v / Decimal(10000)
    elif e.fn == "apprentice_agreement":
        out = {k: kw[k] for k in ("master", "apprentice", "start")}
    elif e.fn == "training_list":
        out = {"names": [r[0] for r in kw["rows"]]}
    elif e.fn == "media_clipping":
        out = {"outlet": kw["outlet"]}
    elif e.fn == "standard_doc":
        out = {"number": kw["number"]}
    else:
        out = {}
    if "date" in kw and isinstance(kw["date"], date):
        out["date_year"] = kw["date"].year
    return {k: _jsonable(v) for k, v in out.items()}


def build_expected(bp: BatchPlan, w: Writer, mapping: dict[str, str]) -> dict:
    fin = lambda rel: _final(mapping, rel)  # noqa: E731
    defects = []
    for d in bp.defects:
        file, page = None, None
        t = d.target
        nf = w.nom_files.get(d.nominee.name, {}) if d.nominee else {}
        uf = w.unit_files.get(d.unit.name, {}) if d.unit else {}
        if isinstance(t, EvItem):
            if t.locs:
                file, page = t.locs[0]
        elif isinstance(t, ExtraFile):
            file = t.path
        elif t == "form":
            file = nf.get("form")
        elif t == "form-scan":
            file, page = nf.get("form_scan"), 2
        elif t == "deeds":
            file = nf.get("deeds")
        elif t == "folder":
            file = nf.get("folder")
        elif t == "evidence":
            file = nf.get("volume") or nf.get("evidence_folder")
        elif t == "summary":
            file = uf.get("summary") if d.unit else None
        elif t == "unit-folder":
            file = d.unit.name
        elif t in ("publicity", "report"):
            file = uf.get(t)
        elif t == "receipt":
            file = "收件登记.xlsx"
        fpath = fin(file)
        if t == "folder" and d.nominee:
            fpath = d.nominee.folder
        if t == "unit-folder":
            fpath = d.unit.folder
        defects.append({"code": d.code, "unit": d.unit.name if d.unit else None,
                        "nominee": d.nominee.name if d.nominee else None, "file": fpath, "page": page,
                        "what": d.what})
    units = [{"unit": u.name, "folder": u.folder, "codes": sorted(set(u.codes))} for u in bp.units]
    noms = []
    for u in bp.units:
        for x in u.noms:
            noms.append({"unit": u.name, "name": x.name, "folder": x.folder, "clean": x.clean and not x.codes,
                         "codes": sorted(set(x.codes)), "declared": {k: str(v) for k, v in x.declared.items()},
                         "evidence": [{"kind": e.fn, "title": e.title, "file": fin(e.locs[0][0]),
                                       "page": e.locs[0][1], "facts": truth_facts(e)}
                                      for e in x.evidence if e.locs]})
    return {"seed": bp.seed, "generator": GENERATOR, "units": units, "nominees": noms,
            "batch_codes": sorted(set(bp.batch_codes)), "defects": defects}


def generate(out: Path, seed: int, *, nominees: Optional[int] = None, units: Optional[int] = None,
             damage: str = "normal", workers: Optional[int] = None) -> dict:
    """Write a sample batch for ``seed`` under ``out`` (``batch/``, ``expected.json``,
    ``ocr-truth.json``) and return a summary: paths, counts, the codes planted, timing.

    ``nominees`` / ``units`` override the drawn batch size (12-16 nominees in 4-5 units);
    ``damage`` (none | light | normal | heavy) sets how rough the scans are (``normal`` mixes
    light and heavy units). ``workers`` processes draw the units in parallel (default: the
    CPU count, at most 4); the files do not depend on it."""
    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    batch = out / "batch"
    if batch.exists():
        shutil.rmtree(batch)
    stage = out / ".stage"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    bp = plan_batch(seed, nominees, units, damage)
    plant(bp)
    w = Writer(bp, stage, damage)
    try:
        # Forked workers only when asked: forking a process whose native libraries (OpenCV,
        # ONNX Runtime) already run thread pools can deadlock the children, and those threads
        # are invisible to `threading`. The CLI, a fresh process, asks for them.
        w.write(workers or 1)
        mapping = w.finish(batch)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    expected = build_expected(bp, w, mapping)
    (out / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), "utf-8")
    (out / "ocr-truth.json").write_text(json.dumps(w.truth, ensure_ascii=False, sort_keys=True), "utf-8")
    codes = sorted({c for n in expected["nominees"] for c in n["codes"]} | {c for u in expected["units"] for c in u["codes"]}
                   | set(expected["batch_codes"]))
    return {"batch": str(batch), "expected": str(out / "expected.json"), "ocr_truth": str(out / "ocr-truth.json"),
            "seed": seed, "units": len(bp.units), "nominees": len(bp.noms),
            "clean": [n["name"] for n in expected["nominees"] if n["clean"]],
            "defects": len(expected["defects"]), "codes": codes, "scanned_pages": w.scanned_pages,
            "files": sum(1 for p in batch.rglob("*") if p.is_file()),
            "seconds": round(time.perf_counter() - t0, 1)}
