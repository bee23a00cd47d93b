"""Fast tests of the sample page renderer (audit.sample.render / documents)."""
from __future__ import annotations

import hashlib
import random
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from audit.sample import documents as D
from audit.sample import render as R

YEARS = [2018, 2019, 2020]


def _values() -> dict:
    v = dict(name="张建国", gender="男", ethnicity="汉族", birth="1978.05", politics="中共党员", education="大专",
             skill_level="高级技师", title="高级工程师", specialty="数控机床维修", position="设备维修班班长",
             honors="2018年开封市技术能手", id_number="410203197805120017", phone="13837812345",
             employer="开封空分集团有限公司", unit="开封市总工会产业工会",
             resume="1996.07-2003.12 开封空分集团有限公司 钳工\n2004.01-至今 开封空分集团有限公司 班长",
             awards_text="2018年获开封市技术能手称号。", achievements="该同志长期扎根生产一线。" * 30,
             projects="5", conversions="3")
    v.update({"patents.invention": "1", "patents.utility_design": "4", "awards.national": "",
              "awards.provincial": "1", "awards.prefecture": "2", "awards.enterprise": "3",
              "promoted.senior_worker": "3", "promoted.technician": "2", "promoted.senior_technician": "1",
              "promoted.other": ""})
    for y in YEARS:
        v.update({f"benefit.created.{y}": "12.5", f"benefit.saved.{y}": "3.2", f"standards.{y}": "1",
                  f"methods.{y}": "", f"apprentices.{y}": "2", f"training.{y}": "30"})
    return v


def _row(seq: str, name: str) -> dict:
    return {"seq": seq, "name": name, "employer_position": "开封空分集团有限公司班长", "level_title": "高级技师",
            "competition.enterprise": "1", "patents.invention": "1", "benefit.2019": "12.5",
            "apprentices.2019": "2", "media.prefecture": "1", "remark": "", "category": "先进制造业"}


MAKERS = {
    "honor_certificate": lambda r: D.honor_certificate(
        r, holder="张建国", title="开封市技术能手", issuer="开封市人力资源和社会保障局", date=date(2018, 12, 20),
        number="KF2018-0123"),
    "competition_award": lambda r: D.competition_award(
        r, holder="张建国", competition="开封市职工职业技能竞赛钳工决赛", rank="一等奖",
        issuer=["开封市总工会", "开封市人力资源和社会保障局"], date="2019-10-15"),
    "skill_certificate": lambda r: D.skill_certificate(
        r, holder="张建国", gender="男", id_number="410203197805120017", occupation="钳工", level="技师",
        number="1541000000200123", issuer="开封市职业技能鉴定中心", date="2015-06-30"),
    "patent_certificate": lambda r: D.patent_certificate(
        r, number="ZL202020773489.7", ptype="utility", title="一种冷箱检修装置", inventors=["张建国", "李秀英"],
        patentee="开封空分集团有限公司", filed="2020-05-12", granted="2021-01-05", cert_no="12345678"),
    "innovation_award": lambda r: D.innovation_award(
        r, holder="张建国", project="珠光砂快速卸装技术", rank="一等奖", issuer="开封市总工会", date="2020-11-20"),
    "benefit_statement": lambda r: D.benefit_statement(
        r, unit="开封空分集团有限公司", project="珠光砂快速卸装技术", person="张建国", year=2019,
        created_yuan=125000, saved_yuan=32000, date="2020-01-10"),
    "apprentice_agreement": lambda r: D.apprentice_agreement(
        r, master="张建国", apprentice="刘小龙", unit="开封空分集团有限公司", start="2019-03-01", end="2020-02-28",
        sign_date="2019-03-01"),
    "training_list": lambda r: D.training_list(
        r, unit="开封空分集团有限公司", rows=[("刘小龙", "高级工", "2019.06"), ("陈明", "技师", "2020.09", "技术能手")]),
    "media_clipping": lambda r: D.media_clipping(
        r, outlet="开封日报", level="prefecture", date="2020-06-18", person="张建国", headline="张建国：空分设备的医生",
        body="张建国是开封空分集团有限公司设备维修班班长。" * 20),
    "standard_doc": lambda r: D.standard_doc(
        r, title="空分设备冷箱检修操作规程", kind="procedure", number="KFKF-GC-2019-006", author="张建国",
        date="2019-04-01", adoption_unit="河南心连心化肥有限公司"),
    "catalog": lambda r: D.catalog(r, person="张建国", items=[("荣誉证书", "1"), ("专利证书", "2-5")]),
    "summary_table": lambda r: D.summary_table(
        r, unit="开封市总工会产业工会", rows=[_row("1", "张建国"), _row("2", "李秀英")], years=YEARS,
        date="2021-06-01", category_column=True),
    "publicity_notice": lambda r: D.publicity_notice(
        r, unit="开封空分集团有限公司工会", names=["张建国", "李秀英"], start="2021-05-20", end="2021-05-26",
        issued="2021-05-20"),
    "recommendation_report": lambda r: D.recommendation_report(
        r, unit="开封市总工会产业工会", names=["张建国", "李秀英"], date="2021-06-05"),
    "blank": lambda r: D.blank_like(r),
}


