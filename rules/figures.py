"""V rules on counted figures: apprentices, promotions, awards, honors, media, standards (A1 A2).

Each rule compares a declared count with the evidence items that back it. The counting is
done by small pure helpers (``count_apprentices``, ``promotions_by_level``, ``awards_by_level``,
``clippings_by_level``, ``standard_docs_by_year``, ``standards_by_level``, ``honor_matches``)
so that a reconciliation table can reuse them. The common policy:

* fewer found than declared is the accusation, at the severity of the spec row;
* more found than declared is at most low (under-declaring is not fraud);
* a declared 0 or blank with nothing found is silent;
* a deciding value read with OCR confidence < 0.85 lowers the severity one step, and so does
  evidence that could not be placed (an undated agreement, a certificate whose issuer's
  level is unknown) when it could make up the shortfall.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Optional

from audit.model import AuditContext, EvidenceItem, Fact, Finding, Nominee, Severity, Span
from audit.profile import LEVEL_ZH, fold_org
from rules.evidence import edit_distance, item_spans, items
from rules.process import norm_name
from rules.registry import rule

LOW_CONF = 0.85
LEVELS = ("national", "provincial", "prefecture", "enterprise")   # highest first, as the form lists them
MEDIA_LEVEL = {"国家级": "national", "省部级": "provincial", "地厅级": "prefecture"}


# ---------------------------------------------------------------------------------------
# small helpers

def as_int(f: Optional[Fact]) -> Optional[int]:
    """A declared count as an int (None when blank or unreadable)."""
    if f is None or f.value is None:
        return None
    v = f.value
    if isinstance(v, bool):
        return None
    try:
        return int(Decimal(str(v).strip()))
    except (InvalidOperation, ValueError):
        return None


def conf(f: Optional[Fact]) -> Optional[float]:
    """A fact's reading confidence (its own, else its spans' lowest)."""
    if f is None:
        return None
    if f.confidence is not None:
        return f.confidence
    cs = [s.confidence for s in f.spans if s.confidence is not None]
    return min(cs) if cs else None




def year_of(v: Any) -> Optional[int]:
    if isinstance(v, date):
        return v.year
    if isinstance(v, int) and 1900 < v < 2100:
        return v
    m = re.search(r"(?:19|20)\d{2}", str(v or ""))
    return int(m.group(0)) if m else None


def per_year_declared(n: Nominee, form_key: str, year: int, summary_key: Optional[str] = None) -> Optional[Fact]:
    """A per-year declared count: the approval form's, else the summary table's."""
    if n.form is not None:
        f = n.form.per_year.get(form_key, {}).get(year)
        if as_int(f) is not None:
            return f
    if summary_key and n.summary is not None:
        f = n.summary.values.get(summary_key)
        if as_int(f) is not None:
            return f
    return None


def count_declared(n: Nominee, form_key: Optional[str], summary_key: Optional[str]) -> Optional[Fact]:
    """A declared count: the approval form's, else the summary table's."""
    if form_key and n.form is not None:
        f = n.form.counts.get(form_key)
        if as_int(f) is not None:
            return f
    if summary_key and n.summary is not None:
        f = n.summary.values.get(summary_key)
        if as_int(f) is not None:
            return f
    return None


@dataclass
class Counted:
    """One counted piece of evidence: the item, a short description, its spans, and the
    confidence of the value that placed it (its year, its level)."""
    item: EvidenceItem
    label: str
    spans: list[Span]
    confidence: Optional[float] = None


def compare_count(code: str, severity: Severity, n: Nominee, *, what: str, unit: str, dec: Fact,
                  got: list[Counted], key: str, advice: str, unplaced: Optional[list[Counted]] = None,
                  unplaced_why: str = "", unplaced_lowers: bool = True,
                  extra: Optional[dict] = None) -> Optional[Finding]:
    """The finding for one declared count against the counted evidence, or None when they agree
    (or when 0 / blank is declared and nothing is found)."""
    want = as_int(dec)
    unplaced = unplaced or []
    if want is None or want == len(got):
        return None
    fewer = len(got) < want
    sev = severity if fewer else Severity.LOW
    notes = []
    dconf = conf(dec)
    low = [c.confidence for c in got if c.confidence is not None and c.confidence < LOW_CONF]
    if dconf is not None and dconf < LOW_CONF:
        notes.append(f"申报数识别置信度 {dconf:.0%}，可能为识别误差")
    if low:
        notes.append(f"有 {len(low)} 份材料的关键信息识别置信度低于 {LOW_CONF:.0%}")
    if notes and fewer:
        sev = sev.lowered()
    listed = "、".join(c.label for c in got[:8]) + ("等" if len(got) > 8 else "")
    msg = f"“{n.name}”申报{what} {want} {unit}，证明材料中{'只' if fewer and got else ''}找到 {len(got)} {unit}"
    msg += f"（{listed}）" if got else ""
    msg += "。"
    if unplaced and fewer:
        msg += f"另有 {len(unplaced)} {unit}材料{unplaced_why}，未计入。"
        if unplaced_lowers and len(unplaced) >= want - len(got):
            sev = sev.lowered() if sev == severity else sev
    msg += advice if fewer else "申报数少于材料数，请核实申报是否漏填（少报不影响评审）。"
    if notes:
        msg += "（" + "；".join(notes) + "。）"
    found = {"count": len(got), "items": [c.item.id for c in got], "labels": [c.label for c in got]}
    if unplaced and fewer:
        found["unplaced"] = [c.item.id for c in unplaced]
    if extra:
        found.update(extra)
    spans = list(dec.spans) + [s for c in list(got) + (list(unplaced) if fewer else []) for s in c.spans]
    confs = [x for x in [dconf] + low if x is not None]
    return Finding(code=code, severity=sev, unit=n.unit, nominee=n.name, message=msg, declared=want,
                   found=found, key=key, evidence=spans or [Span(file=n.folder)],
                   confidence=min(confs) if confs else None)


# ---------------------------------------------------------------------------------------
# V06 apprentice agreements

def agreement_year(it: EvidenceItem) -> tuple[Optional[int], Optional[Fact]]:
    """The year an agreement counts for: the year it was signed (签订日期), else the year its
    period starts. The form asks for agreements *signed* (签订师带徒协议) each year; an
    agreement signed in December for a period from January counts for the year of signing."""
    for k in ("sign_date", "start"):
        f = it.fields.get(k)
        y = year_of(f.value) if f is not None else None
        if y is not None:
            return y, f
    return None, None


def count_apprentices(n: Nominee, profile: Any = None) -> dict[Optional[int], list[Counted]]:
    """The nominee's apprentice agreements by the year they count for (None: undated), one per
    apprentice and year (the same agreement scanned twice, or its copy in a folder and in
    the volume, counts once)."""
    out: dict[Optional[int], list[Counted]] = {}
    seen: set = set()
    for it in items(n, "apprentice_agreement"):
        y, yf = agreement_year(it)
        who = norm_name(str(it.value("apprentice") or ""))
        ident = (y, who) if who else ("item", it.id)
        if ident in seen:
            continue
        seen.add(ident)
        label = f"徒弟{who}" if who else "徒弟姓名不清"
        if y is not None:
            label += f"，{y}年"
        out.setdefault(y, []).append(Counted(it, label, item_spans(it, "apprentice", "sign_date", "start"), conf(yf)))
    return out


@rule("V06", Severity.MEDIUM, title="师带徒协议数与协议不符", clause="A1 A2")
def apprentices_by_year(ctx: AuditContext) -> Iterator[Finding]:
    """Apprentice agreements declared per year differ from the agreements found for that year.

    What it checks: for each evaluation year, the agreements declared on the approval form
    (签订师带徒协议, per year; else the summary table's row for that year) against the
    apprentice agreements in the evidence counted for that year: the year of the signing
    date, else of the start of the agreement's period (the form counts agreements *signed*
    in the year). Distinct apprentices are counted: one agreement scanned twice counts once.
    Fewer found is medium; more found is low; agreements whose date could not be read are
    named and, where they could make up the difference, lower the finding to low.

    Why: attachments 1 and 2 declare 签订师带徒协议（份） per year; attachment 3 item 7 asks
    for the agreements (师带徒协议) as evidence.

    Example finding: “张三”申报2019年签订师带徒协议 2 份，证明材料中只找到 1 份（徒弟李四，2019年）。请要求补充师带徒协议或核减申报数。

    Known false positives: an agreement signed in one year for a period starting the next,
    declared under the later year; several apprentices on one agreement (counted once);
    an agreement whose dates are handwritten and unread.

    Profile settings used: years.
    """
    for n in ctx.nominees:
        found = count_apprentices(n, ctx.profile)
        undated = found.get(None, [])
        for year in ctx.profile.years:
            dec = per_year_declared(n, "apprentices", year, f"apprentices.{year}")
            if dec is None:
                continue
            f = compare_count("V06", Severity.MEDIUM, n, what=f"{year}年签订师带徒协议", unit="份", dec=dec,
                              got=found.get(year, []), key=f"{year}:apprentices", unplaced=undated,
                              unplaced_why="签订日期无法识别",
                              advice="请要求补充师带徒协议或核减申报数。")
            if f:
                yield f


# ---------------------------------------------------------------------------------------
# V07 trainees promoted

PROMOTION_KEYS = (("promoted.senior_worker", "高级工", 3), ("promoted.technician", "技师", 2),
                  ("promoted.senior_technician", "高级技师", 1))
RANK_NAME = {5: "初级工", 4: "中级工", 3: "高级工", 2: "技师", 1: "高级技师"}


def row_level(row: dict, profile: Any) -> Optional[str]:
    """The level a training-list row says the trainee reached (高级工 / 技师 / 高级技师 …)."""
    for k in ("level", "level_raw"):
        v = row.get(k)
        if v:
            rank = profile.skill_rank(str(v)) if profile is not None else None
            if rank in RANK_NAME:
                return RANK_NAME[rank]
    return None


def promotions_by_level(n: Nominee, profile: Any) -> tuple[dict[str, list[Counted]], list[Counted]]:
    """The trainees of the nominee's training list(s) by the level reached, one per name and
    level (a list scanned twice counts once), and the rows left out because their name,
    level or date is missing."""
    out: dict[str, list[Counted]] = {}
    incomplete: list[Counted] = []
    seen: set = set()
    for it in items(n, "training_list"):
        rows = it.value("rows") or []
        rspans = it.value("row_spans") or []
        rows_conf = conf(it.fields.get("rows"))
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                continue
            spans = list(rspans[i]) if i < len(rspans) and rspans[i] else item_spans(it, "rows")
            name = norm_name(str(row.get("name") or ""))
            level = row_level(row, profile)
            dated = row.get("date") is not None or year_of(row.get("date_raw")) is not None
            rc = min((s.confidence for s in spans if s.confidence is not None), default=rows_conf)
            label = f"{name or '姓名不清'}（{level or row.get('level_raw') or '等级不清'}"
            label += f"，{row.get('date_raw') or row.get('date') or '时间不清'}）"
            c = Counted(it, label, spans, rc)
            if not (name and level and dated):
                incomplete.append(c)
                continue
            if (name, level) in seen:
                continue
            seen.add((name, level))
            out.setdefault(level, []).append(c)
    return out, incomplete


@rule("V07", Severity.MEDIUM, title="技能等级提升人数与培养名单不符", clause="A1 A3 7")
def promotions_backed(ctx: AuditContext) -> Iterator[Finding]:
    """Trainees declared as promoted are not backed by the training list with names, dates and levels.

    What it checks: the numbers of trainees the approval form declares promoted to 高级工,
    技师 and 高级技师 (技术等级提升) against the rows of the nominee's training lists
    (培养人才名单): a row counts when it gives the trainee's name, the level reached and
    when; rows missing one of them do not count and are reported; the same name at the
    same level on two lists counts once. Fewer backed than declared is medium; more is low.

    Why: attachment 1 declares 技术等级提升 by level; attachment 3 item 7 requires 培养人才
    列表详细说明（如人员名单、何时晋升为何种等级）.

    Example finding: “张三”申报带徒晋升技师 2 人，证明材料中只找到 1 人（李四（技师，2019年5月））。另有 1 人材料缺少姓名、等级或时间，未计入。请要求补充列明姓名、晋升等级和时间的人员名单或核减申报数。

    Known false positives: a list with the level in a merged cell or a header ("晋升技师人员
    名单") and not on each row; promotions proved by the trainees' certificates instead of
    a list.

    Profile settings used: skill_levels (level aliases).
    """
    for n in ctx.nominees:
        if n.form is None:
            continue
        by_level, incomplete = promotions_by_level(n, ctx.profile)
        unreadable = [it for it in items(n, "training_list") if not it.value("rows")]
        for key, zh, _rank in PROMOTION_KEYS:
            dec = n.form.counts.get(key)
            if as_int(dec) is None:
                continue
            f = compare_count("V07", Severity.MEDIUM, n, what=f"带徒晋升{zh}", unit="人", dec=dec,
                              got=by_level.get(zh, []), key=key, unplaced=incomplete,
                              unplaced_why="缺少姓名、等级或时间", unplaced_lowers=False,
                              advice="请要求补充列明姓名、晋升等级和时间的人员名单或核减申报数。",
                              extra={"incomplete_rows": len(incomplete)})
            if f and unreadable and f.severity == Severity.MEDIUM:
                # a list whose table could not be read may hold the trainees: a reading problem
                f.severity = Severity.LOW
                f.message += f"（另有 {len(unreadable)} 份人员名单内容无法识别，请人工核对。）"
                f.evidence += [s for it in unreadable for s in item_spans(it)]
            if f:
                yield f


# ---------------------------------------------------------------------------------------
# V08 competition and innovation awards

AWARD_KINDS = {"competition": ("competition_award", "技能竞赛获奖", None, "competition.{lv}"),
               "innovation": ("innovation_award", "创新成果获奖", "awards.{lv}", "innovation.{lv}")}


def award_level(it: EvidenceItem, profile: Any) -> tuple[Optional[str], Optional[Fact]]:
    """The level of an award certificate: the highest level among its issuers."""
    f = it.fields.get("issuers") or it.fields.get("issuer")
    if f is None or f.value is None:
        return None, None
    return profile.issuers_level(f.value), f


def _award_label(it: EvidenceItem) -> str:
    what = it.value("competition") or it.value("project") or ""
    rank = it.value("rank") or it.value("title") or ""
    iss = it.value("issuer") or "颁发单位不清"
    s = f"{what}{rank}" if what or rank else "名称不清"
    return f"{s[:30]}，{iss}"


def awards_by_level(n: Nominee, profile: Any, kind: str) -> dict[Optional[str], list[Counted]]:
    """The nominee's competition (``kind="competition"``) or innovation award certificates by
    the issuer's level (None: issuer unread or of unknown level), one per certificate
    (by number, else by name, rank and date)."""
    ev_kind = AWARD_KINDS[kind][0]
    out: dict[Optional[str], list[Counted]] = {}
    seen: set = set()
    for it in items(n, ev_kind):
        num = it.value("number")
        ident = ("no", str(num)) if num else ("t", it.value("competition") or it.value("project"),
                                              it.value("rank"), it.value("date"))
        if ident[1] or any(ident[2:]):
            if ident in seen:
                continue
            seen.add(ident)
        lv, lf = award_level(it, profile)
        out.setdefault(lv, []).append(Counted(it, _award_label(it), item_spans(it, "issuer", "rank", "title"),
                                              conf(lf)))
    return out


@rule("V08", Severity.MEDIUM, title="竞赛或创新成果获奖数与证书级别不符", clause="A2")
def awards_by_issuer_level(ctx: AuditContext) -> Iterator[Finding]:
    """Competition or innovation awards declared by level differ from the certificates found,
    placed by the issuer's level.

    What it checks: for each level (国家级, 省部级, 地厅级, 企业级), the competition awards of
    the summary table (技能竞赛获奖名次) and the innovation awards of the approval form (获奖
    等级, else the table's 攻关课题及创新成果获奖) against the competition and innovation award
    certificates, each placed at the level of its issuer (the highest of several issuers)
    by the profile's issuer table. Fewer at a level is medium (a lower award declared as a
    higher one shows as fewer at the higher level); more is low. Certificates whose issuer's
    level is unknown are named and, where they could make up the difference, lower the
    finding to low.

    Why: attachment 2 scores 技能竞赛获奖名次 and 攻关课题及创新成果获奖 by level; the level
    is that of the body that gave the award.

    Example finding: “张三”申报地厅级创新成果获奖 2 项，证明材料中只找到 1 项（焊接工艺改进一等奖，开封市总工会）。请核实获奖证书的颁发单位级别或核减申报数。

    Known false positives: an award given by a city body for a provincial competition stage
    (选拔赛); certificates issued by an organising committee (组委会) whose level the issuer
    table does not know; a team award counted by each member.

    Profile settings used: issuer_levels.
    """
    for n in ctx.nominees:
        for kind, (_ev, zh, form_key, sum_key) in AWARD_KINDS.items():
            found = awards_by_level(n, ctx.profile, kind)
            unknown = found.get(None, [])
            for lv in LEVELS:
                dec = count_declared(n, form_key.format(lv=lv) if form_key else None, sum_key.format(lv=lv))
                if dec is None:
                    continue
                f = compare_count("V08", Severity.MEDIUM, n, what=f"{LEVEL_ZH[lv]}{zh}", unit="项", dec=dec,
                                  got=found.get(lv, []), key=f"{kind}.{lv}", unplaced=unknown,
                                  unplaced_why="颁发单位级别无法确定",
                                  advice="请核实获奖证书的颁发单位级别或核减申报数。", extra={"level": lv})
                if f:
                    yield f


# ---------------------------------------------------------------------------------------
# V09 honors

_CONFUSABLE = str.maketrans({"入": "人", "太": "大", "曰": "日", "己": "已", "巳": "已", "末": "未", "士": "土",
                             "干": "千", "夭": "天", "玉": "王", "午": "年", "—": "一", "巿": "市", "エ": "工"})
_REGION = re.compile(r"^(?:中华全国|全国|中国|[\u4e00-\u9fa5]{2,3}省|省|[\u4e00-\u9fa5]{2,4}市|市|"
                     r"[\u4e00-\u9fa5]{1,4}?(?:县|区)|县|区)+")
_SUFFIX = re.compile(r"(?:荣誉称号|光荣称号|称号|荣誉证书|证书|荣誉|奖状)$")
_VERB = re.compile(r"^(?:被评为|被授予|荣获|获得|授予|评为|获|荣膺)")
_YEAR = r"((?:19|20)\d{2})"
_RANK = re.compile(r"特等奖|[一二三四五六七八九十\d]等奖|第[一二三四五六七八九十\d]{1,3}名|[金银铜]奖|优秀奖|优胜奖|冠军|亚军|季军")


def norm_title(s: str) -> str:
    """A title for matching: NFKC, no spaces, quotes and brackets dropped, OCR look-alikes folded,
    the verb before and 称号/荣誉 after it dropped."""
    t = unicodedata.normalize("NFKC", str(s or ""))
    t = re.sub(r"[\s“”\"'‘’《》「」『』<>〈〉·]", "", t).translate(_CONFUSABLE)
    t = _VERB.sub("", t)
    t = _SUFFIX.sub("", t)
    return t.strip("()[]:;,.。，、")


def split_region(t: str) -> tuple[str, str]:
    """(region prefix, the rest): 开封市技术能手 → (开封市, 技术能手)."""
    m = _REGION.match(t)
    if m and len(t) - m.end() >= 2:
        return m.group(0), t[m.end():]
    return "", t


@dataclass
class HonorClaim:
    raw: str
    title: str
    year: Optional[int]
    annual: bool          # written 2019年度: the certificate may be dated the next year


def _unwrap(t: str) -> str:
    """Line breaks of the honors field as separators (``;``) where they part items, removed
    where they are the wraps of a scanned form's cell. With separators (；、，) in the text,
    a break is a wrap unless a year starts the next line; without them, each line is an item
    unless most lines start with a year (then a line that does not continues the one before).
    A line ending in a digit or an opening bracket, or a next line starting with 年/度/月/）,
    is always a wrap."""
    lines = [x.strip() for x in t.split("\n") if x.strip()]
    if len(lines) < 2:
        return lines[0] if lines else ""
    starts_year = [bool(re.match(rf"^\(?{_YEAR}(?!\d)", x)) for x in lines]
    has_sep = bool(re.search(r"[;,、。]", t))
    mostly_years = sum(starts_year) * 2 >= len(lines)
    out = lines[0]
    for line, sy in zip(lines[1:], starts_year[1:]):
        wrap = bool(re.search(r"[\d(]$", out)) or bool(re.match(r"^[年度月日)号称荣]", line))
        if not wrap:
            wrap = not sy if (has_sep or mostly_years) else False
        out += line if wrap else ";" + line
    return out


def parse_honors(text: Optional[str]) -> list[HonorClaim]:
    """The honors of the form's 所获荣誉及年份 field, in any of the usual styles:
    ``2019年 开封市技术能手；2020年度河南省五一劳动奖章``, ``开封市技术能手（2019年）、…``,
    ``2019.05 被评为开封市劳动模范``, one per line. A year written once before several
    titles (``2019年 A、B``) applies to each."""
    if not text:
        return []
    t = unicodedata.normalize("NFKC", str(text)).replace("\r", "\n")
    out: list[HonorClaim] = []
    for chunk in re.split(r"[;。]+", _unwrap(t)):
        chunk = chunk.strip()
        if not chunk or chunk in ("无", "-", "/", "—"):
            continue
        carry: Optional[tuple[int, bool]] = None
        for part in re.split(r"[,、]+", chunk):
            part = re.sub(r"^\s*(?:\(?\d{1,2}[).、]|[①②③④⑤⑥⑦⑧⑨⑩])\s*", "", part).strip()
            if not part:
                continue
            year, annual, title = None, False, part
            m = re.match(rf"^\(?{_YEAR}\s*(?:[.\-/年]\s*\d{{1,2}}\s*月?)?\s*(年度|年)?\)?\s*[:：]?\s*(.+)$", part)
            if m and not re.match(r"^\d", m.group(3)):
                year, annual, title = int(m.group(1)), m.group(2) == "年度", m.group(3)
            else:
                m = re.match(rf"^(.+?)\s*[\(（]\s*{_YEAR}\s*(年度|年)?\s*(?:\d{{1,2}}\s*月)?\s*[\)）]$", part) or \
                    re.match(rf"^(.+?)\s*{_YEAR}\s*(年度|年)?$", part)
                if m:
                    title, year, annual = m.group(1), int(m.group(2)), m.group(3) == "年度"
            if year is not None:
                carry = (year, annual)
            elif carry is not None:
                year, annual = carry
            title = re.sub(rf"^{_YEAR}\s*年度?", "", title.strip())
            if len(norm_title(title)) < 2:
                continue
            out.append(HonorClaim(part, title.strip(), year, annual))
    return out


def _cert_titles(it: EvidenceItem) -> list[str]:
    if it.kind == "honor_certificate":
        return [str(it.value("title") or "")]
    if it.kind == "competition_award":
        comp, rank = str(it.value("competition") or ""), str(it.value("rank") or "")
        return [comp + rank, comp]
    return [str(it.value("title") or ""), str(it.value("project") or "")]


def _issuer_regions(it: EvidenceItem) -> list[str]:
    iss = it.value("issuers") or (str(it.value("issuer") or "").split())
    out = []
    for x in iss if isinstance(iss, (list, tuple)) else [iss]:
        x = norm_title(fold_org(str(x), {}))
        x = re.sub(r"^(?:中共|共青团)", "", x)
        r, _ = split_region(x)
        if r:
            out.append(r)
    return out


def _region_ok(claimed: str, it: EvidenceItem, cert_region: str) -> bool:
    """The region the form names (开封市, 河南省) agrees with the certificate's title or issuer."""
    if not claimed:
        return True
    regions = [cert_region] if cert_region else _issuer_regions(it)
    if not regions:
        # an issuer without a region (a company) cannot give a regional honor; an unread one
        # cannot be checked
        return not (it.value("issuers") or it.value("issuer"))
    c = claimed.rstrip("省市")
    return any(c and (c in r or r.rstrip("省市") in claimed) for r in regions if r)


def title_matches(claim: str, it: EvidenceItem) -> bool:
    """Whether a certificate proves the honor titled ``claim`` (OCR noise of one character in
    four tolerated, the issuer's region standing in for a region the title leaves out)."""
    c = norm_title(claim)
    if len(c) < 2:
        return False
    creg, ccore = split_region(c)
    for t in _cert_titles(it):
        t = norm_title(t)
        if len(t) < 2:
            continue
        if it.kind != "honor_certificate":
            r1, r2 = _RANK.search(c), _RANK.search(norm_title(str(it.value("rank") or "")))
            if r1 and r2 and r1.group(0) != r2.group(0):
                continue
            if len(t) >= 4 and (t in c or c in t or edit_distance(c, t) <= max(1, len(c) // 8)):
                return True
            continue
        treg, tcore = split_region(t)
        tol = 1 if len(ccore) >= 4 else 0
        if edit_distance(c, t) <= tol:
            return True
        if edit_distance(ccore, tcore) <= tol and _region_ok(creg, it, treg):
            return True
    return False


def cert_year(it: EvidenceItem) -> tuple[Optional[int], Optional[Fact]]:
    f = it.fields.get("date")
    return (year_of(f.value), f) if f is not None and f.value is not None else (None, None)


def year_agrees(claim: HonorClaim, it: EvidenceItem) -> bool:
    """The certificate's year is the one the form gives; an annual honor (2019年度) may be
    dated the next year, as such honors are conferred after the year ends."""
    if claim.year is None:
        return True
    y, _ = cert_year(it)
    if y is None or y == claim.year:
        return True
    text = unicodedata.normalize("NFKC", (it.text or "") + str(it.value("title") or ""))
    return y == claim.year + 1 and (claim.annual or f"{claim.year}年度" in text.replace(" ", ""))


HONOR_PROOFS = ("honor_certificate", "competition_award", "innovation_award")


def honor_matches(n: Nominee) -> list[tuple[HonorClaim, Optional[EvidenceItem], list[EvidenceItem]]]:
    """Each honor the form lists, with the certificate that proves it (title and year), or None
    and the certificates whose title matches but whose year differs."""
    claims = parse_honors(n.form.value("honors") if n.form else None)
    certs = [it for it in n.evidence if it.kind in HONOR_PROOFS]
    used: set[str] = set()
    out = []
    for cl in claims:
        titled = [it for it in certs if title_matches(cl.title, it)]
        proof = next((it for it in titled if it.id not in used and year_agrees(cl, it)), None)
        if proof is not None:
            used.add(proof.id)
        out.append((cl, proof, [it for it in titled if it.id not in used]))
    return out


@rule("V09", Severity.MEDIUM, title="所获荣誉无证书或年份不符", clause="A1")
def honors_proved(ctx: AuditContext) -> Iterator[Finding]:
    """An honor listed on the form has no certificate, or the certificate's year differs.

    What it checks: each honor of the approval form's 所获荣誉及年份 (any usual style: year
    before or after, 年度, parentheses, one per line or separated by ；、，) against the honor
    certificates, and the competition and innovation award certificates, of the evidence.
    Titles match tolerantly: quotes, 荣誉称号/称号 and OCR look-alikes are ignored, one
    misread character in four is allowed, and a title written without its region (技术能手)
    matches a form entry with it (开封市技术能手) when the issuer is of that region. The
    certificate's year must be the year given; an annual honor (2019年度) may be dated the
    following year. Each certificate proves one honor.

    Why: attachment 1 asks for 所获荣誉及年份 and attachment 3 item 7 for the certificates
    (所获其他荣誉); an honor without a certificate, or with another year, cannot be scored.

    Example finding: “张三”审批表所列荣誉“2019年 开封市五一劳动奖章”在证明材料中未找到对应证书，请要求补充证书或从审批表中删除。

    Known false positives: an honor proved by a commendation document (表彰决定) rather than
    a certificate; a certificate whose title was not read; a year given as the year of the
    selection rather than of the certificate.

    Profile settings used: none.
    """
    for n in ctx.nominees:
        if n.form is None:
            continue
        hf = n.form.fields.get("honors")
        if hf is None or hf.empty:
            continue
        hconf = conf(hf)
        untitled = [it for it in n.evidence if it.kind in HONOR_PROOFS
                    and not any(len(norm_title(t)) >= 2 for t in _cert_titles(it))]
        for cl, proof, near in honor_matches(n):
            if proof is not None:
                continue
            sev = Severity.MEDIUM
            notes = []
            if hconf is not None and hconf < LOW_CONF:
                notes.append(f"审批表荣誉栏识别置信度 {hconf:.0%}")
            if near:
                it = near[0]
                y, yf = cert_year(it)
                yc = conf(yf)
                if yc is not None and yc < LOW_CONF:
                    notes.append(f"证书日期识别置信度 {yc:.0%}")
                msg = (f"“{n.name}”审批表所列荣誉“{cl.raw}”的证书日期为 {y} 年，与所填 {cl.year} 年不一致，"
                       "请核实获得年份。")
                found = {"count": len(near), "items": [x.id for x in near], "year": y}
                spans = hf.spans + [s for x in near for s in item_spans(x, "title", "date")]
            else:
                msg = f"“{n.name}”审批表所列荣誉“{cl.raw}”在证明材料中未找到对应证书，请要求补充证书或从审批表中删除。"
                found = {"count": 0, "items": []}
                spans = list(hf.spans)
                if untitled:
                    # a certificate whose title was not read may be the one: a reading problem
                    notes.append(f"另有 {len(untitled)} 份证书名称无法识别，请人工核对")
                    found["unread"] = [x.id for x in untitled]
                    spans += [s for x in untitled for s in item_spans(x)]
            if notes:
                sev = sev.lowered()
                msg += "（" + "；".join(notes) + "，可能为识别问题。）"
            yield Finding(code="V09", severity=sev, unit=n.unit, nominee=n.name, message=msg,
                          declared={"title": cl.title, "year": cl.year}, found=found,
                          key=f"{cl.year}:{norm_title(cl.title)}", evidence=spans or [Span(file=n.form.file)],
                          confidence=hconf)


# ---------------------------------------------------------------------------------------
# V12 media

def clippings_by_level(n: Nominee, profile: Any = None) -> dict[Optional[str], list[Counted]]:
    """The nominee's press clippings by the outlet's level (None: outlet unknown), one per
    outlet, date and headline."""
    out: dict[Optional[str], list[Counted]] = {}
    seen: set = set()
    for it in items(n, "media_clipping"):
        lf = it.fields.get("level")
        lv = MEDIA_LEVEL.get(str(lf.value)) if lf is not None else None
        ident = (it.value("outlet"), it.value("date"), it.value("headline"))
        if any(ident):
            if ident in seen:
                continue
            seen.add(ident)
        d = it.value("date")
        label = f"{it.value('outlet') or '媒体不清'}{'，' + str(d) if d else ''}"
        out.setdefault(lv, []).append(Counted(it, label, item_spans(it, "outlet", "date", "headline"), conf(lf)))
    return out


@rule("V12", Severity.LOW, title="媒体宣传次数与报道材料不符", clause="A2")
def media_by_level(ctx: AuditContext) -> Iterator[Finding]:
    """Media coverage declared by level differs from the clippings found.

    What it checks: the summary table's 媒体宣传情况 (地厅级, 省部级, 国家级) against the
    press clippings of the evidence, each placed at its outlet's level (the outlet table of
    audit/evidence_kinds.yaml: 开封日报 地厅级, 河南日报 省部级, 工人日报 国家级). The same
    report scanned twice counts once. Every difference is low.

    Why: attachment 2 counts 媒体宣传情况 by level; attachment 3 item 7 asks for the
    coverage (媒体宣传) as evidence.

    Example finding: “张三”申报省部级媒体宣传 2 次，证明材料中只找到 1 次（河南日报，2019-06-12）。请要求补充报道材料或核减申报数。

    Known false positives: a report carried by several outlets (counted once per clipping);
    an outlet the table does not know (named as unplaced); online reposts.

    Profile settings used: none (outlet levels come from audit/evidence_kinds.yaml).
    """
    for n in ctx.nominees:
        found = clippings_by_level(n)
        unknown = found.get(None, [])
        for lv in ("national", "provincial", "prefecture"):
            dec = count_declared(n, None, f"media.{lv}")
            if dec is None:
                continue
            f = compare_count("V12", Severity.LOW, n, what=f"{LEVEL_ZH[lv]}媒体宣传", unit="次", dec=dec,
                              got=found.get(lv, []), key=f"media.{lv}", unplaced=unknown,
                              unplaced_why="媒体级别无法确定",
                              advice="请要求补充报道材料或核减申报数。", extra={"level": lv})
            if f:
                yield f


# ---------------------------------------------------------------------------------------
# V13 standards and work methods

METHOD_KINDS = ("工作法", "操作法", "操作规程", "操作规范", "作业指导书")
STANDARD_KINDS = {"国家标准": "national", "行业标准": "national", "地方标准": "provincial", "团体标准": None,
                  "企业标准": "enterprise"}


def std_is_method(it: EvidenceItem) -> bool:
    """A work method (工作法, 操作法) or operating procedure (操作规程) is counted under the
    form's 工作法/操作规程; a standard (国家/行业/地方/团体/企业标准) under 行业标准. The
    ``kind`` fact decides; without it, a document with a standard's number is a standard."""
    k = str(it.value("kind") or "")
    if any(w in k for w in METHOD_KINDS):
        return True
    if k in STANDARD_KINDS or "标准" in k:
        return False
    return not it.value("number") or not re.search(r"[A-Z]+\s*/|^Q|^GB|^DB", str(it.value("number")))


def std_level(it: EvidenceItem, profile: Any) -> str:
    """Where a standard or method applies: a standard by its number (GB, JB/T → national,
    DB41 → provincial, Q/ → enterprise), else by its kind; a method, or a standard those
    cannot place, by the unit that adopted it; else enterprise."""
    if not std_is_method(it):
        lv = profile.standard_level(it.value("number"))
        if lv is None:
            lv = STANDARD_KINDS.get(str(it.value("kind") or ""))
        if lv:
            return lv
    if it.value("adoption"):
        lv = profile.issuer_level(it.value("adoption_unit"))
        if lv:
            return lv
    return "enterprise"


def _std_docs(n: Nominee) -> list[EvidenceItem]:
    out, seen = [], set()
    for it in items(n, "standard_doc"):
        ident = (it.value("number"), it.value("title"))
        if any(ident):
            if ident in seen:
                continue
            seen.add(ident)
        out.append(it)
    return out


def _std_counted(it: EvidenceItem, f: Optional[Fact] = None) -> Counted:
    title = str(it.value("title") or it.value("number") or "名称不清")
    label = f"《{title[:24]}》" + ("" if it.value("adoption") else "，无应用证明")
    return Counted(it, label, item_spans(it, "title", "number", "kind", "date", "adoption"), conf(f))


def standard_docs_by_year(n: Nominee, profile: Any = None) -> dict[tuple[str, Optional[int]], list[Counted]]:
    """The nominee's standards and methods by (``"standards"`` | ``"methods"``, year of the
    document's date; None when undated), one per number and title."""
    out: dict[tuple[str, Optional[int]], list[Counted]] = {}
    for it in _std_docs(n):
        f = it.fields.get("date")
        y = year_of(f.value) if f is not None and f.value is not None else None
        out.setdefault(("methods" if std_is_method(it) else "standards", y), []).append(_std_counted(it, f))
    return out


def standards_by_level(n: Nominee, profile: Any) -> dict[str, list[Counted]]:
    """The nominee's standards and methods by the level where they apply (see ``std_level``)."""
    out: dict[str, list[Counted]] = {}
    for it in _std_docs(n):
        out.setdefault(std_level(it, profile), []).append(_std_counted(it, it.fields.get("number")))
    return out


@rule("V13", Severity.LOW, title="行业标准或工作法数与材料不符", clause="A1 A2")
def standards_declared(ctx: AuditContext) -> Iterator[Finding]:
    """Industry standards or work methods declared differ from the documents found.

    What it checks: per evaluation year, the 行业标准 and the 工作法/操作规程 of the approval
    form against the standard documents of the evidence dated in that year (发布/编制 date);
    and per level, the summary table's 行业标准或操作规范、工作法应用情况 against the same
    documents placed by level. A document is a method when its kind is 工作法, 操作法,
    操作规程 (操作规范, 作业指导书), a standard when it is a 国家/行业/地方/团体/企业标准 (or,
    kind unread, carries a standard's number). A standard is placed by its number (GB, JB/T
    national; DB41 provincial; Q/ enterprise), a method by the unit that adopted it
    (应用/采纳证明), else at enterprise level. An adoption proof is not required to count a
    document (the form counts what was drawn up); documents without one are named in the
    message. Every difference is low.

    Why: attachment 1 declares 行业标准 and 工作法/操作规程 per year, attachment 2 the
    application by level; attachment 3 item 7 asks for the documents and their 推广应用.

    Example finding: “张三”申报2019年工作法/操作规程 2 项，证明材料中只找到 1 项（《张三铝焊操作法》）。请要求补充文件及应用证明或核减申报数。

    Known false positives: a standard dated by its implementation rather than its
    publication; a method adopted by a city body without a stamped note (placed at
    enterprise level).

    Profile settings used: years, standard_levels, issuer_levels.
    """
    for n in ctx.nominees:
        by_year = standard_docs_by_year(n, ctx.profile)
        for which, zh in (("standards", "行业标准"), ("methods", "工作法/操作规程")):
            undated = by_year.get((which, None), [])
            for year in ctx.profile.years:
                dec = per_year_declared(n, which, year)
                if dec is None:
                    continue
                f = compare_count("V13", Severity.LOW, n, what=f"{year}年{zh}", unit="项", dec=dec,
                                  got=by_year.get((which, year), []), key=f"{year}:{which}", unplaced=undated,
                                  unplaced_why="日期无法识别",
                                  advice="请要求补充文件及应用证明或核减申报数。")
                if f:
                    yield f
        by_level = standards_by_level(n, ctx.profile)
        for lv in LEVELS:
            dec = count_declared(n, None, f"standards.{lv}")
            if dec is None:
                continue
            f = compare_count("V13", Severity.LOW, n, what=f"{LEVEL_ZH[lv]}行业标准或操作规范、工作法应用", unit="项",
                              dec=dec, got=by_level.get(lv, []), key=f"standards.{lv}",
                              advice="请要求补充文件及应用证明或核减申报数。", extra={"level": lv})
            if f:
                yield f
