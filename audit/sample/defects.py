"""Planning a sample batch: units, nominees, their evidence, and the planted defects.

:func:`plan_batch` draws a clean batch (every declared figure backed by evidence), then
:func:`plant` plants defects into it and records, for each, what the auditor must find.
Nothing is written here; :mod:`audit.sample.batch` renders the plan into files and fills in
where each defect landed (file, page).

Planting runs in two phases. ``prepare`` changes what a nominee *declares* (an extra shared
patent, a shared statement…) before the declared figures are frozen; ``apply`` then changes
only the evidence, the form or the summary row, so the difference between what is declared
and what is found is exactly the defect.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Optional

from .people import (DEADLINE, DOMAINS, LEVELS, UNIT_SPECS, YEARS, Agreement, Honor, NamePool, Patent, Person,
                     Statement, StdDoc, UnitSpec, achievements_text, deeds_text, fmt_wan, id_bad_check, make_person,
                     rand_date, resume_text, skill_cert_number, wan, yuan_capitals)

GENERATOR = "dossier-audit sample v1"

# codes the auditor implements now: planted in every seed
PRIORITY_NOMINEE = ["M01", "M03", "D01", "D02", "D03", "D04", "D05", "D06", "D08"]
# planted as they fit, rotated by seed
LATER_NOMINEE = ["V01", "V02", "V04", "V05", "V06", "V11", "V14", "E05", "X01", "X02", "X03", "X04", "X07",
                 "M04", "D07", "F01", "F03", "E02", "E01", "E03", "E04", "V07", "V08", "V09", "V10", "V12", "V13",
                 "M02", "X06", "F02"]
# added after the seeds were fixed: planted after the rotated codes, so the plants of the
# codes before them stay where they were
LATER_ADDED = ("X06", "F02")
# a nominee carries at most this many plants
MAX_PLANTS = 3
PAIR_CODES = {"X01", "X02", "X03", "X04", "X07", "X06"}


# ---------------------------------------------------------------------------------------
# plan objects
# ---------------------------------------------------------------------------------------
@dataclass
class EvItem:
    """One piece of evidence: a document drawn by ``documents.<fn>(rng, **kw)`` then scanned."""
    kind: str                      # skill honor competition innovation patent statement agreement training clipping stddoc
    title: str                     # as listed in the catalog
    fn: str
    kw: dict
    seed: str
    obj: Any = None
    fname: str = ""
    place: str = ""                # volume | folder
    fmt: str = ""                  # pdf | jpg | png | tif | jpg-as-pdf ("" = the writer picks)
    copy_from: Optional["EvItem"] = None
    paste_seal: Optional[dict] = None   # F03: {"donor": seed, "unit": name}
    pdf_meta: dict = field(default_factory=dict)
    exif: dict = field(default_factory=dict)   # F02: {"software": str, "taken": datetime} when saved as jpg
    locs: list = field(default_factory=list)   # [(file, page)] once written
    damage: Optional[str] = None
    touched: set = field(default_factory=set)  # codes whose plant changed this item


@dataclass
class ExtraFile:
    """A file that is there only to be unreadable (M03) or otherwise odd."""
    name: str
    how: str                       # corrupt-pdf | encrypted-pdf | empty | jpg-as-pdf | wps
    path: str = ""


@dataclass
class Defect:
    code: str
    unit: "UnitPlan"
    nominee: Optional["NomPlan"]
    what: str
    target: Any = None             # EvItem | "form" | "form-scan" | "deeds" | "folder" | "summary" | ExtraFile | …
    file: Optional[str] = None
    page: Optional[int] = None


@dataclass
class NomPlan:
    person: Person
    unit: "UnitPlan"
    prio: int = 0
    folder_name: str = ""
    form_formats: list = field(default_factory=list)     # docx | xlsx | scan
    deeds_fmt: str = "docx"
    deeds_encoding: str = "utf-8"
    evidence_mode: str = "volume"                         # volume | folder | both
    photo_mode: str = "files"                             # files | folder | folder-unnamed
    catalog_in_folder: bool = False
    catalog_defect: str = ""                              # M02: "" | none (no catalog) | extra (lists a missing item)
    catalog_extra: str = ""                               # M02 extra: the title listed but not in the volume
    missing: set = field(default_factory=set)             # ppt | id_photo | work_photo
    form_over: dict = field(default_factory=dict)
    resume_gap: bool = False
    resume_no_months: bool = False
    summary_over: dict = field(default_factory=dict)
    opinions: dict = field(default_factory=dict)
    extras: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    zipped: bool = False
    zip_flat: bool = False
    clean: bool = False
    codes: list = field(default_factory=list)
    aspects: set = field(default_factory=set)
    declared: dict = field(default_factory=dict)          # form values (strings), frozen before planting
    summary_row: dict = field(default_factory=dict)
    folder: str = ""                                      # batch-relative, set by the writer
    long_achievements: bool = False
    long_deeds: bool = False
    x06: Optional[tuple] = None                           # X06: (the nominee copied from, the passage)

    @property
    def name(self) -> str:
        return self.person.name


@dataclass
class UnitPlan:
    spec: UnitSpec
    noms: list = field(default_factory=list)
    damage: str = "normal"
    jpeg_q: int = 80
    style: dict = field(default_factory=dict)
    category_column: bool = False
    pub_start: date = date(2021, 5, 24)
    pub_end: date = date(2021, 5, 28)
    pub_issued: date = date(2021, 5, 24)
    pub_format: str = "pdf"        # pdf | jpg | png (screenshot)
    report_date: date = date(2021, 6, 1)
    report_format: str = "pdf"
    summary_date: date = date(2021, 6, 1)
    summary_scan_format: str = "pdf"
    received: Optional[date] = None
    missing: set = field(default_factory=set)              # publicity | summary_scan
    summary_mod: Optional[str] = None                      # dup | missing | extra
    summary_extra_name: str = ""
    summary_missing_name: str = ""
    zipped: bool = False
    codes: list = field(default_factory=list)
    folder: str = ""

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class BatchPlan:
    seed: int
    units: list
    names: NamePool
    receipt_log: bool = True
    defects: list = field(default_factory=list)
    batch_codes: list = field(default_factory=list)
    p02: Optional[str] = None      # heritage | head

    @property
    def noms(self) -> list:
        return [n for u in self.units for n in u.noms]


# ---------------------------------------------------------------------------------------
# the clean batch
# ---------------------------------------------------------------------------------------
def _sizes(rng: random.Random, n: int, k: int, p01: Optional[int]) -> Optional[list[int]]:
    """Nominees per unit: one unit with ``p01`` (when given), the others 2-5, summing to n."""
    fixed = [p01] if p01 is not None else []
    rest_units = k - len(fixed)
    rest = n - sum(fixed)
    if rest_units <= 0:
        return fixed if rest == 0 else None
    if not 2 * rest_units <= rest <= 5 * rest_units:
        return None
    sizes = [2] * rest_units
    left = rest - 2 * rest_units
    while left:
        i = rng.randrange(rest_units)
        if sizes[i] < 5:
            sizes[i] += 1
            left -= 1
    return fixed + sizes


def _unit_style(rng: random.Random) -> dict:
    """How a unit writes its papers: labels, dates, file names, zeros."""
    return {
        "id_label": rng.choice(("身份证号", "身份证号", "公民身份号码", "身份证号码")),
        "phone_label": rng.choice(("联系电话", "联系电话", "手机号码", "联系方式")),
        "resume_label": rng.choice(("个人简历", "个人简历", "工作简历")),
        "honors_label": rng.choice(("所获荣誉及年份", "所获荣誉及年份", "所获荣誉及年份")),
        "birth_label": rng.choice(("出生年月", "出生年月", "出生日期")),
        "awards_label": rng.choice(("受奖情况", "受奖情况", "获奖情况")),
        "spaced": rng.random() < 0.45,
        "resume_style": rng.randrange(5),
        "resume_sep": rng.choice(("—", "-", "～", "—", "-", "至")),
        "birth_style": rng.randrange(4),
        "zero": rng.choice(("0", "0", "", "0")),
        "sum_zero": rng.choice(("0", "", "0")),
        "benefit_created_only": rng.random() < 0.15,
        "honors_style": rng.randrange(3),
        "priority_prefix": rng.random() < 0.5,
        "form_cover_in_table": rng.random() < 0.3,
        "form_swap_rows": rng.random() < 0.35,
        "title_row": rng.random() < 0.6,
        "unit_row": rng.random() < 0.5,
        "notes": rng.random() < 0.4,
        "category_before_remark": rng.random() < 0.5,
        "file_style": rng.randrange(3),
        "evidence_folder": rng.choice(("证明材料", "证明材料", "佐证材料", "证明材料扫描件")),
        "volume_name": rng.choice(("证明材料.pdf", "证明材料汇编.pdf", "01证明材料.pdf", "{name}证明材料.pdf",
                                   "佐证材料.pdf")),
        "in_wanyuan": rng.random() < 0.3,
    }


def plan_batch(seed: int, nominees: Optional[int] = None, units: Optional[int] = None,
               damage: str = "normal") -> BatchPlan:
    rng = random.Random(f"plan:{seed}")
    k = units or rng.choice((4, 5))
    n = nominees or rng.randint(12, 16)
    p02 = None
    if seed % 3 == 2 and n >= 5:
        p02 = "heritage" if seed % 6 == 2 else "head"
    # P01: a unit with 1 or 6 nominees, whichever the sizes allow
    sizes = None
    for p01 in ([1, 6] if rng.random() < 0.55 else [6, 1]) + [None]:
        if k < 2 and p01 is not None:
            continue
        sizes = _sizes(rng, n, k, p01)
        if sizes:
            break
    if sizes is None:
        sizes = _sizes(rng, n, k, None) or [n]
        k = len(sizes)
    rng.shuffle(sizes)
    # units: a mix of county and industry unions
    specs = list(UNIT_SPECS)
    rng.shuffle(specs)
    chosen: list[UnitSpec] = []
    if p02 == "heritage":
        her = [u for u in specs if any(e.category == "heritage" for e in u.employers)]
        chosen = her[:max(2, min(k, 3))]
    for u in specs:
        if len(chosen) >= k:
            break
        if u not in chosen:
            chosen.append(u)
    chosen = chosen[:k]
    kinds = {u.kind for u in chosen}
    if "industry" not in kinds and k >= 2:
        ind = next(u for u in specs if u.kind == "industry" and u not in chosen)
        chosen[-1] = ind
    names = NamePool(rng)
    # category caps
    cap_her = int(0.2 * n + 1e-9)
    cap_trad = int(0.25 * n + 1e-9)
    want_her = cap_her + 1 if p02 == "heritage" else None
    cap_head = int(0.1 * n + 1e-9)
    want_head = cap_head + 1 if p02 == "head" else (1 if cap_head >= 1 and rng.random() < 0.4 else 0)
    counts = {"heritage": 0, "traditional": 0, "advanced": 0}
    plans: list[UnitPlan] = []
    dmg_levels = {"none": ("none",), "light": ("light",), "heavy": ("heavy", "heavy", "normal"),
                  "normal": ("light", "normal", "normal", "light", "heavy")}[damage]
    heavy_used = False
    for ui, (spec, size) in enumerate(zip(chosen, sizes)):
        up = UnitPlan(spec=spec, style=_unit_style(rng))
        d = rng.choice(dmg_levels)
        if d == "heavy" and damage == "normal":
            if heavy_used:
                d = "normal"
            heavy_used = True
        up.damage = d
        up.jpeg_q = {"light": rng.randint(82, 90), "normal": rng.randint(70, 85), "heavy": rng.randint(60, 72),
                     "none": 90}[d]
        up.category_column = rng.random() < 0.5
        plans.append(up)
        for j in range(size):
            emps = list(spec.employers)
            rng.shuffle(emps)
            # reuse an employer already chosen in this unit sometimes (colleagues)
            if up.noms and rng.random() < 0.35:
                emps.insert(0, up.noms[-1].person.employer)
            pick = None
            for e in emps:
                c = e.category
                if want_her is not None and c == "heritage" and counts["heritage"] < want_her:
                    pick = e
                    break
                if c == "heritage" and counts["heritage"] >= (want_her or cap_her):
                    continue
                if c == "traditional" and counts["traditional"] >= cap_trad:
                    continue
                pick = pick or e
                if want_her is None or c != "heritage":
                    break
            if pick is None:
                pick = next((e for e in emps if e.category == "advanced"), None)
            if pick is None:
                pick = next((e for u2 in UNIT_SPECS for e in u2.employers if e.category == "advanced"))
            counts[pick.category] += 1
            prng = random.Random(f"person:{seed}:{ui}:{j}")
            names.rng = prng
            person = make_person(prng, names, spec, pick, pages=prng.randint(2, 5 if n <= 14 else 4))
            up.noms.append(NomPlan(person=person, unit=up))
    bp = BatchPlan(seed=seed, units=plans, names=names, p02=p02)
    names.rng = random.Random(f"names:{seed}")
    # heritage share must be reached where P02 is planted on it
    if p02 == "heritage":
        her_noms = [nm for nm in bp.noms if nm.person.category == "heritage"]
        others = [nm for nm in bp.noms if nm.person.category != "heritage"]
        others.sort(key=lambda nm: not any(e.category == "heritage" for e in nm.unit.spec.employers))
        while len(her_noms) < want_her and others:
            nm = others.pop(0)
            emp = next((e for e in nm.unit.spec.employers if e.category == "heritage"), None)
            if emp is not None:
                prng = random.Random(f"person-her:{seed}:{nm.person.name}")
                names.rng = prng
                nm.person = make_person(prng, names, nm.unit.spec, emp, pages=prng.randint(3, 5))
                names.rng = random.Random(f"names:{seed}")
            if nm.person.category != "heritage" or not nm.person.remark:
                _make_heritage(rng, names, nm)
            her_noms.append(nm)
    # enterprise heads
    heads_now = 0
    for nm in sorted(bp.noms, key=lambda x: rng.random()):
        if heads_now >= want_head:
            break
        if nm.person.category == "heritage" and p02 != "head":
            continue
        _make_head(rng, nm)
        heads_now += 1
    # per-nominee presentation choices
    for u in plans:
        for i, nm in enumerate(u.noms, 1):
            nm.prio = i
            p = nm.person
            nm.folder_name = f"{i:02d}-{p.name}" if u.style["priority_prefix"] else p.name
            r = rng.random()
            nm.form_formats = ["docx"] if r < 0.3 else ["xlsx"] if r < 0.58 else ["scan"] if r < 0.85 else ["docx", "scan"]
            if nm.form_formats == ["xlsx"] and rng.random() < 0.15:
                nm.form_formats = ["xlsx", "scan"]
            nm.deeds_fmt = rng.choice(("docx", "docx", "txt", "pdf"))
            nm.evidence_mode = rng.choice(("volume", "volume", "volume", "folder", "both"))
            nm.photo_mode = rng.choice(("files", "files", "folder", "folder-unnamed"))
            nm.catalog_in_folder = rng.random() < 0.5
            nm.opinions = {"unit_union": True, "unit_hr": True, "county_union": True, "county_hr": True,
                           "city_union": False, "city_hr": False}
    # unit dates (clean): publicity ≥ 5 days, ended before the report, received before the deadline
    for u in plans:
        start = rand_date(rng, date(2021, 5, 18), date(2021, 5, 31))
        days = rng.choice((5, 5, 6, 7, 7, 10))
        u.pub_start = start
        u.pub_end = start + timedelta(days=days - 1)
        u.pub_issued = start
        u.pub_format = rng.choice(("pdf", "jpg", "png", "png", "pdf"))
        u.report_date = u.pub_end + timedelta(days=rng.randint(1, 3))
        u.report_format = rng.choice(("pdf", "pdf", "jpg"))
        u.summary_date = u.report_date - timedelta(days=rng.randint(0, 2))
        u.summary_scan_format = rng.choice(("pdf", "pdf", "jpg"))
        u.received = min(DEADLINE, u.report_date + timedelta(days=rng.randint(0, 3)))
    for u in plans:
        if u.report_date > DEADLINE:  # keep clean units clean
            u.report_date = DEADLINE - timedelta(days=1)
    return bp


def _make_heritage(rng: random.Random, names: NamePool, nm: NomPlan) -> None:
    """Turn a nominee into a heritage inheritor (P02 plant): the 类别 / 备注 say so."""
    p = nm.person
    p.category = "heritage"
    p.category_label = "非遗"
    item = {"汴绣工": "汴绣", "面点师": "第一楼小笼灌汤包传统制作技艺"}.get(p.occupation)
    item = item or rng.choice(("汴绣", "朱仙镇木版年画", "汴京灯笼张", "开封盘鼓", "宋代官瓷烧制技艺"))
    p.remark = f"省级非物质文化遗产“{item}”代表性传承人" + ("；企业负责人" if p.head else "")


def _make_head(rng: random.Random, nm: NomPlan) -> None:
    p = nm.person
    p.head = True
    p.position = rng.choice(("董事长", "总经理", "董事长兼总经理"))
    p.resume[-1].text = f"{p.employer.name} {p.position}"
    if rng.random() < 0.5:
        p.remark = (p.remark + "；" if p.remark else "") + "企业负责人"
    p.achievements = achievements_text(random.Random(f"ach:{p.name}"), p)
    p.deeds_title, p.deeds = deeds_text(random.Random(f"deeds:{p.name}"), p)


# ---------------------------------------------------------------------------------------
# declared values (attachment 1) and the summary row (attachment 2)
# ---------------------------------------------------------------------------------------
def _z(v, zero: str) -> str:
    if isinstance(v, Decimal):
        return zero if v == 0 else fmt_wan(v)
    return zero if not v else str(v)


def honors_text(p: Person, style: int) -> str:
    if style == 0:
        return "；".join(f"{h.year}年 {h.title}" for h in p.honors)
    if style == 1:
        return "、".join(f"{h.title}（{h.year}年）" for h in p.honors)
    return "\n".join(f"{h.year}年度{h.title}" for h in p.honors)


def birth_text(d: date, style: int) -> str:
    return (f"{d.year}.{d.month:02d}", f"{d.year}年{d.month}月", f"{d.year}-{d.month:02d}", f"{d.year}.{d.month}")[style]


def form_values(nm: NomPlan) -> dict:
    """The approval form's values as strings (keys of documents.approval_form)."""
    p, st = nm.person, nm.unit.style
    z = st["zero"]
    v = {
        "name": p.name, "gender": p.gender, "ethnicity": p.ethnicity, "birth": birth_text(p.birth, st["birth_style"]),
        "politics": p.politics, "education": p.education, "skill_level": p.skill_level, "title": p.title,
        "specialty": p.specialty, "position": p.position, "honors": honors_text(p, st["honors_style"]),
        "id_number": p.id_number, "phone": p.phone, "employer": p.employer.name, "unit": nm.unit.name,
        "resume": resume_text(p.resume, st["resume_style"], st["resume_sep"]),
        "awards_text": p.awards_text, "achievements": p.achievements,
        "projects": str(p.projects), "conversions": _z(p.conversions, z),
        "patents.invention": _z(p.patents_of("invention"), z),
        "patents.utility_design": _z(p.patents_of("utility") + p.patents_of("design"), z),
    }
    for lv in LEVELS:
        v[f"awards.{lv}"] = _z(p.awards_by_level("innovation", lv), z)
    for y in YEARS:
        v[f"benefit.created.{y}"] = _z(p.benefit(y, "created"), z)
        v[f"benefit.saved.{y}"] = _z(p.benefit(y, "saved"), z)
        v[f"standards.{y}"] = _z(p.std_count(y, False), z)
        v[f"methods.{y}"] = _z(p.std_count(y, True), z)
        v[f"apprentices.{y}"] = _z(p.apprentices(y), z)
        v[f"training.{y}"] = _z(p.training.get(y, 0), z)
    v["promoted.senior_worker"] = _z(p.promoted("高级工"), z)
    v["promoted.technician"] = _z(p.promoted("技师"), z)
    v["promoted.senior_technician"] = _z(p.promoted("高级技师"), z)
    v["promoted.other"] = _z(p.promoted("中级工"), z)
    return v


