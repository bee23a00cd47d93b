"""V rules: the evidence against the declared figures (A1 A2, A3 item 7)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Iterator, Optional

from audit.ids import parse_patent_number
from audit.model import KIND_ZH, AuditContext, EvidenceItem, Fact, Finding, Nominee, Severity, Span
from rules.common import fact_spans, fmt
from rules.process import norm_name
from rules.registry import rule

TOL = Decimal("0.005")   # 万元: half a yuan-hundred; statements are exact to the yuan
PTYPE_ZH = {"invention": "发明专利", "utility": "实用新型专利", "design": "外观设计专利",
            "pct-invention": "发明专利（PCT）", "pct-utility": "实用新型专利（PCT）"}


def items(n: Nominee, kind: str) -> list[EvidenceItem]:
    return [it for it in n.evidence if it.kind == kind]


def item_spans(it: EvidenceItem, *keys: str) -> list[Span]:
    spans = fact_spans(*(it.fields.get(k) for k in keys))
    return spans or [Span(file=it.file, page=it.pages[0] if it.pages else None, sha256=it.sha256,
                          text=it.text[:40])]


def declared(n: Nominee, form_key: str, summary_keys: Iterable[str] = ()) -> Optional[Fact]:
    """A declared count: the approval form's, else the summary table's (summed)."""
    if n.form is not None:
        f = n.form.counts.get(form_key)
        if f is not None and f.value is not None:
            return f
    if n.summary is not None:
        got = [n.summary.values.get(k) for k in summary_keys]
        got = [g for g in got if g is not None and g.value is not None]
        if got:
            total = sum(int(g.value) for g in got)
            return Fact(value=total, raw=str(total), spans=[s for g in got for s in g.spans])
    return None


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def patent_type(it: EvidenceItem) -> Optional[str]:
    t = it.value("ptype_title") or it.value("ptype_digit")
    return {"pct-invention": "invention", "pct-utility": "utility"}.get(t, t)


def distinct_patents(n: Nominee) -> dict[str, EvidenceItem]:
    """The nominee's patent certificates, one per application number (or per page if unread)."""
    out: dict[str, EvidenceItem] = {}
    for it in items(n, "patent_certificate"):
        key = str(it.value("number") or it.id)
        out.setdefault(key, it)
    return out


@rule("V01", Severity.HIGH, title="专利数量与证书不符", clause="A1 A2")
def patents_by_type(ctx: AuditContext) -> Iterator[Finding]:
    """Patents declared by type differ from the patent certificates found.

    What it checks: the invention patents and the utility-model plus design patents declared
    on the approval form (else the summary table) against the distinct patent certificates
    (by application number) in the nominee's evidence, by type (from the certificate's
    title, else the number's type digit). Fewer found than declared is high; more found is
    low (the nominee under-declared, or counted another person's patent).

    Why: attachments 1 and 2 declare 专利数量; attachment 3 item 7 requires the certificates.

    Example finding: “张三”申报发明专利 2 件，证明材料中只找到 1 件发明专利证书（ZL201710601862.3）。

    Known false positives: a patent proved by a grant notice or a search report instead of
    the certificate; certificates that could not be read (see M03).

    Profile settings used: none.
    """
    for n in ctx.nominees:
        pats = distinct_patents(n)
        by_type: dict[str, list[EvidenceItem]] = {"invention": [], "utility_design": []}
        for it in pats.values():
            t = patent_type(it)
            by_type["invention" if t == "invention" else "utility_design"].append(it)
        checks = [("invention", "发明专利", declared(n, "patents.invention", ["patents.invention"])),
                  ("utility_design", "实用新型/外观设计专利",
                   declared(n, "patents.utility_design", ["patents.utility", "patents.design"]))]
        for key, zh, dec in checks:
            if dec is None:
                continue
            want, got = int(dec.value), by_type[key]
            if want == len(got):
                continue
            fewer = len(got) < want
            nums = "、".join(str(it.value("number") or "编号不清") for it in got) or "无"
            yield Finding(
                code="V01", severity=Severity.HIGH if fewer else Severity.LOW, unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”申报{zh} {want} 件，证明材料中找到 {len(got)} 件（{nums}）。"
                         + ("请要求补充专利证书或核减申报数。" if fewer else "申报数少于证书数，请核实是否计入了他人专利。")),
                declared=want, found={"count": len(got), "numbers": [it.value("number") for it in got]},
                key=key, evidence=dec.spans + [s for it in got for s in item_spans(it, "number")])


