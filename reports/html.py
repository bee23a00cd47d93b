"""report.html: one self-contained file a supervisor reads, with the evidence in view.

The page is built from the findings document (what findings.json holds) and the audit's
exhibits (page images and office excerpts, :mod:`audit.exhibits`). Every finding shows a crop
of the page with the box drawn for each piece of evidence; a click opens the whole page with
the boxes. Images are JPEG data URIs, scripts and styles are inline, fonts are the reader's
system CJK fonts: the file opens with no network. Everything that came from a document goes
through jinja2's autoescape; the only markup built here is the SVG of the evidence graph and
the JSON of the full pages, both escaped by hand (:func:`_svg_text`, :func:`_json_for_script`).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import re
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any, Iterable, Optional

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from audit.exhibits import Excerpt, Exhibits, PageShot
from audit.graph import components
from audit.model import KIND_ZH
from reports.mask import mask_text

SEV_ZH = {"high": "严重", "medium": "警告", "low": "提示"}
SEV_ORDER = {"high": 0, "medium": 1, "low": 2}
STATUS_ZH = {"match": "一致", "fewer": "少于申报", "more": "多于申报", "missing": "未找到",
             "found_only": "未申报但有材料"}
MEDIA_ZH = {"docx": "Word 文档", "xlsx": "Excel 表格", "pptx": "演示文稿", "txt": "文本文件", "csv": "CSV 表格"}

CROP_MAX_W, CROP_MAX_H = 460, 190      # thumbnail of the spot, CSS pixels ×1
THUMB_H = 240                          # thumbnail of a whole page (no box)
VIEW_SIDE = 1100                       # long side of the full page in the viewer
SHOTS_PER_FINDING = 40                 # crops per finding at most; beyond that the rest is listed


# ---------------------------------------------------------------- pictures

class Pictures:
    """Crops and pages of the exhibits as data URIs, masked when the report is."""

    def __init__(self, exhibits: Exhibits, masked: bool):
        self.ex = exhibits
        self.masked = masked
        self._img: "OrderedDict[tuple, Any]" = OrderedDict()
        self._crops: dict[tuple, str] = {}
        self.page_keys: dict[tuple[str, int], str] = {}
        self.pages_data: dict[str, str] = {}

    def _image(self, shot: PageShot):
        k = (shot.file, shot.page)
        if k in self._img:
            self._img.move_to_end(k)
            return self._img[k]
        from PIL import Image, ImageDraw
        img = Image.open(io.BytesIO(shot.jpeg)).convert("RGB")
        if self.masked and shot.sensitive:
            sx, sy = img.width / shot.width, img.height / shot.height
            d = ImageDraw.Draw(img)
            for x0, y0, x1, y1 in shot.sensitive:
                d.rectangle([x0 * sx, y0 * sy, x1 * sx, y1 * sy], fill=(40, 40, 40))
        self._img[k] = img
        while len(self._img) > 12:
            self._img.popitem(last=False)
        return img

    def page_key(self, shot: PageShot) -> str:
        k = (shot.file, shot.page)
        if k not in self.page_keys:
            key = f"p{len(self.page_keys) + 1}"
            img = self._image(shot)
            s = min(1.0, VIEW_SIDE / max(img.width, img.height))
            view = img if s >= 1.0 else img.resize((round(img.width * s), round(img.height * s)))
            self.page_keys[k] = key
            self.pages_data[key] = _data_uri(view, 62)
        return self.page_keys[k]

    def crop(self, shot: PageShot, boxes: Optional[list[list[float]]]) -> str:
        """The spot of ``boxes`` (their union) with context and a red frame round each box;
        the whole page when there are none."""
        k = (shot.file, shot.page, tuple(tuple(b) for b in boxes) if boxes else None)
        if k in self._crops:
            return self._crops[k]
        from PIL import ImageDraw
        img = self._image(shot)
        sx, sy = img.width / shot.width, img.height / shot.height
        if not boxes:
            s = THUMB_H / img.height
            out = img.resize((max(1, round(img.width * s)), THUMB_H))
        else:
            px_boxes = [(b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy) for b in boxes]
            x0, y0 = min(b[0] for b in px_boxes), min(b[1] for b in px_boxes)
            x1, y1 = max(b[2] for b in px_boxes), max(b[3] for b in px_boxes)
            h = max(8.0, min(b[3] - b[1] for b in px_boxes))
            px, py = max(2.5 * h, 0.05 * img.width), 1.6 * h
            cx0, cy0 = max(0, x0 - px), max(0, y0 - py)
            cx1, cy1 = min(img.width, x1 + px), min(img.height, y1 + py)
            # a thin line of text: widen to at least a third of the page so the label shows
            if cx1 - cx0 < img.width / 3:
                grow = (img.width / 3 - (cx1 - cx0)) / 2
                cx0, cx1 = max(0, cx0 - grow), min(img.width, cx1 + grow)
            out = img.crop((int(cx0), int(cy0), int(math.ceil(cx1)), int(math.ceil(cy1)))).copy()
            d = ImageDraw.Draw(out)
            w = max(2, round(out.width / 220))
            for bx0, by0, bx1, by1 in px_boxes:
                d.rectangle([bx0 - cx0 - w, by0 - cy0 - w, bx1 - cx0 + w, by1 - cy0 + w], outline=(220, 0, 0), width=w)
            s = min(1.0, CROP_MAX_W * 1.5 / out.width, CROP_MAX_H * 1.5 / out.height)
            if s < 1.0:
                out = out.resize((max(1, round(out.width * s)), max(1, round(out.height * s))))
        uri = _data_uri(out, 78)
        self._crops[k] = uri
        return uri


def _data_uri(img, quality: int) -> str:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _pct(shot: PageShot, box: list[float]) -> list[float]:
    x0, y0, x1, y1 = box
    return [round(100 * x0 / shot.width, 2), round(100 * y0 / shot.height, 2),
            round(100 * (x1 - x0) / shot.width, 2), round(100 * (y1 - y0) / shot.height, 2)]


def _chunks(boxes: list[list[float]], shot: PageShot) -> list[list[list[float]]]:
    """Boxes of one page in groups shown by one crop each: top to bottom, a group grows while
    its union stays within a quarter of the page's height."""
    out: list[list[list[float]]] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        if out and max(x[3] for x in out[-1] + [b]) - min(x[1] for x in out[-1] + [b]) <= shot.height / 4:
            out[-1].append(b)
        else:
            out.append([b])
    return out


