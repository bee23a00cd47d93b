"""Layouts and wordings the sample renderer does not draw (other units' templates), laid out
by hand the way RapidOCR returns them: spaces inside lines, a label split into pieces,
a label glued to its value, labels and values in separate table cells."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from audit.evidence import split_documents
from extractors.base import Extraction, Line, Page

H = 40  # line height in pixels


def page_of(rows, *, width=1654, height=2339) -> Page:
    """``rows``: (y, [(x, text) …]) or (y, [(x, text, size) …]); a box is as wide as its text."""
    lines = []
    for y, cells in rows:
        for c in cells:
            x, text = c[0], c[1]
            h = c[2] if len(c) > 2 else H
            w = sum(0.5 if ch.isascii() else 1.0 for ch in text) * h
            lines.append(Line(text, (float(x), float(y), float(x + w), float(y + h)), 0.95))
    return Page(1, "ocr", "rapidocr", lines, width, height, 200)


def read(rows, **kw):
    ex = Extraction(file="scan.jpg", sha256="9" * 64, media="image", pages=[page_of(rows, **kw)])
    items = split_documents(ex)
    assert len(items) == 1
    return items[0]


def vals(item, *keys):
    return {k: item.value(k) for k in keys}


def test_patent_certificate_older_layout():
    it = read([
        (180, [(560, "实用新型专利证书", 70)]),
        (300, [(600, "证书号 第 1234567 号")]),
        (420, [(200, "实用新型名称："), (500, "一种可调式焊枪支架")]),
        (500, [(200, "发 明 人："), (500, "王强 李红梅 赵四")]),
        (580, [(200, "专"), (245, "利"), (290, "号：ZL 2015 2 0035983.2")]),
        (660, [(200, "专利申请日：2015年01月19日")]),
        (740, [(200, "专利权人：开封市宏达机械有限公司")]),
        (820, [(200, "授权公告日：2015年06月03日")]),
        (1000, [(200, "本实用新型经过本局依照中华人民共和国专利法进行初步审查，决定授予专利权。")]),
    ])
    assert it.kind == "patent_certificate"
    assert vals(it, "number", "ptype_title", "ptype_digit", "title", "inventors", "patentee", "filed",
                "granted", "cert_no") == {
        "number": "201520035983.2", "ptype_title": "utility", "ptype_digit": "utility",
        "title": "一种可调式焊枪支架", "inventors": ["王强", "李红梅", "赵四"],
        "patentee": "开封市宏达机械有限公司", "filed": date(2015, 1, 19), "granted": date(2015, 6, 3),
        "cert_no": "1234567"}
    assert it.fields["number"].raw.replace(" ", "").startswith("ZL2015")


def test_patent_type_digit_disagrees_with_title():
    """V02 needs both: the title says invention, the number's type digit says utility."""
    it = read([
        (180, [(560, "发明专利证书", 70)]),
        (420, [(200, "发明名称：一种焊接方法")]),
        (500, [(200, "发明人：张三；李四")]),
        (580, [(200, "专利号：ZL201320035469X")]),
        (660, [(200, "专利申请日：2013年1月5日")]),
        (740, [(200, "专利权人：张三")]),
        (820, [(200, "授权公告日：2013年7月10日")]),
    ])
    assert vals(it, "ptype_title", "ptype_digit", "number", "inventors") == {
        "ptype_title": "invention", "ptype_digit": "utility", "number": "201320035469.X",
        "inventors": ["张三", "李四"]}


def test_skill_certificate_new_style_glued_labels():
    it = read([
        (200, [(500, "职业技能等级证书", 80)]),
        (400, [(200, "姓名张伟")]),
        (480, [(200, "性别男")]),
        (560, [(200, "证件号码 360426199101010071")]),
        (640, [(200, "职业名称：焊工")]),
        (720, [(200, "职业技能等级：三级/高级工")]),
        (800, [(200, "证书编号：S001241000123203000045")]),
        (880, [(200, "评价机构：开封空分集团有限公司")]),
        (960, [(200, "发证日期：2020年11月20日")]),
    ])
    assert it.kind == "skill_certificate"
    assert vals(it, "holder", "gender", "id_number", "occupation", "level", "number", "number_level",
                "issuer", "date") == {
        "holder": "张伟", "gender": "男", "id_number": "360426199101010071", "occupation": "焊工",
        "level": "高级工", "number": "S001241000123203000045", "number_level": "高级工",
        "issuer": "开封空分集团有限公司", "date": date(2020, 11, 20)}


