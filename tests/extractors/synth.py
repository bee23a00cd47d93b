"""Synthetic scanned pages with known text, for OCR tests and the benchmark.

A4 at 200 dpi (1654 × 2339), Chinese text in WenQuanYi Zen Hei, a red seal, then a "scan":
off-white paper, slight rotation, blur, noise and JPEG compression. ``truth`` is the text
in reading order, one entry per printed line (table rows give label then value).
"""
from __future__ import annotations

import io
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
SEED_TEXT = Path("/work/shared/seed/notice-2020-kaifeng-craftsman.txt")
A4 = (1654, 2339)

_FALLBACK = ("为贯彻落实开封市产业工人队伍建设改革实施方案的通知文件精神，根据开封工匠选树管理办法，"
             "市总工会、市人力资源和社会保障局决定，选树二〇二〇年度开封工匠。现就有关事项通知如下：")

KEY_LINES = [
    "专利号：ZL 2020 2 0773489.7",
    "身份证号：410203198507150031",
    "证书编号：1941000000300123",
    "发证日期：2020年12月31日",
    "创造经济效益：人民币壹拾贰万叁仟元整（¥123,000.00）",
    "统一社会信用代码：91410200MA44XL7U3K",
]


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size, index=0)


def _prose() -> list[str]:
    try:
        text = SEED_TEXT.read_text(encoding="utf-8")
    except OSError:
        text = _FALLBACK * 20
    paras = [p.strip().replace(" ", "") for p in text.splitlines()
             if len(p.strip()) > 30 and "<" not in p and "，" in p]
    return paras or [_FALLBACK]


def _wrap(text: str, f: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if f.getlength(cur + ch) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def draw_seal(img: Image.Image, center: tuple[int, int], radius: int = 150,
              text: str = "开封市某某机械制造有限公司") -> None:
    """A red round seal: ring, star, text around the top (not part of the truth)."""
    d = ImageDraw.Draw(img, "RGBA")
    red = (215, 30, 35, 190)
    cx, cy = center
    d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=red, width=9)
    r = radius * 0.28
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.4
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=red)
    f = font(int(radius * 0.26))
    n = len(text)
    for i, ch in enumerate(text):
        ang = math.radians(200 + 140 * i / max(1, n - 1))
        x = cx + radius * 0.72 * math.cos(ang)
        y = cy + radius * 0.72 * math.sin(ang)
        glyph = Image.new("RGBA", (f.size + 8, f.size + 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 4), ch, font=f, fill=red)
        glyph = glyph.rotate(-math.degrees(ang) - 90, expand=True, resample=Image.BICUBIC)
        img.paste(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)