def evidence_views(f: dict, pics: Pictures, doc_ctx: dict) -> tuple[list[dict], list[dict]]:
    """(views shown, the rest listed) for the evidence spans of finding ``f``. Spans on one page
    close together share one crop with a frame round each."""
    ex = pics.ex
    views: list[dict] = []
    rest: list[dict] = []
    groups: "OrderedDict[tuple, list[dict]]" = OrderedDict()
    seen: set = set()
    for e in f.get("evidence") or []:
        key = (e["file"], e.get("page"), tuple(e["bbox"]) if e.get("bbox") else None)
        if key in seen:
            continue
        seen.add(key)
        shot = None if e["file"] in ex.unreadable else ex.page(e["file"], e.get("page"))
        if shot is None:
            views.append(evidence_view(e, pics, doc_ctx))
        else:
            groups.setdefault((e["file"], e.get("page")), []).append(e)
    shots: list[dict] = []
    for (file, page), es in groups.items():
        shot = ex.page(file, page)
        boxed = [e for e in es if e.get("bbox") and page]
        if not boxed:
            shots.append(_shot_view(pics, shot, file, page, [], es))
            continue
        for chunk in _chunks([e["bbox"] for e in boxed], shot):
            members = [e for e in boxed if e["bbox"] in chunk]
            shots.append(_shot_view(pics, shot, file, page, chunk, members))
    for v in shots:
        if len([x for x in views if x["type"] == "shot"]) < SHOTS_PER_FINDING:
            views.append(v)
        else:
            rest.extend(v.pop("spans"))
    # every box of the finding on a page is drawn in the viewer, whichever crop opened it
    by_page: dict[str, list] = {}
    for v in views:
        if v["type"] == "shot":
            by_page.setdefault(v["key"], []).extend(v["pct"])
            v.pop("spans", None)
    for v in views:
        if v["type"] == "shot":
            v["boxes"] = json.dumps(by_page.get(v["key"], []))
    return views, rest


