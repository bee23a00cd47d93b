"""The OCR interface without running a real engine: geometry, reading order, the fake engine."""
from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from PIL import Image

from extractors.base import Line
from extractors.ocr import (OCR_CONFUSIONS, EngineUnavailable, FakeEngine, NullEngine,
                            OcrEngine, OcrOptions, RapidOcrEngine, engine_for, get_engine,
                            group_words, polygon_to_box, recognize_oriented, recordings_from,
                            sort_reading_order, suppress_red_ink, unrotate_box)


def test_polygon_to_box_is_axis_aligned():
    assert polygon_to_box([[10, 20], [110, 24], [109, 60], [9, 56]]) == (9.0, 20.0, 110.0, 60.0)


def test_reading_order_rows_then_left_to_right():
    lines = [Line("值", (400, 102, 600, 140)), Line("标题", (100, 10, 500, 60)),
             Line("第二行", (100, 200, 300, 240)), Line("姓名", (100, 98, 200, 136))]
    assert [l.text for l in sort_reading_order(lines)] == ["标题", "姓名", "值", "第二行"]


def test_reading_order_keeps_paragraph_lines_apart():
    # 40 px lines, 58 px apart, slightly skewed: never merged into one row
    lines = [Line(f"l{i}", (100, 100 + 58 * i + (i % 2) * 6, 1400, 140 + 58 * i + (i % 2) * 6))
             for i in range(5)]
    assert [l.text for l in sort_reading_order(lines[::-1])] == [f"l{i}" for i in range(5)]


def test_group_words_joins_rows_and_splits_cells():
    words = [("姓", (100, 100, 130, 130), 1.0), ("名", (131, 100, 160, 130), 1.0),
             ("张三", (400, 101, 460, 131), 1.0),
             ("Hello", (100, 200, 180, 230), 1.0), ("world", (190, 200, 270, 230), 1.0)]
    out = group_words(words)
    assert [l.text for l in out] == ["姓名", "张三", "Hello world"]
    assert out[0].box == (100, 100, 160, 130)


def test_fake_engine_replays_by_key_and_ignores_unknown():
    rec = {"abc:1": [{"text": "专利号 ZL201320035469X", "box": [1, 2, 3, 4], "confidence": 0.9}]}
    eng = FakeEngine(rec)
    img = Image.new("RGB", (10, 10))
    out = eng.recognize(img, key="abc:1")
    assert out == [Line("专利号 ZL201320035469X", (1.0, 2.0, 3.0, 4.0), 0.9)]
    assert eng.recognize(img, key="abc:2") == []
    assert eng.calls == ["abc:1", "abc:2"]


def test_fake_engine_noise_is_seeded_and_uses_confusions():
    text = "0158已日人" * 20
    rec = {"k:1": [{"text": text, "box": [0, 0, 1, 1], "confidence": 0.99}]}
    a = FakeEngine(rec, noise=0.3, seed=1).recognize(None, key="k:1")[0]
    b = FakeEngine(rec, noise=0.3, seed=1).recognize(None, key="k:1")[0]
    c = FakeEngine(rec, noise=0.3, seed=2).recognize(None, key="k:1")[0]
    assert a == b and a.text != c.text
    assert a.text != text and len(a.text) == len(text)
    for x, y in zip(text, a.text):
        assert x == y or OCR_CONFUSIONS[x] == y
    assert a.confidence < 0.99
    assert FakeEngine(rec, noise=0.3).version() == FakeEngine(rec).version()
    assert FakeEngine(rec, noise=0.3).settings() != FakeEngine(rec).settings()


def test_fake_engine_pickles():
    eng = FakeEngine({"a:1": [{"text": "x", "box": [0, 0, 1, 1], "confidence": 1}]})
    eng2 = pickle.loads(pickle.dumps(eng))
    assert eng2.recognize(None, key="a:1")[0].text == "x"


def test_get_engine_names(tmp_path):
    assert isinstance(get_engine("null"), NullEngine)
    p = tmp_path / "rec.json"
    p.write_text(json.dumps({"s:1": [{"text": "甲", "box": [0, 0, 1, 1], "confidence": 1}]}),
                 encoding="utf-8")
    eng = get_engine(f"replay:{p}")
    assert isinstance(eng, FakeEngine) and eng.recognize(None, key="s:1")[0].text == "甲"
    with pytest.raises(EngineUnavailable) as e:
        get_engine("nosuch")
    assert "未知" in e.value.message
    with pytest.raises(EngineUnavailable):
        get_engine(f"replay:{tmp_path / 'missing.json'}")


