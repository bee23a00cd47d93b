"""E rules: eligibility (§三 §四)."""
from __future__ import annotations

import re
from datetime import date
from typing import Iterator, Optional

from audit.ids import check_id_number
from audit.model import AuditContext, Fact, Finding, Nominee, Severity, Span
from audit.resume import parse_resume
from rules.common import fact_spans
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


LOW_CONF = 0.85


def _squash(s) -> str:
    return re.sub(r"\s+", "", str(s or ""))


def _low(*facts: Optional[Fact]) -> Optional[float]:
    """The lowest OCR confidence among the facts, when it is below the threshold."""
    confs = [f.confidence for f in facts if f is not None and f.confidence is not None]
    c = min(confs) if confs else None
    return c if c is not None and c < LOW_CONF else None


def current_resume_lines(form) -> list[str]:
    """The resume entries that run until now (至今), else the last entry."""
    f = form.fields.get("resume") if form is not None else None
    if f is None or f.empty:
        return []
    entries = parse_resume(str(f.value))
    now = [e.text or e.line for e in entries if e.end is None]
    if now:
        return now
    return [entries[-1].text or entries[-1].line] if entries else []


def position_sources(n: Nominee) -> list[tuple[str, str, str, Optional[Fact]]]:
    """(where, text, the employer it belongs to, fact) of every statement of the nominee's post."""
    out: list[tuple[str, str, str, Optional[Fact]]] = []
    form = n.form
    employer = _squash(form.value("employer")) if form is not None else ""
    if form is not None:
        for key, zh in (("position", "审批表职务栏"), ("title", "审批表职称栏")):
            f = form.fields.get(key)
            if f is not None and not f.empty:
                out.append((zh, _squash(f.value), employer, f))
        rf = form.fields.get("resume")
        for line in current_resume_lines(form):
            out.append(("个人简历（现职）", _squash(line), _squash(line), rf))
    if n.summary is not None:
        f = n.summary.values.get("employer_position")
        if f is not None and not f.empty:
            out.append(("汇总表“工作单位及职务”栏", _squash(f.value), _squash(f.value), f))
    return out


def leader_word(text: str, employer: str, cfg: dict) -> Optional[str]:
    """The leader post named in ``text`` (a 县处级 or higher rank), or None.

    Rank words count wherever they are written; 处长/局长 only in a government or Party
    organ (a 质量处处长 of a company holds no civil-service rank), and 局长 only of a bureau
    of a city or a province (a county bureau's 局长 is 科级)."""
    t = text
    for w in sorted(cfg.get("not_rank") or [], key=len, reverse=True):
        t = t.replace(w, "□" * len(w))
    for pat in cfg.get("rank_words") or []:
        m = re.search(pat, t)
        if m:
            return m.group(0)
    organs = cfg.get("organ_words") or []
    for w in sorted(cfg.get("office_words") or [], key=len, reverse=True):
        if w not in t:
            continue
        # the organ the post belongs to: named in the text before the post, else the employer
        before = text[:text.find(w)] if w in text else ""
        where = before if any(o in before for o in organs) else employer + "|" + before
        if any(e in where for e in cfg.get("enterprise_words") or []):
            return None
        if not any(o in where for o in organs):
            return None
        if "局长" in w:
            head = where[:where.find("局")] if "局" in where else where
            if "省" not in head:
                if "市" not in head:
                    return None
                after_city = head[head.rfind("市") + 1:]
                if any(c in after_city for c in cfg.get("county_words") or []):
                    return None
        return w
    return None