def _shot_view(pics: Pictures, shot: PageShot, file: str, page: Optional[int], boxes: list, spans: list[dict]) -> dict:
    texts: list[str] = []
    for e in spans:
        t = e.get("text") or ""
        if t and t not in texts:
            texts.append(t)
    text = "”“".join(texts)
    return {"type": "shot", "file": file, "page": page or 1, "text": text, "src": pics.crop(shot, boxes or None),
            "key": pics.page_key(shot), "pct": [_pct(shot, b) for b in boxes], "whole": not boxes,
            "note": "" if page else "（文件第 1 页，所指为整份文件）", "spans": spans}


def evidence_view(e: dict, pics: Pictures, doc_ctx: dict) -> dict:
    """The view of a span with no page image: an office excerpt, or why nothing can be shown."""
    ex = pics.ex
    file, page, box = e["file"], e.get("page"), e.get("bbox")
    base = {"file": file, "page": page, "text": e.get("text") or ""}
    if file in ex.unreadable:
        why = ex.unreadable[file]
        return {**base, "text": "" if base["text"] in why else base["text"], "type": "noimg",
                "reason": f"文件无法读取：{why}"}
    exc = ex.excerpt(file, page, box)
    if exc is not None:
        return {**base, "type": "excerpt", "x": _excerpt_view(exc, pics.masked),
                "media": MEDIA_ZH.get(ex.media.get(file, ""), "文件")}
    media = ex.media.get(file) or doc_ctx["kinds"].get(file)
    if file in doc_ctx["folders"]:
        reason = "所指为文件夹（材料应在其中）"
    elif media in MEDIA_ZH:
        reason = f"{MEDIA_ZH[media]}没有页面图像，所指为整份文件" if not box else f"{MEDIA_ZH[media]}中该处文字"
    elif file not in doc_ctx["inputs"]:
        reason = "批次中没有这个文件"
    elif page is None:
        reason = "所指为整份文件（文件属性或内容整体）"
    elif ex.skipped and media in ("pdf", "image"):
        reason = "本次审核涉及的页面过多，此页未附图，请按文件名和页码查阅原件"
    else:
        reason = "该页未能绘制为图像"
    return {**base, "type": "noimg", "reason": reason}


def _excerpt_view(x: Excerpt, masked: bool) -> dict:
    m = mask_text if masked else (lambda t: t)
    return {"kind": x.kind, "title": x.title,
            "rows": [{"n": r + 1, "cells": [{"t": m(t), "hl": (r, c) in x.highlight} for c, t in zip(x.cols, cells)]}
                     for r, cells in x.rows]}


# ---------------------------------------------------------------- the document as sections

