"""E rules: eligibility (§三 §四)."""
from __future__ import annotations

from typing import Iterator

from audit.model import AuditContext, Finding, Severity
from rules.evidence import item_spans, items
from rules.process import norm_name
from rules.registry import rule

LEVEL_ZH = {5: "初级工", 4: "中级工", 3: "高级工", 2: "技师", 1: "高级技师"}


def own_certificates(n):
    """(level number, item) of the skill certificates in the nominee's own name."""
    me = norm_name(n.name)
    out = []
    for it in items(n, "skill_certificate"):
        holder = norm_name(str(it.value("holder") or ""))
        if holder and holder != me:
            continue
        out.append(it)
    return out


@rule("E02", Severity.HIGH, title="技能等级低于技师", clause="§四")
def min_skill_level(ctx: AuditContext) -> Iterator[Finding]:
    """The skill level is below 技师 (二级): neither the declared level nor any certificate
    in the nominee's name reaches it.

    What it checks: the 技术等级 declared on the approval form and the levels of the skill
    certificates in the nominee's name (the printed level, 一级…五级 mapped to 高级技师…初级工),
    against the profile's minimum level.

    Why: §四 推荐人选一般应具有技师（二级）及以上的国家职业资格或职业技能等级.

    Example finding: “张三”申报技术等级为“高级工”，证明材料中的职业资格证书最高为高级工，未达到技师（二级）。

    Known false positives: nominees admitted under the special-skill exception (绝招绝技),
    which the notice allows; a 职称 (engineer title) instead of a skill level.

    Profile settings used: min_skill_level, skill_levels.
    """
    p = ctx.profile
    need = p.min_skill_rank()
    for n in ctx.nominees:
        if n.form is None:
            continue
        dec = n.form.fields.get("skill_level")
        dec_rank = p.skill_rank(str(dec.value)) if dec is not None and dec.value else None
        certs = own_certificates(n)
        ranks = [r for r in (p.skill_rank(str(it.value("level") or "")) for it in certs) if r]
        best = min(ranks) if ranks else None
        if (dec_rank is not None and dec_rank <= need) or (best is not None and best <= need):
            continue
        if dec_rank is None and best is None:
            continue           # nothing to judge by: D08 / E05 report what is missing
        yield Finding(
            code="E02", severity=Severity.HIGH, unit=n.unit, nominee=n.name,
            message=(f"“{n.name}”申报技术等级为“{dec.value if dec and dec.value else '未填'}”，"
                     f"证明材料中的职业技能证书最高为{LEVEL_ZH.get(best, '无') if best else '（未找到）'}，"
                     f"未达到{LEVEL_ZH[need]}的基本条件。"),
            declared=str(dec.value) if dec and dec.value else None,
            found=LEVEL_ZH.get(best) if best else None, key="level",
            evidence=(dec.spans if dec else []) + [s for it in certs for s in item_spans(it, "level")])


@rule("E05", Severity.MEDIUM, title="申报技能等级无对应证书", clause="§四")
def declared_level_backed(ctx: AuditContext) -> Iterator[Finding]:
    """The declared skill level is not supported by a certificate of that level in the
    nominee's name.

    What it checks: the 技术等级 on the approval form against the skill certificates in the
    nominee's own name: at least one must show that level or a higher one.

    Why: §四 asks for the level as a national qualification; the certificate is the proof.

    Example finding: “张三”申报技术等级为“技师”，证明材料中的职业技能证书为“高级工”。

    Known false positives: a certificate proving the level that could not be read (M03), or
    one where OCR missed the level word.

    Profile settings used: skill_levels.
    """
    p = ctx.profile
    for n in ctx.nominees:
        if n.form is None:
            continue
        dec = n.form.fields.get("skill_level")
        want = p.skill_rank(str(dec.value)) if dec is not None and dec.value else None
        if want is None:
            continue
        certs = own_certificates(n)
        ranks = [(p.skill_rank(str(it.value("level") or "")), it) for it in certs]
        if any(r is not None and r <= want for r, _ in ranks):
            continue
        got = "、".join(LEVEL_ZH.get(r, "等级不清") for r, _ in ranks if r) or "未找到本人的职业技能证书"
        yield Finding(
            code="E05", severity=Severity.MEDIUM, unit=n.unit, nominee=n.name,
            message=f"“{n.name}”申报技术等级为“{dec.value}”，证明材料中的职业技能证书为：{got}。",
            declared=str(dec.value), found=got, key="level",
            evidence=dec.spans + [s for _, it in ranks for s in item_spans(it, "level")])
