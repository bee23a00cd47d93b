"""Evidence pages: what each page is, by its content, and the facts each document states.

The evidence of a nominee (attachment 3, item 7) arrives as a bound volume or a folder of
scans, named freely. This module reads the pages an extractor produced:

* :func:`classify_page` says what a page is from its content: title words in the title zone
  (large text near the top, or a short centred first line), label and cue words anywhere,
  number patterns (patent numbers, ID numbers, amounts in capitals, periods) and layout
  (list rows, catalog rows, prose). Never the file name.
* :func:`split_documents` classifies every page and joins an untitled page to the document
  before it when it continues it (a two-page agreement, a long training list, a catalog);
  photos become ``photo`` items and pages that fit no kind ``unclassified`` items: no page
  is ever dropped.
* :func:`extract_facts` reads the facts of one document by labels, phrases and patterns
  (``姓名`` → holder, ``专利号`` → number, ``创效…（大写：…）`` → amounts), each a
  :class:`~audit.model.Fact` that keeps the spans (file, page, box, text) it was read from.

All recognition knowledge (titles, cue words, label variants, phrases, outlet levels, skill
level words, surnames) is in ``audit/evidence_kinds.yaml``; the field keys of each kind are
listed at the top of that file. Values are normalised: dates as :class:`datetime.date`,
amounts as :class:`~decimal.Decimal` in 万元, patent numbers in the standard spelling
``202020773489.7`` (the raw text is kept in ``Fact.raw``).

Reading is tolerant of what RapidOCR does to a page: spaces dropped or added, a label glued
to its value (``专利号：ZL202020773489.7``) or split over two boxes, letters for digits in
numbers (``O``/``l``/``S``/``B``), ``午`` for ``年`` in dates, one misread character in a label.
"""
from __future__ import annotations

import dataclasses

import math
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

import yaml

from audit.dates import find_date_ranges, find_dates, parse_date_precision
from audit.ids import find_patent_numbers, parse_skill_cert_number
from audit.model import EvidenceItem, Fact, Span
from audit.numbers import capitals_to_decimal, fix_ocr_digits, parse_amount, to_wanyuan
from extractors.base import Extraction, Page

__all__ = ["classify_page", "split_documents", "extract_facts", "config", "kind_ids",
           "normalize_level", "media_level", "split_names", "PageClass", "classify_page_detail",
           "KINDS_FILE", "ORDINARY_KINDS"]

KINDS_FILE = Path(__file__).with_name("evidence_kinds.yaml")
UNCLASSIFIED = "unclassified"
PHOTO = "photo"
CJK = "\u4e00-\u9fa5"


# ---------------------------------------------------------------------------------------
# configuration

@lru_cache(maxsize=1)
def config() -> dict:
    """The parsed ``evidence_kinds.yaml``."""
    return yaml.safe_load(KINDS_FILE.read_text("utf-8"))


def kind_ids() -> list[str]:
    """Every kind a page can be classified as (photo and unclassified included)."""
    return list(config()["kinds"]) + [PHOTO, UNCLASSIFIED]


ORDINARY_KINDS = ("patent_certificate", "skill_certificate", "honor_certificate", "competition_award",
                  "innovation_award", "benefit_statement", "apprentice_agreement", "training_list",
                  "media_clipping", "standard_doc", "catalog")


def _n(s: str) -> str:
    """Normalise a vocabulary word the way page text is normalised (NFKC, no spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


@lru_cache(maxsize=1)
def _rank_re() -> str:
    return "(?:" + "|".join(config()["ranks"]) + ")"


_NAME_RE = rf"(?P<name>[{CJK}·]{{2,6}})"


def _expand(p: str) -> str:
    return p.replace("{NAME}", _NAME_RE).replace("{RANK}", _rank_re())


@lru_cache(maxsize=None)
def _phrases(key: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(canon(_expand(p))) for p in config()["phrases"][key])


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset, tuple[str, ...], frozenset, frozenset, frozenset]:
    nm = config()["names"]
    single = frozenset(re.sub(r"\s+", "", nm["surnames"]))
    compound = tuple(nm["compound_surnames"])
    strong = frozenset(re.sub(r"\s+", "", nm["strong_surnames"]))
    before = frozenset(nm["before_name"])
    not_names = frozenset(nm["not_names"])
    return single, compound, strong, before, not_names


@lru_cache(maxsize=1)
def _org_suffixes() -> tuple[str, ...]:
    return tuple(sorted((_n(s) for s in config()["org_suffixes"]), key=len, reverse=True))


@lru_cache(maxsize=1)
def _level_words() -> list[tuple[str, str, int]]:
    """(word, level name, priority) — named levels before 二级 forms before 高级/中级."""
    out = []
    for lv in config()["skill_levels"]:
        for w in lv["words"]:
            w = _n(w)
            pri = 0 if w in ("高级技师", "技师", "高级工", "中级工", "初级工") else (2 if w in ("高级", "中级", "初级") else 1)
            out.append((w, lv["name"], pri))
    out.sort(key=lambda t: (t[2], -len(t[0])))
    return out


# ---------------------------------------------------------------------------------------
# text normalisation

_DIGITISH = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
                           "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "b": "6", "g": "9", "T": "7"})


@lru_cache(maxsize=1)
def _canon_table() -> dict:
    table = {}
    for group in config().get("ocr_confusable", []):
        for ch in group[1:]:
            table[ord(ch)] = group[0]
    return table


def canon(s: str) -> str:
    """``s`` with characters OCR confuses mapped to one of each group (入→人, 太→大, 曰→日,
    午→年 …), for matching words and labels; same length as ``s``."""
    return (s or "").translate(_canon_table())


def norm_text(s: str) -> tuple[str, list[int]]:
    """``s`` folded to half-width (per character, so offsets map back), whitespace removed,
    OCR letters inside figures made digits and ``2019午`` made ``2019年``. Returns the text
    and, per character, its index in ``s``."""
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(s or ""):
        if ch.isspace() or ch in "\u200b\ufeff":
            continue
        n = unicodedata.normalize("NFKC", ch)
        if len(n) != 1 or n.isspace():
            n = ch
        out.append(n)
        idx.append(i)
    t = fix_ocr_digits("".join(out))
    if len(t) != len(idx):  # pragma: no cover - fix_ocr_digits keeps the length
        t = "".join(out)
    t = fix_digit_runs(t)
    for pat, rep in _date_fixes():
        t = pat.sub(rep, t)
    return t, idx


_RUN = re.compile(r"(?<!/)[0-9OoDQIl|SBZbgT](?:\.?[0-9OoDQIl|SBZbgT]){2,}")
_DATE_PART = re.compile(r"(?<=[年月.\-/])([0-9OoDQIl|SBZbgT]{1,2})(?=\s*[月日号.\-/])|"
                        r"(?<=[年月])([0-9OoDQIl|SBZbgT]{1,2})(?=\s*[日号])")


_DC = "[0-9OoDQIl|SBZbgT]"
_DATE_WHOLE = re.compile(rf"(?<![0-9A-Za-z]){_DC}{{4}}(?=\s*年\s*{_DC}{{1,2}}\s*月)|"
                         rf"(?<![0-9A-Za-z]){_DC}{{4}}([.\-/]){_DC}{{1,2}}\1{_DC}{{1,2}}(?![0-9A-Za-z])")


def fix_date_digits(s: str) -> str:
    """Digits of a date misread as letters (``Z01g年11月2B日`` → ``2019年11月28日``,
    ``2017-03-Z0`` → ``2017-03-20``); same length. A year must come out as 19xx or 20xx."""
    def whole(m: re.Match) -> str:
        t = m.group(0).translate(_DIGITISH)
        return t if re.match(r"(?:19|20)\d\d", t) else m.group(0)
    s = _DATE_WHOLE.sub(whole, s)
    return _DATE_PART.sub(lambda m: m.group(0).translate(_DIGITISH), s)


def fix_digit_runs(s: str) -> str:
    """Letters OCR reads for digits inside a run that is mostly digits (``2O2O2O7734B9``,
    ``Z019``) become digits; the length does not change. Runs need 2/3 digits."""
    def fix(m: re.Match) -> str:
        run = m.group(0)
        d = sum(ch.isdigit() for ch in run)
        if d >= 2 and d >= 0.6 * len(run.replace(".", "")):
            return run.translate(_DIGITISH)
        return run
    s = _RUN.sub(fix, s)
    # a figure before 元/万元 is a figure: 3g.00ZS万元 → 39.0025万元
    return _AMOUNT_RUN.sub(lambda m: m.group(0).translate(_DIGITISH)
                           if sum(ch.isdigit() for ch in m.group(0)) >= 1 else m.group(0), s)


_AMOUNT_RUN = re.compile(r"(?<![A-Za-z0-9])[0-9OoDQIl|SBZbgT](?:[.,]?[0-9OoDQIl|SBZbgT])*(?=\s*(?:万元|元|万))")


@lru_cache(maxsize=1)
def _date_fixes() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(k), v) for k, v in (config().get("ocr_date_fixes") or {}).items()
                 if len(v) == 1)


def digits_only(s: str, *, keep_lead_letter: bool = False, keep_x_end: bool = False) -> str:
    """An identifier read by OCR with letters for digits (``2O19B`` → ``20198``).
    ``keep_lead_letter`` keeps a leading Y/S (skill certificates), ``keep_x_end`` a final X."""
    t = re.sub(r"[\s\-_·.]", "", unicodedata.normalize("NFKC", s or ""))
    lead, tail = "", ""
    if keep_lead_letter and t[:1].upper() in ("Y", "S"):
        lead, t = t[0].upper(), t[1:]
    if keep_x_end and t[-1:] in ("X", "x", "×"):
        tail, t = "X", t[:-1]
    return lead + t.translate(_DIGITISH) + tail


# ---------------------------------------------------------------------------------------
# a document as tokens, rows and running text

@dataclass
class Tok:
    """One OCR line (or a few glued back together), with normalised text."""
    i: int
    page: int
    text: str
    raw: str
    box: tuple[float, float, float, float]
    conf: float
    rmap: list[int]
    synthetic_box: bool = False
    ctext: str = ""

    def __post_init__(self) -> None:
        self.ctext = fix_date_digits(canon(self.text))

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def y0(self) -> float:
        return self.box[1]

    @property
    def x1(self) -> float:
        return self.box[2]

    @property
    def y1(self) -> float:
        return self.box[3]

    @property
    def h(self) -> float:
        return max(1.0, self.box[3] - self.box[1])

    @property
    def em(self) -> float:
        """The size of the type: the box height, or for a long line of a slightly turned scan
        (whose box is taller than its characters) the width per character."""
        n = sum(0.55 if ch.isascii() else 1.0 for ch in self.text)
        w = self.box[2] - self.box[0]
        return max(1.0, min(self.h, w / n)) if n >= 4 and not self.synthetic_box else self.h

    @property
    def cx(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    def raw_slice(self, a: int, b: int) -> str:
        """The raw text behind normalised characters a..b."""
        if not self.rmap or a >= len(self.rmap):
            return ""
        b = min(b, len(self.rmap))
        if b <= a:
            return ""
        return self.raw[self.rmap[a]:self.rmap[b - 1] + 1]


@dataclass
class PageInfo:
    page: int
    width: float
    height: float
    hmed: float
    rows: list[list[Tok]]
    title_toks: list[Tok]


class Doc:
    """The pages of one document as tokens in reading order, grouped in rows, plus a running
    text in which wrapped lines are joined, cells of a row are separated by a tab and rows by
    a newline; every character of the text knows its token (for spans)."""

    def __init__(self, pages: Sequence[Page], file: str = "", sha256: Optional[str] = None,
                 hint_names: Sequence[str] = (), page_map: Optional[dict] = None):
        self.file = file
        self.sha256 = sha256
        # a document joined across files: page number in this doc → (file, sha256, page)
        self.page_map = page_map or {}
        self.skew: dict[int, float] = {}     # page → slope of its text lines (page_skew)
        self.hint_names = [h for h in hint_names if h]
        self.toks: list[Tok] = []
        self.pages: list[PageInfo] = []
        self.rows: list[list[Tok]] = []
        self.row_of: dict[int, int] = {}
        parts: list[str] = []
        owner: list[int] = []
        for pg in pages:
            info = self._add_page(pg)
            self.pages.append(info)
            if parts and parts[-1] != "\n":
                parts.append("\n")
                owner.append(-1)
            self._build_text(info, parts, owner)
        self.text = "".join(parts)
        self.ctext = fix_date_digits(canon(self.text))   # for searching: same offsets as text
        self.owner = owner
        self._starts: Optional[dict[int, int]] = None
        assert len(self.text) == len(self.owner)

    # -- building ------------------------------------------------------------------------
    def _add_page(self, pg: Page) -> PageInfo:
        raw_lines = [ln for ln in pg.lines if ln.text and ln.text.strip()]
        toks: list[Tok] = []
        for k, ln in enumerate(raw_lines):
            t, m = norm_text(ln.text)
            if not t:
                continue
            if ln.box:
                box = tuple(float(v) for v in ln.box)
                synth = False
            else:
                box = (0.0, k * 40.0, 20.0 * max(1, len(t)), k * 40.0 + 30.0)
                synth = True
            toks.append(Tok(-1, pg.page, t, ln.text, box, float(ln.confidence if ln.confidence is not None else 1.0),
                            m, synth))
        slope = page_skew(toks)
        self.skew[pg.page] = slope
        rows = _group_rows(toks, slope)
        rows = [_merge_fragments(r) for r in rows]
        for r in rows:
            for t in r:
                t.i = len(self.toks)
                self.toks.append(t)
                self.row_of[t.i] = len(self.rows)
            self.rows.append(r)
        hs = [t.em for r in rows for t in r if len(t.text) >= 2 and not t.synthetic_box]
        hmed = statistics.median(hs) if hs else 30.0
        info = PageInfo(pg.page, float(pg.width or 0), float(pg.height or 0), hmed, rows, [])
        info.title_toks = _title_tokens(info)
        return info

    def _build_text(self, info: PageInfo, parts: list[str], owner: list[int]) -> None:
        rows = info.rows
        body = [t for r in rows for t in r if len(t.text) >= 8 and not t.synthetic_box]
        for ri, r in enumerate(rows):
            for k, t in enumerate(r):
                if k:
                    gap = t.x0 - r[k - 1].x1
                    sep = "\t" if gap > 1.2 * min(t.h, r[k - 1].h) or t.synthetic_box else ""
                    if sep:
                        parts.append(sep)
                        owner.append(-1)
                parts.append(t.text)
                owner.extend([t.i] * len(t.text))
            if ri + 1 < len(rows):
                nxt = rows[ri + 1]
                if self._wraps(r, nxt, body):
                    continue
                parts.append("\n")
                owner.append(-1)

    @staticmethod
    def _wraps(r: list[Tok], nxt: list[Tok], body: list[Tok]) -> bool:
        """Whether row ``r`` is a line of running text that goes on in ``nxt``: it reaches
        the right edge of its text column and the next line starts at the column's left edge
        (a new paragraph is indented)."""
        if len(r) != 1 or len(nxt) != 1:
            return False
        a, b = r[0], nxt[0]
        if a.synthetic_box or b.synthetic_box:
            return False
        peers = [t for t in body if abs(t.x0 - a.x0) <= 3.5 * a.h and abs(t.h - a.h) <= 0.35 * a.h]
        if len(peers) < 2:
            return False
        if re.match(rf"[{CJK}]{{2,7}}[:：]", b.text):
            return False                      # the next line is another label
        xs1 = sorted(t.x1 for t in peers)
        xs0 = sorted(t.x0 for t in peers)
        right = xs1[int(0.9 * (len(xs1) - 1))]
        left = xs0[int(0.1 * (len(xs0) - 1))]
        if len(a.text) < 6:
            return False
        h = a.h
        if abs(a.h - b.h) > 0.35 * max(a.h, b.h):
            return False
        if b.y0 - a.y1 > 1.6 * h:
            return False
        return a.x1 >= right - 1.5 * h and b.x0 <= left + 1.0 * h and a.x0 <= left + 3.2 * h

    # -- queries -------------------------------------------------------------------------
    def level(self, tok: Tok) -> float:
        """The token's height on the page measured along its skew: tokens of one line of a
        turned scan have the same level, though not the same y."""
        return tok.cy - self.skew.get(tok.page, 0.0) * tok.cx

    def span(self, tok: Tok, text: Optional[str] = None) -> Span:
        file, sha, page = self.page_map.get(tok.page, (self.file, self.sha256, tok.page))
        return Span(file=file, page=page, box=None if tok.synthetic_box else tok.box,
                    text=text if text is not None else tok.raw, confidence=round(tok.conf, 4),
                    sha256=sha)

    def spans(self, toks: Iterable[Tok]) -> list[Span]:
        seen: set[int] = set()
        out = []
        for t in toks:
            if t.i in seen:
                continue
            seen.add(t.i)
            out.append(self.span(t))
        return out

    def toks_in(self, a: int, b: int) -> list[Tok]:
        ids: list[int] = []
        for k in range(max(0, a), min(b, len(self.owner))):
            o = self.owner[k]
            if o >= 0 and (not ids or ids[-1] != o):
                if o not in ids:
                    ids.append(o)
        return [self.toks[i] for i in ids]

    def raw_range(self, a: int, b: int) -> str:
        """The raw text behind running-text characters a..b (spaces as OCR gave them)."""
        out = []
        k = a
        while k < b:
            o = self.owner[k] if k < len(self.owner) else -1
            if o < 0:
                out.append(self.text[k] if self.text[k] == "\t" else "")
                k += 1
                continue
            t = self.toks[o]
            start = k
            while k < b and self.owner[k] == o:
                k += 1
            # index of this run inside the token text
            first = start - self._tok_start(o)
            out.append(t.raw_slice(first, first + (k - start)))
        return "".join(out)

    def _tok_start(self, i: int) -> int:
        if self._starts is None:
            self._starts = {}
            for k, o in enumerate(self.owner):
                if o >= 0 and o not in self._starts:
                    self._starts[o] = k
        return self._starts[i]

    def clean(self, a: int, b: int) -> str:
        """The text as written behind running-text characters a..b (see :func:`clean`)."""
        return clean(self.raw_range(a, b)) or self.text[a:b]

    def fact(self, value: Any, a: int, b: int, raw: Optional[str] = None) -> Fact:
        toks = self.toks_in(a, b)
        conf = min((t.conf for t in toks), default=None)
        return Fact(value, raw if raw is not None else self.text[a:b], self.spans(toks), conf)

    def fact_toks(self, value: Any, toks: Sequence[Tok], raw: str) -> Fact:
        conf = min((t.conf for t in toks), default=None)
        return Fact(value, raw, self.spans(toks), conf)

    def row_index(self, t: Tok) -> int:
        return self.row_of[t.i]

    def page_info(self, page: int) -> PageInfo:
        return next(p for p in self.pages if p.page == page)

    def bottom_zone(self, frac: float = 0.45) -> list[Tok]:
        """Tokens of the lower part of each page's text extent."""
        out = []
        for p in self.pages:
            ts = [t for r in p.rows for t in r]
            if not ts:
                continue
            y0 = min(t.y0 for t in ts)
            y1 = max(t.y1 for t in ts)
            cut = y1 - frac * (y1 - y0)
            out.extend(t for t in ts if t.cy >= cut)
        return out