def _digest(page: R.RenderedPage) -> str:
    return hashlib.sha256(page.image.tobytes()).hexdigest()


@pytest.fixture(scope="module")
def pages() -> dict[str, R.RenderedPage]:
    rng = random.Random(11)
    out = {k: f(rng) for k, f in MAKERS.items()}
    a1, a2 = D.approval_form(rng, values=_values(), years=YEARS,
                             opinions={"unit_union": True, "unit_hr": True, "county_union": False})
    out["approval_form_1"], out["approval_form_2"] = a1, a2
    out["publicity_screenshot"] = D.publicity_notice(
        rng, unit="开封空分集团有限公司工会", names=["张建国"], start="2021-05-20", end="2021-05-26",
        issued="2021-05-20", screenshot=True)
    return out


def _inside(box, W, H) -> bool:
    x0, y0, x1, y1 = box
    return 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H


def test_every_document_renders(pages):
    for name, p in pages.items():
        assert p.image.mode == "RGB", name
        assert p.image.size in (R.A4, R.A4_LANDSCAPE, (1080, 2340)), (name, p.image.size)
        assert p.dpi == 200
        if name != "blank":
            assert len(p.lines) >= 3, name
        for t in p.lines:
            assert t.text and " " not in t.text, (name, t.text)
            assert _inside(t.box, *p.image.size), (name, t.text, t.box)
        for s in p.seals:
            assert s.kind in ("official", "finance", "contract", "other")
            assert s.ring_text and _inside(s.box, *p.image.size) or s.box[0] < 0 or s.box[3] > p.image.size[1]
    assert pages["approval_form_2"].seals and len(pages["approval_form_2"].seals) == 2
    assert any(s.kind == "finance" and s.center_text == "财务专用章" for s in pages["benefit_statement"].seals)


def test_key_content_is_in_the_truth(pages):
    txt = {k: p.text for k, p in pages.items()}
    assert "张建国" in txt["honor_certificate"] and "开封市技术能手" in txt["honor_certificate"]
    assert "实用新型专利证书" in txt["patent_certificate"]
    assert "202020773489" in txt["patent_certificate"].replace(" ", "")
    assert "壹拾贰万伍仟元整" in txt["benefit_statement"].replace("\n", "")
    assert "410203197805120017" in txt["approval_form_1"]
    assert "开封工匠推荐人选基本情况汇总表" in txt["summary_table"]
    assert "刘小龙" in txt["apprentice_agreement"]


def test_photo_and_blank_have_no_text():
    rng = random.Random(3)
    for kind in ("work", "id"):
        im = D.photo(rng, kind=kind)
        assert im.mode == "RGB" and min(im.size) > 300
    b = D.blank_like(rng)
    assert b.lines == [] and b.kind == "blank"


def test_deterministic_for_a_seed():
    for name in ("honor_certificate", "patent_certificate", "benefit_statement"):
        a = MAKERS[name](random.Random(5))
        b = MAKERS[name](random.Random(5))
        assert _digest(a) == _digest(b)
        assert [(t.text, t.box) for t in a.lines] == [(t.text, t.box) for t in b.lines]
        sa = R.scan(a, random.Random(9), "normal")
        sb = R.scan(b, random.Random(9), "normal")
        assert _digest(sa) == _digest(sb)
        assert [(t.text, t.box) for t in sa.lines] == [(t.text, t.box) for t in sb.lines]
    # a different seed draws a different document
    assert _digest(MAKERS["honor_certificate"](random.Random(5))) != _digest(MAKERS["honor_certificate"](random.Random(6)))


