"""X rules: the same evidence claimed by several nominees, or counted twice by one (§六(三)(四)).

Every rule reads the evidence graph (``audit.graph``): items are linked by the keys they
share (file hash, page pixel hash, patent number, certificate number, apprentice, benefit
statement), found by blocking on the key, never by comparing all pairs. One finding per
connected group, naming every nominee and every file involved. X02 (near-duplicate page
images) finds its candidates by LSH bands of the pages' perceptual hashes instead.
"""
from __future__ import annotations

import difflib
import math
from datetime import date
from typing import Iterator, Optional

from audit.graph import Group, components, graph_of, norm_cert, norm_person, norm_text
from audit.model import KIND_ZH, AuditContext, EvidenceItem, Finding, Severity, Span
from rules.common import fmt, name_of
from rules.evidence import item_spans
from rules.registry import rule

LOW_CONF = 0.85


def kind_zh(it: EvidenceItem) -> str:
    return KIND_ZH.get(it.kind, "证明材料")


def where(it: EvidenceItem) -> str:
    pages = f"第{it.pages[0]}页" if it.pages and len(it.pages) == 1 else (
        f"第{it.pages[0]}-{it.pages[-1]}页" if it.pages else "")
    return f"{name_of(it.file)}{pages}"


def group_unit(ctx: AuditContext, g: Group) -> Optional[str]:
    units = {n.unit for n in ctx.nominees if n.key in g.nominees}
    return units.pop() if len(units) == 1 else None


def names(ctx: AuditContext, g: Group) -> list[str]:
    gr = graph_of(ctx)
    return [gr.name(k) for k in g.nominees]


def listing(ctx: AuditContext, g: Group, its: Optional[list[tuple[str, EvidenceItem]]] = None) -> str:
    """“张三：a.pdf第2页；李四：b.jpg” — every nominee with the files of the group."""
    gr = graph_of(ctx)
    parts: dict[str, list[str]] = {}
    for nk, it in its if its is not None else g.items:
        w = where(it)
        lst = parts.setdefault(nk, [])
        if w not in lst:
            lst.append(w)
    return "；".join(f"{gr.name(nk)}：{'、'.join(ws)}" for nk, ws in parts.items())


def spans_of(g: Group, its: Optional[list[tuple[str, EvidenceItem]]] = None, *keys: str) -> list[Span]:
    """Spans of every item (its deciding facts where given) and every page the keys were seen on."""
    out: list[Span] = []
    seen: set = set()
    sha = {}
    for _nk, it in its if its is not None else g.items:
        for p in it.parts or [{"file": it.file, "sha256": it.sha256}]:
            sha[p["file"]] = p.get("sha256")
        for s in item_spans(it, *keys):
            if (s.file, s.page, s.box) not in seen:
                seen.add((s.file, s.page, s.box))
                out.append(s)
    files_in = {s.file for s in out}
    for f, pg in g.locs:
        if f in sha and (f, pg or None) not in {(s.file, s.page) for s in out} and (pg or f not in files_in):
            out.append(Span(file=f, page=pg or None, sha256=sha.get(f)))
    return out


def low_conf(its: list[EvidenceItem], key: str) -> Optional[float]:
    """The lowest OCR confidence of the deciding fact ``key`` when under 0.85, else None."""
    confs = [it.fields[key].confidence for it in its if key in it.fields and it.fields[key].confidence is not None]
    c = min(confs) if confs else None
    return c if c is not None and c < LOW_CONF else None


def similar(a: str, b: str, thr: float) -> bool:
    a, b = norm_text(a), norm_text(b)
    if not a or not b:
        return True
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= thr


def same_statement(a: EvidenceItem, b: EvidenceItem, thr: float) -> bool:
    """Two statements with the same year and amounts (the graph's key) are one statement when
    their issuer and project also agree (read leniently: OCR may miss a character)."""
    return similar(a.value("issuer"), b.value("issuer"), thr) and similar(a.value("project"), b.value("project"), thr)