def page_skew(toks: Sequence[Tok]) -> float:
    """The slope (dy/dx) of the text lines of a page scanned a little turned: the median slope
    between tokens that sit side by side on one line (apart across the page, less than a line
    height apart vertically). 0 when there are too few such pairs to tell."""
    real = sorted((t for t in toks if not t.synthetic_box and t.h > 0), key=lambda t: t.cy)
    if not real:
        return 0.0
    hmax = max(t.h for t in real)
    slopes = []
    for i, a in enumerate(real):            # pairs less than a line height apart only
        for b in real[i + 1:]:
            if b.cy - a.cy >= 0.9 * hmax:
                break
            left, right = (a, b) if a.cx <= b.cx else (b, a)
            dx = right.cx - left.cx
            if right.x0 <= left.x1 or dx < 3 * max(a.h, b.h):
                continue
            dy = right.cy - left.cy
            if abs(dy) < 0.9 * max(a.h, b.h) and abs(a.h - b.h) < 0.5 * max(a.h, b.h):
                slopes.append(dy / dx)
    if len(slopes) < 3:
        return 0.0
    m = statistics.median(slopes)
    return m if 0.003 < abs(m) < 0.09 else 0.0


def _group_rows(toks: list[Tok], slope: Optional[float] = None) -> list[list[Tok]]:
    """Tokens on one visual line form a row, rows top to bottom. A token joins a row when it
    overlaps vertically the row's token nearest to it across the page, heights measured
    along the page's skew (:func:`page_skew`), so a turned scan (the right end of a line
    higher than its left) still gives whole rows, even across a wide gap in a table."""
    if not toks:
        return []
    if slope is None:
        slope = page_skew(toks)

    def lift(t: Tok) -> float:              # how far the skew moved the token down
        return slope * t.cx

    order = sorted(toks, key=lambda t: (t.cy - lift(t), t.x0))
    rows: list[list[Tok]] = []
    for t in order:
        best = None
        for k in range(len(rows) - 1, max(-1, len(rows) - 5), -1):
            row = rows[k]
            if any(min(u.x1, t.x1) - max(u.x0, t.x0) > 0.3 * min(u.x1 - u.x0, t.x1 - t.x0) for u in row):
                continue                      # stacked above/below a token of the row: not the same line
            nb = min(row, key=lambda u: max(0.0, u.x0 - t.x1, t.x0 - u.x1))
            ln, lt = lift(nb), lift(t)
            ov = min(nb.y1 - ln, t.y1 - lt) - max(nb.y0 - ln, t.y0 - lt)
            hmin = min(nb.h, t.h)
            if ov > 0.5 * hmin and abs((nb.cy - ln) - (t.cy - lt)) < 0.6 * max(nb.h, t.h):
                score = ov / hmin
                if best is None or score > best[0]:
                    best = (score, k)
        if best is None:
            rows.append([t])
        else:
            rows[best[1]].append(t)
    for r in rows:
        r.sort(key=lambda t: t.x0)
    rows.sort(key=lambda r: min(t.cy - lift(t) for t in r))
    return rows


def _merge_fragments(row: list[Tok]) -> list[Tok]:
    """Glue OCR fragments of one phrase (``专`` ``利`` ``号：…`` of a spaced label) back together."""
    if len(row) < 2:
        return row
    out = [row[0]]
    spaced = [bool(re.fullmatch(rf"[{CJK}]", row[0].text))]   # a chain of single characters
    for t in row[1:]:
        p = out[-1]
        gap = t.x0 - p.x1
        h = min(p.h, t.h)
        short = len(p.text) <= 2 or len(t.text) <= 1
        close = short and -0.8 * h <= gap <= 0.9 * h
        # a label printed with its characters spread over the label column (专  利  号：…):
        # single characters far apart, the last glued to the colon and the value
        spread = spaced[-1] and -0.8 * h <= gap <= 5.0 * h and abs(p.h - t.h) < 0.4 * max(p.h, t.h) and \
            bool(re.fullmatch(rf"[{CJK}]", t.text) or re.match(rf"[{CJK}]{{1,3}}[:：]", t.text))
        if not p.synthetic_box and (close or spread) and abs(p.cy - t.cy) < 0.5 * h:
            raw = p.raw + t.raw
            rmap = p.rmap + [len(p.raw) + k for k in t.rmap]
            box = (min(p.x0, t.x0), min(p.y0, t.y0), max(p.x1, t.x1), max(p.y1, t.y1))
            out[-1] = Tok(-1, p.page, p.text + t.text, raw, box, min(p.conf, t.conf), rmap)
            spaced[-1] = spaced[-1] and bool(re.fullmatch(rf"[{CJK}]", t.text))
        else:
            out.append(t)
            spaced.append(bool(re.fullmatch(rf"[{CJK}]", t.text)))
    return out


def _title_tokens(info: PageInfo) -> list[Tok]:
    """The title zone: large text in the top part of the page, and a short centred first row."""
    ts = [t for r in info.rows for t in r]
    if not ts:
        return []
    if all(t.synthetic_box for t in ts):
        return [t for r in info.rows[:2] for t in r if len(t.text) <= 40]
    y0 = min(t.y0 for t in ts)
    y1 = max(t.y1 for t in ts)
    cut = y0 + 0.5 * (y1 - y0)
    out = [t for t in ts if t.cy <= cut and t.em >= 1.3 * info.hmed and len(t.text) <= 40]
    xs0 = min(t.x0 for t in ts)
    xs1 = max(t.x1 for t in ts)
    mid = (xs0 + xs1) / 2
    width = max(1.0, xs1 - xs0)
    for r in info.rows[:2]:
        for t in r:
            if t not in out and len(t.text) <= 30 and abs(t.cx - mid) < 0.12 * width and len(r) == 1:
                out.append(t)
    out.sort(key=lambda t: (t.y0, t.x0))
    return out


# ---------------------------------------------------------------------------------------
# names

def _is_surname_start(s: str) -> int:
    """Length of the surname ``s`` starts with (0 if none)."""
    single, compound, *_ = _surnames()
    for c in compound:
        if s.startswith(c):
            return len(c)
    return 1 if s[:1] in single else 0


@lru_cache(maxsize=1)
def _words_before() -> tuple[str, ...]:
    return tuple(config()["names"].get("words_before_name", []))


def valid_name(s: str) -> bool:
    """A plausible Chinese personal name: surname + 1-2 characters (compound surname + 1-2)."""
    single, compound, strong, before, not_names = _surnames()
    if not s or not re.fullmatch(rf"[{CJK}]{{2,4}}", s) or s in not_names:
        return False
    k = _is_surname_start(s)
    if not k:
        return False
    rest = len(s) - k
    return 1 <= rest <= 2


def name_before(chunk: str, hints: Sequence[str] = ()) -> Optional[str]:
    """The name that ``chunk`` ends with (the text before 同志 etc.): ``授予张三`` → ``张三``."""
    chunk = re.sub(rf"[^{CJK}·]+$", "", chunk)
    for h in hints:
        if h and chunk.endswith(h):
            return h
    single, compound, strong, before, not_names = _surnames()
    words = _words_before()
    cands = []
    for n in (4, 3, 2):
        if len(chunk) < n:
            continue
        s = chunk[-n:]
        if not valid_name(s):
            continue
        if n > 2 and any(chunk[:len(chunk) - n + 1].endswith(w) for w in words):
            continue              # 单位万善 → 万善 (位 ends 单位), 证明白凤 → 白凤
        k = _is_surname_start(s)
        prev = chunk[-n - 1] if len(chunk) > n else ""
        score = {3: 3.0, 2: 2.0, 4: 1.0}[n] if k == 1 else {3: 3.2, 4: 3.3, 2: 0.5}[n]
        if s[0] in before and n > 2:
            score -= 2.5
        if prev and prev not in before and re.match(rf"[{CJK}]", prev) and n == 2:
            score -= 0.5          # a longer name would have been possible
        cands.append((score, s))
    if not cands:
        return None
    return max(cands)[1]


def name_prefix(text: str, hints: Sequence[str] = ()) -> Optional[str]:
    """The name ``text`` starts with (a value after ``姓名：``): ``张三性别男`` → ``张三``."""
    t = re.sub(rf"^[^{CJK}]+", "", text or "")
    for h in hints:
        if h and t.startswith(h):
            return h
    m = re.match(rf"[{CJK}·]+", t)
    if not m:
        return None
    run = m.group(0)
    if valid_name(run):
        return run
    labels = _label_words()
    for n in (3, 2, 4):          # a name glued to the next label: 张伟性别男 → 张伟
        if valid_name(run[:n]) and any(canon(run[n:]).startswith(lb) for lb in labels):
            return run[:n]
    for n in (3, 2, 4):
        s = run[:n]
        if valid_name(s):
            return s
    return None


@lru_cache(maxsize=1)
def _label_words() -> tuple[str, ...]:
    out = {canon(_n(lb)) for cue in config()["kinds"].values() for f in (cue.get("fields") or {}).values()
           for lb in f["labels"] if len(_n(lb)) >= 2}
    return tuple(sorted(out, key=len, reverse=True))


def split_names(raw: str, hints: Sequence[str] = ()) -> list[str]:
    """Names in a list as written: separated by ；;、,，/ or spaces, or written together
    (``张三李四王五``, split where a surname most likely starts)."""
    parts = [p for p in re.split(r"[；;、丶,，/\s]+|等$", unicodedata.normalize("NFKC", raw or "")) if p]
    out: list[str] = []
    for p in parts:
        p = re.sub(rf"[^{CJK}·]", "", p)
        if not p:
            continue
        if len(p) <= 3 or (len(p) == 4 and _is_surname_start(p) == 2):
            out.append(p)
            continue
        out.extend(_segment_names(p, hints))
    return out


