"""report.html from a findings document and exhibits: placement, pictures, masking, escaping.

The browser tests (tests/browser) open the real report of a sample batch; these check the
pieces one by one on small hand-made inputs.
"""
from __future__ import annotations

import io
import json
import re

import numpy as np
from PIL import Image, ImageDraw

from audit.exhibits import Excerpt, Exhibits, PageShot
from audit.illustrate import excerpt_of, sensitive_boxes
from audit.model import Span
from extractors.base import Cell, Line, Page, Table
from reports.html import _json_for_script, build_view, cluster_svg, render_html

UNIT = "开封市龙亭区总工会"


def finding(fid, code, sev="medium", unit=UNIT, nominee=None, nominees=None, evidence=(), **kw):
    return {"id": fid, "fingerprint": fid.lower(), "code": code, "severity": sev, "unit": unit, "nominee": nominee,
            "nominees": nominees or [], "message": f"{code} 的问题说明", "evidence": list(evidence),
            "waived": None, **kw}


def document(findings, nominees=("张三", "李四")):
    return {
        "schema": "dossier-audit/findings/v1", "campaign": "kaifeng-2020", "campaign_name": "2020年度开封工匠选树",
        "tool_version": "t", "generated_at": "2021-06-01T00:00:00", "run_id": "r1", "batch": "/b", "masked": True,
        "profile_digest": "d", "inputs": [{"path": f"{UNIT}/张三/证明.pdf", "sha256": "a" * 64, "kind": "evidence"}],
        "nominees": [{"unit": UNIT, "name": n, "folder": f"{UNIT}/{n}", "priority": i + 1, "declared": {},
                      "found": {"documents_by_kind": {}, "documents": []}, "reconciliation": []}
                     for i, n in enumerate(nominees)],
        "units": [{"name": UNIT, "folder": UNIT, "nominees": list(nominees), "publicity": []}],
        "unreadable": [], "stats": {"pages": 1, "ocr_pages": 1, "rule_errors": []}, "findings": findings,
    }


def page_jpeg(w=400, h=300, dark_box=None) -> bytes:
    img = Image.new("RGB", (w, h), "white")
    if dark_box:
        ImageDraw.Draw(img).rectangle(dark_box, fill="black")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def articles(html: str) -> list[str]:
    return re.findall(r'<article class="finding[^"]*" id="([^"]+)"', html)


def test_every_finding_has_exactly_one_article_and_one_row():
    fs = [finding("F1", "V01", nominee="张三"), finding("F2", "P01", sev="high"),
          finding("F3", "P02", unit=None, nominees=["张三"]),
          finding("F4", "X01", sev="high", unit=None, nominees=["张三", "李四"]),
          finding("F5", "D01", nominee="王五"),                      # no such nominee: goes to the unit
          finding("F6", "P04", unit="不存在的单位")]                   # no such unit: goes to the batch
    html = render_html(document(fs))
    assert sorted(articles(html)) == ["F1", "F2", "F3", "F4", "F5", "F6"]
    assert sorted(re.findall(r'<tr class="frow[^"]*" data-id="([^"]+)"', html)) == ["F1", "F2", "F3", "F4", "F5", "F6"]
    cross = html[html.index('<section id="cross">'):html.index('<section id="appendix">')]
    assert articles(cross) == ["F4"] and "<svg" in cross


def test_placement_of_findings():
    fs = [finding("F1", "V01", nominee="张三"), finding("F2", "P01"), finding("F3", "X05", unit=None, nominees=["张三", "李四"])]
    v = build_view(document(fs), Exhibits(), [], True)
    by_name = {n["name"]: n for n in v["nominees"]}
    assert [f["id"] for f in by_name["张三"]["findings"]] == ["F1"]
    assert [f["id"] for f in by_name["张三"]["cross"]] == ["F3"]
    assert [f["id"] for f in v["units"][0]["findings"]] == ["F2"]
    assert [[f["id"] for f in c["findings"]] for c in v["clusters"]] == [["F3"]]


