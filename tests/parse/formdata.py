"""The approval form of the notice (attachment 1) as a cell layout, filled with known values,
and a re-drawn variant of another unit (other label words, other order, header-row layout)."""
from __future__ import annotations

YEARS = [2018, 2019, 2020]

ACHIEVEMENTS = ("该同志长期工作在数控加工一线，主持完成技术攻关课题3项，\n"
                "解决了大型齿轮箱体加工精度不稳定的难题，\n"
                "年均为企业创造经济效益20余万元。")

VALUES = {
    "name": "张建国", "gender": "男", "ethnicity": "汉族", "birth": "1985.07",
    "politics": "中共党员", "education": "大专", "skill_level": "高级技师", "title": "工程师",
    "specialty": "数控加工", "position": "班组长",
    "honors": "2019年 河南省技术能手\n2020年 开封市五一劳动奖章",
    "id_number": "410203198507150034", "phone": "13803781234",
    "resume": "2003.07—2010.12 开封某机床厂 车工\n2011.01—至今 开封某机械公司 数控车工",
    "awards_text": "2020年获开封市五一劳动奖章",
    "projects": "3 项", "conversions": "1 项", "invention": "2 个", "utility": "4 个",
    "national": "1个", "provincial": "个", "prefecture": "2个", "enterprise": "3个",
    "created": {2018: "12.5", 2019: "20", 2020: "31.2"},
    "saved": {2018: "2", 2019: "3.5", 2020: "—"},
    "standards": {2018: "0", 2019: "1", 2020: ""},
    "methods": {2018: "1", 2019: "0", 2020: "2"},
    "apprentices": {2018: "2", 2019: "3", 2020: "4"},
    "training": {2018: "120", 2019: "135", 2020: "150"},
    "promoted": ["3", "2", "1", "0"],
    "achievements": ACHIEVEMENTS,
}


def approval_cells(v: dict = VALUES, years=YEARS) -> list[tuple]:
    """The notice's table, 11 columns; (text, row, col, rowspan, colspan)."""
    C: list[tuple] = []

    def add(t, r, c, rs=1, cs=1):
        C.append((t, r, c, rs, cs))

    add("姓  名", 0, 0); add(v["name"], 0, 1); add("性  别", 0, 2); add(v["gender"], 0, 3)
    add("民  族", 0, 4); add(v["ethnicity"], 0, 5, 1, 2); add("2寸彩色照片", 0, 7, 4, 4)
    add("出生年月", 1, 0); add(v["birth"], 1, 1); add("政治面貌", 1, 2); add(v["politics"], 1, 3)
    add("学  历", 1, 4); add(v["education"], 1, 5, 1, 2)
    add("技术等级", 2, 0); add(v["skill_level"], 2, 1); add("职  称", 2, 2); add(v["title"], 2, 3)
    add("专业特长", 2, 4); add(v["specialty"], 2, 5, 1, 2)
    add("职  务", 3, 0); add(v["position"], 3, 1, 1, 2); add("所获荣誉\n及年份", 3, 3)
    add(v["honors"], 3, 4, 1, 3)
    add("身份证号", 4, 0); add(v["id_number"], 4, 1, 1, 4); add("联系电话", 4, 5, 1, 2)
    add(v["phone"], 4, 7, 1, 4)
    add("个人\n简历", 5, 0); add("(从参加工作起填起，具体到月份)\n" + v["resume"], 5, 1, 1, 10)
    add("受奖\n情况", 6, 0); add(v["awards_text"], 6, 1, 1, 10)
    add("技术\n创新", 7, 0, 3, 1); add("课题成果", 7, 1, 1, 2); add(v["projects"], 7, 3)
    add("专利\n数量", 7, 4, 2, 1); add("发明专利", 7, 5, 1, 2); add(v["invention"], 7, 7, 1, 4)
    add("成果转化", 8, 1, 1, 2); add(v["conversions"], 8, 3); add("实用新型/外观", 8, 5, 1, 2)
    add(v["utility"], 8, 7, 1, 4)
    add("获奖等级", 9, 1, 1, 2); add("国家级", 9, 3); add(v["national"], 9, 4); add("省部级", 9, 5)
    add(v["provincial"], 9, 6); add("地厅级", 9, 7); add(v["prefecture"], 9, 8); add("企业级", 9, 9)
    add(v["enterprise"], 9, 10)
    add("经济\n效益\n(万元)", 10, 0, 4, 1); add("年  度", 10, 1); add("创效(万元)", 10, 2, 1, 2)
    add("节资(万元)", 10, 4, 1, 2); add("行业标准", 10, 6, 1, 2); add("工作法/操作规程", 10, 8, 1, 3)
    for i, y in enumerate(years):
        r = 11 + i
        add(str(y), r, 1); add(v["created"][y], r, 2, 1, 2); add(v["saved"][y], r, 4, 1, 2)
        add(v["standards"][y], r, 6, 1, 2); add(v["methods"][y], r, 8, 1, 3)
    add("培\n养\n人\n才", 14, 0, 3, 1); add("签订师带徒协议(份)", 14, 1, 1, 3)
    add("各类培训(人次)", 14, 4, 1, 3); add("技术等级提升(人次)", 14, 7, 1, 4)
    for i, y in enumerate(years):
        add(str(y), 15, 1 + i); add(str(y), 15, 4 + i)
        add(v["apprentices"][y], 16, 1 + i); add(v["training"][y], 16, 4 + i)
    for i, t in enumerate(["高级工", "技师", "高级技师", "其他"]):
        add(t, 15, 7 + i); add(v["promoted"][i], 16, 7 + i)
    add("主要业绩", 17, 0); add("(800字以内)\n" + v["achievements"], 17, 1, 1, 10)
    add("所在单位\n工会意见", 18, 0); add("同意推荐\n(公章)\n2021年5月28日", 18, 1, 1, 4)
    add("所在单位人力\n资源部门意见", 18, 5, 1, 2); add("(公章)\n年  月  日", 18, 7, 1, 4)
    return C


