"""Amounts, capitals (大写) and counts."""
from __future__ import annotations

from decimal import Decimal

import pytest

from audit.numbers import (capitals_to_decimal, find_amounts, fix_ocr_digits, is_nil, parse_amount,
                           parse_int, parse_wanyuan, to_wanyuan)

D = Decimal


@pytest.mark.parametrize("text,yuan,wan", [
    ("12.5万元", D("125000"), D("12.5")),
    ("12.5", D("12.5"), D("12.5")),                 # a bare figure is in the unit asked for
    ("125000元", D("125000"), D("12.5")),
    ("壹拾贰万伍仟元", D("125000"), D("12.5")),
    ("人民币壹拾贰万伍仟元整", D("125000"), D("12.5")),
    ("12,500.00元", D("12500"), D("1.25")),
    ("￥125,000", D("125000"), D("12.5")),
    ("¥125,000.00", D("125000"), D("12.5")),
    ("１２．５万元", D("125000"), D("12.5")),          # full-width
    ("l2.5万元", D("125000"), D("12.5")),             # OCR: l for 1
    ("1O0000元", D("100000"), D("10")),               # OCR: O for 0
    ("125，000元", D("125000"), D("12.5")),           # full-width comma as thousands separator
    ("12 500元", D("12500"), D("1.25")),              # a stray space
    ("12. 5 万元", D("125000"), D("12.5")),
    ("1.2亿元", D("120000000"), D("12000")),
    ("12万5千元", D("125000"), D("12.5")),
    ("约12.5万元（其中节资2万元）", D("125000"), D("12.5")),
    ("RMB 3,000", D("3000"), D("0.3")),
    ("—", D(0), D(0)), ("无", D(0), D(0)), ("0", D(0), D(0)), ("/", D(0), D(0)),
    ("", None, None), ("  ", None, None), (None, None, None), ("不详", None, None),
])
def test_parse_amount(text, yuan, wan):
    assert parse_amount(text) == yuan
    assert parse_wanyuan(text) == wan
    assert parse_amount(text, unit_hint="万元") == wan
    if yuan is not None:
        assert isinstance(parse_amount(text), Decimal)


def test_parse_amount_exact_decimals():
    assert str(parse_wanyuan("123,456.78元")) == "12.345678"
    assert parse_amount("0.1万元") + parse_amount("0.2万元") == D("3000")
    with pytest.raises(ValueError):
        parse_amount("1", unit_hint="美元")


@pytest.mark.parametrize("text,value", [
    ("肆角伍分", D("0.45")),
    ("壹万元整", D("10000")),
    ("人民币壹拾贰万伍仟元整", D("125000")),
    ("壹佰元零伍分", D("100.05")),
    ("元零伍分", D("0.05")),
    ("伍仟元正", D("5000")),
    ("伍拾元叁角整", D("50.3")),
    ("伍拾元叁角伍分", D("50.35")),
    ("壹仟零伍元", D("1005")),
    ("壹亿贰仟万元", D("120000000")),
    ("人民币（大写）：贰拾叁万肆仟伍佰陆拾柒元捌角玖分", D("234567.89")),
    ("RMB壹拾圆整", D("10")),
    ("拾元", D("10")),
    ("壶万元整", D("10000")),                 # OCR reads 壹 as 壶
    ("零元", D("0")),
    ("十二万五千", D("125000")),              # lower-case numerals
    ("张三", None), ("", None), ("元", None), ("壹万元X", None),
])
def test_capitals_to_decimal(text, value):
    assert capitals_to_decimal(text) == value


@pytest.mark.parametrize("yuan,wan", [(125000, D("12.5")), ("10000", D(1)), (D("5000"), D("0.5")), (0, D(0)),
                                      (D("123456.78"), D("12.345678"))])
def test_to_wanyuan(yuan, wan):
    assert to_wanyuan(yuan) == wan


@pytest.mark.parametrize("text,value", [
    ("3", 3), ("3项", 3), ("3 个", 3), ("三", 3), ("叁", 3), ("十二", 12), ("共3项", 3),
    ("3项（国家级1项）", 3), ("3.0", 3), ("2O", 20), ("l", 1), ("12人次", 12), ("５件", 5),
    ("无", 0), ("—", 0), ("/", 0), ("0", 0), ("零", 0), ("——", 0), ("0个", 0),
    ("", None), ("   ", None), (None, None), ("个", None), ("项", None), ("2.5", None), ("若干", None),
])
def test_parse_int(text, value):
    assert parse_int(text) == value


def test_helpers():
    assert fix_ocr_digits("2O19年") == "2019年" and fix_ocr_digits("lO") == "lO"
    assert is_nil("—") and is_nil("0元") and not is_nil("") and not is_nil("5")


def test_find_amounts_figures_and_capitals():
    got = find_amounts("创造经济效益：人民币壹拾贰万叁仟元整（¥123,000.00），另节约资金5万元。")
    assert [(a, k) for a, _, _, _, k in got] == [(D("123000"), "capitals"), (D("123000"), "figure"),
                                                 (D("50000"), "figure")]
