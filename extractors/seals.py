"""Red seal impressions on page images: find them, read them, classify them, hash their ink.

A Chinese unit seal (公章 / 财务专用章 / 合同专用章) is a red ring (round, or oval for some
finance seals) with the unit's name along the upper arc, a star in the middle and, for the
special-purpose seals, a horizontal line under the star (财务专用章). OCR engines do not read
ring text as it is printed, so reading is its own step:

1. :func:`find_seals` — fast, no OCR (about 0.02–0.04 s for an A4 page at 200 dpi): a red-ink
   mask on the half-size page (hue near red, some saturation, red above green and blue:
   tolerant of faded, pinkish and orange-red ink; black text over the ink is bridged by a
   closing), ellipse hypotheses from blob outlines, loop holes and Hough circles, a robust
   re-fit on the ring's outer edge, and shape checks that red titles, certificate frames, red
   table lines and round ornaments fail (see :func:`find_seals`).
2. :func:`read_seal` — the ink of one candidate as black on white (full-resolution darkness of
   the green/blue channels, black print beneath the seal removed and inpainted), the ring band
   unrolled over the fitted ellipse into a strip starting in the middle of the gap at the
   bottom (so the text runs upright and contiguous from left to right), cropped to the text
   and read as one line; the centre line under the star (财务专用章 …) cut out of the de-rotated
   seal and read separately; then the kind of seal (:func:`classify`).
3. :func:`ink_hash` — the sha256 of the binarised ink of the seal cropped to its own bounding
   box: a seal pasted digitally (pixel-identical ink) hashes the same wherever it sits, two
   stampings of one seal never do (F03).

The OCR engine is any object with ``recognize(PIL.Image) -> [obj with .text, .confidence]``
(``box`` optional, x0 used for ordering when present), e.g. :class:`extractors.ocr.RapidOcrEngine`.
The strips are single lines, so when the engine can read a line without text detection it is
used that way (``engine.recognize_line(img) -> (text, confidence)``, or RapidOCR's recogniser
with ``use_det=False`` for a ``RapidOcrEngine`` or a bare ``RapidOCR``): 0.03–0.05 s a line
instead of seconds, because RapidOCR's detector blows a 60 px high strip up to 736 px.
Coordinates are pixels of the image given (x0, y0, x1, y1).
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional

import cv2
import numpy as np
from PIL import Image

__all__ = ["SealCandidate", "Seal", "find_seals", "read_seal", "ink_hash", "detect_and_read",
           "red_mask", "classify", "unwarp_ring", "center_band", "ink_image", "ring_strip"]

Box = tuple[float, float, float, float]

# ---------------------------------------------------------------------------------------
# tuning (measured on rendered scans at 200 dpi, see tests/extractors/test_seals.py)
# ---------------------------------------------------------------------------------------
_WORK_SIDE = 1200          # detection runs on the page shrunk by an integer factor to at most this
_HUE_LO, _HUE_HI = 14, 163  # OpenCV hue (0..180): red is <= _HUE_LO or >= _HUE_HI
_MIN_SAT = 24               # HSV saturation
_MIN_RED = 12               # R - max(G, B)
_HASH_RED = 60              # stricter threshold for the hash: robust to what lies beneath the ink
_MIN_RING = 0.85            # share of the ring's angles with ink on the fitted ring
_MIN_CLEAN = 0.65           # ... with, besides, paper just outside (seals may touch each other)
_MIN_GAP_DEG = 24.0         # widest angular gap in the text band
_INPAINT_R = 160            # red channel below this under a seal: black print hiding the ink
_LINE_H = 40                # text lines are scaled to this height for the recogniser
_LINE_PAD = 6               # ... and padded with this much white
_STRIP_PAD = 8              # margin kept round the ring text when cropping the unrolled band


@dataclass
class SealCandidate:
    """A red ring found by :func:`find_seals` (no OCR yet).

    ``box`` is the fitted ellipse's bounding box clipped to the image; ``center``, ``axes``
    (semi-axes along the ellipse's own x and y) and ``angle`` (degrees, the ellipse's x axis
    against the image's, clockwise on screen) describe the ring's outer edge. ``mask`` is the
    red-ink mask (uint8, 255 = ink) of the image inside ``mask_box`` (integer pixels)."""
    box: Box
    center: tuple[float, float]
    axes: tuple[float, float]
    angle: float
    shape: str                     # round | oval
    score: float                   # ring coverage 0..1
    mask: np.ndarray = field(repr=False)
    mask_box: tuple[int, int, int, int] = (0, 0, 0, 0)
    gap_deg: float = 0.0           # widest gap in the text band (degrees)
    clipped: bool = False          # part of the ring lies outside the image

    @property
    def radius(self) -> float:
        return min(self.axes)


@dataclass
class Seal:
    """A seal read by :func:`read_seal`; the fields of ``audit.model.SealInfo`` without the
    file, page and file hash, plus the outline's ``shape`` and the ``crop`` (RGB)."""
    box: Box
    kind: str = "unknown"          # finance | official | contract | other | unknown
    ring_text: str = ""
    center_text: str = ""
    confidence: float = 0.0
    ink_sha256: str = ""
    shape: str = "round"           # round | oval
    crop: Optional[Image.Image] = field(default=None, repr=False)


# ---------------------------------------------------------------------------------------
# red ink
# ---------------------------------------------------------------------------------------
def _redness(rgb: np.ndarray) -> np.ndarray:
    """R − max(G, B), saturated to 0..255 (uint8)."""
    r, g, b = cv2.split(rgb)
    return cv2.subtract(r, cv2.max(g, b))


def red_mask(rgb: np.ndarray, *, min_red: int = _MIN_RED, min_value: int = 60) -> np.ndarray:
    """255 where a pixel is red ink: hue near red (pink and orange-red included), saturation
    at least ``_MIN_SAT``, and R above max(G, B) by ``min_red``. ``rgb`` is HxWx3 uint8."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    lo = cv2.inRange(hsv, (0, _MIN_SAT, min_value), (_HUE_LO, 255, 255))
    hi = cv2.inRange(hsv, (_HUE_HI, _MIN_SAT, min_value), (180, 255, 255))
    hue = cv2.bitwise_or(lo, hi)
    _, red = cv2.threshold(_redness(rgb), min_red - 1, 255, cv2.THRESH_BINARY)
    return cv2.bitwise_and(hue, red)


def _seal_mask(rgb: np.ndarray, m: Optional[np.ndarray] = None) -> np.ndarray:
    """The red mask of one seal's crop at a threshold relative to the seal's own ink (40 % of
    its strong redness): tight round a well-inked seal (no pink halo filling the gaps between
    characters), as lenient as :func:`red_mask` (or ``m``) for a faint one."""
    m = red_mask(rgb) if m is None else m
    red = _redness(rgb)
    vals = red[m > 0]
    if vals.size < 50:
        return m
    thr = max(_MIN_RED, int(0.4 * float(np.percentile(vals, 95))))
    _, strong = cv2.threshold(red, thr - 1, 255, cv2.THRESH_BINARY)
    return cv2.bitwise_and(m, strong)


# ---------------------------------------------------------------------------------------
# geometry helpers
# ---------------------------------------------------------------------------------------
def _ellipse_points(cx, cy, A, B, ang_deg, t, scale=1.0, inset=0.0):
    """Points of the ellipse (semi-axes A−inset, B−inset, scaled) at parametric angles ``t``
    measured from the ellipse's "up" (−y) direction, clockwise on screen."""
    ca, sa = math.cos(math.radians(ang_deg)), math.sin(math.radians(ang_deg))
    u = (A * scale - inset) * np.sin(t)
    v = -(B * scale - inset) * np.cos(t)
    return cx + u * ca - v * sa, cy + u * sa + v * ca


def _sample(mask: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mask values at (xs, ys) (nearest pixel) and whether each point lies inside the mask."""
    h, w = mask.shape[:2]
    xi = np.rint(xs).astype(np.int64)
    yi = np.rint(ys).astype(np.int64)
    inside = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    vals = np.zeros(xs.shape, dtype=np.uint8)
    vals[inside] = mask[yi[inside], xi[inside]]
    return vals, inside


def _widest_gap(occupied: np.ndarray) -> tuple[int, int]:
    """Length and centre index of the longest circular run of False in ``occupied``."""
    n = len(occupied)
    if occupied.all():
        return 0, 0
    if not occupied.any():
        return n, 0
    start = int(np.argmax(occupied))          # rotate so the sequence starts on an occupied bin
    occ = np.roll(occupied, -start)
    best, best_c, run, run_s = 0, 0, 0, 0
    for i, o in enumerate(occ):
        if not o:
            if run == 0:
                run_s = i
            run += 1
            if run > best:
                best, best_c = run, run_s + run // 2
        else:
            run = 0
    return best, (best_c + start) % n


def _text_profile(mask: np.ndarray, cx, cy, A, B, ang, n: int = 180,
                  d_lo: float = 0.23, d_hi: float = 0.36) -> tuple[np.ndarray, np.ndarray]:
    """Ink per angle bin in the ring-text band, and validity. The band lies between the insets
    ``d_lo`` and ``d_hi`` (fractions of the smaller radius) from the outline: ring text is cut
    at a constant depth on oval seals too (characters span about 0.12..0.42), and the band
    misses the thin inner ring some oval seals have (at about 0.14) and, but for its corners,
    the centre text."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    rr = min(A, B)
    tot = np.zeros(n)
    val = np.zeros(n)
    for d in np.linspace(d_lo, d_hi, 6):
        xs, ys = _ellipse_points(cx, cy, A, B, ang, t, inset=d * rr)
        v, ins = _sample(mask, xs, ys)
        tot += (v > 0)
        val += ins
    return tot / np.maximum(val, 1), val > 0


# ---------------------------------------------------------------------------------------
# detection
# ---------------------------------------------------------------------------------------
def find_seals(image: Image.Image, *, min_diameter_px: int = 120,
               max_diameter_px: int = 700) -> list[SealCandidate]:
    """Red ring-shaped impressions on ``image`` (no OCR), largest first.

    Works on a copy shrunk by an integer factor to at most 1200 px (A4 at 200 dpi: half
    size); boxes are in the pixels of ``image``. Ellipses are proposed from the outline of
    each red blob, from the inner edge of each closed red loop (a seal touching a frame or
    another seal) and from circles found by a Hough transform (a ring both merged with
    something and broken somewhere), re-fitted on the ring's outer edge, the best fit of each
    place checked once, and kept when:

    * the fitted ring carries ink on 85 % of its angles, with paper just outside at 65 %;
    * the inside is inked (text, star) but not solid, with no second full ring (◎, ornaments);
    * the ring-text band has an angular gap (the bottom of the ring text) and the arc outside
      the gap is filled with characters (not a few motifs spread round).

    Red titles, certificate frames, red rules and table lines, big red characters (回, 〇) and
    round ornaments fail these. ``min_diameter_px``/``max_diameter_px`` bound the seal's
    larger diameter in the pixels of ``image`` (40 mm is 315 px at 200 dpi)."""
    if isinstance(image, np.ndarray):
        image = Image.fromarray(image)
    img = image if image.mode == "RGB" else image.convert("RGB")
    W, H = img.size
    f = max(1, int(math.ceil(max(W, H) / _WORK_SIDE)))
    small = img.reduce(f) if f > 1 else img
    rgb = np.asarray(small)
    h, w = rgb.shape[:2]
    scale = w / W
    mask = red_mask(rgb)
    if cv2.countNonZero(mask) < 50:
        return []
    dmin, dmax = min_diameter_px * scale, max_diameter_px * scale
    k = max(3, int(round(dmin * 0.03)) | 1)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    ring_mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    contours, hier = cv2.findContours(closed, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hier is None:
        return []
    hyps = []
    blobs = []
    for i, c in enumerate(contours):
        x, y, bw, bh = cv2.boundingRect(c)
        if max(bw, bh) < dmin * 0.5 or len(c) < 16:
            continue
        is_hole = hier[0][i][3] >= 0
        if not is_hole and dmin * 0.8 <= max(bw, bh) <= dmax * 2.2:
            blobs.append((x, y, bw, bh))
        touches = x <= 1 or y <= 1 or x + bw >= w - 1 or y + bh >= h - 1
        if is_hole:
            # the inner edge of a closed loop: the ring's inside (text and star are islands)
            if max(bw, bh) > dmax * 1.05 or min(bw, bh) < 0.5 * max(bw, bh):
                continue
        elif max(bw, bh) > dmax * 1.15:
            continue
        elif not touches and (min(bw, bh) < dmin * 0.5 or min(bw, bh) < 0.5 * max(bw, bh)):
            continue
        pts = c.reshape(-1, 2)
        if touches and not is_hole:  # a seal cut by the page edge: fit on the part inside
            keep = (pts[:, 0] > 1) & (pts[:, 1] > 1) & (pts[:, 0] < w - 2) & (pts[:, 1] < h - 2)
            fit_pts = pts[keep].astype(np.float64)
        else:  # the hull, densified: the outline without the dents of gaps
            fit_pts = _densify(cv2.convexHull(pts.astype(np.int32)).reshape(-1, 2))
        e = _fit(fit_pts)
        if e is None:
            continue
        if is_hole:  # from the inner edge to (about) the outer edge of the ring
            cx, cy, A, B, ang = e
            e = (cx, cy, A * 1.08, B * 1.08, ang)
        hyps.append(e)
    out: list[SealCandidate] = []
    seen: list[Box] = []
    s_up = 1.0 / scale

    tried: list[tuple[Box, float]] = []

    def evaluate(hlist, recheck: bool = False) -> None:
        """Refine the hypotheses and check the best-fitting ellipse of each place once."""
        refined = []
        for e in hlist:
            e, q = _refine(ring_mask, *e)
            ecx, ecy, A, B, eang = e
            d_lo, d_hi = 2 * min(A, B), 2 * max(A, B)
            if d_hi < dmin * 0.9 or d_hi > dmax * 1.1 or d_lo / d_hi < 0.6:
                continue
            refined.append((q, e))
        refined.sort(key=lambda qe: -qe[0])
        for q, (ecx, ecy, A, B, eang) in refined:
            bx = _ellipse_bbox(ecx * s_up, ecy * s_up, A * s_up, B * s_up, eang)
            if any(_iou(bx, b) > 0.6 for b in seen):
                continue
            # in a blob left unexplained (``recheck``: seals stamped over each other defeat the
            # re-fit) a hypothesis that could not be refined (q = 0) hides nothing: the first,
            # poor guess must not keep the Hough circle of the same place from being checked
            if any(_iou(bx, b) > 0.6 and qb >= q - 0.05 and (qb > 0 or not recheck) for b, qb in tried):
                continue
            tried.append((bx, q))
            res = _check_ring(mask, ring_mask, ecx, ecy, A, B, eang)
            if res is None:
                continue
            score, gap_deg, clipped = res
            cx, cy, A0, B0 = ecx * s_up, ecy * s_up, A * s_up, B * s_up
            box = (max(0.0, bx[0]), max(0.0, bx[1]), min(float(W), bx[2]), min(float(H), bx[3]))
            if box[2] - box[0] < 4 or box[3] - box[1] < 4:
                continue
            seen.append(bx)
            mb = _int_box(bx, W, H, pad=4)
            crop_mask = red_mask(np.asarray(img.crop(mb)))
            shape = "oval" if min(A, B) / max(A, B) < 0.9 else "round"
            out.append(SealCandidate(box=box, center=(cx, cy), axes=(A0, B0), angle=float(eang), shape=shape,
                                     score=round(float(score), 3), mask=crop_mask, mask_box=mb,
                                     gap_deg=round(float(gap_deg), 1), clipped=clipped))

    # circles anywhere (a seal whose ring merged with a frame or a neighbour and is broken
    # somewhere has neither an outline nor a hole of its own)
    hyps.extend(_hough_page(ring_mask, dmin, dmax))
    evaluate(hyps)
    # blobs of seal size not explained by the seals found (seals touching each other): look
    # closer for circles in them
    extra = []
    for (x, y, bw, bh) in blobs:
        covered = 0.0
        for cd in out:
            b = cd.box
            ix = max(0.0, min(b[2] * scale, x + bw) - max(b[0] * scale, x))
            iy = max(0.0, min(b[3] * scale, y + bh) - max(b[1] * scale, y))
            covered += ix * iy
        if covered < 0.7 * bw * bh:
            extra.extend(_hough(ring_mask, (x, y, bw, bh), dmin, dmax))
    if extra:
        evaluate(extra, recheck=True)
    out = _dedupe(out)
    out.sort(key=lambda cd: -(cd.box[2] - cd.box[0]) * (cd.box[3] - cd.box[1]))
    return out


def _hough(ring_mask: np.ndarray, roi, dmin: float, dmax: float, limit: int = 6):
    """Circle hypotheses ``(cx, cy, r, r, 0)`` in a region of the mask."""
    x, y, bw, bh = roi
    hm, wm = ring_mask.shape
    pad = int(dmin * 0.1) + 2
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(wm, x + bw + pad), min(hm, y + bh + pad)
    sub = cv2.GaussianBlur(ring_mask[y0:y1, x0:x1], (5, 5), 1.5)
    rmin = max(8, int(dmin / 2 * 0.85))
    rmax = max(rmin + 2, int(min(dmax / 2 * 1.1, max(bw, bh) / 2 * 1.1)))
    try:
        circles = cv2.HoughCircles(sub, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=max(8.0, dmin * 0.6), param1=300,
                                   param2=0.6, minRadius=rmin, maxRadius=rmax)
    except cv2.error:
        return []
    if circles is None:
        return []
    return [(float(cx + x0), float(cy + y0), float(r), float(r), 0.0) for cx, cy, r in circles[0][:limit]]


def _hough_page(ring_mask: np.ndarray, dmin: float, dmax: float, limit: int = 24):
    """Circle hypotheses ``(cx, cy, r, r, 0)`` over the whole mask: the Hough gradient method
    ("ALT" variant, fast and selective) on a half-size copy."""
    q = cv2.resize(ring_mask, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    sub = cv2.GaussianBlur(q, (3, 3), 1.0)
    rmin = max(6, int(dmin / 4 * 0.85))
    rmax = max(rmin + 2, int(dmax / 4 * 1.1))
    try:
        circles = cv2.HoughCircles(sub, cv2.HOUGH_GRADIENT_ALT, dp=1.0, minDist=max(6.0, dmin / 4 * 0.5),
                                   param1=300, param2=0.6, minRadius=rmin, maxRadius=rmax)
    except cv2.error:
        return []
    if circles is None:
        return []
    return [(float(cx) * 2, float(cy) * 2, float(r) * 2, float(r) * 2, 0.0) for cx, cy, r in circles[0][:limit]]


def _fit(pts: np.ndarray):
    if len(pts) < 6:
        return None
    try:
        (cx, cy), (ew, eh), ang = cv2.fitEllipseDirect(pts.astype(np.float32))
    except cv2.error:
        return None
    A, B = ew / 2.0, eh / 2.0
    if not np.isfinite([cx, cy, A, B, ang]).all() or min(A, B) <= 2:
        return None
    return float(cx), float(cy), float(A), float(B), float(ang)


def _refine(ring_mask: np.ndarray, cx, cy, A, B, ang, n: int = 120, rounds: int = 2):
    """Re-fit the ellipse on the ring's outer edge: along rays from the centre, the outer end
    of the ink run nearest the current outline (searched over 0.8..1.2 of it). Returns
    ``(ellipse, quality)``, quality being the share of all rays whose edge lies within 3.5 %
    of the fitted outline (0 when no fit)."""
    e = (cx, cy, A, B, ang)
    pts = None
    for _ in range(rounds):
        res = _refine_once(ring_mask, *e, n=n)
        if res is None:
            break
        e2, pts = res
        moved = abs(e2[0] - e[0]) + abs(e2[1] - e[1]) + abs(e2[2] - e[2]) + abs(e2[3] - e[3])
        e = e2
        if moved < 1.0:
            break
    if pts is None:
        return e, 0.0
    q = float((np.abs(_norm_radius(pts, *e) - 1.0) < 0.035).sum()) / n
    return e, q


def _refine_once(ring_mask, cx, cy, A, B, ang, n: int = 120):
    """One re-fit: ``(ellipse, edge points)`` or None."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    ss = np.linspace(0.8, 1.2, 41)
    ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
    u = A * np.sin(t)[None, :] * ss[:, None]
    v = -B * np.cos(t)[None, :] * ss[:, None]
    xs = cx + u * ca - v * sa
    ys = cy + u * sa + v * ca
    vals, ins = _sample(ring_mask, xs, ys)
    ink = vals > 0
    i1 = 20  # index of s = 1.0
    m = len(ss)
    idx = np.arange(m)[:, None]
    dist = np.where(ink, np.abs(idx - i1), 10 ** 6)
    k = dist.argmin(axis=0)                              # ink nearest to the outline, per ray
    after = (~ink) & (idx > k[None, :])
    has_end = after.any(axis=0)
    end = after.argmax(axis=0) - 1                       # last ink of that run
    before = (~ink) & (idx < k[None, :])
    has_start = before.any(axis=0)
    start = m - np.argmax(before[::-1], axis=0)          # first ink of that run
    ok = ins.all(axis=0) & ink.any(axis=0) & has_end & has_start
    if ok.sum() >= 12:
        # rays where the ring has merged with something outside it (a frame, a neighbour) or
        # with the text inside show a run much thicker than the ring
        thick = (end - start + 1).astype(np.float64)
        med = float(np.median(thick[ok]))
        ok &= thick <= 1.5 * med + 1
    cols = np.nonzero(ok)[0]
    if len(cols) < n * 0.4:
        return None
    pts = np.stack([xs[end[cols], cols], ys[end[cols], cols]], axis=1)
    e = _fit(pts)
    if e is None:
        return None
    # outlier rejection (text, a frame or a neighbour touching the ring): median and MAD
    for _ in range(3):
        r = _norm_radius(pts, *e) - 1.0
        med = float(np.median(r))
        mad = float(np.median(np.abs(r - med)))
        good = np.abs(r - med) < max(0.02, 3.0 * 1.4826 * mad)
        if good.sum() < 12 or good.all():
            break
        e2 = _fit(pts[good])
        if e2 is None:
            break
        e = e2
    return e, pts


def _norm_radius(pts: np.ndarray, cx, cy, A, B, ang) -> np.ndarray:
    ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
    dx, dy = pts[:, 0] - cx, pts[:, 1] - cy
    u = dx * ca + dy * sa
    v = -dx * sa + dy * ca
    return np.sqrt((u / A) ** 2 + (v / B) ** 2)


def _densify(hull: np.ndarray, step: float = 3.0) -> np.ndarray:
    p = hull.astype(np.float64)
    q = np.roll(p, -1, axis=0)
    seg = np.maximum(1, (np.hypot(*(q - p).T) / step).astype(int))
    rep = np.repeat(np.arange(len(p)), seg)
    frac = np.concatenate([np.arange(k) / k for k in seg])
    return p[rep] + (q[rep] - p[rep]) * frac[:, None]


def _check_ring(mask, ring_mask, cx, cy, A, B, ang):
    """Ring coverage, text-band gap and clipping of a fitted ellipse, or None when the shape
    is not a seal. The ring needs ink on the outline (0.88..1.03) at 85 % of the angles, and
    at 65 % of them paper just outside it too (1.08..1.14)."""
    n = 180
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    hit = np.zeros(n, dtype=bool)
    valid = np.zeros(n, dtype=bool)
    for sc in np.linspace(0.88, 1.03, 6):
        xs, ys = _ellipse_points(cx, cy, A, B, ang, t, scale=sc)
        v, ins = _sample(ring_mask, xs, ys)
        hit |= v > 0
        valid |= ins
    if valid.sum() < n * 0.45:
        return None
    outside = np.zeros(n, dtype=bool)
    for sc in (1.08, 1.11, 1.14):
        xs, ys = _ellipse_points(cx, cy, A, B, ang, t, scale=sc)
        v, ins = _sample(mask, xs, ys)
        outside |= v > 0
    nv = float(valid.sum())
    ring_cov = float((hit & valid).sum()) / nv
    cov = float((hit & ~outside & valid).sum()) / nv      # ring with paper beyond it
    if ring_cov < _MIN_RING or cov < _MIN_CLEAN:
        return None
    # interior: inked (text, star) but not solid
    ins_tot = 0.0
    ins_cnt = 0.0
    for sc in (0.15, 0.3, 0.45, 0.6, 0.72):
        xs, ys = _ellipse_points(cx, cy, A, B, ang, t, scale=sc)
        v, ins = _sample(mask, xs, ys)
        ins_tot += float((v[ins] > 0).sum())
        ins_cnt += float(ins.sum())
    dens = ins_tot / ins_cnt if ins_cnt else 0.0
    if dens < 0.03 or dens > 0.6:
        return None
    # the ring text leaves a gap (the bottom of the seal); ornaments with rays all round do not
    if _inner_ring(mask, cx, cy, A, B, ang, n):
        return None
    gap_deg = _gap_deg(mask, cx, cy, A, B, ang, n)
    if gap_deg < _MIN_GAP_DEG:
        # a red frame or rule crossing the bottom of the seal: look again without long strokes
        # (longer than any straight run a ring can hold: the line goes on beyond the seal)
        rr = min(A, B)
        x0, y0, x1, y1 = _int_box(_ellipse_bbox(cx, cy, A, B, ang), ring_mask.shape[1], ring_mask.shape[0],
                                  pad=int(0.6 * rr))
        roi = mask[y0:y1, x0:x1]
        L = int(max(25, 1.6 * rr))
        lines = cv2.bitwise_or(
            cv2.morphologyEx(roi, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (L, 1))),
            cv2.morphologyEx(roi, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, L))))
        if cv2.countNonZero(lines):
            roi = cv2.subtract(roi, cv2.dilate(lines, np.ones((5, 5), np.uint8)))
            gap_deg = _gap_deg(roi, cx - x0, cy - y0, A, B, ang, n)
    if gap_deg < _MIN_GAP_DEG:
        return None
    return cov, gap_deg, bool(valid.sum() < n)


def _inner_ring(mask, cx, cy, A, B, ang, n: int = 180) -> bool:
    """A second full ring inside, between 0.26 and 0.6 of the radius in from the outline (◎,
    ornaments): ink on nearly every angle at one depth (±1 px). Ring text, even with a centre
    line closing its gap, leaves holes between and inside characters. (The thin inner ring of
    some oval finance seals lies at about 0.14.)"""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    rr = min(A, B)
    steps = max(8, int(0.34 * rr))
    for d in np.linspace(0.26, 0.6, steps):
        hit = np.zeros(n, dtype=bool)
        valid = np.zeros(n, dtype=bool)
        for off in (-1.0, 0.0, 1.0):
            xs, ys = _ellipse_points(cx, cy, A, B, ang, t, inset=d * rr + off)
            v, ins = _sample(mask, xs, ys)
            hit |= v > 0
            valid |= ins
        if valid.sum() > n * 0.5 and hit[valid].mean() > 0.95:
            return True
    return False


def _gap_deg(mask, cx, cy, A, B, ang, n: int = 180) -> float:
    """Widest angular gap (degrees) in the ring-text band; 0 when the band holds too little
    ink to be ring text."""
    prof, pvalid = _text_profile(mask, cx, cy, A, B, ang, n=n)
    occupied = (prof > 0.05) & pvalid
    if occupied.sum() < 0.2 * max(1, pvalid.sum()):
        return 0.0
    gap_bins, centre = _widest_gap((prof > 0.05) | ~pvalid)
    # the ring text fills its arc (characters close together); an ornament's few motifs,
    # spread round the circle, do not
    if 0 < gap_bins < n:
        idx = (centre + gap_bins // 2 + 1 + np.arange(n - gap_bins)) % n   # the arc outside the gap
        ok = pvalid[idx]
        if ok.sum() > 0 and occupied[idx][ok].mean() < 0.5:
            return 0.0
    return gap_bins * 360.0 / n


def _ellipse_bbox(cx, cy, A, B, ang_deg) -> Box:
    a = math.radians(ang_deg)
    hw = math.sqrt((A * math.cos(a)) ** 2 + (B * math.sin(a)) ** 2)
    hh = math.sqrt((A * math.sin(a)) ** 2 + (B * math.cos(a)) ** 2)
    return (cx - hw, cy - hh, cx + hw, cy + hh)


def _int_box(b: Box, W: int, H: int, pad: int = 0) -> tuple[int, int, int, int]:
    return (max(0, int(math.floor(b[0])) - pad), max(0, int(math.floor(b[1])) - pad),
            min(W, int(math.ceil(b[2])) + pad), min(H, int(math.ceil(b[3])) + pad))


def _iou(a: Box, b: Box) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / ua if ua > 0 else 0.0


def _dedupe(cands: list[SealCandidate]) -> list[SealCandidate]:
    """One candidate per seal: of two overlapping much, or one sitting inside the other (an
    inner circle of the text taken for a ring), the larger stays."""
    cands = sorted(cands, key=lambda c: -(c.axes[0] * c.axes[1]))
    kept: list[SealCandidate] = []
    for c in cands:
        inside = False
        for k in kept:
            ca, sa = math.cos(math.radians(k.angle)), math.sin(math.radians(k.angle))
            dx, dy = c.center[0] - k.center[0], c.center[1] - k.center[1]
            u, v = dx * ca + dy * sa, -dx * sa + dy * ca
            if math.hypot(u / k.axes[0], v / k.axes[1]) < 0.5 or _iou(c.box, k.box) >= 0.5:
                inside = True
                break
        if not inside:
            kept.append(c)
    return kept


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------
def ink_image(rgb: np.ndarray, mask: Optional[np.ndarray] = None, *, inpaint: bool = True) -> np.ndarray:
    """Red ink as black on white (uint8 grey).

    The darkness comes from min(G, B), which keeps the full resolution of the scan (JPEG keeps
    colour at half resolution, so R − max(G, B) is blurred); it is weighted by the red channel
    (red ink keeps R high, black text beneath the seal does not) and limited to the
    surroundings of the red mask. Faint ink is stretched to the level of the seal's strong ink.
    With ``inpaint``, pixels under black print are filled in from their surroundings."""
    r = rgb[..., 0].astype(np.float32)
    gb = np.minimum(rgb[..., 1], rgb[..., 2]).astype(np.float32)
    m = mask if mask is not None else red_mask(rgb)
    paper = float(np.percentile(gb, 95)) if gb.size else 255.0
    dark = np.clip(paper - 10.0 - gb, 0.0, None)
    not_black = np.clip((r - 100.0) / 80.0, 0.0, 1.0)
    near = cv2.dilate(m, np.ones((5, 5), np.uint8)) > 0
    v = dark * not_black * near
    vals = v[m > 0]
    top = float(np.percentile(vals, 90)) if vals.size > 50 else 120.0
    v = np.clip(v / max(20.0, top), 0.0, 1.0) ** 0.8
    gray = (255.0 * (1.0 - v)).astype(np.uint8)
    if inpaint:
        # black print over the seal hides the ink beneath: fill those pixels from around them,
        # so that red strokes crossing a line of black text join up again
        hidden = ((rgb[..., 0] < _INPAINT_R) & near).astype(np.uint8) * 255
        if cv2.countNonZero(hidden):
            gray = cv2.inpaint(gray, hidden, 3, cv2.INPAINT_TELEA)
    return gray


def _crop(image, box: tuple[int, int, int, int]) -> Image.Image:
    if isinstance(image, np.ndarray):
        x0, y0, x1, y1 = box
        return Image.fromarray(np.ascontiguousarray(image[y0:y1, x0:x1]))
    img = image.crop(box)
    return img if img.mode == "RGB" else img.convert("RGB")


def _local(cand: SealCandidate) -> tuple[float, float]:
    """The candidate's centre in the coordinates of its mask crop."""
    return cand.center[0] - cand.mask_box[0], cand.center[1] - cand.mask_box[1]


def _without_rules(mask: np.ndarray, rr: float) -> np.ndarray:
    """``mask`` less the straight horizontal or vertical strokes longer than the seal's radius
    (a rule or frame line crossing the seal; a ring's flattest stretch is shorter)."""
    L = max(15, int(rr))
    out = mask
    for k, grow in (((L, 1), (1, 5)), ((1, L), (5, 1))):
        thick = cv2.dilate(mask, np.ones(grow, np.uint8))  # tolerate a slight slant
        rules = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, k))
        if cv2.countNonZero(rules):
            out = cv2.subtract(out, cv2.dilate(rules, np.ones((3, 3), np.uint8)))
    return out


def _ring_layout(mask: np.ndarray, cx, cy, A, B, ang, n: int = 360) -> tuple[float, float]:
    """Where the ring text is: ``(bottom, gap)`` — the parametric angle (radians, from the
    ellipse's up, clockwise) of the middle of the gap the ring text leaves (the bottom of the
    seal) and that gap's width (radians). The text is the longest run of inked angles in the
    ring-text band, bridging gaps under 15° (between characters); small islands of ink in the
    gap (a frame line, black print edges) do not split it."""
    mask = _without_rules(mask, min(A, B))
    prof, valid = _text_profile(mask, cx, cy, A, B, ang, n=n)
    sm = np.convolve(np.concatenate([prof[-3:], prof, prof[:3]]), np.ones(7) / 7, mode="valid")
    occupied = (sm > 0.04) | ~valid
    if occupied.all() or not occupied.any():
        gap, centre = _widest_gap(occupied)
        return (centre * 2 * math.pi / n, gap * 2 * math.pi / n) if gap else (math.pi, 0.0)
    bridge = int(round(n * 15 / 360))
    # circular runs of ink, starting just after a gap
    start = int(np.argmax(~occupied))
    occ = np.roll(occupied, -start)
    ink = np.roll(sm, -start)
    runs = []                       # [first, last, ink] in rolled indices
    i = 0
    while i < n:
        if occ[i]:
            j = i
            while j + 1 < n and occ[j + 1]:
                j += 1
            runs.append([i, j, float(ink[i:j + 1].sum())])
            i = j + 1
        else:
            i += 1
    merged = [runs[0]]
    for r in runs[1:]:
        if r[0] - merged[-1][1] - 1 < bridge:
            merged[-1][1] = r[1]
            merged[-1][2] += r[2]
        else:
            merged.append(r)
    if len(merged) > 1 and (n - merged[-1][1] - 1) + merged[0][0] < bridge:  # wrap round
        last = merged.pop()
        merged[0] = [last[0], merged[0][1] + n, last[2] + merged[0][2]]
    first, last, _ = max(merged, key=lambda r: (r[1] - r[0], r[2]))
    text_len = last - first + 1
    gap = n - text_len
    if gap <= 0:
        return math.pi, 0.0
    centre = (start + last + 1 + gap / 2.0) % n
    return centre * 2 * math.pi / n, gap * 2 * math.pi / n


def unwarp_ring(gray: np.ndarray, cx, cy, A, B, ang, *, start: float, inner: float = 0.5,
                outer: float = 0.94, px_height: Optional[int] = None, turn: float = 2 * math.pi,
                return_angles: bool = False):
    """The ring band of the ellipse (cx, cy, A, B, ang) between ``inner`` and ``outer`` (of the
    smaller radius, measured inward from the outline as constant insets) unrolled into a strip:
    columns run clockwise from parametric angle ``start`` over ``turn`` radians (equal arc length
    per column), rows from the outer edge (top) to the inner edge (bottom). With
    ``return_angles`` also the parametric angle of each column."""
    rr = min(A, B)
    d0, d1 = rr * (1 - outer), rr * (1 - inner)
    hgt = px_height or max(16, int(round(d1 - d0)))
    # arc length along the middle of the band
    tt = np.linspace(start, start + turn, 1441)
    dm = (d0 + d1) / 2
    xs, ys = _ellipse_points(cx, cy, A, B, ang, tt, inset=dm)
    seg = np.hypot(np.diff(xs), np.diff(ys))
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    wid = max(32, int(round(cum[-1])))
    t_cols = np.interp(np.linspace(0, cum[-1], wid), cum, tt)
    insets = np.linspace(d0, d1, hgt)
    T, D = np.meshgrid(t_cols, insets)
    ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
    u = (A - D) * np.sin(T)
    v = -(B - D) * np.cos(T)
    mx = (cx + u * ca - v * sa).astype(np.float32)
    my = (cy + u * sa + v * ca).astype(np.float32)
    strip = cv2.remap(gray, mx, my, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                      borderValue=255)
    return (strip, t_cols) if return_angles else strip


def center_band(gray: np.ndarray, cx, cy, A, B, ang, bottom: float, *, top_frac: float = 0.28,
                bot_frac: float = 0.70, half_width: float = 0.74) -> np.ndarray:
    """The horizontal band under the star (where 财务专用章 is printed), de-rotated so that the
    seal's bottom (parametric angle ``bottom``) points down."""
    rr = min(A, B)
    # direction of the seal's "down" on screen
    bx, by = _ellipse_points(cx, cy, A, B, ang, np.array([bottom]), scale=1.0)
    dx, dy = float(bx[0] - cx), float(by[0] - cy)
    nrm = math.hypot(dx, dy) or 1.0
    dx, dy = dx / nrm, dy / nrm                      # down unit vector
    rx, ry = dy, -dx                                 # right unit vector (screen axes, y down)
    # horizontal half-extent along "right": the ellipse's radius in that direction
    ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
    lx, ly = rx * ca + ry * sa, -rx * sa + ry * ca   # right vector in the ellipse frame
    rad_r = 1.0 / math.sqrt((lx / A) ** 2 + (ly / B) ** 2)
    hw = half_width * rad_r
    y0, y1 = top_frac * rr, bot_frac * rr
    out_w = max(16, int(round(2 * hw)))
    out_h = max(12, int(round(y1 - y0)))
    # affine: output (u, v) -> source = c + (u - hw) * right + (v + y0) * down
    M = np.array([[rx, dx, cx - hw * rx + y0 * dx],
                  [ry, dy, cy - hw * ry + y0 * dy]], dtype=np.float64)
    return cv2.warpAffine(gray, M, (out_w, out_h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _blank_ring_text(gray: np.ndarray, cx, cy, A, B, ang, span: Optional[tuple[float, float]]) -> np.ndarray:
    """A copy of ``gray`` with the ring (0.9 of the radius and out) and the ring text (0.56
    and out, between the parametric angles ``span`` = (first, last), clockwise) whited out,
    so that only the centre remains."""
    h, w = gray.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
    dx, dy = xx - cx, yy - cy
    u = dx * ca + dy * sa
    v = -dx * sa + dy * ca
    rad = np.sqrt((u / A) ** 2 + (v / B) ** 2)
    out = gray.copy()
    blank = rad >= 0.9
    if span is not None:
        t = np.arctan2(u / A, -v / B)                 # parametric angle from up, clockwise
        first, last = span
        width = (last - first) % (2 * math.pi)
        rel = (t - first + math.radians(2)) % (2 * math.pi)
        blank |= (rad >= 0.56) & (rel <= width + math.radians(4))
    out[blank] = 255
    return out


def _ink_span(gray: np.ndarray, axis: int, dark: int = 150, min_frac: float = 0.0,
              join: int = 0) -> Optional[tuple[int, int]]:
    """The longest run of lines (axis 0: columns, 1: rows) holding ink, runs closer than
    ``join`` pixels merged."""
    prof = (gray < dark).sum(axis=axis)
    on = prof > max(0, min_frac * gray.shape[axis])
    idx = np.nonzero(on)[0]
    if len(idx) == 0:
        return None
    runs = []
    s0 = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > join + 1:
            runs.append((s0, prev))
            s0 = i
        prev = i
    runs.append((s0, prev))
    weight = [(int(prof[a:b + 1].sum()), (a, b)) for a, b in runs]
    return max(weight)[1]


def _for_ocr(gray: np.ndarray, target_h: int, pad: int = 16) -> Image.Image:
    """Scale a strip so that its height is about ``target_h`` and pad it with white."""
    h, w = gray.shape[:2]
    f = target_h / max(1, h)
    if abs(f - 1.0) > 0.05:
        gray = cv2.resize(gray, (max(8, int(round(w * f))), max(8, int(round(h * f)))),
                          interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    gray = cv2.copyMakeBorder(gray, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    return Image.fromarray(gray).convert("RGB")


_KEEP = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")


def _clean(s: str) -> str:
    return "".join(_KEEP.findall(s or ""))


def _line_reader(engine):
    """A function reading one line of text from an image without text detection, when the
    engine offers one: ``engine.recognize_line(img) -> (text, confidence)``, or RapidOCR's
    recogniser (``use_det=False``) for a :class:`extractors.ocr.RapidOcrEngine` or a bare
    ``RapidOCR`` object. ``None`` otherwise (then ``engine.recognize`` reads the image)."""
    f = getattr(engine, "recognize_line", None)
    if callable(f):
        return f
    raw = None
    getter = getattr(engine, "_engine", None)
    if callable(getter) and type(engine).__name__ == "RapidOcrEngine":
        raw = getter()
    elif type(engine).__name__ == "RapidOCR":
        raw = engine
    if raw is None:
        return None

    def rec(img: Image.Image) -> tuple[str, float]:
        res, _ = raw(np.asarray(img.convert("RGB")), use_det=False, use_cls=False, use_rec=True)
        if not res:
            return "", 0.0
        return str(res[0][0]), float(res[0][1])
    return rec


def _ocr(engine, img: Image.Image, *, line: bool = False) -> tuple[str, float]:
    """Text read from ``img`` and its (length-weighted) confidence. ``line``: the image holds
    one line, read it with the engine's recogniser alone when it has one (much faster: no
    text detection on a small, wide image)."""
    if line:
        rec = _line_reader(engine)
        if rec is not None:
            text, conf = rec(img)
            return _clean(text), float(conf)
    try:
        lines = engine.recognize(img) or []
    except TypeError:  # engines whose recognize wants a key
        lines = engine.recognize(img, None) or []
    items = []
    for ln in lines:
        txt = _clean(getattr(ln, "text", "") or "")
        if not txt:
            continue
        box = getattr(ln, "box", None)
        x0 = float(box[0]) if box else 0.0
        items.append((x0, txt, float(getattr(ln, "confidence", 0.0) or 0.0)))
    if not items:
        return "", 0.0
    items.sort(key=lambda it: it[0])
    text = "".join(t for _, t, _ in items)
    n = sum(len(t) for _, t, _ in items)
    conf = sum(len(t) * c for _, t, c in items) / max(1, n)
    return text, conf


def read_seal(image: Image.Image, cand: SealCandidate, *, engine: Any = None) -> Seal:
    """Read one candidate: ring text (unwarped strip), centre text (de-rotated band), kind,
    ink hash, crop. ``engine`` None gives no text and kind ``unknown``."""
    crop = _crop(image, cand.mask_box)
    rgb = np.asarray(crop)
    digest = _hash_from(rgb, cand)
    seal = Seal(box=cand.box, kind="unknown", confidence=round(cand.score * 0.5, 3), ink_sha256=digest,
                shape=cand.shape, crop=crop)
    if engine is None:
        return seal
    gray = ink_image(rgb, cand.mask)
    cx, cy = _local(cand)
    A, B = cand.axes
    ang = cand.angle
    bottom, gap = _ring_layout(_seal_mask(rgb, cand.mask), cx, cy, A, B, ang)
    ring_text, ring_conf, span = _read_ring(engine, gray, cx, cy, A, B, ang, bottom)
    center_text, center_conf, centre_ink = _read_center(engine, gray, cx, cy, A, B, ang, bottom, span)
    kind = classify(ring_text, center_text, shape=cand.shape, centre_ink=centre_ink)
    confs = [c for c, t in ((ring_conf, ring_text), (center_conf, center_text)) if t]
    ocr_conf = (sum(confs) / len(confs)) if confs else 0.0
    seal.ring_text = ring_text
    seal.center_text = center_text
    seal.kind = kind
    seal.confidence = round(float(cand.score) * (ocr_conf if kind != "unknown" else 0.5), 3)
    return seal


def ring_strip(gray: np.ndarray, cx, cy, A, B, ang, bottom: float) -> Optional[np.ndarray]:
    """The ring text as one upright line: the band unrolled from the bottom of the seal, the
    ring itself whited out, cropped to the main run of characters."""
    res = _ring_line(gray, cx, cy, A, B, ang, bottom)
    return None if res is None else res[0]


def _ring_line(gray, cx, cy, A, B, ang, bottom):
    """``(line image, (first, last))``: the ring text line and the parametric angles of its
    first and last column."""
    inner, outer = 0.55, 0.95
    strip, t_cols = unwarp_ring(gray, cx, cy, A, B, ang, start=bottom, inner=inner, outer=outer,
                                return_angles=True)
    strip = strip.copy()
    h, w = strip.shape
    # columns: ink in the rows of the characters' cores (0.62..0.85 of the radius); characters
    # of a ring are close together, the corners of a centre line are further off
    r0 = int(round((outer - 0.85) / (outer - inner) * (h - 1)))
    r1 = int(round((outer - 0.62) / (outer - inner) * (h - 1)))
    core = strip[r0:r1 + 1]
    cs = _ink_span(core, 0, join=max(4, int(h * 0.4)))
    if cs is None:
        return None
    # the ring's own line near the top: rows dark along the columns without text
    rest = np.concatenate([strip[:, :cs[0]], strip[:, cs[1] + 1:]], axis=1)
    if rest.shape[1] >= 20:
        row_fill = (rest < 150).mean(axis=1)
        for r in range(max(1, h // 4)):
            if row_fill[r] > 0.45:
                strip[r, :] = 255
    sub = strip[:, cs[0]:cs[1] + 1]
    rs = _ink_span(sub, 1, min_frac=0.015, join=max(2, h // 8))
    if rs is None:
        return None
    pad = _STRIP_PAD
    y0, y1 = max(0, rs[0] - pad), min(h, rs[1] + 1 + pad)
    x0, x1 = max(0, cs[0] - pad), min(w, cs[1] + 1 + pad)
    return strip[y0:y1, x0:x1], (float(t_cols[cs[0]]), float(t_cols[cs[1]]))


def _read_ring(engine, gray, cx, cy, A, B, ang, bottom):
    """``(text, confidence, (first, last) angles of the ring text or None)``."""
    res = _ring_line(gray, cx, cy, A, B, ang, bottom)
    if res is None:
        return "", 0.0, None
    line, span = res
    text, conf = _ocr(engine, _for_ocr(line, _LINE_H, pad=_LINE_PAD), line=True)
    if len(text) >= 3 and conf >= 0.6:
        return text, conf, span
    # text upright to the inward normal (read from inside the ring): the strip turned round
    t2, c2 = _ocr(engine, _for_ocr(np.ascontiguousarray(line[::-1, ::-1]), _LINE_H, pad=_LINE_PAD), line=True)
    if len(t2) >= 3 and c2 >= 0.7 and c2 > conf + 0.2:
        return t2, c2, span
    return text, conf, span


def _read_center(engine, gray, cx, cy, A, B, ang, bottom, span) -> tuple[str, float, bool]:
    """``(text, confidence, ink)``: the line under the star, read; ``ink`` says whether there
    is a line of ink there at all (read or not)."""
    rr = min(A, B)
    centre = _blank_ring_text(gray, cx, cy, A, B, ang, span)
    top, bot = 0.28, 0.68
    cb = center_band(centre, cx, cy, A, B, ang, bottom, top_frac=top, bot_frac=bot).copy()
    dark = (cb < 150).astype(np.uint8)
    # a red rule or frame line crossing the seal is no text: a straight stroke (slightly
    # slanted at most) longer than any centre line (about one radius)
    L = max(9, int(rr * 1.2))
    rules = cv2.morphologyEx(cv2.dilate(dark, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (L, 1)))
    if rules.any():
        cb[cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0] = 255
    if (cb < 150).mean() < 0.01:
        return "", 0.0, False
    cs = _ink_span(cb, 0, join=max(4, int(rr * 0.12)))
    if cs is None:
        return "", 0.0, False
    rs = _ink_span(cb[:, cs[0]:cs[1] + 1], 1, join=max(2, int(rr * 0.04)))
    if rs is None:
        return "", 0.0, False
    mid = top + (rs[0] + rs[1]) / 2.0 / rr       # the line's middle, in radii below the centre
    pad = 4
    line = cb[max(0, rs[0] - pad):rs[1] + 1 + pad, max(0, cs[0] - pad):cs[1] + 1 + pad]
    if line.shape[1] < rr * 0.25 or line.shape[0] < rr * 0.06 or not (0.34 <= mid <= 0.62):
        return "", 0.0, False
    ink = line.shape[1] >= rr * 0.4 and (line < 150).mean() > 0.08
    text, conf = _ocr(engine, _for_ocr(line, _LINE_H, pad=_LINE_PAD), line=True)
    if conf < 0.3 or len(text) < 2:
        return "", 0.0, ink
    return text, conf, ink


# ---------------------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------------------
def _lev(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _near(text: str, word: str, maxd: int = 1) -> bool:
    """``word`` occurs in ``text`` with at most ``maxd`` edits (substitution, a dropped or an
    extra character)."""
    if word in text:
        return True
    n = len(word)
    for L in range(max(2, n - maxd), n + maxd + 1):
        for i in range(0, max(0, len(text) - L) + 1):
            if _lev(text[i:i + L], word) <= maxd:
                return True
    return False


_UNIT_END = re.compile(r"(公司|集团|局|委员会|工会|总会|协会|学会|联合会|会|厂|院|校|学|所|中心|部|处|科|行|站|队|社|室|"
                       r"政府|委|馆|办|场|矿|店|园|台|署|庭|医院|银行|大学|学院)$")
# special-purpose seals other than finance and contract seals
_OTHER_WORDS = ("发票", "业务专用", "人事", "党委", "党支部", "党总支", "法定代表人", "法人", "检验", "受理", "报关",
                "税务登记", "印鉴", "证明专用", "介绍信")
_SPECIAL_MARK = ("专用", "用章", "专章")


def classify(ring_text: str, center_text: str, *, shape: str = "round", centre_ink: bool = False) -> str:
    """The kind of a seal from its text (tolerant of OCR slips):

    ``finance``  财务专用章 under the star (one character wrong or missing is enough, or 财, or
                 务 outside 业务), or a ring ending in 财务专用章;
    ``contract`` 合同专用章 likewise;
    ``other``    another special-purpose seal (发票专用章, 人事专用章, 党委 …, read as such);
    ``official`` a unit's seal (公章): ring text of at least four characters and nothing under
                 the star, or 公章 there;
    ``unknown``  nothing readable; or text under the star that names none of these; or a
                 line of ink under the star (``centre_ink``) or an oval outline (公章 are round)
                 whose purpose could not be read."""
    ring = _clean(ring_text)
    ctr = _clean(center_text)
    if not ring and not ctr:
        return "unknown"
    tail = ring[-6:]
    if (_near(ctr, "财务专用章") or "财" in ctr or ("务" in ctr and "业务" not in ctr)
            or _near(tail, "财务专用章") or "财务专用" in ring):
        return "finance"
    if _near(ctr, "合同专用章") or "合同" in ctr or (("合" in ctr or "同" in ctr) and any(m in ctr for m in _SPECIAL_MARK)) \
            or _near(tail, "合同专用章") or "合同专用" in ring:
        return "contract"
    if any(w in ctr for w in _OTHER_WORDS) or any(w in ring for w in _OTHER_WORDS):
        return "other"
    if "公章" in ctr:
        return "official" if len(ring) >= 2 else "unknown"
    if ctr and len(ctr) >= 2:
        # something else under the star: a special seal whose purpose was misread, a code,
        # or black print taken for text: the purpose is not known
        return "unknown"
    if centre_ink or shape == "oval":
        return "unknown"
    if len(ring) >= 4:
        return "official"
    return "unknown"


# ---------------------------------------------------------------------------------------
# hashing
# ---------------------------------------------------------------------------------------
def _hash_from(rgb: np.ndarray, cand: SealCandidate) -> str:
    """sha256 of the strictly thresholded ink inside the ring (grown by 12 %), cropped to the
    ink's own bounding box: independent of where the seal sits on the page."""
    hsv_mask = red_mask(rgb, min_red=_HASH_RED, min_value=115)
    h, w = hsv_mask.shape
    cx, cy = _local(cand)
    A, B = cand.axes
    region = np.zeros((h, w), np.uint8)
    cv2.ellipse(region, ((float(cx), float(cy)), (float(2 * A * 1.12), float(2 * B * 1.12)), float(cand.angle)),
                255, -1)
    ink = cv2.bitwise_and(hsv_mask, region)
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return hashlib.sha256(b"").hexdigest()
    sub = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1] > 0
    hh, ww = sub.shape
    hsh = hashlib.sha256(f"{ww}x{hh}:".encode())
    hsh.update(np.packbits(sub, axis=None).tobytes())
    return hsh.hexdigest()


def ink_hash(image: Image.Image, cand: SealCandidate) -> str:
    """sha256 of the binarised ink of the seal, cropped to the ink's bounding box (F03)."""
    return _hash_from(np.asarray(_crop(image, cand.mask_box)), cand)


def detect_and_read(image: Image.Image, *, engine: Any = None, **kw) -> list[Seal]:
    """:func:`find_seals` then :func:`read_seal` on each candidate (reading order: top to
    bottom, left to right)."""
    cands = find_seals(image, **kw)
    cands.sort(key=lambda c: (round(c.box[1] / 50), c.box[0]))
    return [read_seal(image, c, engine=engine) for c in cands]
