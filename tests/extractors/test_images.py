"""Images: EXIF orientation and metadata, frames, photo detection, pixel limits."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.dispatch import extract_file
from extractors.images import (extract_image, looks_like_photo, photo_features, pixel_sha256,
                               to_rgb)
from extractors.ocr import FakeEngine
from tests.extractors.makers import (CountingEngine, ExplodingEngine, huge_png_header,
                                     jpeg_bytes, jpeg_with_exif, opts, png_bytes, sha,
                                     text_image, tiff_frames, write)
from tests.extractors.synth import clean_page, photo_like, scan


def test_exif_orientation_is_applied_and_exif_kept(tmp_path):
    img = Image.new("RGB", (300, 100), (255, 255, 255))
    ImageDraw.Draw(img).rectangle([0, 0, 30, 100], fill=(0, 0, 0))  # a black bar on the left
    data = jpeg_with_exif(img, orientation=6)  # "rotate 90° clockwise to display"
    s = sha(data)
    eng = FakeEngine({f"{s}:1": [{"text": "证书", "box": [1, 2, 3, 4], "confidence": 0.9}]})
    ex = extract_file(write(tmp_path, "证书.jpg", data), "证书.jpg", s, ocr=opts(eng))
    page = ex.pages[0]
    assert (page.width, page.height) == (100, 300)  # upright: portrait
    assert eng.calls == [f"{s}:1"] and page.text == "证书" and page.source == "ocr"
    exif = ex.metadata["exif"]
    assert exif["software"] == "Adobe Photoshop CC"
    assert exif["datetime"] == "2021:05:20 10:11:12"
    assert exif["datetime_original"] == "2019:03:01 08:00:00"
    assert exif["orientation"] == 6


def test_exif_rotation_moves_pixels(tmp_path):
    img = Image.new("RGB", (300, 100), (255, 255, 255))
    ImageDraw.Draw(img).rectangle([0, 0, 30, 100], fill=(0, 0, 0))
    seen = {}

    class Grab(CountingEngine):
        def recognize(self, image, key=None):
            seen["img"] = image.copy()
            return []

    extract_image(jpeg_with_exif(img, 6), "s", ocr=opts(Grab(), suppress_red=False, auto_rotate=False,
                                                           detect_photos=False))
    a = np.asarray(seen["img"].convert("L"))
    assert a.shape == (300, 100)
    assert a[:30, :].mean() < 60 and a[-30:, :].mean() > 200  # the bar is now on top


def test_multi_frame_tiff_is_one_page_per_frame():
    data = tiff_frames([text_image(["第一帧"]), text_image(["第二帧"]), text_image(["第三帧"])])
    eng = CountingEngine()
    ex = extract_image(data, sha(data), ocr=opts(eng))
    assert [p.page for p in ex.pages] == [1, 2, 3] and len(eng.calls) == 3
    assert ex.metadata["frames"] == 3
    assert len({p.image_sha256 for p in ex.pages}) == 3


def test_png_transparency_goes_on_white():
    img = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    rgb = to_rgb(img)
    assert rgb.mode == "RGB" and rgb.getpixel((10, 10)) == (255, 255, 255)


def test_pixel_hash_ignores_container_format():
    img = text_image(["同一张图"])
    a = extract_image(png_bytes(img), "a", ocr=opts(CountingEngine())).pages[0].image_sha256
    tif = tiff_frames([img])
    b = extract_image(tif, "b", ocr=opts(CountingEngine())).pages[0].image_sha256
    assert a == b == pixel_sha256(img)


@pytest.mark.parametrize("kind", ["prose", "form", "certificate"])
def test_document_scans_are_not_photos(kind):
    clean, _ = clean_page(kind, 1)
    assert not looks_like_photo(scan(clean, 1)), photo_features(scan(clean, 1))


def test_synthetic_photo_is_a_photo():
    assert looks_like_photo(photo_like()), photo_features(photo_like())
    assert looks_like_photo(photo_like((600, 800), seed=11))


def test_single_colour_cover_and_dark_screenshot_are_not_photos():
    cover = Image.new("RGB", (600, 800), (190, 20, 25))
    ImageDraw.Draw(cover).text((150, 300), "荣誉证书", fill=(230, 190, 90))
    assert not looks_like_photo(cover)
    dark = text_image(["公示期：2020年6月1日至6月5日"] * 5, colour=(230, 230, 230))
    dark = Image.eval(dark, lambda v: 255 - v)
    assert not looks_like_photo(dark)


def test_phone_photo_of_a_page_on_a_desk_is_a_document():
    clean, _ = clean_page("certificate", 2)
    page = clean.resize((700, 990))
    w, h = 1000, 1300
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    shade = (0.65 + 0.35 * (x / w))[..., None]
    desk = np.array([120, 80, 45], dtype=np.float32) * shade  # brown wood, lit from the right
    desk = Image.fromarray(desk.clip(0, 255).astype(np.uint8))
    dim = Image.eval(page, lambda v: int(v * 0.85))
    desk.paste(dim, (150, 150))
    assert not looks_like_photo(desk), photo_features(desk)


def test_photos_are_not_ocred(tmp_path):
    data = jpeg_bytes(photo_like())
    ex = extract_file(write(tmp_path, "工作照.jpg", data), "工作照.jpg", sha(data),
                      ocr=opts(ExplodingEngine()))
    assert ex.ok and ex.pages[0].is_photo and ex.pages[0].lines == []
    assert ex.pages[0].source == "none" and ex.pages[0].image_sha256


def test_photo_detection_can_be_switched_off():
    eng = CountingEngine()
    ex = extract_image(jpeg_bytes(photo_like()), "p", ocr=opts(eng, detect_photos=False))
    assert not ex.pages[0].is_photo and len(eng.calls) == 1


def test_huge_pixel_header_is_refused_without_decoding(tmp_path):
    data = huge_png_header(60000, 60000)
    ex = extract_file(write(tmp_path, "big.png", data), "big.png", sha(data),
                      limits={"max_megapixels": 80}, ocr=opts(ExplodingEngine()))
    assert not ex.ok and [p.reason for p in ex.problems] == ["too-many-pixels"]
    assert "60000×60000" in ex.problems[0].message


def test_bomb_guard_follows_the_limit():
    data = png_bytes(Image.new("RGB", (3000, 2000), (255, 255, 255)))  # 6 MP
    ex = extract_image(data, "x", limits={"max_megapixels": 2}, ocr=opts(ExplodingEngine()))
    assert [p.reason for p in ex.problems] == ["too-many-pixels"]
    ex = extract_image(data, "x", limits={"max_megapixels": 80}, ocr=opts(CountingEngine()))
    assert ex.ok


def test_truncated_jpeg_reads_what_is_there():
    data = jpeg_bytes(text_image(["截断的图片"]))
    ex = extract_image(data[: len(data) * 2 // 3], "t", ocr=opts(CountingEngine()))
    assert len(ex.pages) == 1
    assert [(p.reason, p.page) for p in ex.problems] == [("corrupt", 1)]


def test_garbage_image_is_corrupt():
    ex = extract_image(b"\xff\xd8\xff" + b"\x00garbage" * 50, "g", ocr=opts(ExplodingEngine()))
    assert not ex.ok and ex.problems[0].reason == "corrupt"


def test_upside_down_scan_is_read_and_recorded():
    from tests.extractors.test_ocr import UprightOnly
    upright = Image.new("RGB", (300, 200), (255, 255, 255))
    upright.paste((0, 0, 0), (0, 0, 100, 20))
    data = png_bytes(upright.rotate(180))
    ex = extract_image(data, "u", ocr=opts(UprightOnly(), detect_photos=False))
    assert ex.pages[0].text.startswith("正立") and ex.metadata["rotated_pages"] == {"1": 180}
    assert ex.pages[0].lines[0].box == (200, 180, 300, 200)
