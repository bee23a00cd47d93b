"""The real engines on one small image each (marked ``ocr``: a few seconds)."""
from __future__ import annotations

import pytest

from extractors.dispatch import extract_file
from extractors.ocr import OcrOptions, RapidOcrEngine, TesseractEngine
from tests.extractors.makers import image_pdf, sha
from tests.extractors.synth import small_text_image

pytestmark = pytest.mark.ocr


def _norm(s: str) -> str:
    return "".join(s.split())


def test_rapidocr_reads_a_patent_number():
    eng = RapidOcrEngine(threads=1)
    lines = eng.recognize(small_text_image("专利号 ZL201320035469X"))
    assert lines and "ZL201320035469X" in _norm("".join(l.text for l in lines))
    x0, y0, x1, y1 = lines[0].box
    assert 0 <= x0 < x1 and 0 <= y0 < y1 and 0.5 < lines[0].confidence <= 1


def test_rapidocr_settings_take_effect():
    eng = RapidOcrEngine(threads=1, max_side_len=1600, det_max_side=960)
    eng.warm_up()
    ocr = eng._ocr
    assert ocr.max_side_len == 1600
    assert ocr.text_det.get_preprocess(2339).limit_side_len == 960
    opts = ocr.text_det.infer.session.get_session_options()
    assert opts.intra_op_num_threads == 1 and opts.inter_op_num_threads == 1
    # the library's own det_limit_side_len would be ignored on an A4 page:
    from rapidocr_onnxruntime import RapidOCR
    lib = RapidOCR(det_limit_type="max", det_limit_side_len=960)
    assert lib.text_det.get_preprocess(2339).limit_side_len == 2000


def test_rapidocr_through_a_scanned_pdf(tmp_path):
    data = image_pdf([small_text_image("身份证号 410203198507150031", size=60)])
    ex = extract_file(data, "scan.pdf", sha(data),
                      ocr=OcrOptions(engine="rapid", cache_dir=None))
    assert ex.pages[0].source == "ocr" and ex.pages[0].engine.startswith("rapidocr ")
    assert "410203198507150031" in _norm(ex.text)


def test_tesseract_reads_digits():
    try:
        eng = TesseractEngine()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(str(exc))
    lines = eng.recognize(small_text_image("证书编号 1941000000300123", size=48))
    assert "1941000000300123" in _norm("".join(l.text for l in lines))
    assert all(0 <= l.confidence <= 1 for l in lines)


def test_rapidocr_page_upside_down_is_turned():
    from extractors.ocr import recognize_oriented
    img = small_text_image("证书编号 1941000000300123", size=48).rotate(180, expand=True)
    lines, rot = recognize_oriented(RapidOcrEngine(threads=1), img)
    assert rot == 180 and "1941000000300123" in _norm("".join(l.text for l in lines))
