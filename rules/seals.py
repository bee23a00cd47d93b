"""Seal rules: finance seals on benefit statements (V05), seals in the opinion boxes (D07)."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from audit.model import AuditContext, DeclaredForm, EvidenceItem, Finding, Nominee, SealInfo, Severity, Span
from rules.evidence import edit_distance, item_spans, items
from rules.registry import rule

LOW_CONF = 0.85
UNIT_EDITS = 2                     # OCR slips tolerated between a seal's ring and a unit name
IMAGELESS_EXT = (".docx", ".doc", ".xlsx", ".xls", ".txt", ".csv", ".pptx", ".wps")
KIND_ZH = {"finance": "财务专用章", "official": "公章", "contract": "合同专用章", "other": "专用章",
           "unknown": "印章（类别不清）"}
_STRIP = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]")
_SEAL_TAIL = ("财务专用章", "财务专用", "专用章", "公章")
# opinion boxes that are stamped before the batch is submitted; the city's boxes are filled later
STAMPED_BEFORE = {"unit_union": "所在单位工会意见", "unit_hr": "所在单位人力资源部门意见",
                  "county_union": "县（区）总工会（产业工会、市直机关工会）意见",
                  "county_hr": "县（区）人力资源社会保障部门意见"}


def _clean(s: Optional[str]) -> str:
    return _STRIP.sub("", str(s or ""))


def _ring_unit(ring: str) -> str:
    """The unit's name on a ring: the text without a trailing 财务专用章 / 公章."""
    r = _clean(ring)
    for tail in _SEAL_TAIL:
        if r.endswith(tail) and len(r) > len(tail) + 1:
            return r[: -len(tail)]
    return r


def near_contains(long: str, short: str, maxd: int) -> bool:
    """``short`` occurs in ``long`` with at most ``maxd`` edits."""
    if not short:
        return False
    if short in long:
        return True
    n = len(short)
    for L in range(max(1, n - maxd), n + maxd + 1):
        for i in range(0, max(0, len(long) - L) + 1):
            if edit_distance(long[i:i + L], short) <= maxd:
                return True
    return False


def same_unit(ring: str, unit: str) -> bool:
    """Whether a seal's ring text names ``unit``, allowing OCR slips: about two edits, or one
    name contained in the other (a seal of 开封空分集团有限公司 on a statement issued by 开封空分集团,
    or a ring read without its last characters)."""
    a, b = _ring_unit(ring), _clean(unit)
    if not a or not b:
        return False
    if a in b or b in a:
        return min(len(a), len(b)) >= 4
    d = UNIT_EDITS if min(len(a), len(b)) >= 6 else 1
    if edit_distance(a, b) <= d:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) >= 6 and near_contains(longer, shorter, d)


def imageless(it: EvidenceItem) -> bool:
    """The item was read from a text layer or an office file: no page image, so no seal could be seen."""
    if it.source:
        return it.source in ("text-layer", "office")
    return it.file.lower().endswith(IMAGELESS_EXT)


def _seal_desc(s: SealInfo) -> str:
    ring = s.ring_text or "（环文未识别）"
    return f"“{ring}{('·' + s.center_text) if s.center_text and s.center_text != '★' else ''}”{KIND_ZH.get(s.kind, '印章')}"


