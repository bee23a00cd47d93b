"""Seals found and read on every OCR'd page (Page.seals): the replay path, the cache, failures.

Pages are drawn with the sample-batch renderer, scanned and saved as the generator saves them;
the fake engine replays the generator's truth (lines, then seals). One test, marked ``ocr``,
reads the seal with the real RapidOCR.
"""
from __future__ import annotations

import hashlib
import random

import pytest

from audit.sample import documents as D
from audit.sample import render as R
from audit.sample.batch import _save_pdf, _seal_truth, _truth
from extractors import ocr as O
from extractors.cache import extraction_from_record, extraction_to_record
from extractors.dispatch import extract_file
from extractors.ocr import FakeEngine, OcrOptions, recordings_from

UNIT = "开封空分集团有限公司"
OTHER = "开封市通达电气设备厂"


def _statement(seed: int, seal, unit: str = UNIT) -> R.RenderedPage:
    rng = random.Random(seed)
    p = D.benefit_statement(rng, unit=unit, project="珠光砂快速卸装技术", person="张建国", year=2019,
                            created_yuan=125000, saved_yuan=32000, date="2020-01-10", seal=seal)
    return R.scan(p, rng, "light")


def _pdf(tmp_path, pages, name="效益证明.pdf"):
    path = tmp_path / name
    _save_pdf(pages, path)
    data = path.read_bytes()
    return path, hashlib.sha256(data).hexdigest()


def _truth_of(sha, pages, with_seals=True):
    return {f"{sha}:{i}": _truth(p.lines) + (_seal_truth(p) if with_seals else [])
            for i, p in enumerate(pages, 1)}


def test_replay_reads_the_recorded_seal_of_a_scanned_pdf(tmp_path):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    eng = FakeEngine(_truth_of(sha, [page]))
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=eng, cache_dir=None))
    p = ex.pages[0]
    assert p.source == "ocr" and not ex.problems
    assert len(p.seals) == 1
    s = p.seals[0]
    assert s["kind"] == "finance" and s["ring_text"] == UNIT and s["center_text"] == "财务专用章"
    assert 0 < s["confidence"] <= 1 and len(s["ink_sha256"]) == 64
    # the recorded box is in the pixels of the page the extractor rendered
    truth = page.seals[0].box
    ix = max(0.0, min(s["box"][2], truth[2]) - max(s["box"][0], truth[0]))
    iy = max(0.0, min(s["box"][3], truth[3]) - max(s["box"][1], truth[1]))
    assert ix * iy > 0.6 * (truth[2] - truth[0]) * (truth[3] - truth[1])
    assert (p.width, p.height) == page.image.size
    # seal entries are never replayed as text lines
    assert all(l.text != UNIT or l.box != tuple(s["box"]) for l in p.lines)
    assert not any("seal" in l.text for l in p.lines)


def test_replay_of_an_image_and_an_official_seal(tmp_path):
    page = _statement(5, "official")
    path = tmp_path / "证明.jpg"
    R.save_image(page, path, fmt="JPEG", quality=90)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=FakeEngine(_truth_of(sha, [page])), cache_dir=None))
    seals = ex.pages[0].seals
    assert [s["kind"] for s in seals] == ["official"] and seals[0]["ring_text"] == UNIT


def test_old_truth_without_seals_reads_the_seal_as_unknown(tmp_path):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    eng = FakeEngine(_truth_of(sha, [page], with_seals=False))
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=eng, cache_dir=None))
    assert [s["kind"] for s in ex.pages[0].seals] == ["unknown"]      # detected, not read
    assert ex.pages[0].lines                                           # the old format still replays


def test_no_seal_on_an_unstamped_statement(tmp_path):
    page = _statement(4, None)
    path, sha = _pdf(tmp_path, [page])
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=FakeEngine(_truth_of(sha, [page])), cache_dir=None))
    assert ex.pages[0].seals == []