def summary_values(nm: NomPlan) -> dict:
    p, st = nm.person, nm.unit.style
    z = st["sum_zero"]
    lt = p.skill_level if p.title in ("无", "") else f"{p.skill_level}/{p.title}"
    sep = "" if nm.unit.style["file_style"] == 0 else ("、" if nm.unit.style["file_style"] == 1 else " ")
    r = {"seq": str(nm.prio), "name": p.name, "employer_position": f"{p.employer.name}{sep}{p.position}",
         "level_title": lt, "category": p.category_label if not p.head or p.category_label != "非遗" else "非遗",
         "remark": p.remark}
    if p.head and nm.unit.category_column and "企业负责人" not in p.remark:
        r["remark"] = (p.remark + "；" if p.remark else "") + "企业负责人"
    for lv in LEVELS:
        r[f"competition.{lv}"] = _z(p.awards_by_level("competition", lv), z)
        r[f"innovation.{lv}"] = _z(p.awards_by_level("innovation", lv), z)
        r[f"standards.{lv}"] = _z(p.std_by_level(lv), z)
    for k in ("invention", "utility", "design"):
        r[f"patents.{k}"] = _z(p.patents_of(k), z)
    for y in YEARS:
        c, s = p.benefit(y, "created"), p.benefit(y, "saved")
        r[f"benefit.{y}"] = _z(c if st["benefit_created_only"] else c + s, z)
        r[f"apprentices.{y}"] = _z(p.apprentices(y), z)
    for lv in ("prefecture", "provincial", "national"):
        r[f"media.{lv}"] = _z(p.media_by_level(lv), z)
    return r


