"""Sniffing by bytes, and every kind of bad input coming back as a read problem."""
from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image

from extractors.dispatch import extract_file, sniff
from tests.extractors.makers import (CountingEngine, ExplodingEngine, jpeg_bytes, opts,
                                     png_bytes, sha, text_image, text_pdf, tiff_frames, write)
from tests.extractors.test_office import _docx_form, _pptx, _xlsx


def _img(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 255, 255)).save(buf, fmt)
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("张三/审批表.pdf", b"%PDF-1.4")
    return buf.getvalue()


@pytest.mark.parametrize("data,name,media", [
    (b"%PDF-1.7\n...", "x.jpg", "pdf"),
    (b"junk before header %PDF-1.4\n", "x", "pdf"),
    (_img("JPEG"), "x.pdf", "image"),
    (_img("PNG"), "x", "image"),
    (_img("TIFF"), "x", "image"),
    (_img("BMP"), "x", "image"),
    (_img("WEBP"), "x", "image"),
    (_img("GIF"), "x", "image"),
    (_docx_form(), "x.zip", "docx"),
    (_xlsx(), "x", "xlsx"),
    (_pptx(), "x", "pptx"),
    (_zip(), "x.docx", "zip"),
    ("推荐单位,收件日期\n".encode("utf-8"), "登记.csv", "csv"),
    ("推荐单位,收件日期\n".encode("gb18030"), "登记.txt", "txt"),
    ("事迹材料：张建国".encode("gb18030"), "事迹", "txt"),
    ("事迹".encode("utf-16"), "a.txt", "txt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.doc", "other"),
    (b"{\\rtf1\\ansi hello}", "a.doc", "other"),
    (b"<html><body>hi</body></html>", "a.doc", "other"),
    (bytes(range(256)) * 4, "a.txt", "other"),
    (b"", "a.pdf", "other"),
])
def test_sniff_by_bytes(data, name, media):
    assert sniff(data[:65536], name) == media


def test_sniff_utf8_cut_in_the_middle_of_a_character():
    data = ("开封工匠" * 100).encode("utf-8")
    assert sniff(data[:101], "a.txt") == "txt"


def test_empty_file(tmp_path):
    p = write(tmp_path, "审批表.pdf", b"")
    ex = extract_file(p, "审批表.pdf", sha(b""), ocr=opts(ExplodingEngine()))
    assert not ex.ok and [(pr.reason, pr.message) for pr in ex.problems] == [("empty", "文件为空（0 字节）")]


def test_too_large(tmp_path):
    data = text_pdf([[(72, 100, "内容")]])
    p = write(tmp_path, "a.pdf", data)
    ex = extract_file(p, "a.pdf", sha(data), limits={"max_file_mb": 0.001},
                      ocr=opts(ExplodingEngine()))
    assert not ex.ok and ex.problems[0].reason == "too-large" and ex.media == "pdf"
    assert "上限" in ex.problems[0].message


def test_jpg_named_pdf_is_read_as_image_and_flagged(tmp_path):
    data = jpeg_bytes(text_image(["荣誉证书"]))
    p = write(tmp_path, "证书.pdf", data)
    eng = CountingEngine()
    ex = extract_file(p, "证书.pdf", sha(data), ocr=opts(eng))
    assert ex.media == "image" and len(ex.pages) == 1 and ex.pages[0].source == "ocr"
    assert [pr.reason for pr in ex.problems] == ["mislabelled"]
    assert ex.problems[0].page is None
    assert "扩展名为 .pdf" in ex.problems[0].message and "图片" in ex.problems[0].message


def test_unsupported_binary(tmp_path):
    data = os.urandom(4096)
    data = b"\x01\x02" + data
    ex = extract_file(write(tmp_path, "x.bin", data), "x.bin", sha(data), ocr=opts(ExplodingEngine()))
    assert ex.media == "other" and [p.reason for p in ex.problems] == ["unsupported"]


def test_zip_is_not_read_here(tmp_path):
    data = _zip()
    ex = extract_file(write(tmp_path, "a.zip", data), "a.zip", sha(data), ocr=opts(ExplodingEngine()))
    assert ex.media == "zip" and ex.problems[0].reason == "unsupported"


def test_heic_is_unsupported_with_advice(tmp_path):
    data = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100
    ex = extract_file(write(tmp_path, "IMG_0001.HEIC", data), "IMG_0001.HEIC", sha(data),
                      ocr=opts(ExplodingEngine()))
    assert ex.problems[0].reason == "unsupported" and "JPG" in ex.problems[0].message


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    ex = extract_file(tmp_path / "nope.pdf", "nope.pdf", "0" * 64, ocr=opts(ExplodingEngine()))
    assert not ex.ok and ex.problems[0].reason == "corrupt"


def test_bytes_input_and_sha_computed():
    data = png_bytes(text_image(["字节输入"]))
    ex = extract_file(data, "a.zip!/x/证书.png", None, ocr=opts(CountingEngine()))
    assert ex.ok and ex.sha256 == sha(data) and ex.file == "a.zip!/x/证书.png"


GARBAGE = [
    b"%PDF-1.4\n" + b"\x00" * 100,
    b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00" + b"\xff" * 50,
    b"PK\x03\x04" + b"\x00" * 40, b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"word/" * 20,
    b"GIF89a" + b"\x00" * 10, b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"BM" + b"\x00" * 60,
]


@pytest.mark.parametrize("data", GARBAGE)
@pytest.mark.parametrize("name", ["a.pdf", "a.jpg", "a.docx", "a.xlsx", "a.txt", "a"])
def test_never_raises(tmp_path, data, name):
    ex = extract_file(write(tmp_path, name, data), name, sha(data), ocr=opts(CountingEngine()))
    assert ex.file == name and ex.sha256 == sha(data)
    assert ex.problems or ex.pages
    for p in ex.problems:
        assert p.message and all(ord(c) < 0x3000 for c in p.reason)
    ex.to_dict()


def test_tiff_named_jpg_is_fine_in_kind(tmp_path):
    # an image is an image: .jpg holding a TIFF is not "mislabelled" in a way that matters
    data = tiff_frames([text_image(["扫描"])])
    ex = extract_file(write(tmp_path, "a.jpg", data), "a.jpg", sha(data), ocr=opts(CountingEngine()))
    assert ex.ok and not ex.problems