# the keys of findings' declared/found values, for people; hashes and boxes are not shown
KEY_ZH = {
    "a": "甲", "b": "乙", "absent": "缺少", "age": "年龄", "apprentice": "徒弟", "center_text": "印章中心文字",
    "chars": "字数", "competition_awards": "竞赛获奖", "confidence": "识别可信度", "copied_share": "相同部分占比",
    "count": "数量", "creation_date_iso": "创建时间", "creator": "创建软件", "date": "日期", "days": "天数",
    "deadline": "截止日期", "detail": "详情", "differs": "不同之处", "document_date": "文件日期",
    "documents": "材料", "empty": "空白项", "end": "截止", "excerpt": "相同段落", "field": "栏目", "files": "文件",
    "form": "审批表", "holders": "持有人", "honor_certificates": "荣誉证书", "incomplete_rows": "不完整的行",
    "incremental_updates": "增量修改次数", "items": "条目", "kind": "类别", "label": "项目", "labels": "项目",
    "level": "级别", "limit": "规定", "limit_max": "上限", "limit_min": "下限", "longest_passage_chars": "最长相同段落字数",
    "min_days": "最少天数", "missing": "缺少", "mod_date_iso": "修改时间", "names": "姓名", "nominees": "人选",
    "not_in_table": "汇总表中没有", "not_in_volume": "材料中没有", "not_inventors": "非发明人",
    "not_in_folders": "没有材料文件夹", "number": "号码", "numbers": "号码", "pages": "页", "page_count_known": "页数可知",
    "persons": "人员", "post": "职务", "problem": "问题", "problems": "问题", "producer": "生成软件", "reason": "原因",
    "received": "收件日期", "report_date": "报告日期", "retirement_age": "退休年龄", "ring_text": "印章文字",
    "seal": "印章", "seals": "印章", "seq": "序号", "shorter_chars": "较短文本字数", "software": "软件",
    "source": "来源", "sources": "来源", "start": "开始", "statement": "证明", "statements": "证明",
    "submitted": "报送", "submitted_by": "报送截止", "sum": "合计", "summary": "汇总表", "summary_rows": "汇总表行数",
    "taken": "拍摄时间", "texts": "文本", "title": "名称", "total": "总数", "unknown": "无法判断",
    "unlisted_pages": "目录未列的页", "unreadable": "无法读取", "word": "用词", "year": "年份", "years": "年份",
    "rows_without_order": "无序号的行", "period": "期间", "places": "位置", "keys": "项目", "persons_": "人员",
}
HIDDEN_KEYS = {"phash", "dhash", "ink_sha256", "box", "distances", "sha256", "detail", "statement"}
KEY_ZH.update({"holder": "持有人", "inventor": "发明人", "name": "姓名"})
REASON_ZH = {"corrupt": "文件损坏", "encrypted": "已加密", "password": "需要密码", "empty": "空文件",
             "zero-pages": "没有页面", "unsupported": "不支持的格式", "mislabelled": "扩展名与内容不符",
             "too-large": "文件过大", "too-many-pages": "页数过多", "too-many-pixels": "图像过大",
             "zip-bomb": "压缩炸弹", "unsafe-path": "不安全的路径", "symlink": "符号链接", "ocr-failed": "识别失败"}
_OWNED_KIND = re.compile(r"^(.+):([a-z_]+)$")


def _value_zh(v: str) -> str:
    """A code word of a value in Chinese: a document kind, a read problem, ``name:kind``."""
    if v in KIND_ZH:
        return KIND_ZH[v]
    if v in REASON_ZH:
        return REASON_ZH[v]
    m = _OWNED_KIND.match(v)
    if m and m.group(2) in KIND_ZH:
        return f"{m.group(1)}的{KIND_ZH[m.group(2)]}"
    return v


def _fmt(v: Any) -> str:
    if v is None or v == "" or v == [] or v == {}:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dict):
        return "；".join(f"{KEY_ZH.get(k, k)}：{_fmt(x)}" for k, x in v.items()
                        if k not in HIDDEN_KEYS and _fmt(x))
    if isinstance(v, list):
        return "、".join(_fmt(x) for x in v if _fmt(x))
    if isinstance(v, float):
        return f"{v:g}"
    return _value_zh(str(v))