@rule("E01", Severity.HIGH, title="县处级及以上领导干部", clause="§三")
def leader_cadre(ctx: AuditContext) -> Iterator[Finding]:
    """The nominee is a county/division-level (县处级) or higher leader.

    What it checks: the 职务 and 职称 on the approval form, the current entry of the resume
    (至今) and the summary table's 工作单位及职务 cell, for a civil-service rank of 县处级 or
    above: 县长/区长/市长 and their deputies, 县委/市委书记, 厅长, 巡视员, 一级/二级调研员
    (and the pre-2019 调研员, 副调研员), 正处级/副处级/县处级 written out; 处长 or 局长 only
    where the post is in a government or Party organ, and 局长 only of a city or provincial
    bureau.

    Why: §三 县处级及以上领导干部不参加选树.

    Example finding: “张三”审批表职务栏为“开封市科学技术局副局长”，属县处级及以上领导职务（副局长）。通知§三规定县处级及以上领导干部不参加选树，请核实其职级，确属领导干部的应取消推荐。

    Known false positives: a post named like a rank in an institution without one (a
    事业单位 管理处处长 is caught only when the unit reads as an organ); a former post written
    without an end date. Enterprise heads (董事长, 总经理), 车间主任, 科长, 班组长 and a
    company's 处长 are not 县处级 and are not reported (P02 counts enterprise heads). 三级/
    四级调研员 are 科级 and not reported.

    Profile settings used: leader_positions (rank_words, not_rank, office_words,
    organ_words, enterprise_words, county_words).
    """
    cfg = ctx.profile.get("leader_positions", {}) or {}
    for n in ctx.nominees:
        hits = []
        for where, text, employer, fact in position_sources(n):
            w = leader_word(text, employer, cfg)
            if w:
                hits.append((where, text, w, fact))
        if not hits:
            continue
        where, text, w, fact = hits[0]
        low = _low(*(h[3] for h in hits)) if all(_low(h[3]) for h in hits) else None
        sev = Severity.HIGH.lowered() if low else Severity.HIGH
        yield Finding(
            code="E01", severity=sev, unit=n.unit, nominee=n.name,
            message=(f"“{n.name}”{where}为“{text}”，属县处级及以上领导职务（{w}）。"
                     f"通知§三规定县处级及以上领导干部不参加选树，请核实其职级，确属领导干部的应取消推荐。"
                     + (f"（识别置信度 {low:.0%}，可能为识别误差，请核对原件。）" if low else "")),
            found={"post": text, "word": w, "sources": [h[0] for h in hits]}, key="leader",
            confidence=low, evidence=fact_spans(*(h[3] for h in hits)) or [Span(file=n.folder, text=text)])


def _has_word(t: str, w: str) -> bool:
    """``w`` in ``t``; a word of 4 or more characters also with one inner character misread
    (技木能手), never its first or last one (技术能力 is not 技术能手)."""
    if w in t:
        return True
    if len(w) < 4:
        return False
    n = len(w)
    return any(t[i] == w[0] and t[i + n - 1] == w[-1] and sum(a != b for a, b in zip(t[i:i + n], w)) <= 1
               for i in range(len(t) - n + 1))


CERTS = "荣誉证书和竞赛获奖证书"


def _texts_with(words, not_words, texts) -> list:
    out = []
    for label, text, spans in texts:
        t = _squash(text)
        for w in not_words:
            t = t.replace(w, "")
        hit = next((w for w in words if _has_word(t, w)), None)
        if hit:
            out.append((label, hit, spans))
    return out


