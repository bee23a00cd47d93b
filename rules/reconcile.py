"""The reconciliation table: every declared figure of a nominee beside what the evidence supports.

Not a rule: a table the reports render, one row per figure (patents by type, benefit by year,
apprentices by year, promotions by level, awards by issuer level, media by level, standards
and methods by year, each listed honor, the skill level). It counts with the same helpers as
the V and E rules, so a row and its finding never disagree: a row whose status is not
``match`` has, where the rule applies, a finding of that rule beside it.

Row keys: ``figure`` (stable key), ``label`` (Chinese), ``rule`` (the code that checks it),
``unit`` (件 项 …), ``declared`` (number, text or None), ``declared_from`` (审批表 / 汇总表),
``found`` (number or text), ``status`` (match | fewer | more | missing | found_only),
``items`` ([{id, label, file, page}]) and ``evidence`` (spans of the declared value).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Optional

from audit.model import AuditContext, EvidenceItem, Fact, Nominee
from rules.eligibility import LEVEL_ZH as SKILL_ZH
from rules.eligibility import own_certificates
from rules.evidence import BENEFIT_KEYS, TOL, benefit_backing, declared, distinct_patents, items, patent_type
from rules.figures import (AWARD_KINDS, LEVELS, PROMOTION_KEYS, Counted, as_int, awards_by_level,
                           clippings_by_level, count_apprentices, count_declared, honor_matches,
                           per_year_declared, promotions_by_level, standard_docs_by_year, standards_by_level)

LEVEL_NAMES = {"national": "国家级", "provincial": "省部级", "prefecture": "地厅级", "enterprise": "企业级"}
STATUS_ZH = {"match": "一致", "fewer": "少于申报", "more": "多于申报", "missing": "未找到",
             "found_only": "未申报但有材料"}


def _src(n: Nominee, f: Optional[Fact]) -> str:
    if f is None:
        return ""
    if n.form is not None and any(s.file == n.form.file for s in f.spans):
        return "审批表"
    if n.summary is not None and any(s.file == n.summary.file for s in f.spans):
        return "汇总表"
    return "审批表" if n.form is not None else "汇总表"


def _item(it: EvidenceItem, label: str = "") -> dict:
    return {"id": it.id, "label": label or it.kind, "file": it.file, "page": it.pages[0] if it.pages else None}


def _spans(f: Optional[Fact]) -> list[dict]:
    return [s.to_evidence() for s in (f.spans if f is not None else [])]


def _status(want: Any, got: Any) -> str:
    if want is None:
        return "found_only" if got else "match"
    if isinstance(want, Decimal) or isinstance(got, Decimal):
        w, g = Decimal(str(want)), Decimal(str(got or 0))
        return "match" if abs(w - g) <= TOL else ("fewer" if g < w else "more")
    return "match" if want == got else ("fewer" if (got or 0) < want else "more")


def _count_row(n: Nominee, figure: str, label: str, rule: str, unit: str, dec: Optional[Fact],
               got: Iterable[Counted]) -> Optional[dict]:
    got = list(got)
    want = as_int(dec)
    if want is None and not got:
        return None
    return {"figure": figure, "label": label, "rule": rule, "unit": unit, "declared": want,
            "declared_from": _src(n, dec), "found": len(got), "status": _status(want, len(got)),
            "items": [_item(c.item, c.label) for c in got], "evidence": _spans(dec)}


def nominee_rows(n: Nominee, ctx: AuditContext) -> list[dict]:
    """The reconciliation rows of one nominee, in the order of the approval form."""
    p = ctx.profile
    rows: list[dict] = []

    def add(r):
        if r is not None:
            rows.append(r)

    # skill level (E02 / E05)
    dec = n.form.fields.get("skill_level") if n.form is not None else None
    certs = own_certificates(n)
    ranks = [(p.skill_rank(str(it.value("level") or "")), it) for it in certs]
    ranks = [(r, it) for r, it in ranks if r]
    if (dec is not None and dec.value) or ranks:
        best = min(ranks, key=lambda x: x[0]) if ranks else None
        want = p.skill_rank(str(dec.value)) if dec is not None and dec.value else None
        status = ("missing" if best is None else "match" if want is None or best[0] <= want else "fewer")
        rows.append({"figure": "skill_level", "label": "技术等级", "rule": "E05", "unit": "",
                     "declared": str(dec.value) if dec is not None and dec.value else None,
                     "declared_from": _src(n, dec), "found": SKILL_ZH.get(best[0]) if best else None,
                     "status": status if want is not None else ("found_only" if best else "match"),
                     "items": [_item(it, SKILL_ZH.get(r, "")) for r, it in ranks], "evidence": _spans(dec)})
    # patents by type (V01)
    pats = distinct_patents(n)
    inv = [it for it in pats.values() if patent_type(it) == "invention"]
    other = [it for it in pats.values() if patent_type(it) != "invention"]
    for key, label, skeys, got in (("patents.invention", "发明专利", ["patents.invention"], inv),
                                   ("patents.utility_design", "实用新型/外观设计专利",
                                    ["patents.utility", "patents.design"], other)):
        d = declared(n, key, skeys)
        add(_count_row(n, key, label, "V01", "件", d,
                       [Counted(it, str(it.value("number") or "编号不清"), []) for it in got]))
    # economic benefit by year (V04)
    stmts = items(n, "benefit_statement")
    for year in p.years:
        for key, zh, col in BENEFIT_KEYS:
            d = n.form.per_year.get(key, {}).get(year) if n.form is not None else None
            backing = benefit_backing(stmts, year, col)
            if (d is None or d.value is None) and not backing:
                continue
            want = Decimal(str(d.value)) if d is not None and d.value is not None else None
            got = sum((Decimal(str(v)) for _, v in backing), Decimal(0))
            rows.append({"figure": f"{key}.{year}", "label": f"{year}年{zh}", "rule": "V04", "unit": "万元",
                         "declared": want, "declared_from": _src(n, d), "found": got,
                         "status": _status(want, got) if want is not None or backing else "match",
                         "items": [_item(it, f"{it.value('project') or '效益证明'}：{v} 万元") for it, v in backing],
                         "evidence": _spans(d)})
    # apprentices by year (V06)
    appr = count_apprentices(n, p)
    for year in p.years:
        add(_count_row(n, f"apprentices.{year}", f"{year}年签订师带徒协议", "V06", "份",
                       per_year_declared(n, "apprentices", year, f"apprentices.{year}"), appr.get(year, [])))
    # promotions by level (V07)
    if n.form is not None:
        by_level, _incomplete = promotions_by_level(n, p)
        for key, zh, _rank in PROMOTION_KEYS:
            add(_count_row(n, key, f"带徒晋升{zh}", "V07", "人", n.form.counts.get(key), by_level.get(zh, [])))
    # awards by issuer level (V08)
    for kind, (_ev, zh, form_key, sum_key) in AWARD_KINDS.items():
        found = awards_by_level(n, p, kind)
        for lv in LEVELS:
            d = count_declared(n, form_key.format(lv=lv) if form_key else None, sum_key.format(lv=lv))
            add(_count_row(n, f"{kind}.{lv}", f"{LEVEL_NAMES[lv]}{zh}", "V08", "项", d, found.get(lv, [])))
        if found.get(None):
            add(_count_row(n, f"{kind}.unknown", f"{zh}（颁发单位级别不明）", "V08", "项", None, found[None]))
    # media by level (V12)
    clips = clippings_by_level(n)
    for lv in ("national", "provincial", "prefecture"):
        add(_count_row(n, f"media.{lv}", f"{LEVEL_NAMES[lv]}媒体宣传", "V12", "次",
                       count_declared(n, None, f"media.{lv}"), clips.get(lv, [])))
    # standards and methods by year, and by level on the summary table (V13)
    std_year = standard_docs_by_year(n, p)
    for which, zh in (("standards", "行业标准"), ("methods", "工作法/操作规程")):
        for year in p.years:
            add(_count_row(n, f"{which}.{year}", f"{year}年{zh}", "V13", "项",
                           per_year_declared(n, which, year), std_year.get((which, year), [])))
    std_level = standards_by_level(n, p)
    for lv in LEVELS:
        d = count_declared(n, None, f"standards.{lv}")
        if d is not None:
            add(_count_row(n, f"standards.{lv}", f"{LEVEL_NAMES[lv]}行业标准或工作法应用（汇总表）", "V13", "项",
                           d, std_level.get(lv, [])))
    # honors listed on the form (V09)
    for cl, proof, others in honor_matches(n):
        title = f"{cl.year}年 {cl.title}" if cl.year else cl.title
        if proof is not None:
            status, found, its = "match", "有证书", [_item(proof, title)]
        elif others:
            status, found, its = "fewer", "证书年份不符", [_item(it, title) for it in others]
        else:
            status, found, its = "missing", "无证书", []
        honors = n.form.fields.get("honors") if n.form is not None else None
        rows.append({"figure": f"honor:{cl.raw}", "label": f"荣誉：{title}", "rule": "V09", "unit": "",
                     "declared": cl.raw, "declared_from": "审批表", "found": found, "status": status,
                     "items": its, "evidence": _spans(honors)})
    return rows


def reconcile(ctx: AuditContext) -> tuple[dict[str, list[dict]], list[dict]]:
    """``(rows per nominee folder, errors)``. A nominee whose rows cannot be built (a value of
    an unexpected shape) gets none, and the error is returned for the audit's stats rather
    than stopping the audit."""
    out: dict[str, list[dict]] = {}
    errors: list[dict] = []
    for n in ctx.nominees:
        try:
            out[n.folder] = nominee_rows(n, ctx)
        except Exception as exc:  # noqa: BLE001  (one nominee's table never stops the audit)
            out[n.folder] = []
            errors.append({"nominee": n.folder, "error": f"{type(exc).__name__}: {exc}"[:300]})
    return out, errors