def test_skill_level_words_disagree():
    it = read([
        (200, [(500, "职业资格证书", 80)]),
        (400, [(200, "姓 名"), (420, "刘洋")]),
        (480, [(200, "职业（工种）"), (520, "维修电工")]),
        (560, [(200, "等 级"), (420, "国家职业资格二级")]),
        (640, [(200, "证书编号"), (480, "1541020012300123")]),
        (720, [(200, "发证机关"), (480, "河南省职业技能鉴定中心")]),
    ])
    assert vals(it, "holder", "occupation", "level", "level_raw", "number_level") == {
        "holder": "刘洋", "occupation": "维修电工", "level": "技师", "level_raw": "国家职业资格二级",
        "number_level": "高级工"}


def test_honor_certificate_other_wording():
    it = read([
        (250, [(560, "荣 誉 证 书", 100)]),
        (150, [(1200, "No.KF2018-012")]),
        (500, [(200, "李明同志：")]),
        (580, [(280, "在2018年度全市职工技能提升工作中成绩突出，被授予")]),
        (660, [(200, "“开封市五一劳动奖章”。")]),
        (740, [(280, "特发此证。")]),
        (1500, [(1000, "开封市总工会")]),
        (1580, [(1000, "二〇一八年十二月")]),
    ])
    assert it.kind == "honor_certificate"
    assert vals(it, "holder", "title", "issuer", "date") == {
        "holder": "李明", "title": "开封市五一劳动奖章", "issuer": "开封市总工会", "date": date(2018, 12, 1)}


def test_competition_award_label_layout():
    it = read([
        (250, [(600, "获奖证书", 90)]),
        (500, [(300, "获奖选手：周强")]),
        (580, [(300, "参赛项目：2019年河南省职工焊工技能大赛")]),
        (660, [(300, "获得名次：第三名")]),
        (1500, [(900, "河南省总工会"), (1300, "河南省人力资源和社会保障厅")]),
        (1580, [(1050, "2019年10月")]),
    ])
    assert it.kind == "competition_award"
    assert vals(it, "holder", "competition", "rank", "issuer", "date") == {
        "holder": "周强", "competition": "2019年河南省职工焊工技能大赛", "rank": "第三名",
        "issuer": "河南省总工会 河南省人力资源和社会保障厅", "date": date(2019, 10, 1)}


def test_innovation_award_in_running_text():
    it = read([
        (250, [(600, "荣誉证书", 90)]),
        (500, [(280, "你单位赵刚同志完成的《焊接变形控制技术》荣获2020年")]),
        (580, [(200, "度开封市职工技术创新成果二等奖。")]),
        (1500, [(1000, "开封市总工会")]),
        (1580, [(1000, "2020年12月8日")]),
    ])
    assert it.kind == "innovation_award"
    assert vals(it, "holder", "project", "rank", "issuer", "date") == {
        "holder": "赵刚", "project": "焊接变形控制技术", "rank": "二等奖", "issuer": "开封市总工会",
        "date": date(2020, 12, 8)}


def test_benefit_statement_in_wanyuan_saved_first():
    it = read([
        (200, [(620, "证  明", 70)]),
        (400, [(280, "我公司职工孙丽同志负责的“余热锅炉给水泵变频改造”项目，于2020")]),
        (480, [(200, "年度投入运行。经测算，该项目当年节约成本12.5万元（大写：壹拾贰")]),
        (560, [(200, "万伍仟元整），创造经济效益30万元（大写：叁拾万元整）。")]),
        (640, [(280, "特此证明。")]),
        (900, [(200, "出具单位：开封同力水泥有限公司（盖章）")]),
        (980, [(200, "2021年1月15日")]),
    ])
    assert it.kind == "benefit_statement"
    assert vals(it, "person", "project", "year", "created", "saved", "created_capitals", "saved_capitals",
                "issuer", "date") == {
        "person": "孙丽", "project": "余热锅炉给水泵变频改造", "year": 2020, "created": Decimal("30"),
        "saved": Decimal("12.5"), "created_capitals": Decimal("30"), "saved_capitals": Decimal("12.5"),
        "issuer": "开封同力水泥有限公司", "date": date(2021, 1, 15)}


def test_benefit_statement_capitals_disagree():
    """V14: the figures and the capitals are kept apart."""
    it = read([
        (200, [(560, "经济效益证明", 70)]),
        (400, [(280, "兹证明，王海同志主持的“换热器清洗工艺改进”项目2019年度创效")]),
        (480, [(200, "86,500.00元（大写：人民币捌万伍仟元整）。")]),
        (900, [(1000, "开封黄河空分集团有限公司")]),
        (980, [(1000, "2019年12月26日")]),
    ])
    assert it.value("created") == Decimal("8.65")
    assert it.value("created_capitals") == Decimal("8.5")
    assert it.value("created_raw") == "86,500.00元"


