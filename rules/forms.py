"""D rules: the approval form (attachment 1) and the summary table (attachment 2) themselves."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator, Optional

from audit.ids import check_id_number
from audit.model import AuditContext, DeclaredForm, Fact, Finding, Nominee, Severity, Span
from audit.resume import months, parse_resume
from rules.common import fact_spans, fmt
from rules.process import summary_row
from rules.registry import rule

FIELD_LABEL = {
    "name": "姓名", "gender": "性别", "ethnicity": "民族", "birth": "出生年月",
    "politics": "政治面貌", "education": "学历", "skill_level": "技术等级", "title": "职称",
    "specialty": "专业特长", "position": "职务", "honors": "所获荣誉及年份",
    "id_number": "身份证号", "phone": "联系电话", "employer": "工作单位", "unit": "推荐单位",
    "resume": "个人简历", "awards_text": "受奖情况", "achievements": "主要业绩",
}
REASON = {
    "length": "位数不对（应为 18 位）", "chars": "含有非法字符", "check-digit": "校验码错误",
    "birth-date": "出生日期不存在", "future-birth": "出生日期晚于今天", "region": "地区码不存在",
    "fifteen-digit": "为 15 位旧号码，应使用 18 位身份证号",
}


def forms_of(ctx: AuditContext) -> Iterator[tuple[Nominee, DeclaredForm]]:
    for n in ctx.nominees:
        if n.form is not None:
            yield n, n.form


def _ev(form: DeclaredForm, *facts: Optional[Fact]) -> list[Span]:
    spans = fact_spans(*facts)
    return spans or [Span(file=form.file)]


def text_length(s: str) -> int:
    """Characters as a Chinese word processor counts them: everything but whitespace."""
    return len(re.sub(r"\s+", "", s or ""))


@rule("D01", Severity.HIGH, title="身份证号码格式或校验码错误", clause="A1")
def id_number_valid(ctx: AuditContext) -> Iterator[Finding]:
    """The resident ID number on the approval form is malformed or its check digit is wrong.

    What it checks: the 身份证号 of each approval form against GB 11643: 18 characters, a
    known region code, a real birth date not in the future, and the check digit.

    Why: attachment 1 asks for the ID number; a wrong one means the form was filled
    carelessly or for another person, and every check that relies on it (age, gender,
    apprentice identity) is void.

    Example finding: “张三”审批表上的身份证号 410202********1235 校验码错误，请核对原件。

    Known false positives: an OCR misread of one digit on a scanned form; the finding then
    carries the OCR confidence and a lower severity.

    Profile settings used: none.
    """
    for n, form in forms_of(ctx):
        f = form.fields.get("id_number")
        if f is None or f.empty:
            continue                       # D08 reports an empty field
        chk = check_id_number(str(f.value))
        if chk.ok:
            continue
        low_conf = f.confidence is not None and f.confidence < 0.85
        sev = Severity.MEDIUM if low_conf else Severity.HIGH
        note = f"（扫描件识别置信度 {f.confidence:.0%}，可能为识别误差）" if low_conf else ""
        yield Finding(
            code="D01", severity=sev, unit=n.unit, nominee=n.name,
            message=f"“{n.name}”审批表上的身份证号 {f.value} {REASON.get(chk.reason, chk.reason)}，请核对身份证原件。{note}",
            declared=str(f.value), found={"reason": chk.reason}, confidence=f.confidence,
            key="id", evidence=_ev(form, f))


@rule("D02", Severity.MEDIUM, title="出生年月或性别与身份证号不符", clause="A1")
def birth_gender_match_id(ctx: AuditContext) -> Iterator[Finding]:
    """The birth date or gender written on the form disagrees with the ID number.

    What it checks: 出生年月 (year and month) and 性别 on the approval form against the
    birth date (digits 7-14) and the gender digit (17th: odd = male) of a valid ID number.

    Why: attachment 1; a mismatch means one of the two was written wrongly, or the ID
    belongs to someone else.

    Example finding: “张三”审批表填写出生年月 1978.05，身份证号显示 1978.06。

    Known false positives: a form that gives the date of joining work in the birth box.

    Profile settings used: none.
    """
    for n, form in forms_of(ctx):
        f = form.fields.get("id_number")
        if f is None or f.empty:
            continue
        chk = check_id_number(str(f.value))
        if not chk.ok or chk.birth is None:
            continue                       # D01 reports it
        b = form.fields.get("birth")
        if b is not None and not b.empty and hasattr(b.value, "year"):
            if (b.value.year, b.value.month) != (chk.birth.year, chk.birth.month):
                yield Finding(
                    code="D02", severity=Severity.MEDIUM, unit=n.unit, nominee=n.name,
                    message=(f"“{n.name}”审批表填写出生年月 {b.value.year}.{b.value.month:02d}，"
                             f"身份证号显示 {chk.birth.year}.{chk.birth.month:02d}，两者不一致。"),
                    declared=f"{b.value.year}-{b.value.month:02d}",
                    found=f"{chk.birth.year}-{chk.birth.month:02d}", key="birth",
                    evidence=_ev(form, b, f))
        g = form.fields.get("gender")
        if g is not None and not g.empty:
            said = "M" if "男" in str(g.value) else "F" if "女" in str(g.value) else None
            if said and said != chk.gender:
                zh = {"M": "男", "F": "女"}
                yield Finding(
                    code="D02", severity=Severity.MEDIUM, unit=n.unit, nominee=n.name,
                    message=f"“{n.name}”审批表填写性别“{g.value}”，身份证号显示为{zh[chk.gender]}性。",
                    declared=zh[said], found=zh[chk.gender], key="gender", evidence=_ev(form, g, f))


@rule("D03", Severity.LOW, title="主要业绩超过字数限制", clause="A1")
def achievements_length(ctx: AuditContext) -> Iterator[Finding]:
    """主要业绩 on the approval form is longer than the limit.

    What it checks: the number of characters (whitespace excluded) of 主要业绩.

    Why: attachment 1 主要业绩（800字以内）.

    Example finding: “张三”审批表“主要业绩”共 912 字，超过 800 字的限制。

    Known false positives: on a scanned form, text of a neighbouring cell read into the box.

    Profile settings used: limits.achievements_chars.
    """
    limit = int(ctx.profile.get("limits.achievements_chars", 800))
    for n, form in forms_of(ctx):
        f = form.fields.get("achievements")
        if f is None or f.empty:
            continue
        k = text_length(str(f.value))
        if k > limit:
            yield Finding(
                code="D03", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                message=f"“{n.name}”审批表“主要业绩”共 {k} 字，超过 {limit} 字的限制。",
                declared={"limit": limit}, found={"chars": k}, key="achievements",
                evidence=_ev(form, f))


@rule("D04", Severity.LOW, title="个人简历未逐月填写或有空档", clause="A1")
def resume_continuous(ctx: AuditContext) -> Iterator[Finding]:
    """The resume is not given month by month from first employment, or has gaps.

    What it checks: each entry of 个人简历 starts and ends with a year and a month (the last
    may end 至今), entries follow each other in time, and the next entry starts at most one
    month after the previous one ended.

    Why: attachment 1 个人简历（从参加工作起填起，具体到月份）.

    Example finding: “张三”的个人简历在 2005.03 至 2007.09 之间有 30 个月空档；第 2 条未写到月份。

    Known false positives: study or military service written in another box; overlapping
    part-time posts are accepted, only gaps are flagged.

    Profile settings used: none.
    """
    for n, form in forms_of(ctx):
        f = form.fields.get("resume")
        if f is None or f.empty:
            continue
        entries = parse_resume(str(f.value))
        problems: list[str] = []
        if not entries:
            problems.append("未按“起止年月 + 单位职务”的格式填写")
        for i, e in enumerate(entries, 1):
            if e.start[1] is None or (e.end is not None and e.end[1] is None):
                problems.append(f"第 {i} 条（{e.line[:30]}）未具体到月份")
        for prev, cur in zip(entries, entries[1:]):
            if prev.end is None:
                problems.append(f"“{prev.line[:30]}”写作至今，但其后仍有经历")
                continue
            gap = months(cur.start) - months(prev.end) - 1
            if gap > 1 and prev.end[1] is not None and cur.start[1] is not None:
                problems.append(f"{prev.end[0]}.{prev.end[1]:02d} 至 {cur.start[0]}.{cur.start[1]:02d} 之间有 {gap} 个月空档")
            elif months(cur.start) < months(prev.start):
                problems.append(f"“{cur.line[:30]}”早于前一条，未按时间顺序填写")
        if problems:
            yield Finding(
                code="D04", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                message=f"“{n.name}”的个人简历：{'；'.join(problems)}。",
                found={"problems": problems}, key="resume", evidence=_ev(form, f))


def _dec(v) -> Optional[Decimal]:
    if v is None:
        return None
    try:
        return Decimal(str(v))
    except Exception:
        return None


def form_vs_summary_pairs(form: DeclaredForm, row, years: list[int]):
    """(label, form value(s), summary value(s), evidence facts) for every figure on both."""
    def fv(key):
        return form.counts.get(key)

    def sv(key):
        return row.values.get(key)
    pairs = [
        ("发明专利（件）", [fv("patents.invention")], [sv("patents.invention")]),
        ("实用新型/外观设计专利（件）", [fv("patents.utility_design")], [sv("patents.utility"), sv("patents.design")]),
    ]
    for lvl, zh in (("national", "国家级"), ("provincial", "省部级"), ("prefecture", "地厅级"), ("enterprise", "企业级")):
        pairs.append((f"创新成果获奖·{zh}（项）", [fv(f"awards.{lvl}")], [sv(f"innovation.{lvl}")]))
    for y in years:
        c = form.per_year.get("benefit.created", {}).get(y)
        s = form.per_year.get("benefit.saved", {}).get(y)
        pairs.append((f"{y}年经济效益（万元）", [c, s], [sv(f"benefit.{y}")]))
        pairs.append((f"{y}年签订师带徒协议（份）", [form.per_year.get("apprentices", {}).get(y)], [sv(f"apprentices.{y}")]))
    return pairs


@rule("D05", Severity.MEDIUM, title="审批表与汇总表数字不一致", clause="A1 A2")
def form_matches_summary(ctx: AuditContext) -> Iterator[Finding]:
    """A figure on the approval form differs from the same figure in the summary table.

    What it checks: for each nominee with both a form and a summary-table row: invention
    patents; utility-model plus design patents (the form gives them as one figure);
    innovation awards by level; economic benefit per year (the table's single figure must
    equal the form's 创效 plus 节资, or 创效 alone); apprentice agreements per year.
    A figure left blank on either side is not compared (D08 reports blanks on the form).

    Why: attachments 1 and 2 declare the same achievements twice; a difference means one
    of them is wrong, and the expert panel scores from the table.

    Example finding: “张三”2019年经济效益：审批表为 45（创效 40 + 节资 5）万元，汇总表为 54 万元。

    Known false positives: a unit that puts only 节资 or a different year into the table's
    benefit column; awards the table counts as competition awards and the form as innovation
    awards.

    Profile settings used: years.
    """
    years = ctx.profile.years
    for n, form in forms_of(ctx):
        unit = ctx.unit_of(n)
        row = n.summary or (summary_row(unit, n) if unit else None)
        if row is None:
            continue
        for label, fvals, svals in form_vs_summary_pairs(form, row, years):
            fnums = [_dec(f.value) if f is not None else None for f in fvals]
            snums = [_dec(s.value) if s is not None else None for s in svals]
            if all(x is None for x in fnums) or all(x is None for x in snums):
                continue
            stotal = sum((x for x in snums if x is not None), Decimal(0))
            fknown = [x for x in fnums if x is not None]
            options = {sum(fknown, Decimal(0))}
            if len(fnums) == 2 and fnums[0] is not None:
                options.add(fnums[0])         # 创效 alone
            if any(abs(o - stotal) < Decimal("0.005") for o in options):
                continue
            fdesc = fmt(sum(fknown, Decimal(0)))
            if len(fnums) == 2 and all(x is not None for x in fnums):
                fdesc += f"（创效 {fmt(fnums[0])} + 节资 {fmt(fnums[1])}）"
            yield Finding(
                code="D05", severity=Severity.MEDIUM, unit=n.unit, nominee=n.name,
                message=f"“{n.name}”{label}：审批表为 {fdesc}，汇总表为 {fmt(stotal)}，两者不一致。",
                declared={"form": [None if x is None else x for x in fnums]},
                found={"summary": stotal}, key=label,
                evidence=fact_spans(*fvals, *svals) or [Span(file=form.file)])


@rule("D06", Severity.LOW, title="事迹材料超过字数限制", clause="A3 5")
def deeds_length(ctx: AuditContext) -> Iterator[Finding]:
    """The deeds material (事迹材料) is longer than the limit.

    What it checks: the number of characters (whitespace excluded) of the deeds document
    (docx, txt, or a PDF with a text layer or OCR'd).

    Why: attachment 3, item 5 事迹材料及电子版（1500字以内）.

    Example finding: “张三”的事迹材料共 1,863 字，超过 1500 字的限制。

    Known false positives: a title page, headers or a table of figures counted as text.

    Profile settings used: limits.deeds_chars.
    """
    limit = int(ctx.profile.get("limits.deeds_chars", 1500))
    for n in ctx.nominees:
        f = n.deeds_text
        if f is None or f.empty:
            continue
        k = text_length(str(f.value))
        if k > limit:
            yield Finding(
                code="D06", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                message=f"“{n.name}”的事迹材料共 {k:,} 字，超过 {limit} 字的限制。",
                declared={"limit": limit}, found={"chars": k}, key="deeds",
                evidence=f.spans[:1] or [])


@rule("D08", Severity.LOW, title="审批表必填项为空或无法辨认", clause="A1")
def required_fields(ctx: AuditContext) -> Iterator[Finding]:
    """A required field of the approval form is empty or unreadable.

    What it checks: each field the profile lists as required (姓名, 性别, 民族, 出生年月,
    政治面貌, 学历, 技术等级, 专业特长, 身份证号, 联系电话, 工作单位, 推荐单位, 个人简历,
    主要业绩 by default) is present on the form and holds a readable value.

    Why: attachment 1 is a form the unit must fill completely.

    Example finding: “张三”审批表以下栏目为空：民族、联系电话。

    Known false positives: a field written outside its box on a scan; a form template of a
    unit that dropped a field entirely (then reported as not found).

    Profile settings used: required_fields.
    """
    need = ctx.profile.get("required_fields", []) or []
    for n, form in forms_of(ctx):
        empty, absent, unreadable = [], [], []
        spans: list[Span] = []
        for key in need:
            f = form.fields.get(key)
            label = FIELD_LABEL.get(key, key)
            if f is None:
                absent.append(label)
            elif f.value is None and f.raw.strip():
                unreadable.append(label)
                spans.extend(f.spans)
            elif f.empty:
                empty.append(label)
                spans.extend(f.spans)
        parts = []
        if empty:
            parts.append(f"以下栏目为空：{'、'.join(empty)}")
        if unreadable:
            parts.append(f"以下栏目无法辨认：{'、'.join(unreadable)}")
        if absent:
            parts.append(f"未找到以下栏目：{'、'.join(absent)}")
        if parts:
            yield Finding(
                code="D08", severity=Severity.LOW, unit=n.unit, nominee=n.name,
                message=f"“{n.name}”审批表{'；'.join(parts)}。",
                found={"empty": empty, "unreadable": unreadable, "absent": absent},
                key=",".join(empty + unreadable + absent), evidence=spans or [Span(file=form.file)])