@rule("E03", Severity.HIGH, title="无基础荣誉", clause="§四")
def base_honor(ctx: AuditContext) -> Iterator[Finding]:
    """No base honor (a county, industry or enterprise 工匠 or 技术能手 title) was found, and
    no special-skill exception (绝招绝技) was declared.

    What it checks: the form's 所获荣誉及年份 and 受奖情况, the summary table's 备注, the
    honor certificates and the competition award certificates of the evidence (titles and
    text), for a base-honor word (工匠, 技术能手); a higher title with the same word
    (开封市技术能手, 河南省技术能手) counts too. When none is found and no special-skill
    exception is declared (绝招绝技 in the honors, awards or 备注), the nominee is reported.
    When an honor certificate could not be read, or a file of the nominee could not be read,
    the finding is medium: the honor may be in it.

    Why: §四 获得过县（区）、行业、企业工匠或技术能手称号为基础荣誉（对于具有特殊技能的绝招绝技人才不受上述基础荣誉限制）.

    Example finding: “张三”的审批表所获荣誉、荣誉证书和竞赛证书中均未见县（区）、行业、企业工匠或技术能手称号（基础荣誉），也未申报绝招绝技人才。请推荐单位补充基础荣誉证书或说明。

    Known false positives: a base honor worded differently (岗位能手, 技能大师) or only in the
    deeds text; “工匠精神” and the like are not counted as honors. The deeds text is not
    read for the exception, since §四(三) asks every nominee to 掌握绝招绝技.

    Profile settings used: base_honors (words, exception_words, not_words).
    """
    cfg = ctx.profile.get("base_honors", {}) or {}
    words = cfg.get("words") or ["工匠", "技术能手"]
    exc = cfg.get("exception_words") or []
    nots = sorted(cfg.get("not_words") or [], key=len, reverse=True)
    unreadable = {i.nominee for i in ctx.read_issues}
    for n in ctx.nominees:
        honors = items(n, "honor_certificate")
        comps = items(n, "competition_award")
        if n.form is None and not n.evidence:
            continue                      # nothing to judge by: M01 reports the missing papers
        texts = []
        form_facts = []
        if n.form is not None:
            for key, zh in (("honors", "审批表所获荣誉"), ("awards_text", "审批表受奖情况"), ("remark", "审批表备注")):
                f = n.form.fields.get(key)
                if f is not None and not f.empty:
                    texts.append((zh, str(f.value), f.spans))
                    form_facts.append(f)
        if n.summary is not None:
            f = n.summary.values.get("remark")
            if f is not None and not f.empty:
                texts.append(("汇总表备注", str(f.value), f.spans))
                form_facts.append(f)
        for it in honors + comps:
            texts.append((CERTS, " ".join(str(it.value(k) or "") for k in ("title", "competition", "rank"))
                          + " " + (it.text or ""), item_spans(it, "title")))
        if _texts_with(words, nots, texts):
            continue
        if _texts_with(exc, [], [t for t in texts if t[0] != CERTS]):
            continue
        unread = [it for it in honors if not it.value("title") and not (it.text or "").strip()]
        partial = bool(unread) or n.key in unreadable
        sev = Severity.MEDIUM if partial else Severity.HIGH
        looked = "、".join(dict.fromkeys(t[0] for t in texts)) or "审批表"
        yield Finding(
            code="E03", severity=sev, unit=n.unit, nominee=n.name,
            message=(f"“{n.name}”的{looked}中均未见县（区）、行业、企业工匠或技术能手称号（基础荣誉），"
                     f"也未申报绝招绝技人才。请推荐单位补充基础荣誉证书或说明。"
                     + ("（部分荣誉证书或文件未能读取，荣誉可能在其中，请人工核对。）" if partial else "")),
            declared=str(n.form.value("honors") or "") if n.form is not None else None,
            found={"honor_certificates": len(honors), "competition_awards": len(comps)}, key="base-honor",
            evidence=fact_spans(*form_facts) + [s for it in honors + comps for s in item_spans(it, "title")]
            or [Span(file=n.form.file if n.form is not None else n.folder)])