def test_apprentice_agreement_table_cells():
    it = read([
        (200, [(560, "师徒结对协议书", 70)]),
        (400, [(200, "师傅姓名"), (450, "张国强"), (850, "徒弟姓名"), (1100, "李小龙")]),
        (480, [(200, "所在单位"), (450, "开封市第二建筑工程有限公司")]),
        (560, [(200, "带徒期限"), (450, "2020年3月1日至2022年2月28日")]),
        (700, [(200, "一、师傅应制定带徒计划，传授操作技能和安全知识。")]),
        (780, [(200, "二、徒弟应尊敬师傅，虚心学习，按期完成培训任务。")]),
        (1500, [(200, "师傅签字："), (480, "张国强"), (850, "徒弟签字："), (1130, "李小龙")]),
        (1600, [(200, "日期：2020年3月1日")]),
    ])
    assert it.kind == "apprentice_agreement"
    assert vals(it, "master", "apprentice", "unit", "start", "end", "sign_date", "signed") == {
        "master": "张国强", "apprentice": "李小龙", "unit": "开封市第二建筑工程有限公司",
        "start": date(2020, 3, 1), "end": date(2022, 2, 28), "sign_date": date(2020, 3, 1), "signed": True}


def test_apprentice_agreement_not_signed():
    it = read([
        (200, [(600, "师带徒协议", 70)]),
        (400, [(200, "甲方（师傅）：张国强")]),
        (480, [(200, "乙方（徒弟）：李小龙")]),
        (560, [(200, "带徒期限：2020年3月1日至2022年2月28日")]),
        (1500, [(200, "甲方签字："), (850, "乙方签字：")]),
        (1600, [(200, "签订日期：2020年3月1日")]),
    ])
    assert it.value("signed") is False


def test_training_list_other_headers():
    it = read([
        (200, [(450, "2019年度徒弟技能晋升统计表", 60)]),
        (320, [(150, "填报单位：开封市自来水有限公司")]),
        (420, [(170, "序号"), (330, "姓名"), (560, "工种"), (820, "取证等级"), (1150, "取证时间")]),
        (500, [(185, "1"), (330, "马晓东"), (540, "维修电工"), (830, "高级工"), (1120, "2019.06")]),
        (580, [(185, "2"), (330, "陈静"), (540, "水质检验员"), (815, "二级/技师"), (1120, "2019.11")]),
        (660, [(185, "3"), (330, "欧阳明辉"), (540, "维修电工"), (830, "中级工"), (1120, "2019.12")]),
    ])
    assert it.kind == "training_list"
    rows = [{k: r[k] for k in ("name", "level", "date")} for r in it.value("rows")]
    assert rows == [{"name": "马晓东", "level": "高级工", "date": date(2019, 6, 1)},
                    {"name": "陈静", "level": "技师", "date": date(2019, 11, 1)},
                    {"name": "欧阳明辉", "level": "中级工", "date": date(2019, 12, 1)}]
    assert it.value("unit") == "开封市自来水有限公司"
    assert len(it.fields["rows"].spans) >= 9


def test_media_clipping_web_page():
    it = read([
        (120, [(150, "人民网", 70)]),
        (300, [(300, "开封工匠张三：三十年只做一件事", 60)]),
        (420, [(300, "来源：人民网 发布时间：2019年05月01日 08:30")]),
        (520, [(150, "本网讯（记者 王小明）走进开封空分集团有限公司的装配车间，张三正在调试一台膨胀机。")]),
        (600, [(150, "三十年来，张三带出了四十多名徒弟。“干一行就要爱一行。”张三说。")]),
    ])
    assert it.kind == "media_clipping"
    assert vals(it, "outlet", "level", "date", "person", "headline") == {
        "outlet": "人民网", "level": "国家级", "date": date(2019, 5, 1), "person": "张三",
        "headline": "开封工匠张三：三十年只做一件事"}


def test_enterprise_standard_cover():
    it = read([
        (150, [(150, "ICS 23.020")]),
        (330, [(350, "开封空分集团有限公司企业标准", 60)]),
        (450, [(1100, "Q/KFKF 001—2019")]),
        (800, [(400, "空分设备焊接作业指导书", 70)]),
        (950, [(500, "编制人：张三、李四")]),
        (1900, [(150, "2019-03-01发布"), (1100, "2019-04-01实施")]),
    ])
    assert it.kind == "standard_doc"
    assert vals(it, "title", "kind", "author", "date", "adoption") == {
        "title": "空分设备焊接作业指导书", "kind": "企业标准", "author": "张三、李四",
        "date": date(2019, 3, 1), "adoption": False}
    assert it.value("number").replace(" ", "") == "Q/KFKF001-2019"


