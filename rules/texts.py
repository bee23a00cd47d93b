"""X06: deeds and main-achievement texts copied between nominees (§六(四)).

Texts are compared by character shingles (letters, digits and CJK only, so punctuation and
line breaks do not matter). Shingles that many nominees' texts share (the notice's wording,
the phrases every unit writes) and shingles made of the profile's template phrases carry no
weight. Candidates are found with MinHash LSH Ensemble (containment, so a paragraph copied
into a longer text is caught): every text is indexed, and every piece of every text (about
``texts.chunk_chars`` characters) asks which texts contain it. Only candidate pairs are then
measured exactly on their shingles: never all pairs.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Optional

from audit.model import AuditContext, Fact, Finding, Severity, Span
from rules.registry import rule

LOW_CONF = 0.85
KEEP_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
SENT_RE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;\n]*")
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
    pos: list[int] = field(default_factory=list)      # index in raw of each character of norm
    shingles: list[str] = field(default_factory=list)  # shingle starting at each position of norm
    useful: list[bool] = field(default_factory=list)   # the shingle carries weight (not common, not template)

    _keys: Optional[set] = None

    @property
    def key_set(self) -> set[str]:
        if self._keys is None:
            self._keys = {s for s, u in zip(self.shingles, self.useful) if u}
        return self._keys


def normalise(raw: str) -> tuple[str, list[int]]:
    chars, pos = [], []
    for i, c in enumerate(raw):
        if KEEP_RE.match(c):
            chars.append(c.upper())
            pos.append(i)
    return "".join(chars), pos


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


def template_mask(norm: str, phrases: list[str]) -> list[bool]:
    """True for each character inside an occurrence of a template phrase."""
    mask = [False] * len(norm)
    for ph in phrases:
        p, _ = normalise(str(ph))
        if len(p) < 2:
            continue
        start = norm.find(p)
        while start >= 0:
            for i in range(start, start + len(p)):
                mask[i] = True
            start = norm.find(p, start + 1)
    return mask


def prepare(ctx: AuditContext, texts: list[Text], k: int) -> None:
    """Shingle every text and mark the shingles that carry weight."""
    phrases = [str(p) for p in ctx.profile.get("texts.template_phrases", []) or []]
    share = float(ctx.profile.get("texts.common_share", 0.2))
    min_noms = int(ctx.profile.get("texts.common_min_nominees", 4))
    n_noms = len({t.nominee for t in texts})
    limit = max(min_noms, math.ceil(share * n_noms))
    per_nominee: dict[str, set[str]] = {}
    for t in texts:
        t.shingles = [t.norm[i:i + k] for i in range(len(t.norm) - k + 1)]
        per_nominee.setdefault(t.nominee, set()).update(t.shingles)
    df: Counter = Counter()          # in how many nominees' texts each shingle occurs
    for shs in per_nominee.values():
        df.update(shs)
    for t in texts:
        mask = template_mask(t.norm, phrases)
        t.useful = [df[s] < limit and sum(mask[i:i + k]) * 2 < k for i, s in enumerate(t.shingles)]


def pieces(t: Text, size: int, k: int) -> list[set[str]]:
    """The text cut at sentence ends into pieces of about ``size`` characters: useful shingle sets."""
    bounds = [0]
    at = acc = 0                 # normalised characters so far; in the current piece
    for m in SENT_RE.finditer(t.raw):
        n_here = sum(1 for c in m.group(0) if KEEP_RE.match(c))
        at += n_here
        acc += n_here
        if acc >= size:
            bounds.append(at)
            acc = 0
    if bounds[-1] < len(t.norm):
        bounds.append(len(t.norm))
    out: list[set[str]] = []
    for a, b in zip(bounds, bounds[1:]):
        s = {t.shingles[i] for i in range(a, min(len(t.shingles), max(a + 1, b - k + 1))) if t.useful[i]}
        if s:
            out.append(s)
    return out


def minhashes(sets: list[set[str]], num_perm: int) -> list:
    """MinHash of each shingle set (one set of permutations for all: building them is the cost)."""
    from datasketch import MinHash
    return MinHash.bulk([[x.encode("utf-8") for x in s] for s in sets], num_perm=num_perm)


def candidates(ctx: AuditContext, texts: list[Text], k: int) -> set[tuple[int, int]]:
    """Pairs of text indices (i < j, different nominees) where a piece of one is largely
    contained in the other (LSH Ensemble on MinHash)."""
    from datasketch import MinHashLSHEnsemble
    num_perm = int(ctx.profile.get("texts.num_perm", 128))
    size = int(ctx.profile.get("texts.chunk_chars", 120))
    thr = float(ctx.profile.get("texts.candidate_containment", 0.6))
    sets = [t.key_set for t in texts]
    idx = [i for i, s in enumerate(sets) if s]
    if len(idx) < 2:
        return set()
    hashes = minhashes([sets[i] for i in idx], num_perm)
    lsh = MinHashLSHEnsemble(threshold=thr, num_perm=num_perm, num_part=min(16, len(idx)))
    lsh.index([(i, m, len(sets[i])) for i, m in zip(idx, hashes)])
    queries = [(i, piece) for i in idx for piece in pieces(texts[i], size, k)]
    out: set[tuple[int, int]] = set()
    for (i, piece), m in zip(queries, minhashes([p for _i, p in queries], num_perm)):
        for j in lsh.query(m, len(piece)):
            if j != i and texts[j].nominee != texts[i].nominee:
                out.add((min(i, j), max(i, j)))
    return out


@dataclass
class Passage:
    start: int                   # in the shorter text's norm
    end: int
    copied: int                  # characters covered by shared shingles


def passages(a: Text, b_set: set[str], k: int) -> list[Passage]:
    """Stretches of ``a`` whose every shingle is shared with ``b`` or carries no weight, with
    at least one shared shingle; ``copied`` counts the characters the shared ones cover."""
    out: list[Passage] = []
    cur: Optional[list] = None   # [start, end, covered set]

    def close():
        if cur is not None and cur[2]:
            out.append(Passage(min(cur[2]), max(cur[2]) + 1, len(cur[2])))

    for i, s in enumerate(a.shingles):
        shared = a.useful[i] and s in b_set
        if a.useful[i] and not shared:
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
    a = t.pos[p.start]
    b = t.pos[min(p.end, len(t.pos)) - 1] + 1
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
    (``texts.template_phrases``: 工匠精神, 爱岗敬业, 精益求精 …) carry no weight. MinHash LSH
    Ensemble finds texts that contain a piece of another (containment, never all pairs);
    each candidate pair is measured exactly: the passages of the shorter text made only of
    shingles shared with the other (or of no weight). A finding when one passage copies at
    least ``texts.min_passage_chars`` characters, or passages of at least
    ``texts.min_run_chars`` copy ``texts.min_share`` of the shorter text in all. The finding
    names both nominees, quotes the longest shared passage and gives the copied share.

    Why: §六(四) — the deeds must be the nominee's own; a passage copied from another
    nominee's deeds tells of achievements that may not be theirs.

    Example finding: “张三”的事迹材料与“李四”的事迹材料有大段文字相同：最长相同段落约 236 字（“2019年，单位承担的空分装置检修任务遇到……”），相同部分占较短文本的 21%。

    Known false positives: two nominees of one team describing the same joint project in
    the words of one press release; a unit that wrote all its nominees' texts from one draft.

    Profile settings used: texts.shingle_chars, texts.num_perm, texts.chunk_chars,
    texts.candidate_containment, texts.common_share, texts.common_min_nominees,
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
