"""Identifiers: the vectors of shared/spec/identifiers.md and the cases around them."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.ids import (check_id_number, check_uscc, find_patent_numbers, mask_id, mask_phone,
                       parse_patent_number, parse_skill_cert_number, patent_check_char)


def _with_check(first17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * k for c, k in zip(first17, w)) % 11]


# ---------------------------------------------------------------------------------------
# patents

VALID_PATENTS = [
    # (as written, body, check, year, type)
    ("ZL 99 1 14725.1", "99114725", "1", 1999, "invention"),
    ("ZL201320035469X", "201320035469", "X", 2013, "utility"),
    ("ZL2015200359832", "201520035983", "2", 2015, "utility"),
    ("ZL2015200327704", "201520032770", "4", 2015, "utility"),
    ("ZL2015208228406", "201520822840", "6", 2015, "utility"),
    ("ZL201220572874.0", "201220572874", "0", 2012, "utility"),
    ("ZL 2020 2 0773489.7", "202020773489", "7", 2020, "utility"),
    ("201710601862.3", "201710601862", "3", 2017, "invention"),
    ("ZL95115608.X", "95115608", "X", 1995, "invention"),
    ("97101765.4", "97101765", "4", 1997, "invention"),
]
INVALID_PATENTS = [("ZL201220572874.1", "0"), ("201710601862.4", "3")]


@pytest.mark.parametrize("text,body,check,year,kind", VALID_PATENTS)
def test_valid_patent_numbers(text, body, check, year, kind):
    p = parse_patent_number(text)
    assert (p.body, p.check, p.year, p.type_name, p.valid_check) == (body, check, year, kind, True)
    assert p.granted == text.startswith("ZL")
    assert p.normalized == f"{body}.{check}" and p.key == body
    assert patent_check_char(body) == check


@pytest.mark.parametrize("text,expected", INVALID_PATENTS)
def test_invalid_check_digits(text, expected):
    p = parse_patent_number(text)
    assert p.valid_check is False and p.expected_check == expected


@pytest.mark.parametrize("text,normalized", [
    ("专利号：ZL 2O2O 2 O773489·7", "202020773489.7"),     # OCR O for 0, middle dot
    ("zl201320035469x", "201320035469.X"),                 # lower case
    ("ZL2015 2003 5983 2", "201520035983.2"),              # free spaces, no dot
    ("CN 201520035983.2", "201520035983.2"),
    ("申请号：2Ol7lO6Ol862.3", "201710601862.3"),           # l for 1
    ("ZL 2020 3 0123456．X", "202030123456.X"),             # full-width dot
])
def test_patent_numbers_tolerate_noise(text, normalized):
    assert parse_patent_number(text).normalized == normalized


@pytest.mark.parametrize("text,kind", [("ZL202030123456.5", "design"), ("ZL202080123456.1", "pct-invention"),
                                       ("ZL202090123456.2", "pct-utility")])
def test_patent_types(text, kind):
    assert parse_patent_number(text).type_name == kind


@pytest.mark.parametrize("text", [
    "CN105123456A",                  # a publication number, not an application number
    "CN 105123456 B",
    "身份证号：410203198507150031",   # an ID number
    "电话13803781234",
    "2021年5月20日", "12.5万元", "",
    "ZL202040123456.1",              # type digit 4 does not exist
    "ZL200120123456.1",              # 12-digit body before 2003
])
def test_not_patent_numbers(text):
    assert parse_patent_number(text) is None


def test_find_patent_numbers_in_text():
    text = "获得实用新型专利2项（ZL2015200359832、ZL 2015 2 0032770.4），发明专利ZL95115608.X。"
    assert [p.normalized for p in find_patent_numbers(text)] == [
        "201520035983.2", "201520032770.4", "95115608.X"]


def test_patent_without_check_char():
    p = parse_patent_number("ZL201220572874")
    assert p.check is None and p.valid_check is None and p.normalized == "201220572874"


# ---------------------------------------------------------------------------------------
# resident IDs

TODAY = dt.date(2021, 6, 1)


@pytest.mark.parametrize("s,ok,reason,birth,gender", [
    ("360426199101010071", True, None, dt.date(1991, 1, 1), "M"),               # stdnum's example
    (" 360426 19910101 0071 ", True, None, dt.date(1991, 1, 1), "M"),
    (_with_check("41020219780512123"), True, None, dt.date(1978, 5, 12), "M"),
    (_with_check("41020319850715002"), True, None, dt.date(1985, 7, 15), "F"),
    ("360426199101010072", False, "check-digit", dt.date(1991, 1, 1), "M"),
    ("36042619910101007x", False, "check-digit", dt.date(1991, 1, 1), "M"),     # x read as X
    ("3604261991010100", False, "length", None, None),
    ("36042619910101007Y", False, "chars", None, None),
    (_with_check("36042619911301007"), False, "birth-date", None, "M"),
    (_with_check("36042618500101007"), False, "birth-date", None, "M"),           # before 1900
    (_with_check("36042620250101007"), False, "future-birth", dt.date(2025, 1, 1), "M"),
    (_with_check("00000019910101007"), False, "region", dt.date(1991, 1, 1), "M"),
    ("360426910101007", False, "fifteen-digit", dt.date(1991, 1, 1), "M"),
    ("36042619910101OO71", True, None, dt.date(1991, 1, 1), "M"),               # OCR O for 0
    ("", False, "length", None, None),
])
def test_check_id_number(s, ok, reason, birth, gender):
    c = check_id_number(s, today=TODAY)
    assert (c.ok, c.reason, c.birth, c.gender) == (ok, reason, birth, gender)


def test_fifteen_digit_id_is_converted():
    c = check_id_number("360426910101007", today=TODAY)
    assert c.normalized == "360426199101010071"
    assert check_id_number(c.normalized, today=TODAY).ok
    assert check_id_number("36042691130100X", today=TODAY).reason == "length"


def test_masks():
    assert mask_id("41020219780512123X") == "410202********123X"
    assert mask_id("360426910101007") == "360426*****1007"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0371-25665219") == "037*****5219"
    assert mask_phone("") == "" and mask_id("") == ""


@pytest.mark.parametrize("s,ok,reason", [
    ("91110000600037341L", True, None), ("9111 0000 6000 3734 1L", True, None),
    ("91110000600037341M", False, "check-digit"), ("9111000060003734", False, "length"),
])
def test_uscc(s, ok, reason):
    c = check_uscc(s)
    assert (c.ok, c.reason) == (ok, reason)


# ---------------------------------------------------------------------------------------
# skill certificates

@pytest.mark.parametrize("s,kind,year,level,name,ok", [
    ("1941000000300123", "old16", 2019, 3, "高级工", True),
    ("0841010201200456", "old16", 2008, 2, "技师", True),
    ("9841010201100456", "old16", 1998, 1, "高级技师", True),
    ("1941000000900123", "old16", 2019, None, None, False),          # no level 9
    ("1941000000300", "old13", 2019, None, None, True),
    ("Y000141000001202000123", "new", 2020, 2, "技师", True),
    ("S 0001 41 000001 21 1 000123", "new", 2021, 1, "高级技师", True),
    ("Y000141000001207000123", "new", 2020, None, None, False),
])
def test_skill_cert_numbers(s, kind, year, level, name, ok):
    c = parse_skill_cert_number(s, today=dt.date(2021, 6, 1))
    assert (c.kind, c.year, c.level, c.level_name, c.ok) == (kind, year, level, name, ok)


@pytest.mark.parametrize("s", ["", "abc", "12345", "Y12345", "X000141000001202000123"])
def test_not_skill_cert_numbers(s):
    assert parse_skill_cert_number(s) is None


def test_new_cert_year_in_future_is_flagged():
    c = parse_skill_cert_number("Y000141000001252000123", today=dt.date(2021, 6, 1))
    assert c.ok is False and c.reason == "year"