def test_catalog_without_seq_column():
    it = read([
        (200, [(650, "材料目录", 60)]),
        (320, [(300, "证明材料名称"), (1200, "页码")]),
        (400, [(200, "职业资格证书"), (1210, "1")]),
        (480, [(200, "专利证书（3件）"), (1200, "2-4")]),
        (560, [(200, "经济效益证明"), (1200, "5-7")]),
    ])
    assert it.kind == "catalog"
    assert [(x["title"], x["page"], x["first"], x["last"]) for x in it.value("items")] == [
        ("职业资格证书", "1", 1, 1), ("专利证书（3件）", "2-4", 2, 4), ("经济效益证明", "5-7", 5, 7)]


def test_benefit_statement_year_by_year():
    it = read([
        (200, [(560, "经济效益证明", 70)]),
        (340, [(280, "兹证明，赵强同志主持的“空压机节能改造”项目近三年经济效益如下：")]),
        (440, [(250, "年度"), (600, "创效（万元）"), (1000, "节资（万元）")]),
        (520, [(255, "2018"), (640, "12.5"), (1040, "3")]),
        (600, [(255, "2019"), (640, "20"), (1040, "4.2")]),
        (680, [(255, "2020"), (640, "8.75"), (1040, "0")]),
        (900, [(1000, "开封空分集团有限公司")]),
        (980, [(1000, "2021年1月10日")]),
    ])
    assert it.kind == "benefit_statement"
    assert it.value("by_year") == [{"year": 2018, "created": Decimal("12.5"), "saved": Decimal("3")},
                                   {"year": 2019, "created": Decimal("20"), "saved": Decimal("4.2")},
                                   {"year": 2020, "created": Decimal("8.75"), "saved": Decimal("0")}]
    assert it.value("year") is None and it.value("created") is None
    assert it.value("person") == "赵强" and it.value("project") == "空压机节能改造"


def test_catalog_on_a_turned_scan():
    """A catalog scanned 2° turned (RapidOCR boxes of a real sample page): the page numbers in
    the right column sit half a line lower than their rows' left cells."""
    lines = [((706, 152, 983, 235), "材料目录"), ((708, 248, 978, 308), "推荐人选：严俊宏"),
             ((222, 327, 297, 378), "序号"), ((744, 345, 827, 400), "名称"), ((1291, 363, 1436, 421), "所在页码"),
             ((242, 404, 275, 441), "1"), ((346, 402, 715, 459), "职业资格证书（高级技师）"), ((1347, 446, 1377, 486), "2"),
             ((238, 469, 274, 519), "2"), ((344, 470, 639, 527), "兰考县工匠荣誉证书"), ((1342, 509, 1377, 558), "3"),
             ((238, 541, 268, 579), "3"), ((340, 540, 674, 598), "2019年度经济效益证明"), ((1340, 582, 1372, 621), "4"),
             ((235, 612, 264, 648), "4"), ((335, 608, 645, 670), "师带徒协议（赵亨伯）"), ((1338, 652, 1372, 697), "5")]
    page = Page(1, "ocr", "rapidocr", [Line(t, tuple(map(float, b)), 0.99) for b, t in lines], 1654, 2339, 200)
    items = split_documents(Extraction(file="v.pdf", sha256="7" * 64, media="pdf", pages=[page]))
    assert items[0].kind == "catalog"
    got = [(r["title"], r["page"]) for r in items[0].value("items")]
    assert got == [("职业资格证书（高级技师）", "2"), ("兰考县工匠荣誉证书", "3"), ("2019年度经济效益证明", "4"),
                   ("师带徒协议（赵亨伯）", "5")]



