"""The issuer → level table of the profile (issuer_levels, standard_levels), used by V08 and V13."""
from __future__ import annotations

import pytest

from audit.profile import load_profile

P = load_profile()


@pytest.mark.parametrize("issuer,level", [
    # national: the national federation, ministries, national bodies and associations
    ("中华全国总工会", "national"),
    ("全国总工会", "national"),
    ("人力资源和社会保障部", "national"),
    ("中华人民共和国人力资源和社会保障部", "national"),
    ("国务院", "national"),
    ("中共中央 国务院", "national"),
    ("全国职工职业技能大赛组委会", "national"),
    ("国家知识产权局", "national"),
    ("中国焊接协会", "national"),
    ("中国机械工业联合会", "national"),
    ("共青团中央", "national"),
    # provincial: 河南省…, other provinces, municipalities, 省… abbreviated
    ("河南省总工会", "provincial"),
    ("河南省人力资源和社会保障厅", "provincial"),
    ("河南省科学技术厅", "provincial"),
    ("中共河南省委 河南省人民政府", "provincial"),
    ("共青团河南省委", "provincial"),
    ("省总工会", "provincial"),
    ("湖北省总工会", "provincial"),
    ("北京市总工会", "provincial"),
    ("广西壮族自治区总工会", "provincial"),
    # prefecture: 开封市…, other cities, 市… abbreviated
    ("开封市总工会", "prefecture"),
    ("开封市人力资源和社会保障局", "prefecture"),
    ("开封市总工会 开封市人力资源和社会保障局", "prefecture"),
    ("开封市科学技术局", "prefecture"),
    ("中共开封市委 开封市人民政府", "prefecture"),
    ("中共开封市委宣传部", "prefecture"),
    ("郑州市总工会", "prefecture"),
    ("市人社局", "prefecture"),
    # enterprise: counties and districts, a city's industry unions, companies and their unions
    ("开封市祥符区总工会", "enterprise"),
    ("开封市祥符区人力资源和社会保障局", "enterprise"),
    ("尉氏县总工会", "enterprise"),
    ("杞县人力资源和社会保障局", "enterprise"),
    ("北京市海淀区总工会", "enterprise"),
    ("开封市机械冶金工会", "enterprise"),
    ("开封市直机关工会", "enterprise"),
    ("开封空分集团有限公司", "enterprise"),
    ("开封空分集团有限公司工会委员会", "enterprise"),
    ("国网开封供电公司", "enterprise"),
    ("国家电网有限公司", "enterprise"),
    ("中国石油天然气集团有限公司", "enterprise"),
    ("河南中烟工业有限责任公司开封卷烟厂", "enterprise"),
    ("开封市汴绣厂", "enterprise"),
    ("河南开封黄河测绘院", "enterprise"),
    ("开封市市政工程处", "enterprise"),
])
def test_real_issuers(issuer, level):
    assert P.issuer_level(issuer) == level


@pytest.mark.parametrize("issuer,level", [
    ("开封巿总工会", "prefecture"),          # 巿 (fú) read for 市
    ("河南省总エ会", "provincial"),          # katakana エ read for 工
    ("河南省入力资源和社会保障厅", "provincial"),
    ("★开封市总工会★", "prefecture"),       # seal stars around the ring text
    ("开封市 总工会", "prefecture"),         # a name broken by a space
    ("中华全国总工会。", "national"),
    ("河 南 省 总 工 会", "provincial"),
])
def test_ocr_noise(issuer, level):
    assert P.issuer_level(issuer) == level


def test_unknown_and_empty():
    assert P.issuer_level("") is None
    assert P.issuer_level(None) is None
    assert P.issuer_level("xx") is None


def test_several_issuers_take_the_highest():
    assert P.issuers_level(["开封市总工会", "河南省总工会"]) == "provincial"
    assert P.issuers_level(["开封空分集团有限公司", "开封市总工会"]) == "prefecture"
    assert P.issuers_level("开封市祥符区总工会 中华全国总工会") == "national"
    assert P.issuers_level([]) is None


@pytest.mark.parametrize("number,level", [
    ("GB 50236-2011", "national"), ("GB/T 3323-2005", "national"), ("JB/T 12345-2019", "national"),
    ("DB41/T 1288-2019", "provincial"), ("DB4102/T 001-2020", "prefecture"), ("Q/KF123.4-2019", "enterprise"),
    ("T/CWAN 0012-2019", None), ("", None),
])
def test_standard_levels(number, level):
    assert P.standard_level(number) == level