def test_crop_has_box_and_viewer_key():
    shot = PageShot(file=f"{UNIT}/张三/证明.pdf", page=1, width=800, height=600, jpeg=page_jpeg())
    ex = Exhibits(pages={(shot.file, 1): shot})
    fs = [finding("F1", "V01", nominee="张三", evidence=[{"file": shot.file, "page": 1, "bbox": [100, 100, 300, 140],
                                                          "text": "专利号 ZL2019"}])]
    v = build_view(document(fs), ex, [], True)
    view = v["nominees"][0]["findings"][0]["views"][0]
    assert view["type"] == "shot" and view["src"].startswith("data:image/jpeg;base64,")
    assert json.loads(view["boxes"]) == [[12.5, 16.67, 25.0, 6.67]]
    assert set(json.loads(v["pages_json"])) == {view["key"]}
    crop = Image.open(io.BytesIO(__import__("base64").b64decode(view["src"].split(",", 1)[1])))
    px = np.asarray(crop.convert("RGB")).astype(int)
    reds = int(((px[..., 0] > 180) & (px[..., 1] < 80) & (px[..., 2] < 80)).sum())
    assert reds > 50, "the box is drawn in red on the crop"


def test_spans_close_together_share_one_crop():
    shot = PageShot(file=f"{UNIT}/张三/证明.pdf", page=1, width=800, height=1200, jpeg=page_jpeg(400, 600))
    ev = [{"file": shot.file, "page": 1, "bbox": [100, 100 + 40 * i, 300, 130 + 40 * i], "text": str(i)} for i in range(7)]
    ev.append({"file": shot.file, "page": 1, "bbox": [100, 1100, 300, 1130], "text": "far"})
    v = build_view(document([finding("F1", "M02", nominee="张三", evidence=ev)]), Exhibits(pages={(shot.file, 1): shot}), [], True)
    views = v["nominees"][0]["findings"][0]["views"]
    assert [len(json.loads(x["boxes"])) for x in views] == [8, 8]      # two crops; the viewer draws all eight boxes
    assert "far" in views[1]["text"]


def test_masked_report_blacks_out_personal_numbers_on_pages():
    shot = PageShot(file=f"{UNIT}/张三/证明.pdf", page=1, width=400, height=300, jpeg=page_jpeg(),
                    sensitive=[(100.0, 100.0, 200.0, 130.0)])
    ev = [{"file": shot.file, "page": 1, "bbox": [60, 95, 260, 135]}]

    def centre_of_crop(masked: bool):
        v = build_view(document([finding("F1", "D01", nominee="张三", evidence=ev)]),
                       Exhibits(pages={(shot.file, 1): shot}), [], masked)
        page = json.loads(v["pages_json"])
        img = Image.open(io.BytesIO(__import__("base64").b64decode(next(iter(page.values())).split(",", 1)[1])))
        s = img.width / 400
        return img.convert("L").getpixel((int(150 * s), int(115 * s)))
    assert centre_of_crop(True) < 80
    assert centre_of_crop(False) > 200


def test_office_excerpt_is_masked_and_highlighted():
    ex = Exhibits(excerpts={(f"{UNIT}/张三/审批表.xlsx", 1, (1.0, 2.0, 2.0, 3.0)): Excerpt(
        file=f"{UNIT}/张三/审批表.xlsx", page=1, box=(1.0, 2.0, 2.0, 3.0), kind="table", title="审批表",
        rows=[(0, ["姓名", "张三"]), (2, ["身份证号", "410202197805061234"])], cols=[0, 1], highlight={(2, 1)})})
    ev = [{"file": f"{UNIT}/张三/审批表.xlsx", "page": 1, "bbox": [1, 2, 2, 3], "text": "410202********1234"}]
    html = render_html(document([finding("F1", "D01", nominee="张三", evidence=ev)]), exhibits=ex, masked=True)
    assert "410202197805061234" not in html
    assert '<td class="hl">410202********1234</td>' in html
    full = render_html(document([finding("F1", "D01", nominee="张三", evidence=ev)]), exhibits=ex, masked=False)
    assert '<td class="hl">410202197805061234</td>' in full and 'data-masked="0"' in full


def test_evidence_without_picture_says_why():
    ev = [{"file": f"{UNIT}/张三", "text": "张三"}, {"file": f"{UNIT}/张三/坏.pdf"}, {"file": f"{UNIT}/张三/事迹.docx", "page": 1}]
    ex = Exhibits(unreadable={f"{UNIT}/张三/坏.pdf": "PDF 文件损坏，无法解析"}, media={f"{UNIT}/张三/事迹.docx": "docx"})
    v = build_view(document([finding("F1", "M01", nominee="张三", evidence=ev)]), ex, [], True)
    reasons = [x["reason"] for x in v["nominees"][0]["findings"][0]["views"]]
    assert reasons == ["所指为文件夹（材料应在其中）", "文件无法读取：PDF 文件损坏，无法解析", "Word 文档没有页面图像，所指为整份文件"]