def clusters(its: list[tuple[str, EvidenceItem]], same) -> list[list[tuple[str, EvidenceItem]]]:
    """Items joined where ``same(a, b)`` (a group has a handful of items: pairs are cheap)."""
    parent = list(range(len(its)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(its)):
        for j in range(i + 1, len(its)):
            if same(its[i][1], its[j][1]):
                parent[find(i)] = find(j)
    out: dict[int, list] = {}
    for i, x in enumerate(its):
        out.setdefault(find(i), []).append(x)
    return list(out.values())


def sub(g: Group, its: list[tuple[str, EvidenceItem]]) -> Group:
    files = {p["file"] for _n, it in its for p in (it.parts or [{"file": it.file}])}
    return Group(keys=g.keys, items=its, nominees=sorted({n for n, _ in its}),
                 locs=[loc for loc in g.locs if loc[0] in files])


@rule("X01", Severity.HIGH, title="多名人选使用同一文件或同一页面", clause="§六(四)")
def same_file_across(ctx: AuditContext) -> Iterator[Finding]:
    """The same file or page image is in the evidence of two or more nominees.

    What it checks: the evidence graph's file hashes (sha256 of the bytes) and page pixel
    hashes (sha256 of each rendered page with text): a group of evidence items linked by a
    file or page seen in the evidence of two or more nominees is one finding, naming every
    nominee and every file and page involved.

    Why: §六(四) — materials must be true; one scan in two dossiers means at least one of
    them shows evidence that is not its own.

    Example finding: 同一文件（页面）出现在 2 名推荐人选的证明材料中：张三：作业规范.pdf第1页；李四：作业规范.pdf第1页。

    Known false positives: a document that genuinely concerns both nominees (a standard they
    co-authored, a joint award) submitted as the same scan by each; blank or near-blank pages
    are not hashed.

    Profile settings used: none.
    """
    gr = graph_of(ctx)
    for g in gr.shared(("file", "page")):
        ns = names(ctx, g)
        whole = any(k == "file" for k, _ in g.keys)
        what = "同一文件（字节完全相同）" if whole else "同一页面图像（像素完全相同）"
        yield Finding(
            code="X01", severity=Severity.HIGH, unit=group_unit(ctx, g), nominees=ns,
            message=(f"{what}出现在 {len(ns)} 名推荐人选的证明材料中：{listing(ctx, g)}。"
                     f"同一份材料不能作为多人的业绩证明，请核实该材料属于谁，并要求其他人选说明或撤下。"),
            found={"nominees": ns, "files": sorted({it.file for _n, it in g.items})},
            key="|".join(sorted(v[:16] for _k, v in g.keys))[:200], evidence=spans_of(g))


@rule("X03", Severity.HIGH, title="同一专利被多名人选申报", clause="§六(四)")
def same_patent_across(ctx: AuditContext) -> Iterator[Finding]:
    """The same patent is counted by two or more nominees.

    What it checks: patent certificates of different nominees with the same application
    number (the graph's patent key). Medium where every nominee concerned is among the
    certificate's inventors (co-inventors each counting their joint patent), high otherwise
    (a nominee counting a patent that names someone else).

    Why: §六(四) — a patent is the evidence of its inventors only; counting another's patent
    inflates the declared figures.

    Example finding: 专利 ZL202020773489.7 同时被 2 名推荐人选计入：张三：专利证书.pdf第1页；李四：专利证书.pdf第1页。李四不在该专利的发明人之列。

    Known false positives: an inventor list misread by OCR (the message names who was not
    found); a patent number misread so that two patents collide (the confidence is given and
    the severity lowered).

    Profile settings used: none.
    """
    gr = graph_of(ctx)
    for g in gr.shared(("patent",)):
        ns = names(ctx, g)
        inventors = {norm_person(x) for _n, it in g.items for x in (it.value("inventors") or [])}
        outsiders = [nm for nm in ns if norm_person(nm) not in inventors]
        number = next((str(it.value("number")) for _n, it in g.items if it.value("number")), g.keys[0][1])
        sev = Severity.HIGH if outsiders else Severity.MEDIUM
        msg = f"专利 {number} 同时被 {len(ns)} 名推荐人选计入：{listing(ctx, g)}。"
        if outsiders:
            msg += f"{'、'.join(outsiders)}不在该专利的发明人之列，不应计入本人专利数，请核实。"
        else:
            msg += "各人均为该专利的共同发明人，可各自列出，但请核实申报数量未重复夸大个人贡献。"
        conf = low_conf([it for _n, it in g.items], "number")
        if conf is not None:
            sev = sev.lowered()
            msg += f"（专利号识别置信度较低 {conf:.2f}，请核对原件。）"
        yield Finding(code="X03", severity=sev, unit=group_unit(ctx, g), nominees=ns, message=msg,
                      found={"number": number, "nominees": ns, "not_inventors": outsiders},
                      confidence=conf, key=g.keys[0][1], evidence=spans_of(g, None, "number", "inventors"))


def period(it: EvidenceItem) -> tuple[Optional[date], Optional[date]]:
    start = it.value("start") or it.value("sign_date")
    end = it.value("end")
    return (start if isinstance(start, date) else None, end if isinstance(end, date) else None)


@rule("X04", Severity.HIGH, title="同一徒弟被多名师傅重复申报", clause="§六(四)")
def same_apprentice_across(ctx: AuditContext) -> Iterator[Finding]:
    """The same apprentice is claimed by two or more masters for overlapping periods.

    What it checks: apprentice agreements of different nominees naming the same apprentice
    (the graph's apprentice key); periods (start–end, else from the signing date) that
    overlap make a finding. Periods that do not overlap are legitimate (an apprentice may
    move on to another master). A period that cannot be read lowers the severity.

    Why: §六(四) — an apprentice taught by one master cannot count for two at the same time.

    Example finding: 徒弟王五同时出现在 2 名推荐人选的师带徒协议中，期限重叠：张三：师带徒协议.pdf第1页（2019-03-01至2021-02-28）；李四：师带徒协议.pdf第1页（2019-09-01至2021-08-31）。

    Known false positives: two different apprentices with the same name (namesakes); the
    agreements carry no ID numbers to tell them apart.

    Profile settings used: none.
    """
    gr = graph_of(ctx)
    for g in gr.shared(("apprentice",)):
        overlap: list[tuple[str, EvidenceItem]] = []
        unknown = False
        for i, (na, a) in enumerate(g.items):
            for nb, b in g.items[i + 1:]:
                if na == nb:
                    continue
                (sa, ea), (sb, eb) = period(a), period(b)
                if sa is None or sb is None:
                    unknown = True
                    hit = True
                else:
                    hit = sa <= (eb or date.max) and sb <= (ea or date.max)
                    unknown = unknown or ea is None or eb is None
                if hit:
                    for x in ((na, a), (nb, b)):
                        if x not in overlap:
                            overlap.append(x)
        if not overlap:
            continue
        sg = sub(g, overlap)
        ns = names(ctx, sg)
        app = next((str(it.value("apprentice")) for _n, it in overlap if it.value("apprentice")), g.keys[0][1])
        detail = "；".join(f"{gr.name(n)}：{where(it)}（{fmt(period(it)[0])}至{fmt(period(it)[1])}）" for n, it in overlap)
        sev = Severity.HIGH
        msg = f"徒弟{app}同时出现在 {len(ns)} 名推荐人选的师带徒协议中，期限重叠：{detail}。同一徒弟同一时期只能计入一名师傅，请核实。"
        if unknown:
            sev = sev.lowered()
            msg += "（部分协议期限未能读出，请核对原件。）"
        conf = low_conf([it for _n, it in overlap], "apprentice")
        if conf is not None:
            sev = sev.lowered()
            msg += f"（徒弟姓名识别置信度较低 {conf:.2f}。）"
        yield Finding(code="X04", severity=sev, unit=group_unit(ctx, sg), nominees=ns, message=msg,
                      found={"apprentice": app, "nominees": ns}, confidence=conf, key=g.keys[0][1],
                      evidence=spans_of(sg, None, "apprentice", "start", "end"))


@rule("X05", Severity.HIGH, title="同一证书编号出现在不同人的证书上", clause="§六(四)")
def same_cert_number(ctx: AuditContext) -> Iterator[Finding]:
    """The same certificate number is on certificates of different people.

    What it checks: honor, competition, innovation and skill certificates of two or more
    nominees with the same certificate number (the graph's cert key, numbers of at least 6
    characters with a digit) whose holders differ (the holder printed, else the nominee).

    Why: §六(四) — a certificate number is issued once; the same number on two people's
    certificates means one of them was made from the other.

    Example finding: 证书编号 KFZGH20190123 同时出现在 2 人的证书上（持证人：张三、李四）：张三：荣誉证书.jpg第1页；李四：荣誉证书.jpg第1页。

    Known false positives: a collective award whose certificates share the number of the
    award decision; a number misread by OCR (confidence given, severity lowered).

    Profile settings used: none.
    """
    gr = graph_of(ctx)
    for g in gr.shared(("cert",)):
        holders: list[str] = []
        for nk, it in g.items:
            h = norm_person(it.value("holder")) or norm_person(gr.name(nk))
            if h not in holders:
                holders.append(h)
        if len(holders) < 2:
            continue
        ns = names(ctx, g)
        number = next((str(it.value("number")) for _n, it in g.items
                       if norm_cert(it.value("number")) == g.keys[0][1]), g.keys[0][1])
        sev = Severity.HIGH
        msg = (f"证书编号 {number} 同时出现在 {len(holders)} 人的证书上（持证人：{'、'.join(holders)}）：{listing(ctx, g)}。"
               "同一编号只能颁发一次，请向发证单位核实证书真伪。")
        conf = low_conf([it for _n, it in g.items], "number")
        if conf is not None:
            sev = sev.lowered()
            msg += f"（编号识别置信度较低 {conf:.2f}，请核对原件。）"
        yield Finding(code="X05", severity=sev, unit=group_unit(ctx, g), nominees=ns, message=msg,
                      found={"number": number, "holders": holders}, confidence=conf, key=g.keys[0][1],
                      evidence=spans_of(g, None, "number", "holder"))


def _statement_desc(it: EvidenceItem) -> str:
    y = it.value("year") or getattr(it.value("date"), "year", None)
    amt = []
    if it.value("created") is not None:
        amt.append(f"创效 {fmt(it.value('created'))} 万元")
    if it.value("saved") is not None:
        amt.append(f"节支 {fmt(it.value('saved'))} 万元")
    proj = it.value("project")
    return f"{y or ''}年{('“' + str(proj) + '”') if proj else ''}经济效益证明（{'，'.join(amt) or '多年度'}）"


@rule("X07", Severity.HIGH, title="同一经济效益证明被多名人选申报", clause="§六(四)")
def same_statement_across(ctx: AuditContext) -> Iterator[Finding]:
    """The same benefit statement is claimed by two or more nominees.

    What it checks: benefit statements of different nominees with the same year and amounts
    (the graph's statement key) whose issuer and project also agree (similarity at least
    ``forensics.text_similarity``, read leniently for OCR); a statement crediting several
    persons jointly is still one statement, and the message says so.

    Why: §六(四) — one benefit counted by several nominees multiplies it.

    Example finding: 2019年“空分装置节能改造”经济效益证明（创效 45 万元）同时计入 2 名推荐人选的效益：张三：效益证明.pdf第1页；李四：效益证明.png。

    Known false positives: two different projects of one employer in one year with exactly
    the same amounts and similar names.

    Profile settings used: forensics.text_similarity.
    """
    thr = float(ctx.profile.get("forensics.text_similarity", 0.8))
    gr = graph_of(ctx)
    for g in gr.shared(("statement",)):
        for cl in clusters(g.items, lambda a, b: same_statement(a, b, thr)):
            if len({n for n, _ in cl}) < 2:
                continue
            sg = sub(g, cl)
            ns = names(ctx, sg)
            first = cl[0][1]
            persons = [p for _n, it in cl for p in (it.value("persons") or [])]
            persons = list(dict.fromkeys(norm_person(p) for p in persons if p))
            msg = f"{_statement_desc(first)}同时计入 {len(ns)} 名推荐人选的效益：{listing(ctx, sg)}。"
            if len(persons) > 1:
                msg += f"该证明联名列出{'、'.join(persons)}，联名证明仍只是一份证明，其效益不能由每人全额计入。"
            msg += "请核实各人实际贡献，并核减重复计入的效益。"
            sev = Severity.HIGH
            conf = low_conf([it for _n, it in cl], "created")
            if conf is not None:
                sev = sev.lowered()
                msg += f"（金额识别置信度较低 {conf:.2f}，请核对原件。）"
            yield Finding(code="X07", severity=sev, unit=group_unit(ctx, sg), nominees=ns, message=msg,
                          found={"statement": g.keys[0][1], "nominees": ns, "persons": persons},
                          confidence=conf, key=g.keys[0][1],
                          evidence=spans_of(sg, None, "created", "saved", "project", "issuer"))


@rule("X08", Severity.MEDIUM, title="同一材料在本人申报中重复计算", clause="§六(三)")
def counted_twice(ctx: AuditContext) -> Iterator[Finding]:
    """One piece of evidence is counted twice toward one nominee's figures.

    What it checks: within one nominee's evidence, the same file at two paths, the same page
    image at two places, the same patent or certificate number on two documents, or the same
    benefit statement (year, amounts, issuer and project) twice — e.g. a certificate in the
    bound volume and again as a loose scan.

    Why: §六(三) — each achievement counts once; a duplicate inflates the count it proves.

    Example finding: “张三”的同一份荣誉证书在证明材料中出现 2 次：证明材料.pdf第5页、荣誉证书.jpg第1页。该材料在申报数量中只能计算一次。

    Known false positives: a certificate shown twice on purpose (the original and a
    translation) — the declared figures then show whether it was counted twice.

    Profile settings used: forensics.text_similarity.
    """
    thr = float(ctx.profile.get("forensics.text_similarity", 0.8))
    gr = graph_of(ctx)
    for g in gr.repeated(("file", "page", "patent", "cert", "statement")):
        only_stmt = all(k == "statement" for k, _ in g.keys)
        cls = clusters(g.items, lambda a, b: same_statement(a, b, thr)) if only_stmt else [g.items]
        for cl in cls:
            if len(cl) < 2:
                continue
            sg = sub(g, cl)
            nk = sg.nominees[0]
            nm = gr.name(nk)
            places = []
            for _n, it in cl:
                w = where(it)
                if w not in places:
                    places.append(w)
            if len(places) < 2:
                places = [f"{name_of(f)}第{p}页" if p else name_of(f) for f, p in sg.locs]
            n_obj = next((n for n in ctx.nominees if n.key == nk), None)
            yield Finding(
                code="X08", severity=Severity.MEDIUM, unit=n_obj.unit if n_obj else None, nominee=nm,
                message=(f"“{nm}”的同一份{kind_zh(cl[0][1])}在证明材料中出现 {len(places)} 次：{'、'.join(places)}。"
                         "同一材料在申报数量中只能计算一次，请核实申报数是否重复计算。"),
                found={"places": places, "keys": [k for k, _ in sg.keys]},
                key="|".join(sorted(v[:16] for _k, v in sg.keys))[:200], evidence=spans_of(sg))


# ---- X02: near-duplicate page images -------------------------------------------------------

# facts that a re-scan with an edited name or number may change; any other fact that differs
# (title, date, issuer, rank, project …) makes the two pages different documents
X02_VARIABLE = ("holder", "number", "name", "id_number")
X02_SHOWN = {"holder": "姓名", "number": "编号", "name": "姓名", "id_number": "身份证号"}


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _fact_text(it: EvidenceItem, key: str) -> str:
    v = it.value(key)
    if isinstance(v, (list, tuple)):
        v = " ".join(str(x) for x in v)
    return norm_cert(v) if key == "number" else norm_text(v)


def differing_facts(a: EvidenceItem, b: EvidenceItem) -> list[str]:
    """Keys of the facts both items have that read differently (numbers compared as
    certificate numbers, text by letters, digits and CJK only)."""
    out = []
    for k in sorted(set(a.fields) & set(b.fields)):
        if k in ("issuers", "seals"):
            continue
        va, vb = _fact_text(a, k), _fact_text(b, k)
        if va and vb and va != vb:
            out.append(k)
    return out


def _lines_of(it: EvidenceItem, loc: tuple[str, int]) -> list:
    for f, pg, lines in it.page_lines:
        if (f, int(pg)) == tuple(loc):
            return [(str(t), tuple(float(v) for v in box)) for t, box in lines if box]
    return []


def _hashes_of(it: EvidenceItem, loc: tuple[str, int]) -> tuple[str, str]:
    for f, pg, ph, dh in it.page_phashes:
        if (f, int(pg)) == tuple(loc):
            return ph, dh
    return "", ""


def layout_diff(la: list, lb: list, tol: float) -> tuple[float, list[tuple[str, str]]]:
    """Compare two pages' lines (boxes relative to the ink area): ``(share, changed)``.

    A line of one page is *at the same place* as a line of the other when their tops and
    bottoms differ by at most ``tol`` (share of the ink area's height) and they overlap at
    least half horizontally; ``share`` is the share of the lines of the longer page so placed.
    ``changed`` lists the placed pairs that read differently and the lines left without a
    counterpart (``(text a, text b)``, ``""`` for a missing side)."""
    if not la or not lb:
        return 0.0, []
    used: set[int] = set()
    changed: list[tuple[str, str]] = []
    placed = 0
    for ta, ba in la:
        best, bd = None, None
        for j, (tb, bb) in enumerate(lb):
            if j in used:
                continue
            dy = max(abs(ba[1] - bb[1]), abs(ba[3] - bb[3]))
            if dy > tol:
                continue
            ov = min(ba[2], bb[2]) - max(ba[0], bb[0])
            if ov < 0.5 * min(ba[2] - ba[0], bb[2] - bb[0]):
                continue
            d = dy + abs(ba[0] - bb[0]) + abs(ba[2] - bb[2])
            if bd is None or d < bd:
                best, bd = j, d
        if best is None:
            changed.append((ta, ""))
            continue
        used.add(best)
        placed += 1
        tb = lb[best][0]
        if norm_text(ta) != norm_text(tb):
            changed.append((ta, tb))
    changed.extend(("", tb) for j, (tb, _b) in enumerate(lb) if j not in used)
    return placed / max(len(la), len(lb)), changed


def edits(changed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The differing pieces of changed lines (``张三`` → ``李四``), from a character diff."""
    out = []
    for a, b in changed:
        a, b = norm_text(a), norm_text(b)
        if not a or not b:
            out.append((a, b))
            continue
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op != "equal":
                out.append((a[i1:i2], b[j1:j2]))
    return out


def x02_confirm(a: EvidenceItem, la: tuple[str, int], b: EvidenceItem, lb: tuple[str, int], cfg: dict
                ) -> Optional[dict]:
    """The second signal for two near-alike pages of different nominees, or None (look-alikes
    from one template). Confirmed when (1) the same certificate number is on both with
    different holders, or (2) the pages' text has the same layout (``layout_min_share`` of the
    lines at the same place) and differs in at most ``max_changed_lines`` lines, no fact other
    than a name or number differs (a title, date or issuer that differs means another
    certificate), and not both the name and the number differ unless the pages share a seal
    impression pixel for pixel (certificates printed from one template for different people
    differ in name *and* number; a re-scan with a name typed in keeps the number)."""
    diff = differing_facts(a, b)
    num_a, num_b = norm_cert(a.value("number")), norm_cert(b.value("number"))
    holders_differ = "holder" in diff
    share, changed = layout_diff(_lines_of(a, la), _lines_of(b, lb), cfg["tol"])
    out = {"facts": diff, "share": round(share, 3), "changed": changed}
    if num_a and num_a == num_b and holders_differ:
        out["signal"] = "number"
        return out
    if share < cfg["min_share"] or len(changed) > cfg["max_lines"]:
        return None
    if any(k not in X02_VARIABLE for k in diff):
        return None
    variable = [k for k in ("holder", "number") if k in diff]
    if len(variable) >= 2:
        inks = {s.ink_sha256 for s in a.seals if s.ink_sha256}
        if not inks & {s.ink_sha256 for s in b.seals if s.ink_sha256}:
            return None
    out["signal"] = "layout"
    return out


@rule("X02", Severity.HIGH, title="多名人选的证明材料页面近似重复（改名、改号）", clause="§六(四)")
def near_duplicate_pages(ctx: AuditContext) -> Iterator[Finding]:
    """Near-duplicate page images across nominees: one scan re-used with a name or number edited.

    What it checks: the perceptual hashes (imagehash pHash and dHash, 256 bits, of each
    rendered page's ink area, so margins and shift do not count) of the evidence pages of
    different nominees. Candidates come from LSH bands of the pHash (pages equal on one band;
    never all pairs; above about 4 000 pages fewer, wider bands, so that chance agreements stay
    near-linear); a candidate is near when its pHash and dHash differ in at most
    ``forensics.phash_max_distance`` / ``dhash_max_distance`` bits, and not pixel-identical
    (that is X01). A near pair is confirmed by a second signal: the same certificate number
    with different holders, or the same text layout (most lines at the same place) with at
    most ``max_changed_lines`` lines reading differently and no fact but a name or number
    differing. The finding names both nominees and shows what differs (the edited name or
    number). One finding per connected group of confirmed pages.

    Why: §六(四) — materials must be true; a certificate re-scanned with another name typed in
    is a forgery, whoever's name was put in.

    Example finding: 张三、李四的证明材料中有近似重复的页面图像（版面、文字位置一致，仅个别文字不同）：张三：荣誉证书.jpg第1页；李四：荣誉证书.jpg第1页。不同之处：姓名“张三”→“李四”。疑为同一扫描件改名后重复使用，请调取原件核实。

    Known false positives: two certificates printed from one template for different people on
    the same day without numbers (only the name differs; a seal stamped by hand then differs
    in its pixels); a re-scan of one document that genuinely concerns both nominees (then no
    name differs and the message says so).

    Profile settings used: forensics.phash_bands, forensics.phash_max_bucket,
    forensics.phash_max_distance, forensics.dhash_max_distance, forensics.layout_box_tolerance,
    forensics.layout_min_share, forensics.max_changed_lines.
    """
    p = ctx.profile
    bands = int(p.get("forensics.phash_bands", 16))
    max_bucket = int(p.get("forensics.phash_max_bucket", 200))
    max_p = int(p.get("forensics.phash_max_distance", 40))
    max_d = int(p.get("forensics.dhash_max_distance", 48))
    cfg = {"tol": float(p.get("forensics.layout_box_tolerance", 0.015)),
           "min_share": float(p.get("forensics.layout_min_share", 0.8)),
           "max_lines": int(p.get("forensics.max_changed_lines", 2))}
    gr = graph_of(ctx)
    # a band must be wide enough that pages of unrelated looks rarely agree on it by chance:
    # with P pages a band of about log2(P) + 4 bits leaves about P / 16 chance pairs a band
    # (16 bands of 16 bits give 11 million at 300 000 pages, 10 000 nominees); fewer, wider
    # bands above about 4 000 pages
    n_pages = sum(len(it.page_phashes or ()) for n in ctx.nominees for it in n.evidence)
    hex_per_band = max(64 // max(1, bands), math.ceil((math.log2(max(2, n_pages)) + 4) / 4))
    bands = max(1, 64 // hex_per_band)
    confirmed: list[tuple[str, str, dict]] = []
    for ea, la, eb, lb in gr.near_page_candidates(bands, max_bucket):
        a, b = gr.item(ea), gr.item(eb)
        pa, da = _hashes_of(a, la)
        pb, db = _hashes_of(b, lb)
        if not (pa and pb and da and db):
            continue
        dp, dd = hamming(pa, pb), hamming(da, db)
        if dp > max_p or dd > max_d:
            continue
        sa = {(f, int(pg)): h for f, pg, h in a.page_hashes}.get(tuple(la))
        sb = {(f, int(pg)): h for f, pg, h in b.page_hashes}.get(tuple(lb))
        if sa and sa == sb:          # pixel-identical: X01
            continue
        got = x02_confirm(a, la, b, lb, cfg)
        if got is None:
            continue
        got.update(phash=dp, dhash=dd, locs=[list(la), list(lb)])
        gr.add_near(ea, eb, phash_distance=dp, dhash_distance=dd, signal=got["signal"],
                    locs=[list(la), list(lb)])
        confirmed.append((ea, eb, got))
    if not confirmed:
        return
    comp = components((), ((ea, eb) for ea, eb, _g in confirmed))
    groups: dict[int, list] = {}
    for ea, eb, got in confirmed:
        groups.setdefault(comp[ea], []).append((ea, eb, got))
    nom_order = {n.key: i for i, n in enumerate(ctx.nominees)}
    order = {eid: (nom_order.get(gr.nominee_of(eid), 0), eid) for ea, eb, _g in confirmed for eid in (ea, eb)}
    for pairs in groups.values():
        eids = sorted({e for ea, eb, _g in pairs for e in (ea, eb)}, key=order.__getitem__)
        its = [(gr.nominee_of(e), gr.item(e)) for e in eids]
        locs = sorted({tuple(loc) for _a, _b, got in pairs for loc in got["locs"]})
        g = Group(keys=[("near_page", f"{_hashes_of(gr.item(eids[0]), locs[0])[0][:16]}")], items=its,
                  nominees=sorted({n for n, _ in its}), locs=locs)
        ns = names(ctx, g)
        diffs: list[str] = []
        found_diffs: list[dict] = []
        for ea, eb, got in pairs:
            a, b = gr.item(ea), gr.item(eb)
            for k in got["facts"]:
                va, vb = a.value(k), b.value(k)
                d = f"{X02_SHOWN.get(k, k)}“{va}”→“{vb}”"
                if d not in diffs:
                    diffs.append(d)
                    found_diffs.append({"field": k, "a": str(va), "b": str(vb)})
            if not got["facts"]:
                for xa, xb in edits(got["changed"])[:4]:
                    d = f"“{xa}”→“{xb}”"
                    if d not in diffs:
                        diffs.append(d)
                        found_diffs.append({"field": "text", "a": xa, "b": xb})
        signal = "同一证书编号、持证人不同" if any(got["signal"] == "number" for *_x, got in pairs) \
            else "版面、文字位置一致，仅个别文字不同"
        msg = (f"{'、'.join(ns)}的证明材料中有近似重复的页面图像（{signal}）：{listing(ctx, g)}。"
               + (f"不同之处：{'；'.join(diffs)}。" if diffs else "两页文字未见差异（同一材料的不同扫描件）。")
               + "疑为同一扫描件改名（改号）后重复使用，请调取原件核实，并要求相关人选说明。")
        sev = Severity.HIGH
        conf = low_conf([it for _n, it in its], "holder") or low_conf([it for _n, it in its], "number")
        if conf is not None:
            sev = sev.lowered()
            msg += f"（姓名或编号识别置信度较低 {conf:.2f}，请核对原件。）"
        yield Finding(code="X02", severity=sev, unit=group_unit(ctx, g), nominees=ns, message=msg,
                      found={"nominees": ns, "differs": found_diffs,
                             "distances": [{"phash": got["phash"], "dhash": got["dhash"], "pages": got["locs"]}
                                           for *_x, got in pairs]},
                      confidence=conf, key="|".join(sorted(it.id + "@" + str(n) for n, it in its))[:200],
                      evidence=spans_of(g, None, "holder", "number"))