@rule("V05", Severity.HIGH, title="效益证明未加盖财务专用章或印章单位不符", clause="A3 7")
def finance_seal(ctx: AuditContext) -> Iterator[Finding]:
    """A benefit statement has no finance seal (财务专用章), or the seal's unit is not the
    issuing unit.

    What it checks: the seals found on the scanned pages of every benefit statement. A
    statement needs a finance seal (财务专用章) whose ring text names the issuing unit (the
    statement's 出具单位, else the nominee's employer on the approval form), compared with OCR
    tolerance (about two characters wrong, or one name containing the other). No seal at all,
    only a unit seal (公章) or another special seal, or a finance seal of another unit is high.
    A seal whose kind or ring text could not be read is reported at low as “could not check”,
    not as a fault; a seal read with confidence under 0.85 lowers the finding one step.
    Statements read from a text layer or an office file (a Word export, no page image) cannot
    show a seal: they are reported at low, asking for the stamped original.

    Why: attachment 3 item 7 requires 经济效益加盖单位财务章的原件; a statement without the
    issuing unit's finance seal proves nothing, and another unit's seal suggests a borrowed or
    made-up statement.

    Example finding: “张三”的效益证明（2019年，开封空分集团有限公司）未见财务专用章，只有“开封空分集团有限公司”公章，请提供加盖财务专用章的原件。

    Known false positives: a seal so faint or covered by print that it was not found; a ring
    misread badly enough to look like another unit (the finding carries the seal's
    confidence); a group company's finance seal on a statement issued by a branch whose
    name differs.

    Profile settings used: none.
    """
    for n in ctx.nominees:
        employer = n.form.value("employer") if n.form is not None else None
        for it in items(n, "benefit_statement"):
            yield from _check_statement(n, it, employer)


def _check_statement(n: Nominee, it: EvidenceItem, employer: Optional[str]) -> Iterator[Finding]:
    issuer = it.value("issuer")
    units = [str(u) for u in (issuer, employer) if u and _clean(str(u))]
    year = it.value("year")
    label = f"效益证明（{f'{year}年' if year else '年度不详'}{('，' + str(issuer)) if issuer else ''}）"
    who = f"“{n.name}”的{label}"
    base = item_spans(it, "issuer", "year")
    if imageless(it):
        yield Finding(
            code="V05", severity=Severity.LOW, unit=n.unit, nominee=n.name,
            message=f"{who}为电子文本（无扫描图像），无法核验是否加盖财务专用章，请提供加盖财务专用章的原件扫描件。",
            declared=issuer, found={"seals": None, "reason": "no page image"}, key=f"{it.id}:noimage",
            evidence=base)
        return
    seals = list(it.seals)
    finance = [s for s in seals if s.kind == "finance"]
    unknown = [s for s in seals if s.kind == "unknown"]
    found = [{"kind": s.kind, "ring_text": s.ring_text, "center_text": s.center_text,
              "confidence": round(s.confidence, 3)} for s in seals]
    spans = base + [s.span() for s in seals]
    if finance:
        if not units:
            return                              # nothing to compare the seal with
        if any(same_unit(s.ring_text, u) for s in finance for u in units):
            return
        readable = [s for s in finance if len(_ring_unit(s.ring_text)) >= 4]
        if not readable:
            yield Finding(
                code="V05", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                message=(f"{who}盖有财务专用章，但章上单位名称未能识别，无法核对是否为出具单位"
                         f"“{units[0]}”的印章（未能核验，并非认定有误），请人工查看原件。"),
                declared=units[0], found=found, key=f"{it.id}:unit", confidence=min(s.confidence for s in finance),
                evidence=spans)
            return
        s = max(readable, key=lambda x: x.confidence)
        low = s.confidence < LOW_CONF
        yield Finding(
            code="V05", severity=Severity.MEDIUM if low else Severity.HIGH, unit=n.unit, nominee=n.name,
            message=(f"{who}所盖财务专用章的单位为“{_ring_unit(s.ring_text)}”，与出具单位“{units[0]}”不符，"
                     f"请核实该证明是否由本单位出具，并提供本单位加盖财务专用章的原件。"
                     + (f"（印章识别置信度 {s.confidence:.0%}，可能为识别误差）" if low else "")),
            declared=units[0], found=found, key=f"{it.id}:unit", confidence=s.confidence, evidence=spans)
        return
    if unknown:
        s = max(unknown, key=lambda x: x.confidence)
        yield Finding(
            code="V05", severity=Severity.LOW, unit=n.unit, nominee=n.name,
            message=(f"{who}盖有印章{_seal_desc(s)}，但未能识别是否为财务专用章（未能核验，并非认定有误），"
                     f"请人工查看原件是否加盖出具单位的财务专用章。"),
            declared="财务专用章", found=found, key=f"{it.id}:finance", confidence=s.confidence, evidence=spans)
        return
    if seals:
        s = max(seals, key=lambda x: x.confidence)
        low = s.confidence < LOW_CONF
        what = "、".join(_seal_desc(x) for x in seals)
        yield Finding(
            code="V05", severity=Severity.MEDIUM if low else Severity.HIGH, unit=n.unit, nominee=n.name,
            message=(f"{who}未加盖财务专用章，只有{what}。请提供加盖出具单位财务专用章的原件。"
                     + (f"（印章识别置信度 {s.confidence:.0%}，可能为识别误差，请核对原件）" if low else "")),
            declared="财务专用章", found=found, key=f"{it.id}:finance", confidence=s.confidence, evidence=spans)
        return
    yield Finding(
        code="V05", severity=Severity.HIGH, unit=n.unit, nominee=n.name,
        message=f"{who}扫描件上未见任何印章，未加盖财务专用章。请提供加盖出具单位财务专用章的原件。",
        declared="财务专用章", found={"seals": []}, key=f"{it.id}:finance", evidence=spans)