@rule("V02", Severity.HIGH, title="专利号格式、校验位或类型不符", clause="A3 7")
def patent_number_valid(ctx: AuditContext) -> Iterator[Finding]:
    """A patent number is malformed, its check character is wrong, or its type digit
    disagrees with the certificate's title.

    What it checks: every application number on a patent certificate of the evidence:
    structure (year, type digit, serial), the check character (weights 2-9 cycling, mod 11,
    10 written X) and the type digit (1 invention, 2 utility model, 3 design) against the
    title (发明专利证书 / 实用新型专利证书 / 外观设计专利证书).

    Why: a wrong check character or a type that contradicts the title is the usual trace of
    an edited certificate number.

    Example finding: “张三”的专利证书专利号 ZL201220572874.1 校验位错误（应为 0），请向国家知识产权局核查。

    Known false positives: an OCR misread of one digit; the finding then carries the reading
    confidence and a lower severity.

    Profile settings used: none.
    """
    for n in ctx.nominees:
        for it in items(n, "patent_certificate"):
            f = it.fields.get("number")
            if f is None:
                continue
            pn = parse_patent_number(f.raw or str(f.value or ""))
            problems = []
            if pn is None:
                problems.append("格式不正确")
            else:
                if not pn.valid_check:
                    problems.append(f"校验位错误（应为 {pn.expected_check}）")
                title_t = it.value("ptype_title")
                digit_t = {"pct-invention": "invention", "pct-utility": "utility"}.get(pn.type_name, pn.type_name)
                if title_t and digit_t and title_t != digit_t:
                    problems.append(f"类型位表示{PTYPE_ZH.get(pn.type_name, pn.type_name)}，而证书标题为{PTYPE_ZH.get(title_t, title_t)}")
            if not problems:
                continue
            low = f.confidence is not None and f.confidence < 0.85
            yield Finding(
                code="V02", severity=Severity.MEDIUM if low else Severity.HIGH, unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”的专利证书专利号 {f.raw or f.value}{'；'.join(problems)}，请向国家知识产权局核查。"
                         + (f"（识别置信度 {f.confidence:.0%}，可能为识别误差）" if low else "")),
                found={"number": f.raw or f.value, "problems": problems}, confidence=f.confidence,
                key=str(f.value or f.raw), evidence=item_spans(it, "number", "ptype_title"))


def statement_years(it: EvidenceItem) -> list[tuple[int, Optional[Decimal], Optional[Decimal]]]:
    rows = it.value("by_year")
    if rows:
        return [(int(r["year"]), r.get("created"), r.get("saved")) for r in rows if r.get("year")]
    y = it.value("year")
    if y is None:
        return []
    return [(int(y), it.value("created"), it.value("saved"))]


BENEFIT_KEYS = (("benefit.created", "创效", 1), ("benefit.saved", "节资", 2))   # key, name, column


def benefit_backing(stmts: Iterable[EvidenceItem], year: int, col: int) -> list[tuple[EvidenceItem, Any]]:
    """(statement, amount) of each statement row for ``year`` that gives the amount in column
    ``col`` of :func:`statement_years` (1 created, 2 saved)."""
    return [(it, row[col]) for it in stmts for row in statement_years(it) if row[0] == year and row[col] is not None]


