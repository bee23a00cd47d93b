"""X06: deeds and main-achievement texts copied between nominees (§六(四)).

Texts are compared by character shingles (letters, digits and CJK only, so punctuation and
line breaks do not matter). Shingles that many nominees' texts share (the notice's wording,
the phrases every unit writes) and shingles made of the profile's template phrases carry no
weight. Shingles are hashed to 64-bit integers with numpy, all positions of a text at once.
Candidates are the pairs of texts that share a few *sampled* useful shingles (a content-defined
sample, the hash divisible by ``texts.sample_every``, looked up in an inverted index), so a
paragraph copied into a longer text is caught (containment). Only candidate pairs are then
measured exactly on their shingles: never all pairs.

MinHash LSH Ensemble (datasketch) was used before and dropped: a 120-character piece is
contained at 0.6 in a 1 500-character text at a Jaccard of about 0.04, where the LSH can only
use one-row bands, so about 30 % of all pairs came back as candidates (bench/cross.py, 300
nominees), and indexing every text into every band setting cost seconds per thousand texts.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import numpy as np

from audit.model import AuditContext, Fact, Finding, Severity, Span
from rules.registry import rule

LOW_CONF = 0.85
KEEP_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
LABEL = {"deeds": "事迹材料", "achievements": "审批表“主要业绩”"}


@dataclass
class Text:
    nominee: str                 # nominee key
    name: str
    unit: str
    what: str                    # deeds | achievements
    fact: Fact
    raw: str
    norm: str = ""
    pos: Any = None              # index in raw of each character of norm (numpy array)
    hashes: Any = None           # 64-bit hash of the shingle starting at each position of norm
    useful: Any = None           # the shingle carries weight (not common, not template)

    _keys: Optional[set] = None

    @property
    def key_set(self) -> set[int]:
        if self._keys is None:
            self._keys = set(self.hashes[self.useful].tolist())
        return self._keys


def _keep(cp: np.ndarray) -> np.ndarray:
    return (((cp >= 48) & (cp <= 57)) | ((cp >= 65) & (cp <= 90)) | ((cp >= 97) & (cp <= 122))
            | ((cp >= 0x3400) & (cp <= 0x9FFF)))


def normalise(raw: str) -> tuple[str, np.ndarray]:
    """Letters (upper-cased), digits and CJK of ``raw``, and the index in ``raw`` of each."""
    cp = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
    pos = np.nonzero(_keep(cp))[0]
    return "".join(KEEP_RE.findall(raw)).upper(), pos


def shingle_hashes(norm: str, k: int) -> np.ndarray:
    """A 64-bit hash of each ``k``-character shingle of ``norm`` (polynomial over the code
    points, then a murmur finaliser), computed for all positions at once."""
    cp = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(cp) - k + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    mul = np.uint64(1000003)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * mul + cp[j:j + m]
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xC4CEB9FE1A85EC53)
        h ^= h >> np.uint64(33)
    return h


def texts_of(ctx: AuditContext) -> list[Text]:
    out: list[Text] = []
    for n in ctx.nominees:
        cands: list[tuple[str, Optional[Fact]]] = [("deeds", n.deeds_text)]
        if n.form is not None:
            cands.append(("achievements", n.form.fields.get("achievements")))
        for what, f in cands:
            if f is None or f.value in (None, ""):
                continue
            raw = str(f.value)
            norm, pos = normalise(raw)
            out.append(Text(n.key, n.name, n.unit, what, f, raw, norm, pos))
    return out


def template_mask(norm: str, phrases: list[str]) -> np.ndarray:
    """True for each character inside an occurrence of a template phrase."""
    mask = np.zeros(len(norm), dtype=bool)
    for p in phrases:
        start = norm.find(p)
        while start >= 0:
            mask[start:start + len(p)] = True
            start = norm.find(p, start + 1)
    return mask


def prepare(ctx: AuditContext, texts: list[Text], k: int) -> None:
    """Shingle every text and mark the shingles that carry weight."""
    phrases = [p for p in (normalise(str(x))[0] for x in ctx.profile.get("texts.template_phrases", []) or [])
               if len(p) >= 2]
    share = float(ctx.profile.get("texts.common_share", 0.2))
    min_noms = int(ctx.profile.get("texts.common_min_nominees", 4))
    n_noms = len({t.nominee for t in texts})
    limit = max(min_noms, math.ceil(share * n_noms))
    per_nominee: dict[str, list[np.ndarray]] = {}
    for t in texts:
        t.hashes = shingle_hashes(t.norm, k)
        per_nominee.setdefault(t.nominee, []).append(t.hashes)
    # in how many nominees' texts each shingle occurs: the shingles in ``limit`` or more are common
    uniq, cnt = np.unique(np.concatenate([np.unique(np.concatenate(hs)) for hs in per_nominee.values()]),
                          return_counts=True)
    common = uniq[cnt >= limit]
    del uniq, cnt
    for t in texts:
        c = np.concatenate([[0], np.cumsum(template_mask(t.norm, phrases), dtype=np.int64)])
        useful = (c[k:] - c[:-k]) * 2 < k
        if len(common):
            i = np.minimum(np.searchsorted(common, t.hashes), len(common) - 1)
            useful &= common[i] != t.hashes
        t.useful = useful


def candidates(ctx: AuditContext, texts: list[Text], k: int) -> set[tuple[int, int]]:
    """Pairs of text indices (i < j, different nominees) that share at least
    ``texts.candidate_min_shared`` sampled useful shingles: never all pairs.

    The sample is content-defined (a shingle is sampled when its hash is divisible by
    ``texts.sample_every``), so a passage copied from one text into another brings the same
    sampled shingles along wherever it sits (containment: a paragraph copied into a longer
    text counts as much as a whole text copied). A sampled shingle in more than
    ``texts.max_posting`` texts is common wording and pairs nobody."""
    every = max(1, int(ctx.profile.get("texts.sample_every", 4)))
    min_shared = max(1, int(ctx.profile.get("texts.candidate_min_shared", 4)))
    cap = int(ctx.profile.get("texts.max_posting", 16))
    hs, ids = [], []
    for i, t in enumerate(texts):
        h = t.hashes[t.useful]
        h = np.unique(h[h % np.uint64(every) == 0])
        hs.append(h)
        ids.append(np.full(len(h), i, dtype=np.int64))
    if not hs:
        return set()
    all_h, all_i = np.concatenate(hs), np.concatenate(ids)
    order = np.argsort(all_h, kind="stable")
    all_h, all_i = all_h[order], all_i[order]
    starts = np.flatnonzero(np.r_[True, all_h[1:] != all_h[:-1]])
    sizes = np.diff(np.r_[starts, len(all_h)])
    sel = (sizes >= 2) & (sizes <= cap)
    nom = [t.nominee for t in texts]
    shared: Counter = Counter()
    for st, sz in zip(starts[sel].tolist(), sizes[sel].tolist()):
        mem = all_i[st:st + sz].tolist()
        for x in range(sz):
            a = mem[x]
            for b in mem[x + 1:]:
                if nom[a] != nom[b]:
                    shared[(a, b) if a < b else (b, a)] += 1
    return {p for p, c in shared.items() if c >= min_shared}


@dataclass
class Passage:
    start: int                   # in the shorter text's norm
    end: int
    copied: int                  # characters covered by shared shingles


def passages(a: Text, b_set: set[int], k: int) -> list[Passage]:
    """Stretches of ``a`` whose every shingle is shared with ``b`` or carries no weight, with
    at least one shared shingle; ``copied`` counts the characters the shared ones cover."""
    out: list[Passage] = []
    cur: Optional[list] = None   # [start, end, covered set]

    def close():
        if cur is not None and cur[2]:
            out.append(Passage(min(cur[2]), max(cur[2]) + 1, len(cur[2])))

    useful = a.useful.tolist()
    for i, s in enumerate(a.hashes.tolist()):
        shared = useful[i] and s in b_set
        if useful[i] and not shared:
            close()
            cur = None
            continue
        if cur is None:
            cur = [i, i + k, set()]
        cur[1] = i + k
        if shared:
            cur[2].update(range(i, i + k))
    close()
    return out


def excerpt(t: Text, p: Passage, n: int = 40) -> str:
    """The passage as written (from its first whole sentence where it starts mid-sentence)."""
    a = int(t.pos[p.start])
    b = int(t.pos[min(p.end, len(t.pos)) - 1]) + 1
    m = re.search(r"[。！？；!?;\n]", t.raw[a:a + 20])
    if m and a + m.end() < b - n:
        a += m.end()
    s = re.sub(r"\s+", " ", t.raw[a:b]).strip()
    s = re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", s)     # no spaces between CJK characters
    return s if len(s) <= n else s[:n] + "……"


@rule("X06", Severity.MEDIUM, title="不同人选的事迹材料或主要业绩大段雷同", clause="§六(四)")
def copied_texts(ctx: AuditContext) -> Iterator[Finding]:
    """Deeds or main-achievement texts of different nominees are largely the same text.

    What it checks: the deeds (事迹材料) and the approval form's 主要业绩 of every nominee,
    as character shingles (``texts.shingle_chars``; punctuation and spaces dropped).
    Shingles in many nominees' texts (``texts.common_share`` of them, at least
    ``texts.common_min_nominees``) or made of the notice's template phrases
    (``texts.template_phrases``: 工匠精神, 爱岗敬业, 精益求精 …) carry no weight. Candidate
    pairs share at least ``texts.candidate_min_shared`` sampled useful shingles (those whose
    hash is divisible by ``texts.sample_every``; a sampled shingle in more than
    ``texts.max_posting`` texts pairs nobody), so a paragraph copied into a longer text is
    found (containment) and never all pairs are compared; each candidate pair is measured exactly: the passages of the shorter text made only of
    shingles shared with the other (or of no weight). A finding when one passage copies at
    least ``texts.min_passage_chars`` characters, or passages of at least
    ``texts.min_run_chars`` copy ``texts.min_share`` of the shorter text in all. The finding
    names both nominees, quotes the longest shared passage and gives the copied share.

    Why: §六(四) — the deeds must be the nominee's own; a passage copied from another
    nominee's deeds tells of achievements that may not be theirs.

    Example finding: “张三”的事迹材料与“李四”的事迹材料有大段文字相同：最长相同段落约 236 字（“2019年，单位承担的空分装置检修任务遇到……”），相同部分占较短文本的 21%。

    Known false positives: two nominees of one team describing the same joint project in
    the words of one press release; a unit that wrote all its nominees' texts from one draft.

    Profile settings used: texts.shingle_chars, texts.sample_every, texts.candidate_min_shared,
    texts.max_posting, texts.common_share, texts.common_min_nominees,
    texts.template_phrases, texts.min_run_chars, texts.min_passage_chars, texts.min_share.
    """
    k = int(ctx.profile.get("texts.shingle_chars", 8))
    min_run = int(ctx.profile.get("texts.min_run_chars", 30))
    min_passage = int(ctx.profile.get("texts.min_passage_chars", 100))
    min_share = float(ctx.profile.get("texts.min_share", 0.3))
    texts = [t for t in texts_of(ctx) if len(t.norm) >= k]
    if len({t.nominee for t in texts}) < 2:
        return
    prepare(ctx, texts, k)
    for i, j in sorted(candidates(ctx, texts, k)):
        a, b = texts[i], texts[j]
        short, long_ = (a, b) if len(a.norm) <= len(b.norm) else (b, a)
        # cheap necessary condition first (set intersection in C): enough shared shingles for
        # one long passage or for the share
        need = min(min_passage - k + 1, min_share * len(short.norm) * (min_run - k + 1) / min_run)
        if len(short.key_set & long_.key_set) < need:
            continue
        ps = [p for p in passages(short, long_.key_set, k) if p.copied >= min_run]
        if not ps:
            continue
        best = max(ps, key=lambda p: p.copied)
        share = sum(p.copied for p in ps) / max(1, len(short.norm))
        if best.copied < min_passage and share < min_share:
            continue
        quote = excerpt(short, best)
        confs = [t.fact.confidence for t in (a, b) if t.fact.confidence is not None]
        conf = min(confs) if confs else None
        sev = Severity.MEDIUM
        msg = (f"“{a.name}”的{LABEL[a.what]}与“{b.name}”的{LABEL[b.what]}有大段文字相同："
               f"最长相同段落约 {best.copied} 字（“{quote}”），相同部分占较短文本（{short.name}，"
               f"{len(short.norm)} 字）的 {share:.0%}。事迹和业绩材料应如实反映本人业绩，请核实由谁撰写、"
               "所述业绩属于谁，并要求抄用的一方重写或说明。")
        if conf is not None and conf < LOW_CONF:
            sev = Severity.LOW
            msg += f"（文字识别置信度较低 {conf:.2f}，请核对原文。）"
        ev: list[Span] = []
        for t in (a, b):
            for s in t.fact.spans[:1] or [Span(file="")]:
                ev.append(Span(file=s.file, page=s.page, box=s.box, sha256=s.sha256, confidence=s.confidence,
                               text=excerpt(t, best) if t is short else quote))
        ev = [s for s in ev if s.file]
        units = {a.unit, b.unit}
        pair = sorted([(a.nominee, a.what), (b.nominee, b.what)])
        yield Finding(
            code="X06", severity=sev, unit=units.pop() if len(units) == 1 else None,
            nominees=[a.name, b.name], message=msg,
            found={"texts": [f"{a.name}:{a.what}", f"{b.name}:{b.what}"], "longest_passage_chars": best.copied,
                   "copied_share": round(share, 3), "shorter_chars": len(short.norm), "excerpt": quote},
            confidence=conf, key="|".join(f"{n}:{w}" for n, w in pair), evidence=ev)