def _segment_names(s: str, hints: Sequence[str]) -> list[str]:
    single, compound, strong, before, not_names = _surnames()
    n = len(s)
    INF = float("inf")
    best: list[tuple[float, list[str]]] = [(INF, [])] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i][0] == INF:
            continue
        for ln in (2, 3, 4):
            j = i + ln
            if j > n:
                break
            w = s[i:j]
            if w in hints:
                cost = 0.0
            else:
                k = _is_surname_start(w)
                if not k or not (1 <= ln - k <= 2):
                    continue
                cost = (0.7 if k == 2 else 1.0) + (0.35 if ln - k == 1 else 0.0)
                cost += sum(1.5 for ch in w[k:] if ch in strong)
                if k == 1 and w[0] not in strong:
                    cost += 0.3
            c = best[i][0] + cost
            if c < best[j][0]:
                best[j] = (c, best[i][1] + [w])
    return best[n][1] if best[n][0] < INF else [s]


# ---------------------------------------------------------------------------------------
# levels and outlets

def normalize_level(text: Optional[str]) -> Optional[str]:
    """初级工 / 中级工 / 高级工 / 技师 / 高级技师 from a level as written (二级/技师,
    技师（国家职业资格二级）, 国家职业资格三级, 高级 …), or None."""
    t = canon(_n(text or ""))
    if not t:
        return None
    for w, name, _ in _level_words():
        if w in t:
            return name
    return None


def media_level(outlet: Optional[str]) -> Optional[str]:
    """国家级 / 省部级 / 地厅级 for an outlet (table, else the name's patterns)."""
    o = _n(outlet or "")
    if not o:
        return None
    med = config()["media"]
    best = None
    for level, names in med["outlets"].items():
        for nm in names:
            if _n(nm) == o:
                return level
            if _n(nm) in o and (best is None or len(nm) > best[0]):
                best = (len(nm), level)
    if best:
        return best[1]
    for lp in med["level_patterns"]:
        if re.search(lp["re"], o):
            return lp["level"]
    return None


def _known_outlets() -> list[tuple[str, str]]:
    med = config()["media"]
    out = [(_n(nm), lv) for lv, names in med["outlets"].items() for nm in names]
    out.sort(key=lambda t: -len(t[0]))
    return out


def split_orgs(s: str) -> list[str]:
    """Two organisations written together (``开封市总工会开封市人力资源和社会保障局``) apart;
    the second must start like an organisation (a place, 中共, 中华 …)."""
    t = _n(s)
    starts = config().get("org_starts", [])
    for k in range(4, len(t) - 3):
        head, tail = t[:k], t[k:]
        if is_org(head) and is_org(tail) and (any(tail.startswith(x) for x in starts) or
                                               re.match(rf"[{CJK}]{{2,4}}?[省市县区]", tail)):
            return [head] + split_orgs(tail)
    return [t]


def is_org(s: str) -> bool:
    s = _n(s)
    return len(s) >= 3 and any(s.endswith(x) for x in _org_suffixes())


# ---------------------------------------------------------------------------------------
# labels and values

@dataclass
class Hit:
    tok: Tok
    start: int       # label start in tok.text
    end: int         # label end
    vstart: int      # value start (after a colon)
    colon: bool
    label: str


_LIST_MARK = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）、.．]|[①②③④⑤⑥⑦⑧⑨⑩])")


def _label_res(labels: Sequence[str]) -> list[tuple[str, re.Pattern]]:
    return [(lb, re.compile(re.escape(lb))) for lb in sorted({canon(_n(x)) for x in labels}, key=len, reverse=True)]


def _fuzzy_find(text: str, label: str) -> Optional[tuple[int, int]]:
    """(start, end) of ``label`` in ``text`` with one character wrong, or (labels of 4+
    characters) one character missing; before a colon, or the whole text."""
    n = len(label)
    if n < 3:
        return None
    if n >= 4:
        shorter = {label[:k] + label[k + 1:] for k in range(n)}
        for i in range(0, len(text) - n + 2):
            if text[i:i + n - 1] in shorter and text[i + n - 1:i + n] in (":", "："):
                return i, i + n - 1
    for i in range(0, len(text) - n + 1):
        w = text[i:i + n]
        if sum(1 for a, b in zip(w, label) if a != b) == 1 and (w[0] == label[0] or w[-1] == label[-1]):
            after = text[i + n:i + n + 1]
            if after in (":", "：") or (i == 0 and len(text) == n):
                return i, i + n
    return None


def find_labels(doc: Doc, labels: Sequence[str], *, toks: Optional[Sequence[Tok]] = None,
                fuzzy: bool = True, known: Sequence[str] = ()) -> list[Hit]:
    """Occurrences of any of ``labels`` that act as labels: at the start of a token, or
    anywhere followed by a colon. Longest label first at each token; tokens in order."""
    res = _label_res(labels)
    out: list[Hit] = []
    for t in (toks if toks is not None else doc.toks):
        text = t.ctext
        lm = _LIST_MARK.match(text)
        base = lm.end() if lm else 0
        found: Optional[Hit] = None
        for lb, rx in res:
            for m in rx.finditer(text):
                s, e = m.start(), m.end()
                colon = text[e:e + 1] in (":", "：")
                at_start = s <= base or text[s - 1:s] in ("\t", "，", ",", "；", ";", "。", "、", " ") or \
                    (s > 0 and text[s - 1] in ")）" and s <= base + 1)
                if not (colon or at_start):
                    continue
                found = Hit(t, s, e, e + (1 if colon else 0), colon, lb)
                break
            if found:
                break
        if not found and fuzzy:
            known_n = {canon(_n(k)) for k in known}
            for lb, _ in res:
                pos = _fuzzy_find(text[base:], lb)
                if pos is not None and text[base + pos[0]:base + pos[1]] not in known_n:
                    s, e = base + pos[0], base + pos[1]
                    if s > base and text[s - 1] not in "\t，,；;。、 ":
                        continue              # inside a word (身份证号码 is no 证书号码)
                    if any(m.start() <= s and m.end() >= e for k in known_n if k
                           for m in re.finditer(re.escape(k), text)):
                        continue
                    colon = text[e:e + 1] in (":", "：")
                    found = Hit(t, s, e, e + (1 if colon else 0), colon, lb)
                    break
        if found:
            out.append(found)
    return out


def _cut_at_labels(text: str, stops: Sequence[str]) -> str:
    """``text`` up to the first other label followed by a colon (values glued together)."""
    cut = len(text)
    ct = canon(text)
    for lb in stops:
        lb = canon(_n(lb))
        if not lb:
            continue
        for m in re.finditer(re.escape(lb) + r"[:：]", ct):
            if m.start() > 0:
                cut = min(cut, m.start())
                break
    return text[:cut]


def _starts_with_label(text: str, stops: Sequence[str]) -> bool:
    text = canon(text)
    for lb in stops:
        lb = canon(_n(lb))
        if lb and text.startswith(lb) and (len(text) == len(lb) or text[len(lb)] in ":：" or len(lb) >= 3):
            return True
    return False


@dataclass
class Value:
    text: str
    raw: str
    toks: list[Tok]


def value_of(doc: Doc, hit: Hit, *, stops: Sequence[str] = (), multiline: bool = False,
             accept: Optional[Callable[[str], Any]] = None, below: bool = True,
             right_gap: float = 9.0) -> Optional[Value]:
    """The value of a label: the rest of its token, else the next token on its row, else the
    token below it; continuation rows of a wrapped value when ``multiline``. ``accept``
    (a parser returning None when the text is not a value of the field) picks among them."""
    t = hit.tok
    rest = _cut_at_labels(t.text[hit.vstart:], stops)
    rest_clean = rest.lstrip(":：")
    cands: list[Value] = []
    if rest_clean:
        a = hit.vstart + (len(rest) - len(rest_clean))
        cands.append(Value(rest_clean, t.raw_slice(a, a + len(rest_clean)), [t]))
    else:
        row = doc.rows[doc.row_index(t)]
        k = row.index(t)
        if k + 1 < len(row):
            nx = row[k + 1]
            if nx.x0 - t.x1 <= right_gap * t.h and not _starts_with_label(nx.text, stops):
                txt = _cut_at_labels(nx.text, stops).lstrip(":：")
                if txt:
                    cands.append(Value(txt, nx.raw, [nx]))
        if below:
            for bl in _below(doc, t, stops):
                cands.append(Value(_cut_at_labels(bl.text, stops), bl.raw, [bl]))
    if not cands:
        return None
    chosen = None
    for c in cands:
        if accept is None or accept(c.text) is not None:
            chosen = c
            break
    if chosen is None:
        return None
    if multiline:
        chosen = _continue_value(doc, chosen, stops)
    return chosen


def _below(doc: Doc, t: Tok, stops: Sequence[str]) -> list[Tok]:
    """Tokens under a label, nearest first; text read poorly (a seal's ring read as text,
    confidence < 0.75) goes after the others."""
    if t.synthetic_box:
        ri = doc.row_index(t)
        if ri + 1 < len(doc.rows):
            nx = doc.rows[ri + 1][0]
            if not _starts_with_label(nx.text, stops):
                return [nx]
        return []
    found = []
    for u in doc.toks:
        if u.page != t.page or u is t:
            continue
        dy = u.y0 - t.y1
        if dy < -0.3 * t.h or dy > 2.4 * t.h:
            continue
        if u.x1 < t.x0 - 1.0 * t.h or u.x0 > t.x1 + 3.0 * t.h:
            continue
        if _starts_with_label(u.text, stops):
            continue
        found.append(((u.conf < 0.75, dy, abs(u.x0 - t.x0)), u))
    found.sort(key=lambda x: x[0])
    return [u for _, u in found[:3]]


def _continue_value(doc: Doc, v: Value, stops: Sequence[str]) -> Value:
    last = v.toks[-1]
    x_ref = v.toks[0].x0 if len(v.toks[0].text) == len(v.text) else None
    text, raw, toks = v.text, v.raw, list(v.toks)
    ri = doc.row_index(last)
    while ri + 1 < len(doc.rows):
        nxt = doc.rows[ri + 1]
        cand = None
        for u in nxt:
            if u.page != last.page:
                break
            if u.y0 - last.y1 > 0.9 * last.h:
                break
            if abs(u.h - last.h) > 0.4 * last.h:
                continue
            ref = x_ref if x_ref is not None else None
            if ref is None:
                # value started after a label in the same token: continuation aligns under the value
                lab_w = (last.x1 - last.x0) * (1 - len(v.text) / max(1, len(last.text)))
                ref = last.x0 + lab_w
            if abs(u.x0 - ref) <= 1.6 * last.h and not _starts_with_label(u.text, stops):
                if any(w.x1 <= u.x0 + 2 and re.search(r"[:：]$", w.text) for w in nxt):
                    break                     # the next row is another label's value
                cand = u
                break
        if cand is None or re.search(r"[:：]", cand.text[:8]):
            break
        text += cand.text
        raw += " " + cand.raw
        toks.append(cand)
        last = cand
        ri += 1
    return Value(text, raw, toks)


def field_labels(kind: str, key: str) -> list[str]:
    f = config()["kinds"][kind].get("fields", {}).get(key)
    return list(f["labels"]) if f else []


def all_labels(kind: str) -> list[str]:
    out: list[str] = []
    for f in config()["kinds"][kind].get("fields", {}).values():
        out.extend(f["labels"])
    return out


@lru_cache(maxsize=1)
def _all_titles() -> tuple[str, ...]:
    out = {_n(w) for cue in config()["kinds"].values() for w in cue.get("titles", [])}
    return tuple(sorted(out, key=len, reverse=True))


def _ends_with_title(text: str) -> bool:
    text = canon(text)
    return any(text.endswith(canon(w)) for w in _all_titles())


def _covers(hit: Hit, word: str) -> bool:
    """Whether ``word`` occurs in the hit's token around the label (财务负责人 around 负责人)."""
    text = hit.tok.ctext
    for m in re.finditer(re.escape(word), text):
        if m.start() <= hit.start and m.end() >= hit.end:
            return True
    return False


def labelled(doc: Doc, kind: str, key: str, *, accept: Optional[Callable[[str], Any]] = None,
             multiline: bool = False, below: bool = True, extra_stops: Sequence[str] = (),
             skip: Callable[[Hit], bool] = lambda h: False) -> Optional[tuple[Any, Value]]:
    """The first value of field ``key`` of ``kind`` found by its labels, parsed by ``accept``
    (the text itself when None)."""
    labels = field_labels(kind, key)
    if not labels:
        return None
    nots = [canon(_n(x)) for x in config()["kinds"][kind]["fields"][key].get("not", [])]
    stops = [x for x in all_labels(kind) if _n(x) not in {_n(y) for y in labels}] + list(extra_stops)
    title_ids = {t.i for p in doc.pages for t in p.title_toks}
    for hit in find_labels(doc, labels, known=all_labels(kind)):
        if skip(hit):
            continue
        if not hit.colon and _ends_with_title(hit.tok.text) and (hit.tok.i in title_ids or
                                                                 canon(hit.tok.text) in _all_titles()):
            continue                          # 职业资格证书 is a title, not 职业: 资格证书
        if any(_covers(hit, w) for w in nots):
            continue
        v = value_of(doc, hit, stops=stops, multiline=multiline, accept=accept, below=below)
        if v is None:
            continue
        val = accept(v.text) if accept else v.text
        if val is None or val == "":
            continue
        if getattr(accept, "as_written", False):
            val = accept(clean(v.raw)) or val
        return val, v
    return None


# ---------------------------------------------------------------------------------------
# value parsers

def _plausible(d: Optional[date]) -> bool:
    """A date an award or agreement can bear (OCR may read 二〇一八 as 七〇一八)."""
    return d is not None and 1950 <= d.year <= 2099


def p_date(text: str) -> Optional[date]:
    t, _ = norm_text(text)
    t = fix_date_digits(canon(t))
    got = parse_date_precision(t)
    if not got or got[1] == "year" or not _plausible(got[0]):
        return None
    return got[0]


def p_name(hints: Sequence[str] = ()) -> Callable[[str], Optional[str]]:
    def f(text: str) -> Optional[str]:
        return name_prefix(text, hints)
    return f


def clean(raw: str) -> str:
    """Text as written, without the spaces OCR put in or the label's colon before it, with
    what OCR surely got wrong put right: letters inside figures (``2O19`` → ``2019``), ``午``
    after a year, a dash for ``一`` at the start (``—种`` → ``一种``), half-width brackets and
    colons between Chinese characters made full-width as printed, and ``ocr_word_fixes``."""
    t = re.sub(r"\s+", "", raw or "").lstrip(":：")
    t = fix_digit_runs(fix_ocr_digits(t))
    for pat, rep in _date_fixes():
        t = pat.sub(rep, t)
    t = t.replace("丶", "、")
    t = re.sub(r"一—|—一", "——", t)                       # a dash pair half misread
    t = re.sub(rf"(?:^|(?<=[{CJK}（(“《]))(?<!—)—(?!—)(?=[{CJK}])", "一", t)   # a lone dash is 一
    t = re.sub(rf"(?<=[{CJK}“”《》])\((?=[{CJK}\d“《])", "（", t)
    t = re.sub(rf"(?<=[{CJK}\d”》])\)", "）", t)
    t = re.sub(rf"(?<=[{CJK}])[:](?=[{CJK}“])", "：", t)
    for a, b in (config().get("ocr_word_fixes") or {}).items():
        t = t.replace(a, b)
    return t


