"""Red seal detection, reading, classification and ink hashing (extractors.seals).

Fixtures are drawn with the sample-batch renderer (seeded) and scanned. The fast tests use a
scripted OCR engine; the one marked ``ocr`` reads a finance seal with the real RapidOCR.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
from PIL import Image

from audit.sample import documents as D
from audit.sample import render as R
from extractors import seals as S

YEARS = [2018, 2019, 2020]
OPINIONS = ["unit_union", "unit_hr", "county_union", "county_hr", "city_union", "city_hr"]
UNIT = "开封空分集团有限公司"


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _benefit(seed: int, seal, damage: str = "normal", unit: str = UNIT) -> R.RenderedPage:
    rng = random.Random(seed)
    p = D.benefit_statement(rng, unit=unit, project="珠光砂快速卸装技术", person="张建国", year=2019,
                            created_yuan=125000, saved_yuan=32000, date="2020-01-10", seal=seal)
    return R.scan(p, rng, damage) if damage != "none" else p


def _values() -> dict:
    v = dict(name="张建国", gender="男", birth="1978.05", employer=UNIT, unit="开封市总工会产业工会",
             achievements="该同志长期扎根生产一线。" * 10)
    for y in YEARS:
        v.update({f"benefit.created.{y}": "12.5", f"benefit.saved.{y}": "3.2"})
    return v


def _matches(cands, truth, min_iou: float = 0.5) -> int:
    used = set()
    for c in cands:
        for i, t in enumerate(truth):
            if i not in used and _iou(c.box, t.box) >= min_iou:
                used.add(i)
                break
    return len(used)


def _red_decoy_page(seed: int, style: str) -> R.RenderedPage:
    """Everything red on a page that is not a seal: a red certificate frame, a big red title
    (荣誉证书), a red letterhead with its rule, big red box-like characters, red 〇 and ◎, two
    round ornaments (rays, rings, stars) and a table ruled in red."""
    rng = random.Random(seed)
    c = R.Canvas.a4(rng)
    W = c.W
    col = rng.choice([R.RED, (200, 40, 40), (220, 60, 50), (230, 90, 60), (235, 120, 130)])
    c.cert_border((40, 40, W - 40, c.H - 40), style, col, 50)
    c.text(W / 2, 160, "荣誉证书", 130, role="title", fill=col, align="center", tracking=0.5)
    c.text(W / 2, 360, "开封市总工会文件", 100, role="title", fill=col, align="center")
    c.line(150, 500, W - 150, 500, 5, col)
    c.text(200, 600, "回国圆图", 150, role="title", fill=col)
    c.text(200, 800, "二〇二〇年", 150, role="body", fill=col)
    c.emblem((W / 2, 1120), rng.uniform(58, 75), col)
    c.emblem((W / 2 + 300, 1120), rng.uniform(58, 75), col)
    cells = [R.Cell(r, k, f"{r}{k}", fill=col) for r in range(4) for k in range(5)]
    c.table(150, 1300, [260] * 5, [120] * 4, cells, line_fill=col, lw=3)
    c.text(200, 1850, "〇", 200, role="title", fill=col)
    c.text(600, 1850, "◎", 200, role="sans", fill=col)
    return c.page()


class ScriptedEngine:
    """Answers ``recognize`` calls in order from a script; records the images it was given."""

    class _Line:
        def __init__(self, text: str, confidence: float = 0.95):
            self.text = text
            self.confidence = confidence
            self.box = None

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.images: list[Image.Image] = []

    def recognize(self, image):
        self.images.append(image)
        text = self.answers.pop(0) if self.answers else ""
        return [self._Line(text)] if text else []


# ---------------------------------------------------------------------------------------
# detection
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def finance_page() -> R.RenderedPage:
    return _benefit(3, "finance")


def test_finds_the_finance_seal_of_a_benefit_statement(finance_page):
    cands = S.find_seals(finance_page.image)
    assert len(cands) == 1
    c = cands[0]
    truth = finance_page.seals[0]
    assert _iou(c.box, truth.box) > 0.8
    assert c.score >= 0.8 and c.gap_deg > 40
    x0, y0, x1, y1 = c.mask_box
    assert c.mask.shape == (y1 - y0, x1 - x0) and c.mask.dtype == np.uint8
    assert x0 <= c.box[0] and c.box[2] <= x1 and y0 <= c.box[1] and c.box[3] <= y1


def test_no_seal_found_where_none_was_stamped():
    assert S.find_seals(_benefit(4, None).image) == []
    assert S.find_seals(Image.new("RGB", (800, 600), "white")) == []
    assert S.find_seals(Image.new("L", (800, 600), 255)) == []


@pytest.mark.parametrize("seed,style,damage", [(1, "double", "normal"), (2, "dots", "heavy"), (3, "plain", "light")])
def test_no_false_positive_on_red_titles_frames_tables_and_ornaments(seed, style, damage):
    page = R.scan(_red_decoy_page(seed, style), random.Random(seed), damage)
    assert S.find_seals(page.image) == []


def test_certificate_seal_found_but_not_its_red_title_or_frame():
    found = total = 0
    for seed in (11, 12, 13):
        rng = random.Random(seed)
        p = D.honor_certificate(rng, holder="张建国", title="开封市技术能手", issuer="开封市人力资源和社会保障局",
                                date="2018-12-20")
        sp = R.scan(p, rng, "normal")
        cands = S.find_seals(sp.image)
        assert len(cands) == len(sp.seals), seed          # no title, frame or ornament taken
        found += _matches(cands, sp.seals)
        total += len(sp.seals)
    assert found == total


def test_touching_seals_of_the_approval_form_are_all_found():
    rng = random.Random(2)  # two pairs of opinion seals touch each other on this page
    _, page2 = D.approval_form(rng, values=_values(), years=YEARS, opinions={k: True for k in OPINIONS})
    sp = R.scan(page2, rng, "normal")
    cands = S.find_seals(sp.image)
    assert len(sp.seals) == 6
    assert len(cands) == 6 and _matches(cands, sp.seals) == 6


def test_unstamped_opinion_boxes_have_no_seal():
    rng = random.Random(5)
    _, page2 = D.approval_form(rng, values=_values(), years=YEARS,
                               opinions={"unit_union": True, "county_hr": True})
    sp = R.scan(page2, rng, "normal")
    cands = S.find_seals(sp.image)
    assert len(cands) == 2 and _matches(cands, sp.seals) == 2


def test_seal_over_table_text_at_the_page_edge():
    rng = random.Random(7)
    row = {"seq": "1", "name": "张建国", "employer_position": "开封空分集团有限公司班长", "level_title": "高级技师"}
    p = D.summary_table(rng, unit="开封市总工会产业工会", rows=[row], years=YEARS, date="2021-06-01")
    sp = R.scan(p, rng, "heavy")
    cands = S.find_seals(sp.image)
    assert len(cands) == 1 and _iou(cands[0].box, sp.seals[0].box) > 0.6


@pytest.mark.parametrize("color,strength", [((235, 120, 130), 0.6), ((230, 90, 50), 0.9), ((200, 40, 60), 0.4)])
def test_faded_pink_and_orange_seals_are_found(color, strength):
    rng = random.Random(21)
    c = R.Canvas.a4(rng)
    c.text(900, 860, UNIT, 44)            # black text under the seal
    c.text(900, 930, "2020年1月10日", 44)
    R.draw_seal(c, rng, center=(1100, 900), ring_text=UNIT, center_text="财务专用章", kind="finance",
                color=color, strength=strength)
    sp = R.scan(c.page(), rng, "heavy")
    cands = S.find_seals(sp.image)
    assert len(cands) == 1 and _iou(cands[0].box, sp.seals[0].box) > 0.7


def test_detection_is_fast_enough(finance_page):
    import time
    S.find_seals(finance_page.image)
    t = time.perf_counter()
    for _ in range(3):
        S.find_seals(finance_page.image)
    assert (time.perf_counter() - t) / 3 < 0.5  # ~0.02 s on an idle core; generous for CI


# ---------------------------------------------------------------------------------------
# reading (scripted engine) and geometry
# ---------------------------------------------------------------------------------------
def test_ring_strip_starts_at_the_bottom_and_runs_along_the_text(finance_page):
    img = finance_page.image
    c = S.find_seals(img)[0]
    rgb = np.asarray(img.crop(c.mask_box))
    gray = S.ink_image(rgb, c.mask)
    cx, cy = c.center[0] - c.mask_box[0], c.center[1] - c.mask_box[1]
    A, B = c.axes
    bottom, gap = S._ring_layout(c.mask, cx, cy, A, B, c.angle)
    bx, by = S._ellipse_points(cx, cy, A, B, c.angle, np.array([bottom]))
    # the gap of the ring text is at the bottom of the seal (scans turn a seal by a few degrees)
    assert float(by[0]) - cy > 0.9 * min(A, B)
    assert math.degrees(gap) > 40
    line = S.ring_strip(gray, cx, cy, A, B, c.angle, bottom)
    assert line is not None and line.shape[1] > 4 * line.shape[0]
    assert (line < 150).mean() > 0.08  # ink: black on white


def test_read_seal_with_a_scripted_engine(finance_page):
    img = finance_page.image
    cand = S.find_seals(img)[0]
    eng = ScriptedEngine(UNIT, "财务专用章")
    seal = S.read_seal(img, cand, engine=eng)
    assert (seal.kind, seal.ring_text, seal.center_text) == ("finance", UNIT, "财务专用章")
    assert seal.box == cand.box and seal.shape == cand.shape and 0 < seal.confidence <= 1
    ring_img, centre_img = eng.images[:2]
    assert ring_img.width > 4 * ring_img.height          # the unrolled ring: one long line
    assert centre_img.width > 2 * centre_img.height      # the line under the star
    x0, y0, x1, y1 = cand.mask_box
    assert seal.crop is not None and seal.crop.size == (x1 - x0, y1 - y0) and seal.crop.mode == "RGB"
    assert len(seal.ink_sha256) == 64


def test_without_an_engine_nothing_is_read(finance_page):
    seals = S.detect_and_read(finance_page.image)
    assert len(seals) == 1
    s = seals[0]
    assert s.kind == "unknown" and s.ring_text == "" and s.center_text == "" and len(s.ink_sha256) == 64


def test_official_seal_read_as_official():
    page = _benefit(8, "official")
    seals = S.detect_and_read(page.image, engine=ScriptedEngine(UNIT))
    assert [s.kind for s in seals] == ["official"] and seals[0].center_text == ""


@pytest.mark.parametrize("ring,centre,kwargs,kind", [
    (UNIT, "财务专用章", {}, "finance"),
    (UNIT, "财务专用", {}, "finance"),
    (UNIT, "财各专用章", {}, "finance"),       # one character misread
    (UNIT, "务专用", {}, "finance"),           # ends cut off
    (UNIT, "精务", {}, "finance"),
    ("开封空分集团有限公司财务专用章", "", {}, "finance"),
    (UNIT, "合同专用章", {}, "contract"),
    (UNIT, "合同专用", {}, "contract"),
    (UNIT, "发票专用章", {}, "other"),
    (UNIT, "", {}, "official"),
    ("开封市总工念", "", {}, "official"),     # no unit ending read, still a 公章
    (UNIT, "公章", {}, "official"),
    (UNIT, "", {"shape": "oval"}, "unknown"),        # 公章 are round
    (UNIT, "", {"centre_ink": True}, "unknown"),     # a line under the star, unread
    (UNIT, "旁专用", {}, "unknown"),                 # a special seal, purpose unread
    (UNIT, "月10片", {}, "unknown"),                 # black print under the star taken for text
    ("", "", {}, "unknown"),
    ("开封", "", {}, "unknown"),
])
def test_classify(ring, centre, kwargs, kind):
    assert S.classify(ring, centre, **kwargs) == kind


# ---------------------------------------------------------------------------------------
# ink hash (F03)
# ---------------------------------------------------------------------------------------
def test_ink_hash_same_for_a_pasted_seal_and_different_for_a_new_stamping():
    rng = random.Random(5)
    a = D.benefit_statement(rng, unit=UNIT, project="甲", person="张建国", year=2019, created_yuan=1,
                            saved_yuan=2, date="2020-01-10", seal="finance")
    b = D.benefit_statement(rng, unit=UNIT, project="乙", person="李秀英", year=2020, created_yuan=3,
                            saved_yuan=4, date="2021-01-10", seal=None)
    ca = S.find_seals(a.image)
    assert len(ca) == 1
    h_a = S.ink_hash(a.image, ca[0])
    crop = R.seal_crop(a, a.seals[0])
    sx = (a.seals[0].box[0] + a.seals[0].box[2]) / 2
    sy = (a.seals[0].box[1] + a.seals[0].box[3]) / 2
    for dx, dy in ((1, 0), (37, -255)):    # an odd shift changes the detector's sampling
        pasted = R.RenderedPage(b.image.copy(), [], "benefit_statement")
        R.paste_seal(pasted, crop, (sx + dx, sy + dy))
        cb = S.find_seals(pasted.image)
        assert len(cb) == 1
        assert S.ink_hash(pasted.image, cb[0]) == h_a
        assert S.read_seal(pasted.image, cb[0]).ink_sha256 == h_a
    # the same seal stamped again (other ink, other turn) on the other page
    stamped = R.RenderedPage(b.image.copy(), [], "benefit_statement")
    R.draw_seal(stamped, random.Random(9), center=(sx, sy), ring_text=UNIT, center_text="财务专用章", kind="finance")
    cs = S.find_seals(stamped.image)
    assert len(cs) == 1 and S.ink_hash(stamped.image, cs[0]) != h_a


# ---------------------------------------------------------------------------------------
# real OCR
# ---------------------------------------------------------------------------------------
@pytest.mark.ocr
def test_rapidocr_reads_a_finance_seal():
    from extractors.ocr import RapidOcrEngine
    page = _benefit(3, "finance", "light")
    seals = S.detect_and_read(page.image, engine=RapidOcrEngine(threads=2))
    assert len(seals) == 1
    s = seals[0]
    assert s.kind == "finance"
    assert S._near(s.center_text, "财务专用章", 1)
    assert S._lev(s.ring_text, UNIT) <= 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_seals_stamped_over_each_other_are_both_found(seed):
    """Opinion boxes one above the other: the upper seal's foot lies under the lower seal's
    ring (a golden-batch form whose upper seal went missing)."""
    rng = random.Random(seed)
    c = R.Canvas.a4(rng, kind="approval_form")
    R.draw_seal(c, rng, center=(1400, 1669), ring_text="奇瑞汽车河南有限公司", kind="official", radius=111)
    R.draw_seal(c, rng, center=(1446, 1864), ring_text="开封市机械冶金工会", kind="official", radius=111)
    sp = R.scan(c.page(), rng, "light")
    cands = S.find_seals(sp.image)
    assert len(cands) == 2 and _matches(cands, sp.seals) == 2