def redrawn_cells(v: dict = VALUES, years=YEARS) -> list[tuple]:
    """Another unit's form: other label words, another order, basic data as a header row over
    a value row, years as columns of the benefit table (transposed), a two-column list."""
    C: list[tuple] = []

    def add(t, r, c, rs=1, cs=1):
        C.append((t, r, c, rs, cs))

    # header row of labels over a row of values
    for i, (lab, key) in enumerate([("姓 名", "name"), ("性 别", "gender"), ("出生日期", "birth"),
                                    ("民 族", "ethnicity"), ("文化程度", "education")]):
        add(lab, 0, i); add(v[key], 1, i)
    add("公民身份号码", 2, 0); add(v["id_number"], 2, 1, 1, 2); add("手机", 2, 3); add(v["phone"], 2, 4)
    add("职业技能等级", 3, 0); add(v["skill_level"], 3, 1, 1, 2); add("专业技术职称", 3, 3); add(v["title"], 3, 4)
    add("政治面貌", 4, 0); add(v["politics"], 4, 1, 1, 2); add("现任职务", 4, 3); add(v["position"], 4, 4)
    add("工作单位", 5, 0); add("开封市某某机械制造有限公司", 5, 1, 1, 4)
    add("工作简历", 6, 0); add(v["resume"], 6, 1, 1, 4)
    add("主要事迹", 7, 0); add(v["achievements"], 7, 1, 1, 4)
    add("所获荣誉", 8, 0); add(v["honors"], 8, 1, 1, 4)
    # transposed benefit table: years across, figures down
    add("年份", 9, 0)
    for i, y in enumerate(years):
        add(f"{y}年", 9, 1 + i)
    add("创造效益", 10, 0)
    add("节约资金", 11, 0)
    for i, y in enumerate(years):
        add(v["created"][y] + "万元", 10, 1 + i)
        add(v["saved"][y], 11, 1 + i)
    add("专利数量", 12, 0); add("发明专利", 12, 1); add(v["invention"], 12, 2)
    add("实用新型/外观设计", 12, 3); add(v["utility"], 12, 4)
    return C
