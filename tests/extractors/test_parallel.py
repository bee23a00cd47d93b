"""extract_many: same results in-process and in the pool, page splitting, progress, crashes."""
from __future__ import annotations

import os

import pytest

from extractors.base import Line
from extractors.dispatch import _plan, extract_many
from extractors.ocr import EngineUnavailable, FakeEngine, OcrEngine, OcrOptions
from tests.extractors.makers import image_pdf, sha, text_image, text_pdf, write
from tests.extractors.test_office import _docx_form


def _batch(tmp_path):
    pages = [text_image([f"第{i}页"]) for i in range(1, 7)]
    scan = image_pdf(pages)
    s = sha(scan)
    rec = {f"{s}:{i}": [{"text": f"第{i}页", "box": [40, 40, 200, 80], "confidence": 0.9}]
           for i in range(1, 7)}
    docx = _docx_form()
    text = text_pdf([[(72, 100, "开封工匠推荐审批表张建国同志")]])
    bad = b"%PDF-1.4 broken"
    jobs = [(write(tmp_path, "证明材料.pdf", scan), "u/证明材料.pdf", s),
            (write(tmp_path, "审批表.docx", docx), "u/审批表.docx", sha(docx)),
            (write(tmp_path, "bad.pdf", bad), "u/bad.pdf", sha(bad)),
            (write(tmp_path, "事迹.pdf", text), "u/事迹.pdf", None)]
    return jobs, FakeEngine(rec)


def test_in_process_keeps_order_and_reports_progress(tmp_path):
    jobs, eng = _batch(tmp_path)
    seen = []
    out = extract_many(jobs, ocr_options=OcrOptions(engine=eng, cache_dir=None), workers=1,
                       progress=lambda kind, n: seen.append((kind, n)))
    assert [e.file for e in out] == [j[1] for j in jobs]
    assert [len(e.pages) for e in out] == [6, 1, 0, 1]
    assert out[0].text.splitlines() == [f"第{i}页" for i in range(1, 7)]
    assert out[3].sha256 == sha(jobs[3][0].read_bytes())
    assert sum(n for k, n in seen if k == "files") == 4
    assert sum(n for k, n in seen if k == "pages") == 8


def test_big_pdf_is_split_into_page_chunks(tmp_path):
    jobs, _ = _batch(tmp_path)
    tasks = _plan(0, jobs[0][0], jobs[0][1], jobs[0][2], 2, {"max_file_mb": 200, "max_pages": 400})
    assert len(tasks) == 6 and [t.pages for t in tasks][:2] == [(1,), (2,)]
    assert [t.file_level for t in tasks] == [True] + [False] * 5


def test_pool_gives_the_same_result_as_in_process(tmp_path):
    jobs, eng = _batch(tmp_path)
    o = OcrOptions(engine=eng, cache_dir=None)
    one = extract_many(jobs, ocr_options=o, workers=1)
    seen = []
    two = extract_many(jobs, ocr_options=o, workers=2, progress=lambda k, n: seen.append((k, n)))
    assert [e.to_dict() for e in two] == [e.to_dict() for e in one]
    assert two[0].metadata == one[0].metadata
    assert sum(n for k, n in seen if k == "files") == 4
    assert sum(n for k, n in seen if k == "pages") == 8


def test_pool_uses_and_fills_the_cache(tmp_path):
    jobs, eng = _batch(tmp_path)
    o = OcrOptions(engine=eng, cache_dir=str(tmp_path / "cache"))
    first = extract_many(jobs, ocr_options=o, workers=2)
    seen = []
    again = extract_many(jobs, ocr_options=o, workers=2, progress=lambda k, n: seen.append(k))
    assert [e.to_dict() for e in again] == [e.to_dict() for e in first]
    assert seen.count("files") == 4


def test_missing_engine_raises_before_any_work(tmp_path):
    jobs, _ = _batch(tmp_path)
    with pytest.raises(EngineUnavailable):
        extract_many(jobs, ocr_options=OcrOptions(engine="nosuch", cache_dir=None), workers=2)


class CrashOnPage3(OcrEngine):
    """Kills its worker process on page 3: a parser crash inside a worker."""
    name = "crash"

    def version(self):
        return "1"

    def recognize(self, image, key=None):
        if key and key.endswith(":3"):
            os._exit(3)
        return [Line("好", (0, 0, 1, 1), 1.0)]


@pytest.mark.slow
def test_a_crashing_worker_only_loses_its_own_pages(tmp_path):
    jobs, _ = _batch(tmp_path)
    out = extract_many(jobs, ocr_options=OcrOptions(engine=CrashOnPage3(), cache_dir=None),
                       workers=2)
    assert [p.page for p in out[0].pages] == [1, 2, 4, 5, 6]
    assert [(p.reason, p.page) for p in out[0].problems] == [("corrupt", 3)]
    assert out[1].ok and out[3].ok