@rule("V04", Severity.HIGH, title="经济效益与效益证明不符", clause="A1 A2 A3 7")
def benefit_by_year(ctx: AuditContext) -> Iterator[Finding]:
    """Economic benefit declared for a year differs from the benefit statements of that year.

    What it checks: for each evaluation year, 创效 and 节资 (万元) on the approval form against
    the sums of the amounts created and saved on the nominee's benefit statements for that
    year (amounts in 元 converted to 万元 exactly). A declared figure above zero with no
    statement for the year is reported too.

    Why: the notice requires 经济效益加盖单位财务章的原件; the declared figure must be the sum
    of what the statements prove.

    Example finding: “张三”2019年创效申报 45 万元，该年度效益证明合计 40 万元（2 份）。

    Known false positives: a statement dated in January for the previous year's benefit whose
    year is not written; one statement covering a team, of which the nominee declared a share.

    Profile settings used: years.
    """
    for n in ctx.nominees:
        if n.form is None:
            continue
        stmts = items(n, "benefit_statement")
        for year in ctx.profile.years:
            for key, zh, col in BENEFIT_KEYS:
                dec = n.form.per_year.get(key, {}).get(year)
                if dec is None or dec.value is None:
                    continue
                want = Decimal(str(dec.value))
                backing = benefit_backing(stmts, year, col)
                got = sum((Decimal(str(v)) for _, v in backing), Decimal(0))
                if abs(got - want) <= TOL or (want == 0 and not backing):
                    continue
                what = f"该年度效益证明合计 {fmt(got)} 万元（{len(backing)} 份）" if backing else "未找到该年度的效益证明"
                yield Finding(
                    code="V04", severity=Severity.HIGH, unit=n.unit, nominee=n.name,
                    message=f"“{n.name}”{year}年{zh}申报 {fmt(want)} 万元，{what}。",
                    declared=want, found={"sum": got, "statements": len(backing)}, key=f"{year}:{key}",
                    evidence=dec.spans + [s for it, _ in backing for s in item_spans(it, key.split('.')[1])])


@rule("V14", Severity.HIGH, title="效益证明大小写金额不一致", clause="A3 7")
def capitals_match(ctx: AuditContext) -> Iterator[Finding]:
    """The amount in figures and the amount in capital numerals (大写) on one statement disagree.

    What it checks: on each benefit statement, 创效 and 节资 written in figures against the
    same amounts written in capitals (人民币壹拾贰万伍仟元整), both converted to 万元 exactly.

    Why: financial documents carry the capitals to stop figures being altered; a mismatch
    means one of them was changed after the statement was drawn up.

    Example finding: “张三”的效益证明（2019年）小写金额 125000 元与大写“壹拾伍万元整”（150000 元）不一致。

    Known false positives: a capital numeral misread by OCR (the finding carries the
    confidence).

    Profile settings used: none.
    """
    for n in ctx.nominees:
        for it in items(n, "benefit_statement"):
            for key, zh in (("created", "创效"), ("saved", "节资")):
                fig, cap = it.fields.get(key), it.fields.get(f"{key}_capitals")
                if fig is None or cap is None or fig.value is None or cap.value is None:
                    continue
                if abs(Decimal(str(fig.value)) - Decimal(str(cap.value))) <= TOL:
                    continue
                raw_f = it.value(f"{key}_raw") or fmt(fig.value)
                raw_c = it.value(f"{key}_capitals_raw") or fmt(cap.value)
                yield Finding(
                    code="V14", severity=Severity.HIGH, unit=n.unit, nominee=n.name,
                    message=(f"“{n.name}”的效益证明（{it.value('year') or '年度不详'}）{zh}小写金额 {raw_f}"
                             f"（{fmt(fig.value)} 万元）与大写“{raw_c}”（{fmt(cap.value)} 万元）不一致。"),
                    declared=fig.value, found=cap.value, key=f"{it.id}:{key}",
                    evidence=item_spans(it, key, f"{key}_capitals"))