def clean_page(kind: str, seed: int) -> tuple[Image.Image, list[str]]:
    """A clean rendered page: ``kind`` is "prose", "form" or "certificate"."""
    rng = random.Random(seed)
    img = Image.new("RGB", A4, (255, 255, 255))
    d = ImageDraw.Draw(img)
    truth: list[str] = []
    W, H = A4
    margin = 170
    body = font(34)
    if kind == "prose":
        title = "关于推荐选树2020年度开封工匠的通知"
        tf = font(54)
        d.text(((W - tf.getlength(title)) / 2, 170), title, font=tf, fill=(0, 0, 0))
        truth.append(title)
        y = 300
        paras = _prose()
        start = rng.randrange(len(paras))
        keys = KEY_LINES[:]
        rng.shuffle(keys)
        i = 0
        while y < H - 260:
            if i % 3 == 2 and keys:
                lines = [keys.pop()]
            else:
                lines = _wrap("　　" + paras[(start + i) % len(paras)], body, W - 2 * margin)
            for ln in lines:
                if y > H - 260:
                    break
                d.text((margin, y), ln, font=body, fill=(0, 0, 0))
                truth.append(ln.replace("　", ""))
                y += 58
            y += 12
            i += 1
        draw_seal(img, (W - 480, H - 480))
    elif kind == "form":
        title = "开封工匠推荐审批表"
        tf = font(56)
        d.text(((W - tf.getlength(title)) / 2, 160), title, font=tf, fill=(0, 0, 0))
        truth.append(title)
        rows = [("姓名", "张建国"), ("性别", "男"), ("民族", "汉族"), ("出生年月", "1985年7月"),
                ("政治面貌", "中共党员"), ("学历", "大专"), ("技术等级", "高级技师"),
                ("职称", "工程师"), ("身份证号", "410203198507150031"),
                ("联系电话", "13803781234"), ("工作单位", "开封市某某机械制造有限公司"),
                ("推荐单位", "开封市总工会"), ("专利数量", "发明专利2个，实用新型5个"),
                ("经济效益", "2018年创效45.6万元，2019年创效52.3万元"),
                ("签订师带徒协议", "2019年3份，2020年4份"),
                ("各类培训", "2019年120人次，2020年135人次"),
                ("所获荣誉", "2019年度河南省技术能手"), ("受奖情况", "2020年开封市五一劳动奖章")]
        x0, x1, xm = margin - 40, W - margin + 40, margin + 360
        y = 300
        rh = 92
        d.line([(x0, y), (x1, y)], fill=(0, 0, 0), width=3)
        for lab, val in rows:
            d.text((x0 + 30, y + 28), lab, font=body, fill=(0, 0, 0))
            d.text((xm + 30, y + 28), val, font=body, fill=(0, 0, 0))
            truth.extend([lab, val])
            y += rh
            d.line([(x0, y), (x1, y)], fill=(0, 0, 0), width=3)
        d.line([(x0, 300), (x0, y)], fill=(0, 0, 0), width=3)
        d.line([(xm, 300), (xm, y)], fill=(0, 0, 0), width=3)
        d.line([(x1, 300), (x1, y)], fill=(0, 0, 0), width=3)
        note = "以上情况属实。"
        d.text((margin, y + 80), note, font=body, fill=(0, 0, 0))
        truth.append(note)
        date = "2020年12月31日"
        d.text((W - margin - body.getlength(date), y + 260), date, font=body, fill=(0, 0, 0))
        truth.append(date)
        draw_seal(img, (W - margin - 160, y + 220))
    else:  # certificate
        tf = font(110)
        title = "荣誉证书"
        d.rectangle([80, 80, W - 80, H - 80], outline=(180, 30, 30), width=24)
        d.text(((W - tf.getlength(title)) / 2, 360), title, font=tf, fill=(200, 20, 20))
        truth.append(title)
        big = font(50)
        y = 700
        for ln in _wrap("张建国同志：在2020年度开封市职工技能竞赛中荣获数控车工第一名，"
                        "特发此证，以资鼓励。", big, W - 2 * margin - 100):
            d.text((margin + 50, y), ln, font=big, fill=(0, 0, 0))
            truth.append(ln)
            y += 90
        for ln in ["证书编号：KF2020-JN-0017", "开封市总工会", "2020年12月"]:
            y += 110
            d.text((W - margin - 100 - big.getlength(ln), y), ln, font=big, fill=(0, 0, 0))
            truth.append(ln)
        draw_seal(img, (W - margin - 320, y - 60), radius=170, text="开封市总工会")
    return img, truth


def scan(img: Image.Image, seed: int, *, angle: float | None = None,
         quality: int = 75) -> Image.Image:
    """Make a clean page look scanned: paper tone, rotation, blur, noise, JPEG."""
    rng = random.Random(seed)
    a = angle if angle is not None else rng.uniform(-0.6, 0.6)
    paper = (rng.randint(238, 248),) * 3
    out = img.rotate(a, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    import numpy as np
    arr = np.asarray(out).astype(np.int16)
    arr = arr * (np.array(paper) / 255.0)
    noise = np.random.default_rng(seed).normal(0, 6, arr.shape[:2])[..., None]
    arr = np.clip(arr + noise, 0, 255).astype(np.uint8)
    out = Image.fromarray(arr).filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def scanned_pages(n: int = 10, seed: int = 7) -> list[tuple[Image.Image, list[str]]]:
    kinds = ["prose", "form", "prose", "certificate", "form"]
    out = []
    for i in range(n):
        clean, truth = clean_page(kinds[i % len(kinds)], seed + i)
        out.append((scan(clean, seed + i), truth))
    return out


def small_text_image(text: str = "专利号 ZL201320035469X", size: int = 40) -> Image.Image:
    """A small white image with one line of black text (for the real-engine tests)."""
    f = font(size)
    w = int(f.getlength(text)) + 60
    img = Image.new("RGB", (w, size + 60), (255, 255, 255))
    ImageDraw.Draw(img).text((30, 30), text, font=f, fill=(0, 0, 0))
    return img


def photo_like(size: tuple[int, int] = (800, 600), seed: int = 3) -> Image.Image:
    """A synthetic 'photograph': smooth colour gradients, blobs, texture and shading."""
    import numpy as np
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = 90 + 80 * np.sin(x / 97.0) + 40 * (y / h)
    g = 110 + 60 * np.cos(y / 71.0 + x / 203.0)
    b = 70 + 90 * (x / w) * (1 - y / h) + 30 * np.sin((x + y) / 50.0)
    arr = np.stack([r, g, b], -1)
    for _ in range(12):  # blobs of colour: people, machines
        cx, cy, rad = rng.integers(0, w), rng.integers(0, h), rng.integers(30, 150)
        col = rng.integers(20, 235, 3)
        m = ((x - cx) ** 2 + (y - cy) ** 2) < rad ** 2
        arr[m] = arr[m] * 0.3 + col * 0.7
    arr += rng.normal(0, 12, arr.shape)
    arr *= (0.55 + 0.45 * (1 - ((x - w / 2) ** 2 + (y - h / 2) ** 2) / (w * w / 2)))[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