def test_document_text_is_escaped_everywhere():
    bad = "<script>window.__x=1</script>"
    fs = [finding("F1", "X01", sev="high", unit=None, nominees=[bad, "李四"],
                  evidence=[{"file": f"{UNIT}/{bad}.pdf", "page": 1, "text": bad}])]
    fs[0]["message"] = bad
    html = render_html(document(fs, nominees=(bad, "李四")))
    assert bad not in html
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in html
    assert _json_for_script({"k": "</script><b>&"}) == '{"k":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'


def test_svg_escapes_names():
    f = {"id": "F1", "code": "X01", "title": "同一文件", "severity": "high", "nominee_list": ["<b>甲</b>", "乙"]}
    svg = str(cluster_svg([f], {"<b>甲</b>": "单位&"}))
    assert "<b>" not in svg and "&lt;b&gt;甲" in svg and "单位&amp;" in svg


def test_excerpt_of_table_cell_and_paragraph():
    pg = Page(page=1, source="office", lines=[Line("第一段", (0, 0, 1, 1)), Line("第二段 身份证", (0, 1, 1, 2)),
                                             Line("第三段", (0, 2, 1, 3)), Line("1986.09", (1, 1, 2, 2))],
              tables=[Table([Cell("姓名", 0, 0), Cell("张三", 0, 1), Cell("出生年月", 1, 0), Cell("1986.09", 1, 1)])])
    t = excerpt_of(pg, Span(file="a.docx", page=1, box=(1, 1, 2, 2), text="1986.09"), 1)
    assert t.kind == "table" and t.highlight == {(1, 1)} and t.rows == [(0, ["姓名", "张三"]), (1, ["出生年月", "1986.09"])]
    p = excerpt_of(pg, Span(file="a.docx", page=1, box=(0, 1, 1, 2), text="第二段"), 1)
    assert p.kind == "text" and [r for r, _ in p.rows] == [0, 1, 2] and p.highlight == {(1, 0)}


def test_sensitive_boxes_sit_over_the_digits():
    text = "身份证号：410202197805061234"
    (x0, y0, x1, y1), = sensitive_boxes([(text, (0.0, 0.0, 1000.0, 40.0))])
    # 5 CJK characters (1 em) then 18 digits (0.55 em): the masked 8 digits start after 5 + 6×0.55 em
    em = 1000 / (5 + 18 * 0.55)
    assert abs(x0 - ((5 + 6 * 0.55) * em - 6)) < 1 and abs(x1 - ((5 + 14 * 0.55) * em + 6)) < 1
    assert sensitive_boxes([("专利号 ZL201320035469X", (0, 0, 100, 10))]) == []


def test_waived_finding_is_shown_as_waived_and_not_counted():
    fs = [finding("F1", "V01", sev="high", nominee="张三"), finding("F2", "V02", sev="high", nominee="张三")]
    fs[1]["waived"] = {"by": "王<科长>", "reason": "原件已核，属实", "at": "2021-06-20T10:00:00"}
    html = render_html(document(fs))
    art = html[html.index('<article class="finding sev-high waived" id="F2"'):]
    art = art[:art.index("</article>")]
    assert 'data-waived="1"' in art
    assert "已豁免：王&lt;科长&gt;，2021-06-20T10:00:00；理由：原件已核，属实" in art
    v = build_view(document(fs), Exhibits(), [], True)
    assert v["sev"]["high"] == 1 and v["waived"] == 1


def test_diff_section_lists_new_and_resolved():
    doc = document([finding("F1", "V01", nominee="张三")])
    doc["diff"] = {"from": "r0", "to": "r1", "from_at": "2021-06-01", "to_at": "2021-06-20",
                   "new": [{"id": "F1", "fingerprint": "f1", "code": "V01", "severity": "medium", "unit": UNIT,
                            "who": "张三", "message": "新<问题>"}],
                   "resolved": [{"id": "F9", "fingerprint": "f9", "code": "V02", "severity": "high", "unit": UNIT,
                                 "who": "李四", "message": "旧问题"}],
                   "open": [], "files_added": ["a<b>.pdf"], "files_removed": [], "files_changed": []}
    html = render_html(doc)
    sec = html[html.index('<section id="diff">'):html.index('<section id="list">')]
    assert '<a href="#F1">V01</a>' in sec and "新&lt;问题&gt;" in sec and "旧问题" in sec
    assert "<code>a&lt;b&gt;.pdf</code>" in sec and "新增的文件（1）" in sec
    assert '<section id="diff">' not in render_html(document([]))