HOLDER_FIELDS = {
    "skill_certificate": ("holder", "职业技能证书"),
    "honor_certificate": ("holder", "荣誉证书"),
    "competition_award": ("holder", "竞赛获奖证书"),
    "innovation_award": ("holder", "创新成果奖证书"),
    "benefit_statement": ("persons", "效益证明"),
    "apprentice_agreement": ("master", "师带徒协议"),
}


def _names(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [norm_name(str(x)) for x in v if x]
    return [norm_name(x) for x in str(v).replace("，", "、").replace(",", "、").split("、") if x]


@rule("V11", Severity.HIGH, title="证明材料为他人姓名", clause="A3 7")
def evidence_in_other_name(ctx: AuditContext) -> Iterator[Finding]:
    """A certificate, agreement or statement is in another person's name.

    What it checks: the holder of each skill certificate, honor, competition and innovation
    award, the person(s) credited by each benefit statement and the master of each
    apprentice agreement, against the nominee's name. A name one character off is reported
    at medium as a possible misreading; a different name at high.

    Why: evidence must prove the nominee's own achievements (attachment 3, item 7).

    Example finding: “张三”的荣誉证书持有人为“李四”，不是本人。

    Known false positives: a team award or statement naming the team leader only; a name
    changed since the certificate was issued.

    Profile settings used: none.
    """
    for n in ctx.nominees:
        me = norm_name(n.name)
        if not me:
            continue
        for it in n.evidence:
            spec = HOLDER_FIELDS.get(it.kind)
            if spec is None:
                continue
            key, zh = spec
            f = it.fields.get(key) or (it.fields.get("person") if key == "persons" else None)
            names = _names(f.value if f else None)
            if not names or me in names:
                continue
            closest = min(edit_distance(me, x) for x in names)
            if closest == 0:
                continue
            near = closest == 1 and len(me) >= 2
            who = "、".join(names)
            yield Finding(
                code="V11", severity=Severity.MEDIUM if near else Severity.HIGH, unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”的{zh}上的姓名为“{who}”，不是本人。"
                         + ("（仅一字之差，可能为识别误差，请核对原件。）" if near else "请核实该材料是否属于本人。")),
                declared=n.name, found=who, key=it.id, confidence=f.confidence if f else None,
                evidence=item_spans(it, key if it.fields.get(key) else "person"))


@rule("V03", Severity.MEDIUM, title="本人不在专利发明人之列", clause="A3 7")
def patent_inventor(ctx: AuditContext) -> Iterator[Finding]:
    """The nominee is not among the inventors/designers of a patent counted for them.

    What it checks: the 发明人 / 设计人 list of every patent certificate in the nominee's
    evidence (one per application number) against the nominee's name. A name one character
    off is reported at low as a possible misreading; a list without the nominee at medium.
    A certificate whose inventor list could not be read is not judged.

    Why: attachment 3 item 7 asks for the patents the nominee obtained; a patent of which
    the nominee is not an inventor is someone else's achievement (often a colleague's, or
    the employer's patent counted for the nominee).

    Example finding: “张三”的专利证书（ZL 2019 2 0123456.X，一种焊接烟尘收集装置）发明人为“李四、王五”，本人不在发明人之列。请核实该专利是否应计入本人专利数。

    Known false positives: a name changed since the filing; an inventor list cut short by
    OCR (等 … 人) that hides the nominee; a patent included only as background and not
    counted in the declared figure (V01 compares the counts).

    Profile settings used: none.
    """
    for n in ctx.nominees:
        me = norm_name(n.name)
        if not me:
            continue
        for key, it in distinct_patents(n).items():
            f = it.fields.get("inventors")
            names = _names(f.value if f is not None else None)
            if not names or me in names or me in "".join(names) or me in norm_name(f.raw or ""):
                continue                # names run together by OCR (苏栋张三) still hold the nominee
            closest = min(edit_distance(me, x) for x in names)
            near = closest == 1 and len(me) >= 2
            low = f.confidence is not None and f.confidence < 0.85
            sev = Severity.LOW if (near or low) else Severity.MEDIUM
            who = "、".join(names)
            num = it.value("number") or "专利号不清"
            title = it.value("title")
            yield Finding(
                code="V03", severity=sev, unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”的专利证书（{num}{('，' + str(title)) if title else ''}）发明人为“{who}”，"
                         f"本人不在发明人之列。请核实该专利是否应计入本人专利数。"
                         + ("（有一人姓名仅一字之差，可能为识别误差，请核对原件。）" if near else "")
                         + (f"（识别置信度 {f.confidence:.0%}。）" if low else "")),
                declared=n.name, found=who, key=str(key), confidence=f.confidence,
                evidence=item_spans(it, "inventors", "number"))