def age_at(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@rule("E04", Severity.MEDIUM, title="疑似不在职（超过退休年龄或已退休）", clause="§三")
def in_service(ctx: AuditContext) -> Iterator[Finding]:
    """The nominee appears not to be in service: past the statutory retirement age at the
    deadline, or retirement stated.

    What it checks: the age at the profile's deadline, from the birth date and gender of the
    ID number (else the form's 出生年月 and 性别), against the retirement age for that
    gender (with the gender unknown, the higher age); and the words 已退休, 退休, 离休, 内退,
    返聘 in the 职务, 职称, the current resume entry, the summary table's 工作单位及职务 and
    备注. The finding says which source decided.

    Why: §三 重点推荐企业生产一线在职职工.

    Example finding: “张三”（男）据身份证号出生于 1958-03-02，至申报截止日 2021-06-11 已满 63 周岁，超过法定退休年龄 60 周岁，疑似已不在职。请核实其在职情况。

    Known false positives: a nominee whose retirement was deferred (延迟退休) or who works on
    after retiring for a private employer; a female nominee in a post with a retirement age
    of 50 is not caught (the profile's age is used).

    Profile settings used: retirement_age (male, female), deadline, retirement_words.
    """
    p = ctx.profile
    ages = p.get("retirement_age", {}) or {}
    words = sorted(p.get("retirement_words") or [], key=len, reverse=True)
    zh = {"M": "男", "F": "女"}
    for n in ctx.nominees:
        form = n.form
        birth = gender = None
        src: Optional[str] = None
        facts: list[Fact] = []
        idf = form.fields.get("id_number") if form is not None else None
        if idf is not None and not idf.empty:
            chk = check_id_number(str(idf.value))
            if chk.birth is not None:
                birth, gender, src = chk.birth, chk.gender, "身份证号"
                facts.append(idf)
        if birth is None and form is not None:
            b = form.fields.get("birth")
            if b is not None and hasattr(b.value, "year"):
                birth, src = b.value, "审批表出生年月"
                facts.append(b)
        if gender is None and form is not None:
            g = form.fields.get("gender")
            if g is not None and not g.empty:
                gender = "M" if "男" in str(g.value) else "F" if "女" in str(g.value) else None
                if gender and g not in facts:
                    facts.append(g)
        if birth is not None:
            limit = ages.get({"M": "male", "F": "female"}.get(gender or "", ""),
                             max([int(v) for v in ages.values()] or [60]))
            age = age_at(birth, p.deadline)
            if age >= int(limit):
                low = _low(*facts)
                yield Finding(
                    code="E04", severity=Severity.MEDIUM.lowered() if low else Severity.MEDIUM,
                    unit=n.unit, nominee=n.name,
                    message=(f"“{n.name}”{('（' + zh[gender] + '）') if gender else ''}据{src}出生于 {birth.isoformat()}，"
                             f"至申报截止日 {p.deadline.isoformat()} 已满 {age} 周岁，达到或超过法定退休年龄 {limit} 周岁，"
                             f"疑似已不在职。请核实其在职情况。"
                             + (f"（识别置信度 {low:.0%}，可能为识别误差。）" if low else "")),
                    declared=birth.isoformat(), found={"age": age, "retirement_age": int(limit), "source": src},
                    key="age", confidence=low, evidence=fact_spans(*facts))
                continue
        # retirement stated
        said = []
        for where, text, _emp, fact in position_sources(n):
            said.append((where, text, fact))
        if n.summary is not None:
            f = n.summary.values.get("remark")
            if f is not None and not f.empty:
                said.append(("汇总表备注", _squash(f.value), f))
        for where, text, fact in said:
            t = text.replace("未退休", "").replace("不退休", "")
            w = next((w for w in words if w in t), None)
            if w is None:
                continue
            low = _low(fact)
            yield Finding(
                code="E04", severity=Severity.MEDIUM.lowered() if low else Severity.MEDIUM,
                unit=n.unit, nominee=n.name,
                message=(f"“{n.name}”{where}写有“{text}”（{w}），疑似已不在职。通知§三重点推荐在职职工，请核实其在职情况。"
                         + (f"（识别置信度 {low:.0%}，可能为识别误差。）" if low else "")),
                found={"text": text, "word": w, "source": where}, key="retired", confidence=low,
                evidence=fact_spans(fact) or [Span(file=n.folder, text=text)])
            break