def p_text(minlen: int = 2, maxlen: int = 80) -> Callable[[str], Optional[str]]:
    def f(text: str) -> Optional[str]:
        t = text.strip(":：;；,，。 \t")
        return t if minlen <= len(t) <= maxlen else None
    f.as_written = True  # type: ignore[attr-defined]
    return f


def p_org(text: str) -> Optional[str]:
    t = text.strip(":：;；,，。 \t")
    t = re.sub(r"[(（](?:盖章|公章|印章|章)[)）]$", "", t)
    return t if len(t) >= 3 and not re.fullmatch(r"[\d\W]+", t) else None


p_org.as_written = True  # type: ignore[attr-defined]


_ID_RE = re.compile(r"(?<![0-9A-Za-z])([0-9OoIlSBZDQ|]{17}[0-9Xx×])(?![0-9A-Za-z])")


def p_id(text: str) -> Optional[str]:
    t = unicodedata.normalize("NFKC", text or "").replace(" ", "")
    for m in _ID_RE.finditer(t):
        d = digits_only(m.group(1), keep_x_end=True)
        if re.fullmatch(r"\d{17}[\dX]", d) and d[6:8] in ("19", "20"):
            return d
    return None


def p_skill_number(text: str) -> Optional[str]:
    t = unicodedata.normalize("NFKC", text or "").replace(" ", "")
    m = re.search(r"(?<![0-9A-Za-z])([YSys5][0-9OoIlBZDQ|]{21}|[0-9OoIlBZDQ|]{16}|[0-9OoIlBZDQ|]{13})(?![0-9A-Za-z])", t)
    if m:
        s = m.group(1)
        if len(s) == 22:
            lead = s[0].upper()
            if lead == "5":
                lead = "S"
            return lead + digits_only(s[1:])
        return digits_only(s)
    m = re.search(r"[A-Za-z0-9]{6,30}", t)
    return m.group(0) if m else None


def p_level(text: str) -> Optional[str]:
    return normalize_level(text)


def _dates_in(doc: Doc) -> list[tuple[date, Tok, str]]:
    out = []
    for t in doc.toks:
        for d in find_dates(fix_date_digits(t.ctext)):
            if _plausible(d.date):
                out.append((d.date, t, t.raw_slice(d.start, d.end) or d.raw))
    return out


_DAMAGED_DATE = re.compile(r"(?<!\d)(\d{3})年(\d{1,2})月(\d{1,2})日")