def audit_today(ctx: AuditContext) -> date:
    """The day the audit counts as today: the profile's ``audit_date`` (tests pin it), else the
    context's, else the clock."""
    v = ctx.profile.get("audit_date") if hasattr(ctx.profile, "get") else None
    v = v or getattr(ctx, "audit_date", None)
    if isinstance(v, date):
        return v
    if v:
        return date.fromisoformat(str(v))
    return date.today()


def submitted_on(ctx: AuditContext, n: Nominee) -> tuple[date, str, Optional[Fact]]:
    """(date, what it is, fact) the nominee's materials count as submitted: the unit's report
    date (when read with confidence), else the profile's deadline."""
    u = ctx.unit_of(n)
    rd = u.report_date if u is not None else None
    if rd is not None and isinstance(rd.value, date) and not (rd.confidence is not None and rd.confidence < 0.85):
        return rd.value, "推荐报告日期", rd
    return ctx.profile.deadline, "申报截止日", None


DATE_KEYS = ("date", "sign_date", "granted", "filed", "adoption_date")
# the evidence documents whose dates V10 checks
DATED_KINDS = {"skill_certificate", "honor_certificate", "competition_award", "innovation_award",
               "benefit_statement", "apprentice_agreement", "training_list", "media_clipping", "standard_doc",
               "patent_certificate"}


def _as_date(v) -> Optional[date]:
    return v if isinstance(v, date) else None


