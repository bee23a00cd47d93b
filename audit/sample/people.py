"""People, units, employers, identifiers and figures for the sample-batch generator.

Everything here is data: who the nominees are, what they declare, and which pieces of
evidence back each figure. :mod:`audit.sample.batch` turns a :class:`Person` into files.
All randomness goes through the ``random.Random`` passed in (no global state, no clock).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, ROUND_HALF_UP
from typing import Optional

from stdnum.cn import ric

YEARS = (2018, 2019, 2020)
DEADLINE = date(2021, 6, 11)

# ---------------------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------------------
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯史陶贺顾毛郝龚邵"
            "万钱严武戴孔常牛焦吕翟申靳岳")
SURNAMES_COMMON = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高"
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
GIVEN_M = ("伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清"
           "飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚"
           "庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树"
           "炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
GIVEN_F = ("秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛"
           "艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君"
           "琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲"
           "寒伊亚宜可姬舒影荔枝思丽")


class NamePool:
    """Unique Chinese names for one batch (nominees, colleagues, apprentices, trainees)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.used_given: set[str] = set()

    def take(self, gender: Optional[str] = None, two_char: Optional[bool] = None) -> str:
        rng = self.rng
        for _ in range(1000):
            g = gender or rng.choice("男男男女")
            if rng.random() < 0.01:
                sur = rng.choice(COMPOUND_SURNAMES)
            elif rng.random() < 0.5:
                sur = rng.choice(SURNAMES_COMMON)
            else:
                sur = rng.choice(SURNAMES)
            pool = GIVEN_M if g == "男" else GIVEN_F
            short = two_char if two_char is not None else rng.random() < 0.28
            given = rng.choice(pool) if short else rng.choice(pool) + rng.choice(pool)
            if len(given) == 2 and given[0] == given[1] and rng.random() < 0.7:
                continue
            name = sur + given
            # no two people share a name, nor a given name alone (keeps OCR'd names apart)
            if name in self.used or (len(given) == 2 and given in self.used_given):
                continue
            self.used.add(name)
            self.used_given.add(given)
            return name
        raise RuntimeError("name pool exhausted")

    def reserve(self, name: str) -> None:
        self.used.add(name)


# ---------------------------------------------------------------------------------------
# identifiers
# ---------------------------------------------------------------------------------------
# Kaifeng county-level codes that python-stdnum knows (410212 祥符区 is too new for it;
# people born before 2014 in 祥符区 carry 410224 开封县 anyway).
KAIFENG_REGIONS = ("410202", "410203", "410204", "410205", "410211", "410221", "410222",
                   "410223", "410224", "410225")


def id_number(rng: random.Random, birth: date, gender: str, region: Optional[str] = None) -> str:
    """A valid 18-digit resident ID (GB 11643) with a Kaifeng region code."""
    if region is None:
        # county codes as people carry them (numbers were first issued in 1984, so someone born
        # in 1975 has a code of 1983; python-stdnum's ric.validate dates codes by birth year and
        # would reject it, audit.ids does not); now and then the city-level 410200
        region = rng.choice(KAIFENG_REGIONS) if rng.random() < 0.85 else "410200"
    seq = rng.randint(0, 99) * 10 + rng.randrange(1 if gender == "男" else 0, 10, 2)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    n = body + ric.calc_check_digit(body + "0")
    return n


def id_bad_check(number: str) -> str:
    """The same ID with a wrong check digit (a D01 plant)."""
    good = number[-1]
    digits = "0123456789X"
    bad = digits[(digits.index(good) + 3) % 11]
    return number[:-1] + bad


def mobile(rng: random.Random) -> str:
    prefix = rng.choice(("135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158",
                         "159", "176", "177", "182", "183", "186", "187", "188", "189", "131", "133"))
    return prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))


def patent_check(body: str) -> str:
    """Check character of a patent application number body (weights 2..9 cycling, mod 11)."""
    w = (2, 3, 4, 5, 6, 7, 8, 9)
    r = sum(int(d) * w[i % 8] for i, d in enumerate(body)) % 11
    return "X" if r == 10 else str(r)


PTYPE_DIGIT = {"invention": "1", "utility": "2", "design": "3"}


def patent_number(rng: random.Random, year: int, ptype: str, style: int = 0, bad_check: bool = False) -> str:
    """A granted-patent number as printed, e.g. ``ZL 2019 2 0123456.X``."""
    serial = f"{rng.randint(0, 9999999):07d}"
    if ptype == "design" and serial[0] not in "03":
        serial = "3" + serial[1:]
    body = f"{year}{PTYPE_DIGIT[ptype]}{serial}"
    chk = patent_check(body)
    if bad_check:
        chk = "0123456789X"[("0123456789X".index(chk) + 5) % 11]
    if style == 1:
        return f"ZL{body}.{chk}"
    if style == 2:
        return f"ZL {body[:4]}{body[4]}{body[5:]}.{chk}"
    return f"ZL {body[:4]} {body[4]} {body[5:]}.{chk}"


def skill_cert_number(rng: random.Random, level: str, year: int, new_style: bool, region: str = "02") -> str:
    lvl = {"高级技师": "1", "技师": "2", "高级工": "3", "中级工": "4", "初级工": "5"}[level]
    if new_style:
        agency = f"{rng.randint(1, 9999):04d}"
        site = f"{rng.randint(0, 999999):06d}"
        return f"{rng.choice('YS')}{agency}41{site}{year % 100:02d}{lvl}{rng.randint(0, 999999):06d}"
    return f"{year % 100:02d}41{region}{rng.randint(0, 1)}{rng.randint(0, 999):03d}{lvl}{rng.randint(0, 99999):05d}"


# ---------------------------------------------------------------------------------------
# money
# ---------------------------------------------------------------------------------------
_CAP_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAP_UNITS = ("", "拾", "佰", "仟")


