"""Publicity periods from notices and screenshots; the date of a recommendation report."""
from __future__ import annotations

import datetime as dt

from audit.publicity import parse_publicity, parse_report_date
from extractors.base import Extraction, Line, Page


def scan(*pages: list[str], source: str = "ocr", conf: float = 0.95) -> Extraction:
    ps = [Page(page=i, source=source, lines=[Line(t, (100, 100 + 60 * k, 1500, 134 + 60 * k), conf)
                                               for k, t in enumerate(lines)])
          for i, lines in enumerate(pages, 1)]
    return Extraction(file="祥符区总工会/公示.jpg", sha256="abc", media="image", pages=ps)


NOTICE = ["关于开封工匠推荐人选的公示",
          "经基层民主推荐、单位研究，现将2020年度开封工匠推荐人选公示如下：",
          "张建国（开封市某某机械制造有限公司 班组长）",
          "李梅（开封市某某纺织有限公司 挡车工）",
          "公示时间：2021年5月20日至",
          "5月26日。公示期间如有异议，请向我会反映。",
          "监督电话：0371-25665219",
          "开封市祥符区总工会",
          "2021年5月19日"]


def test_notice_period_over_two_lines():
    got = parse_publicity(scan(NOTICE), default_year=2021)
    assert len(got) == 1
    p = got[0]
    assert (p["start"].value, p["end"].value) == (dt.date(2021, 5, 20), dt.date(2021, 5, 26))
    assert p["names"] == ["张建国", "李梅"]
    assert p["file"] == "祥符区总工会/公示.jpg" and p["end_derived"] is False
    assert [s.box[1] for s in p["end"].spans] == [340, 400]           # both lines cited
    assert p["start"].spans[0].sha256 == "abc" and p["start"].confidence == 0.95


def test_year_from_the_document_not_the_default():
    got = parse_publicity(scan(["发布时间：2020-05-18 09:12", "公示期：5月20日—5月26日"]), default_year=2021)
    assert (got[0]["start"].value, got[0]["end"].value) == (dt.date(2020, 5, 20), dt.date(2020, 5, 26))
    got = parse_publicity(scan(["公示期：5月20日—5月26日"]), default_year=2021)
    assert got[0]["start"].value == dt.date(2021, 5, 20)


def test_start_and_duration():
    got = parse_publicity(scan(["公示", "自2021年5月20日起公示5天，接受群众监督。"]), default_year=2021)
    assert (got[0]["start"].value, got[0]["end"].value, got[0]["end_derived"]) == (
        dt.date(2021, 5, 20), dt.date(2021, 5, 24), True)
    got = parse_publicity(scan(["公示期为五个工作日，自2021年5月20日起。"]), default_year=2021)
    assert got[0]["end"].value == dt.date(2021, 5, 24)


def test_publicity_ranges_preferred_over_other_periods():
    lines = ["评选范围：2018年1月1日至2020年12月31日期间的业绩", "公示期为2021年5月20日至5月24日"]
    got = parse_publicity(scan(lines), default_year=2021)
    assert [(p["start"].value.day, p["end"].value.day) for p in got] == [(20, 24)]


def test_no_dates():
    assert parse_publicity(scan(["关于推荐人选的公示", "张建国"]), default_year=2021) == []


def test_office_notice():
    ex = Extraction(file="公示.docx", sha256="d", media="docx", pages=[Page(page=1, source="office", lines=[
        Line("公示期：2021.5.20~5.26", (0, 0, 1, 1))])])
    p = parse_publicity(ex, default_year=2021)[0]
    assert p["end"].value == dt.date(2021, 5, 26) and p["end"].confidence is None


def test_report_date_is_the_signature_line():
    report = ["关于推荐张建国等同志为2020年度开封工匠人选的报告",
              "根据汴总发〔2021〕31号文件要求，我会于2021年5月20日至5月26日进行了公示。",
              "特此推荐。", "开封市祥符区总工会", "二〇二一年六月八日"]
    f = parse_report_date(scan(report))
    assert f.value == dt.date(2021, 6, 8) and f.raw == "二〇二一年六月八日"
    assert f.spans[0].box == (100, 340, 1500, 374)


def test_report_date_on_last_page_and_fallbacks():
    f = parse_report_date(scan(["报告正文 2021年5月20日"], ["开封市总工会", "2021年6月1日"]))
    assert f.value == dt.date(2021, 6, 1) and f.spans[0].page == 2
    f = parse_report_date(scan(["于2021年5月20日公示，", "2021年6月"]))
    assert f.value == dt.date(2021, 5, 20)                    # a full date beats a month
    assert parse_report_date(scan(["没有日期"])) is None
