"""Time the cross-nominee (X) and forensics (F) rules alone on synthetic audit contexts.

    python bench/cross.py                    # 100, 1 000 and 10 000 nominees, 30 items each
    python bench/cross.py --sizes 100 1000

Each nominee gets 30 evidence items (certificates, patents, statements, agreements,
standards) with file hashes, page pixel hashes, numbers and seal ink hashes, and one PDF
file record per item with scanner metadata. A realistic share of duplicates is planted: about
1 % of nominees share a file with another, 1 % a patent, 1 % a certificate number, 1 % a
statement, 1 % an apprentice, 1 % a pasted seal, 0.5 % an edited PDF. Every page has a random
256-bit pHash and dHash (64 hex digits); 1 % of nominees have a page that is another's a few bits
apart with the same text lines but the name line changed (X02). Every nominee has deeds (about
1 200–1 500 characters) and a 主要业绩 (about 600) made of their own sentences from a common
vocabulary with the template wording real deeds share (工匠精神, 爱岗敬业 …); 1 % copy a 200–500
character passage from another nominee's deeds (X06). Prints, per size, the seconds to build the
graph and run the rules, the findings per code and the peak memory.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.model import (AuditContext, DeclaredForm, EvidenceItem, Fact, FileRecord, Nominee, SealInfo,  # noqa: E402
                         Unit)
from audit.profile import load_profile  # noqa: E402
from rules.registry import all_rules  # noqa: E402

KINDS = ["honor_certificate", "competition_award", "innovation_award", "skill_certificate", "patent_certificate",
         "benefit_statement", "apprentice_agreement", "standard_doc"]


# vocabulary of the deeds: subjects, actions, objects, results, and the shared template wording
SUBJ = ["他", "她", "该同志", "他带领班组", "她带领团队", "他和工友们", "作为班长，他", "作为技术骨干，她", "他主动请缨",
        "面对难题，他", "多年来，她", "在师傅指导下，他", "他牵头成立攻关小组", "她组织青年职工"]
VERB = ["改进", "优化", "攻克", "研制", "设计", "改造", "调试", "检修", "编写", "总结", "推广", "摸索出", "革新",
        "测试", "分析", "排查", "完善", "制定", "试制", "校准", "重新布置", "自制", "升级", "规范"]
OBJ = ["数控车床夹具", "深孔加工工艺", "薄壁套筒变形问题", "主轴热变形补偿", "焊接变形控制方法", "变压器绕组工艺",
       "仪表调节阀", "液位计取压管", "合成氨装置控制回路", "箱体孔系加工流程", "刀具磨损监测", "冷却液循环系统",
       "模具抛光工序", "铸件砂眼缺陷", "纺织机断头自停装置", "汽车变速箱装配线", "电气控制柜布线", "空分装置换热器",
       "管道焊缝探伤方法", "锅炉燃烧控制", "印刷套色精度", "食品灌装线", "钢结构吊装方案", "铁路信号设备",
       "配电线路带电作业工具", "机床导轨刮研", "齿轮渗碳热处理", "液压系统密封", "轴承装配工装", "玻璃窑炉温控"]
RES = ["合格率提高到百分之{a}", "单件工时缩短{a}分钟", "每年节约成本{b}万元", "故障率下降百分之{a}",
       "效率提高{a}%", "废品损失减少{b}余万元", "被写入公司工艺规程", "在{c}个分厂推广使用", "获得实用新型专利{c}项",
       "节约工时{b}个", "装置连续运行{b}天无停车", "培养技师{c}名", "获市级技术创新奖", "减少能耗百分之{a}"]
TIME = ["{y}年", "{y}年以来", "去年", "近三年", "{y}年{m}月", "参加工作{c}年来", "在{y}年的大修中", "入职第{c}年"]
TEMPLATE = ["他始终以工匠精神要求自己，爱岗敬业、精益求精。", "她立足岗位、甘于奉献，执着追求、勇于攀登。",
            "他干一行、爱一行、钻一行，是单位公认的技术带头人。", "她一丝不苟、追求卓越，诠释了新时代产业工人的风采。",
            "他潜心钻研、锐意创新，为企业高质量发展作出了贡献。", "他坚持传帮带，把技术毫无保留地传给徒弟。",
            "她攻坚克难，以强烈的使命感和责任感完成每一项任务。", "他的技术革新取得了显著的经济效益和社会效益。"]


def sentence(rng: random.Random) -> str:
    f = dict(a=rng.randint(2, 99), b=rng.randint(10, 9999), c=rng.randint(2, 30), y=rng.randint(1995, 2020),
             m=rng.randint(1, 12))
    parts = [rng.choice(TIME).format(**f), "，", rng.choice(SUBJ), rng.choice(VERB), rng.choice(OBJ)]
    if rng.random() < 0.5:
        parts += ["和", rng.choice(OBJ)]
    parts += ["，", rng.choice(RES).format(**f)]
    if rng.random() < 0.6:
        parts += ["，", rng.choice(RES).format(**f)]
    return "".join(parts) + "。"


def text_of(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    n = 0
    while n < chars:
        s = rng.choice(TEMPLATE) if rng.random() < 0.15 else sentence(rng)
        if rng.random() < 0.1:
            s += "\n"
        out.append(s)
        n += len(s)
    return "".join(out)


def rand_hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def flip(rng: random.Random, h: str, bits: int) -> str:
    v = int(h, 16)
    for b in rng.sample(range(256), bits):
        v ^= 1 << b
    return f"{v:064x}"


def make_ctx(n: int, seed: int = 1, per: int = 30) -> AuditContext:
    rng = random.Random(seed)
    ctx = AuditContext(profile=load_profile())
    units = [Unit(name=f"单位{u}", folder=f"单位{u}") for u in range(max(1, n // 5))]
    noms = []
    for i in range(n):
        u = units[i % len(units)]
        nom = Nominee(unit=u.name, name=f"人选{i}", folder=f"{u.folder}/人选{i}")
        for j in range(per):
            kind = KINDS[j % len(KINDS)]
            f = f"{nom.folder}/材料{j}.pdf"
            sha = f"{i:06d}{j:03d}" + "0" * 55
            it = EvidenceItem(id=f"{sha[:12]}:p1", kind=kind, file=f, sha256=sha, pages=[1], unit=u.name,
                              nominee=nom.key, page_hashes=[(f, 1, "p" + sha)],
                              page_phashes=[(f, 1, rand_hash(rng), rand_hash(rng))])
            if kind == "patent_certificate":
                it.fields["number"] = Fact(f"2019{i:07d}{j % 10}.{j % 10}")
                it.fields["inventors"] = Fact([nom.name])
            elif kind == "benefit_statement":
                it.fields.update(year=Fact(2019 + j % 2), created=Fact(Decimal(rng.randint(100000, 9000000)) / 10000),
                                 project=Fact(f"项目{i}-{j}"), issuer=Fact(u.name))
            elif kind == "apprentice_agreement":
                it.fields.update(apprentice=Fact(f"徒{i}x{j}"), start=Fact(date(2019, 3, 1)), end=Fact(date(2021, 2, 28)))
            elif kind != "standard_doc":
                it.fields.update(number=Fact(f"KF{i:07d}{j:03d}"), holder=Fact(nom.name))
            it.seals.append(SealInfo(file=f, page=1, box=(0, 0, 100, 100), ring_text=u.name, ink_sha256="ink" + sha,
                                     sha256=sha))
            nom.evidence.append(it)
            nom.files.append(FileRecord(path=f, sha256=sha, size=1, local=f, unit=u.name, nominee=nom.key,
                                        role="evidence", metadata={"media": "pdf", "scan_pages": 1,
                                                                   "producer": "EPSON Scan"}))
        nom.deeds_text = Fact(text_of(rng, rng.randint(1200, 1500)))
        nom.form = DeclaredForm(file=f"{nom.folder}/审批表.docx", fields={"achievements": Fact(text_of(rng, rng.randint(550, 650)))})
        u.nominees.append(nom)
        noms.append(nom)
    # duplicates: each kind of reuse on about 1 % of nominees
    k = max(1, n // 100)
    for _ in range(k):
        a, b = rng.sample(noms, 2)
        b.evidence[0].sha256 = a.evidence[0].sha256                       # X01 (same file)
        b.evidence[1].page_hashes = list(a.evidence[1].page_hashes)       # X01 (same page)
        b.evidence[4].fields["number"] = a.evidence[4].fields["number"]   # X03
        b.evidence[2].fields["number"] = a.evidence[2].fields["number"]   # X05
        b.evidence[5].fields = dict(a.evidence[5].fields)                 # X07
        b.evidence[6].fields["apprentice"] = a.evidence[6].fields["apprentice"]   # X04
        c = rng.choice(noms)
        for it in c.evidence[8:11]:                                       # F03
            it.seals[0].ink_sha256 = "pasted" + c.key
        d = rng.choice(noms)
        d.evidence[9].fields["number"] = d.evidence[1].fields["number"]   # X08
    for _ in range(k):
        a, b = rng.sample(noms, 2)
        # X02: a's certificate page re-scanned with b's name typed in (same number, a few bits apart)
        ia, ib = a.evidence[3], b.evidence[3]
        fa, fb = ia.file, ib.file
        lines = [("荣誉证书", (0.3, 0.05, 0.7, 0.1)), (f"{a.name}同志：", (0.1, 0.2, 0.4, 0.25)),
                 ("在2019年度技能竞赛中荣获一等奖，特发此证。", (0.1, 0.3, 0.9, 0.35)),
                 (f"证书编号：{ia.value('number')}", (0.1, 0.8, 0.6, 0.85))]
        ia.page_lines = [(fa, 1, lines)]
        ib.page_lines = [(fb, 1, [lines[0], (f"{b.name}同志：", lines[1][1])] + lines[2:])]
        _f, _p, ph, dh = ia.page_phashes[0]
        ib.page_phashes = [(fb, 1, flip(rng, ph, rng.randint(2, 12)), flip(rng, dh, rng.randint(2, 12)))]
        ib.fields["number"] = ia.fields["number"]
        # X06: a passage of a's deeds copied into b's
        da, db = str(a.deeds_text.value), str(b.deeds_text.value)
        ln = rng.randint(200, 500)
        st = rng.randrange(0, max(1, len(da) - ln))
        at = rng.randrange(0, len(db))
        b.deeds_text = Fact(db[:at] + da[st:st + ln] + db[at:])
    for d in rng.sample(noms, max(1, n // 200)):
        d.files[0].metadata.update(producer="Adobe Photoshop CC 2019")   # F01
    ctx.units = units
    ctx.files = [f for nm in noms for f in nm.files]
    return ctx


def run(n: int) -> dict:
    t0 = time.perf_counter()
    ctx = make_ctx(n)
    t1 = time.perf_counter()
    counts: dict[str, int] = {}
    per_rule: dict[str, float] = {}
    for r in all_rules():
        if r.code[0] not in "XF":
            continue
        t = time.perf_counter()
        counts[r.code] = sum(1 for _ in r.func(ctx))
        per_rule[r.code] = round(time.perf_counter() - t, 2)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"nominees": n, "items": n * 30, "make_s": round(t1 - t0, 2), "rules_s": round(t2 - t1, 2),
            "per_rule_s": per_rule, "findings": counts, "peak_rss_mb": round(rss)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    a = ap.parse_args()
    print("| nominees | items | X+F rules s (graph included) | X02 s | X06 s | peak RSS MB | findings |")
    print("|---|---|---|---|---|---|---|")
    for n in a.sizes:
        r = run(n)
        pr = r["per_rule_s"]
        print(f"| {r['nominees']} | {r['items']} | {r['rules_s']} | {pr.get('X02', '-')} | {pr.get('X06', '-')} | "
              f"{r['peak_rss_mb']} | "
              f"{' '.join(f'{c}:{v}' for c, v in r['findings'].items())} |", flush=True)
        print(f"  per rule (first includes building the graph): {r['per_rule_s']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