def finding_view(f: dict, pics: Pictures, titles: dict, doc_ctx: dict) -> dict:
    views, rest = evidence_views(f, pics, doc_ctx)
    noms = [f["nominee"]] if f.get("nominee") else list(f.get("nominees") or [])
    return {**f, "title": titles.get(f["code"], ""), "sev_zh": SEV_ZH[f["severity"]],
            "nominee_list": noms, "data_nominees": "|".join(noms),
            "declared_txt": _fmt(f.get("declared")), "found_txt": _fmt(f.get("found")),
            "views": views, "rest": rest, "waived": f.get("waived") or None}


def side_by_side(f: dict, folders: list[tuple[str, str]]) -> list[dict]:
    """The views of a cross-nominee finding in one column per nominee whose folder holds them."""
    cols: dict[str, list[dict]] = {n: [] for n in f["nominee_list"]}
    for v in f["views"]:
        owner = next((name for prefix, name in folders if v["file"].startswith(prefix)), "其他")
        cols.setdefault(owner, []).append(v)
    return [{"name": k, "views": v} for k, v in cols.items() if v]


def is_cross(f: dict) -> bool:
    return f["code"].startswith("X") or (f["code"].startswith("F") and len(f.get("nominees") or []) > 1)


def clusters_of(cross: list[dict]) -> list[list[dict]]:
    """Cross-nominee findings grouped by the nominees they connect (connected components)."""
    comp = components((("f", f["id"]) for f in cross),
                      ((("f", f["id"]), ("n", n)) for f in cross for n in f["nominee_list"]))
    groups: dict[int, list[dict]] = {}
    for f in cross:
        groups.setdefault(comp[("f", f["id"])], []).append(f)
    return sorted(groups.values(), key=lambda g: (min(SEV_ORDER[f["severity"]] for f in g), -len(g)))


def _svg_text(s: str) -> str:
    return str(escape(s))


def _text_w(s: str, size: float) -> float:
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in s)


