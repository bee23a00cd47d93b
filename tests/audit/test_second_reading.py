"""The second engine as tie-breaker on a doubtful reading behind a finding."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from audit.model import AuditContext, FileRecord, Finding, Severity, Span
from audit.second_reading import agrees, doubtful_span, other_engine, recheck
from extractors.base import Extraction, Line, Page

FONT = next((p for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                         "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf") if Path(p).exists()), None)


def test_agreement_on_numbers_and_text():
    assert agrees("专利号：ZL 2012 2 0572874.1", "ZL201220572874.1")
    assert agrees("ZL201220572874.1", "专利号 ZL 2012 2 0572874 . 1 授权")
    assert not agrees("ZL201220572874.1", "ZL201220572871.1")
    assert agrees("壹拾贰万元整", "人民币壹拾贰万元整")
    assert not agrees("壹拾贰万元整", "壹拾伍万元整")
    assert not agrees("", "anything")


def test_other_engine():
    assert other_engine("rapid") == "tesseract"
    assert other_engine("tesseract") == "rapid"
    assert other_engine("replay:/x.json") is None and other_engine("none") is None


def _setup(tmp_path, text="ZL201220572874.1", conf=0.6):
    img = Image.new("RGB", (900, 200), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 44) if FONT else ImageFont.load_default()
    d.text((60, 70), "ZL201220572874.1", fill="black", font=font)
    path = tmp_path / "scan.png"
    img.save(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rec = FileRecord(path="u/n/scan.png", sha256=sha, size=path.stat().st_size, local=str(path))
    ex = Extraction(file=rec.path, sha256=sha, media="image",
                    pages=[Page(1, "ocr", "rapid", [Line(text, (50, 60, 560, 130), conf)], 900, 200, 0)])
    ctx = AuditContext(profile=None, files=[rec])
    span = Span(file=rec.path, page=1, box=(50, 60, 560, 130), text=text, confidence=conf, sha256=sha)
    f = Finding(code="V02", severity=Severity.HIGH, unit="u", nominee="n", message="专利号校验位错误。",
                evidence=[span], confidence=conf)
    return f, ctx, {rec.path: ex}


class Replay:
    name = "stub"

    def __init__(self, text):
        self.text, self.seen = text, []

    def recognize(self, image, key=None):
        self.seen.append(image.size)
        return [Line(self.text, (0, 0, image.width, image.height), 0.9)]


def test_agreeing_second_reading_annotates(tmp_path):
    f, ctx, exs = _setup(tmp_path)
    eng = Replay("ZL 201220572874.1")
    st = recheck([f], ctx, exs, "rapid", engine=eng)
    assert st["checked"] == 1 and st["agreed"] == 1
    assert f.severity == Severity.HIGH and "读数一致" in f.message
    assert f.rereads[0]["agrees"] is True and f.rereads[0]["second"] == "ZL 201220572874.1"
    w, h = eng.seen[0]
    assert 510 <= w <= 560 and 70 <= h <= 110   # the box with a margin, not the page


def test_disagreeing_second_reading_lowers(tmp_path):
    f, ctx, exs = _setup(tmp_path)
    st = recheck([f], ctx, exs, "rapid", engine=Replay("ZL201220572871.1"))
    assert st["disagreed"] == 1
    assert f.severity == Severity.MEDIUM and "不一致" in f.message and "ZL201220572871.1" in f.message


def test_confident_readings_are_left_alone(tmp_path):
    f, ctx, exs = _setup(tmp_path, conf=0.97)
    assert doubtful_span(f) is None
    st = recheck([f], ctx, exs, "rapid", engine=Replay("x"))
    assert st["checked"] == 0 and not f.rereads and f.severity == Severity.HIGH


def test_failing_engine_never_stops_the_audit(tmp_path):
    f, ctx, exs = _setup(tmp_path)

    class Broken(Replay):
        def recognize(self, image, key=None):
            raise RuntimeError("engine crashed")
    st = recheck([f], ctx, exs, "rapid", engine=Broken(""))
    assert st["unreadable"] == 1 and f.severity == Severity.HIGH


@pytest.mark.ocr
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_tesseract_confirms_a_printed_number(tmp_path):
    f, ctx, exs = _setup(tmp_path)
    st = recheck([f], ctx, exs, "rapid")
    assert st["engine"] == "tesseract" and st["checked"] == 1
    assert st["agreed"] == 1, f.rereads
