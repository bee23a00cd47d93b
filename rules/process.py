"""P rules: process and quotas (§二 §三 §五 §六, attachment 2 note 3)."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from audit.model import AuditContext, Finding, Nominee, Severity, Span, SummaryRow, SummaryTable, Unit
from rules.common import file_span, files_with
from rules.registry import rule


def norm_name(s: Optional[str]) -> str:
    return re.sub(r"[\s·•.\-_（）()]", "", s or "")


def primary_summary(unit: Unit) -> Optional[SummaryTable]:
    """The summary table to trust: the Excel one when readable, else a scan."""
    tables = [t for t in unit.summaries if t.rows]
    for t in tables:
        if t.source == "xlsx":
            return t
    return tables[0] if tables else None


def summary_row(unit: Unit, nominee: Nominee) -> Optional[SummaryRow]:
    t = primary_summary(unit)
    if t is None:
        return None
    want = norm_name(nominee.name)
    for r in t.rows:
        if norm_name(r.value("name")) == want:
            return r
    return None


def unit_count(unit: Unit) -> tuple[int, int]:
    """(nominees counted against the quota, names in its summary table): the unit's nominee
    folders, or the rows of its summary table when that lists more."""
    t = primary_summary(unit)
    n_rows = len({norm_name(r.value("name")) for r in t.rows if r.value("name")}) if t else 0
    return max(len(unit.nominees), n_rows), n_rows


@rule("P01", Severity.HIGH, title="推荐人数不符合规定", clause="§二")
def unit_quota(ctx: AuditContext) -> Iterator[Finding]:
    """A recommending unit put forward fewer or more nominees than the notice allows.

    What it checks: the number of nominees of each recommending unit (its nominee folders,
    or the rows of its summary table when that lists more) against the quota.

    Why: §二 各县（区）、市各产业和市直机关工会各推荐 2-5 名人选.

    Example finding: 推荐单位“开封市祥符区总工会”推荐了 6 名人选，超出每单位 2-5 名的规定。

    Known false positives: a nominee who sent no folder but appears in the summary table is
    counted from the table; two folders for one person (a resubmission) count twice.

    Profile settings used: quota.per_unit_min, quota.per_unit_max.
    """
    lo = int(ctx.profile.get("quota.per_unit_min", 2))
    hi = int(ctx.profile.get("quota.per_unit_max", 5))
    for unit in ctx.units:
        t = primary_summary(unit)
        n, n_rows = unit_count(unit)
        if lo <= n <= hi:
            continue
        how = "少于" if n < lo else "超出"
        names = "、".join(x.name for x in unit.nominees)
        yield Finding(
            code="P01", severity=Severity.HIGH, unit=unit.name,
            message=f"推荐单位“{unit.name}”推荐了 {n} 名人选（{names}），{how}每单位 {lo}-{hi} 名的规定。",
            declared=n, found={"nominees": [x.name for x in unit.nominees], "summary_rows": n_rows},
            key=str(n),
            evidence=([Span(file=t.file, text=f"汇总表列出 {n_rows} 人")] if t else [])
            + [Span(file=x.folder, text=x.name) for x in unit.nominees],
        )


CATEGORY_LABEL = {"advanced": "先进制造业、现代服务业和战略新兴产业", "traditional": "传统支柱产业",
                  "heritage": "非遗传承人等", "enterprise_head": "企业负责人"}


def nominee_category(ctx: AuditContext, unit: Unit, nom: Nominee) -> tuple[Optional[str], bool, list[Span]]:
    """(industry category or None, is enterprise head, evidence), from 类别, 备注, the office map."""
    p = ctx.profile
    row = nom.summary or summary_row(unit, nom)
    cat: Optional[str] = None
    head = False
    spans: list[Span] = []
    colvals = p.get("categories.column_values", {}) or {}
    if row is not None and row.values.get("category") and row.value("category"):
        text = str(row.value("category"))
        for c, words in colvals.items():
            if any(w in text for w in words):
                if c == "enterprise_head":
                    head = True
                else:
                    cat = cat or c
        if cat or head:
            spans.extend(row.values["category"].spans)
    if row is not None:
        remark = str(row.value("remark") or "")
        job = str(row.value("employer_position") or "")
        kw = p.get("categories.remark_keywords", {}) or {}
        if cat is None and any(w in remark for w in kw.get("heritage", [])):
            cat = "heritage"
            spans.extend(row.values["remark"].spans)
        heads = kw.get("enterprise_head", [])
        for text, key in ((remark, "remark"), (job, "employer_position")):
            if any(re.search(rf"(?<!副){re.escape(w)}", text) for w in heads):
                head = True
                spans.extend(row.values[key].spans)
                break
    mapping = p.get("categories.office_mapping", {}) or {}
    mapped = mapping.get(f"{unit.name}/{nom.name}") or mapping.get(nom.name)
    if cat is None and mapped:
        cat = "enterprise_head" if mapped == "enterprise_head" else mapped
        if cat == "enterprise_head":
            head, cat = True, None
    return cat, head, spans


Member = tuple[Unit, Nominee, list[Span]]


def category_groups(ctx: AuditContext) -> tuple[int, dict[str, list[Member]], list[tuple[Unit, Nominee]]]:
    """(nominees in the batch, category → its nominees with the evidence of their category,
    nominees whose category is unknown). Enterprise heads are the group ``enterprise_head``,
    whatever their industry category."""
    groups: dict[str, list[Member]] = {}
    heads: list[Member] = []
    unknown: list[tuple[Unit, Nominee]] = []
    total = 0
    for u in ctx.units:
        for n in u.nominees:
            total += 1
            cat, head, spans = nominee_category(ctx, u, n)
            if head:
                heads.append((u, n, spans))
            if cat is None:
                unknown.append((u, n))
            else:
                groups.setdefault(cat, []).append((u, n, spans))
    groups["enterprise_head"] = heads
    return total, groups, unknown


def ratio_check(key: str, lim: dict, k: int, n_unknown: int, total: int) -> tuple[bool, int, bool]:
    """(over the maximum, the most nominees the category can have, under the minimum) for a
    category of ``k`` confirmed nominees out of ``total``: a minimum is broken only when it is
    broken whatever the unknown nominees turn out to be (they all count for ``advanced``)."""
    over = "max" in lim and total > 0 and k / total > float(lim["max"])
    best = k + (n_unknown if key == "advanced" else 0)
    under = "min" in lim and key != "enterprise_head" and total > 0 and best / total < float(lim["min"])
    return over, best, under


@rule("P02", Severity.MEDIUM, title="人选类别比例不符合规定", clause="§三")
def category_ratios(ctx: AuditContext) -> Iterator[Finding]:
    """Category ratios over the whole batch break the notice's limits.

    What it checks: the share of nominees from advanced manufacturing, modern services and
    strategic emerging industries (at least 55 %), traditional pillar industries (at most
    25 %), heritage inheritors (at most 20 %) and enterprise heads (at most 10 %). A
    nominee's category comes from a 类别 column of the summary table, else from 备注 and
    job-title keywords (非遗, 传承人, 董事长, 总经理 …), else from the office's mapping in the
    profile. A limit is reported (medium) only when it is broken whatever the unknown
    nominees turn out to be; nominees whose category is unknown are named in one low finding.

    Why: §三 sets the ratios for the whole selection.

    Example finding: 非遗传承人等人选 4 名，占全部 15 名的 26.7%，超过 20% 的上限。

    Known false positives: keywords in 备注 that describe something else (“曾任总经理助理”);
    deputy titles (副总经理) are not counted as enterprise heads.

    Profile settings used: ratios, categories.column_values, categories.remark_keywords,
    categories.office_mapping.
    """
    total, groups, unknown = category_groups(ctx)
    if total == 0:
        return
    ratios = ctx.profile.get("ratios", {}) or {}
    for key, lim in ratios.items():
        members = groups.get(key, [])
        k = len(members)
        label = lim.get("label") or CATEGORY_LABEL.get(key, key)
        ev = [s for _, _, sp in members for s in sp][:20]
        over, best, under = ratio_check(key, lim, k, len(unknown), total)
        if over:
            yield Finding(
                code="P02", severity=Severity.MEDIUM, unit=None,
                message=(f"{label}人选 {k} 名，占全部 {total} 名的 {k / total:.1%}，"
                         f"超过 {float(lim['max']):.0%} 的上限（{'、'.join(n.name for _, n, _ in members)}）。"),
                declared={"limit_max": float(lim["max"])}, found={"count": k, "total": total},
                nominees=[n.name for _, n, _ in members], key=f"{key}:max", evidence=ev)
        if under:
            yield Finding(
                code="P02", severity=Severity.MEDIUM, unit=None,
                message=(f"{label}人选最多 {best} 名（已确认 {k} 名），占全部 {total} 名的 "
                         f"{best / total:.1%}，低于 {float(lim['min']):.0%} 的下限。"),
                declared={"limit_min": float(lim["min"])}, found={"count": k, "total": total},
                nominees=[n.name for _, n, _ in members], key=f"{key}:min", evidence=ev)
    if unknown:
        yield Finding(
            code="P02", severity=Severity.LOW, unit=None,
            message=(f"{len(unknown)} 名人选无法判断所属类别（汇总表无类别栏，备注亦无说明）："
                     f"{'、'.join(n.name for _, n in unknown)}。比例核算时按未知处理，请人工确认。"),
            found={"unknown": [f"{u.name}/{n.name}" for u, n in unknown]},
            nominees=[n.name for _, n in unknown], key="unknown",
            evidence=[Span(file=n.folder, text=n.name) for _, n in unknown][:20])


@rule("P03", Severity.HIGH, title="单位公示不符合规定", clause="§五(一)")
def publicity_period(ctx: AuditContext) -> Iterator[Finding]:
    """The unit's publicity was too short, has no readable dates, or ended after submission.

    What it checks: the publicity period read from each unit's proof of publicity (公示
    notice or screenshot): it must last at least the profile's number of days (counted
    inclusively: 5月20日至5月24日 is 5 days), and end no later than the day the materials were
    received (the receipt log, else the deadline).

    Why: §五(一) 经民主推荐确定推荐人选并在本单位公示后（公示期不少于5天）.

    Example finding: “祥符区总工会”的公示期为 2021-05-20 至 2021-05-22，共 3 天，少于规定的 5 天。

    Known false positives: a proof that gives only the start date and “为期五天” in words is
    read as missing its end date; working-day periods are counted as calendar days.

    Profile settings used: publicity_min_days, deadline.
    """
    need = int(ctx.profile.get("publicity_min_days", 5))
    for unit in ctx.units:
        proofs = files_with(unit.files, "publicity")
        if not proofs:
            continue            # M01 reports a missing proof
        readable = [f for f in proofs if f.path not in ctx.unreadable_paths()]
        if not readable:
            continue            # M03 reports it
        periods = [p for p in unit.publicity if p.get("start") and p.get("end")
                   and p["start"].value and p["end"].value]
        if not periods:
            yield Finding(
                code="P03", severity=Severity.HIGH, unit=unit.name,
                message=f"推荐单位“{unit.name}”的公示材料中未找到公示起止日期，无法确认公示期是否满 {need} 天。请核实。",
                found={"period": None}, key="no-dates",
                evidence=[file_span(f) for f in readable])
            continue
        best = max(periods, key=lambda p: (p["end"].value - p["start"].value).days)
        start, end = best["start"], best["end"]
        days = (end.value - start.value).days + 1
        ev = start.spans + [s for s in end.spans if s not in start.spans]
        if days < need:
            yield Finding(
                code="P03", severity=Severity.HIGH, unit=unit.name,
                message=(f"推荐单位“{unit.name}”的公示期为 {start.value} 至 {end.value}，共 {days} 天，"
                         f"少于规定的 {need} 天。"),
                declared={"min_days": need}, found={"start": start.value, "end": end.value, "days": days},
                key="short", evidence=ev)
        limit_fact = ctx.receipts.get(unit.name)
        limit = limit_fact.value if limit_fact and limit_fact.value else ctx.profile.deadline
        if end.value > limit:
            what = "收件日期" if limit_fact and limit_fact.value else "报送截止日期"
            yield Finding(
                code="P03", severity=Severity.HIGH, unit=unit.name,
                message=(f"推荐单位“{unit.name}”的公示截止于 {end.value}，晚于{what} {limit}，"
                         "即材料报送时公示尚未结束。"),
                declared={"submitted_by": limit}, found={"end": end.value}, key="after",
                evidence=ev + (limit_fact.spans if limit_fact else []))


@rule("P04", Severity.HIGH, title="材料逾期报送", clause="§六")
def late_submission(ctx: AuditContext) -> Iterator[Finding]:
    """A unit's materials were received after the deadline.

    What it checks: the receipt date of each unit in the receipt log (收件登记, batch root);
    where a unit is not in the log, the date of its recommendation report. Either after the
    profile's deadline is a late submission.

    Why: §六 推荐材料请于6月11日前上报…逾期不报，视为自动放弃.

    Example finding: 推荐单位“尉氏县总工会”的材料于 2021-06-15 收件，晚于截止日期 2021-06-11。

    Known false positives: a report dated after the deadline but delivered on time (the
    receipt log decides when present); "于6月11日前" is read as "on or before".

    Profile settings used: deadline.
    """
    deadline = ctx.profile.deadline
    for unit in ctx.units:
        got = ctx.receipts.get(unit.name)
        if got is not None and got.value:
            if got.value > deadline:
                yield Finding(
                    code="P04", severity=Severity.HIGH, unit=unit.name,
                    message=f"推荐单位“{unit.name}”的材料于 {got.value} 收件，晚于截止日期 {deadline}。",
                    declared={"deadline": deadline}, found={"received": got.value}, key="receipt",
                    evidence=got.spans)
            continue
        rd = unit.report_date
        if rd is not None and rd.value and rd.value > deadline:
            yield Finding(
                code="P04", severity=Severity.HIGH, unit=unit.name,
                message=(f"推荐单位“{unit.name}”的推荐报告落款日期为 {rd.value}，晚于截止日期 {deadline}"
                         "（收件登记中无该单位，按报告日期判断）。"),
                declared={"deadline": deadline}, found={"report_date": rd.value}, key="report",
                evidence=rd.spans)


@rule("P05", Severity.LOW, title="汇总表排序或名单不一致", clause="A2 注3")
def summary_order(ctx: AuditContext) -> Iterator[Finding]:
    """The summary table has no priority order, repeats an order number, or its names differ
    from the nominee folders.

    What it checks: in each unit's summary table (the Excel one, else the scan), every row
    has a 序号, no 序号 repeats, every nominee folder of the unit has a row, and every row
    has a nominee folder.

    Why: attachment 2, note 3 各推荐单位对所推荐人选按优先顺序排列.

    Example finding: “龙亭区总工会”汇总表中序号 2 重复出现（李四、王五）。

    Known false positives: a name written differently in the table and the folder (a
    nickname, a typo) shows as one missing and one extra.

    Profile settings used: none.
    """
    for unit in ctx.units:
        t = primary_summary(unit)
        if t is None:
            continue
        rows = [r for r in t.rows if r.value("name")]
        seqs: dict[int, list[SummaryRow]] = {}
        no_seq = []
        for r in rows:
            s = r.value("seq")
            try:
                seqs.setdefault(int(s), []).append(r)
            except (TypeError, ValueError):
                no_seq.append(r)
        if no_seq and len(rows) > 1:
            yield Finding(
                code="P05", severity=Severity.LOW, unit=unit.name,
                message=f"“{unit.name}”汇总表中 {len(no_seq)} 行没有序号（{'、'.join(str(r.value('name')) for r in no_seq)}），无法确认推荐优先顺序。",
                found={"rows_without_order": [r.value("name") for r in no_seq]}, key="no-seq",
                evidence=[s for r in no_seq for s in r.values["name"].spans])
        for s, rs in sorted(seqs.items()):
            if len(rs) > 1:
                yield Finding(
                    code="P05", severity=Severity.LOW, unit=unit.name,
                    message=f"“{unit.name}”汇总表中序号 {s} 重复出现（{'、'.join(str(r.value('name')) for r in rs)}）。",
                    found={"seq": s, "names": [r.value("name") for r in rs]}, key=f"dup:{s}",
                    evidence=[sp for r in rs for sp in (r.values.get("seq") or r.values["name"]).spans])
        in_table = {norm_name(r.value("name")): r for r in rows}
        folders = {norm_name(n.name): n for n in unit.nominees}
        missing = [n for k, n in folders.items() if k not in in_table]
        extra = [r for k, r in in_table.items() if k not in folders]
        if missing:
            yield Finding(
                code="P05", severity=Severity.LOW, unit=unit.name,
                nominees=[n.name for n in missing],
                message=f"“{unit.name}”报送了{'、'.join(n.name for n in missing)}的材料，但汇总表中没有其姓名。",
                found={"not_in_table": [n.name for n in missing]}, key="missing:" + ",".join(sorted(folders.keys() - in_table.keys())),
                evidence=[Span(file=t.file, text="汇总表")] + [Span(file=n.folder, text=n.name) for n in missing])
        if extra:
            yield Finding(
                code="P05", severity=Severity.LOW, unit=unit.name,
                nominees=[str(r.value("name")) for r in extra],
                message=f"“{unit.name}”汇总表列有{'、'.join(str(r.value('name')) for r in extra)}，但未报送其材料。",
                found={"not_in_folders": [r.value("name") for r in extra]}, key="extra:" + ",".join(sorted(in_table.keys() - folders.keys())),
                evidence=[sp for r in extra for sp in r.values["name"].spans])




def process_overview(ctx: AuditContext) -> dict:
    """What the P rules looked at, for the reports (not a rule): per unit its nominee count
    against the quota (P01), its publicity periods (P03) and its receipt or report date against
    the deadline (P04); for the batch, each category's count against its ratio (P02). Dates are
    ISO strings; ``ok`` is None where the rule could not decide."""
    p = ctx.profile
    lo, hi = int(p.get("quota.per_unit_min", 2)), int(p.get("quota.per_unit_max", 5))
    need = int(p.get("publicity_min_days", 5))
    deadline = p.deadline
    units = []
    for unit in ctx.units:
        n, n_rows = unit_count(unit)
        got = ctx.receipts.get(unit.name)
        received = got.value if got is not None and got.value else None
        report = unit.report_date.value if unit.report_date is not None and unit.report_date.value else None
        when = received or report
        periods = []
        for per in unit.publicity:
            s, e = per.get("start"), per.get("end")
            sv, ev = (s.value if s else None), (e.value if e else None)
            days = (ev - sv).days + 1 if sv and ev else None
            limit = received or deadline
            periods.append({"start": sv.isoformat() if sv else None, "end": ev.isoformat() if ev else None,
                            "days": days, "ok": None if days is None else (days >= need and ev <= limit)})
        units.append({
            "unit": unit.name, "nominees": len(unit.nominees), "summary_rows": n_rows,
            "quota_ok": lo <= n <= hi,
            "received": received.isoformat() if received else None,
            "report_date": report.isoformat() if report else None,
            "on_time": None if when is None else when <= deadline,
            "publicity": periods,
            "publicity_ok": (None if not periods or all(x["ok"] is None for x in periods)
                             else any(x["ok"] for x in periods)),
        })
    total, groups, unknown = category_groups(ctx)
    ratios = []
    for key, lim in (p.get("ratios", {}) or {}).items():
        members = [n.name for _, n, _ in groups.get(key, [])]
        over, _, under = ratio_check(key, lim, len(members), len(unknown), total)
        ratios.append({"key": key, "label": lim.get("label") or CATEGORY_LABEL.get(key, key),
                       "count": len(members), "share": round(len(members) / total, 4) if total else 0.0,
                       "min": lim.get("min"), "max": lim.get("max"), "ok": not (over or under),
                       "nominees": members})
    return {"quota": {"min": lo, "max": hi}, "deadline": deadline.isoformat(), "publicity_min_days": need,
            "total_nominees": total, "units": units, "ratios": ratios,
            "unknown_category": [n.name for _, n in unknown]}