def test_dict_recordings_and_recorded_seal_lookup():
    eng = FakeEngine({"k:1": {"lines": [{"text": "甲", "box": [0, 0, 10, 10], "confidence": 0.9}],
                              "seals": [{"box": [100, 100, 300, 300], "kind": "finance", "ring_text": UNIT,
                                         "center_text": "财务专用章"}]}})
    assert [l.text for l in eng.recognize(None, key="k:1")] == ["甲"]
    assert eng.recorded_seal("k:1", (110, 90, 310, 290))["ring_text"] == UNIT
    assert eng.recorded_seal("k:1", (500, 500, 700, 700)) is None
    assert eng.recorded_seal("k:2", (110, 90, 310, 290)) is None


def test_seals_are_cached_with_the_lines(tmp_path, monkeypatch):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    eng = FakeEngine(_truth_of(sha, [page]))
    opts = OcrOptions(engine=eng, cache_dir=str(tmp_path / "cache"))
    first = extract_file(path, path.name, sha, ocr=opts, file_level=False)
    assert first.pages[0].seals
    calls = []
    monkeypatch.setattr(O, "read_page_seals", lambda *a, **k: calls.append(1) or [])
    again = extract_file(path, path.name, sha, ocr=opts, file_level=False)   # page entry: a hit
    assert again.pages[0].seals == first.pages[0].seals and calls == []
    # the whole file's record keeps them too
    back = extraction_from_record(extraction_to_record(first))
    assert back.pages[0].seals == first.pages[0].seals
    assert first.to_dict()["pages"][0]["seals"][0]["kind"] == "finance"


def test_a_cache_entry_without_seals_gets_them_on_the_next_read(tmp_path):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    eng = FakeEngine(_truth_of(sha, [page]))
    opts = OcrOptions(engine=eng, cache_dir=str(tmp_path / "cache"))
    img = page.image
    lines, _eid, _rot = O.recognize_page(img, image_sha="x", key=f"{sha}:1", options=opts)   # lines only
    _l, _e, _r, seals = O.recognize_page_and_seals(img, image_sha="x", key=f"{sha}:1", options=opts)
    assert [s["kind"] for s in seals] == ["finance"]
    n = len(eng.calls)
    _l, _e, _r, again = O.recognize_page_and_seals(img, image_sha="x", key=f"{sha}:1", options=opts)
    assert again == seals and len(eng.calls) == n


def test_seal_reading_failure_gives_no_seals_and_a_note(tmp_path, monkeypatch, caplog):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])

    def boom(*a, **k):
        raise RuntimeError("ring unwarp failed")
    monkeypatch.setattr("extractors.seals.find_seals", boom)
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=FakeEngine(_truth_of(sha, [page])), cache_dir=None))
    assert ex.pages[0].lines and ex.pages[0].seals == []
    assert not ex.problems
    assert "ring unwarp failed" in ex.metadata["seal_notes"][0]


def test_seals_can_be_switched_off(tmp_path):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=FakeEngine(_truth_of(sha, [page])), cache_dir=None,
                                                           read_seals=False))
    assert ex.pages[0].seals == [] and ex.pages[0].lines


def test_recordings_from_keeps_seals(tmp_path):
    page = _statement(3, "finance")
    path, sha = _pdf(tmp_path, [page])
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine=FakeEngine(_truth_of(sha, [page])), cache_dir=None))
    rec = recordings_from([ex])
    seals = [r for r in rec[f"{sha}:1"] if "seal" in r]
    assert seals and seals[0]["seal"]["ring_text"] == UNIT
    assert FakeEngine(rec).recorded_seal(f"{sha}:1", tuple(ex.pages[0].seals[0]["box"]))["kind"] == "finance"


@pytest.mark.ocr
def test_rapidocr_reads_the_seal_of_a_scanned_statement(tmp_path):
    import time
    page = _statement(3, "finance")
    path = tmp_path / "证明.png"
    page.image.save(path, "PNG", dpi=(200, 200))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    t0 = time.perf_counter()
    ex = extract_file(path, path.name, sha, ocr=OcrOptions(engine="rapid", threads=2, cache_dir=None))
    t1 = time.perf_counter()
    seals = ex.pages[0].seals
    assert len(seals) == 1, seals
    s = seals[0]
    assert s["kind"] == "finance"
    from extractors.seals import _lev
    assert _lev(s["ring_text"], UNIT) <= 2, s
    assert t1 - t0 < 60