# ---------------------------------------------------------------------------------------
# evidence items
# ---------------------------------------------------------------------------------------
def evidence_items(nm: NomPlan) -> list[EvItem]:
    p = nm.person
    base = f"ev:{nm.unit.name}:{p.name}"
    out: list[EvItem] = []
    sc = p.skill_cert
    out.append(EvItem("skill", f"{'职业技能等级证书' if sc.new_style else '职业资格证书'}（{sc.level}）", "skill_certificate",
                      dict(holder=p.name, gender=p.gender, id_number=p.id_number, occupation=sc.occupation,
                           level=sc.level, number=sc.number, issuer=sc.issuer, date=sc.date), f"{base}:skill", sc))
    for i, h in enumerate(p.honors):
        out.append(EvItem("honor", f"{h.title}荣誉证书", "honor_certificate",
                          dict(holder=p.name, title=h.title, issuer=h.issuer, date=h.date, number=h.number),
                          f"{base}:honor:{i}", h))
    for i, a in enumerate(p.competitions):
        out.append(EvItem("competition", f"技能竞赛获奖证书（{a.rank}）", "competition_award",
                          dict(holder=p.name, competition=a.name, rank=a.rank, issuer=a.issuer, date=a.date),
                          f"{base}:comp:{i}", a))
    for i, a in enumerate(p.innovations):
        out.append(EvItem("innovation", f"创新成果获奖证书（{a.name}）", "innovation_award",
                          dict(holder=p.name, project=a.name, rank=a.rank, issuer=a.issuer, date=a.date),
                          f"{base}:inno:{i}", a))
    for i, pt in enumerate(p.patents):
        word = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}[pt.ptype]
        out.append(EvItem("patent", f"{word}专利证书（{pt.title}）", "patent_certificate",
                          dict(number=pt.number, ptype=pt.ptype, title=pt.title, inventors=pt.inventors,
                               patentee=pt.patentee, filed=pt.filed, granted=pt.granted, cert_no=pt.cert_no),
                          f"ev:patent:{pt.number}", pt))
    for i, s in enumerate(p.statements):
        out.append(EvItem("statement", f"{s.year}年度经济效益证明", "benefit_statement",
                          dict(unit=s.unit, project=s.project, person="、".join(s.persons), year=s.year,
                               created_yuan=s.created, saved_yuan=s.saved, date=s.date, seal="finance",
                               in_wanyuan=s.in_wanyuan),
                          f"{base}:stmt:{i}", s))
    for i, a in enumerate(p.agreements):
        out.append(EvItem("agreement", f"师带徒协议（{a.apprentice}）", "apprentice_agreement",
                          dict(master=p.name, apprentice=a.apprentice, unit=p.employer.name, start=a.start, end=a.end,
                               sign_date=a.sign_date), f"{base}:agr:{i}", a))
    if p.trainees:
        rows = [(t.name, t.level, f"{t.date.year}年{t.date.month}月") for t in p.trainees]
        out.append(EvItem("training", "技能等级提升人员名单", "training_list",
                          dict(unit=p.employer.name, rows=rows, date=date(2021, 5, rng_day(p))),
                          f"{base}:train", p.trainees))
    for i, sd in enumerate(p.stddocs):
        word = {"standard": "标准", "enterprise_standard": "企业标准", "method": "工作法", "procedure": "操作规程"}[sd.kind]
        out.append(EvItem("stddoc", f"《{sd.title}》及应用证明" if sd.adoption_unit else f"《{sd.title}》", "standard_doc",
                          dict(title=sd.title, kind=sd.kind, number=sd.number, author="、".join(sd.authors),
                               date=sd.date, adoption_unit=sd.adoption_unit),
                          f"ev:std:{sd.number}", sd))
    for i, c in enumerate(p.clippings):
        out.append(EvItem("clipping", f"{c.outlet}报道", "media_clipping",
                          dict(outlet=c.outlet, level=c.level, date=c.date, person=p.name, headline=c.headline,
                               body=c.body), f"{base}:clip:{i}", c))
    return out


def rng_day(p: Person) -> int:
    """The day in May 2021 a unit drew up a list: before any report date (the 23rd at the earliest)."""
    return 6 + (sum(map(ord, p.name)) % 10)


