"""Attachment 2 (the summary table) as a cell layout: title, unit line, two header rows with
merged group headers, data rows, blank template rows and the notes under the table."""
from __future__ import annotations

LEVELS4 = ["企业级", "地厅级", "省部级", "国家级"]
GROUPS = [
    ("技能竞赛获奖名次", "competition", LEVELS4),
    ("攻关课题及创新成果获奖(项)", "innovation", LEVELS4),
    ("取得专利数量(件)", "patents", ["发明专利", "实用新型", "外观设计"]),
    ("行业标准或操作规范、工作法应用情况(次)", "standards", LEVELS4),
    ("创造经济效益(万元)", "benefit", ["2018", "2019", "2020"]),
    ("签订师带徒协议(份)", "apprentices", ["2018", "2019", "2020"]),
    ("媒体宣传情况(次)", "media", ["地厅级", "省部级", "国家级"]),
]
SINGLES_BEFORE = [("序号", "seq"), ("姓名", "name"), ("工作单位及职务", "employer_position"),
                  ("技术等级/职称/执业资格", "level_title")]
SINGLES_AFTER = [("备注", "remark")]
SUBKEY = {"企业级": "enterprise", "地厅级": "prefecture", "省部级": "provincial", "国家级": "national",
          "发明专利": "invention", "实用新型": "utility", "外观设计": "design"}

ROWS = [
    {"seq": "1", "name": "张建国", "employer_position": "开封市某某机械制造有限公司 班组长",
     "level_title": "高级技师", "competition.enterprise": "1", "competition.national": "",
     "innovation.provincial": "1", "innovation.prefecture": "2", "innovation.enterprise": "3",
     "patents.invention": "2", "patents.utility": "3", "patents.design": "1",
     "standards.enterprise": "1", "benefit.2018": "14.5", "benefit.2019": "23.5",
     "benefit.2020": "31.2", "apprentices.2018": "2", "apprentices.2019": "3",
     "apprentices.2020": "4", "media.prefecture": "2", "media.provincial": "—", "remark": ""},
    {"seq": "2", "name": "李  梅", "employer_position": "开封市某某纺织有限公司 挡车工",
     "level_title": "技师", "competition.prefecture": "1", "patents.invention": "0",
     "patents.utility": "无", "benefit.2018": "5", "benefit.2019": "6", "benefit.2020": "8.8",
     "apprentices.2019": "1", "remark": "省级非遗传承人"},
]


def summary_cells(rows=ROWS, *, groups=GROUPS, singles_before=SINGLES_BEFORE,
                  singles_after=SINGLES_AFTER, blank_rows=2, title=True, unit_line=True) -> list[tuple]:
    C: list[tuple] = []

    def add(t, r, c, rs=1, cs=1):
        C.append((t, r, c, rs, cs))

    keys: list[str] = []
    r0 = (1 if title else 0) + (1 if unit_line else 0)
    c = 0
    for text, key in singles_before:
        add(text, r0, c, 2, 1); keys.append(key); c += 1
    for text, g, subs in groups:
        add(text, r0, c, 1, len(subs))
        for s in subs:
            add(s, r0 + 1, c)
            keys.append(f"{g}.{SUBKEY.get(s, s)}")
            c += 1
    for text, key in singles_after:
        add(text, r0, c, 2, 1); keys.append(key); c += 1
    ncols = c
    if title:
        add("开封工匠推荐人选基本情况汇总表", 0, 0, 1, ncols)
    if unit_line:
        third = ncols // 3
        add("推荐单位(公章)：开封市祥符区总工会", r0 - 1, 0, 1, third)
        add("领导签名：", r0 - 1, third, 1, third)
        add("填表日期：2021年6月8日", r0 - 1, 2 * third, 1, ncols - 2 * third)
    r = r0 + 2
    for row in rows:
        for i, k in enumerate(keys):
            add(row.get(k, ""), r, i)
        r += 1
    for n in range(blank_rows):
        add(str(len(rows) + n + 1), r, 0)
        for i in range(1, ncols):
            add("", r, i)
        r += 1
    add("注：1. 表中“技术等级”指职工技能等级，如技师、高级技师。", r, 0, 1, ncols)
    return C