def cluster_svg(group: list[dict], unit_of: dict[str, str]) -> Markup:
    """The evidence graph of one cluster: nominees (circles) joined through the findings that
    connect them (boxes). Deterministic: the same cluster is drawn the same way every run."""
    import networkx as nx
    g = nx.Graph()
    for f in group:
        g.add_node(("f", f["id"]))
        for n in f["nominee_list"]:
            g.add_edge(("n", n), ("f", f["id"]))
    names = [n for kind, n in g.nodes if kind == "n"]
    # nominees on an ellipse in the order a walk through the cluster meets them, so that the
    # nominees a finding joins sit side by side; each finding between its nominees, drawn inward
    proj = nx.Graph()
    proj.add_nodes_from(names)
    for f in group:
        ns = f["nominee_list"]
        proj.add_edges_from((ns[i], ns[i + 1]) for i in range(len(ns) - 1))
    order = [n for comp in nx.connected_components(proj)
             for n in nx.dfs_preorder_nodes(proj, min(comp, key=lambda x: (proj.degree(x), x)))]
    W, H = 760, (200 if len(order) <= 2 else 340 if len(order) <= 4 else 440)
    cx, cy = W / 2, H / 2
    at: dict = {}
    if len(order) <= 2:
        for i, n in enumerate(order):
            at[("n", n)] = (130 + i * (W - 260), cy)
    else:
        for i, n in enumerate(order):
            t = 2 * math.pi * i / len(order) - math.pi / 2
            at[("n", n)] = (cx + (W / 2 - 90) * math.cos(t), cy + (H / 2 - 45) * math.sin(t))
    pairs: Counter = Counter()
    seen_pairs: Counter = Counter(tuple(sorted(f["nominee_list"])) for f in group)
    for f in group:
        ns = [at[("n", n)] for n in f["nominee_list"] if ("n", n) in at] or [(cx, cy)]
        mx, my = sum(x for x, _ in ns) / len(ns), sum(y for _, y in ns) / len(ns)
        if len(order) > 2:
            mx, my = cx + 0.6 * (mx - cx), cy + 0.6 * (my - cy)
        k = tuple(sorted(f["nominee_list"]))
        at[("f", f["id"])] = (mx, my + (pairs[k] - (seen_pairs[k] - 1) / 2) * 30)
        pairs[k] += 1
    at = {v: at[v] for v in g.nodes}

    by_id = {f["id"]: f for f in group}
    parts = [f'<svg class="graph" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg"><title>共用材料关系图</title>']
    for a, b in g.edges:
        (x1, y1), (x2, y2) = at[a], at[b]
        f = by_id[a[1] if a[0] == "f" else b[1]]
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" class="edge sev-{f["severity"]}"/>')
    for v in g.nodes:
        x, y = at[v]
        if v[0] == "f":
            f = by_id[v[1]]
            label = f"{f['code']} {f['title']}"
            if len(label) > 15:
                label = label[:14] + "…"
            w = _text_w(label, 12) + 16
            parts.append(f'<a href="#{_svg_text(f["id"])}"><rect x="{x - w / 2:.0f}" y="{y - 12:.0f}" width="{w:.0f}" '
                         f'height="24" rx="4" class="fnode sev-{f["severity"]}"/><text x="{x:.0f}" y="{y + 4:.0f}" '
                         f'text-anchor="middle" class="flabel">{_svg_text(label)}</text></a>')
        else:
            n = v[1]
            parts.append(f'<g><title>{_svg_text(n)}（{_svg_text(unit_of.get(n, ""))}）</title>'
                         f'<circle cx="{x:.0f}" cy="{y:.0f}" r="30" class="nnode"/>'
                         f'<text x="{x:.0f}" y="{y + 5:.0f}" text-anchor="middle" class="nname">{_svg_text(n)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def inputs_digest(doc: dict) -> str:
    """One hash of every input file (path and content hash), to tell later if the batch changed."""
    h = hashlib.sha256()
    for i in sorted(doc.get("inputs") or [], key=lambda x: x["path"]):
        h.update(f"{i['sha256']}  {i['path']}\n".encode("utf-8"))
    return h.hexdigest()


def build_view(doc: dict, exhibits: Exhibits, rules: list[dict], masked: bool) -> dict:
    pics = Pictures(exhibits, masked)
    titles = {r["code"]: r.get("title", "") for r in rules}
    doc_ctx = {"kinds": {i["path"]: i.get("kind") for i in doc.get("inputs") or []},
               "inputs": {i["path"] for i in doc.get("inputs") or []},
               "folders": {n["folder"] for n in doc["nominees"]} | {u["folder"] for u in doc["units"]}}
    fs = [finding_view(f, pics, titles, doc_ctx) for f in doc["findings"]]
    fs.sort(key=lambda f: SEV_ORDER[f["severity"]])
    sev = Counter(f["severity"] for f in fs if not f["waived"])
    by_unit: dict[str, Counter] = {}
    for f in fs:
        if not f["waived"]:
            by_unit.setdefault(f["unit"] or "", Counter())[f["severity"]] += 1
    unit_of = {n["name"]: n["unit"] for n in doc["nominees"]}
    cross = [f for f in fs if is_cross(f)]
    folders = sorted(((n["folder"].rstrip("/") + "/", n["name"]) for n in doc["nominees"]),
                     key=lambda x: -len(x[0]))
    for f in cross:
        f["columns"] = side_by_side(f, folders)
    cross_ids = {f["id"] for f in cross}
    own: dict[tuple[str, str], list[dict]] = {}
    unit_level: dict[str, list[dict]] = {}
    batch_level: list[dict] = []
    for f in fs:
        if f["id"] in cross_ids:
            continue
        if f.get("nominee"):
            own.setdefault((f["unit"] or unit_of.get(f["nominee"], ""), f["nominee"]), []).append(f)
        elif f.get("unit"):
            unit_level.setdefault(f["unit"], []).append(f)
        else:
            batch_level.append(f)
    # a finding whose nominee or unit has no section of its own is never dropped: it goes one
    # level up (nominee → unit → batch)
    known_noms = {(n["unit"], n["name"]) for n in doc["nominees"]}
    for k in [k for k in own if k not in known_noms]:
        for f in own.pop(k):
            (unit_level.setdefault(f["unit"], []) if f.get("unit") else batch_level).append(f)
    known_units = {u["name"] for u in doc["units"]}
    for u in [u for u in unit_level if u not in known_units]:
        batch_level.extend(unit_level.pop(u))
    overview = doc.get("overview") or {}
    ov_units = {u["unit"]: u for u in overview.get("units") or []}
    nominees = []
    for i, n in enumerate(doc["nominees"]):
        mine = own.get((n["unit"], n["name"]), [])
        refs = [f for f in cross if n["name"] in f["nominee_list"]]
        rec = n.get("reconciliation") or []
        zero = [r for r in rec if r["status"] == "match" and not r.get("declared") and not r.get("found")]
        nominees.append({**n, "anchor": f"n{i + 1}", "findings": mine, "cross": refs,
                         "rec_rows": [r for r in rec if r not in zero], "rec_zero": [r["label"] for r in zero],
                         "counts": Counter(f["severity"] for f in mine + refs if not f["waived"]),
                         "docs": [(KIND_ZH.get(k, k), c) for k, c in (n.get("found") or {}).get("documents_by_kind", {}).items()],
                         "rec_bad": sum(1 for r in n.get("reconciliation") or [] if r["status"] in ("fewer", "missing"))})
    units = []
    for u in doc["units"]:
        units.append({**u, "ov": ov_units.get(u["name"]), "findings": unit_level.get(u["name"], []),
                      "counts": by_unit.get(u["name"], Counter()),
                      "nominee_rows": [n for n in nominees if n["unit"] == u["name"]]})
    clusters = []
    for g in clusters_of(cross):
        names = []
        for f in g:
            names.extend(n for n in f["nominee_list"] if n not in names)
        clusters.append({"findings": g, "names": names, "svg": cluster_svg(g, unit_of),
                         "units": sorted({unit_of.get(n, "") for n in names} - {""})})
    unclassified = []
    for n in doc["nominees"]:
        for d in (n.get("found") or {}).get("documents") or []:
            if d["kind"] == "unclassified":
                for p in d.get("pages") or [1]:
                    shot = exhibits.page(d["file"], p)
                    unclassified.append({"nominee": n["name"], "unit": n["unit"], "file": d["file"], "page": p,
                                         "src": pics.crop(shot, None) if shot else None,
                                         "key": pics.page_key(shot) if shot else None})
    codes = sorted({f["code"] for f in fs})
    return {
        "doc": doc, "masked": masked, "digest": inputs_digest(doc), "sev": sev, "by_unit": by_unit,
        "findings": fs, "units": units, "batch_level": batch_level, "nominees": nominees,
        "clusters": clusters, "unclassified": unclassified, "rules": rules, "codes": codes,
        "titles": titles, "waived": sum(1 for f in fs if f["waived"]), "overview": overview,
        "pages_json": _json_for_script(pics.pages_data), "skipped_pages": exhibits.skipped,
        "sev_zh": SEV_ZH, "status_zh": STATUS_ZH,
    }


def _json_for_script(obj: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' left raw."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(s)


def render_html(doc: dict, *, exhibits: Optional[Exhibits] = None, rules: Iterable[dict] = (),
                masked: bool = True) -> str:
    env = Environment(loader=PackageLoader("reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    view = build_view(doc, exhibits or Exhibits(), list(rules), masked)
    return env.get_template("report.html.j2").render(**view)


def write_html(doc: dict, path: Path, *, exhibits: Optional[Exhibits] = None, rules: Iterable[dict] = (),
               masked: bool = True) -> None:
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render_html(doc, exhibits=exhibits, rules=rules, masked=masked), "utf-8")
    tmp.replace(path)