# ---------------------------------------------------------------------------------------
# planting
# ---------------------------------------------------------------------------------------
class Planter:
    def __init__(self, bp: BatchPlan):
        self.bp = bp
        self.rng = random.Random(f"plant:{bp.seed}")
        self.names = bp.names

    # -- helpers ---------------------------------------------------------------------------
    def defect(self, code: str, nm: Optional[NomPlan], what: str, target=None, unit: Optional[UnitPlan] = None) -> Defect:
        d = Defect(code, unit or nm.unit, nm, what, target)
        self.bp.defects.append(d)
        if nm is not None:
            if code not in nm.codes:
                nm.codes.append(code)
        else:
            u = unit
            if code not in u.codes:
                u.codes.append(code)
        return d

    def items(self, nm: NomPlan, kind: str) -> list[EvItem]:
        return [e for e in nm.evidence if e.kind == kind]

    def free(self, nm: NomPlan, kinds: tuple) -> list[EvItem]:
        """Items no other plant uses: untouched, not shared with another nominee, not re-rendered."""
        shared = {id(e.obj) for x in self.bp.noms if x is not nm for e in x.evidence}
        return [e for e in nm.evidence if e.kind in kinds and not e.touched and id(e.obj) not in shared
                and not (getattr(e.obj, "number", None) or "").startswith("KFZGH") and not e.seed.startswith("v11:")]

    # -- the run ---------------------------------------------------------------------------
    def run(self) -> None:
        bp, rng = self.bp, self.rng
        noms = bp.noms
        n = len(noms)
        # clean nominees first: in units that state categories, not heritage or head
        n_clean = max(3, n - 11) if n >= 6 else min(2, n - 1)
        cands = [x for x in noms if x.person.category != "heritage" and not x.person.head]
        rng.shuffle(cands)
        clean = []
        for x in cands:
            if len(clean) >= n_clean:
                break
            clean.append(x)
        for x in clean:
            x.clean = True
            x.unit.category_column = True
            x.evidence_mode = "volume"
            x.photo_mode = "files" if x.photo_mode == "folder-unnamed" else x.photo_mode
            x.deeds_encoding = "utf-8"
        # txt deeds of the others: some in GBK as Notepad on Chinese Windows saves them
        for x in noms:
            if not x.clean and x.deeds_fmt == "txt" and rng.random() < 0.5:
                x.deeds_encoding = "gbk"
        self.plant_units(clean)
        if bp.p02:
            self.plant_p02(clean)
        # nominee plants
        open_noms = [x for x in noms if not x.clean]
        later = [c for c in LATER_NOMINEE if c not in LATER_ADDED]
        rot = (bp.seed * 7) % len(later)
        later = later[rot:] + later[:rot]
        plan = PRIORITY_NOMINEE + ["M03"] + later + list(LATER_ADDED)
        prepared: list[tuple[str, list[NomPlan]]] = []
        for code in plan:
            pick = self.choose(code, open_noms)
            if pick is None:
                continue
            for x in pick:
                x.aspects |= ASPECTS[code]
                x.codes.append("?" + code)  # slot reserved
            prepared.append((code, pick))
            PREPARE.get(code, lambda s, p: None)(self, pick)
        # freeze what is declared, then plant
        for x in noms:
            x.codes = [c for c in x.codes if not c.startswith("?")]
            x.evidence = evidence_items(x)
            x.summary_row = summary_values(x)
        for code, pick in prepared:
            APPLY[code](self, pick)
        for x in noms:
            self.place_evidence(x)

    def choose(self, code: str, pool: list[NomPlan]) -> Optional[list[NomPlan]]:
        rng = self.rng
        need = 2 if code in PAIR_CODES else 1
        cap = MAX_PLANTS + (1 if code in LATER_ADDED else 0)   # the rotated codes fill the nominees
        ok = [x for x in pool if len([c for c in x.codes if c.startswith("?")]) < cap
              and not (x.aspects & ASPECTS[code]) and ELIGIBLE.get(code, lambda s, x: True)(self, x)]
        if len(ok) < need:
            return None
        # fill the emptiest nominees first
        rng.shuffle(ok)
        ok.sort(key=lambda x: len([c for c in x.codes if c.startswith("?")]))
        if need == 1:
            return [ok[0]]
        a = ok[0]
        rest = [x for x in ok[1:] if PAIR_OK.get(code, lambda s, a, b: True)(self, a, x)]
        if not rest:
            return None
        same = [x for x in rest if x.person.employer == a.person.employer]
        return [a, (same or rest)[0]]

    # -- unit-level ------------------------------------------------------------------------
    def plant_units(self, clean: list[NomPlan]) -> None:
        bp, rng = self.bp, self.rng
        units = list(bp.units)
        sizes = {u.name: len(u.noms) for u in units}
        p01 = [u for u in units if not 2 <= sizes[u.name] <= 5]
        for u in p01:
            self.defect("P01", None, f"推荐单位“{u.name}”推荐了 {sizes[u.name]} 名人选，不在每单位 2-5 名之间。",
                        "summary", unit=u)
        used = {u.name: {"P01"} for u in p01}
        order = [u for u in units]
        rng.shuffle(order)

        def take(avoid: set, pred=lambda u: True) -> Optional[UnitPlan]:
            for u in sorted(order, key=lambda u: len(used.get(u.name, ()))):
                if not (used.get(u.name, set()) & avoid) and pred(u):
                    used.setdefault(u.name, set()).add("x")
                    return u
            return None
        # M01: publicity proof or stamped summary scan missing
        u = take({"P03", "M01"})
        if u:
            used[u.name].add("M01")
            if rng.random() < 0.5:
                u.missing.add("publicity")
                used[u.name].add("P03")
                self.defect("M01", None, f"推荐单位“{u.name}”未报送公示证明（公示文件或截图）。", "unit-folder", unit=u)
            else:
                u.missing.add("summary_scan")
                self.defect("M01", None, f"推荐单位“{u.name}”未报送盖章的汇总表扫描件，只有电子版。", "unit-folder", unit=u)
        # P04: received late (receipt log), or no log and a late report
        u = take({"P04", "P03"})
        late_by_report = rng.random() < 0.3
        if u:
            used[u.name] |= {"P04"}
            u.received = date(2021, 6, rng.randint(15, 18))
            if late_by_report:
                bp.receipt_log = False
                u.report_date = u.received
                self.defect("P04", None, f"推荐报告落款日期为 {u.received}，晚于截止日期 2021-06-11（无收件登记）。",
                            "report", unit=u)
            else:
                self.defect("P04", None, f"收件登记显示该单位材料于 {u.received} 收到，晚于截止日期 2021-06-11。",
                            "receipt", unit=u)
        else:
            bp.receipt_log = rng.random() < 0.6
        # P03: publicity too short, or ending after the submission
        u = take({"P03", "P04", "M01"})
        if u:
            used[u.name].add("P03")
            if rng.random() < 0.5:
                u.pub_end = u.pub_start + timedelta(days=2)
                self.defect("P03", None, f"公示期 {u.pub_start} 至 {u.pub_end}，仅 3 天，少于 5 天。", "publicity", unit=u)
            else:
                u.pub_start = date(2021, 6, rng.randint(6, 8))
                u.pub_issued = u.pub_start
                u.pub_end = u.pub_start + timedelta(days=rng.randint(5, 7))
                u.report_date = min(DEADLINE, u.pub_start + timedelta(days=1))
                u.summary_date = u.report_date
                u.received = min(DEADLINE, u.report_date + timedelta(days=1))
                self.defect("P03", None, f"公示期 {u.pub_start} 至 {u.pub_end}，报送（{u.received}）时公示尚未结束。",
                            "publicity", unit=u)
        # P05: duplicate 序号, a nominee missing from the table, or an extra name

        def p05_ok(u: UnitPlan) -> bool:
            return len(u.noms) >= 2
        u = take({"P05", "P01"}, p05_ok)
        if u:
            used[u.name].add("P05")
            opts = ["dup"]
            non_clean = [x for x in u.noms if not x.clean]
            if non_clean:
                opts.append("missing")
            if len(u.noms) <= 4:
                opts.append("extra")
            mod = rng.choice(opts)
            u.summary_mod = mod
            if mod == "dup":
                self.defect("P05", None, "汇总表中序号重复（两行写成同一序号）。", "summary", unit=u)
            elif mod == "missing":
                x = rng.choice(non_clean)
                u.summary_missing_name = x.name
                x.aspects |= {"summary"}
                self.defect("P05", None, f"汇总表中缺少已报送材料的人选“{x.name}”。", "summary", unit=u)
            else:
                u.summary_extra_name = self.names.take()
                self.defect("P05", None, f"汇总表列有“{u.summary_extra_name}”，但未报送其材料。", "summary", unit=u)
        # one unit, or one nominee, arrives as a zip
        if rng.random() < 0.5:
            rng.choice(units).zipped = True
        else:
            x = rng.choice([x for x in bp.noms])
            x.zipped = True
            x.zip_flat = rng.random() < 0.3

    def plant_p02(self, clean: list[NomPlan]) -> None:
        bp = self.bp
        if bp.p02 == "heritage":
            her = [x for x in bp.noms if x.person.category == "heritage"]
            what = f"非遗传承人类人选 {len(her)} 名，占 {len(bp.noms)} 名的 {len(her) / len(bp.noms):.1%}，超过 20%。"
        else:
            her = [x for x in bp.noms if x.person.head]
            what = f"企业负责人 {len(her)} 名，占 {len(bp.noms)} 名的 {len(her) / len(bp.noms):.1%}，超过 10%。"
        for x in her:
            x.unit.category_column = x.unit.category_column or self.rng.random() < 0.5
        d = Defect("P02", bp.units[0], None, what, "summary")
        d.unit = None  # batch level
        bp.defects.append(d)
        bp.batch_codes.append("P02")

    # -- evidence placement ----------------------------------------------------------------
    def place_evidence(self, x: NomPlan) -> None:
        rng = random.Random(f"place:{self.bp.seed}:{x.name}")
        for e in x.evidence:
            if e.place:
                if not e.fmt:
                    e.fmt = rng.choice(("pdf", "jpg", "jpg", "png", "tif")) if e.place == "folder" else "pdf"
                continue
            if x.evidence_mode == "volume":
                e.place = "volume"
            elif x.evidence_mode == "folder":
                e.place = "folder"
            else:
                e.place = "folder" if rng.random() < 0.4 else "volume"
            if not e.fmt:
                e.fmt = rng.choice(("pdf", "jpg", "jpg", "png", "tif")) if e.place == "folder" else "pdf"
        if x.evidence_mode == "both" and not any(e.place == "volume" for e in x.evidence):
            x.evidence[0].place = "volume"
        if x.evidence_mode == "both" and not any(e.place == "folder" for e in x.evidence) and len(x.evidence) > 1:
            x.evidence[-1].place = "folder"


# aspects a plant touches: two plants on one nominee may not share one
ASPECTS: dict[str, set] = {
    "M01": {"materials"}, "M03": {"extras"}, "D01": {"id"}, "D02": {"id"}, "D03": {"achievements"},
    "D04": {"resume"}, "D05": {"summary"}, "D06": {"deeds"}, "D08": {"fields"},
    "V01": {"patents"}, "V02": {"patents"}, "X03": {"patents", "files"}, "V04": {"benefit"}, "V05": {"benefit"},
    "V14": {"benefit"}, "X07": {"benefit"}, "F03": {"benefit"}, "V06": {"agreements"}, "X04": {"agreements"},
    "V11": {"foreign"}, "E05": {"skill"}, "E02": {"skill", "summary-level"}, "X01": {"stddoc", "files"},
    "X02": {"honor-x"}, "M04": {"honor-name"}, "D07": {"scan-form"}, "F01": {"pdf-meta"},
    "E01": {"position"}, "E04": {"id", "position"}, "E03": {"honors", "achievements", "deeds"},
    "V07": {"training"}, "V08": {"awards"}, "V09": {"honors"}, "V10": {"benefit"}, "V12": {"media"},
    "V13": {"stddoc"}, "M02": {"catalog"}, "X06": {"deeds"}, "F02": {"exif"},
}


def _has_form(fmt_ok: tuple) -> Callable:
    return lambda s, x: any(f in fmt_ok for f in x.form_formats)


ELIGIBLE: dict[str, Callable] = {
    "D03": lambda s, x: True,
    "D05": lambda s, x: x.unit.summary_missing_name != x.name,
    "E02": lambda s, x: x.unit.summary_missing_name != x.name,
    "X07": lambda s, x: True,
    "E01": lambda s, x: not x.person.head,
    "E03": lambda s, x: not x.person.head and x.person.category != "heritage",
    "E04": lambda s, x: not x.person.head,
    "V07": lambda s, x: bool(x.person.trainees),
    "V08": lambda s, x: bool(x.person.competitions or x.person.innovations),
    "V09": lambda s, x: any(not h.base and not (h.number or "").startswith("KFZGH") for h in x.person.honors),
    "V10": lambda s, x: bool(x.person.statements),
    "V12": lambda s, x: bool(x.person.clippings),
    "V13": lambda s, x: bool(x.person.stddocs),
    "M02": lambda s, x: x.evidence_mode == "volume",
    "F02": lambda s, x: True,   # every nominee has a dated certificate (the skill certificate at least)
}


