"""audit.illustrate: the pages the findings point at, drawn once and kept in the cache."""
from __future__ import annotations

import io
from types import SimpleNamespace

from PIL import Image

from audit.illustrate import gather
from audit.model import Finding, Severity, Span
from extractors.base import Extraction, Line, Page


def _batch(tmp_path):
    img = Image.new("RGB", (800, 600), "white")
    path = tmp_path / "证明.png"
    img.save(path)
    pg = Page(page=1, source="ocr", width=800, height=600,
              lines=[Line("身份证号：410202197805061234", (100, 100, 700, 140)), Line("专利号 ZL2019", (100, 200, 400, 240))])
    ex = Extraction(file="单位/张三/证明.png", sha256="c" * 64, media="image", pages=[pg])
    ctx = SimpleNamespace(files=[SimpleNamespace(path=ex.file, local=str(path))], read_issues=[], nominees=[])
    f = Finding(code="V01", severity=Severity.HIGH, unit="单位", nominee="张三", message="m",
                evidence=[Span(file=ex.file, page=1, box=(100, 200, 400, 240), text="专利号 ZL2019")])
    return path, ex, ctx, f


def test_page_drawn_with_its_sensitive_boxes(tmp_path):
    path, ex, ctx, f = _batch(tmp_path)
    got = gather([f], ctx, {ex.file: ex})
    shot = got.page(ex.file, 1)
    assert shot is not None and (shot.width, shot.height) == (800, 600)
    assert Image.open(io.BytesIO(shot.jpeg)).size == (800, 600)
    (x0, y0, x1, y1), = shot.sensitive          # the ID number's middle digits, not the patent number
    assert 100 < x0 < x1 < 700 and y0 < 100 < 140 < y1


def test_drawn_page_comes_from_the_cache_the_second_time(tmp_path):
    path, ex, ctx, f = _batch(tmp_path)
    first = gather([f], ctx, {ex.file: ex}, cache_dir=str(tmp_path / "cache"))
    path.unlink()                                # the file is gone: only the cache can draw it now
    again = gather([f], ctx, {ex.file: ex}, cache_dir=str(tmp_path / "cache"))
    assert again.page(ex.file, 1).jpeg == first.page(ex.file, 1).jpeg
    assert gather([f], ctx, {ex.file: ex}).page(ex.file, 1) is None


def test_unreadable_files_and_office_excerpts(tmp_path):
    _, ex, ctx, f = _batch(tmp_path)
    ctx.read_issues = [SimpleNamespace(path="单位/张三/坏.pdf", page=None, reason="corrupt", message="PDF 文件损坏")]
    got = gather([f], ctx, {ex.file: ex})
    assert got.unreadable == {"单位/张三/坏.pdf": "PDF 文件损坏"} and got.media == {ex.file: "image"}