def test_skill_certificate_with_title_sized_fields():
    """A certificate printing its fields as large as a title (RapidOCR boxes of a real sample
    page): the label 级别 alone on its line is still a label."""
    lines = [((393, 223, 843, 301), '职业资格证书'),
             ((1243, 269, 1471, 329), '职业 (工种)'),
             ((526, 382, 771, 442), '姓名陈轮敬'),
             ((1282, 375, 1385, 436), '焊工'),
             ((526, 486, 687, 545), '性别男'),
             ((1238, 476, 1337, 538), '级别'),
             ((1279, 584, 1383, 646), '技师'),
             ((1243, 688, 1612, 742), '理论知识考试成绩：73'),
             ((193, 811, 368, 868), '证件号码'),
             ((1239, 794, 1614, 846), '操作技能考核成绩：85'),
             ((193, 899, 587, 955), '410225198512119453'),
             ((1240, 899, 1423, 950), '发证单位：'),
             ((190, 1014, 283, 1070), '编号'),
             ((1279, 1002, 1804, 1058), '河南省人力资源和社会保障厅'),
             ((190, 1104, 534, 1156), '1541021114242217'),
             ((1237, 1108, 1731, 1163), '颁证日期：2015年10月20日'),
             ((1435, 1421, 1976, 1467), '中华人民共和国人力资源和社会保障部监制')]
    page = Page(1, "ocr", "rapidocr", [Line(t, tuple(map(float, b)), 0.99) for b, t in lines], 2339, 1654, 200)
    it = split_documents(Extraction(file="c.pdf", sha256="6" * 64, media="pdf", pages=[page]))[0]
    assert it.kind == "skill_certificate"
    assert it.value("level") == "技师" and it.value("occupation") == "焊工" and it.value("holder") == "陈轮敬"


def test_benefit_statement_date_under_the_seal():
    """The seal hid one digit of the year (209年12月10日, as RapidOCR read a sample page): the
    statement's year allows one restoration, kept at a low confidence; a year the content does
    not allow is no restoration."""
    rows = [
        (200, [(560, "经济效益证明", 70)]),
        (400, [(280, "陆航林同志完成的“老旧设备电气控制系统国产化改造”技术改进项目，")]),
        (480, [(200, "2019年在我单位全面应用。经财务核算：")]),
        (560, [(200, "新增经济效益390000元（大写：人民币叁拾玖万元整）；")]),
        (900, [(1000, "兰考县瑞华新能原科技有限公司")]),
        (980, [(1100, "209年12月10日")]),
    ]
    it = read(rows)
    assert it.value("year") == 2019 and it.value("date") == date(2019, 12, 10)
    assert it.fields["date"].confidence == 0.6
    rows[-1] = (980, [(1100, "208年12月10日")])      # 2018 or 2028: neither fits a 2019 statement
    assert read(rows).value("date") is None



def test_catalog_row_whose_number_ocr_missed():
    """The last row's 序号 was not read (RapidOCR boxes of a real sample page): the row still
    counts, by its title and page cells at one height, and is not glued to the row above."""
    lines = [((711, 186, 987, 268), '材料目录'),
             ((711, 283, 994, 338), '推荐人选：王勇兴'),
             ((230, 372, 316, 429), '序号'),
             ((731, 380, 888, 441), '材料名称'),
             ((1360, 396, 1444, 446), '页码'),
             ((251, 453, 294, 500), '1'),
             ((360, 453, 758, 508), '职业资格证书（高级技师）'),
             ((1383, 478, 1419, 521), '1'),
             ((253, 528, 290, 575), '2'),
             ((360, 530, 676, 578), '尉氏县工匠荣誉证书'),
             ((1383, 546, 1418, 594), '2'),
             ((255, 604, 288, 647), '3'),
             ((358, 599, 1060, 660), '创新成果获奖证书（变电站智能巡检系统应用）'),
             ((1383, 624, 1416, 667), '3'),
             ((255, 680, 287, 718), '4'),
             ((356, 674, 713, 726), '2019年度经济效益证明'),
             ((1383, 698, 1414, 738), '4'),
             ((253, 750, 284, 790), '5'),
             ((356, 745, 685, 803), '师带徒协议（陈浩亨）'),
             ((1379, 765, 1414, 814), '5'),
             ((251, 826, 281, 864), '6'),
             ((371, 820, 874, 877), '《王勇兴倒闸操作法》及应用证明'),
             ((1379, 844, 1411, 884), '6'),
             ((372, 894, 975, 953), '《变电站运行维护作业规范》及应用证明'),
             ((1379, 916, 1408, 957), '7')]
    page = Page(1, "ocr", "rapidocr", [Line(t, tuple(map(float, b)), 0.99) for b, t in lines], 1654, 2339, 200)
    it = split_documents(Extraction(file="c.jpg", sha256="5" * 64, media="image", pages=[page]))[0]
    got = [(r["title"], r["page"]) for r in it.value("items")]
    assert len(got) == 7
    assert got[-2:] == [("《王勇兴倒闸操作法》及应用证明", "6"), ("《变电站运行维护作业规范》及应用证明", "7")]
