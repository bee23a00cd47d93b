"""The small readers the evidence step is built from, and its vocabulary file."""
from __future__ import annotations

import re

import pytest

from audit.evidence import (canon, clean, config, fix_date_digits, fix_digit_runs, kind_ids, media_level,
                            name_before, name_prefix, normalize_level, split_names, split_orgs,
                            standard_number)
from audit.model import EvidenceItem


@pytest.mark.parametrize("text,level", [
    ("高级技师", "高级技师"), ("二级/技师", "技师"), ("技师（国家职业资格二级）", "技师"), ("国家职业资格三级", "高级工"),
    ("高级（国家职业资格三级）", "高级工"), ("三级/高级工", "高级工"), ("四级", "中级工"), ("初级", "初级工"),
    ("一级/高级技师", "高级技师"), ("", None), ("工程师证书", None)])
def test_normalize_level(text, level):
    assert normalize_level(text) == level


@pytest.mark.parametrize("outlet,level", [
    ("人民日报", "国家级"), ("工人日报", "国家级"), ("河南日报", "省部级"), ("河南工人日报", "省部级"),
    ("开封日报", "地厅级"), ("汴梁晚报", "地厅级"), ("中国冶金报", "国家级"), ("河南交通广播", "省部级"),
    ("开封电视台新闻频道", "地厅级"), ("某某周刊", None)])
def test_media_level(outlet, level):
    assert media_level(outlet) == level


@pytest.mark.parametrize("raw,names", [
    ("张三；李四；王五", ["张三", "李四", "王五"]), ("张三、李四", ["张三", "李四"]), ("张三 李四 王五", ["张三", "李四", "王五"]),
    ("徐顺功金士之周壮利吕栋", ["徐顺功", "金士之", "周壮利", "吕栋"]), ("欧阳明辉 李红", ["欧阳明辉", "李红"]),
    ("王海林张强", ["王海林", "张强"])])
def test_split_names(raw, names):
    assert split_names(raw) == names


@pytest.mark.parametrize("chunk,name", [
    ("授予张三", "张三"), ("兹证明白凤", "白凤"), ("我单位万善", "万善"), ("由林琴姣", "林琴姣"), ("司马冠仁", "司马冠仁")])
def test_name_before(chunk, name):
    assert name_before(chunk) == name


def test_name_prefix():
    assert name_prefix("张伟性别男") == "张伟"
    assert name_prefix("王海林") == "王海林"
    assert name_prefix("签字") is None


def test_split_orgs():
    assert split_orgs("开封市总工会开封市人力资源和社会保障局") == ["开封市总工会", "开封市人力资源和社会保障局"]
    assert split_orgs("中共开封市委开封市人民政府") == ["中共开封市委", "开封市人民政府"]
    assert split_orgs("开封空分集团有限公司") == ["开封空分集团有限公司"]


def test_ocr_repairs_keep_length():
    for s in ("ZL2O2O2O7734B9.7", "Z019午11月2B日", "2017-03-Z0", "技能竞赛获奖证书（—等奖）"):
        assert len(fix_digit_runs(s)) == len(s) == len(fix_date_digits(s)) == len(canon(s))
    assert fix_digit_runs("ZL2O2O2O7734B9.7") == "ZL202020773489.7"
    assert fix_date_digits("Z01g年11月2B日") == "2019年11月28日"
    assert fix_date_digits("2017-03-Z0") == "2017-03-20"
    assert fix_digit_runs("JB/T 12345") == "JB/T 12345"          # the T of a standard's code stays
    assert canon("太赛") == canon("大赛") and canon("曰期") == canon("日期")


def test_clean_values():
    assert clean(" 2O19年度经济 效益证明") == "2019年度经济效益证明"
    assert clean("—种焊接方法") == "一种焊接方法"
    assert clean("技能竞赛获奖证书(—等奖)") == "技能竞赛获奖证书（一等奖）"
    assert clean("匠心守初心一—记张三") == "匠心守初心——记张三"


def test_standard_number():
    assert standard_number("JB/T12345-2019") == "JB/T 12345-2019"
    assert standard_number("DB41/T 1288—2019") == "DB41/T 1288-2019"
    assert standard_number("GB 1234-2008") == "GB 1234-2008"
    assert standard_number("Q/KF 123.4-2019") == "Q/KF123.4-2019"


def test_vocabulary_file():
    cfg = config()
    kinds = cfg["kinds"]
    doc = EvidenceItem.__doc__.split("evidence_kinds.yaml``")[1].split(")")[0]   # the kinds the model names
    model_kinds = set(re.findall(r"[a-z]+(?:_[a-z]+)*", doc)) - {"photo", "unclassified"}
    assert model_kinds and model_kinds <= set(kinds), model_kinds - set(kinds)
    assert {"photo", "unclassified"} <= set(kind_ids())
    for k, cue in kinds.items():
        assert cue.get("titles") is not None, k
        assert float(cue.get("min_score", 4)) > 0
        for f in (cue.get("fields") or {}).values():
            assert f["labels"], k
        for p in cue.get("title_patterns", []):
            re.compile(p)
    for group in cfg["phrases"].values():
        for p in group:
            re.compile(p.replace("{NAME}", "(?P<name>x)").replace("{RANK}", "x"))


def test_every_label_in_the_kinds_file_is_text():
    """YAML reads a bare No, Yes, On or Off as a boolean: a label list must hold strings only
    (a boolean label once matched every line, and an honor's number came out as its year)."""
    from audit.evidence import config

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("labels", "not", "titles") and isinstance(v, list):
                    bad = [x for x in v if not isinstance(x, str)]
                    assert not bad, f"{path}.{k}: {bad}"
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
    walk(config(), "kinds")