def _scanned(form: DeclaredForm) -> bool:
    """Read from page images (a scan): only then were seals looked for."""
    return form.source == "ocr"


@rule("D07", Severity.MEDIUM, title="审批表意见栏未盖章", clause="A1")
def opinion_seals(ctx: AuditContext) -> Iterator[Finding]:
    """An opinion box of the signed approval form that must be stamped before submission has
    no seal.

    What it checks: on every scanned approval form (a docx or xlsx form has no seals and is
    not checked), the opinion boxes found by their labels: 所在单位工会意见, 所在单位人力资源
    部门意见, 县（区）总工会（产业工会、市直机关工会）意见 and 县（区）人力资源社会保障部门意见
    must each carry a seal inside the box. A box stamped on any scan of the form counts as
    stamped. The city's boxes (市总工会意见, 市人力资源社会保障局意见) are filled after the
    submission and are never flagged. Where the box's label was read with confidence under
    0.85 the finding is lowered to low.

    Why: attachment 1 is valid only with the opinions and seals of the unit and of the
    county (industry) union and human-resources department; an unstamped box means the form
    was not approved at that level.

    Example finding: “张三”的审批表扫描件（审批表.pdf）中“所在单位工会意见”栏未见印章，请补盖公章后重新提交扫描件。

    Known false positives: a seal so faint that it was not found; a seal stamped across the
    box border whose centre lies in the neighbouring box; a label misread so badly that the
    box was taken for another.

    Profile settings used: none.
    """
    for n in ctx.nominees:
        scans = [f for f in (n.forms or ([n.form] if n.form else [])) if _scanned(f) and f.opinions]
        if not scans:
            continue
        stamped = {o.get("box") for f in scans for o in f.opinions if o.get("seal")}
        done: set[str] = set()
        for f in scans:
            for o in f.opinions:
                key = o.get("box")
                if key not in STAMPED_BEFORE or key in stamped or key in done:
                    continue
                done.add(key)
                label = o.get("label") or STAMPED_BEFORE[key]
                conf = o.get("confidence")
                low = conf is not None and float(conf) < LOW_CONF
                span = o.get("span")
                spans = [span] if isinstance(span, Span) else [Span(file=f.file, page=o.get("page"), text=label)]
                yield Finding(
                    code="D07", severity=Severity.LOW if low else Severity.MEDIUM, unit=n.unit, nominee=n.name,
                    message=(f"“{n.name}”的审批表扫描件（{f.file.rsplit('/', 1)[-1]}）中“{STAMPED_BEFORE[key]}”栏"
                             f"未见印章，请补盖公章后重新提交扫描件。"
                             + (f"（该栏标签识别置信度 {float(conf):.0%}，请人工核对）" if low else "")),
                    declared="盖章", found={"box": key, "label": label, "seal": False},
                    key=key, confidence=float(conf) if conf is not None else None, evidence=spans)