@pytest.mark.parametrize("damage", ["none", "light", "normal", "heavy"])
def test_scan_keeps_boxes_inside(pages, damage):
    rng = random.Random(21)
    for name in ("summary_table", "approval_form_2", "benefit_statement"):
        p = pages[name]
        s = R.scan(p, rng, damage)
        assert s.image.size == p.image.size and s is not p
        assert len(s.lines) == len(p.lines)
        assert [t.text for t in s.lines] == [t.text for t in p.lines]
        for t in s.lines:
            assert _inside(t.box, *s.image.size), (name, t.text, t.box)
            if damage != "none":
                assert t.quad is not None and len(t.quad) == 4
        assert len(s.seals) == len(p.seals)


@pytest.mark.parametrize("angle", [-2.5, 0.7, 2.0])
def test_scan_boxes_cover_the_ink(angle):
    """After scan() every dark pixel of the page lies in a truth box (±3 px) and every box holds ink."""
    rng = random.Random(4)
    c = R.Canvas.a4(rng)
    y = 300
    for s in ("开封工匠推荐审批表", "专利号：ZL 2020 2 0773489.7", "人民币壹拾贰万伍仟元整", "2021年5月20日"):
        c.text(200 + (y % 300), y, s, 40, tracking=0.3 if "专利" in s else 0.0)
        y += 400
    c.text(1450, 1900, "合计", 30, align="right", angle=4)
    page = c.page("test")
    for seed in range(3):
        s = R.scan(page, random.Random(seed), "normal", angle=angle)
        g = np.asarray(s.image.convert("L"))
        H, W = g.shape
        dark = g < 110
        dark[:140, :] = dark[-140:, :] = False
        dark[:, :140] = dark[:, -140:] = False
        covered = np.zeros_like(dark)
        for t in s.lines:
            x0, y0, x1, y1 = (int(np.floor(t.box[0])) - 3, int(np.floor(t.box[1])) - 3,
                              int(np.ceil(t.box[2])) + 3, int(np.ceil(t.box[3])) + 3)
            covered[max(0, y0):y1, max(0, x0):x1] = True
            assert (g[int(t.box[1]):int(t.box[3]) + 1, int(t.box[0]):int(t.box[2]) + 1] < 110).any(), t.text
        stray = dark & ~covered
        assert stray.sum() == 0, f"{stray.sum()} dark pixels outside the truth boxes (seed {seed})"


def test_clean_boxes_are_tight():
    c = R.Canvas.a4(random.Random(1))
    box = c.text(300, 400, "开封工匠", 48)
    g = np.asarray(c.image.convert("L"))
    ys, xs = np.nonzero(g < 200)
    assert abs(xs.min() - box[0]) <= 3 and abs(xs.max() + 1 - box[2]) <= 3
    assert abs(ys.min() - box[1]) <= 3 and abs(ys.max() + 1 - box[3]) <= 3


def test_save_pdf_round_trips_the_pixel_size(tmp_path, pages):
    pdfium = pytest.importorskip("pypdfium2")
    rng = random.Random(2)
    sel = [R.scan(pages["honor_certificate"], rng), R.scan(pages["patent_certificate"], rng)]
    path = tmp_path / "x.pdf"
    R.save_pdf(sel, path, jpeg_quality=75, producer="Adobe Photoshop CC")
    doc = pdfium.PdfDocument(str(path))
    assert len(doc) == 2
    for i, p in enumerate(sel):
        im = doc[i].render(scale=p.dpi / 72).to_pil()
        assert im.size == p.image.size
        assert doc[i].get_textpage().get_text_range().strip() == ""  # image only, no text layer
    assert doc.get_metadata_dict().get("Producer") == "Adobe Photoshop CC"
    doc.close()
    # the same pages give the same bytes (no clock in the file)
    path2 = tmp_path / "y.pdf"
    R.save_pdf(sel, path2, jpeg_quality=75, producer="Adobe Photoshop CC")
    assert path.read_bytes() == path2.read_bytes()