def _pair_distinct_unit_ok(s, a: NomPlan, b: NomPlan) -> bool:
    return a is not b


PAIR_OK: dict[str, Callable] = {
    # X03: the second nominee must not be among the patent's inventors (checked at prepare)
    "X03": lambda s, a, b: a is not b,
}


# -- prepare: change what is declared -----------------------------------------------------
def _prep_d03(s: Planter, xs):
    x = xs[0]
    x.long_achievements = True
    # D03 needs a form read as text: give it a docx or xlsx
    if not any(f in ("docx", "xlsx") for f in x.form_formats):
        x.form_formats = ["docx"] + [f for f in x.form_formats if f == "scan"]
    x.person.achievements = achievements_text(random.Random(f"long-ach:{x.name}"), x.person, long=True)


def _prep_d06(s: Planter, xs):
    x = xs[0]
    x.long_deeds = True
    x.person.deeds_title, x.person.deeds = deeds_text(random.Random(f"long-deeds:{x.name}"), x.person, long=True)


def _prep_patent(s: Planter, xs, k: int = 1):
    for x in xs:
        p = x.person
        while len(p.patents) < k:
            r = random.Random(f"addpat:{x.name}:{len(p.patents)}")
            dom = DOMAINS[p.occupation]
            ptype, title = r.choice(dom.patents)
            if any(pt.title == title for pt in p.patents):
                title += "（二）"
            fy = r.randint(2017, 2019)
            filed = rand_date(r, date(fy, 1, 5), date(fy, 11, 30))
            granted = filed + timedelta(days=r.randint(200, 330) if ptype != "invention" else r.randint(640, 900))
            from .people import patent_number
            p.patents.append(Patent(patent_number(r, fy, ptype, style=r.randrange(3)), ptype, title,
                                    [p.name] + [s.names.take() for _ in range(r.randint(0, 2))], p.employer.name,
                                    filed, min(granted, date(2021, 4, 13)), str(r.randint(1000000, 9999999))))


def _prep_statement(s: Planter, xs, k: int = 1):
    for x in xs:
        p = x.person
        have = {st.year for st in p.statements}
        r = random.Random(f"addstmt:{x.name}")
        for y in YEARS:
            if len(p.statements) >= k:
                break
            if y in have:
                continue
            dom = DOMAINS[p.occupation]
            proj = r.choice([pr for pr in dom.projects if pr not in {st.project for st in p.statements}] or dom.projects)
            p.statements.append(Statement(y, proj, Decimal(r.randint(5, 40) * 10000 + r.choice((0, 5000, 2400))),
                                          Decimal(r.choice((0, r.randint(1, 9) * 10000))),
                                          rand_date(r, date(y, 12, 5), date(y, 12, 28)), p.employer.name, [p.name],
                                          p.statements[0].in_wanyuan if p.statements else False))
        p.statements.sort(key=lambda st: st.year)


def _prep_agreement(s: Planter, xs, k: int = 1):
    for x in xs:
        p = x.person
        r = random.Random(f"addagr:{x.name}")
        while len(p.agreements) < k:
            y = r.choice(YEARS)
            sd = rand_date(r, date(y, 3, 1), date(y, 9, 30))
            p.agreements.append(Agreement(s.names.take(two_char=False), sd,
                                          date(sd.year + 2, sd.month, min(sd.day, 28)) - timedelta(days=1), sd))
        p.agreements.sort(key=lambda a: a.sign_date)


def _prep_f03(s: Planter, xs):
    _prep_statement(s, xs, 3)


def _prep_x01(s: Planter, xs):
    a, b = xs
    r = random.Random(f"x01:{a.name}:{b.name}")
    y = r.choice(YEARS)
    dom = DOMAINS[a.person.occupation]
    prov = r.random() < 0.6
    num = f"DB41/T {r.randint(1000, 2100)}-{y}" if prov else f"JB/T {r.randint(10000, 14000)}-{y}"
    sd = StdDoc(f"{dom.specialty[0]}作业规范", "standard", num, [a.name, b.name, s.names.take()],
                rand_date(r, date(y, 3, 1), date(y, 11, 30)), "provincial" if prov else "national", a.person.employer.name)
    a.person.stddocs.append(sd)
    b.person.stddocs.append(sd)


def _prep_x02(s: Planter, xs):
    a, b = xs
    r = random.Random(f"x02:{a.name}:{b.name}")
    title, issuer = r.choice((("开封市五一劳动奖章", "开封市总工会"), ("开封市技术标兵", "开封市总工会"),
                              ("开封市职工技术创新能手", "开封市总工会")))
    y = r.choice((2018, 2019, 2020))
    d = rand_date(r, date(y, 4, 20), date(y, 4, 30))
    num = f"KFZGH{y}{r.randint(1, 300):04d}"
    for x in (a, b):
        if any(h.title == title for h in x.person.honors):
            x.person.honors = [h for h in x.person.honors if h.title != title]
        x.person.honors.append(Honor(title, y, issuer, "prefecture", False, d, num))
        x.person.honors.sort(key=lambda h: h.year)


def _prep_x03(s: Planter, xs):
    a, b = xs
    _prep_patent(s, [a], 1)
    pt = a.person.patents[0]
    if b.name in pt.inventors:
        pt.inventors.remove(b.name)
    b.person.patents.append(pt)


def _prep_x04(s: Planter, xs):
    a, b = xs
    _prep_agreement(s, [a], 1)
    ag = a.person.agreements[0]
    sd = ag.sign_date + timedelta(days=random.Random(f"x04:{a.name}").randint(30, 200))
    if sd.year > 2020:
        sd = date(2020, 11, 20)
    b.person.agreements.append(Agreement(ag.apprentice, sd, date(sd.year + 2, sd.month, min(sd.day, 28)) - timedelta(days=1), sd))
    b.person.agreements.sort(key=lambda a_: a_.sign_date)


def _prep_x07(s: Planter, xs):
    a, b = xs
    _prep_statement(s, [a], 1)
    st = a.person.statements[0]
    st.persons = [a.name, b.name]
    st.unit = a.person.employer.name
    b.person.statements.append(st)
    b.person.statements.sort(key=lambda st_: st_.year)


def _prep_scan_form(s: Planter, xs):
    x = xs[0]
    if "scan" not in x.form_formats:
        x.form_formats = x.form_formats + ["scan"]


def _prep_e05(s: Planter, xs):
    pass


# E03: honors that are not base honors (no 工匠, no 技术能手)
NON_BASE_HONORS = (("开封市劳动模范", "中共开封市委 开封市人民政府", "prefecture"),
                   ("开封市五一劳动奖章", "开封市总工会", "prefecture"),
                   ("开封市优秀共产党员", "中共开封市委", "prefecture"),
                   ("开封市技术标兵", "开封市总工会", "prefecture"),
                   ("开封市三八红旗手", "开封市妇女联合会", "prefecture"))


def _prep_e03(s: Planter, xs):
    """No base honor: the base honor is replaced by an honor that is not one; the texts follow."""
    x = xs[0]
    p = x.person
    r = random.Random(f"e03:{x.name}")
    p.honors = [h for h in p.honors if not h.base and "工匠" not in h.title and "技术能手" not in h.title]
    if not p.honors:
        opts = [h for h in NON_BASE_HONORS if h[0] != "开封市三八红旗手" or p.gender == "女"]
        title, issuer, scope = r.choice(opts)
        y = r.randint(2017, 2020)
        p.honors.append(Honor(title, y, issuer, scope, False, rand_date(r, date(y, 4, 1), date(y, 12, 20))))
    p.competitions = [a for a in p.competitions if "技术能手" not in a.name and "技术能手" not in a.rank]
    p.achievements = achievements_text(r, p)
    p.deeds_title, p.deeds = deeds_text(r, p)
    from .people import awards_text
    p.awards_text = awards_text(r, p)


def _prep_e04(s: Planter, xs):
    """Past the statutory retirement age at the deadline: born earlier, with an ID to match."""
    x = xs[0]
    p = x.person
    r = random.Random(f"e04:{x.name}")
    from .people import id_number
    age = 60 if p.gender == "男" else 55
    y = DEADLINE.year - age - r.choice((0, 1, 1, 2))
    p.birth = date(y, r.randint(1, 5), r.randint(1, 28))
    p.id_number = id_number(r, p.birth, p.gender)


def _prep_e02(s: Planter, xs):
    x = xs[0]
    x.person.skill_level = "高级工"


PREPARE: dict[str, Callable] = {
    "D03": _prep_d03, "D06": _prep_d06, "V01": lambda s, xs: _prep_patent(s, xs, 2),
    "V02": lambda s, xs: _prep_patent(s, xs, 1), "V04": lambda s, xs: _prep_statement(s, xs, 1),
    "V05": lambda s, xs: _prep_statement(s, xs, 1), "V14": lambda s, xs: _prep_statement(s, xs, 1),
    "V06": lambda s, xs: _prep_agreement(s, xs, 2), "F03": _prep_f03, "X01": _prep_x01, "X02": _prep_x02,
    "X03": _prep_x03, "X04": _prep_x04, "X07": _prep_x07, "D07": _prep_scan_form, "E02": _prep_e02,
    "D05": lambda s, xs: _prep_statement(s, xs, 1),
    "E03": _prep_e03, "E04": _prep_e04, "X06": lambda s, xs: _prep_x06(s, xs),
}