def _damaged_date(doc: Doc, years: Iterable[int]) -> Optional[Fact]:
    """A date whose year lost one digit under a seal (209年12月10日), restored when exactly one
    digit put back gives one of ``years`` (the years the document's content allows). The
    fact's confidence is capped at 0.6: a rule that decides on it says the date is uncertain."""
    allowed = set(years)
    for t in reversed(doc.toks):
        m = _DAMAGED_DATE.search(fix_date_digits(t.ctext))
        if not m:
            continue
        y3 = m.group(1)
        cands = {int(y3[:i] + d + y3[i:]) for i in range(4) for d in "0123456789"} & allowed
        if len(cands) != 1:
            continue
        try:
            d = date(cands.pop(), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        fa = doc.fact_toks(d, [t], t.raw_slice(m.start(), m.end()) or m.group(0))
        fa.confidence = min(fa.confidence if fa.confidence is not None else 1.0, 0.6)
        fa.spans = [dataclasses.replace(sp, confidence=min(sp.confidence if sp.confidence is not None else 1.0, 0.6))
                    for sp in fa.spans]
        return fa
    return None


def _last_date_tok(doc: Doc) -> Optional[tuple[date, Tok, str]]:
    """The date lowest on the last page (the date of signing or issue)."""
    ds = _dates_in(doc)
    if not ds:
        return None
    last_page = max(d[1].page for d in ds)
    ds = [d for d in ds if d[1].page == last_page]
    return max(ds, key=lambda d: (d[1].y0, d[1].x0))


# ---------------------------------------------------------------------------------------
# classification

@dataclass
class PageClass:
    kind: str
    score: float                 # confidence 0..1
    raw: float = 0.0             # the winning kind's points
    has_title: bool = False      # a title of the winning kind was found in the title zone
    titled: bool = False         # any kind's title was found in the title zone
    title: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    prose: bool = False


def _detect(doc: Doc, name: str) -> float:
    text = doc.ctext
    if name == "patent_number":
        return 1.0 if any(len(p.body) == 12 or p.granted for p in find_patent_numbers(text.replace("\t", " "))) else 0.0
    if name == "id_number":
        return 1.0 if p_id(text.replace("\n", " ").replace("\t", " ")) else 0.0
    if name == "skill_cert_number":
        for t in doc.toks:
            s = t.text
            if re.search(r"(?<![0-9A-Za-z])[YS]\d{21}(?![0-9])", s):
                return 1.0
            if re.search(r"(?<![0-9A-Za-z])\d{16}(?![0-9Xx])", s):
                return 1.0
        return 0.0
    if name == "amount_capitals":
        caps = re.findall(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿壶]{2,}[元圆角分]", text)
        return 1.0 if caps else 0.0
    if name == "date_range":
        return 1.0 if find_date_ranges(text) else 0.0
    if name == "list_rows":
        return min(1.0, _count_list_rows(doc) / 3.0)
    if name == "catalog_rows":
        n = 0
        for r in doc.rows:
            if len(r) >= 2 and re.fullmatch(r"\d{1,3}(?:[-—~至]\d{1,3})?", r[-1].text) and \
                    re.search(rf"[{CJK}]{{3,}}", "".join(t.text for t in r[:-1])):
                n += 1
        return min(1.0, n / 3.0)
    if name == "outlet":
        return 1.0 if _find_outlet(doc) else 0.0
    if name == "prose":
        return 1.0 if _is_prose(doc) else 0.0
    return 0.0


def _count_list_rows(doc: Doc) -> int:
    n = 0
    for r in doc.rows:
        if len(r) < 3:
            continue
        cells = [t.text for t in r]
        has_name = any(valid_name(c) for c in cells)
        has_level = any(normalize_level(c) and len(c) <= 12 for c in cells)
        has_date = any(find_dates(c) for c in cells)
        if has_name and (has_level or has_date) and (has_level + has_date) >= 1:
            n += 1 if (has_level and has_date) else 0.5
    return int(n)


def _is_prose(doc: Doc) -> bool:
    chars = sum(len(t.text) for t in doc.toks)
    if chars < 200:
        return False
    long = sum(len(t.text) for t in doc.toks if len(t.text) >= 12 and re.search(r"[，。、]", t.text))
    return long / max(1, chars) >= 0.55


def _title_score(zone_rows: list[str], zone_text: str, cue: dict) -> tuple[int, str]:
    best = (0, "")
    for w in cue.get("titles", []):
        w = canon(_n(w))
        if w and w in zone_text and len(w) > best[0]:
            best = (len(w), w)
    for p in cue.get("title_patterns", []):
        rx = re.compile(canon(p))
        for r in zone_rows + ([zone_text] if len(zone_rows) > 1 else []):
            m = rx.search(r)
            if m:
                ln = min(8, max(3, len(m.group(0))))
                if ln > best[0]:
                    best = (ln, r)
    return best


def classify_page_detail(page: Page, *, doc: Optional[Doc] = None) -> PageClass:
    """:func:`classify_page` with the points of every kind and whether a title was found."""
    if page.is_photo:
        return PageClass(PHOTO, 1.0, 0.0)
    doc = doc or Doc([page])
    if not doc.toks:
        return PageClass(UNCLASSIFIED, 0.0)
    info = doc.pages[0]
    zrows: list[str] = []
    for r in info.rows:
        ts = [t for t in r if t in info.title_toks]
        if ts:
            zrows.append("".join(t.ctext for t in ts))
    ztext = "".join(zrows)
    text = doc.ctext.replace("\t", "").replace("\n", "")
    kinds = config()["kinds"]
    title_len: dict[str, tuple[int, str]] = {k: _title_score(zrows, ztext, cue) for k, cue in kinds.items()}
    lmax = max((v[0] for v in title_len.values()), default=0)
    det_cache: dict[str, float] = {}
    scores: dict[str, float] = {}
    for k, cue in kinds.items():
        s = 0.0
        tl = title_len[k][0]
        if tl and lmax:
            s += 4.0 * (tl / lmax) ** 2
        cs = sum(float(w) for word, w in (cue.get("cues") or {}).items() if canon(_n(str(word))) in text)
        s += min(cs, float(cue.get("cue_cap", 8.0)))
        s -= sum(float(w) for word, w in (cue.get("anti") or {}).items() if canon(_n(str(word))) in text)
        for p in cue.get("patterns") or []:
            n = len(re.findall(canon(_expand(p["re"])), text))
            if n:
                s += float(p["weight"]) * min(n, int(p.get("max", 1)))
        for d, w in (cue.get("detectors") or {}).items():
            if d not in det_cache:
                det_cache[d] = _detect(doc, d)
            s += float(w) * det_cache[d]
        scores[k] = round(s, 3)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    best_k, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    prose = det_cache.get("prose") if "prose" in det_cache else _detect(doc, "prose")
    titled = lmax > 0
    if best < float(kinds[best_k].get("min_score", 4)):
        return PageClass(UNCLASSIFIED, 0.0, best, False, titled, zrows[0] if zrows else "", scores, bool(prose))
    conf = min(1.0, best / (1.5 * float(kinds[best_k].get("min_score", 4)))) * \
        (0.5 + 0.5 * max(0.0, 1.0 - max(0.0, second) / best))
    return PageClass(best_k, round(conf, 3), best, title_len[best_k][0] > 0, titled,
                     title_len[best_k][1] or (zrows[0] if zrows else ""), scores, bool(prose))


def classify_page(page: Page) -> tuple[str, float]:
    """``(kind, score)`` of one page by its content; ``score`` is a confidence in 0..1.
    ``photo`` for photographs, ``unclassified`` when no kind fits well enough."""
    pc = classify_page_detail(page)
    return pc.kind, pc.score


# ---------------------------------------------------------------------------------------
# documents

def _hint_names(nominee: Optional[str]) -> list[str]:
    if not nominee:
        return []
    last = re.split(r"[/\\]", str(nominee).rstrip("/\\"))[-1]
    nm = re.sub(rf"[^{CJK}·]", "", re.sub(r"^\d+[-_.、\s]*", "", last))
    return [nm] if 2 <= len(nm) <= 4 else []


def continues(kind: str, pc: PageClass) -> bool:
    """Whether a page classified ``pc`` continues a document of ``kind`` before it: the kind
    runs over pages, the page has no title of its own, and it is of the same kind, or fits no
    kind but shows some of that kind's cues (the signature half of an agreement, the last
    rows of a list), or is running prose after a prose kind."""
    kinds = config()["kinds"]
    if pc.kind == PHOTO or kind not in kinds or not kinds[kind].get("multipage") or pc.has_title or pc.titled:
        return False
    if pc.kind == kind:
        return True
    need = 1.3 if kind in ("training_list", "catalog") else 2.0
    if pc.kind == UNCLASSIFIED and pc.scores.get(kind, 0) >= need:
        return True
    return pc.kind == UNCLASSIFIED and pc.prose and kind in (
        "deeds", "media_clipping", "standard_doc", "apprentice_agreement", "recommendation_report")


def split_documents(ex: Extraction, *, unit: Optional[str] = None,
                    nominee: Optional[str] = None) -> list[EvidenceItem]:
    """The documents in one file: every page classified, untitled continuation pages joined
    to the document before them, facts extracted. No page is dropped."""
    items: list[tuple[EvidenceItem, list[Page], PageClass]] = []
    for pg in ex.pages:
        pc = classify_page_detail(pg)
        prev = items[-1] if items else None
        if prev is not None and continues(prev[0].kind, pc):
            prev[0].pages.append(pg.page)
            prev[1].append(pg)
            prev[0].text += "\n" + pg.text
            continue
        item = EvidenceItem(id=f"{(ex.sha256 or '')[:12]}:p{pg.page}", kind=pc.kind, file=ex.file,
                            sha256=ex.sha256, pages=[pg.page], text=pg.text, confidence=pc.score,
                            unit=unit, nominee=nominee)
        items.append((item, [pg], pc))
    out = []
    hints = _hint_names(nominee)
    for item, pages, pc in items:
        try:
            _extract(item, pages, hints)
        except Exception as exc:  # a page we cannot read must not stop the audit
            item.fields["_error"] = Fact(None, f"{type(exc).__name__}: {exc}")
        out.append(item)
    return out


# a part marker at the end of a file name: 效益证明-2, 名单(2), 协议_p2, 协议第2页, 证书反面
_PART_RE = re.compile(r"(?:[-_ .]*(?:p|P|page|第)?\d{1,2}(?:页|张)?|[(（]\d{1,2}[)）]|[-_ ]*(?:正|反|背)面?)$")
# names a scanner or phone gives: IMG_0012, DSC00031, 扫描件3, 微信图片_2021…, 001
_GENERIC_RE = re.compile(r"^(?:img|dsc|dscn|scan|doc|image|mmexport|扫描件?|图片|微信图片|新建)?[-_ .()（）\d]*$", re.I)


def _stem(path: str) -> tuple[str, str]:
    """(folder, name without extension) of a batch path (zip members included)."""
    folder, _, name = path.replace("!/", "/").rpartition("/")
    return folder, name.rsplit(".", 1)[0] if "." in name else name


def parts_of_one(first: str, second: str) -> int:
    """Whether two files of one folder look like parts of one document by their names: 2 for
    the same name but for a part marker (名单-1.jpg, 名单-2.jpg; 协议.jpg, 协议(2).jpg), 1 for a
    second file named only by the scanner (IMG_0013.jpg after anything), else 0."""
    (fa, a), (fb, b) = _stem(first), _stem(second)
    if fa != fb or first == second:
        return 0
    base_a, base_b = _PART_RE.sub("", a), _PART_RE.sub("", b)
    if base_b and base_a == base_b:
        return 2
    return 1 if _GENERIC_RE.match(b) else 0


def join_across_files(files: Sequence[tuple[Extraction, list[EvidenceItem]]]) -> list[EvidenceItem]:
    """A nominee's evidence items with documents spread over several files joined.

    ``files``: the evidence files of one nominee in reading order (file-name order), each with
    the items :func:`split_documents` gave. When the first document of a file continues the
    last document of the file before it (see :func:`continues`: an untitled page of a kind that
    runs over pages) and the names say the files are parts of one document
    (:func:`parts_of_one`), the two are one document: its facts are read again over all the
    pages, each fact keeping the file and page it was read on, and ``parts`` lists the files
    and pages it spans ({file, sha256, pages}). Seals travel with the pages. Nothing is dropped."""
    out: list[EvidenceItem] = []
    sources: dict[int, list[tuple[Extraction, list[int]]]] = {}   # id(item) → its files' pages
    prev: Optional[tuple[Extraction, EvidenceItem]] = None
    for ex, got in files:
        got = list(got)
        if prev is not None and got and got[0].pages:
            pex, pit = prev
            first = got[0]
            pg = next((x for x in ex.pages if x.page == first.pages[0]), None)
            named = parts_of_one(pex.file, ex.file) if pg is not None else 0
            pc = classify_page_detail(pg) if named else None
            # files named as parts of one document: an untitled page that fits no kind (the
            # signature block of a list) continues it too; a scanner's name needs the cues
            if named and (continues(pit.kind, pc) or (named == 2 and pc.kind == UNCLASSIFIED and pit.kind in
                                                      config()["kinds"] and not pc.has_title and not pc.titled
                                                      and first.kind == UNCLASSIFIED)):
                src = sources.setdefault(id(pit), [(pex, list(pit.pages))])
                src.append((ex, list(first.pages)))
                _join(pit, first, src)
                got = got[1:]
                if not got:     # the whole file continued the document: it may go on
                    prev = (ex, pit)
                    continue
        out.extend(got)
        prev = (ex, got[-1]) if got else None
    return out


def _join(a: EvidenceItem, b: EvidenceItem, src: list[tuple[Extraction, list[int]]]) -> None:
    """Document ``b`` appended to ``a``; ``src`` lists the files and page numbers of the joined
    document: its facts are read again over all of them, each with its own provenance."""
    pages: list[Page] = []
    page_map: dict[int, tuple] = {}
    for ex, nos in src:
        by_no = {pg.page: pg for pg in ex.pages}
        for no in nos:
            if no in by_no:
                v = len(pages) + 1
                pages.append(dataclasses.replace(by_no[no], page=v))
                page_map[v] = (ex.file, ex.sha256, no)
    a.parts = [{"file": ex.file, "sha256": ex.sha256, "pages": list(nos)} for ex, nos in src]
    a.text += "\n" + b.text
    a.seals.extend(b.seals)
    a.fields = {}
    try:
        _extract(a, pages, _hint_names(a.nominee), page_map)
    except Exception as exc:  # a page we cannot read must not stop the audit
        a.fields["_error"] = Fact(None, f"{type(exc).__name__}: {exc}")


def extract_facts(item: EvidenceItem, pages: list[Page]) -> None:
    """Fill ``item.fields`` with the facts of its kind read from ``pages``."""
    _extract(item, pages, _hint_names(item.nominee))


def _extract(item: EvidenceItem, pages: list[Page], hints: Sequence[str],
             page_map: Optional[dict] = None) -> None:
    if item.kind in (PHOTO,):
        return
    doc = Doc(pages, item.file, item.sha256, hints, page_map)
    if not doc.toks:
        item.fields["blank"] = Fact(True, "")
        return
    fn = _EXTRACTORS.get(item.kind)
    if fn is not None:
        fn(doc, item.fields)
    else:
        _title_only(doc, item.fields)


def _put(fields: dict, key: str, fact: Optional[Fact]) -> None:
    if fact is not None and not (fact.value is None and not fact.raw):
        fields.setdefault(key, fact)


def _title_only(doc: Doc, f: dict) -> None:
    tt = doc.pages[0].title_toks if doc.pages else []
    if tt:
        big = max(tt, key=lambda t: t.em)
        row = doc.rows[doc.row_index(big)]
        toks = [t for t in row if t in tt]
        _put(f, "title", doc.fact_toks("".join(clean(t.raw) for t in toks), toks, " ".join(t.raw for t in toks)))


# ---------------------------------------------------------------------------------------
# patent certificates

def _x_patent(doc: Doc, f: dict) -> None:
    K = "patent_certificate"
    cfg = config()["kinds"][K]
    got = labelled(doc, K, "number", accept=lambda s: (find_patent_numbers(fix_check_char(s)) or [None])[0])
    if got:
        pn, v = got
        f["number"] = doc.fact_toks(pn.normalized, v.toks, pn.raw)
    else:
        for t in doc.toks:
            ps = [p for p in find_patent_numbers(t.text) if len(p.body) == 12 or p.granted]
            if ps:
                pn = ps[0]
                f["number"] = doc.fact_toks(pn.normalized, [t], pn.raw)
                break
    if "number" in f:
        pn = find_patent_numbers(fix_check_char(f["number"].raw))[0]
        f["ptype_digit"] = Fact(pn.type_name, f["number"].raw, list(f["number"].spans), f["number"].confidence)
    # type from the title
    types = cfg.get("types", {})
    zone = [t for p in doc.pages for t in p.title_toks]
    for scope in (zone, doc.toks):
        hit = None
        for t in scope:
            for w, ty in types.items():
                if _n(w) + "专利" in t.text or _n(w) + "证书" in t.text or (scope is zone and _n(w) in t.text):
                    hit = (ty, t)
                    break
            if hit:
                break
        if hit:
            f["ptype_title"] = doc.fact_toks(hit[0], [hit[1]], hit[1].raw)
            break
    got = labelled(doc, K, "title", accept=p_text(1, 120), multiline=True)
    if got:
        f["title"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    got = labelled(doc, K, "inventors", accept=p_text(2, 200), multiline=True)
    if got:
        names = split_names(got[1].raw, doc.hint_names)
        if not names:
            names = split_names(got[0], doc.hint_names)
        f["inventors"] = doc.fact_toks(names, got[1].toks, got[1].raw)
    got = labelled(doc, K, "patentee", accept=p_text(2, 120), multiline=True)
    if got:
        f["patentee"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    for key in ("filed", "granted"):
        got = labelled(doc, K, key, accept=p_date)
        if got:
            f[key] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    got = labelled(doc, K, "cert_no", accept=p_cert_no)
    if got:
        f["cert_no"] = doc.fact_toks(re.sub(r"\s", "", got[0]), got[1].toks, got[1].raw)


def fix_check_char(s: str) -> str:
    """A patent number after its label, letters read for digits made digits: the check
    character after the dot (``.B`` → ``.8``), and a whole number that OCR mangled
    (``2L2011ZTTlbb38.1`` → ``ZL201127716638.1``); the prefix ZL/CN and a final X stay."""
    t = unicodedata.normalize("NFKC", s or "")
    t = re.sub(r"(?<=\d[.·])([OoDQIlSBZbgT|])(?![A-Za-z0-9])", lambda m: m.group(1).translate(_DIGITISH), t)
    m = re.match(r"\s*(ZL|Z1|2L|21|CN)?\s*([0-9OoDQIl|SBZbgT][0-9OoDQIl|SBZbgT\s]{7,14})([.·]?\s*[0-9Xx×OoIlSBZbgT]?)", t)
    if m and sum(ch.isdigit() for ch in m.group(2)) >= 5:
        pre = "ZL" if m.group(1) in ("ZL", "Z1", "2L", "21") else (m.group(1) or "")
        tail = m.group(3)
        tail = tail if re.search(r"[Xx×]", tail) else tail.translate(_DIGITISH)
        t = pre + m.group(2).translate(_DIGITISH) + tail + t[m.end():]
    return t


def p_cert_no(s: str) -> Optional[str]:
    """A certificate number written 第1234567号 (letters read for digits made digits)."""
    t = unicodedata.normalize("NFKC", s or "").replace(" ", "")
    m = re.search(r"第?([0-9OoDQIl|SBZbgT]{4,12})号?", t)
    if m and sum(ch.isdigit() for ch in m.group(1)) >= 2:
        return m.group(1).translate(_DIGITISH)
    m = re.search(r"(\d[\d\s]{3,})", digits_only_keep(s))
    return m.group(1) if m else None


def digits_only_keep(s: str) -> str:
    """Digits of a certificate number written 第1234567号 (OCR letters made digits)."""
    t = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"(?<=[0-9])[OoIlSBZ]|[OoIlSBZ](?=[0-9])", lambda m: m.group(0).translate(_DIGITISH), t)


# ---------------------------------------------------------------------------------------
# skill certificates

def _x_skill(doc: Doc, f: dict) -> None:
    K = "skill_certificate"
    got = labelled(doc, K, "holder", accept=p_name(doc.hint_names))
    if got:
        f["holder"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    got = labelled(doc, K, "gender", accept=lambda s: (re.match(r"[(（]?([男女])", s) or [None, None])[1])
    if got:
        f["gender"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    got = labelled(doc, K, "id_number", accept=p_id)
    if got:
        f["id_number"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        for t in doc.toks:
            v = p_id(t.text)
            if v:
                f["id_number"] = doc.fact_toks(v, [t], t.raw)
                break
    got = labelled(doc, K, "occupation", accept=lambda s: None if normalize_level(s) and len(s) <= 12 and
                   not re.search(r"工$|员$|师$", s.replace("技师", "")) else p_text(2, 30)(s))
    if got:
        f["occupation"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    # a level word inside the title (职业资格证书（技师）) is no label; a label alone on its line
    # is one even where the certificate prints its fields as large as a title
    got = labelled(doc, K, "level", accept=p_level,
                   skip=lambda h: h.tok in doc.pages[0].title_toks and not h.colon and len(h.tok.text) > 4)
    if got:
        f["level"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
        f["level_raw"] = doc.fact_toks(got[1].text, got[1].toks, got[1].raw)
    else:
        zone = set(t.i for p in doc.pages for t in p.title_toks)
        for t in doc.toks:
            if (t.i in zone and len(t.text) > 4) or len(t.text) > 16:
                continue
            lv = normalize_level(t.text)
            if lv and re.search(r"技师|级|高级工|中级工|初级工", t.text):
                f["level"] = doc.fact_toks(lv, [t], t.raw)
                f["level_raw"] = doc.fact_toks(t.text, [t], t.raw)
                break
    got = labelled(doc, K, "number", accept=p_skill_number)
    if got:
        f["number"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        for t in doc.toks:
            m = re.search(r"(?<![0-9A-Za-z])([YS]\d{21}|\d{16})(?![0-9Xx])", t.text)
            if m:
                f["number"] = doc.fact_toks(m.group(1), [t], t.raw)
                break
    if "number" in f:
        sc = parse_skill_cert_number(f["number"].value)
        if sc is not None and sc.level_name:
            f["number_level"] = Fact(sc.level_name, f["number"].raw, list(f["number"].spans), f["number"].confidence)
    got = labelled(doc, K, "issuer", accept=p_org, multiline=False)
    if got:
        f["issuer"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    got = labelled(doc, K, "date", accept=p_date)
    if got:
        f["date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)


# ---------------------------------------------------------------------------------------
# certificates: honors, competition awards, innovation awards

def _holder(doc: Doc, kind: str) -> Optional[Fact]:
    got = labelled(doc, kind, "holder", accept=p_name(doc.hint_names))
    if got:
        return doc.fact_toks(got[0], got[1].toks, got[1].raw)
    return _name_in_text(doc)


def _name_in_text(doc: Doc, text_range: Optional[tuple[int, int]] = None) -> Optional[Fact]:
    text = doc.ctext
    lo, hi = text_range or (0, len(text))
    best = None
    for rx in _phrases("holder"):
        for m in rx.finditer(text, lo, hi):
            chunk = doc.text[m.start("name"):m.end("name")]
            nm = name_before(chunk, doc.hint_names) if "同志" in rx.pattern else (
                name_prefix(chunk, doc.hint_names) or name_before(chunk, doc.hint_names))
            if not nm:
                continue
            a = m.start("name") + chunk.rfind(nm) if chunk.rfind(nm) >= 0 else m.start("name")
            if best is None or a < best[0]:
                best = (a, nm)
            break
        if best is not None:
            break
    if best is None:
        return None
    a, nm = best
    return doc.fact(nm, a, a + len(nm))


def _issuers(doc: Doc, kind: Optional[str] = None) -> Optional[tuple[list[str], list[Tok]]]:
    """The issuer(s) at the foot of a certificate or letter: the lines just above (or beside)
    the date of issue, organisations first."""
    if kind:
        got = labelled(doc, kind, "issuer", accept=p_org)
        if got:
            return [got[0]], got[1].toks
    ld = _last_date_tok(doc)
    cands: list[Tok] = []
    if ld is not None:
        _, dt, draw = ld
        h = dt.h
        for t in doc.toks:
            if t.page != dt.page or t is dt:
                continue
            if t.y1 <= dt.y0 + 0.3 * h and dt.y0 - t.y1 <= 3.6 * h:
                cands.append(t)
        # issuer glued to the date on one line
        ds = find_dates(fix_date_digits(dt.ctext))
        head = clean(dt.raw_slice(0, ds[0].start)) if ds else ""
        if len(head) >= 4 and is_org(head):
            return split_orgs(head), [dt]
        row = doc.rows[doc.row_index(dt)]
        cands.extend(t for t in row if t is not dt)
    else:
        cands = doc.bottom_zone(0.3)

    def ok(t: Tok) -> bool:
        s = t.text
        if len(s) < 3 or re.search(r"[。！!]$|此证|鼓励|同志|[:：]|No\.|编号|证书号|\d{4,}", s):
            return False
        if find_dates(t.ctext):
            return False
        return True

    cands = [t for t in cands if ok(t)]
    if not cands:
        return None
    orgs = [t for t in cands if is_org(t.text)]
    use = orgs or cands
    # the lines nearest above the date; several side by side or stacked
    use.sort(key=lambda t: (-(t.y1), t.x0))
    bottom = use[0]
    group = [t for t in use if abs(t.cy - bottom.cy) < 0.6 * bottom.h]
    if not orgs:
        group = group[:1]
    # stacked issuers (two lines above each other, both organisations)
    above = [t for t in orgs if t not in group and bottom.y0 - t.y1 < 1.6 * bottom.h and t.y1 <= bottom.y0 + 2]
    group = sorted(above, key=lambda t: t.y0) + sorted(group, key=lambda t: t.x0)
    return [o for t in group for o in (split_orgs(clean(t.raw)) if is_org(t.text) else [clean(t.raw)])], group


def _x_cert_common(doc: Doc, f: dict, kind: str) -> None:
    _put(f, "holder", _holder(doc, kind))
    iss = _issuers(doc, kind)
    if iss:
        names, toks = iss
        f["issuer"] = doc.fact_toks(" ".join(names), toks, " ".join(t.raw for t in toks))
        f["issuers"] = doc.fact_toks(names, toks, " ".join(t.raw for t in toks))
    got = labelled(doc, kind, "date", accept=p_date)
    if got:
        f["date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        ld = _last_date_tok(doc)
        if ld:
            f["date"] = doc.fact_toks(ld[0], [ld[1]], ld[2])
    got = labelled(doc, kind, "number", accept=lambda s: (re.search(r"[A-Za-z0-9][A-Za-z0-9\-/〔〕\[\]()]{3,}", s)
                                                          or [None])[0])
    if got:
        f["number"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)


def _x_honor(doc: Doc, f: dict) -> None:
    K = "honor_certificate"
    _x_cert_common(doc, f, K)
    got = labelled(doc, K, "title", accept=p_text(2, 40))
    if got:
        f["title"] = doc.fact_toks(got[0].strip("“”\""), got[1].toks, got[1].raw)
        return
    for rx in _phrases("honor_title"):
        m = rx.search(doc.ctext)
        if m:
            t = doc.clean(m.start("title"), m.end("title")).strip("“”\"「」 ")
            t = re.sub(r"^(?:(?:19|20)\d{2}年度?)", "", t)
            if len(t) >= 2:
                f["title"] = doc.fact(t, m.start("title"), m.end("title"))
                return


def _rank_in(s: str) -> Optional[re.Match]:
    return re.search(_rank_re(), s)


def _x_competition(doc: Doc, f: dict) -> None:
    K = "competition_award"
    _x_cert_common(doc, f, K)
    got = labelled(doc, K, "competition", accept=p_text(2, 80), multiline=True)
    if got:
        f["competition"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        for rx in _phrases("competition"):
            m = rx.search(doc.ctext)
            if m:
                f["competition"] = doc.fact(doc.clean(m.start("competition"), m.end("competition")), m.start("competition"), m.end("competition"))
                break
    got = labelled(doc, K, "rank", accept=lambda s: (_rank_in(s) or [None])[0])
    if got:
        f["rank"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        m = re.compile(_rank_re()).search(doc.ctext)
        if m:
            f["rank"] = doc.fact(m.group(0), m.start(), m.end())
    if "rank" in f:
        f["title"] = Fact(f["rank"].value, f["rank"].raw, list(f["rank"].spans), f["rank"].confidence)


def _x_innovation(doc: Doc, f: dict) -> None:
    K = "innovation_award"
    _x_cert_common(doc, f, K)
    got = labelled(doc, K, "project", accept=p_text(2, 80), multiline=True)
    if got:
        f["project"] = doc.fact_toks(got[0].strip("《》“”\""), got[1].toks, got[1].raw)
    else:
        for rx in _phrases("project"):
            m = rx.search(doc.ctext)
            if m:
                f["project"] = doc.fact(doc.clean(m.start("project"), m.end("project")), m.start("project"), m.end("project"))
                break
    got = labelled(doc, K, "rank", accept=lambda s: s if _rank_in(s) else None)
    if got:
        m = _rank_in(got[0])
        f["rank"] = doc.fact_toks(m.group(0), got[1].toks, got[1].raw)
        f["title"] = doc.fact_toks(got[0].strip("。，, "), got[1].toks, got[1].raw)
        return
    for rx in _phrases("award_title"):
        m = rx.search(doc.ctext)
        if m:
            award = doc.clean(m.start("award"), m.end("award")) if m.group("award") else ""
            award = re.sub(r"^(?:项目|成果)?(?:荣获|获得|获|被评为|评为)", "", award)
            award = re.sub(r"^(?:(?:19|20)\d{2}年度?)", "", award)
            f["rank"] = doc.fact(m.group("rank"), m.start("rank"), m.end("rank"))
            f["title"] = doc.fact(award + m.group("rank"), m.start("award") if award else m.start("rank"),
                                  m.end("rank"))
            return
    m = re.compile(_rank_re()).search(doc.ctext)
    if m:
        f["rank"] = doc.fact(m.group(0), m.start(), m.end())
        f["title"] = doc.fact(m.group(0), m.start(), m.end())


# ---------------------------------------------------------------------------------------
# benefit statements

_CAPS_RE = re.compile(r"(?:人民币|RMB)?[:：]?\s*[零〇壹壶贰叁肆伍陆柒捌玖拾佰仟万萬亿億元圆角分整正]{2,}")
_FIG_RE = re.compile(r"(?:[¥￥]|RMB|人民币)?\s*(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?\s*(?:亿元|万元|千元|元|万)?")


def _column_below(doc: Doc, header_words: Sequence[str]) -> Optional[tuple[str, Tok, Tok]]:
    """A table cell under a header cell (a one-row table of figures)."""
    words = sorted({canon(_n(w)) for w in header_words}, key=len, reverse=True)
    for t in doc.toks:
        if not any(t.ctext.startswith(w) for w in words):
            continue
        row = doc.rows[doc.row_index(t)]
        if len(row) < 2:
            continue
        ri = doc.row_index(t)
        for r2 in doc.rows[ri + 1:ri + 3]:
            for u in r2:
                if u.page == t.page and u.x0 < t.x1 + 0.5 * t.h and u.x1 > t.x0 - 0.5 * t.h and \
                        abs(u.cx - t.cx) < max(t.x1 - t.x0, u.x1 - u.x0):
                    # a cell wrapped over lines: the lines right under it in the same column
                    text, last = u.text, u
                    for r3 in doc.rows[doc.row_index(u) + 1:doc.row_index(u) + 4]:
                        nxt = next((w for w in r3 if w.page == u.page and 0 <= w.y0 - last.y1 < 0.6 * last.h
                                    and abs(w.cx - u.cx) < (u.x1 - u.x0) / 2 + last.h), None)
                        if nxt is None:
                            if r3[0].page != u.page or min(w.y0 for w in r3) - last.y1 > 0.6 * last.h:
                                break
                            continue
                        text += nxt.text
                        last = nxt
                    return text, t, u
    return None


def _amount_after(doc: Doc, words: Sequence[str], start: int = 0
                  ) -> Optional[tuple[Decimal, int, int, Optional[Decimal], int, int, str]]:
    """After a keyword (创效, 节约资金 …): the first amount in figures in the same clause,
    and the amount in capitals that follows it. Returns (万元, a, b, caps 万元, ca, cb, unit)."""
    text = doc.ctext
    rx = re.compile("|".join(re.escape(canon(_n(w))) for w in sorted(words, key=len, reverse=True)))
    for m in rx.finditer(text, start):
        seg_end = len(text)
        stop = re.compile(r"[；;。\n]")
        s = stop.search(text, m.end())
        if s:
            seg_end = s.start()
            # a bracket left open at a line break: the clause goes on (…元（大写：⏎人民币…）)
            if text[seg_end] == "\n" and text[m.end():seg_end].count("(") > text[m.end():seg_end].count(")"):
                s2 = stop.search(text, seg_end + 1)
                seg_end = s2.start() if s2 else len(text)
        seg = text[m.end():seg_end]
        # a header cell such as 创效(元) is not an amount
        if re.match(r"\s*[(（]\s*(?:万元|元)\s*[)）]", seg) and not re.search(r"\d", seg[:12]):
            continue
        fm = None
        for cand in _FIG_RE.finditer(seg):
            if re.search(r"\d", cand.group(0)) and not re.match(r"\s*(?:19|20)\d{2}\s*年", seg[cand.start():cand.end() + 2]):
                fm = cand
                break
        fig = None
        a = b = -1
        if fm:
            raw = fm.group(0).strip()
            unit = "万元" if re.search(r"万", raw) or re.match(r"\s*万", seg[fm.end():]) else "元"
            v = parse_amount(raw + ("万元" if unit == "万元" and "万" not in raw else ""), unit_hint="万元")
            if v is not None:
                fig = v
                a, b = m.end() + fm.start(), m.end() + fm.end()
        caps = None
        ca = cb = -1
        cm = None
        search_from = (b - m.end()) if fig is not None else 0
        for c in _CAPS_RE.finditer(seg, max(0, search_from)):
            if re.search(r"[元圆角分]", c.group(0)) and re.search(r"[壹壶贰叁肆伍陆柒捌玖]", c.group(0)):
                cm = c
                break
        if cm:
            v = capitals_to_decimal(cm.group(0))
            if v is not None:
                caps = to_wanyuan(v)
                ca, cb = m.end() + cm.start(), m.end() + cm.end()
        if fig is None and caps is None:
            continue
        return fig if fig is not None else None, a, b, caps, ca, cb, m.group(0)
    return None


def _x_benefit(doc: Doc, f: dict) -> None:
    K = "benefit_statement"
    cfg = config()["kinds"][K]
    kw = cfg["keywords"]
    # person(s)
    got = labelled(doc, K, "person", accept=p_name(doc.hint_names))
    if got:
        f["person"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
        f["persons"] = doc.fact_toks([got[0]], got[1].toks, got[1].raw)
    else:
        nf = _name_in_text(doc)
        if nf is not None:
            # co-workers listed before the name: 张三、李四同志
            text = doc.text
            a = text.find(nf.value)
            names = [nf.value]
            while a > 1 and text[a - 1] == "、":
                prev = name_before(text[max(0, a - 6):a - 1], doc.hint_names)
                if not prev:
                    break
                names.insert(0, prev)
                a = a - 1 - len(prev)
            f["person"] = doc.fact("、".join(names), a, a + len("、".join(names)))
            f["persons"] = Fact(names, f["person"].raw, list(f["person"].spans), f["person"].confidence)
    # project
    got = labelled(doc, K, "project", accept=p_text(2, 80), below=True)
    col = _column_below(doc, field_labels(K, "project"))
    if col:
        f["project"] = doc.fact_toks(col[0].strip("《》“”\""), [col[2]], col[2].raw)
    elif got and not re.fullmatch(r"年度|创效.*|节资.*", got[0]):
        f["project"] = doc.fact_toks(got[0].strip("《》“”\""), got[1].toks, got[1].raw)
    else:
        for rx in _phrases("project"):
            m = rx.search(doc.ctext)
            if m:
                f["project"] = doc.fact(doc.clean(m.start("project"), m.end("project")), m.start("project"), m.end("project"))
                break
    # amounts
    for key in ("created", "saved"):
        words = kw[key]
        col = _column_below(doc, words)
        res = _amount_after(doc, words)
        if col is not None:
            _cell_text, ht, cell = col
            unit = "万元" if "万" in ht.text else "元"
            v = parse_amount(cell.text, unit_hint=unit)
            if v is not None:
                v = v if unit == "万元" else to_wanyuan(v)
                if v != 0:
                    f[key] = doc.fact_toks(v, [cell], cell.raw)
                    f[f"{key}_raw"] = doc.fact_toks(cell.text + unit, [ht, cell], f"{ht.raw} {cell.raw}")
        if res is not None:
            fig, a, b, caps, ca, cb, _w = res
            if fig is not None and key not in f:
                f[key] = doc.fact(fig, a, b)
                f[f"{key}_raw"] = doc.fact(doc.clean(a, b), a, b)
            if caps is not None:
                f[f"{key}_capitals"] = doc.fact(caps, ca, cb)
                f[f"{key}_capitals_raw"] = doc.fact(doc.clean(ca, cb), ca, cb)
        if key in f and f"{key}_capitals" not in f:
            # capitals on their own line: 创效金额（大写）：…
            for t in doc.toks:
                if "大写" in t.text and any(_n(w) in t.text for w in words):
                    cm = _CAPS_RE.search(t.text.split("大写", 1)[1])
                    if cm:
                        v = capitals_to_decimal(cm.group(0))
                        if v is not None:
                            f[f"{key}_capitals"] = doc.fact_toks(to_wanyuan(v), [t], t.raw)
                            f[f"{key}_capitals_raw"] = doc.fact_toks(cm.group(0).lstrip(":："), [t], t.raw)
                            break
    # year
    col = _column_below(doc, field_labels(K, "year"))
    if col and re.fullmatch(r"(?:19|20)\d{2}\s*年?度?", col[0]):
        f["year"] = doc.fact_toks(int(col[0][:4]), [col[2]], col[2].raw)
    else:
        ld = _last_date_tok(doc)
        date_toks = {ld[1].i} if ld else set()
        for rx in _phrases("benefit_year"):
            for m in rx.finditer(doc.ctext):
                toks = doc.toks_in(m.start(), m.end())
                if any(t.i in date_toks for t in toks):
                    continue
                f["year"] = doc.fact(int(m.group("year")), m.start("year"), m.end("year"))
                break
            if "year" in f:
                break
    _benefit_years(doc, f, cfg)
    # issuer and date
    ld = _last_date_tok(doc)
    if ld:
        got = labelled(doc, K, "date", accept=p_date)
        if got:
            f["date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
        else:
            f["date"] = doc.fact_toks(ld[0], [ld[1]], ld[2])
    else:
        ys = [f["year"].value] if "year" in f else [r["year"] for r in (f["by_year"].value if "by_year" in f else [])]
        if ys:
            got = _damaged_date(doc, range(max(ys), max(ys) + 2))
            if got:
                f["date"] = got
    iss = _issuers(doc, K)
    if iss:
        names, toks = iss
        names = [n for n in names if not re.search(r"负责人|会计|经办人|审核", n)]
        if names:
            f["issuer"] = doc.fact_toks(" ".join(names), toks, " ".join(t.raw for t in toks))
    if "issuer" not in f:
        tt = doc.pages[0].title_toks
        for t in tt:
            if is_org(t.text):
                f["issuer"] = doc.fact_toks(clean(t.raw), [t], t.raw)
                break
    if "year" not in f and "by_year" not in f and "date" in f and isinstance(f["date"].value, date):
        d = f["date"]
        f["year"] = Fact(d.value.year, d.raw, list(d.spans), d.confidence)


def _benefit_years(doc: Doc, f: dict, cfg: dict) -> None:
    """A statement that gives its amounts year by year in a table (年度 | 创效 | 节资, one row
    a year): ``by_year`` lists ``{year, created, saved}`` (万元) and the single-year fields
    ``year``/``created``/``saved`` are dropped, so nothing is counted for the wrong year."""
    cols = {"year": field_labels("benefit_statement", "year"), "created": cfg["keywords"]["created"],
            "saved": cfg["keywords"]["saved"]}
    hdr = _header_row(doc, cols, ("year",))
    if not hdr or not ({"created", "saved"} & set(hdr[1])):
        return
    ri, header = hdr
    rows = []
    spans: list[Span] = []
    for r in _table_rows(doc, ri, header, "year"):
        ytxt = "".join(t.text for t in r["year"])
        m = re.match(r"((?:19|20)\d{2})", ytxt)
        if not m:
            continue
        row: dict[str, Any] = {"year": int(m.group(1))}
        for key in ("created", "saved"):
            if key in r:
                unit = "万元" if "万" in header[key].text else "元"
                v = parse_amount("".join(t.text for t in r[key]), unit_hint=unit)
                if v is not None:
                    row[key] = v if unit == "万元" else to_wanyuan(v)
        rows.append(row)
        spans.extend(doc.spans([t for v in r.values() for t in v]))
    if len(rows) >= 2:
        f["by_year"] = Fact(rows, f"{len(rows)} years", spans)
        for key in ("year", "created", "saved", "created_raw", "saved_raw"):
            f.pop(key, None)


# ---------------------------------------------------------------------------------------
# apprentice agreements

def _x_apprentice(doc: Doc, f: dict) -> None:
    K = "apprentice_agreement"
    sig = [_n(x) for x in config()["signature_labels"]]

    def not_sig(h: Hit) -> bool:
        after = h.tok.text[h.end:h.end + 6]
        return any(after.startswith("(" + s) or after.startswith(s) for s in sig)

    for key in ("master", "apprentice"):
        got = labelled(doc, K, key, accept=p_name(doc.hint_names if key == "master" else ()), skip=not_sig)
        if got:
            f[key] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    # period
    got = None
    for hit in find_labels(doc, field_labels(K, "period")):
        a = doc.ctext.find(hit.tok.ctext)
        rngs = find_date_ranges(doc.ctext[a:a + 200]) if a >= 0 else []
        if rngs:
            r = rngs[0]
            got = (r, a + r.pos[0], a + r.pos[1])
            break
    if got is None:
        rngs = find_date_ranges(doc.ctext)
        if rngs:
            r = rngs[0]
            got = (r, r.pos[0], r.pos[1])
    if got:
        r, a, b = got
        f["start"] = doc.fact(r.start, a, b, r.raw)
        f["end"] = doc.fact(r.end, a, b, r.raw)
    got = labelled(doc, K, "sign_date", accept=p_date)
    if got:
        f["sign_date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        ld = _last_date_tok(doc)
        period_toks = {(s.page, s.box) for s in f["start"].spans} if "start" in f else set()
        if ld and (ld[1].page, ld[1].box) not in period_toks:
            f["sign_date"] = doc.fact_toks(ld[0], [ld[1]], ld[2])
    # signatures: 甲方（签字）：张三
    slots = []
    for t in doc.toks:
        for m in re.finditer(r"(?:签字|签名|签章)[)）]?[:：]?", t.text):
            rest = t.text[m.end():]
            # the handwritten name, maybe read together with a seal's edge (本金鑫周心伟)
            nm = (name_prefix(rest) or name_before(rest)) if rest else None
            who = [t]
            if not nm:
                row = doc.rows[doc.row_index(t)]
                k = row.index(t)
                # the handwritten name: next token on the row, or just below/above it
                for u in row[k + 1:k + 2]:
                    if u.x0 - t.x1 < 8 * t.h and not re.search(r"签字|签名|[:：]", u.text):
                        nm = name_prefix(u.text) or name_before(u.text)
                        if nm:
                            who.append(u)
                if not nm:
                    for u in doc.toks:
                        if u.page == t.page and u is not t and abs(u.cy - t.cy) < 1.2 * t.h and \
                                0 <= u.x0 - t.x1 < 8 * t.h and not re.search(r"签字|签名|[:：]", u.text):
                            nm = name_prefix(u.text) or name_before(u.text)
                            if nm:
                                who.append(u)
                                break
            slots.append((nm, who))
    if slots:
        signed = all(nm for nm, _ in slots)
        toks = [t for _, w in slots for t in w]
        f["signed"] = doc.fact_toks(signed, toks, " / ".join(f"{w[0].raw}{'' if not nm else ' ' + nm}" for nm, w in slots))
        f["signatures"] = doc.fact_toks([nm for nm, _ in slots], toks, f["signed"].raw)
    # unit
    got = labelled(doc, K, "unit", accept=lambda s: None if re.match(r"[(（]?(?:盖章|公章|签章)", s) else p_org(s),
                   skip=lambda h: bool(re.match(r"[(（](?:盖章|公章|签章)", h.tok.text[h.end:])))
    if got:
        f["unit"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        for rx in _phrases("unit_in_text"):
            m = rx.search(doc.ctext)
            if m and is_org(m.group("unit")):
                f["unit"] = doc.fact(doc.clean(m.start("unit"), m.end("unit")), m.start("unit"), m.end("unit"))
                break


# ---------------------------------------------------------------------------------------
# tables: training lists and catalogs

def _header_row(doc: Doc, columns: dict, need: Sequence[str], page: Optional[int] = None
                ) -> Optional[tuple[int, dict[str, Tok]]]:
    """The first row that holds the headers ``need`` (and any other known columns)."""
    words = {k: sorted({canon(_n(w)) for w in v}, key=len, reverse=True) for k, v in columns.items()}
    for ri, row in enumerate(doc.rows):
        if page is not None and row[0].page != page:
            continue
        found: dict[str, Tok] = {}
        for t in row:
            for k, ws in words.items():
                if k in found:
                    continue
                if any(t.ctext == w or ((t.ctext.startswith(w) or (len(w) >= 2 and t.ctext.endswith(w)))
                                        and len(t.ctext) <= len(w) + 4) for w in ws):
                    found[k] = t
                    break
        if all(k in found for k in need) and len(found) >= 2:
            return ri, found
    return None


def _table_rows(doc: Doc, ri: int, header: dict[str, Tok], anchor: str, stop_page: bool = False,
                continue_pages: bool = True, extra: Optional[tuple[str, str]] = None
                ) -> list[dict[str, list[Tok]]]:
    """Rows under a header row: tokens assigned to the nearest header column, one row per
    token of the ``anchor`` column (wrapped cells join the row they sit in). ``extra``
    = (column, confirming column): a row whose anchor cell OCR missed still counts when it
    has cells in both of these at one height, away from every anchor."""
    cols = sorted(header.items(), key=lambda kv: kv[1].cx)
    centers = [(k, t.cx) for k, t in cols]
    bounds = []
    for i, (k, c) in enumerate(centers):
        lo = (centers[i - 1][1] + c) / 2 if i else -math.inf
        hi = (c + centers[i + 1][1]) / 2 if i + 1 < len(centers) else math.inf
        bounds.append((k, lo, hi))

    def by_center(t: Tok) -> Optional[str]:
        for k, lo, hi in bounds:
            if lo <= t.cx < hi:
                return k
        return None

    assigned: dict[int, str] = {}

    def col_of(t: Tok) -> Optional[str]:
        return assigned.get(t.i) or by_center(t)

    hdr_page = doc.rows[ri][0].page
    body: list[Tok] = []
    last_y = doc.rows[ri][0].y1
    hh = max(t.h for t in header.values())
    cur_page = hdr_page
    for r in doc.rows[ri + 1:]:
        pg = r[0].page
        if pg != cur_page:
            if not continue_pages:
                break
            cur_page = pg
            last_y = -math.inf
        y = min(t.y0 for t in r)
        if last_y != -math.inf and y - last_y > 4.5 * hh and body:
            if stop_page:
                break
            # a gap: the table ended on this page (signature block below)
            last_y = math.inf
            continue
        if last_y == math.inf:
            continue
        # a repeated header row on a continuation page
        if sum(1 for t in r if any(t.text.startswith(_n(w)) for w in (header[k].text for k in header))) >= 2:
            continue
        body.extend(r)
        last_y = max(t.y1 for t in r)
    assigned.update(_assign_columns(header, body))
    anchors = [t for t in body if col_of(t) == anchor]
    if extra and extra[0] in header and extra[1] in header and anchor != extra[0]:
        confirm = [t for t in body if col_of(t) == extra[1]]
        for t in body:
            if col_of(t) != extra[0]:
                continue
            if any(a.page == t.page and abs(doc.level(a) - doc.level(t)) < 0.7 * max(a.h, t.h) for a in anchors):
                continue

            def nearer_to_t(c: Tok) -> bool:   # the confirming cell belongs to this line, not an anchor's
                d = abs(doc.level(c) - doc.level(t))
                return all(a.page != c.page or d < abs(doc.level(a) - doc.level(c)) for a in anchors)
            if any(c.page == t.page and abs(doc.level(c) - doc.level(t)) < 0.5 * max(c.h, t.h) and nearer_to_t(c)
                   for c in confirm):
                anchors.append(t)
        anchors.sort(key=lambda t: (t.page, doc.level(t)))
    out: list[dict[str, list[Tok]]] = []
    for a in anchors:
        out.append({anchor: [a]})
    if not out:
        return out
    for t in body:
        k = col_of(t)
        if k is None or k == anchor and any(t is r[anchor][0] for r in out):
            continue
        best = min(range(len(out)), key=lambda i: (out[i][anchor][0].page != t.page,
                                                    abs(doc.level(out[i][anchor][0]) - doc.level(t))))
        a = out[best][anchor][0]
        if a.page != t.page or abs(doc.level(a) - doc.level(t)) > 1.6 * max(a.h, t.h) + 10:
            continue
        out[best].setdefault(k, []).append(t)
    for r in out:
        for k in r:
            r[k].sort(key=lambda t: (t.y0, t.x0))
    return out


def _is_numeric(s: str) -> bool:
    return bool(re.fullmatch(r"[0-9OoIlSBZ.\-—~至、/]{1,9}", s))


def _assign_columns(header: dict[str, Tok], body: list[Tok]) -> dict[int, str]:
    """Column of each body token. Cells are centred under their header or aligned on the
    column's left edge: tokens that cover a header's centre show how the column is aligned,
    and the others follow the same alignment (a short left-aligned title whose centre lies
    nearer another header still lines up with the titles above it)."""
    out: dict[int, str] = {}
    members: dict[str, list[Tok]] = {k: [] for k in header}
    for t in body:
        hits = [k for k, h in header.items() if t.x0 - 0.3 * t.h <= h.cx <= t.x1 + 0.3 * t.h]
        if len(hits) == 1:
            members[hits[0]].append(t)
            out[t.i] = hits[0]
    lefts: dict[str, float] = {}
    centers: dict[str, float] = {}
    for k, ms in members.items():
        if len(ms) >= 2:
            x0s = sorted(t.x0 for t in ms)
            med = x0s[len(x0s) // 2]
            hm = statistics.median(t.h for t in ms)
            if sum(1 for x in x0s if abs(x - med) < 0.6 * hm) >= 0.6 * len(x0s):
                lefts[k] = med
            centers[k] = statistics.median(t.cx for t in ms)
    # a column of numbers (序号, 页码) or of text, as its placed cells show
    numeric = {k: sum(_is_numeric(t.text) for t in ms) > len(ms) / 2 for k, ms in members.items() if ms}
    # within a row, cells keep the order of the headers: a token between two placed ones
    # goes to a column between theirs
    order = [k for k, _ in sorted(header.items(), key=lambda kv: kv[1].cx)]
    rows: list[list[Tok]] = []
    for t in sorted(body, key=lambda t: (t.page, t.cy)):
        if rows and rows[-1][-1].page == t.page and abs(rows[-1][-1].cy - t.cy) < 0.5 * max(t.h, rows[-1][-1].h):
            rows[-1].append(t)
        else:
            rows.append([t])
    for r in rows:
        r.sort(key=lambda t: t.x0)
        for j, t in enumerate(r):
            if t.i in out:
                continue
            lo = max((order.index(out[u.i]) for u in r[:j] if u.i in out), default=-1)
            hi = min((order.index(out[u.i]) for u in r[j + 1:] if u.i in out), default=len(order))
            allowed = order[lo + 1:hi]
            if len(allowed) == 1:
                out[t.i] = allowed[0]
            elif allowed:
                num = _is_numeric(t.text)
                out[t.i] = min(allowed, key=lambda k: (numeric.get(k, num) != num,
                                                       0 if k in lefts and abs(t.x0 - lefts[k]) < 0.8 * t.h else 1,
                                                       abs(t.cx - header[k].cx)))
    for t in body:
        if t.i in out:
            continue
        best = None
        for k, x in lefts.items():
            d = abs(t.x0 - x)
            if d < 0.8 * t.h and (best is None or d < best[0]):
                best = (d, k)
        if best is None:
            for k, x in centers.items():
                d = abs(t.cx - x)
                if d < 1.0 * t.h and (best is None or d < best[0]):
                    best = (d, k)
        if best is not None:
            out[t.i] = best[1]
    return out


def _x_training(doc: Doc, f: dict) -> None:
    K = "training_list"
    cols = config()["kinds"][K]["columns"]
    hdr = _header_row(doc, cols, ("name",))
    rows_out: list[dict] = []
    spans: list[Span] = []
    if hdr:
        ri, header = hdr
        anchor = "name"
        for r in _table_rows(doc, ri, header, anchor):
            name_t = r["name"][0]
            nm = name_prefix(name_t.text)
            if not nm:
                continue
            row: dict[str, Any] = {"name": nm}
            toks = [name_t]
            if "level" in r:
                lt = "".join(t.text for t in r["level"])
                row["level"] = normalize_level(lt)
                row["level_raw"] = lt
                toks += r["level"]
            if "date" in r:
                dt = "".join(t.text for t in r["date"])
                row["date"] = p_date(dt)
                row["date_raw"] = dt
                toks += r["date"]
            if "honor" in r:
                ht = "".join(clean(t.raw) for t in r["honor"])
                if ht and ht not in ("无", "/", "—", "-"):
                    row["honor"] = ht
                toks += r["honor"]
            rows_out.append(row)
            sp = doc.spans(toks)
            spans.extend(sp)
            row["spans"] = sp
        if rows_out:
            f["rows"] = Fact([{k: v for k, v in r.items() if k != "spans"} for r in rows_out],
                             f"{len(rows_out)} rows", spans,
                             min((s.confidence for s in spans if s.confidence is not None), default=None))
            f["row_spans"] = Fact([r["spans"] for r in rows_out], "", spans)
    got = labelled(doc, K, "unit", accept=p_org)
    if got:
        f["unit"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        iss = _issuers(doc)
        if iss and is_org(iss[0][0]):
            f["unit"] = doc.fact_toks(iss[0][0], iss[1][:1], iss[1][0].raw)
    ld = _last_date_tok(doc)
    if ld:
        in_rows = {(s.page, s.box) for r in rows_out for s in r.get("spans", [])}
        if (ld[1].page, ld[1].box) not in in_rows:
            f["date"] = doc.fact_toks(ld[0], [ld[1]], ld[2])


def _numeric_cell(s: str) -> str:
    """A cell of a numbers column (页码, 序号): letters OCR reads for digits made digits."""
    if re.fullmatch(r"[0-9OoDQIl|SBZbgT]{1,4}(?:[-—~至－–][0-9OoDQIl|SBZbgT]{1,4})?", s):
        return s.translate(_DIGITISH)
    return s


def _x_catalog(doc: Doc, f: dict) -> None:
    K = "catalog"
    cols = config()["kinds"][K]["columns"]
    hdr = _header_row(doc, cols, ("title",))
    if not hdr:
        return
    ri, header = hdr
    anchor = "seq" if "seq" in header else ("page" if "page" in header else "title")
    items = []
    spans: list[Span] = []
    for r in _table_rows(doc, ri, header, anchor, extra=("title", "page")):
        title = "".join(clean(t.raw) for t in r.get("title", []))
        page = _numeric_cell("".join(t.text for t in r.get("page", [])))
        seq = _numeric_cell("".join(t.text for t in r.get("seq", [])))
        if not title:
            continue
        page = re.sub(r"[—~至－–]", "-", page)
        m = re.match(r"(\d+)(?:-(\d+))?", page)
        item = {"seq": int(seq) if seq.isdigit() else None, "title": title, "page": page,
                "first": int(m.group(1)) if m else None,
                "last": int(m.group(2) or m.group(1)) if m else None}
        items.append(item)
        spans.extend(doc.spans([t for v in r.values() for t in v]))
    if items:
        f["items"] = Fact(items, f"{len(items)} items", spans)


# ---------------------------------------------------------------------------------------
# media clippings

def _find_outlet(doc: Doc) -> Optional[tuple[str, list[Tok]]]:
    """The outlet: a known name in the masthead (the large text at the top) or after
    来源：, else a large top line that reads like an outlet's name."""
    known = _known_outlets()
    top: list[Tok] = []
    for p in doc.pages[:1]:
        ts = [t for r in p.rows for t in r]
        if not ts:
            continue
        y0 = min(t.y0 for t in ts)
        y1 = max(t.y1 for t in ts)
        top = [t for t in ts if t.cy <= y0 + 0.3 * (y1 - y0)]
        top.sort(key=lambda t: (-t.em, t.y0))
    for t in top[:6]:
        for nm, _lv in known:
            if nm in t.ctext and len(t.text) <= len(nm) + 8:
                return nm, [t]
    for t in top[:3]:                 # a known outlet with one character misread (沐梁晚报)
        for nm, _lv in known:
            if len(nm) >= 4 and len(t.text) == len(nm) and sum(a != b for a, b in zip(t.text, nm)) == 1 \
                    and t.em >= 1.4 * doc.pages[0].hmed:
                return nm, [t]
    got = labelled(doc, "media_clipping", "outlet", accept=p_text(2, 30))
    if got:
        val = _cut_at_labels(got[0], ["发布时间", "发布日期", "时间", "日期", "作者", "编辑"])
        val = re.split(r"发布时间|发布日期|时间|作者|编辑", val)[0]
        if val:
            return val, got[1].toks
    orx = re.compile(config()["media"]["outlet_re"])
    for t in top[:4]:
        m = orx.fullmatch(t.text)
        if m and t.em >= 1.4 * doc.pages[0].hmed:
            return t.text, [t]
    return None


def _x_media(doc: Doc, f: dict) -> None:
    K = "media_clipping"
    o = _find_outlet(doc)
    if o:
        nm, toks = o
        f["outlet"] = doc.fact_toks(nm, toks, toks[0].raw)
        lv = media_level(nm)
        if lv:
            f["level"] = doc.fact_toks(lv, toks, toks[0].raw)
    # date: labelled, else the first date near the top
    got = labelled(doc, K, "date", accept=p_date)
    if got:
        f["date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        ds = _dates_in(doc)
        if ds:
            first_page = min(d[1].page for d in ds)
            d = min((d for d in ds if d[1].page == first_page), key=lambda d: (d[1].y0, d[1].x0))
            f["date"] = doc.fact_toks(d[0], [d[1]], d[2])
    # headline: the largest lines under the masthead
    info = doc.pages[0]
    mast = set(t.i for t in (o[1] if o else []))
    ts = [t for r in info.rows for t in r]
    cands = [t for t in ts if t.i not in mast and len(t.text) >= 4 and not find_dates(t.text)
             and not re.search(r"记者|通讯员|来源|发布时间|^文/|^图/|第\d+版|星期", t.text)
             and t.em >= 1.25 * info.hmed]
    if o:
        my = max(t.y1 for t in o[1])
        cands = [t for t in cands if t.y0 >= my - 2]
    if cands:
        hmax = max(t.em for t in cands)
        big = [t for t in cands if t.em >= 0.8 * hmax]
        big.sort(key=lambda t: (t.y0, t.x0))
        first = big[0]
        group = [first]
        for t in big[1:]:
            if t.y0 - group[-1].y1 <= 1.2 * first.em and abs(t.em - first.em) <= 0.25 * first.em:
                group.append(t)
            else:
                break
        group.sort(key=lambda t: (doc.row_index(t), t.x0))
        f["headline"] = doc.fact_toks("".join(clean(t.raw) for t in group), group, "".join(t.raw for t in group))
    # the person: the nominee when named, else the name said most often
    text = doc.text
    for h in doc.hint_names:
        k = text.find(h)
        if k >= 0:
            f["person"] = doc.fact(h, k, k + len(h))
            break
    if "person" not in f:
        doc._headline = f["headline"].value if "headline" in f else ""  # type: ignore[attr-defined]
        nf = _most_named(doc)
        if nf:
            f["person"] = nf


def _most_named(doc: Doc) -> Optional[Fact]:
    text = doc.text
    reporters = set()
    for m in re.finditer(rf"(?:记者|通讯员|编辑|文/|图/|摄影|作者)[:：]?\s*([{CJK}]{{2,3}})", text):
        reporters.add(m.group(1))
        reporters.add(m.group(1)[:2])
    counts: dict[str, list[int]] = {}
    for i in range(len(text) - 1):
        if not _is_surname_start(text[i:i + 2]):
            continue
        for n in (2, 3):
            s = text[i:i + n]
            if len(s) == n and valid_name(s) and s not in reporters and re.fullmatch(rf"[{CJK}]+", s):
                counts.setdefault(s, []).append(i)
    if not counts:
        return None
    headline = doc._headline if hasattr(doc, "_headline") else ""
    best = None
    for s, pos in counts.items():
        c = len(pos)
        if c < 2:
            continue
        # a 2-character name inside a more frequent 3-character one is that name's prefix
        longer = [x for x in counts if len(x) == 3 and x.startswith(s) and len(counts[x]) >= max(2, c / 2)]
        if len(s) == 2 and longer:
            continue
        score = c + (0.5 if len(s) == 3 else 0) + (1 if s in headline else 0)
        if re.search(re.escape(s) + r"(?:说|介绍|表示|同志|师傅|告诉)", text):
            score += 1.5
        prevs = {text[i - 1] for i in pos if i > 0}
        if len(prevs) == 1 and re.match(rf"[{CJK}]", next(iter(prevs))) and c >= 2:
            score -= 1.5          # always after the same character: part of a longer word
        if best is None or score > best[0]:
            best = (score, s, pos[0])
    if best is None:
        return None
    _, s, a = best
    return doc.fact(s, a, a + len(s))


# ---------------------------------------------------------------------------------------
# standards, work methods, operating procedures

def standard_number(s: str) -> str:
    """A standard's number in the usual spelling: ``JB/T 12345-2019``, ``DB41/T 1288-2019``,
    ``GB 1234-2008``, ``Q/KF123.4-2019`` (enterprise numbers as written, spaces removed)."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or "")).replace("—", "-")
    if t.startswith("Q/"):
        return t
    m = re.match(r"([A-Z]+(?:\d+(?=/))?(?:/[A-Z])?)(\d.*)$", t)
    return f"{m.group(1)} {m.group(2)}" if m else t


def _x_standard(doc: Doc, f: dict) -> None:
    K = "standard_doc"
    cfg = config()["kinds"][K]
    info = doc.pages[0]
    text = doc.text
    nrx = re.compile(cfg["number_re"])
    heading_re = re.compile(r"(?:行业|企业|国家|地方|团体)标准$")
    # digits of a standard's number read as letters: JB/T 1g0g-2016
    text = re.sub(r"(?<=/[A-Z])(\s*)([0-9OoDQIl|SBZbgT.]{3,})(\s*[-—]\s*)([0-9OoDQIl|SBZbgT]{4})",
                  lambda m: m.group(1) + m.group(2).translate(_DIGITISH) + m.group(3) + m.group(4).translate(_DIGITISH),
                  text)
    # number
    got = labelled(doc, K, "number", accept=p_text(3, 40))
    num_tok = None
    m = nrx.search(text)
    if m:
        f["number"] = doc.fact(standard_number(m.group(0)), m.start(), m.end(), doc.raw_range(m.start(), m.end()))
        num_tok = doc.toks_in(m.start(), m.end())
    elif got:
        f["number"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
        num_tok = got[1].toks
    # title: the largest text that is not the heading, the code or the number
    ts = [t for r in info.rows for t in r]
    top_y = min((t.y0 for t in ts), default=0.0)
    bot_y = max((t.y1 for t in ts), default=1.0)
    skip = set(t.i for t in (num_tok or []))
    cands = [t for t in ts if t.i not in skip and len(t.text) >= 4 and not heading_re.search(t.text)
             and not re.fullmatch(r"[A-Z/ .0-9\-]+", t.text) and not re.search(r"^ICS|发布$|实施$|^[—\-]{1,3}", t.text)
             and not find_dates(t.ctext) and ":" not in t.text and "：" not in t.text
             and not re.search(r"[〇零一二三四五六七八九十\d]年|年[〇零一二三四五六七八九十\d]{1,2}月", t.ctext)
             and t.em >= 1.3 * info.hmed and not is_org(t.text) and t.cy <= top_y + 0.65 * (bot_y - top_y)]
    if cands:
        hmax = max(t.em for t in cands)
        big = sorted([t for t in cands if t.em >= 0.85 * hmax], key=lambda t: (t.y0, t.x0))
        group = [big[0]]
        for t in big[1:]:
            if t.y0 - group[-1].y1 <= 1.0 * group[0].h:
                group.append(t)
            else:
                break
        f["title"] = doc.fact_toks("".join(clean(t.raw) for t in group), group, "".join(t.raw for t in group))
    # kind
    heading = [t for t in ts if heading_re.search(t.text)]
    title = f["title"].value if "title" in f else ""
    ntitle = _n(title)
    for rule in cfg["kinds_by_word"]:          # the heading (行业标准), then the title
        w = _n(rule["word"])
        if rule["where"] == "heading":
            hit = next((t for t in heading if w in t.text), None)
            if hit:
                f["kind"] = doc.fact_toks(rule["kind"], [hit], hit.raw)
                break
        elif w in ntitle:
            f["kind"] = Fact(rule["kind"], title, list(f["title"].spans))
            break
    if "kind" not in f:                        # then a subtitle (——张三工作法)
        for rule in cfg["kinds_by_word"]:
            w = _n(rule["word"])
            hit = next((t for t in ts if w in t.text and len(t.text) <= 30), None)
            if hit:
                f["kind"] = doc.fact_toks(rule["kind"], [hit], hit.raw)
                break
    if "kind" not in f and "number" in f:
        nv = str(f["number"].value)
        if nv.startswith("Q"):
            f["kind"] = Fact("企业标准", f["number"].raw, list(f["number"].spans))
        elif "/" in nv:
            f["kind"] = Fact("行业标准", f["number"].raw, list(f["number"].spans))
    # author
    got = labelled(doc, K, "author", accept=p_text(2, 60))
    if got:
        f["author"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    else:
        m = re.search(rf"[—\-]{{1,3}}\s*(?P<a>[{CJK}]{{2,4}}?)(?:工作法|操作法|先进操作法|创新工作法)", text)
        if m and valid_name(m.group("a")):
            f["author"] = doc.fact(m.group("a"), m.start("a"), m.end("a"))
    # adoption (a stamped note: the unit applies it)
    ad_words = [_n(w) for w in cfg["adoption_cues"]]
    ad_tok = next((t for t in doc.toks if any(w in t.text for w in ad_words)), None)
    f["adoption"] = doc.fact_toks(ad_tok is not None, [ad_tok] if ad_tok else [], ad_tok.raw if ad_tok else "")
    ad_date_tok = None
    if ad_tok is not None:
        below = [t for t in doc.toks if t.page == ad_tok.page and t.y0 >= ad_tok.y0 - 2]
        below.sort(key=lambda t: (t.y0, t.x0))
        org = next((t for t in below if is_org(t.text) and not any(w in t.text for w in ad_words)), None)
        if org is not None:
            f["adoption_unit"] = doc.fact_toks(clean(org.raw), [org], org.raw)
        dd = next(((d, t) for t in below for d in [p_date(t.text)] if d and not re.search(r"发布|实施", t.text)), None)
        if dd:
            ad_date_tok = dd[1]
            f["adoption_date"] = doc.fact_toks(dd[0], [dd[1]], dd[1].raw)
    # date: 发布 date, else a labelled date, else the first date not in the adoption note
    m = re.search(r"(?P<d>(?:19|20)\d{2}\s*[-.年/]\s*\d{1,2}\s*[-.月/]\s*\d{1,2}\s*日?)\s*发布", text)
    if m:
        d = p_date(m.group("d"))
        if d:
            f["date"] = doc.fact(d, m.start("d"), m.end("d"))
    if "date" not in f:
        got = labelled(doc, K, "date", accept=p_date)
        if got:
            f["date"] = doc.fact_toks(got[0], got[1].toks, got[1].raw)
    if "date" not in f:
        for d, t, raw in _dates_in(doc):
            if ad_date_tok is not None and t is ad_date_tok:
                continue
            if ad_tok is not None and t.page == ad_tok.page and t.y0 > ad_tok.y0:
                continue
            f["date"] = doc.fact_toks(d, [t], raw)
            break


_EXTRACTORS: dict[str, Callable[[Doc, dict], None]] = {
    "patent_certificate": _x_patent,
    "skill_certificate": _x_skill,
    "honor_certificate": _x_honor,
    "competition_award": _x_competition,
    "innovation_award": _x_innovation,
    "benefit_statement": _x_benefit,
    "apprentice_agreement": _x_apprentice,
    "training_list": _x_training,
    "media_clipping": _x_media,
    "standard_doc": _x_standard,
    "catalog": _x_catalog,
}
