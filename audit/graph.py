"""The evidence graph: nominees, their evidence items, and the keys items share.

Nodes:

- ``n:<folder>``: a nominee (``type="nominee"``, name, unit);
- ``e:<folder>#<i>``: the nominee's i-th evidence item (``type="evidence"``, kind, file, pages);
- ``k:<ktype>:<value>``: a key (``type="key"``, ktype, value). Key types:

  ``file``       the sha256 of a file the item was read from (every part);
  ``page``       the pixel hash of one rendered page with text (``EvidenceItem.page_hashes``);
  ``patent``     a patent certificate's application number (digits and check character);
  ``cert``       the number of an honor, competition, innovation or skill certificate;
  ``apprentice`` an apprentice agreement's apprentice (name without spaces);
  ``statement``  a benefit statement's blocking key (year and amounts; issuer and project are
                 compared by the rule, where OCR may have misread a character);
  ``seal``       the ink hash of a seal impression (``SealInfo.ink_sha256``).

Near-duplicate page images (X02) are not keys: their candidates come from LSH bands of the
pages' perceptual hashes (:meth:`EvidenceGraph.near_page_candidates`), and a confirmed pair is
kept as an item–item edge with ``ktype="near_page"``.

Edges: nominee–item, and item–key with ``locs`` (where on the item the key was seen:
``[file, page]`` pairs, page 0 for the whole file).

Blocking by key only: every item is added once, with the few keys it has, so building is
linear in the number of items, and the groups of one key type are found with a union-find
over the key nodes that qualify (never all pairs). The graph is serialisable (``to_dict``)
and kept on the audit result (``AuditResult.graph``) for later questions ("who else shows
this certificate?").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Hashable, Iterable, Optional

import networkx as nx

from audit.model import AuditContext, EvidenceItem, Nominee

CERT_KINDS = ("honor_certificate", "competition_award", "innovation_award", "skill_certificate")
CERT_NO_RE = re.compile(r"编号[:：]?([A-Za-z]{0,8}\d[0-9A-Za-z\-]{4,30})")
KEY_TYPES = ("file", "page", "patent", "cert", "apprentice", "statement", "seal")


def norm_person(s: Any) -> str:
    return re.sub(r"[\s·•.\-_（）()]", "", str(s or ""))


def norm_text(s: Any) -> str:
    """Letters, digits and CJK only, upper-case (for issuers, projects, numbers)."""
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", str(s or "")).upper()


def norm_patent(v: Any) -> str:
    s = norm_text(v)
    s = re.sub(r"^(ZL|CN)", "", s)
    return s if len(s) >= 8 and s[:8].isdigit() else ""


def norm_cert(v: Any) -> str:
    s = norm_text(v)
    s = re.sub(r"^(编号|证书编号|NO)", "", s)
    return s if len(s) >= 6 and any(c.isdigit() for c in s) else ""


def _amount(v: Any) -> str:
    if v is None:
        return ""
    try:
        d = Decimal(str(v)).quantize(Decimal("0.0001"))
    except Exception:
        return ""
    return "" if d == 0 else format(d.normalize(), "f")


def statement_key(it: EvidenceItem) -> str:
    """The blocking key of a benefit statement: year and amounts (created, saved), or the
    rows of a table of several years; '' when it has no amount."""
    rows = it.value("by_year")
    if isinstance(rows, list) and rows:
        parts = [f"{r.get('year')}:{_amount(r.get('created'))}:{_amount(r.get('saved'))}"
                 for r in rows if isinstance(r, dict)]
        return "T" + ";".join(sorted(parts)) if parts else ""
    year = it.value("year")
    if year is None:
        d = it.value("date")
        year = getattr(d, "year", None)
    created, saved = _amount(it.value("created")), _amount(it.value("saved"))
    if year is None or not (created or saved):
        return ""
    return f"{year}:{created}:{saved}"


def item_keys(it: EvidenceItem) -> list[tuple[str, str, tuple[str, int]]]:
    """``(ktype, value, loc)`` for every key of one item; loc = (file, page) (page 0: whole file)."""
    out: list[tuple[str, str, tuple[str, int]]] = []
    first = (it.file, it.pages[0] if it.pages else 0)
    parts = it.parts or [{"file": it.file, "sha256": it.sha256, "pages": it.pages}]
    for p in parts:
        if p.get("sha256"):
            out.append(("file", p["sha256"], (p["file"], 0)))
    for f, pg, h in it.page_hashes:
        if h:
            out.append(("page", h, (f, int(pg))))
    if it.kind == "patent_certificate":
        v = norm_patent(it.value("number"))
        if v:
            out.append(("patent", v, _fact_loc(it, "number", first)))
    if it.kind in CERT_KINDS:
        v = norm_cert(it.value("number"))
        if v:
            out.append(("cert", v, _fact_loc(it, "number", first)))
        else:   # the number field missed or misread (a year): the 编号 printed in the text
            m = CERT_NO_RE.search(re.sub(r"\s", "", it.text or ""))
            v = norm_cert(m.group(1)) if m else ""
            if v:
                out.append(("cert", v, first))
    if it.kind == "apprentice_agreement":
        v = norm_person(it.value("apprentice"))
        if len(v) >= 2:
            out.append(("apprentice", v, _fact_loc(it, "apprentice", first)))
    if it.kind == "benefit_statement":
        v = statement_key(it)
        if v:
            out.append(("statement", v, first))
    for s in it.seals:
        if s.ink_sha256:
            out.append(("seal", s.ink_sha256, (s.file, int(s.page))))
    return out


def components(nodes: Iterable[Hashable], pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, int]:
    """Node → the index of its connected component, for ``nodes`` joined by ``pairs`` (every
    node of a pair is included). What X01–X05, X02 and the report group shared evidence by."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(pairs)
    return {v: i for i, comp in enumerate(nx.connected_components(g)) for v in comp}


