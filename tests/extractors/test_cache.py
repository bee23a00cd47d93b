"""The content cache: second runs do not OCR, identical scans are OCR'd once, many writers."""
from __future__ import annotations

import multiprocessing as mp

from extractors.base import Line
from extractors.cache import ExtractCache, default_cache_dir, open_cache
from extractors.dispatch import extract_file
from extractors.ocr import FakeEngine, OcrOptions
from tests.extractors.makers import (CountingEngine, image_pdf, sha, text_image, text_pdf,
                                     write)


def _scan_pdf():
    data = image_pdf([text_image(["第一页"]), text_image(["第二页"])])
    s = sha(data)
    rec = {f"{s}:1": [{"text": "第一页", "box": [40, 40, 200, 80], "confidence": 0.97}],
           f"{s}:2": [{"text": "第二页", "box": [40, 40, 200, 80], "confidence": 0.95}]}
    return data, s, rec


def test_second_run_is_a_cache_hit(tmp_path):
    data, s, rec = _scan_pdf()
    eng = FakeEngine(rec)
    o = OcrOptions(engine=eng, cache_dir=str(tmp_path / "cache"))
    p = write(tmp_path, "scan.pdf", data)
    ex1 = extract_file(p, "一/scan.pdf", s, ocr=o)
    assert len(eng.calls) == 2
    ex2 = extract_file(p, "二/scan.pdf", s, ocr=o)
    assert len(eng.calls) == 2  # the engine was not called again
    assert ex2.file == "二/scan.pdf"
    d1, d2 = ex1.to_dict(), ex2.to_dict()
    d1.pop("file"), d2.pop("file")
    assert d1 == d2
    assert [p.image_sha256 for p in ex1.pages] == [p.image_sha256 for p in ex2.pages]


def test_identical_scans_in_different_files_are_ocred_once(tmp_path):
    a, b = text_image(["同一页"]), text_image(["另一页"])
    one, two = image_pdf([a]), image_pdf([a, b])
    eng = CountingEngine()
    o = OcrOptions(engine=eng, cache_dir=str(tmp_path / "c"))
    extract_file(one, "one.pdf", sha(one), ocr=o)
    ex = extract_file(two, "two.pdf", sha(two), ocr=o)
    assert len(eng.calls) == 2  # one:1, two:2 (two:1 has the same pixels as one:1)
    assert ex.pages[0].text == "识别结果：一行足够长的清晰文字"


def test_changed_settings_do_not_reuse_results(tmp_path):
    data, s, rec = _scan_pdf()
    eng = CountingEngine()
    extract_file(data, "a.pdf", s, ocr=OcrOptions(engine=eng, cache_dir=str(tmp_path)))
    extract_file(data, "a.pdf", s, ocr=OcrOptions(engine=eng, cache_dir=str(tmp_path), dpi=150))
    assert len(eng.calls) == 4  # other pixels
    other = CountingEngine(text="另一种设置下的识别结果文字")
    extract_file(data, "a.pdf", s, ocr=OcrOptions(engine=other, cache_dir=str(tmp_path)))
    assert len(other.calls) == 2  # other engine settings
    extract_file(data, "a.pdf", s, ocr=OcrOptions(engine=FakeEngine(rec), cache_dir=str(tmp_path)))
    noisy = FakeEngine(rec, noise=0.5)
    extract_file(data, "a.pdf", s, ocr=OcrOptions(engine=noisy, cache_dir=str(tmp_path)))
    assert len(noisy.calls) == 2


def test_failed_ocr_is_not_cached(tmp_path):
    class Flaky(CountingEngine):
        def recognize(self, image, key=None):
            self.calls.append(key)
            if len(self.calls) == 1:
                raise RuntimeError("onnx session died")
            return [Line("好了，第二次识别成功了。", (0, 0, 1, 1), 0.9)]

    data = image_pdf([text_image(["一页"])])
    eng = Flaky()
    o = OcrOptions(engine=eng, cache_dir=str(tmp_path))
    ex = extract_file(data, "a.pdf", sha(data), ocr=o)
    assert [(p.reason, p.page) for p in ex.problems] == [("ocr-failed", 1)]
    assert ex.pages[0].source == "none"
    ex = extract_file(data, "a.pdf", sha(data), ocr=o)
    assert not ex.problems and ex.pages[0].text == "好了，第二次识别成功了。"


def test_cache_can_be_disabled(tmp_path):
    data = image_pdf([text_image(["一页"])])
    eng = CountingEngine()
    for _ in range(2):
        extract_file(data, "a.pdf", sha(data), ocr=OcrOptions(engine=eng, cache_dir=None))
    assert len(eng.calls) == 2


def test_text_layer_files_are_cached_too(tmp_path, monkeypatch):
    data = text_pdf([[(72, 100, "开封工匠推荐审批表张建国")]])
    o = OcrOptions(engine=CountingEngine(), cache_dir=str(tmp_path))
    extract_file(data, "a.pdf", sha(data), ocr=o)
    import extractors.pdf as pdfmod
    monkeypatch.setattr(pdfmod, "extract_pdf", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    assert extract_file(data, "a.pdf", sha(data), ocr=o).pages[0].text == "开封工匠推荐审批表张建国"


def test_env_var_sets_the_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path / "envcache"))
    assert default_cache_dir() == tmp_path / "envcache"
    c = open_cache("auto")
    assert c is not None and c.directory == tmp_path / "envcache"
    monkeypatch.delenv("DOSSIER_CACHE_DIR")
    assert "dossier-audit" in str(default_cache_dir())


def test_unusable_cache_dir_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert open_cache(str(blocker / "sub")) is None
    data = image_pdf([text_image(["一页"])])
    ex = extract_file(data, "a.pdf", sha(data),
                      ocr=OcrOptions(engine=CountingEngine(), cache_dir=str(blocker / "sub")))
    assert ex.ok


def _writer(args):
    directory, worker = args
    c = ExtractCache(directory)
    for i in range(150):
        c.put_lines(f"shared-{i}", [Line(f"共享{i}", (0, 0, 1, 1), 0.5)])
        c.put_lines(f"w{worker}-{i}", [Line(f"进程{worker}-{i}", (0, 0, 1, 1), 0.5)])
        assert c.get_lines(f"shared-{i}") is not None
    return worker


def test_several_processes_write_at_once(tmp_path):
    d = str(tmp_path / "shared")
    with mp.get_context("spawn").Pool(3) as pool:
        assert sorted(pool.map(_writer, [(d, w) for w in range(3)])) == [0, 1, 2]
    c = ExtractCache(d)
    for w in range(3):
        for i in range(150):
            assert c.get_lines(f"w{w}-{i}")[0][0].text == f"进程{w}-{i}"
    assert c.get_lines("shared-7")[0][0].text == "共享7"