# -- apply: change the evidence, the form or the summary ----------------------------------
def _ap_m01(s: Planter, xs):
    x = xs[0]
    r = s.rng
    what = r.choice(("ppt", "id_photo", "ppt", "work_photo"))
    x.missing.add(what)
    if what != "ppt" and x.photo_mode == "folder-unnamed":
        x.photo_mode = "files"
    zh = {"ppt": "5分钟PPT", "id_photo": "证件照", "work_photo": "工作照"}[what]
    s.defect("M01", x, f"人选材料中缺少{zh}。", "folder")


M03_VARIANTS = ("corrupt-pdf", "encrypted-pdf", "empty", "jpg-as-pdf", "wps")


def _ap_m03(s: Planter, xs):
    x = xs[0]
    k = sum(1 for d in s.bp.defects if d.code == "M03")
    how = M03_VARIANTS[(2 * (s.bp.seed - 1) + k) % len(M03_VARIANTS)]
    r = s.rng
    if how == "corrupt-pdf":
        f = ExtraFile(r.choice(("荣誉证书扫描件.pdf", "补充证明材料.pdf", "证书复印件.pdf")), how)
        what = "PDF 文件被截断（只有前半部分字节），无法打开。"
    elif how == "encrypted-pdf":
        f = ExtraFile(r.choice(("事迹材料（加密）.pdf", "证明材料补充.pdf", "获奖证书.pdf")), how)
        what = "PDF 文件设置了打开密码，无法读取。"
    elif how == "empty":
        f = ExtraFile(r.choice(("新建 Microsoft Word 文档.docx", "证件照(1).jpg", "补充材料.pdf")), how)
        what = "空文件（0 字节）。"
    elif how == "jpg-as-pdf":
        e = (s.free(x, ("skill",)) or s.free(x, ("honor", "agreement", "clipping", "training", "stddoc")))[0]
        e.touched.add("M03")
        e.place = "folder"
        e.fmt = "jpg-as-pdf"
        e.fname = r.choice(("职业资格证书.pdf", "技能等级证书.pdf", "资格证书.pdf"))
        s.defect("M03", x, "扩展名为 .pdf，实际是 JPEG 图片（按实际格式可以读取）。", e)
        return
    else:
        f = ExtraFile(r.choice(("事迹材料.wps", "推荐材料.wps", "个人总结.wps")), how)
        what = "WPS 格式文件（.wps），无法读取。"
    x.extras.append(f)
    s.defect("M03", x, what, f)


def _ap_d01(s: Planter, xs):
    x = xs[0]
    bad = id_bad_check(x.person.id_number)
    x.form_over["id_number"] = bad
    s.defect("D01", x, f"审批表身份证号 {bad} 校验码错误（应为 {x.person.id_number[-1]}）。", "form")


def _ap_d02(s: Planter, xs):
    x = xs[0]
    p = x.person
    if s.rng.random() < 0.5:
        k = s.rng.choice((1, 2, 3, -1, -2, 12))
        m = p.birth.year * 12 + p.birth.month - 1 + k
        wrong = date(m // 12, m % 12 + 1, 1)
        x.form_over["birth"] = birth_text(wrong, x.unit.style["birth_style"])
        s.defect("D02", x, f"审批表出生年月 {wrong.year}.{wrong.month:02d}，身份证号为 {p.birth.year}.{p.birth.month:02d}。", "form")
    else:
        g = "女" if p.gender == "男" else "男"
        x.form_over["gender"] = g
        s.defect("D02", x, f"审批表性别填“{g}”，身份证号显示为{p.gender}性。", "form")


def _ap_d03(s: Planter, xs):
    x = xs[0]
    n = len("".join(x.person.achievements.split()))
    s.defect("D03", x, f"主要业绩共 {n} 字，超过 800 字。", "form")


def _ap_d04(s: Planter, xs):
    x = xs[0]
    p = x.person
    ents = p.resume
    from .people import add_months

    def dur(e):
        return (e.end[0] * 12 + e.end[1]) - (e.start[0] * 12 + e.start[1])
    long_ones = [i for i in range(1, len(ents)) if dur(ents[i - 1]) >= 10]
    if long_ones and s.rng.random() < 0.65:
        i = s.rng.choice(long_ones)
        gap = s.rng.randint(5, min(30, dur(ents[i - 1]) - 2))
        prev_end = ents[i - 1].end
        ents[i - 1] = replace(ents[i - 1], end=add_months(prev_end, -gap))
        x.resume_gap = True
        s.defect("D04", x, f"个人简历第 {i} 条与第 {i + 1} 条之间有 {gap} 个月空档。", "form")
    else:
        x.resume_no_months = True
        s.defect("D04", x, "个人简历只写到年份，未具体到月份。", "form")


def _ap_d05(s: Planter, xs):
    x = xs[0]
    r = s.rng
    row = x.summary_row
    # the summary row is wrong, the form and the evidence agree: only D05 may fire. (Awards by
    # level are not used: V08 reads them from the summary table, so a wrong row would be V08 too.)
    opts = [("benefit", y) for y in YEARS if row.get(f"benefit.{y}") not in ("", "0", None)] * 3
    if row.get("patents.invention") not in ("", "0", None):
        opts.append(("patents.invention", None))
    opts += [("apprentices", y) for y in YEARS if row.get(f"apprentices.{y}") not in ("", "0", None)]
    kind, y = r.choice(opts)
    if kind == "benefit":
        cur = Decimal(row.get(f"benefit.{y}") or "0")
        new = cur + Decimal(r.choice(("5", "10", "2.5", "12", "20")))
        if cur and r.random() < 0.5:
            new = cur * 10
        row[f"benefit.{y}"] = fmt_wan(new)
        x.summary_over[f"benefit.{y}"] = fmt_wan(new)
        what = f"{y} 年经济效益：审批表合计 {fmt_wan(cur) if cur else 0} 万元，汇总表填 {fmt_wan(new)} 万元。"
    elif kind == "patents.invention":
        cur = int(row.get("patents.invention") or 0)
        row["patents.invention"] = str(cur + 1)
        x.summary_over["patents.invention"] = str(cur + 1)
        what = f"发明专利：审批表 {cur} 件，汇总表 {cur + 1} 件。"
    elif kind == "apprentices":
        cur = int(row.get(f"apprentices.{y}") or 0)
        row[f"apprentices.{y}"] = str(cur + 2)
        x.summary_over[f"apprentices.{y}"] = str(cur + 2)
        what = f"{y} 年师带徒协议：审批表 {cur} 份，汇总表 {cur + 2} 份。"
    else:
        cur = int(row.get("innovation.prefecture") or 0)
        row["innovation.prefecture"] = str(cur + 1)
        x.summary_over["innovation.prefecture"] = str(cur + 1)
        what = f"地厅级创新成果获奖：审批表 {cur} 项，汇总表 {cur + 1} 项。"
    s.defect("D05", x, what + "（审批表与证明材料一致，汇总表有误。）", "summary")


def _ap_d06(s: Planter, xs):
    x = xs[0]
    n = len("".join((x.person.deeds_title + x.person.deeds).split()))
    s.defect("D06", x, f"事迹材料共 {n} 字，超过 1500 字。", "deeds")


def _ap_d08(s: Planter, xs):
    x = xs[0]
    key = s.rng.choice(("ethnicity", "phone", "politics", "education", "specialty"))
    x.form_over[key] = ""
    zh = {"ethnicity": "民族", "phone": "联系电话", "politics": "政治面貌", "education": "学历", "specialty": "专业特长"}[key]
    s.defect("D08", x, f"审批表“{zh}”一栏空白。", "form")


def _ap_d07(s: Planter, xs):
    x = xs[0]
    key = s.rng.choice(("unit_union", "unit_union", "unit_hr", "county_union"))
    x.opinions[key] = False
    zh = {"unit_union": "所在单位工会", "unit_hr": "所在单位人力资源部门", "county_union": "县（区）总工会（产业工会）"}[key]
    s.defect("D07", x, f"签字盖章的审批表扫描件中“{zh}意见”栏未盖章。", "form-scan")


def _ap_v01(s: Planter, xs):
    x = xs[0]
    pats = s.items(x, "patent")
    e = pats[-1]
    x.evidence.remove(e)
    s.defect("V01", x, f"申报专利 {len(pats)} 件，证明材料中只有 {len(pats) - 1} 件专利证书（缺 {e.obj.number}）。", "evidence")


def _flip_check(num: str) -> str:
    last = num[-1]
    digits = "0123456789X"
    return num[:-1] + digits[(digits.index(last.upper()) + 4) % 11]


def _ap_v02(s: Planter, xs):
    x = xs[0]
    e = s.items(x, "patent")[0]
    bad = _flip_check(e.kw["number"])
    e.kw["number"] = bad
    e.touched.add("V02")
    s.defect("V02", x, f"专利证书上的专利号 {bad} 校验位错误。", e)


def _ap_v04(s: Planter, xs):
    x = xs[0]
    e = s.items(x, "statement")[0]
    old = Decimal(e.kw["created_yuan"])
    new = old - Decimal(s.rng.choice((20000, 50000, 10000, 35000)))
    if new <= 0:
        new = old + Decimal(30000)
    e.kw["created_yuan"] = new
    e.touched.add("V04")
    y = e.obj.year
    s.defect("V04", x, f"{y} 年创效申报 {x.summary_row and fmt_wan(x.person.benefit(y, 'created'))} 万元，"
                       f"但该年经济效益证明上的创效金额为 {fmt_wan(wan(new))} 万元（原应为 {fmt_wan(wan(old))} 万元），合计对不上。", e)


def _ap_v05(s: Planter, xs):
    x = xs[0]
    e = s.items(x, "statement")[0]
    e.touched.add("V05")
    if s.rng.random() < 0.6:
        e.kw["seal"] = "official"
        what = "经济效益证明盖的是单位公章，不是财务专用章。"
    else:
        e.kw["seal"] = None
        what = "经济效益证明没有盖章。"
    s.defect("V05", x, what, e)


def _ap_v06(s: Planter, xs):
    x = xs[0]
    ags = s.items(x, "agreement")
    e = ags[-1]
    x.evidence.remove(e)
    s.defect("V06", x, f"{e.obj.year} 年申报师带徒协议，证明材料中缺少与{e.obj.apprentice}签订的协议。", "evidence")


def _ap_v11(s: Planter, xs):
    x = xs[0]
    p = x.person
    other = s.names.take()
    h = p.honors[0]
    e = EvItem("honor", f"{h.title}荣誉证书", "honor_certificate",
               dict(holder=other, title=h.title, issuer=h.issuer, date=h.date), f"v11:{x.name}", h)
    x.evidence.insert(1 + len(p.honors), e)
    s.defect("V11", x, f"证明材料中有一份“{h.title}”证书的持证人是“{other}”，不是本人。", e)


def _ap_v14(s: Planter, xs):
    x = xs[0]
    e = s.items(x, "statement")[0]
    amt = Decimal(e.kw["created_yuan"]) or Decimal(e.kw["saved_yuan"])
    wrong = amt + Decimal(s.rng.choice((10000, 100000, 1000, 50000)))
    e.kw["capitals"] = yuan_capitals(wrong, prefix=s.rng.choice(("人民币", "")))
    e.touched.add("V14")
    s.defect("V14", x, f"经济效益证明小写金额与大写金额不一致（大写为 {fmt_wan(wan(wrong))} 万元）。", e)


def _senior_worker_cert(s: Planter, x: NomPlan, code: str) -> EvItem:
    """The nominee's skill certificate redrawn at 高级工, its number's level digit to match."""
    e = s.items(x, "skill")[0]
    sc = x.person.skill_cert
    e.kw["level"] = "高级工"
    e.kw["number"] = skill_cert_number(random.Random(f"{code.lower()}:{x.name}"), "高级工", sc.date.year, sc.new_style)
    e.title = e.title.replace(sc.level, "高级工")
    return e


def _ap_e05(s: Planter, xs):
    x = xs[0]
    e = _senior_worker_cert(s, x, "E05")
    s.defect("E05", x, f"审批表技术等级为{x.person.skill_level}，证书显示为高级工。", e)


def _ap_e02(s: Planter, xs):
    x = xs[0]
    e = _senior_worker_cert(s, x, "E02")
    s.defect("E02", x, "技术等级为高级工，低于技师（二级）的最低要求。", e)


def _ap_x01(s: Planter, xs):
    a, b = xs
    num = a.person.stddocs[-1].number
    ea = next(e for e in a.evidence if e.kind == "stddoc" and e.obj.number == num)
    eb = next(e for e in b.evidence if e.kind == "stddoc" and e.obj.number == num)
    ea.place = eb.place = "folder"
    ea.fmt = "pdf"
    eb.copy_from = ea
    eb.fname = ea.fname = f"{ea.obj.title}.pdf"
    s.defect("X01", a, f"《{ea.obj.title}》文件与{b.name}材料中的文件完全相同（同一文件）。", ea)
    s.defect("X01", b, f"《{ea.obj.title}》文件与{a.name}材料中的文件完全相同（同一文件）。", eb)


def _ap_x02(s: Planter, xs):
    a, b = xs
    ha = next(h for h in a.person.honors if h.number and h.number.startswith("KFZGH"))
    ea = next(e for e in a.evidence if e.kind == "honor" and e.obj.title == ha.title)
    eb = next(e for e in b.evidence if e.kind == "honor" and e.obj.title == ha.title)
    eb.seed = ea.seed
    eb.kw = dict(ea.kw, holder=b.name)
    for e in (ea, eb):
        e.damage = a.unit.damage
        e.fmt = "jpg"
    s.defect("X02", a, f"“{ha.title}”证书与{b.name}的证书版面、噪点完全相同，仅姓名不同。", ea)
    s.defect("X02", b, f"“{ha.title}”证书系由{a.name}的证书改名而来（同一扫描件）。", eb)
    s.defect("X05", a, f"“{ha.title}”证书编号 {ha.number} 同时出现在{b.name}的证书上。", ea)
    s.defect("X05", b, f"“{ha.title}”证书编号 {ha.number} 同时出现在{a.name}的证书上。", eb)


def _ap_x03(s: Planter, xs):
    a, b = xs
    pt = a.person.patents[0]
    ea = next(e for e in a.evidence if e.kind == "patent" and e.obj is pt)
    eb = next(e for e in b.evidence if e.kind == "patent" and e.obj is pt)
    ea.place = eb.place = "folder"
    ea.fmt = "pdf"
    eb.copy_from = ea
    word = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}[pt.ptype]
    ea.fname = eb.fname = f"{word}专利证书-{pt.title}.pdf"
    s.defect("X03", a, f"专利 {pt.number}（{pt.title}）同时被{b.name}申报，{b.name}不是发明人。", ea)
    s.defect("X03", b, f"专利 {pt.number}（{pt.title}）是{a.name}等人的专利，本人不在发明人之列，却计入本人专利数。", eb)
    s.defect("X01", a, f"专利证书文件与{b.name}材料中的文件完全相同。", ea)
    s.defect("X01", b, f"专利证书文件与{a.name}材料中的文件完全相同。", eb)
    s.defect("V03", b, f"本人不在专利 {pt.number} 的发明人之列。", eb)


