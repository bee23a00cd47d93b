"""Perceptual hashes of rendered pages (X02): on the ink area, cached with the page."""
from __future__ import annotations

from PIL import Image

from extractors.base import Page
from extractors.cache import extraction_from_record, extraction_to_record
from extractors.images import extract_image
from extractors.ocr import FakeEngine, ink_box, page_image_hashes
from tests.extractors.makers import opts, png_bytes, sha
from tests.extractors.synth import clean_page, scan


def dist(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def shifted(img: Image.Image, dx: int, dy: int) -> Image.Image:
    out = Image.new("RGB", (img.width + 120, img.height + 120), (255, 255, 255))
    out.paste(img, (dx, dy))
    return out


def test_hashes_are_256_bits_of_the_ink_area():
    img, _ = clean_page("certificate", 3)
    ph, dh, box = page_image_hashes(img)
    assert len(ph) == 64 and len(dh) == 64
    x0, y0, x1, y1 = box
    assert 0 < x0 < x1 < img.width and 0 < y0 < y1 < img.height


def test_a_rescan_with_other_margins_is_near_and_other_pages_are_far():
    img, _ = clean_page("prose", 5)
    a = page_image_hashes(scan(img, 1))
    b = page_image_hashes(shifted(scan(img, 2), 90, 40))       # other noise, shifted on the glass
    other = page_image_hashes(scan(clean_page("form", 5)[0], 1))
    assert dist(a[0], b[0]) <= 34 and dist(a[1], b[1]) <= 34   # profile: 40 and 48
    assert dist(a[0], other[0]) > 60 and dist(a[1], other[1]) > 60
    # the ink box moved with the page
    assert abs((b[2][0] - a[2][0]) - 90) <= 8 and abs((b[2][1] - a[2][1]) - 40) <= 8


def test_a_blank_page_has_no_hash():
    img = Image.new("RGB", (1654, 2339), (246, 246, 246))
    assert ink_box(img) is None
    assert page_image_hashes(img) == (None, None, None)


def test_replayed_ocr_gives_hashes_and_the_cache_record_keeps_them():
    img, _ = clean_page("certificate", 4)
    data = png_bytes(scan(img, 4))
    s = sha(data)
    eng = FakeEngine({f"{s}:1": [{"text": "荣誉证书", "box": [600, 360, 1050, 470], "confidence": 0.99}]})
    ex = extract_image(data, "证书.png", ocr=opts(eng))
    p = ex.pages[0]
    assert p.source == "ocr" and len(p.phash) == 64 and len(p.dhash) == 64 and len(p.ink_box) == 4
    back = extraction_from_record(extraction_to_record(ex)).pages[0]
    assert (back.phash, back.dhash, back.ink_box) == (p.phash, p.dhash, p.ink_box)


def test_an_old_cache_record_without_hashes_still_loads():
    rec = {"file": "a.jpg", "sha256": "x", "media": "image",
           "pages": [{"page": 1, "source": "ocr", "lines": [{"text": "证书", "box": [1, 2, 3, 4]}],
                      "image_sha256": "h", "seals": []}]}
    p = extraction_from_record(rec).pages[0]
    assert isinstance(p, Page) and p.phash is None and p.dhash is None and p.ink_box is None


def test_the_pipeline_carries_hashes_and_ink_relative_lines_and_the_graph_pairs_them():
    from audit.graph import EvidenceGraph
    from audit.model import EvidenceItem, Nominee
    from audit.pipeline import attach_page_hashes
    from extractors.base import Extraction, Line
    h = "f0e1d2c3b4a5968778695a4b3c2d1e0f" * 2
    far = "0f1e2d3c4b5a69788796a5b4c3d2e1f0" * 2
    noms = []
    for i, (name, ph, dx) in enumerate((("张三", h, 0), ("李四", h[:-2] + "00", 50), ("王五", far, 0))):
        f = f"A/{name}/证书.jpg"
        ex = Extraction(file=f, sha256=f"s{i}", media="image", pages=[Page(
            page=1, source="ocr", image_sha256=f"px{i}", phash=ph, dhash=ph, ink_box=[100 + dx, 200, 1100 + dx, 1200],
            lines=[Line(f"{name}同志", (200 + dx, 300, 600 + dx, 350))])])
        it = EvidenceItem(id=f"e{i}", kind="honor_certificate", file=f, sha256=f"s{i}", pages=[1])
        attach_page_hashes([it], {f: ex})
        assert it.page_phashes == [(f, 1, ph, ph)]
        assert it.page_lines == [(f, 1, [(f"{name}同志", (0.1, 0.1, 0.5, 0.15))])]   # the same place after a shift
        n = Nominee(unit="A", name=name, folder=f"A/{name}")
        n.evidence = [it]
        noms.append(n)
    gr = EvidenceGraph()
    for n in noms:
        gr.add_nominee(n)
    pairs = gr.near_page_candidates(bands=16, max_bucket=10)
    assert [(gr.nominee_of(a), gr.nominee_of(b)) for a, _la, b, _lb in pairs] == [("A/张三", "A/李四")]
    assert gr.near_page_candidates(bands=16, max_bucket=1) == []        # a crowded band is skipped