@rule("V10", Severity.MEDIUM, title="证明材料日期超出评选年度或晚于报送", clause="A3 7")
def evidence_dates(ctx: AuditContext) -> Iterator[Finding]:
    """A piece of evidence is dated outside the evaluation years where the figure is per
    year, or after the submission, or in the future.

    What it checks: (1) evidence behind a per-year figure of the form: the year of each
    benefit statement (or each row of a multi-year table), the signing date of each
    apprentice agreement, the date of each standard / work method and the promotion date
    of each row of the training list, against the profile's evaluation years; (2) every
    date on every piece of evidence (issue, signing, grant, filing, adoption date, the
    training rows) against the submission (the unit's report date, else the deadline) and
    against the audit date (a future date). Honors and certificates of earlier years are
    legitimate and not reported. A date read with low OCR confidence gives a lower severity.

    Why: attachment 3 item 7: the evidence proves the figures of the evaluation years
    (2018-2020); a document dated after the materials were submitted, or in the future,
    cannot have been part of the submission as made, and points at a backdated or edited
    paper.

    Example finding: “张三”的效益证明（2017年，“焊接工艺改进”）所属年度 2017 年不在评选年度 2018-2020 年内，不应计入各年度经济效益。

    Known false positives: a benefit statement for the year before the campaign kept as
    background and not counted; an agreement signed in December for the next year; a date
    misread by OCR (the confidence is given).

    Profile settings used: years, deadline, audit_date.
    """
    years = list(ctx.profile.years)
    span_txt = f"{min(years)}-{max(years)}" if years else ""
    today = audit_today(ctx)
    for n in ctx.nominees:
        sub, sub_what, sub_fact = submitted_on(ctx, n)
        for it in n.evidence:
            if it.kind not in DATED_KINDS:
                continue
            zh = KIND_ZH[it.kind]
            label = f"{zh}（{it.value('project') or it.value('apprentice') or it.value('title') or it.value('number') or '第' + str(it.pages[0] if it.pages else '?') + '页'}）"
            # every date on the document
            dated: list[tuple[str, date, Optional[Fact]]] = []
            for k in DATE_KEYS:
                f = it.fields.get(k)
                d = _as_date(f.value) if f is not None else None
                if d is not None:
                    dated.append((k, d, f))
            rows = it.value("rows") if it.kind == "training_list" else None
            rows_f = it.fields.get("rows")
            for r in rows or []:
                d = _as_date(r.get("date")) if isinstance(r, dict) else None
                if d is not None:
                    dated.append((f"row:{r.get('name') or ''}", d, rows_f))
            problem = None
            late = [(k, d, f) for k, d, f in dated if d > today]
            if late:
                k, d, f = max(late, key=lambda x: x[1])
                problem = ("future", f"日期 {d.isoformat()} 晚于审核日期 {today.isoformat()}（未来日期）", d, f)
            else:
                after = [(k, d, f) for k, d, f in dated if d > sub]
                if after:
                    k, d, f = max(after, key=lambda x: x[1])
                    problem = ("after", f"日期 {d.isoformat()} 晚于材料报送（{sub_what} {sub.isoformat()}）", d, f)
            if problem is None and years:
                out = _outside_years(it, years)
                if out:
                    what, y, f = out
                    problem = ("years", f"{what} {y} 年不在评选年度 {span_txt} 年内，不应计入各年度申报数", y, f)
            if problem is None:
                continue
            tag, text, val, f = problem
            low = f is not None and f.confidence is not None and f.confidence < 0.85
            sev = Severity.LOW if low else Severity.MEDIUM
            tail = {"future": "请核实该材料的真实性。", "after": "请核实该材料是否为报送后补充或日期有误。",
                    "years": "请核实并核减相应年度的申报数。"}[tag]
            ev = (fact_spans(f) if f is not None else []) or item_spans(it)
            if tag == "after" and sub_fact is not None:
                ev = ev + sub_fact.spans
            yield Finding(
                code="V10", severity=sev, unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”的{label}{text}。{tail}"
                         + (f"（识别置信度 {f.confidence:.0%}，可能为识别误差。）" if low else "")),
                found={"problem": tag, "date": val if not isinstance(val, int) else None,
                       "year": val if isinstance(val, int) else None,
                       "submitted": sub if tag == "after" else None, "years": years if tag == "years" else None},
                key=f"{it.id}:{tag}", confidence=f.confidence if f is not None else None, evidence=ev)


def _outside_years(it: EvidenceItem, years: list[int]) -> Optional[tuple[str, int, Optional[Fact]]]:
    """(what, year, fact) of the first per-year date of the item outside the years."""
    if it.kind == "benefit_statement":
        for y, _c, _s in statement_years(it):
            if y not in years:
                return "效益所属年度", y, it.fields.get("year") or it.fields.get("by_year")
        return None
    if it.kind == "apprentice_agreement":
        for k in ("sign_date", "start"):
            f = it.fields.get(k)
            d = _as_date(f.value) if f is not None else None
            if d is not None:
                return ("协议签订年度", d.year, f) if d.year not in years else None
        return None
    if it.kind == "standard_doc":
        f = it.fields.get("date")
        d = _as_date(f.value) if f is not None else None
        return ("发布（总结）年度", d.year, f) if d is not None and d.year not in years else None
    if it.kind == "training_list":
        for r in it.value("rows") or []:
            d = _as_date(r.get("date")) if isinstance(r, dict) else None
            if d is not None and d.year not in years:
                return f"{r.get('name') or ''}晋升等级的", d.year, it.fields.get("rows")
        return None
    return None