def _ap_x04(s: Planter, xs):
    a, b = xs
    ag = a.person.agreements[0]
    ea = next(e for e in a.evidence if e.kind == "agreement" and e.obj is ag)
    bg = next(g for g in b.person.agreements if g.apprentice == ag.apprentice)
    eb = next(e for e in b.evidence if e.kind == "agreement" and e.obj is bg)
    s.defect("X04", a, f"徒弟{ag.apprentice}同时与{b.name}签订师带徒协议（{bg.start}起），期限重叠。", ea)
    s.defect("X04", b, f"徒弟{ag.apprentice}已与{a.name}签订师带徒协议（{ag.start}至{ag.end}），期限重叠。", eb)


def _ap_x07(s: Planter, xs):
    a, b = xs
    st = next(st for st in a.person.statements if b.name in st.persons)
    ea = next(e for e in a.evidence if e.kind == "statement" and e.obj is st)
    eb = next(e for e in b.evidence if e.kind == "statement" and e.obj is st)
    eb.seed = ea.seed + ":second-original"
    s.defect("X07", a, f"{st.year} 年“{st.project}”经济效益证明（{fmt_wan(wan(st.created))} 万元）同时计入{b.name}的效益。", ea)
    s.defect("X07", b, f"{st.year} 年“{st.project}”经济效益证明（{fmt_wan(wan(st.created))} 万元）同时计入{a.name}的效益。", eb)


def _ap_m04(s: Planter, xs):
    x = xs[0]
    e = (s.free(x, ("honor",)) or s.free(x, ("competition", "innovation")) or s.free(x, ("skill",)))[0]
    e.touched.add("M04")
    e.place = "folder"
    e.fname = "专利证书.pdf"
    e.fmt = "pdf"
    what = e.title if e.kind != "honor" else f"“{e.obj.title}”荣誉证书"
    s.defect("M04", x, f"文件名为“专利证书.pdf”，内容是{what}。", e)


def _ap_f01(s: Planter, xs):
    x = xs[0]
    cands = s.free(x, ("honor", "competition", "innovation", "agreement", "statement", "clipping", "training"))
    e = cands[-1] if cands else s.free(x, ("skill", "patent", "stddoc"))[-1]
    e.touched.add("F01")
    e.place = "folder"
    e.fmt = "pdf"
    from datetime import datetime
    e.pdf_meta = {"producer": "Adobe Photoshop CC 2019 (Windows)", "creator": "Adobe Photoshop CC 2019 (Windows)",
                  "creation_date": datetime(2021, 5, 20, 10, 12, 0), "mod_date": datetime(2021, 5, 27, 22, 41, 0)}
    s.defect("F01", x, "扫描件 PDF 由 Adobe Photoshop 生成，修改时间晚于创建时间（疑似编辑过）。", e)


def _ap_f03(s: Planter, xs):
    x = xs[0]
    sts = s.items(x, "statement")[:3]
    for e in sts:
        e.touched.add("F03")
        e.kw["seal"] = None
        e.paste_seal = {"donor": f"f03:{x.name}", "unit": x.person.employer.name}
        e.place = "folder"
        e.fmt = "png"
    s.defect("F03", x, "三份经济效益证明上的财务专用章像素完全相同（电子印章粘贴）。", sts[0])
    for e in sts[1:]:
        d = Defect("F03", x.unit, x, "同上（同一印章图像）。", e)
        s.bp.defects.append(d)


LEADER_POSITIONS = ("副县长（挂职）", "副处级调研员", "党委书记、局长", "副局长（副县级）", "处长",
                    "县人大常委会副主任")


def _ap_e01(s: Planter, xs):
    x = xs[0]
    pos = s.rng.choice(LEADER_POSITIONS)
    x.form_over["position"] = pos
    emp = x.person.employer.name
    sep = "" if x.unit.style["file_style"] == 0 else ("、" if x.unit.style["file_style"] == 1 else " ")
    x.summary_row["employer_position"] = x.summary_over["employer_position"] = f"{emp}{sep}{pos}"
    s.defect("E01", x, f"审批表职务为“{pos}”，属县处级及以上领导干部，不参加选树。", "form")