def test_rapid_engine_is_lazy_and_picklable():
    eng = RapidOcrEngine(threads=1, max_side_len=1600)
    assert eng._ocr is None  # no model loaded until the first page
    assert eng.settings()["max_side_len"] == 1600
    assert "threads" not in eng.settings()  # speed settings do not split the cache
    eng2 = pickle.loads(pickle.dumps(eng))
    assert eng2.settings() == eng.settings() and eng2._ocr is None
    with pytest.raises(ValueError):
        RapidOcrEngine(det_limit_side_len=960)  # has no effect in 1.4.4: refused


def test_engine_for_builds_once_per_process():
    o = OcrOptions(engine="null")
    assert engine_for(o) is engine_for(OcrOptions(engine="null"))
    fake = FakeEngine({})
    assert engine_for(OcrOptions(engine=fake)) is fake


def test_engine_unavailable_pickles():
    e = pickle.loads(pickle.dumps(EngineUnavailable("未安装", "pip install x", engine="rapid")))
    assert e.message == "未安装" and e.fix == "pip install x" and e.engine == "rapid"


def test_suppress_red_ink_keeps_black_and_fades_red():
    img = Image.new("RGB", (3, 1))
    img.putpixel((0, 0), (0, 0, 0))
    img.putpixel((1, 0), (220, 30, 40))
    img.putpixel((2, 0), (40, 40, 200))
    out = suppress_red_ink(img)
    assert out.getpixel((0, 0)) == (0, 0, 0)
    assert out.getpixel((1, 0)) == (220, 220, 220)
    assert out.getpixel((2, 0)) == (40, 40, 200)  # blue ink (signatures) is kept


def test_recordings_from_round_trip():
    from extractors.base import Extraction, Page
    ex = Extraction("a.pdf", "s", "pdf", pages=[
        Page(1, "ocr", lines=[Line("甲", (0, 0, 1, 1), 0.5)]), Page(2, "text-layer")])
    assert recordings_from([ex]) == {"s:1": [{"text": "甲", "box": [0, 0, 1, 1], "confidence": 0.5}]}


class UprightOnly(OcrEngine):
    """Reads a page only when its dark bar is at the top left, lying flat (upright)."""
    name = "upright-only"

    def version(self):
        return "1"

    def recognize(self, image, key=None):
        a = np.asarray(image.convert("L"))
        ys, xs = np.nonzero(a < 128)
        box = (float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1))
        if box[0] == 0 and box[1] == 0 and box[2] - box[0] > box[3] - box[1]:
            return [Line("正立页面上的文字内容很清楚", box, 0.99)]
        return [Line("乱", box, 0.3)]


@pytest.mark.parametrize("rot", [0, 90, 180, 270])
def test_pages_scanned_upside_down_or_sideways_are_turned(rot):
    upright = Image.new("RGB", (300, 200), (255, 255, 255))
    upright.paste((0, 0, 0), (0, 0, 100, 20))
    page = upright.rotate(-rot, expand=True)  # how it was scanned
    lines, found = recognize_oriented(UprightOnly(), page)
    assert found == rot and lines[0].text.startswith("正立")
    a = np.asarray(page.convert("L"))
    ys, xs = np.nonzero(a < 128)
    assert lines[0].box == (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)


def test_no_rotation_when_switched_off_or_replaying():
    page = Image.new("RGB", (300, 200), (255, 255, 255))
    page.paste((0, 0, 0), (200, 180, 300, 200))
    assert recognize_oriented(UprightOnly(), page, auto_rotate=False)[1] == 0
    fake = FakeEngine({})
    assert recognize_oriented(fake, page, key="x:1") == ([], 0) and fake.calls == ["x:1"]


def test_unrotate_box_round_trip():
    W, H = 300, 200
    for rot in (90, 180, 270):
        img = Image.new("L", (W, H), 255)
        img.paste(0, (30, 40, 70, 60))
        r = img.rotate(rot, expand=True)
        a = np.asarray(r)
        ys, xs = np.nonzero(a < 128)
        box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
        assert unrotate_box(box, rot, W, H) == (30, 40, 70, 60)