def _fact_loc(it: EvidenceItem, key: str, default: tuple[str, int]) -> tuple[str, int]:
    f = it.fields.get(key)
    if f is not None and f.spans:
        return (f.spans[0].file, int(f.spans[0].page or 0))
    return default


@dataclass
class Group:
    """Items linked by keys of the asked types: all nominees and items involved."""
    keys: list[tuple[str, str]]                 # (ktype, value), sorted
    items: list[tuple[str, EvidenceItem]]       # (nominee key, item), in graph order
    nominees: list[str]                         # nominee keys, sorted
    locs: list[tuple[str, int]] = field(default_factory=list)   # every (file, page) seen, sorted

    def items_of(self, nominee: str) -> list[EvidenceItem]:
        return [it for n, it in self.items if n == nominee]


class EvidenceGraph:
    """See the module docstring."""

    def __init__(self) -> None:
        self.g = nx.Graph()
        self._items: dict[str, EvidenceItem] = {}
        self._keys: dict[str, dict[str, str]] = {t: {} for t in KEY_TYPES}
        self._names: dict[str, str] = {}

    # ---- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, ctx: AuditContext) -> "EvidenceGraph":
        gr = cls()
        for n in ctx.nominees:
            gr.add_nominee(n)
        return gr

    def add_nominee(self, n: Nominee) -> None:
        nid = f"n:{n.key}"
        self.g.add_node(nid, type="nominee", name=n.name, unit=n.unit)
        self._names[n.key] = n.name
        for i, it in enumerate(n.evidence):
            eid = f"e:{n.key}#{i}"
            self._items[eid] = it
            self.g.add_node(eid, type="evidence", kind=it.kind, file=it.file, pages=list(it.pages),
                            nominee=n.key, item=it.id)
            self.g.add_edge(nid, eid)
            for ktype, value, loc in item_keys(it):
                kid = self._keys[ktype].get(value)
                if kid is None:
                    kid = f"k:{ktype}:{value}"
                    self._keys[ktype][value] = kid
                    self.g.add_node(kid, type="key", ktype=ktype, value=value)
                data = self.g.get_edge_data(eid, kid)
                if data is None:
                    self.g.add_edge(eid, kid, locs=[loc])
                elif loc not in data["locs"]:
                    data["locs"].append(loc)

    # ---- questions --------------------------------------------------------------------------
    def name(self, nominee: str) -> str:
        return self._names.get(nominee, nominee)

    def key_nodes(self, ktype: str) -> Iterable[str]:
        return self._keys[ktype].values()

    def _members(self, kid: str) -> list[tuple[str, str, list]]:
        """(evidence node, nominee key, locs) of one key node."""
        out = []
        for eid in self.g.neighbors(kid):
            out.append((eid, self.g.nodes[eid]["nominee"], self.g.edges[eid, kid]["locs"]))
        return out

    def shared(self, ktypes: Iterable[str], min_nominees: int = 2) -> list[Group]:
        """Connected groups of items linked by keys of ``ktypes`` where each linking key is seen
        with at least ``min_nominees`` nominees (cross-nominee reuse: X01 X03 X04 X05 X07)."""
        chosen = []
        for t in ktypes:
            for kid in self._keys[t].values():
                if self.g.degree(kid) < 2:
                    continue
                mem = self._members(kid)
                if len({m[1] for m in mem}) >= min_nominees:
                    chosen.append((kid, mem))
        return self._union(chosen)

    def repeated(self, ktypes: Iterable[str]) -> list[Group]:
        """Groups of one nominee's items linked by keys seen at two or more places of that
        nominee's evidence (a different file path, page, or item): X08. One group per nominee
        and piece of evidence."""
        chosen = []
        for t in ktypes:
            for kid in self._keys[t].values():
                if self.g.degree(kid) < 2:
                    continue
                by_nom: dict[str, list] = {}
                for m in self._members(kid):
                    by_nom.setdefault(m[1], []).append(m)
                for nom, mem in by_nom.items():
                    if len(mem) < 2:
                        continue
                    if t in ("file", "page"):
                        places = {tuple(loc) for m in mem for loc in m[2]}
                        if len(places) < 2:
                            continue
                    chosen.append((kid, mem))
        return self._union(chosen)

    def _union(self, chosen: list[tuple[str, list]]) -> list[Group]:
        comp = components((kid for kid, _ in chosen), ((kid, eid) for kid, mem in chosen for eid, _n, _l in mem))
        groups: dict[int, dict] = {}
        for kid, mem in chosen:
            g = groups.setdefault(comp[kid], {"keys": set(), "items": {}, "locs": set()})
            node = self.g.nodes[kid]
            g["keys"].add((node["ktype"], node["value"]))
            for eid, nom, locs in mem:
                g["items"][eid] = nom
                g["locs"].update(tuple(x) for x in locs)
        order = {eid: i for i, eid in enumerate(self._items)}
        out = []
        for g in groups.values():
            eids = sorted(g["items"], key=order.__getitem__)
            out.append(Group(keys=sorted(g["keys"]), items=[(g["items"][e], self._items[e]) for e in eids],
                             nominees=sorted(set(g["items"].values())), locs=sorted(g["locs"])))
        out.sort(key=lambda gr: (gr.nominees, gr.keys))
        return out

    def near_page_candidates(self, bands: int = 16, max_bucket: int = 200
                             ) -> list[tuple[str, tuple[str, int], str, tuple[str, int]]]:
        """Candidate pairs of near-duplicate pages of different nominees (X02), by LSH over the
        pages' perceptual hashes (``EvidenceItem.page_phashes``): the 256-bit pHash is cut into
        ``bands`` bands and pages that agree exactly on one band are candidates; a band value
        shared by more than ``max_bucket`` pages is common look (a blank form) and gives none.
        Never all pairs: the cost grows with the pages and the few pages per bucket. Returns
        ``(item node, (file, page), item node, (file, page))`` sorted, each pair once."""
        buckets: dict[tuple[int, str], list[tuple[str, str, tuple[str, int]]]] = {}
        for eid, it in self._items.items():
            nom = self.g.nodes[eid]["nominee"]
            for f, pg, ph, _dh in getattr(it, "page_phashes", None) or []:
                if not ph:
                    continue
                w = max(1, len(ph) // bands)
                for b in range(bands):
                    band = ph[b * w:(b + 1) * w]
                    if band:
                        buckets.setdefault((b, band), []).append((eid, nom, (f, int(pg))))
        order = {eid: i for i, eid in enumerate(self._items)}
        pairs: set = set()
        for mem in buckets.values():
            if len(mem) < 2 or len(mem) > max_bucket or len({m[1] for m in mem}) < 2:
                continue
            for i, (ea, na, la) in enumerate(mem):
                for eb, nb, lb in mem[i + 1:]:
                    if na != nb:
                        pairs.add(tuple(sorted(((ea, la), (eb, lb)), key=lambda x: (order[x[0]], x[1]))))
        out = [(a[0], a[1], b[0], b[1]) for a, b in pairs]
        out.sort(key=lambda x: (order[x[0]], x[1], order[x[2]], x[3]))
        return out

    def item(self, eid: str) -> EvidenceItem:
        return self._items[eid]

    def nominee_of(self, eid: str) -> str:
        return self.g.nodes[eid]["nominee"]

    def add_near(self, ea: str, eb: str, **data: Any) -> None:
        """Record a confirmed near-duplicate (X02) as an edge between the two items, so the
        graph answers "which pages look like this one" too (``near_page`` edges)."""
        self.g.add_edge(ea, eb, ktype="near_page", **data)

    def who_has(self, ktype: str, value: str) -> list[str]:
        """The nominees whose evidence shows the key (``dossier search`` answers from this)."""
        kid = self._keys.get(ktype, {}).get(value)
        if kid is None:
            return []
        return sorted({m[1] for m in self._members(kid)})

    # ---- serialising ------------------------------------------------------------------------
    def summary(self) -> dict:
        """A compact summary: counts of nodes by type, and of keys shared by several nominees."""
        shared = {t: sum(1 for kid in self._keys[t].values() if self.g.degree(kid) > 1
                         and len({m[1] for m in self._members(kid)}) > 1) for t in KEY_TYPES}
        return {"nominees": len(self._names), "evidence": len(self._items),
                "keys": {t: len(v) for t, v in self._keys.items()}, "shared_keys": shared}

    def to_dict(self) -> dict:
        """Nodes and edges as JSON values (networkx node-link form, without the model objects)."""
        nodes = [{"id": n, **{k: v for k, v in d.items()}} for n, d in self.g.nodes(data=True)]
        edges = [{"source": a, "target": b, **({"locs": [list(x) for x in d["locs"]]} if "locs" in d else {}),
                  **{k: v for k, v in d.items() if k != "locs"}}          # near_page edges (X02)
                 for a, b, d in self.g.edges(data=True)]
        return {"summary": self.summary(), "nodes": nodes, "edges": edges}


def graph_of(ctx: AuditContext) -> EvidenceGraph:
    """The context's evidence graph, built once (kept on the context) and shared by the rules."""
    gr = getattr(ctx, "_evidence_graph", None)
    if gr is None:
        gr = EvidenceGraph.build(ctx)
        ctx._evidence_graph = gr   # type: ignore[attr-defined]
    return gr
