"""PDF: text layer read without OCR, scans OCR'd by page key, metadata, bad PDFs."""
from __future__ import annotations

import io

import numpy as np
import pytest

from extractors.dispatch import extract_file
from extractors.ocr import FakeEngine
from extractors.pdf import extract_pdf, meaningful_chars, parse_pdf_date
from tests.extractors.makers import (CountingEngine, ExplodingEngine, encrypted_pdf, image_pdf,
                                     incremental_update, mixed_pdf, opts, sha, text_image,
                                     text_pdf, write, zero_page_pdf)

ITEMS = [(72, 100, "开封工匠推荐审批表"), (72, 160, "姓名"), (300, 160, "张建国"),
         (72, 200, "专利号：ZL 2020 2 0773489.7"), (72, 240, "身份证号 410203198507150031")]


def _render(data: bytes, page: int, dpi: int):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(data)
    img = doc[page - 1].render(scale=dpi / 72).to_pil().convert("L")
    doc.close()
    return np.asarray(img)


def test_text_layer_read_without_ocr(tmp_path):
    data = text_pdf([ITEMS])
    p = write(tmp_path, "审批表.pdf", data)
    ex = extract_file(p, "单位/张建国/审批表.pdf", sha(data), ocr=opts(ExplodingEngine()))
    assert ex.ok and ex.media == "pdf" and not ex.problems
    page = ex.pages[0]
    assert page.source == "text-layer" and page.engine is None and page.image_sha256 is None
    assert page.dpi == 200 and page.width == 1654 and page.height == 2339
    texts = [l.text for l in page.lines]
    # reading order; label and value on one row stay separate lines, left first
    assert texts == ["开封工匠推荐审批表", "姓名", "张建国", "专利号：ZL 2020 2 0773489.7",
                     "身份证号 410203198507150031"]
    assert ex.text.splitlines()[0] == "开封工匠推荐审批表"
    assert all(l.confidence == 1.0 for l in page.lines)
    assert ex.to_dict()["pages"][0]["text"] == page.text


