"""Random evidence pages with their facts, drawn by the sample renderer (audit/sample).

``sample(kind, seed)`` returns a :class:`Sample`: the rendered page (ground-truth OCR lines,
image), a :class:`~extractors.base.Page` built from those lines, and the facts the page must
give back (``expected``: field key → value). Facts are drawn from the sample generator's
vocabulary (occupations, projects, patents, units, outlets) plus variety of its own (issuers,
honors, amounts, name lists), so a kind is exercised across wordings and layouts.

Used by tests/evidence and bench/fields.py.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Optional

from audit.ids import parse_patent_number
from audit.sample import documents as D
from audit.sample import people as P
from audit.sample.render import RenderedPage, scan
from extractors.base import Line, Page

KINDS = ("patent_certificate", "skill_certificate", "honor_certificate", "competition_award",
         "innovation_award", "benefit_statement", "apprentice_agreement", "training_list",
         "media_clipping", "standard_doc", "catalog")
OTHER_KINDS = ("approval_form", "summary_table", "publicity_notice", "recommendation_report")

HONORS = (("开封市技术能手", "开封市人力资源和社会保障局"), ("河南省技术能手", "河南省人力资源和社会保障厅"),
          ("开封市五一劳动奖章", "开封市总工会"), ("开封市劳动模范", "中共开封市委 开封市人民政府"),
          ("开封市优秀共产党员", "中共开封市委"), ("开封市技术标兵", "开封市总工会"),
          ("祥符区工匠", "开封市祥符区总工会"), ("尉氏县技术能手", "尉氏县人力资源和社会保障局"),
          ("开封市能源化工系统工匠", "开封市能源化工工会"), ("河南省五一劳动奖章", "河南省总工会"),
          ("全国技术能手", "人力资源和社会保障部"), ("开封市三八红旗手", "开封市妇女联合会"))
ORGS = ("开封空分集团有限公司", "开封市自来水有限公司", "国网开封供电公司", "开封平煤新型炭材料科技有限公司",
        "开封市第二建筑工程有限公司", "河南开封黄河测绘院", "开封市公共交通集团有限公司", "开封同力水泥有限公司",
        "开封市祥符区金鑫机械制造有限公司", "开封黄河空分集团有限公司", "开封市汴京热力有限公司")


@dataclass
class Sample:
    kind: str
    seed: int
    rendered: RenderedPage
    page: Page
    expected: dict[str, Any] = field(default_factory=dict)
    nominee: Optional[str] = None


def to_page(rp: RenderedPage, page_no: int = 1) -> Page:
    return Page(page=page_no, source="ocr", engine="truth",
                lines=[Line(t.text, tuple(t.box), t.confidence) for t in rp.lines],
                width=rp.image.width, height=rp.image.height, dpi=rp.dpi)


def _date_value(d: date, text: str) -> date:
    """What a date written as ``text`` says: year-month forms give day 1."""
    return d if ("日" in text or re.search(r"\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}", text)) else d.replace(day=1)


def _rand_date(rng: random.Random, y0: int = 2016, y1: int = 2020) -> date:
    return date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def _person(rng: random.Random) -> tuple[P.Person, P.NamePool]:
    names = P.NamePool(rng)
    unit = rng.choice(P.UNIT_SPECS)
    emp = rng.choice(unit.employers)
    return P.make_person(rng, names, unit, emp, pages=12), names


def sample(kind: str, seed: int, *, scanned: bool = False) -> Sample:
    """One page of ``kind`` with random facts (deterministic for ``seed``)."""
    rng = random.Random(f"ev:{kind}:{seed}")
    p, names = _person(rng)
    dom = P.DOMAINS[p.occupation]
    exp: dict[str, Any] = {}
    r2 = random.Random(f"draw:{kind}:{seed}")
    if kind == "patent_certificate":
        ptype, title = rng.choice(dom.patents)
        if rng.random() < 0.3:
            ptype = rng.choice(("invention", "utility", "design"))
        fy = rng.randint(2008, 2020)
        number = P.patent_number(rng, fy, ptype, style=rng.randrange(3))
        co = [names.take() for _ in range(rng.choice((0, 1, 1, 2, 3, 4)))]
        inv = [p.name] + co
        rng.shuffle(inv)
        filed = _rand_date(rng, fy, fy)
        granted = filed + timedelta(days=rng.randint(150, 900))
        cert = str(rng.randint(1000000, 9999999))
        patentee = rng.choice((p.employer.name, p.name, rng.choice(ORGS)))
        kw = dict(number=number, ptype=ptype, title=title, inventors=inv, patentee=patentee, filed=filed,
                  granted=granted, cert_no=cert)
        rp = D.patent_certificate(r2, **kw)
        pn = parse_patent_number(number)
        exp = dict(number=pn.normalized, ptype_title=ptype, ptype_digit=ptype, title=title, inventors=inv,
                   patentee=patentee, filed=filed, granted=granted, cert_no=cert)
    elif kind == "skill_certificate":
        level = rng.choice(("高级技师", "技师", "高级工", "中级工", "技师", "高级技师"))
        year = rng.randint(2008, 2020)
        new = year >= 2019 and rng.random() < 0.6
        number = P.skill_cert_number(rng, level, year, new)
        issuer = p.employer.name if new else rng.choice(("河南省职业技能鉴定中心", "开封市职业技能鉴定中心",
                                                          "河南省人力资源和社会保障厅", "开封市人力资源和社会保障局"))
        d = _rand_date(rng, year, year)
        kw = dict(holder=p.name, gender=p.gender, id_number=p.id_number, occupation=p.occupation, level=level,
                  number=number, issuer=issuer, date=d)
        rp = D.skill_certificate(r2, **kw)
        exp = dict(holder=p.name, gender=p.gender, id_number=p.id_number, occupation=p.occupation, level=level,
                   number=number, number_level=level, issuer=issuer, date=_date_value(d, rp.meta["date_text"]))
    elif kind == "honor_certificate":
        title, issuer = rng.choice(HONORS)
        if rng.random() < 0.3:
            issuer = p.employer.name
            title = rng.choice((f"{p.employer.short}工匠", f"{p.employer.short}首席技师", "优秀员工", "先进生产者"))
        d = _rand_date(rng)
        number = f"KF{d.year}{rng.randint(1, 999):03d}" if rng.random() < 0.3 else None
        rp = D.honor_certificate(r2, holder=p.name, title=title, issuer=issuer, date=d, number=number)
        exp = dict(holder=p.name, title=title, issuer=issuer, date=_date_value(d, rp.meta["date_text"]))
    elif kind == "competition_award":
        y = rng.randint(2016, 2020)
        lv = rng.choice(("enterprise", "prefecture", "provincial"))
        if lv == "enterprise":
            comp, iss = f"{p.employer.name}第{rng.choice('三四五六七八')}届职工技能比武{dom.competition}比赛", p.employer.name
        elif lv == "prefecture":
            comp = f"{y}年开封市职工职业技能竞赛{dom.competition}决赛"
            iss = rng.choice(("开封市总工会", "开封市总工会 开封市人力资源和社会保障局", "开封市人力资源和社会保障局"))
        else:
            comp = f"河南省第{rng.choice('三四五六')}届职业技能大赛{dom.competition}项目"
            iss = rng.choice(("河南省总工会", "河南省人力资源和社会保障厅"))
        rank = rng.choice(P.RANKS_COMP)
        d = _rand_date(rng, y, y)
        rp = D.competition_award(r2, holder=p.name, competition=comp, rank=rank, issuer=iss, date=d)
        exp = dict(holder=p.name, competition=comp, rank=rank, issuer=iss, date=_date_value(d, rp.meta["date_text"]))
    elif kind == "innovation_award":
        proj = rng.choice(dom.projects)
        rank = rng.choice(P.RANKS_INNO)
        iss = rng.choice((p.employer.name, "开封市总工会", "开封市科学技术局", "河南省总工会"))
        d = _rand_date(rng)
        rp = D.innovation_award(r2, holder=p.name, project=proj, rank=rank, issuer=iss, date=d)
        exp = dict(holder=p.name, project=proj, rank=rank, issuer=iss, date=_date_value(d, rp.meta["date_text"]))
    elif kind == "benefit_statement":
        y = rng.randint(2017, 2020)
        created = Decimal(rng.randint(0, 80) * 10000 + rng.choice((0, 0, 5000, 2000, 8000, 3600, 1200, 350, 25)))
        saved = Decimal(rng.choice((0, 0, rng.randint(1, 25) * 10000 + rng.choice((0, 4000, 6800, 1500, 12.5)))))
        if created == 0 and saved == 0:
            created = Decimal(50000)
        proj = rng.choice(dom.projects)
        unit = p.employer.name
        d = _rand_date(rng, y, y).replace(month=12)
        rp = D.benefit_statement(r2, unit=unit, project=proj, person=p.name, year=y, created_yuan=created,
                                 saved_yuan=saved, date=d)
        w = lambda v: (v / Decimal(10000)).normalize()  # noqa: E731
        exp = dict(project=proj, person=p.name, year=y, issuer=unit, date=d)
        if created:
            exp.update(created=w(created), created_capitals=w(created))
        if saved:
            exp.update(saved=w(saved), saved_capitals=w(saved))
    elif kind == "apprentice_agreement":
        sd = _rand_date(rng, 2017, 2020)
        end = date(sd.year + rng.choice((1, 2, 3)), sd.month, sd.day) - timedelta(days=1)
        app = names.take(two_char=rng.random() < 0.2)
        rp = D.apprentice_agreement(r2, master=p.name, apprentice=app, unit=p.employer.name, start=sd, end=end,
                                    sign_date=sd)
        exp = dict(master=p.name, apprentice=app, start=sd, end=end, sign_date=sd, signed=True,
                   unit=p.employer.name)
    elif kind == "training_list":
        n = rng.randint(2, 12)
        rows = []
        for _ in range(n):
            lv = rng.choice(("高级工", "高级工", "技师", "高级技师", "中级工"))
            d = _rand_date(rng, 2018, 2020)
            row = [names.take(), lv, f"{d.year}年{d.month}月"]
            if rng.random() < 0.25:
                row.append(rng.choice(("", "", "开封市技术能手", "岗位能手", f"{d.year}年度先进个人")))
            rows.append(row)
        if any(len(r) > 3 for r in rows):
            rows = [r + [""] * (4 - len(r)) for r in rows]
        rp = D.training_list(r2, unit=p.employer.name, rows=rows, date=date(2021, 5, rng.randint(1, 28)))
        drawn = rp.meta["rows_drawn"]
        exp = dict(rows=[{"name": r[0], "level": r[1], "date": date(int(r[2][:4]), int(r[2][5:].rstrip("月")), 1)}
                         for r in rows[:drawn]], unit=p.employer.name)
    elif kind == "media_clipping":
        lv = rng.choice(("prefecture", "provincial", "national"))
        outlet = rng.choice(P.OUTLETS[lv])
        d = _rand_date(rng)
        head = P.headline(rng, p)
        body = P.clipping_body(rng, p)
        rp = D.media_clipping(r2, outlet=outlet, level=lv, date=d, person=p.name, headline=head, body=body)
        exp = dict(outlet=outlet, level=P.LEVEL_ZH[lv], date=d, person=p.name, headline=head)
    elif kind == "standard_doc":
        y = rng.randint(2016, 2020)
        d = _rand_date(rng, y, y)
        r = rng.random()
        authors = [p.name]
        if r < 0.4:
            title = rng.choice(dom.methods).format(n=p.name)
            sk, number = "method", f"{p.employer.short[:2]}GZF-{y}-{rng.randint(1, 30):02d}"
            word = "工作法" if "法" in title and "操作法" not in title else ("操作法" if "操作法" in title else "工作法")
        elif r < 0.7:
            title = f"{dom.specialty[0]}操作规程"
            sk, number, word = "procedure", f"Q/KF{rng.randint(100, 999)}.{rng.randint(1, 40)}-{y}", "操作规程"
            authors += [names.take() for _ in range(rng.randint(0, 2))]
        else:
            title = f"{dom.specialty[0]}技术规范"
            prov = rng.random() < 0.5
            number = f"DB41/T {rng.randint(1000, 2100)}-{y}" if prov else f"JB/T {rng.randint(10000, 14000)}-{y}"
            sk, word = "standard", "行业标准"
            authors = [names.take(), p.name] + [names.take() for _ in range(rng.randint(0, 2))]
        adopt = rng.choice((None, p.employer.name, "开封市总工会"))
        rp = D.standard_doc(r2, title=title, kind=sk, number=number, author="、".join(authors), date=d,
                            adoption_unit=adopt)
        word = rp.meta["word"]
        exp = dict(title=title, kind=word if word != "工作法" or "操作法" not in title else "操作法",
                   number=number, author="、".join(authors), date=_date_value(d, rp.meta["date_text"]),
                   adoption=adopt is not None)
    elif kind == "catalog":
        n = rng.randint(3, 16)
        items = []
        pg = 2
        kinds_t = ("职业资格证书（技师）", "开封市技术能手荣誉证书", "实用新型专利证书（一种管道对口焊接定位装置）",
                   "2019年度经济效益证明", "师带徒协议（{a}）", "技能等级提升人员名单", "开封日报报道",
                   "《{t}》及应用证明", "技能竞赛获奖证书（一等奖）", "创新成果获奖证书（{t}）")
        for _ in range(n):
            t = rng.choice(kinds_t).format(a=names.take(), t=rng.choice(dom.projects))
            k = rng.choice((1, 1, 1, 2, 3))
            items.append((t, str(pg) if k == 1 else f"{pg}-{pg + k - 1}"))
            pg += k
        rp = D.catalog(r2, person=p.name, items=items)
        drawn = rp.meta["rows_drawn"]
        exp = dict(items=[{"title": t, "page": pg_} for t, pg_ in items[:drawn]])
    elif kind == "approval_form":
        rp = _approval_page(rng, p)
    elif kind == "summary_table":
        rp = D.summary_table(r2, unit=p.unit.name, rows=[{"seq": 1, "name": p.name,
                                                          "employer_position": p.employer.name + p.position,
                                                          "level_title": p.skill_level}],
                             years=[2018, 2019, 2020], date="2021-05-30")
    elif kind == "publicity_notice":
        rp = D.publicity_notice(r2, unit=p.unit.name, names=[p.name, names.take()], start="2021-05-20",
                                end="2021-05-26", issued="2021-05-20")
    elif kind == "recommendation_report":
        rp = D.recommendation_report(r2, unit=p.unit.name, names=[p.name, names.take()], date="2021-06-01")
    else:
        raise ValueError(kind)
    if scanned:
        rp = scan(rp, random.Random(f"scan:{kind}:{seed}"), "normal")
    return Sample(kind, seed, rp, to_page(rp), exp, nominee=f"unit/{seed:02d}-{p.name}")


def _approval_page(rng: random.Random, p: P.Person) -> RenderedPage:
    v = {"name": p.name, "gender": p.gender, "ethnicity": p.ethnicity, "birth": f"{p.birth.year}.{p.birth.month:02d}",
         "politics": p.politics, "education": p.education, "skill_level": p.skill_level, "title": p.title,
         "specialty": p.specialty, "position": p.position, "id_number": p.id_number, "phone": p.phone,
         "employer": p.employer.name, "unit": p.unit.name, "honors": "", "resume": "", "awards_text": "",
         "achievements": p.achievements}
    pages = D.approval_form(random.Random(rng.random()), values=v, years=[2018, 2019, 2020], opinions={})
    return pages[rng.randrange(2)]


def _enc(v: Any) -> Any:
    if isinstance(v, date):
        return {"date": v.isoformat()}
    if isinstance(v, Decimal):
        return {"decimal": str(v)}
    if isinstance(v, dict):
        return {"dict": {k: _enc(x) for k, x in v.items()}}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    return v


def _dec(v: Any) -> Any:
    if isinstance(v, dict):
        if "date" in v:
            return date.fromisoformat(v["date"])
        if "decimal" in v:
            return Decimal(v["decimal"])
        return {k: _dec(x) for k, x in v["dict"].items()}
    if isinstance(v, list):
        return [_dec(x) for x in v]
    return v


@dataclass
class ReadPage:
    """A page as an OCR engine read it, with the kind, seed and facts it was drawn with."""
    kind: str
    seed: int
    expected: dict
    nominee: Optional[str]
    page: Page


def save_read_pages(path, samples, pages) -> None:
    """Write pages as an OCR engine read them, with the kind, seed and facts they were drawn
    with (so replaying needs no rendering)."""
    import json
    from pathlib import Path
    out = [{"kind": sm.kind, "seed": sm.seed, "nominee": sm.nominee,
            "expected": {k: _enc(v) for k, v in sm.expected.items()},
            "width": pg.width, "height": pg.height, "engine": pg.engine,
            "lines": [{"text": ln.text, "box": [round(v, 1) for v in ln.box] if ln.box else None,
                       "confidence": round(float(ln.confidence), 4)} for ln in pg.lines]}
           for sm, pg in zip(samples, pages)]
    Path(path).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), "utf-8")


def load_read_pages(path) -> tuple[list[ReadPage], list[Page]]:
    """The drawn facts and the pages as read, from a file written by :func:`save_read_pages`
    (older files without the facts are drawn again from the seed)."""
    import json
    from pathlib import Path
    data = json.loads(Path(path).read_text("utf-8"))
    samples, pages = [], []
    for d in data:
        lines = [Line(x["text"], tuple(x["box"]) if x["box"] else None, x["confidence"]) for x in d["lines"]]
        page = Page(1, "ocr", d.get("engine"), lines, d["width"], d["height"], 200)
        if "expected" in d:
            samples.append(ReadPage(d["kind"], d["seed"], {k: _dec(v) for k, v in d["expected"].items()},
                                    d.get("nominee"), page))
        else:
            sm = sample(d["kind"], d["seed"])
            samples.append(ReadPage(sm.kind, sm.seed, sm.expected, sm.nominee, page))
        pages.append(page)
    return samples, pages