def _cap_group(n: int) -> str:
    """0 < n < 10000 in capitals with inner zeros (e.g. 1005 → 壹仟零伍)."""
    s = ""
    zero = False
    for pos in range(3, -1, -1):
        d = (n // 10 ** pos) % 10
        if d == 0:
            if s:
                zero = True
            continue
        if zero:
            s += "零"
            zero = False
        s += _CAP_DIGITS[d] + _CAP_UNITS[pos]
    return s


def yuan_capitals(amount: Decimal, prefix: str = "") -> str:
    """Amount in yuan as written on a cheque: 壹拾贰万叁仟肆佰元整, 伍万零捌拾元伍角."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    parts = []
    if yuan == 0:
        s = ""
    else:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        s = ""
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                continue
            if s and (g < 1000):
                s += "零"
            s += _cap_group(g) + ("", "万", "亿")[i]
        s += "元"
    parts.append(s)
    if jiao == 0 and fen == 0:
        parts.append("整")
    else:
        if jiao:
            parts.append(_CAP_DIGITS[jiao] + "角")
        elif yuan:
            parts.append("零")
        if fen:
            parts.append(_CAP_DIGITS[fen] + "分")
    return prefix + "".join(parts)


def wan(amount_yuan: Decimal) -> Decimal:
    """Yuan to 万元, exact (amounts are multiples of 100 yuan)."""
    return (Decimal(amount_yuan) / Decimal(10000)).normalize()


def fmt_wan(v: Decimal) -> str:
    """A 万元 figure as people write it: 12.5, 3.26, 20 (no trailing zeros)."""
    v = Decimal(v)
    if v == v.to_integral_value():
        return str(int(v))
    return format(v.normalize(), "f")


def fmt_yuan(v: Decimal, style: int = 0) -> str:
    v = Decimal(v).quantize(Decimal("0.01"))
    if style == 0:
        return f"{v:,.2f}元"
    if style == 1:
        return f"{v:.2f}元"
    return f"￥{v:,.2f}元"


# ---------------------------------------------------------------------------------------
# organisations
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Employer:
    name: str
    category: str          # advanced | traditional | heritage
    category_label: str    # 类别 column value
    occupations: tuple[str, ...]
    short: str = ""


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str              # county | industry | direct
    employers: tuple[Employer, ...]
    county: str = ""       # 祥符区 / 尉氏县 … for county unions (base honors)


def _E(name, cat, occ, short=""):
    label = {"advanced": "先进制造业", "services": "现代服务业", "emerging": "战略新兴产业",
             "traditional": "传统支柱产业", "heritage": "非遗"}[cat]
    c = {"services": "advanced", "emerging": "advanced"}.get(cat, cat)
    return Employer(name, c, label, tuple(occ), short or name)


UNIT_SPECS: tuple[UnitSpec, ...] = (
    UnitSpec("开封市祥符区总工会", "county", (
        _E("开封市祥符区金鑫机械制造有限公司", "advanced", ["焊工", "数控车工"], "金鑫机械"),
        _E("开封市祥符区朱仙镇天成老店木版年画社", "heritage", ["木版年画雕版工"], "天成老店"),
        _E("开封市祥符区华通纺织有限公司", "traditional", ["纺织挡车工"], "华通纺织"),
        _E("国网开封市祥符区供电公司", "advanced", ["变电运维工", "维修电工"], "祥符供电"),
    ), county="祥符区"),
    UnitSpec("开封市尉氏县总工会", "county", (
        _E("尉氏县华丰纺织有限公司", "traditional", ["纺织挡车工"], "华丰纺织"),
        _E("尉氏县鑫达机械制造有限公司", "advanced", ["数控车工", "钳工", "焊工"], "鑫达机械"),
        _E("国网尉氏县供电公司", "advanced", ["变电运维工"], "尉氏供电"),
        _E("尉氏县汴绣工艺品有限公司", "heritage", ["汴绣工"], "尉氏汴绣"),
    ), county="尉氏县"),
    UnitSpec("开封市杞县总工会", "county", (
        _E("河南杞县宏达食品有限公司", "traditional", ["食品检验员"], "宏达食品"),
        _E("杞县鸿运机电设备有限公司", "advanced", ["维修电工", "钳工"], "鸿运机电"),
        _E("杞县汽车运输有限公司", "services", ["汽车维修工"], "杞县汽运"),
    ), county="杞县"),
    UnitSpec("开封市兰考县总工会", "county", (
        _E("兰考县堌阳镇徐场民族乐器厂", "heritage", ["乐器制作工"], "徐场乐器"),
        _E("兰考华兰家居有限公司", "traditional", ["家具制作工"], "华兰家居"),
        _E("兰考县瑞华新能源科技有限公司", "emerging", ["维修电工", "化学检验员"], "瑞华新能源"),
    ), county="兰考县"),
    UnitSpec("开封市龙亭区总工会", "county", (
        _E("开封市龙亭区汴京灯笼张工艺品有限公司", "heritage", ["灯彩扎制工"], "灯笼张"),
        _E("开封清明上河园股份有限公司", "services", ["维修电工", "中式烹调师"], "清明上河园"),
        _E("开封市龙亭区恒通汽车服务有限公司", "services", ["汽车维修工"], "恒通汽车"),
    ), county="龙亭区"),
    UnitSpec("开封市鼓楼区总工会", "county", (
        _E("开封市马豫兴食品有限公司", "heritage", ["中式烹调师"], "马豫兴"),
        _E("开封第一楼餐饮有限公司", "heritage", ["面点师"], "第一楼"),
        _E("开封市鼓楼区鑫源电梯工程有限公司", "services", ["电梯安装维修工"], "鑫源电梯"),
    ), county="鼓楼区"),
    UnitSpec("开封市机械冶金工会", "industry", (
        _E("开封空分集团有限公司", "advanced", ["焊工", "钳工", "车工"], "开封空分"),
        _E("开封高压阀门有限公司", "advanced", ["数控车工", "钳工"], "开封高阀"),
        _E("开封仪表有限公司", "advanced", ["仪器仪表装配工", "维修电工"], "开封仪表"),
        _E("奇瑞汽车河南有限公司", "advanced", ["焊工", "汽车装调工"], "奇瑞河南"),
    )),
    UnitSpec("开封市财贸轻纺烟草工会", "industry", (
        _E("开封市汴京面粉厂", "traditional", ["制粉工"], "汴京面粉"),
        _E("开封市汴绣厂", "heritage", ["汴绣工"], "汴绣厂"),
        _E("河南中烟工业有限责任公司开封卷烟厂", "traditional", ["卷烟机操作工", "维修电工"], "开封卷烟厂"),
    )),
    UnitSpec("开封市能源化学工会", "industry", (
        _E("国网开封供电公司", "advanced", ["变电运维工", "维修电工"], "开封供电"),
        _E("开封平煤新型炭材料科技有限公司", "emerging", ["化学检验员", "钳工"], "平煤炭材"),
        _E("开封市自来水有限公司", "services", ["水质检验员", "维修电工"], "开封自来水"),
    )),
    UnitSpec("开封市直机关工会", "direct", (
        _E("河南开封黄河测绘院", "services", ["工程测量员"], "黄河测绘院"),
        _E("开封市公共交通集团有限公司", "services", ["汽车维修工"], "开封公交"),
        _E("开封市市政工程处", "traditional", ["道路养护工", "焊工"], "市政工程处"),
    )),
    UnitSpec("开封市建设建材工会", "industry", (
        _E("开封市第二建筑工程有限公司", "traditional", ["焊工", "钢筋工"], "开封二建"),
        _E("开封同力水泥有限公司", "advanced", ["维修电工", "化学检验员"], "同力水泥"),
    )),
)
UNIT_BY_NAME = {u.name: u for u in UNIT_SPECS}

CITY_ISSUERS = {
    "prefecture": ("开封市总工会", "开封市人力资源和社会保障局", "开封市科学技术局", "开封市总工会 开封市人力资源和社会保障局"),
    "provincial": ("河南省总工会", "河南省人力资源和社会保障厅", "河南省科学技术厅"),
    "national": ("中华全国总工会", "人力资源和社会保障部"),
}
LEVEL_ZH = {"enterprise": "企业级", "prefecture": "地厅级", "provincial": "省部级", "national": "国家级"}
LEVELS = ("enterprise", "prefecture", "provincial", "national")


# ---------------------------------------------------------------------------------------
# occupations: the vocabulary every text about a nominee is built from
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Domain:
    specialty: tuple[str, ...]
    field: str                      # 一线 where
    objects: tuple[str, ...]        # what they work on
    techniques: tuple[str, ...]
    problems: tuple[str, ...]
    results: tuple[str, ...]
    projects: tuple[str, ...]       # innovation project titles
    patents: tuple[tuple[str, str], ...]   # (ptype, title)
    methods: tuple[str, ...]        # work-method names ({n} = surname+given)
    competition: str                # competition trade name
    positions: tuple[str, ...]
    heritage_item: str = ""


DOMAINS: dict[str, Domain] = {
    "焊工": Domain(
        ("压力容器焊接", "不锈钢氩弧焊", "铝合金薄板焊接", "管道全位置焊接"), "焊接",
        ("空分设备冷箱", "铝制板翅式换热器", "低温储槽", "大口径不锈钢管道", "车身总成"),
        ("单面焊双面成型", "脉冲TIG焊", "窄间隙埋弧焊", "铝镁合金MIG焊", "机器人焊接离线编程"),
        ("铝合金焊缝气孔率偏高", "厚壁管板焊接变形大", "低温容器焊缝冲击韧性不达标", "焊缝一次合格率低"),
        ("焊缝一次探伤合格率提升到99.6%", "焊接变形量降低60%", "焊接效率提高一倍", "返修率下降80%"),
        ("铝制板翅式换热器封头焊接工艺改进", "低温管道焊接变形控制技术", "焊接机器人工装夹具优化",
         "厚板窄间隙焊接工艺研究", "不锈钢薄壁管自动焊接装置研制"),
        (("utility", "一种管道对口焊接定位装置"), ("utility", "一种铝合金焊接用防变形夹具"),
         ("invention", "一种低温容器焊缝的焊接方法"), ("utility", "一种焊接烟尘收集装置"),
         ("utility", "一种可调式焊枪支架"), ("invention", "一种铝镁合金厚板的焊接工艺")),
        ("{n}铝焊操作法", "{n}管道焊接五步法", "厚板焊接变形控制操作法"), "焊工",
        ("焊接班班长", "焊接车间技术主管", "首席焊工", "焊工组组长")),
    "车工": Domain(
        ("精密零件车削", "难加工材料车削", "细长轴加工"), "机加工",
        ("膨胀机转子", "精密主轴", "阀杆", "细长轴类零件", "薄壁套筒"),
        ("高速精车", "反向走刀车削", "成型刀具刃磨", "跟刀架精密车削"),
        ("细长轴加工易弯曲变形", "薄壁件装夹变形", "不锈钢车削粘刀严重", "螺纹加工精度不稳定"),
        ("加工精度稳定在0.005毫米以内", "废品率由5%降至0.3%", "单件工时缩短40%", "刀具寿命提高两倍"),
        ("细长轴车削防振工艺改进", "薄壁套筒专用夹具研制", "高效成型车刀设计", "膨胀机转子车削工艺优化"),
        (("utility", "一种细长轴车削用跟刀架"), ("utility", "一种薄壁套筒车削夹具"),
         ("invention", "一种高精度转子的车削加工方法"), ("utility", "一种可快速更换的车刀刀座")),
        ("{n}细长轴车削法", "{n}精车操作法", "薄壁件车削操作法"), "车工",
        ("车工班班长", "机加车间技术员", "首席技师", "车工组组长")),
    "数控车工": Domain(
        ("数控车削编程与加工", "复杂曲面数控加工", "高压阀门零件加工"), "数控加工",
        ("高压阀体", "球阀阀芯", "阀座密封面", "异形法兰", "精密轴承座"),
        ("宏程序编程", "多刀具复合加工", "刀具半径补偿", "在线测量补偿"),
        ("阀芯球面圆度超差", "大型阀体装夹找正困难", "深孔加工排屑不畅", "程序调试时间长"),
        ("加工效率提升35%", "一次交检合格率达到99.8%", "换型时间缩短一半", "年节约刀具费用十余万元"),
        ("阀芯球面数控加工工艺改进", "大型阀体快速找正工装", "深孔加工内冷刀具改造", "数控车床宏程序库建设"),
        (("utility", "一种阀体加工用快速定位工装"), ("utility", "一种数控车床用内冷刀杆"),
         ("invention", "一种球阀阀芯球面的加工方法"), ("utility", "一种法兰端面加工夹具")),
        ("{n}数控编程操作法", "阀芯球面加工操作法", "{n}快速对刀法"), "数控车工",
        ("数控班班长", "数控车间主任", "工艺技术员", "数控组组长")),
    "钳工": Domain(
        ("大型设备装配调试", "精密刮研", "设备故障诊断"), "装配",
        ("空压机组", "汽轮机轴承", "精密导轨", "减速机", "大型离心泵"),
        ("精密刮研", "激光对中", "振动频谱分析", "热装配工艺"),
        ("机组振动超标", "导轨接触精度不足", "轴承温升过高", "装配周期长"),
        ("机组振动值降到2.8毫米每秒以下", "装配周期缩短30%", "一次试车成功率100%", "设备故障停机时间减少70%"),
        ("大型机组快速对中工艺", "精密导轨刮研工艺改进", "轴承热装配专用工具研制", "设备振动故障诊断方法"),
        (("utility", "一种轴承热装配用加热装置"), ("utility", "一种联轴器快速对中工具"),
         ("invention", "一种大型机组轴系的装配方法"), ("utility", "一种可调式刮研平台")),
        ("{n}刮研操作法", "{n}对中六步法", "机组装配操作法"), "钳工",
        ("装配班班长", "设备维修组组长", "钳工技师", "装配车间技术主管")),
    "维修电工": Domain(
        ("电气设备维修", "PLC控制系统改造", "变频调速技术"), "电气维修",
        ("生产线电气控制系统", "变频调速装置", "PLC控制柜", "高压电机", "自动化装置"),
        ("PLC编程", "变频器参数优化", "电机故障诊断", "电气图纸测绘"),
        ("生产线频繁停机", "老旧设备控制系统故障多", "电机能耗偏高", "进口设备备件难以采购"),
        ("设备故障率下降65%", "年节电四十余万千瓦时", "停机时间减少一半", "改造费用仅为进口方案的三分之一"),
        ("生产线PLC控制系统升级改造", "风机水泵变频节能改造", "老旧设备电气控制系统国产化改造", "电机故障在线监测装置研制"),
        (("utility", "一种电机轴承温度监测装置"), ("utility", "一种配电柜散热装置"),
         ("invention", "一种电机故障的诊断方法"), ("utility", "一种便携式电缆故障检测装置")),
        ("{n}电气故障排查法", "变频器维护操作法", "{n}电气检修法"), "维修电工",
        ("电气班班长", "设备科技术员", "电工组组长", "电气工段长")),
    "变电运维工": Domain(
        ("变电站运行维护", "继电保护", "带电检测"), "变电运维",
        ("110千伏变电站", "220千伏GIS设备", "主变压器", "继电保护装置", "开关柜"),
        ("红外测温", "局部放电检测", "倒闸操作", "设备状态评价"),
        ("开关柜局部放电隐患难以发现", "倒闸操作时间长", "设备缺陷发现不及时", "夏季负荷高峰设备过热"),
        ("倒闸操作时间缩短40%", "设备缺陷发现率提高一倍", "连续安全运行超过3000天", "供电可靠性达到99.98%"),
        ("变电站智能巡检系统应用", "开关柜局放带电检测方法改进", "倒闸操作防误装置研制", "主变压器油色谱在线监测"),
        (("utility", "一种变电站用验电接地装置"), ("utility", "一种开关柜局放检测辅助装置"),
         ("invention", "一种变电设备缺陷的判别方法"), ("utility", "一种绝缘操作杆")),
        ("{n}倒闸操作法", "变电设备巡视操作法", "{n}带电检测法"), "变电运维",
        ("运维班班长", "变电运维站站长", "运维技术员")),
    "汴绣工": Domain(
        ("汴绣技艺", "汴绣针法", "宋画汴绣"), "汴绣",
        ("《清明上河图》汴绣", "宋代名画绣品", "汴绣屏风", "双面绣"),
        ("乱针绣", "平绣", "打籽绣", "辫子股针法"),
        ("长卷作品针脚不匀", "传统丝线色阶不足", "年轻绣工培养周期长", "作品设色难以还原古画"),
        ("作品获多项国内大奖", "带出绣工四十余人", "开发新针法三种", "产品远销海外"),
        ("汴绣丝线色阶扩展研究", "宋画汴绣设色技法研究", "汴绣长卷绷架改进", "汴绣针法图谱整理"),
        (("design", "汴绣挂屏（清明上河图）"), ("design", "汴绣团扇"), ("utility", "一种刺绣用可调绷架")),
        ("{n}汴绣针法", "汴绣设色操作法"), "刺绣",
        ("汴绣车间主任", "技术总监", "刺绣工艺师"), "汴绣"),
    "面点师": Domain(
        ("灌汤包制作", "宫廷面点", "开封小吃制作"), "面点制作",
        ("第一楼灌汤包", "宋宴面点", "开封小笼包", "花式面点"),
        ("烫面", "捏褶", "调馅", "蒸制火候控制"),
        ("包子汤汁不足", "褶纹不匀", "新员工出品标准不一", "冷链外卖口味下降"),
        ("出品合格率达到99%", "带出面点师六十余人", "门店日销量提升30%", "开发新品十余种"),
        ("灌汤包标准化制作工艺", "宋宴面点品种研发", "速冻灌汤包口感保持技术", "面点制作培训体系建设"),
        (("design", "包装盒（灌汤包）"), ("utility", "一种面点蒸制用笼屉")),
        ("{n}灌汤包十八褶法", "灌汤包标准化操作法"), "面点师",
        ("面点厨师长", "行政总厨", "面点部主管"), "第一楼小笼灌汤包传统制作技艺"),
    "中式烹调师": Domain(
        ("豫菜烹饪", "桶子鸡制作", "开封菜烹饪"), "烹饪",
        ("马豫兴桶子鸡", "开封名菜", "豫菜宴席", "鲤鱼焙面"),
        ("老汤卤制", "火候控制", "刀工", "宴席设计"),
        ("产品批次口味不稳定", "传统工艺保质期短", "厨师培养周期长", "宴席出菜速度慢"),
        ("产品合格率达到99.5%", "培养厨师五十余人", "产品销量增长40%", "研发新菜品二十余种"),
        ("桶子鸡卤制工艺标准化", "豫菜宴席标准化研究", "传统卤制品保鲜技术", "开封名菜创新研发"),
        (("design", "包装盒（桶子鸡）"), ("utility", "一种卤制品用恒温卤锅")),
        ("{n}卤制操作法", "桶子鸡制作操作法"), "中式烹调师",
        ("厨师长", "生产部主管", "技术总监"), "马豫兴桶子鸡制作技艺"),
    "工程测量员": Domain(
        ("工程测量", "GNSS测量", "黄河河道测绘"), "测绘",
        ("黄河河道断面", "堤防工程", "城市控制网", "地形图"),
        ("GNSS静态测量", "无人机航测", "三维激光扫描", "水下地形测量"),
        ("河道断面测量效率低", "滩区作业环境复杂", "内业数据处理耗时长", "高程控制精度不足"),
        ("外业效率提高一倍", "测量精度达到毫米级", "内业处理时间缩短60%", "完成测绘项目两百余项"),
        ("无人机航测在河道测量中的应用", "GNSS高程拟合方法改进", "水下地形测量数据处理软件", "测绘外业数据采集系统"),
        (("utility", "一种测量用便携式对中杆"), ("utility", "一种水下地形测量用船载支架"),
         ("invention", "一种河道断面数据的处理方法")),
        ("{n}断面测量法", "河道测量作业法"), "测量员",
        ("测量队队长", "测绘组组长", "工程测量技术员")),
    "汽车维修工": Domain(
        ("汽车故障诊断", "新能源汽车维修", "发动机维修"), "汽车维修",
        ("公交车辆", "新能源客车", "发动机总成", "电控系统"),
        ("电控系统诊断", "动力电池维护", "发动机大修", "故障树分析"),
        ("新能源客车电池故障频发", "车辆返修率高", "进口诊断设备费用高", "冬季车辆启动困难"),
        ("车辆故障率下降50%", "年节约维修费用三十余万元", "返修率降到1%以下", "平均修车时间缩短40%"),
        ("新能源客车电池均衡维护方法", "公交车辆故障诊断流程优化", "发动机冷启动改进", "车辆维修数据管理系统"),
        (("utility", "一种动力电池拆装专用工具"), ("utility", "一种发动机吊装支架"),
         ("invention", "一种车辆电控故障的诊断方法")),
        ("{n}故障诊断法", "新能源车辆维护操作法"), "汽车维修工",
        ("维修班班长", "修理车间主任", "技术主管")),
    "化学检验员": Domain(
        ("化学分析检验", "炭材料理化检测", "仪器分析"), "检验检测",
        ("等静压石墨", "炭素原料", "水泥熟料", "化工产品"),
        ("X射线荧光分析", "电感耦合等离子体光谱", "热重分析", "快速灰分测定"),
        ("检测周期长影响生产", "微量元素检测精度不足", "手工操作误差大", "试剂消耗高"),
        ("检测周期缩短70%", "检测数据准确率达100%", "年节约试剂费用八万余元", "建立检测方法十余项"),
        ("石墨材料灰分快速测定方法", "原料微量元素检测方法改进", "检验流程信息化", "化验室节能降耗改进"),
        (("utility", "一种样品快速干燥装置"), ("invention", "一种炭材料灰分的测定方法"),
         ("utility", "一种试剂定量加注装置")),
        ("{n}快速检测法", "检验操作规程"), "化学检验员",
        ("化验室主任", "检验班班长", "质检技术员")),
    "木版年画雕版工": Domain(
        ("朱仙镇木版年画雕版", "年画刻版与套印"), "雕版",
        ("门神年画", "朱仙镇木版年画", "年画刻版", "套色印版"),
        ("阳刻", "套版", "手工刷印", "梨木版材处理"),
        ("老版损坏后难以复刻", "套印对版不准", "年轻传人少", "传统颜料褪色"),
        ("复刻老版一百余块", "培养学徒二十余人", "作品被多家博物馆收藏", "年画产品年销售额翻番"),
        ("朱仙镇年画老版复刻", "年画套印对版工具改进", "传统矿物颜料配制研究", "年画文创产品开发"),
        (("design", "年画装饰挂件"), ("design", "年画礼品盒")),
        ("{n}刻版法", "年画套印操作法"), "雕版",
        ("年画社社长", "雕版师", "技术负责人"), "朱仙镇木版年画"),
    "乐器制作工": Domain(
        ("民族乐器制作", "古筝制作", "泡桐板材处理"), "乐器制作",
        ("古筝", "古琴", "琵琶", "泡桐音板"),
        ("音板烘干", "排钉定音", "手工雕刻", "大漆髹饰"),
        ("音板开裂变形", "音色一致性差", "手工工序效率低", "出口产品受潮"),
        ("产品合格率提高到98%", "年产古筝两万余台", "产品出口十余个国家", "带徒四十余人"),
        ("泡桐音板烘干工艺改进", "古筝排钉定音工具研制", "乐器防潮处理技术", "古筝音色一致性研究"),
        (("utility", "一种古筝音板烘干装置"), ("design", "古筝（云纹）"), ("utility", "一种琴弦张力调节装置")),
        ("{n}定音法", "音板处理操作法"), "乐器制作",
        ("制作车间主任", "技术总监", "制琴师"), "兰考民族乐器制作技艺"),
    "灯彩扎制工": Domain(
        ("汴京灯笼张彩灯扎制", "传统宫灯制作"), "彩灯扎制",
        ("宫灯", "走马灯", "大型灯组", "花灯"),
        ("竹篾扎骨", "裱糊", "彩绘", "机关设计"),
        ("大型灯组骨架强度不足", "传统纸面不耐风雨", "技艺后继乏人", "灯组安装周期长"),
        ("完成大型灯组百余组", "作品参加多国文化交流", "带徒三十余人", "产品年销售额增长50%"),
        ("大型灯组骨架结构改进", "彩灯防雨裱糊材料研究", "走马灯机关改良", "灯彩文创产品开发"),
        (("design", "宫灯（六角）"), ("design", "走马灯"), ("utility", "一种灯笼骨架连接件")),
        ("{n}扎制法", "宫灯制作操作法"), "灯彩",
        ("技术总监", "制作部主任", "灯彩艺人"), "汴京灯笼张"),
    "纺织挡车工": Domain(
        ("细纱挡车", "织布挡车", "纺纱工艺"), "纺纱",
        ("细纱机", "喷气织机", "纯棉纱线", "混纺纱"),
        ("巡回操作", "接头", "清洁操作", "断头处理"),
        ("细纱断头率高", "接头质量不稳定", "新工培训周期长", "看台能力不足"),
        ("断头率下降40%", "看台能力提高一倍", "优等品率达到98%", "带出操作能手二十余人"),
        ("细纱断头快速处理方法", "挡车巡回路线优化", "新工操作培训方法改进", "织机停台率控制"),
        (("utility", "一种细纱机用吸棉装置"), ("utility", "一种纱线接头辅助工具")),
        ("{n}接头法", "{n}巡回操作法", "细纱挡车操作法"), "挡车工",
        ("运转班班长", "细纱车间工长", "操作指导员")),
    "食品检验员": Domain(
        ("食品理化检验", "微生物检验"), "检验",
        ("大蒜制品", "脱水蔬菜", "出口食品", "农残检测"),
        ("气相色谱", "快速检测", "微生物培养", "抽样检验"),
        ("出口检测周期长", "农残检测灵敏度不足", "检测成本高", "样品前处理繁琐"),
        ("检测周期缩短一半", "出口产品零退货", "年节约检测费用十余万元", "新建检测方法八项"),
        ("大蒜制品农残快速检测", "样品前处理方法改进", "微生物检验流程优化", "出口食品检验管理系统"),
        (("utility", "一种样品粉碎装置"), ("utility", "一种微生物培养箱")),
        ("{n}快速检测法", "样品前处理操作法"), "食品检验员",
        ("检验室主任", "质检组组长", "检验员")),
    "家具制作工": Domain(
        ("实木家具制作", "榫卯工艺"), "木工",
        ("实木家具", "板式家具", "桐木工艺品", "榫卯结构"),
        ("榫卯", "木材干燥", "数控雕刻", "涂装"),
        ("木材开裂变形", "涂装合格率低", "手工效率低", "出口订单交期紧"),
        ("产品合格率提高到99%", "生产效率提高50%", "年节约木材三百立方米", "出口订单增长一倍"),
        ("桐木干燥工艺改进", "榫卯结构标准化", "家具涂装工艺优化", "数控雕刻程序开发"),
        (("utility", "一种木材干燥窑"), ("design", "实木餐椅"), ("utility", "一种榫卯加工夹具")),
        ("{n}榫卯加工法", "木材干燥操作法"), "木工",
        ("生产车间主任", "技术主管", "木工班班长")),
    "仪器仪表装配工": Domain(
        ("流量仪表装配调试", "仪表校准"), "仪表装配",
        ("电磁流量计", "涡街流量计", "压力变送器", "智能仪表"),
        ("精密装配", "标定校准", "电路调试", "密封检测"),
        ("流量计标定一致性差", "装配返工率高", "密封泄漏", "调试时间长"),
        ("标定一次合格率达到99%", "装配效率提升45%", "产品返修率下降70%", "调试时间缩短一半"),
        ("流量计快速标定方法", "仪表装配工装改进", "变送器密封工艺改进", "智能仪表自动测试系统"),
        (("utility", "一种流量计装配工装"), ("invention", "一种流量计的标定方法"), ("utility", "一种仪表密封检测装置")),
        ("{n}标定法", "仪表装配操作法"), "仪表装配工",
        ("装配班班长", "调试组组长", "技术员")),
    "汽车装调工": Domain(
        ("整车装配调试", "车身尺寸控制"), "总装",
        ("整车总装线", "车身总成", "底盘", "电气系统"),
        ("四轮定位", "电检调试", "拧紧工艺", "尺寸测量"),
        ("车身间隙面差超差", "下线车辆电检故障多", "拧紧力矩不稳定", "换型时间长"),
        ("直通率提高到97%", "电检故障率下降60%", "换型时间缩短40%", "年节约返修费用五十余万元"),
        ("车身间隙面差控制方法", "整车电检流程优化", "拧紧工艺防错改进", "总装线换型快速切换"),
        (("utility", "一种车门装配辅助工装"), ("utility", "一种拧紧防错装置"), ("invention", "一种车身间隙的检测方法")),
        ("{n}调车法", "整车电检操作法"), "汽车装调工",
        ("总装班班长", "调试工段长", "质量技术员")),
    "卷烟机操作工": Domain(
        ("卷接机组操作", "设备调整"), "卷接",
        ("卷接机组", "包装机组", "滤棒成型机", "烟支"),
        ("设备调整", "工艺参数优化", "故障预判", "质量自检"),
        ("机组有效作业率偏低", "烟支重量波动大", "原辅料消耗高", "换牌时间长"),
        ("有效作业率提高到92%", "单箱消耗下降8%", "质量缺陷下降一半", "换牌时间缩短35%"),
        ("卷接机组效率提升", "烟支重量控制改进", "原辅料消耗降低", "换牌快速调整方法"),
        (("utility", "一种卷烟机用刀头清洁装置"), ("utility", "一种烟支检测装置")),
        ("{n}机台操作法", "卷接机组保养操作法"), "卷烟机操作工",
        ("机台长", "卷包车间班长", "操作指导员")),
    "制粉工": Domain(
        ("小麦制粉", "制粉工艺调整"), "制粉",
        ("磨粉机", "高方平筛", "清粉机", "专用粉"),
        ("制粉工艺调整", "配麦", "设备维护", "在线检测"),
        ("出粉率偏低", "面粉灰分不稳定", "设备故障停机多", "专用粉品质波动"),
        ("出粉率提高1.5个百分点", "吨粉电耗下降10%", "专用粉合格率达100%", "年节约成本六十余万元"),
        ("制粉工艺流程优化", "专用粉配麦技术", "磨粉机节能改造", "面粉灰分在线控制"),
        (("utility", "一种磨粉机清理装置"), ("utility", "一种面粉取样器")),
        ("{n}制粉调整法", "专用粉配麦操作法"), "制粉工",
        ("制粉车间主任", "值班长", "工艺员")),
    "水质检验员": Domain(
        ("水质检验", "水处理工艺控制"), "水质检测",
        ("出厂水", "管网水", "原水", "水处理药剂"),
        ("气相色谱", "原子吸收光谱", "微生物检测", "在线监测"),
        ("检测项目多周期长", "管网末梢余氯不稳定", "药剂投加过量", "在线仪表偏差"),
        ("水质综合合格率100%", "药剂成本下降15%", "检测周期缩短40%", "完成检测数据二十余万个"),
        ("管网余氯控制方法", "水质检测流程优化", "混凝剂投加优化", "在线仪表比对方法"),
        (("utility", "一种水样采集装置"), ("utility", "一种余氯检测辅助装置")),
        ("{n}水质检测法", "水质检验操作规程"), "水质检验员",
        ("化验室主任", "水质检测班班长", "检测员")),
    "电梯安装维修工": Domain(
        ("电梯安装维修", "电梯故障诊断"), "电梯维保",
        ("乘客电梯", "自动扶梯", "曳引机", "控制柜"),
        ("故障诊断", "曳引系统调整", "安全部件检测", "控制系统调试"),
        ("老旧电梯困人故障多", "平层精度差", "维保响应慢", "备件周期长"),
        ("困人故障下降70%", "平层误差控制在3毫米以内", "维保响应时间缩短一半", "年节约维修费用二十余万元"),
        ("老旧电梯控制系统改造", "电梯故障远程诊断", "曳引机维保工艺改进", "电梯安全部件检测方法"),
        (("utility", "一种电梯导轨校正工具"), ("utility", "一种电梯轿厢应急照明装置")),
        ("{n}电梯排障法", "电梯维保操作法"), "电梯安装维修工",
        ("维保班班长", "技术主管", "安装队队长")),
    "道路养护工": Domain(
        ("城市道路养护", "沥青路面修补"), "道路养护",
        ("沥青路面", "人行道", "桥梁伸缩缝", "市政管网井盖"),
        ("热再生修补", "冷补料施工", "路面病害检测", "井盖沉降治理"),
        ("路面坑槽反复出现", "冬季修补质量差", "井盖沉降跳车", "夜间施工效率低"),
        ("修补寿命延长一倍", "井盖沉降投诉下降80%", "养护成本下降20%", "完成道路养护三百余公里"),
        ("沥青路面热再生修补工艺", "井盖沉降快速治理方法", "冬季冷补料施工工艺", "道路病害巡查系统"),
        (("utility", "一种井盖快速调平装置"), ("utility", "一种沥青路面加热修补装置")),
        ("{n}路面修补法", "井盖治理操作法"), "道路养护工",
        ("养护班班长", "养护队队长", "技术员")),
    "钢筋工": Domain(
        ("钢筋加工与绑扎", "钢筋翻样"), "钢筋施工",
        ("高层建筑", "桥梁承台", "剪力墙", "钢筋笼"),
        ("钢筋翻样", "直螺纹连接", "BIM排布", "数控弯箍"),
        ("钢筋损耗率高", "节点钢筋排布密集", "施工工期紧", "绑扎质量不稳定"),
        ("钢筋损耗率降到1.5%", "施工效率提高30%", "验收一次合格率100%", "年节约钢材两百余吨"),
        ("钢筋BIM翻样技术应用", "直螺纹连接质量控制", "钢筋笼快速绑扎胎架", "节点钢筋优化排布"),
        (("utility", "一种钢筋笼绑扎胎架"), ("utility", "一种钢筋定位卡具")),
        ("{n}钢筋翻样法", "钢筋绑扎操作法"), "钢筋工",
        ("钢筋班班长", "施工队队长", "技术员")),
}


def domain(occupation: str) -> Domain:
    return DOMAINS[occupation]


# ---------------------------------------------------------------------------------------
# the nominee, as declared and as evidenced
# ---------------------------------------------------------------------------------------
@dataclass
class Honor:
    title: str
    year: int
    issuer: str
    scope: str            # county | industry | enterprise | prefecture | provincial
    base: bool
    date: date
    number: Optional[str] = None


@dataclass
class Award:
    kind: str             # competition | innovation
    level: str            # enterprise | prefecture | provincial | national
    name: str             # competition name or project title
    rank: str
    issuer: str
    date: date


@dataclass
class Patent:
    number: str
    ptype: str            # invention | utility | design
    title: str
    inventors: list[str]
    patentee: str
    filed: date
    granted: date
    cert_no: str


@dataclass
class Statement:
    year: int
    project: str
    created: Decimal      # yuan
    saved: Decimal        # yuan
    date: date
    unit: str
    persons: list[str]
    in_wanyuan: bool = False


@dataclass
class Agreement:
    apprentice: str
    start: date
    end: date
    sign_date: date

    @property
    def year(self) -> int:
        return self.sign_date.year


@dataclass
class Trainee:
    name: str
    level: str
    date: date


@dataclass
class Clipping:
    outlet: str
    level: str            # prefecture | provincial | national
    date: date
    headline: str
    body: str


@dataclass
class StdDoc:
    title: str
    kind: str             # standard | enterprise_standard | method | procedure
    number: str
    authors: list[str]
    date: date
    level: str            # summary column (enterprise .. national)
    adoption_unit: Optional[str] = None

    @property
    def is_method(self) -> bool:
        return self.kind in ("method", "procedure")


@dataclass
class SkillCert:
    level: str
    number: str
    issuer: str
    date: date
    occupation: str
    new_style: bool


@dataclass
class ResumeEntry:
    start: tuple[int, int]
    end: Optional[tuple[int, int]]
    text: str


@dataclass
class Person:
    name: str
    gender: str
    birth: date
    id_number: str
    ethnicity: str
    politics: str
    education: str
    phone: str
    unit: UnitSpec
    employer: Employer
    occupation: str
    position: str
    skill_level: str
    title: str
    specialty: str
    category: str                 # advanced | traditional | heritage
    category_label: str
    head: bool = False            # enterprise head (董事长/总经理)
    remark: str = ""
    resume: list[ResumeEntry] = field(default_factory=list)
    honors: list[Honor] = field(default_factory=list)
    competitions: list[Award] = field(default_factory=list)
    innovations: list[Award] = field(default_factory=list)
    patents: list[Patent] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    trainees: list[Trainee] = field(default_factory=list)
    clippings: list[Clipping] = field(default_factory=list)
    stddocs: list[StdDoc] = field(default_factory=list)
    skill_cert: Optional[SkillCert] = None
    projects: int = 0
    conversions: int = 0
    training: dict[int, int] = field(default_factory=dict)
    promoted_other_label: str = "中级工"
    achievements: str = ""
    deeds: str = ""
    deeds_title: str = ""
    awards_text: str = ""

    # -- declared figures, from the evidence -----------------------------------------------
    def patents_of(self, ptype: str) -> int:
        return sum(1 for p in self.patents if p.ptype == ptype)

    def benefit(self, year: int, which: str) -> Decimal:
        total = sum((getattr(s, which) for s in self.statements if s.year == year), Decimal(0))
        return wan(total)

    def apprentices(self, year: int) -> int:
        return sum(1 for a in self.agreements if a.year == year)

    def promoted(self, level: str) -> int:
        return sum(1 for t in self.trainees if t.level == level)

    def std_count(self, year: int, methods: bool) -> int:
        return sum(1 for s in self.stddocs if s.date.year == year and s.is_method == methods)

    def awards_by_level(self, kind: str, level: str) -> int:
        src = self.competitions if kind == "competition" else self.innovations
        return sum(1 for a in src if a.level == level)

    def media_by_level(self, level: str) -> int:
        return sum(1 for c in self.clippings if c.level == level)

    def std_by_level(self, level: str) -> int:
        return sum(1 for s in self.stddocs if s.level == level)

    @property
    def honors_text_items(self) -> list[str]:
        return [f"{h.year}年 {h.title}" for h in self.honors]


# ---------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------
def rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def add_months(d: tuple[int, int], k: int) -> tuple[int, int]:
    m = d[0] * 12 + d[1] - 1 + k
    return (m // 12, m % 12 + 1)


def cn_date(d: date, style: int = 0) -> str:
    if style == 0:
        return f"{d.year}年{d.month}月{d.day}日"
    if style == 1:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == 2:
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    return f"{d:%Y-%m-%d}"


def ym(d: tuple[int, int], style: int = 0) -> str:
    y, m = d
    return (f"{y}.{m:02d}", f"{y}年{m}月", f"{y}.{m}", f"{y}/{m:02d}", f"{y}年{m:02d}月")[style]


CN_NUM = "〇一二三四五六七八九"


def upper_date(d: date) -> str:
    """二〇二一年五月二十日, as printed under seals."""
    def n2(k: int) -> str:
        if k < 10:
            return "一二三四五六七八九"[k - 1]
        if k == 10:
            return "十"
        if k < 20:
            return "十" + "一二三四五六七八九"[k - 11]
        return "二十" + ("" if k == 20 else "一二三四五六七八九"[k - 21]) if k < 30 else \
            "三十" + ("" if k == 30 else "一")
    return "".join(CN_NUM[int(c)] for c in str(d.year)) + "年" + n2(d.month) + "月" + n2(d.day) + "日"


# ---------------------------------------------------------------------------------------
# building a nominee
# ---------------------------------------------------------------------------------------
EARLIER_EMPLOYERS = ("开封市通用机械厂", "开封市第二机床厂", "开封化肥厂", "开封市建筑机械厂", "开封市棉纺织厂",
                     "开封市农机修造厂", "开封市电机厂", "开封市轴承厂", "开封市锅炉厂", "开封市第一食品厂",
                     "开封市五金工具厂", "开封市服装厂", "开封市汽车修理厂", "开封市化工机械厂")
ETHNICITIES = ("汉族",) * 16 + ("回族", "回族", "满族", "蒙古族")
TITLES_BY_EDU = {"初中": ("无",), "高中": ("无", "无"), "中专": ("无", "助理工程师"), "技校": ("无", "技术员"),
                 "大专": ("无", "助理工程师", "工程师"), "本科": ("工程师", "助理工程师", "高级工程师")}
FEMALE_TRADES = {"汴绣工", "纺织挡车工", "食品检验员", "水质检验员", "化学检验员", "面点师"}
OUTLETS = {
    "prefecture": ("开封日报", "汴梁晚报", "开封广播电视台", "开封网"),
    "provincial": ("河南日报", "大河报", "河南工人日报", "河南广播电视台"),
    "national": ("工人日报", "中国青年报", "人民网", "中国工人"),
}
RANKS_COMP = ("第一名", "第二名", "第三名", "一等奖", "二等奖", "三等奖")
RANKS_INNO = ("一等奖", "二等奖", "三等奖", "优秀奖")


@dataclass
class Budget:
    """How many evidence pages of each kind a nominee gets (total kept small for OCR cost)."""
    patents: int = 0
    statements: int = 0       # years with a statement
    agreements: int = 0
    training: bool = False
    innovation: int = 0
    competition: int = 0
    clipping: int = 0
    stddoc: int = 0
    extra_honor: int = 0

    @property
    def pages(self) -> int:
        return (self.patents + self.statements + self.agreements + int(self.training) + self.innovation
                + self.competition + self.clipping + self.stddoc + self.extra_honor)


def draw_budget(rng: random.Random, occupation: str, pages: int) -> Budget:
    """Spread ``pages`` evidence pages (besides the skill certificate and base honor) over kinds."""
    b = Budget()
    heritage = occupation in ("汴绣工", "面点师", "中式烹调师", "木版年画雕版工", "乐器制作工", "灯彩扎制工")
    kinds = ["statements", "statements", "patents", "agreements", "agreements", "training", "innovation",
             "competition", "clipping", "stddoc", "extra_honor", "patents"]
    if heritage:
        kinds += ["clipping", "agreements", "extra_honor"]
    caps = {"statements": 3, "patents": 3, "agreements": 3, "training": 1, "innovation": 2, "competition": 1,
            "clipping": 2, "stddoc": 2, "extra_honor": 1}
    # nearly everyone declares some benefit and some teaching
    b.statements = 1
    b.agreements = 1 if rng.random() < 0.8 else 0
    while b.pages < pages:
        k = rng.choice(kinds)
        cur = getattr(b, k)
        cur = int(cur) if not isinstance(cur, bool) else int(cur)
        if cur >= caps[k]:
            continue
        if k == "training":
            b.training = True
        else:
            setattr(b, k, cur + 1)
    return b


def make_person(rng: random.Random, names: NamePool, unit: UnitSpec, employer: Employer, *,
                occupation: Optional[str] = None, head: bool = False, pages: int = 5,
                skill_level: Optional[str] = None) -> Person:
    """A nominee whose every declared figure is backed by evidence (a clean plan)."""
    occ = occupation or rng.choice(employer.occupations)
    dom = DOMAINS[occ]
    female_p = 0.8 if occ in FEMALE_TRADES else 0.12
    gender = "女" if rng.random() < female_p else "男"
    name = names.take(gender)
    lo = 1972 if gender == "女" else 1967
    birth = date(rng.randint(lo, 1989), rng.randint(1, 12), rng.randint(1, 28))
    edu = rng.choice(("高中", "中专", "技校", "技校", "大专", "大专", "本科", "中专"))
    politics = rng.choice(("中共党员", "中共党员", "中共党员", "群众", "群众", "中共预备党员", "无党派人士"))
    if birth.year >= 1989 and rng.random() < 0.3:
        politics = "共青团员"
    level = skill_level or rng.choice(("技师", "高级技师", "高级技师", "技师"))
    position = rng.choice(dom.positions)
    if head:
        position = rng.choice(("董事长", "总经理", "董事长兼总经理"))
    p = Person(
        name=name, gender=gender, birth=birth, id_number=id_number(rng, birth, gender),
        ethnicity=rng.choice(ETHNICITIES), politics=politics, education=edu, phone=mobile(rng),
        unit=unit, employer=employer, occupation=occ, position=position, skill_level=level,
        title=rng.choice(TITLES_BY_EDU[edu]), specialty=rng.choice(dom.specialty),
        category=employer.category, category_label=employer.category_label, head=head)
    if employer.category == "heritage" and dom.heritage_item:
        lvl = rng.choice(("省级", "省级", "市级")) if rng.random() < 0.7 else "省级"
        p.remark = f"{lvl}非物质文化遗产“{dom.heritage_item}”代表性传承人"
        if lvl == "市级":
            p.remark = f"“{dom.heritage_item}”{rng.choice(('省级', '国家级'))}非遗项目传承人"
    if head:
        p.remark = (p.remark + "；" if p.remark else "") + "企业负责人"
    p.resume = make_resume(rng, p)
    first_year = p.resume[0].start[0]
    # skill certificate: obtained a few years before the campaign
    cert_year = rng.randint(min(max(first_year + 7, 2008), 2020), 2020)
    new_style = cert_year >= 2020 and rng.random() < 0.7
    p.skill_cert = SkillCert(level, skill_cert_number(rng, level, cert_year, new_style),
                             employer.name if new_style else rng.choice(
                                 ("河南省职业技能鉴定中心", "开封市职业技能鉴定中心", "河南省人力资源和社会保障厅")),
                             rand_date(rng, date(cert_year, 3, 1), date(cert_year, 12, 20)), occ, new_style)
    p.honors.append(base_honor(rng, p))
    b = draw_budget(rng, occ, pages)
    fill_evidence(rng, names, p, b)
    p.projects = rng.randint(1, 4) + len(p.innovations)
    p.conversions = rng.randint(0, min(3, p.projects))
    p.training = {y: rng.choice((0, 12, 20, 24, 30, 36, 40, 45, 56, 60, 80, 120)) for y in YEARS}
    p.achievements = achievements_text(rng, p)
    p.deeds_title, p.deeds = deeds_text(rng, p)
    p.awards_text = awards_text(rng, p)
    return p


def make_resume(rng: random.Random, p: Person) -> list[ResumeEntry]:
    age = rng.randint(18, 22)
    start = (p.birth.year + age, rng.choice((7, 7, 8, 9, 3, 12, 10)))
    end_all = (2021, 5)
    total = (end_all[0] * 12 + end_all[1]) - (start[0] * 12 + start[1])
    n = rng.choice((2, 3, 3, 4, 4, 5)) if total > 12 * 12 else rng.choice((1, 2, 2, 3))
    # cut points
    cuts = sorted(rng.sample(range(14, max(15, total - 14)), k=min(n - 1, max(0, total // 24))))
    entries = []
    cur = start
    emp = p.employer.name
    dom = DOMAINS[p.occupation]
    earlier = rng.sample(EARLIER_EMPLOYERS, 2)
    k = len(cuts) + 1
    lead = rng.choice(("班组长", f"{dom.field}班组长", "副班长", "技术员", "工段长"))
    ladder = {1: [p.position], 2: [p.occupation, p.position], 3: [p.occupation, lead, p.position],
              4: [rng.choice(("学徒工", p.occupation)), p.occupation, lead, p.position],
              5: ["学徒工", p.occupation, p.occupation, lead, p.position]}[k]
    shops = ("一车间", "二车间", "生产部", "技术部", "维修车间", "质检部")
    for i in range(k):
        last = i == k - 1
        if last:
            end = None
        else:
            off = cuts[i] - (cuts[i - 1] if i else 0)
            end = add_months(cur, off - 1)
        post = ladder[i]
        if i == 0 and k >= 3 and rng.random() < 0.6:
            where = earlier[0]
        elif i == 1 and k >= 4 and rng.random() < 0.4:
            where = earlier[1]
        else:
            where = emp + (rng.choice(shops) if (not last and rng.random() < 0.4) else "")
        entries.append(ResumeEntry(cur, end, f"{where} {post}"))
        if end is not None:
            cur = add_months(end, 1)
    return entries


def resume_text(entries: list[ResumeEntry], style: int, sep: str, *, drop_months: bool = False) -> str:
    out = []
    for e in entries:
        if drop_months:
            s = f"{e.start[0]}"
            t = "至今" if e.end is None else f"{e.end[0]}"
        else:
            s = ym(e.start, style)
            t = "至今" if e.end is None else ym(e.end, style)
        out.append(f"{s}{sep}{t} {e.text}")
    return "\n".join(out)


def base_honor(rng: random.Random, p: Person) -> Honor:
    u = p.unit
    year = rng.randint(2015, 2020)
    d = rand_date(rng, date(year, 3, 1), date(year, 12, 25))
    short = p.employer.short
    r = rng.random()
    if u.kind == "county" and r < 0.55:
        if rng.random() < 0.6:
            return Honor(f"{u.county}工匠", year, u.name, "county", True, d)
        return Honor(f"{u.county}技术能手", year, f"开封市{u.county}人力资源和社会保障局", "county", True, d)
    if u.kind == "industry" and r < 0.55:
        sys_ = u.name.replace("开封市", "").replace("工会", "")
        return Honor(f"开封市{sys_}系统{rng.choice(('工匠', '技术能手'))}", year, u.name, "industry", True, d)
    if r < 0.8:
        return Honor(f"{short}{rng.choice(('工匠', '工匠', '技术能手'))}", year, p.employer.name, "enterprise", True, d)
    return Honor("开封市技术能手", year, "开封市人力资源和社会保障局", "prefecture", True, d)


EXTRA_HONORS = (("开封市五一劳动奖章", "开封市总工会", "prefecture"),
                ("河南省技术能手", "河南省人力资源和社会保障厅", "provincial"),
                ("开封市劳动模范", "中共开封市委 开封市人民政府", "prefecture"),
                ("河南省五一劳动奖章", "河南省总工会", "provincial"),
                ("开封市优秀共产党员", "中共开封市委", "prefecture"),
                ("开封市技术标兵", "开封市总工会", "prefecture"))


def fill_evidence(rng: random.Random, names: NamePool, p: Person, b: Budget) -> None:
    dom = DOMAINS[p.occupation]
    emp = p.employer.name
    # extra honors
    for _ in range(b.extra_honor):
        opts = [h for h in EXTRA_HONORS if h[0] not in {x.title for x in p.honors}]
        if p.politics not in ("中共党员",):
            opts = [h for h in opts if "共产党员" not in h[0]]
        t, iss, scope = rng.choice(opts)
        y = rng.randint(max(2016, p.honors[0].year), 2020)
        p.honors.append(Honor(t, y, iss, scope, False, rand_date(rng, date(y, 4, 1), date(y, 12, 20))))
    p.honors.sort(key=lambda h: h.year)
    # patents
    titles = list(dom.patents)
    rng.shuffle(titles)
    heritage = p.category == "heritage"
    for i in range(b.patents):
        ptype, title = titles[i % len(titles)]
        if i >= len(titles):
            title = title + "（改进型）"
        fy = rng.randint(2016, 2019) if ptype == "invention" else rng.randint(2017, 2020)
        filed = rand_date(rng, date(fy, 1, 5), date(fy, 11, 30))
        lag = rng.randint(640, 1000) if ptype == "invention" else rng.randint(150, 330)
        granted = filed + timedelta(days=lag)
        if granted > date(2021, 4, 30):
            granted = date(2021, 4, 13)
        co = [names.take() for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        inv = [p.name] + co
        if co and rng.random() < 0.3:
            inv = co[:1] + [p.name] + co[1:]
        cert = f"{rng.randint(1000000, 9999999)}" if ptype != "design" else f"{rng.randint(3000000, 6999999)}"
        p.patents.append(Patent(patent_number(rng, fy, ptype, style=rng.randrange(3)), ptype, title, inv,
                                emp if not heritage or rng.random() < 0.6 else p.name, filed, granted, cert))
    # benefit statements: years
    years = sorted(rng.sample(YEARS, min(3, b.statements)))
    projects = list(dom.projects)
    rng.shuffle(projects)
    in_wan = rng.random() < 0.3
    for i, y in enumerate(years):
        created = Decimal(rng.randint(3, 60) * 10000 + rng.choice((0, 0, 5000, 2000, 8000, 3600, 1200)))
        if heritage:
            created = Decimal(rng.randint(2, 20) * 10000 + rng.choice((0, 5000, 3000)))
        saved = Decimal(rng.choice((0, 0, rng.randint(1, 25) * 10000 + rng.choice((0, 4000, 6800, 1500)))))
        d = rand_date(rng, date(y, 12, 5), date(y, 12, 30))
        p.statements.append(Statement(y, projects[i % len(projects)], created, saved, d, emp, [p.name], in_wan))
    # apprentice agreements
    ay = sorted(rng.choice(YEARS) for _ in range(b.agreements))
    for y in ay:
        sd = rand_date(rng, date(y, 2, 20), date(y, 10, 15))
        start = sd
        end = date(sd.year + rng.choice((2, 3)), sd.month, min(sd.day, 28)) - timedelta(days=1)
        p.agreements.append(Agreement(names.take(two_char=False), start, end, sd))
    # training list (promotions)
    if b.training:
        levels = (["高级工"] * rng.randint(1, 3) + ["技师"] * rng.randint(0, 2) + ["高级技师"] * rng.randint(0, 1)
                  + ["中级工"] * rng.randint(0, 2))
        for lv in levels:
            y = rng.choice(YEARS)
            p.trainees.append(Trainee(names.take(), lv, rand_date(rng, date(y, 3, 1), date(y, 12, 20))))
        p.trainees.sort(key=lambda t: t.date)
    # awards
    comp_levels = ("enterprise", "prefecture", "prefecture", "provincial")
    for _ in range(b.competition):
        lv = rng.choice(comp_levels)
        y = rng.choice(YEARS)
        d = rand_date(rng, date(y, 5, 1), date(y, 11, 30))
        trade = dom.competition
        if lv == "enterprise":
            nm, iss = f"{emp}第{rng.choice('三四五六七八')}届职工技能比武{trade}比赛", emp
        elif lv == "prefecture":
            nm = f"{y}年开封市职工职业技能竞赛{trade}决赛"
            iss = rng.choice(("开封市总工会", "开封市总工会 开封市人力资源和社会保障局", "开封市人力资源和社会保障局"))
        else:
            nm, iss = f"河南省第{rng.choice('三四五六')}届职业技能大赛{trade}项目", rng.choice(CITY_ISSUERS["provincial"][:2])
        p.competitions.append(Award("competition", lv, nm, rng.choice(RANKS_COMP), iss, d))
    used = {s.project for s in p.statements}
    inno_projects = [x for x in dom.projects if x not in used] or list(dom.projects)
    for i in range(b.innovation):
        lv = rng.choice(("enterprise", "prefecture", "prefecture", "provincial"))
        y = rng.choice(YEARS)
        d = rand_date(rng, date(y, 6, 1), date(y, 12, 20))
        iss = {"enterprise": emp, "prefecture": rng.choice(("开封市总工会", "开封市科学技术局")),
               "provincial": "河南省总工会", "national": "中华全国总工会"}[lv]
        p.innovations.append(Award("innovation", lv, inno_projects[i % len(inno_projects)], rng.choice(RANKS_INNO), iss, d))
    # media
    for _ in range(b.clipping):
        lv = rng.choice(("prefecture", "prefecture", "provincial", "national"))
        y = rng.choice(YEARS)
        d = rand_date(rng, date(y, 1, 10), date(y, 12, 20))
        p.clippings.append(Clipping(rng.choice(OUTLETS[lv]), lv, d, headline(rng, p), clipping_body(rng, p)))
    # standards / methods
    for i in range(b.stddoc):
        y = rng.choice(YEARS)
        d = rand_date(rng, date(y, 3, 1), date(y, 12, 15))
        r = rng.random()
        surname_name = p.name
        if r < 0.45:
            title = rng.choice(dom.methods).format(n=surname_name)
            lvl = "enterprise" if rng.random() < 0.6 else "prefecture"
            adopt = emp if lvl == "enterprise" else "开封市总工会"
            p.stddocs.append(StdDoc(title, "method", f"{p.employer.short[:2]}GZF-{y}-{rng.randint(1, 30):02d}",
                                    [p.name], d, lvl, adopt))
        elif r < 0.75:
            title = f"{dom.specialty[0]}操作规程"
            p.stddocs.append(StdDoc(title, "procedure", f"Q/KF{rng.randint(100, 999)}.{rng.randint(1, 40)}-{y}",
                                    [p.name] + [names.take() for _ in range(rng.randint(0, 2))], d, "enterprise", emp))
        else:
            title = f"{dom.specialty[0]}技术规范"
            prov = rng.random() < 0.6
            num = f"DB41/T {rng.randint(1000, 2100)}-{y}" if prov else f"JB/T {rng.randint(10000, 14000)}-{y}"
            p.stddocs.append(StdDoc(title, "standard", num, [names.take(), p.name] + [names.take() for _ in range(rng.randint(0, 2))],
                                    d, "provincial" if prov else "national", emp))


# ---------------------------------------------------------------------------------------
# texts: 主要业绩, 事迹材料, 受奖情况, clippings
# ---------------------------------------------------------------------------------------
# phrase variants: every text draws its own wording, so two nominees' texts built from the
# same templates still read differently (no false "same text" across nominees)
SYNONYMS = (
    ("主动请缨", "挺身而出", "主动承担任务", "第一个站出来"),
    ("带领班组", "组织技术骨干", "带着徒弟们", "牵头组织攻关小组"),
    ("反复试验", "一次次试验", "不断摸索", "反复验证"),
    ("攻克了难关", "解决了这一难题", "啃下了这块硬骨头", "成功破解难题"),
    ("查阅大量资料", "翻阅了大量技术资料", "遍查相关文献", "多方请教、查找资料"),
    ("利用业余时间", "利用休息时间", "常常在下班后", "牺牲节假日"),
    ("进行了上百次试验", "做了上百次对比试验", "试验了几十种方案", "经过无数次尝试"),
    ("最终总结出一套", "最终摸索出一套", "逐步形成了一套", "总结提炼出一套"),
    ("为核心的工艺", "为核心的操作方法", "为关键的工艺流程", "为主线的作业方法"),
    ("便和同事们一起", "随即与同事一起", "马上组织人员", "立即召集骨干"),
    ("逐项排查", "层层分析", "一项项查找原因", "逐一排查"),
    ("连续攻关", "集中攻关", "日夜攻关", "持续攻关"),
    ("急需抢修", "突发故障急需处理", "出现紧急故障", "需要紧急抢修"),
    ("连续奋战", "坚守现场", "吃住在现场", "连续工作"),
    ("凭借过硬的", "依靠扎实的", "凭着娴熟的", "用过硬的"),
    ("按期完成任务", "如期完成了任务", "提前完成了抢修", "保质保量完成任务"),
    ("受到用户的高度评价", "得到用户好评", "赢得了客户的信任", "受到单位表彰"),
    ("提出改进方案", "提出了改进思路", "大胆提出改进意见", "拿出了改进措施"),
    ("这一做法随后在全厂推广", "该方法随后在单位推广", "经验很快在全厂推开", "这一经验被推广到其他班组"),
    ("始终坚守", "一直扎根", "长期坚守", "始终奋战"),
    ("精益求精的工匠精神", "一丝不苟的工匠精神", "追求卓越的匠心", "执着专注的职业精神"),
    ("技术骨干", "业务骨干", "技术尖子", "顶梁柱"),
    ("毫无保留地", "倾囊相授地", "手把手地", "耐心细致地"),
    ("传授给年轻人", "教给青年职工", "传给徒弟们", "分享给身边的同事"),
    ("积极参与", "主动参与", "热心参与", "全程参与"),
    ("有效提升了", "明显提高了", "大幅提升了", "显著改善了"),
    ("熟练掌握", "精通", "全面掌握", "熟练运用"),
    ("关键技术", "核心技术", "重点技术", "关键技能"),
    ("练就了", "磨炼出", "掌握了", "积累了"),
    ("多次解决", "先后解决", "屡次破解", "多次攻克"),
    ("造诣深厚", "经验丰富", "颇有建树", "技艺精湛"),
    ("公认的", "大家公认的", "有名的", "公认的"),
    ("先后荣获", "先后获得", "相继荣获", "先后被授予"),
    ("荣誉称号", "称号", "荣誉", "荣誉称号"),
    ("经他手的", "由他负责的", "他经手的", "他参与的"),
    ("经她手的", "由她负责的", "她经手的", "她参与的"),
    ("从未出现过质量事故", "没有出过一次质量问题", "一次合格率始终保持领先", "从没出过差错"),
    ("常常学习到深夜", "经常学到深夜", "坚持每天学习", "一有空就钻研"),
    ("取得如下经济效益", "取得了显著的经济效益", "产生了良好的经济效益", "效益明显"),
)


def vary(text: str, rng: random.Random) -> str:
    for group in SYNONYMS:
        if group[0] in text:
            text = text.replace(group[0], rng.choice(group))
    return text


def _pronoun(p: Person) -> str:
    return "她" if p.gender == "女" else "他"


def _years_in_trade(p: Person) -> int:
    return 2021 - p.resume[0].start[0]


def _honor_list(p: Person) -> str:
    return "、".join(f"“{h.title}”" for h in p.honors)


def anecdote(rng: random.Random, p: Person, used: Optional[set] = None) -> str:
    dom = DOMAINS[p.occupation]
    ta = _pronoun(p)
    obj, prob, tech, res = rng.choice(dom.objects), rng.choice(dom.problems), rng.choice(dom.techniques), rng.choice(dom.results)
    y = rng.randint(2014, 2020)
    forms = (
        f"{y}年，单位承担的{obj}任务遇到{prob}的难题，{ta}主动请缨，带领班组反复试验，采用{tech}的方法攻克了难关，{res}。",
        f"面对{prob}这一长期困扰生产的问题，{ta}查阅大量资料，利用业余时间进行了上百次试验，最终总结出一套以{tech}为核心的工艺，{res}。",
        f"在{obj}生产中，{ta}发现{prob}，便和同事们一起从{tech}入手逐项排查，经过{rng.randint(20, 90)}天的连续攻关，{res}。",
        f"{y}年{rng.randint(1, 12)}月，{obj}急需抢修，{ta}连续奋战{rng.randint(3, 15)}个昼夜，凭借过硬的{tech}技术按期完成任务，受到用户的高度评价。",
        f"针对{prob}，{ta}提出改进方案，把{tech}引入{obj}的日常作业中，{res}，这一做法随后在全厂推广。",
        f"{ta}注意到{obj}的{prob}问题后，主动查找原因，经过{rng.randint(2, 9)}轮工艺验证，用{tech}替代了原来的做法，{res}。",
        f"有一次，{obj}出现{prob}的情况，外请专家也一时找不到原因。{ta}凭经验判断问题出在细节上，用{tech}逐项比对，很快找准了症结。",
    )
    return _pick_unused(rng, forms, used, "a")


def _pick_unused(rng: random.Random, forms: tuple, used: Optional[set], tag: str) -> str:
    idx = list(range(len(forms)))
    if used is not None:
        free = [i for i in idx if (tag, i) not in used]
        idx = free or idx
    i = rng.choice(idx)
    if used is not None:
        used.add((tag, i))
    return forms[i]


def achievements_text(rng: random.Random, p: Person, *, long: bool = False) -> str:
    dom = DOMAINS[p.occupation]
    ta = _pronoun(p)
    yrs = _years_in_trade(p)
    t1, t2 = rng.sample(dom.techniques, 2)
    parts = []
    parts.append(rng.choice((
        f"该同志从事{dom.field}工作{yrs}年，精通{p.specialty}，熟练掌握{t1}、{t2}等关键技术，是单位公认的技术骨干。",
        f"{p.name}同志扎根{dom.field}一线{yrs}年，在{p.specialty}方面造诣深厚，{t1}技术尤为突出。",
        f"参加工作{yrs}年来，{ta}始终坚守{dom.field}岗位，练就了{t1}、{t2}等过硬本领，多次解决生产中的关键技术难题。",
    )))
    used: set = set()
    parts.append(anecdote(rng, p, used))
    n_pat = len(p.patents)
    if n_pat or p.innovations:
        proj = p.innovations[0].name if p.innovations else rng.choice(dom.projects)
        s = rng.choice((f"主持完成“{proj}”等{p.projects or 1}项技术攻关课题", f"牵头开展“{proj}”等技术创新项目"))
        if n_pat:
            inv = p.patents_of("invention")
            s += f"，获得国家专利{n_pat}项" + (f"（其中发明专利{inv}项）" if inv else "")
        parts.append(s + "。")
    if p.stddocs:
        sd = p.stddocs[0]
        parts.append(rng.choice((f"参与编制的《{sd.title}》已在生产中推广应用。",
                                 f"总结提炼的“{sd.title}”在单位推广应用，效果明显。")))
    tot_c = sum((wan(s.created) for s in p.statements), Decimal(0))
    tot_s = sum((wan(s.saved) for s in p.statements), Decimal(0))
    if tot_c or tot_s:
        s = f"近三年累计创造经济效益{fmt_wan(tot_c)}万元"
        if tot_s:
            s += f"，节约资金{fmt_wan(tot_s)}万元"
        parts.append(s + "。")
    if p.agreements or p.trainees:
        s = rng.choice(("坚持传帮带，", "注重技能传承，", "积极发挥“传帮带”作用，"))
        if p.agreements:
            s += f"签订师带徒协议{len(p.agreements)}份，"
        s += rng.choice(("培养的徒弟多人已成长为生产骨干。", "带出了一支技术过硬的班组队伍。", "所带徒弟多人在技能竞赛中获奖。"))
        parts.append(s)
    parts.append(f"先后荣获{_honor_list(p)}等荣誉称号。")
    parts = [vary(x, rng) for x in parts]
    target = rng.randint(380, 640)
    seen = set(parts)
    tries = 0
    while len("".join(parts)) < target and tries < 50:
        tries += 1
        a = anecdote(rng, p, used) if rng.random() < 0.6 else filler(rng, p, used)
        if a not in seen:
            seen.add(a)
            parts.insert(rng.randint(1, len(parts) - 1), vary(a, rng))
    while len("".join(parts)) > 760 and len(parts) > 3:
        parts.pop(1)
    text = "".join(parts)
    if long:
        seen = set()
        while len(text) < rng.randint(860, 980):
            a = anecdote(rng, p) if rng.random() < 0.6 else filler(rng, p)
            if a in seen:
                continue
            seen.add(a)
            text += a
    return text


def filler(rng: random.Random, p: Person, used: Optional[set] = None) -> str:
    """A sentence about dedication, teaching or quality, varied by the rng."""
    dom = DOMAINS[p.occupation]
    ta = _pronoun(p)
    obj = rng.choice(dom.objects)
    y = rng.randint(2015, 2020)
    return _pick_unused(rng, (
        f"为了保证{obj}按期交付，{ta}经常主动放弃节假日休息，近{rng.randint(3, 10)}年累计加班{rng.randint(8, 30) * 100}多个小时。",
        f"{ta}对待工作一丝不苟，每一道工序都要反复核对，经{ta}手的{obj}从未出现过质量事故。",
        f"{y}年，{ta}牵头成立了“{p.name}技能工作室”，组织开展技术交流活动{rng.randint(2, 8) * 10}余次，参与职工{rng.randint(2, 9) * 100}余人次。",
        f"在{y}年全市职工技能培训中，{ta}担任{dom.field}项目教练，编写培训讲义{rng.randint(3, 12)}万字。",
        f"{ta}坚持记录工作日志，把遇到的问题和解决办法一一整理，形成了{rng.randint(5, 20)}万字的技术资料，成为班组的“传家宝”。",
        f"{y}年疫情期间，{ta}带领班组坚守岗位，保障了{obj}的正常生产，没有耽误一个订单。",
        f"{ta}积极参与安全生产和质量管理，近年来提出合理化建议{rng.randint(10, 60)}条，被采纳{rng.randint(5, 9)}条。",
        f"为提高{dom.field}质量，{ta}自费购买专业书籍{rng.randint(2, 9) * 10}余册，常常学习到深夜。",
        f"每逢新设备投产，{ta}总是第一个钻研说明书、第一个上机操作，再手把手教会身边的同事。",
        f"{ta}主动承担急难险重任务，{y}年先后{rng.randint(3, 12)}次参加{obj}的抢修和技术支援。",
        f"班组里流传着一句话：“遇到难题找{p.name[0]}师傅。”这是同事们对{ta}技术水平的最好评价。",
        f"{ta}还把目光投向行业前沿，{y}年赴外地学习{rng.choice(dom.techniques)}新技术，回来后很快在单位推广。",
    ), used, "f")


def deeds_text(rng: random.Random, p: Person, *, long: bool = False) -> tuple[str, str]:
    """(title, text) of the 事迹材料; clean texts stay under 1,420 characters with the title,
    ``long`` ones run past 1,600 (a D06 plant)."""
    dom = DOMAINS[p.occupation]
    ta = _pronoun(p)
    yrs = _years_in_trade(p)
    title = rng.choice((f"{p.name}同志先进事迹材料", f"匠心筑梦 技能报国——{p.name}同志事迹材料",
                        f"{p.employer.short}{p.name}同志先进事迹", f"立足岗位显身手——记{p.employer.name}{p.name}",
                        f"{p.name}同志事迹材料"))
    intro = rng.choice((
        f"{p.name}，{p.gender}，{p.ethnicity}，{p.birth.year}年{p.birth.month}月出生，{p.politics}，{p.education}学历，"
        f"现任{p.employer.name}{p.position}，{p.skill_level}。参加工作{yrs}年来，{ta}始终坚守在{dom.field}一线，"
        f"用精益求精的工匠精神诠释着平凡岗位上的不平凡。",
        f"在{p.employer.name}，提起{p.position}{p.name}，同事们都会竖起大拇指。这位{p.birth.year}年出生的{p.skill_level}，"
        f"{yrs}年如一日钻研{p.specialty}，从一名普通{p.occupation}成长为企业的技术带头人。",
        f"{p.name}同志{p.resume[0].start[0]}年参加工作，现为{p.employer.name}{p.position}。{yrs}年来，{ta}干一行、爱一行、"
        f"钻一行，在{p.specialty}领域练就了一身过硬本领。",
    ))
    used: set = set()
    techs = list(dom.techniques)
    rng.shuffle(techs)
    t1, t2, t3 = (techs * 3)[:3]
    h2 = "一、" + rng.choice(("苦练技能，练就过硬本领", "潜心钻研，技艺精益求精", "勤学苦练，争做技术尖兵"))
    p2 = [rng.choice((
        f"刚参加工作时，{ta}就给自己定下目标：干就要干到最好。为掌握{t1}技术，{ta}每天提前一小时到岗练习，"
        f"下班后还要对照教材琢磨当天遇到的问题。几年下来，{ta}记满了{rng.randint(8, 30)}本学习笔记，熟练掌握了{t1}、{t2}、{t3}等技术。",
        f"{ta}深知，过硬的技能来自日复一日的磨练。为了吃透{t2}，{ta}把{rng.choice(dom.objects)}的图纸和工艺文件逐页研读，"
        f"在实践中反复摸索，逐渐形成了自己独到的操作经验。",
        f"{ta}常说：“技术没有捷径，只有多练多想。”凭着这股韧劲，{ta}在{t1}和{t3}方面不断突破，成为单位里解决疑难问题的“活字典”。",
    )), anecdote(rng, p, used)]
    h3 = "二、" + rng.choice(("勇于创新，破解生产难题", "锐意创新，推动提质增效", "攻坚克难，创新成果丰硕"))
    p3 = [anecdote(rng, p, used)]
    if p.patents:
        p3.append(f"近年来，{ta}获得国家专利{len(p.patents)}项，其中“{p.patents[0].title}”已在生产中应用。")
    if p.innovations:
        a = p.innovations[0]
        p3.append(f"{ta}完成的“{a.name}”获{a.issuer.split()[0]}{a.rank}。")
    if p.stddocs:
        p3.append(f"{ta}参与编写的《{p.stddocs[0].title}》被推广应用，有效提升了作业效率和质量。")
    tot = sum((wan(s.created + s.saved) for s in p.statements), Decimal(0))
    if tot:
        p3.append(f"据财务部门核算，{ta}主持的项目近三年累计创造和节约资金{fmt_wan(tot)}万元。")
    h4 = "三、" + rng.choice(("甘为人梯，培养技能人才", "倾囊相授，传承工匠精神", "言传身教，带出过硬队伍"))
    p4 = [rng.choice((
        f"{ta}把带徒弟当作一项重要责任，毫无保留地把自己的经验传授给年轻人。",
        f"“一花独放不是春，百花齐放春满园。”{ta}经常这样说，也一直这样做。",
        f"{ta}利用班前会、技术讲座等形式，把多年积累的经验编成通俗易懂的教材。",
    ))]
    if p.agreements:
        p4.append(f"近三年，{ta}签订师带徒协议{len(p.agreements)}份，徒弟{p.agreements[0].apprentice}已成长为班组的技术骨干。")
    if p.trainees:
        p4.append(f"在{ta}的带动下，{len(p.trainees)}名职工实现了技能等级提升。")
    closing = rng.choice((
        f"{yrs}年来，{p.name}同志先后荣获{_honor_list(p)}等荣誉。面对荣誉，{ta}说：“我只是做了自己该做的事。”"
        f"今后，{ta}将继续立足岗位，为开封高质量发展贡献力量。",
        f"凭借突出的业绩，{ta}先后获得{_honor_list(p)}等称号。{ta}用实际行动诠释了“执着专注、精益求精、一丝不苟、追求卓越”的工匠精神。",
        f"荣誉面前，{p.name}同志没有停下脚步。{ta}先后荣获{_honor_list(p)}等称号，仍然每天坚守在{dom.field}一线，继续书写新时代产业工人的精彩篇章。",
    ))

    intro, closing = vary(intro, rng), vary(closing, rng)
    for lst in (p2, p3, p4):
        lst[:] = [vary(t, rng) for t in lst]

    def build() -> str:
        return "\n".join([intro, h2, "".join(p2), h3, "".join(p3), h4, "".join(p4), closing])

    lo, hi = (1650, 1900) if long else (900, 1380)
    target = rng.randint(lo, hi - 60)
    seen = set(p2 + p3 + p4)
    slots = [p2, p3, p4]
    tries = 0
    while len(title) + len(build().replace("\n", "")) < target and tries < 200:
        tries += 1
        sent = anecdote(rng, p, used) if rng.random() < 0.5 else filler(rng, p, used)
        if sent in seen:
            continue
        seen.add(sent)
        slot = rng.choice(slots)
        slot.insert(rng.randint(1, len(slot)), vary(sent, rng))
    # clean texts: never over the limit, whatever the fillers added
    while not long and len(title) + len(build().replace("\n", "")) > hi:
        for slot in (p3, p2, p4):
            if len(slot) > 1:
                slot.pop()
                break
        else:
            break
    return title, build()


def awards_text(rng: random.Random, p: Person) -> str:
    items = []
    for a in sorted(p.competitions + p.innovations, key=lambda a: a.date):
        if a.kind == "competition":
            nm = a.name if a.name.startswith(str(a.date.year)) else f"{a.date.year}年{a.name}"
            items.append(f"{nm}获{a.rank}" if rng.random() < 0.5 else f"{a.date.year}年在{a.name}中获{a.rank}".replace(f"{a.date.year}年在{a.date.year}年", f"{a.date.year}年在"))
        else:
            items.append(f"{a.date.year}年“{a.name}”获{a.issuer.split()[0]}{rng.choice(('职工技术创新成果', '技术创新成果'))}{a.rank}")
    if not items:
        return rng.choice(("无", "", "—"))
    sep = rng.choice(("；\n", "；", "\n"))
    return sep.join(items) + ("。" if sep != "\n" else "")


def headline(rng: random.Random, p: Person) -> str:
    dom = DOMAINS[p.occupation]
    return rng.choice((
        f"{p.name}：{dom.field}一线的“技术大拿”",
        f"匠心守初心——记{p.employer.short}{p.position}{p.name}",
        f"{p.name}：{_years_in_trade(p)}年磨一剑",
        f"把{dom.field}做到极致的人",
        f"{p.employer.short}{p.name}：用技能点亮人生",
    ))


def clipping_body(rng: random.Random, p: Person) -> str:
    dom = DOMAINS[p.occupation]
    ta = _pronoun(p)
    return (f"走进{p.employer.name}，{p.name}正在{rng.choice(dom.objects)}旁忙碌着。从业{_years_in_trade(p)}年，"
            f"{ta}从一名普通{p.occupation}成长为{p.skill_level}。" + anecdote(rng, p) +
            f"“干一行就要爱一行、精一行。”{p.name}说。")