def _ink_outside_boxes(ink, lines, pad=3):
    mask = np.zeros_like(ink)
    for l in lines:
        x0, y0, x1, y1 = (int(round(v)) for v in l.box)
        assert ink[y0:y1, x0:x1].any(), f"no ink under {l.text!r}"
        mask[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = True
    return int((ink & ~mask).sum()), int(ink.sum())


@pytest.mark.parametrize("dpi", [100, 200])
def test_text_layer_boxes_land_on_rendered_ink(dpi):
    data = text_pdf([ITEMS])
    ex = extract_pdf(data, sha(data), ocr=opts(ExplodingEngine(), dpi=dpi))
    ink = _render(data, 1, dpi) < 160
    assert ink.shape == (round(ex.pages[0].height), round(ex.pages[0].width))
    outside, total = _ink_outside_boxes(ink, ex.pages[0].lines)
    assert total > 1000 and outside < 0.01 * total


def test_rotated_page_boxes_land_on_ink(tmp_path):
    import pypdf
    r = pypdf.PdfReader(io.BytesIO(text_pdf([ITEMS])))
    w = pypdf.PdfWriter()
    w.add_page(r.pages[0])
    w.pages[0].rotate(90)
    buf = io.BytesIO()
    w.write(buf)
    data = buf.getvalue()
    ex = extract_pdf(data, sha(data), ocr=opts(ExplodingEngine()))
    page = ex.pages[0]
    ink = _render(data, 1, 200) < 160
    assert ink.shape == (round(page.height), round(page.width))
    outside, total = _ink_outside_boxes(ink, page.lines)
    assert total > 1000 and outside < 0.01 * total


def test_scanned_pages_ocr_by_file_sha_and_page(tmp_path):
    data = image_pdf([text_image(["第一页"]), text_image(["第二页"])])
    s = sha(data)
    eng = FakeEngine({f"{s}:1": [{"text": "第一页", "box": [40, 40, 200, 80], "confidence": 0.97}],
                      f"{s}:2": [{"text": "第二页", "box": [40, 40, 200, 80], "confidence": 0.95}]})
    ex = extract_file(write(tmp_path, "scan.pdf", data), "scan.pdf", s, ocr=opts(eng))
    assert eng.calls == [f"{s}:1", f"{s}:2"]
    assert [p.source for p in ex.pages] == ["ocr", "ocr"]
    assert ex.pages[0].engine.startswith("fake ")
    assert [p.text for p in ex.pages] == ["第一页", "第二页"]
    assert ex.pages[1].lines[0].confidence == 0.95
    assert ex.pages[0].image_sha256 and ex.pages[0].image_sha256 != ex.pages[1].image_sha256
    # PIL wrote 900 px pictures at 200 dpi: rendered at 200 dpi they are 900 px again
    assert ex.pages[0].dpi == 200 and ex.pages[0].width == 900


def test_identical_scans_have_identical_pixel_hashes():
    img = text_image(["同一张扫描件"])
    data = image_pdf([img, img])
    ex = extract_pdf(data, sha(data), ocr=opts(CountingEngine()))
    assert ex.pages[0].image_sha256 == ex.pages[1].image_sha256


def test_only_pages_without_text_layer_are_ocred():
    data = mixed_pdf(ITEMS, text_image(["扫描页"]))
    eng = CountingEngine()
    ex = extract_pdf(data, sha(data), ocr=opts(eng))
    assert [p.source for p in ex.pages] == ["text-layer", "ocr"]
    assert len(eng.calls) == 1 and eng.calls[0].endswith(":2")
    assert "1" not in ex.metadata.get("image_cover", {})


def test_few_characters_count_as_no_text_layer():
    data = text_pdf([[(72, 100, "第1页")]])  # 3 meaningful characters: a scan's page number
    eng = CountingEngine()
    ex = extract_pdf(data, sha(data), ocr=opts(eng))
    assert ex.pages[0].source == "ocr" and len(eng.calls) == 1


def test_meaningful_chars_ignores_cid_and_punctuation():
    assert meaningful_chars("(cid:12)(cid:13)，。 - ") == 0
    assert meaningful_chars("姓名: Zhang 3") == 8


def test_metadata_and_incremental_updates():
    base = text_pdf([ITEMS], producer="WPS 文字")
    ex = extract_pdf(base, sha(base), ocr=opts(ExplodingEngine()))
    md = ex.metadata
    assert md["producer"] == "WPS 文字" and md["creator"] == "tests.extractors"
    assert md["creation_date"].startswith("D:") and md["creation_date_iso"][:2] == "20"
    assert md["incremental_updates"] == 0 and md["eof_count"] == 1 and md["pages"] == 1
    upd = incremental_update(base)
    md2 = extract_pdf(upd, sha(upd), ocr=opts(ExplodingEngine())).metadata
    assert md2["incremental_updates"] == 1 and md2["title"] == "changed later"


def test_parse_pdf_date():
    assert parse_pdf_date("D:20200315102030+08'00'") == "2020-03-15T10:20:30+08:00"
    assert parse_pdf_date("D:2020") == "2020-01-01T00:00:00"
    assert parse_pdf_date("garbage") is None


def test_encrypted_pdf_needs_password(tmp_path):
    data = encrypted_pdf(text_pdf([ITEMS]))
    ex = extract_file(write(tmp_path, "a.pdf", data), "a.pdf", sha(data), ocr=opts(ExplodingEngine()))
    assert not ex.ok and not ex.pages
    assert [p.reason for p in ex.problems] == ["encrypted"]
    assert ex.problems[0].message == "PDF 文件已加密，无法读取（需要密码）"
    assert ex.metadata.get("encrypted") is True


def test_pdf_with_empty_user_password_is_read(tmp_path):
    data = encrypted_pdf(text_pdf([ITEMS]), user_password="", owner_password="owner")
    ex = extract_file(write(tmp_path, "a.pdf", data), "a.pdf", sha(data), ocr=opts(ExplodingEngine()))
    assert ex.ok, ex.problems
    assert ex.pages[0].lines[0].text == "开封工匠推荐审批表"
    assert ex.metadata["encrypted"] is True and ex.metadata["producer"] == "pypdf"


def test_zero_page_pdf(tmp_path):
    data = zero_page_pdf()
    ex = extract_file(write(tmp_path, "z.pdf", data), "z.pdf", sha(data), ocr=opts(ExplodingEngine()))
    assert [p.reason for p in ex.problems] == ["zero-pages"] and not ex.ok


def test_corrupt_pdf_bytes(tmp_path):
    data = b"%PDF-1.4\n" + bytes(range(256)) * 8
    ex = extract_file(write(tmp_path, "c.pdf", data), "c.pdf", sha(data), ocr=opts(ExplodingEngine()))
    assert not ex.ok and ex.problems[0].reason == "corrupt"
    assert ex.problems[0].message.startswith("PDF 文件损坏，无法解析")


def test_truncated_pdf_is_flagged(tmp_path):
    full = text_pdf([ITEMS, ITEMS, ITEMS])
    data = full[: int(len(full) * 0.6)]
    ex = extract_file(write(tmp_path, "t.pdf", data), "t.pdf", sha(data), ocr=opts(CountingEngine()))
    assert not ex.ok
    assert any(p.reason == "corrupt" and p.page is None for p in ex.problems)


def test_too_many_pages_reads_the_first(tmp_path):
    data = text_pdf([ITEMS] * 3)
    ex = extract_file(write(tmp_path, "m.pdf", data), "m.pdf", sha(data),
                      limits={"max_pages": 2}, ocr=opts(ExplodingEngine()))
    assert [p.page for p in ex.pages] == [1, 2]
    assert [p.reason for p in ex.problems] == ["too-many-pages"] and not ex.ok
    assert "3" in ex.problems[0].message


def test_page_subset_for_workers():
    data = text_pdf([[(72, 100, f"第{i}页的文字内容很充分足够十个字")] for i in range(1, 5)])
    part = extract_pdf(data, sha(data), ocr=opts(ExplodingEngine()), pages=[3, 4], file_level=False)
    assert [p.page for p in part.pages] == [3, 4] and part.metadata == {}
    assert part.pages[0].lines[0].text.startswith("第3页")


def test_huge_page_is_rendered_at_lower_dpi():
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(72 * 100, 72 * 100))  # 100 × 100 inches
    c.rect(10, 10, 100, 100)
    c.showPage()
    c.save()
    data = buf.getvalue()
    ex = extract_pdf(data, sha(data), limits={"max_megapixels": 4}, ocr=opts(CountingEngine()))
    page = ex.pages[0]
    assert page.dpi < 200 and page.width * page.height <= 4_000_000 * 1.01


def test_fillable_form_values_are_read_at_their_fields():
    from tests.extractors.makers import form_pdf
    data = form_pdf({"姓名": (200, 160, "Zhang Jianguo"), "身份证号": (200, 200, "410203198507150031")})
    ex = extract_pdf(data, sha(data), ocr=opts(ExplodingEngine()))
    page = ex.pages[0]
    texts = [l.text for l in page.lines]
    assert texts == ["开封工匠推荐审批表（可填写版）", "姓名", "Zhang Jianguo", "身份证号",
                     "410203198507150031"]
    box = next(l.box for l in page.lines if l.text == "Zhang Jianguo")
    s = 200 / 72
    assert box == pytest.approx((200 * s, 160 * s, 400 * s, 180 * s), abs=2)
    assert ex.metadata["form_fields"] == 2


def test_fake_bold_glyphs_are_read_once():
    from tests.extractors.makers import fake_bold_pdf
    data = fake_bold_pdf("开封市总工会推荐审批意见")
    ex = extract_pdf(data, sha(data), ocr=opts(ExplodingEngine()))
    assert ex.pages[0].text == "开封市总工会推荐审批意见"
