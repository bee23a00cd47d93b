"""Dates in all the forms people write them, and publicity periods."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.dates import (cn_small_number, find_date_ranges, find_dates, parse_date, parse_date_precision,
                         parse_date_range)

d = dt.date


@pytest.mark.parametrize("text,date,precision", [
    ("2019年3月5日", d(2019, 3, 5), "day"),
    ("2019年03月05日", d(2019, 3, 5), "day"),
    ("2019 年 3 月 5 号", d(2019, 3, 5), "day"),
    ("2019.3.5", d(2019, 3, 5), "day"),
    ("2019-03-05", d(2019, 3, 5), "day"),
    ("2019/3/5", d(2019, 3, 5), "day"),
    ("２０１９．３．５", d(2019, 3, 5), "day"),                 # full-width
    ("二〇一九年三月五日", d(2019, 3, 5), "day"),
    ("二零一九年十二月三十一日", d(2019, 12, 31), "day"),
    ("二O一九年三月五日", d(2019, 3, 5), "day"),               # O for 〇
    ("二〇二一年六月十日", d(2021, 6, 10), "day"),
    ("2019年3月", d(2019, 3, 1), "month"),
    ("1978.05", d(1978, 5, 1), "month"),                       # 出生年月
    ("1978.5", d(1978, 5, 1), "month"),
    ("197805", d(1978, 5, 1), "month"),
    ("二〇一九年三月", d(2019, 3, 1), "month"),
    ("2O19年3月5日", d(2019, 3, 5), "day"),                    # OCR noise
    ("2Ol9.O3.O5", d(2019, 3, 5), "day"),
    ("2021-06-08 00:00:00", d(2021, 6, 8), "day"),             # an Excel cell
    ("20210608", d(2021, 6, 8), "day"),
    ("2019年", d(2019, 1, 1), "year"),
    ("落款：开封市总工会 2021年6月8日", d(2021, 6, 8), "day"),
])
def test_parse_date(text, date, precision):
    assert parse_date_precision(text) == (date, precision)
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["", None, "不详", "2019年2月30日", "2019.13.1", "12.5万元", "2019.5万元",
                                  "第2019号", "abc"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_default_day():
    assert parse_date("2019年3月", default_day=15) == d(2019, 3, 15)


def test_find_dates_positions():
    text = "于2019年3月5日至2020.1.2期间；落款二〇二一年六月八日"
    got = find_dates(text)
    assert [(m[0], text[m[1]:m[2]], m[3]) for m in got] == [
        (d(2019, 3, 5), "2019年3月5日", "2019年3月5日"), (d(2020, 1, 2), "2020.1.2", "2020.1.2"),
        (d(2021, 6, 8), "二〇二一年六月八日", "二〇二一年六月八日")]
    assert [m.precision for m in find_dates("1978.05出生，2019年3月5日入职")] == ["month", "day"]


@pytest.mark.parametrize("text,start,end", [
    ("公示期为2021年5月20日至5月26日", d(2021, 5, 20), d(2021, 5, 26)),
    ("公示时间：2021年5月20日—2021年5月25日", d(2021, 5, 20), d(2021, 5, 25)),
    ("自2021年5月20日起至2021年5月26日止", d(2021, 5, 20), d(2021, 5, 26)),
    ("2021.5.20~5.26", d(2021, 5, 20), d(2021, 5, 26)),
    ("2021.5.20-2021.5.26", d(2021, 5, 20), d(2021, 5, 26)),
    ("5月20日至26日", d(2021, 5, 20), d(2021, 5, 26)),            # default_year
    ("公示期：2021年5月20日（星期四）8:00至5月26日（星期三）18:00止", d(2021, 5, 20), d(2021, 5, 26)),
    ("2021年5月20日上午9时至5月24日下午5时", d(2021, 5, 20), d(2021, 5, 24)),
    ("公示期为五天（2021年5月20日-24日）", d(2021, 5, 20), d(2021, 5, 24)),
    ("二〇二一年五月二十日至五月二十六日", d(2021, 5, 20), d(2021, 5, 26)),
    ("2021年5月20日一2021年5月26日", d(2021, 5, 20), d(2021, 5, 26)),   # OCR: — read as 一
    ("2021年12月28日至1月3日", d(2021, 12, 28), d(2022, 1, 3)),          # over the new year
    ("公示时间：2021年5月20日至\n2021年5月26日", d(2021, 5, 20), d(2021, 5, 26)),
    ("2O21年5月2O日至5月26日", d(2021, 5, 20), d(2021, 5, 26)),
])
def test_parse_date_range(text, start, end):
    r = parse_date_range(text, default_year=2021)
    assert (r.start, r.end) == (start, end)
    assert r.raw and r.raw in text


@pytest.mark.parametrize("text", ["5月20日至26日", "2021年5月26日至5月20日", "2021年5月", "公示五天",
                                  "2018年至2020年", ""])
def test_no_range(text):
    assert parse_date_range(text) is None


def test_several_ranges():
    text = "第一次公示2021年5月10日至5月12日；第二次公示2021年5月20日至5月26日。"
    assert [(r.start.day, r.end.day) for r in find_date_ranges(text)] == [(10, 12), (20, 26)]


@pytest.mark.parametrize("s,v", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31),
                                 ("二〇二一", 2021), ("12", 12), ("", None), ("百", None)])
def test_cn_small_number(s, v):
    assert cn_small_number(s) == v