def test_save_image_formats(tmp_path, pages):
    p = pages["catalog"]
    R.save_image(p, tmp_path / "a.jpg", quality=80, software="Adobe Photoshop 23.0", taken=datetime(2021, 6, 1, 9, 0))
    im = Image.open(tmp_path / "a.jpg")
    assert im.size == p.image.size and im.format == "JPEG"
    assert im.getexif().get(0x0131) == "Adobe Photoshop 23.0"
    R.save_image(p, tmp_path / "a.png", fmt="PNG")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "a.png").convert("RGB")), np.asarray(p.image))


def test_paste_seal_is_pixel_identical(pages):
    src = R.scan(pages["benefit_statement"], random.Random(1))
    seal = src.seals[0]
    crop = R.seal_crop(src, seal)
    assert crop.mode == "RGBA" and crop.info["seal"]["kind"] == "finance"
    dst = R.scan(pages["recommendation_report"], random.Random(2))
    n0 = len(dst.seals)
    new = R.paste_seal(dst, crop, (800, 1700))
    assert len(dst.seals) == n0 + 1 and new.ring_text == seal.ring_text
    a = np.asarray(crop)
    mask = a[..., 3] > 0
    assert mask.sum() > 2000
    x0, y0 = int(new.box[0]), int(new.box[1])
    region = np.asarray(dst.image)[y0:y0 + crop.height, x0:x0 + crop.width]
    assert np.array_equal(region[mask], a[..., :3][mask])


def test_draw_seal_is_red_and_keeps_text_dark():
    rng = random.Random(8)
    c = R.Canvas.a4(rng)
    box = c.text(600, 1000, "开封空分集团有限公司", 40)
    seal = R.draw_seal(c, rng, center=((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), ring_text="开封空分集团有限公司",
                       center_text="财务专用章", kind="finance")
    arr = np.asarray(c.image).astype(int)
    x0, y0, x1, y1 = [int(v) for v in seal.box]
    reg = arr[y0:y1, x0:x1]
    red = (reg[..., 0] - np.maximum(reg[..., 1], reg[..., 2])) > 60
    assert red.mean() > 0.05
    # text under the ink stays dark (multiply)
    tb = arr[int(box[1]):int(box[3]), int(box[0]):int(box[2])]
    assert (tb.max(axis=-1) < 90).sum() > 200


@pytest.mark.parametrize("amount,text", [
    (125000, "壹拾贰万伍仟元整"), (100500, "壹拾万零伍佰元整"), (1000000, "壹佰万元整"), (10005, "壹万零伍元整"),
    (Decimal("1234.5"), "壹仟贰佰叁拾肆元伍角"), (Decimal("100.05"), "壹佰元零伍分"), (0, "零元整"),
    (Decimal("0.45"), "肆角伍分"), (320000, "叁拾贰万元整"), (100000000, "壹亿元整"),
])
def test_amount_in_capitals(amount, text):
    assert D.amount_in_capitals(amount) == text
    assert D.amount_in_capitals(amount, "人民币") == "人民币" + text


def test_capitals_agree_with_cn2an():
    cn2an = pytest.importorskip("cn2an")
    for v in (125000, 100500, 98765, 32000, 7000050):
        caps = D.amount_in_capitals(v)
        assert int(cn2an.cn2an(caps.replace("元整", ""), "smart")) == v


def test_patent_number_forms():
    forms = {st: D.format_patent_number("ZL202020773489.7", st) for st in D.PATENT_STYLES}
    assert forms["spaced"] == "ZL 2020 2 0773489.7"
    assert forms["compact"] == "ZL202020773489.7"
    assert forms["plain"] == "202020773489.7"
    assert forms["nodot"] == "ZL2020207734897"
    assert D.format_patent_number("ZL95115608.X", "spaced") == "ZL 95 1 15608.X"
    assert D.format_patent_number("not a number") == "not a number"


def test_date_forms():
    d = date(2019, 3, 5)
    assert D.fmt_date(d, "cn") == "2019年3月5日"
    assert D.fmt_date(d, "dot") == "2019.3.5"
    assert D.fmt_date(d, "dash") == "2019-03-05"
    assert D.fmt_date(d, "upper") == "二〇一九年三月五日"
    assert D.fmt_date(date(2020, 12, 20), "upper") == "二〇二〇年十二月二十日"
    assert D.as_date("2021-05-20") == (date(2021, 5, 20), "day")
    assert D.as_date("2019-03")[1] == "month"