def _ap_e03(s: Planter, xs):
    x = xs[0]
    got = "、".join(h.title for h in x.person.honors)
    s.defect("E03", x, f"所获荣誉为“{got}”，没有县（区）、行业、企业工匠或技术能手等基础荣誉，也未说明绝招绝技。", "form")


def _ap_e04(s: Planter, xs):
    x = xs[0]
    p = x.person
    age = DEADLINE.year - p.birth.year - ((DEADLINE.month, DEADLINE.day) < (p.birth.month, p.birth.day))
    if s.rng.random() < 0.3:
        pos = f"{p.position}（已退休，返聘）"
        x.form_over["position"] = pos
        s.defect("E04", x, f"出生于 {p.birth.year} 年 {p.birth.month} 月，截止 {DEADLINE} 已满 {age} 周岁，"
                           f"且审批表职务注明“已退休”。", "form")
    else:
        s.defect("E04", x, f"身份证号显示出生于 {p.birth.year} 年 {p.birth.month} 月，截止 {DEADLINE} 已满 {age} 周岁，"
                           f"超过法定退休年龄（{'男 60' if p.gender == '男' else '女 55'} 岁）。", "form")


def _ap_v07(s: Planter, xs):
    x = xs[0]
    e = s.items(x, "training")[0]
    rows = list(e.kw["rows"])
    promoted = [i for i, r_ in enumerate(rows) if r_[1] in ("高级工", "技师", "高级技师")] or list(range(len(rows)))
    i = s.rng.choice(promoted)
    name, level, _ = rows[i]
    if s.rng.random() < 0.5 or len(rows) < 2:
        rows[i] = (name, "", rows[i][2])
        what = f"培训名单中{name}一行没有写提升后的等级，申报的{level}提升人数少一人的依据。"
    else:
        del rows[i]
        what = f"申报技术等级提升（{level}）的{name}不在培训名单中。"
    e.kw["rows"] = rows
    e.touched.add("V07")
    s.defect("V07", x, what, e)


def _ap_v08(s: Planter, xs):
    x = xs[0]
    cands = s.free(x, ("innovation", "competition"))
    if not cands:
        cands = s.items(x, "innovation") + s.items(x, "competition")
    e = s.rng.choice(cands)
    x.evidence.remove(e)
    zh = {"enterprise": "企业级", "prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}[e.obj.level]
    kind = "创新成果获奖" if e.kind == "innovation" else "技能竞赛获奖"
    s.defect("V08", x, f"申报{zh}{kind}，证明材料中缺少“{e.obj.name}”（{e.obj.rank}）的获奖证书。", "evidence")


def _ap_v09(s: Planter, xs):
    x = xs[0]
    cands = [e for e in s.free(x, ("honor",)) if not e.obj.base]
    e = s.rng.choice(cands)
    h = e.obj
    if s.rng.random() < 0.5:
        x.evidence.remove(e)
        s.defect("V09", x, f"审批表所获荣誉“{h.year}年 {h.title}”没有荣誉证书。", "evidence")
    else:
        y = h.year - s.rng.choice((1, 2))
        d = e.kw["date"]
        e.kw["date"] = date(y, d.month, min(d.day, 28))
        e.touched.add("V09")
        s.defect("V09", x, f"审批表填“{h.year}年 {h.title}”，荣誉证书的日期是 {y} 年。", e)


def _ap_v10(s: Planter, xs):
    x = xs[0]
    e = (s.free(x, ("statement",)) or s.items(x, "statement"))[0]
    d = date(DEADLINE.year, DEADLINE.month, DEADLINE.day) + timedelta(days=s.rng.randint(8, 40))
    e.kw["date"] = d
    e.touched.add("V10")
    s.defect("V10", x, f"{e.obj.year} 年度经济效益证明落款日期为 {d.year}年{d.month}月{d.day}日，晚于推荐材料报送截止日期。", e)


def _ap_v12(s: Planter, xs):
    x = xs[0]
    e = (s.free(x, ("clipping",)) or s.items(x, "clipping"))[-1]
    x.evidence.remove(e)
    zh = {"prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}[e.obj.level]
    s.defect("V12", x, f"汇总表申报{zh}媒体宣传，证明材料中缺少{e.obj.outlet}的报道。", "evidence")


def _ap_v13(s: Planter, xs):
    x = xs[0]
    e = (s.free(x, ("stddoc",)) or s.items(x, "stddoc"))[-1]
    x.evidence.remove(e)
    what = "工作法/操作规程" if e.obj.is_method else "标准"
    s.defect("V13", x, f"申报{e.obj.date.year}年{what}《{e.obj.title}》，证明材料中没有该文件。", "evidence")


def _ap_m02(s: Planter, xs):
    x = xs[0]
    if s.rng.random() < 0.5:
        x.catalog_defect = "none"
        s.defect("M02", x, "证明材料装订册没有材料目录。", "evidence")
    else:
        x.catalog_defect = "extra"
        x.catalog_extra = s.rng.choice(("河南省技术能手荣誉证书", "省级技能大赛获奖证书", "发明专利证书（补）",
                                        "2020年度经济效益证明（补充）"))
        s.defect("M02", x, f"材料目录列有“{x.catalog_extra}”，装订册中没有这份材料。", "evidence")


APPLY: dict[str, Callable] = {
    "M01": _ap_m01, "M03": _ap_m03, "D01": _ap_d01, "D02": _ap_d02, "D03": _ap_d03, "D04": _ap_d04,
    "D05": _ap_d05, "D06": _ap_d06, "D08": _ap_d08, "D07": _ap_d07, "V01": _ap_v01, "V02": _ap_v02,
    "V04": _ap_v04, "V05": _ap_v05, "V06": _ap_v06, "V11": _ap_v11, "V14": _ap_v14, "E05": _ap_e05,
    "E02": _ap_e02, "X01": _ap_x01, "X02": _ap_x02, "X03": _ap_x03, "X04": _ap_x04, "X07": _ap_x07,
    "M04": _ap_m04, "F01": _ap_f01, "F03": _ap_f03, "X06": lambda s, xs: _ap_x06(s, xs),
    "F02": lambda s, xs: _ap_f02(s, xs),
    "E01": _ap_e01, "E03": _ap_e03, "E04": _ap_e04, "V07": _ap_v07, "V08": _ap_v08, "V09": _ap_v09,
    "V10": _ap_v10, "V12": _ap_v12, "V13": _ap_v13, "M02": _ap_m02,
}


def plant(bp: BatchPlan) -> BatchPlan:
    Planter(bp).run()
    return bp


# -- X06 and F02 (added later) -------------------------------------------------------------
def _prep_x06(s: Planter, xs):
    """b's deeds take over one long section of a's deeds (at least 200 characters) in place of
    b's own section of the same place, so the text stays b's own elsewhere and about as long."""
    a, b = xs
    la, lb = a.person.deeds.split("\n"), b.person.deeds.split("\n")
    body = [i for i in (2, 6, 4) if i < min(len(la), len(lb))]
    limit = 1440 - len(b.person.deeds_title)
    for i in sorted(body, key=lambda i: -len(la[i])):
        if len(la[i]) < 200:
            continue
        new = lb[:i] + [la[i]] + lb[i + 1:]
        if len("".join(new)) <= limit:
            b.person.deeds = "\n".join(new)
            b.x06 = (a.name, la[i])
            return
    # no section long enough alone (or none fits): a's two longest sections in place of b's two,
    # b's other sections losing their last sentences until the text is within the limit
    i, j = sorted(sorted(body, key=lambda i: -len(la[i]))[:2])
    new = lb[:]
    new[i], new[j] = la[i], la[j]
    rest = [x for x in body if x not in (i, j)]
    while rest and len("".join(new)) > limit:
        x = max(rest, key=lambda x: len(new[x]))
        cut = new[x].rstrip("。").rfind("。")
        if cut <= 0:
            break
        new[x] = new[x][:cut + 1]
    b.person.deeds = "\n".join(new)
    b.x06 = (a.name, la[i] + la[j])


def _ap_x06(s: Planter, xs):
    a, b = xs
    _src, passage = b.x06 or (a.name, "")
    s.defect("X06", a, f"事迹材料中约 {len(passage)} 字的段落被{b.name}的事迹材料照搬（“{passage[:20]}……”）。", "deeds")
    s.defect("X06", b, f"事迹材料中约 {len(passage)} 字的段落抄自{a.name}的事迹材料（“{passage[:20]}……”）。", "deeds")


def _ap_f02(s: Planter, xs):
    """An evidence JPEG whose EXIF names Photoshop, or says it was taken before the date printed
    on the document."""
    from datetime import datetime
    x = xs[0]
    kinds = ("honor", "competition", "innovation", "statement", "skill")
    cands = [e for e in s.free(x, kinds) if isinstance(e.kw.get("date"), date)]
    if not cands:
        cands = [e for e in x.evidence if e.kind in kinds and isinstance(e.kw.get("date"), date) and not e.touched]
    e = cands[-1]
    e.touched.add("F02")
    e.place = "folder"
    e.fmt = "jpg"
    d = e.kw["date"]
    r = random.Random(f"f02:{x.name}")
    if r.random() < 0.5:
        e.exif = {"software": "Adobe Photoshop CC 2019 (Windows)",
                  "taken": datetime(2021, 5, r.randint(10, 20), r.randint(8, 20), r.randint(0, 59), 0)}
        s.defect("F02", x, f"证明材料图片 EXIF 显示由 Adobe Photoshop CC 2019 编辑保存（{e.title}）。", e)
    else:
        early = d - timedelta(days=r.randint(40, 200))
        e.exif = {"taken": datetime(early.year, early.month, early.day, r.randint(8, 17), r.randint(0, 59), 0)}
        s.defect("F02", x, f"证明材料图片 EXIF 拍摄时间 {early} 早于文件落款日期 {d}（{e.title}），不可能先拍后印。", e)
