"""Evidence pages drawn by the sample renderer: classified right and every fact read back.

Each kind is drawn for many seeds with random facts (``gen.sample``); the renderer's
ground-truth lines stand in for a perfect OCR. ``DOSSIER_EVIDENCE_SEEDS`` sets the number of
seeds per kind (default 16; ``bench/fields.py`` runs more and real OCR).
"""
from __future__ import annotations

import os
import random
import zlib
from collections import Counter
from functools import lru_cache

import pytest

from audit.evidence import classify_page, split_documents
from extractors.base import Extraction, Line, Page
from extractors.ocr import OCR_CONFUSIONS

from .gen import KINDS, OTHER_KINDS, sample

SEEDS = int(os.environ.get("DOSSIER_EVIDENCE_SEEDS", "16"))
LIST_KEYS = {"rows": ("name", "level", "date"), "items": ("title", "page")}


@lru_cache(maxsize=None)
def samples(kind: str, n: int = SEEDS):
    return [sample(kind, s) for s in range(n)]


def _items(page: Page, sm, file: str = "证明材料.pdf"):
    ex = Extraction(file=file, sha256="ab" * 32, media="pdf", pages=[page])
    return split_documents(ex, unit="某工会", nominee=sm.nominee)


def _value(key, fact):
    if fact is None:
        return None
    v = fact.value
    if key in LIST_KEYS and isinstance(v, list):
        return [{k: r.get(k) for k in LIST_KEYS[key]} for r in v]
    return v


def _same(key, want, have) -> bool:
    if key in ("number", "issuer") and isinstance(want, str) and isinstance(have, str):
        return want.replace(" ", "") == have.replace(" ", "")
    return want == have


@pytest.mark.parametrize("kind", KINDS)
def test_every_fact_comes_back(kind):
    bad = []
    for sm in samples(kind):
        items = _items(sm.page, sm)
        assert len(items) == 1
        it = items[0]
        if it.kind != kind:
            bad.append((sm.seed, "kind", kind, it.kind))
            continue
        for key, want in sm.expected.items():
            have = _value(key, it.fields.get(key))
            if not _same(key, want, have):
                bad.append((sm.seed, key, want, have))
    assert not bad, "\n".join(map(repr, bad[:20]))


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_unit_documents_are_recognised(kind):
    for sm in samples(kind, 4):
        got, score = classify_page(sm.page)
        assert got == kind, (sm.seed, got)
        assert 0 < score <= 1


def test_facts_keep_their_spans():
    for kind in KINDS:
        sm = samples(kind)[0]
        it = _items(sm.page, sm)[0]
        assert it.fields, kind
        for key, fact in it.fields.items():
            assert fact.spans, (kind, key)
            for sp in fact.spans:
                assert sp.file == "证明材料.pdf" and sp.page == 1 and sp.sha256 == "ab" * 32
                assert sp.box is not None and len(sp.box) == 4
                assert sp.text
        assert it.id == "abababababab:p1" and it.unit == "某工会" and it.nominee == sm.nominee


def noisy(page: Page, rate: float, seed: int) -> Page:
    """``rate`` of all characters swapped for a typical OCR confusion (chosen among the
    characters that have one)."""
    rng = random.Random(seed)
    total = sum(len(ln.text) for ln in page.lines)
    able = sum(1 for ln in page.lines for ch in ln.text if ch in OCR_CONFUSIONS)
    p = min(1.0, rate * total / able) if able else 0.0
    lines = []
    for ln in page.lines:
        chars = [OCR_CONFUSIONS[c] if c in OCR_CONFUSIONS and rng.random() < p else c for c in ln.text]
        lines.append(Line("".join(chars), ln.box, ln.confidence - 0.05))
    return Page(page.page, page.source, page.engine, lines, page.width, page.height, page.dpi)


def test_three_percent_ocr_confusions():
    """0/O, 1/l, 5/S, 8/B, 年/午, 日/曰, 一/—, 人/入 … in 3 % of the characters: pages are still
    classified, and identifiers, amounts and dates still read (names and free text may not)."""
    kinds = Counter()
    ok = Counter()
    n = Counter()
    for kind in KINDS:
        for sm in samples(kind):
            page = noisy(sm.page, 0.03, zlib.crc32(f"{kind}:{sm.seed}".encode()))
            it = _items(page, sm)[0]
            kinds[it.kind == kind] += 1
            for key, want in sm.expected.items():
                have = _value(key, it.fields.get(key)) if it.kind == kind else None
                group = "ids" if key in ("number", "id_number", "cert_no", "created", "saved", "created_capitals",
                                         "saved_capitals", "year", "level", "number_level") else \
                    "dates" if key in ("date", "filed", "granted", "start", "end", "sign_date") else "other"
                n[group] += 1
                ok[group] += _same(key, want, have)
    assert kinds[True] / sum(kinds.values()) >= 0.98
    assert ok["ids"] / n["ids"] >= 0.95, (ok, n)
    assert ok["dates"] / n["dates"] >= 0.93, (ok, n)
    assert (ok["ids"] + ok["dates"] + ok["other"]) / sum(n.values()) >= 0.92, (ok, n)
