"""Personal data masking (audit.privacy): vectors both ways, and the spans behind them."""
from __future__ import annotations

import pytest

from audit.privacy import KEEP, mask, mask_text, sensitive_spans
from reports import mask as reports_mask

# (text, masked): what must be hidden, and how
MASKED = [
    # resident ID numbers: region and last 4 stay
    ("身份证号：410202197805061234。", "身份证号：410202********1234。"),
    ("41020219780506123x", "410202********123x"),
    ("公民身份号码410203198507150031", "公民身份号码410203********0031"),
    ("旧证号 360426910101007", "旧证号 360426*****1007"),          # 15 digits (before 1999)
    ("身份证号 ４１０２０２１９７８０５０６１２３４", "身份证号 ４１０２０２********１２３４"),  # full-width
    ("410200196101208636（校验码错误）", "410200********8636（校验码错误）"),  # a wrong ID is masked too
    ("身份证号 41020219780506l234", "身份证号 410202********l234"),         # OCR: l for 1
    ("41O2O219780506123X", "41O2O2********123X"),                           # OCR: O for 0
    # mobiles: 3 + 4 stay
    ("电话 13812345678。", "电话 138****5678。"),
    ("手机：138-1234-5678", "手机：138-****-5678"),
    ("手机 138 1234 5678", "手机 138 **** 5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("+8613812345678", "+86138****5678"),
    # landlines: area code and last 4 stay
    ("联系电话：0371-23456789", "联系电话：0371-****6789"),
    ("0371－2345678", "0371－***5678"),
    ("(0371)23456789", "(0371)****6789"),
    ("（0371）2345678转801", "（0371）***5678转801"),
    ("010-62345678", "010-****5678"),
    ("0371 25665219", "0371 ****5219"),
    ("办公电话：037125665219", "办公电话：0371****5219"),             # no separator, after a label
    ("联系电话：25665219", "联系电话：****5219"),                    # no area code, after a label
    ("传真 0371-25665219，电话 13812345678", "传真 0371-****5219，电话 138****5678"),
    # addresses after a label: province / city / county stay
    ("地址：河南省开封市龙亭区北门大街12号", "地址：河南省开封市龙亭区*******"),
    ("住址河南省开封市鼓楼区某某路12号", "住址河南省开封市鼓楼区******"),
    ("家庭住址 开封市兰考县城关镇王庄村3组12号 邮编475000", "家庭住址 开封市兰考县*********** 邮编475000"),
    ("通讯地址：开封市顺河回族区建业小区5栋2单元302，电话0371-23456789",
     "通讯地址：开封市顺河回族区************，电话0371-****6789"),
    ("现住址：开封市祥符区朱仙镇", "现住址：开封市祥符区***"),
    ("联系地址: 郑州市金水区花园路1号", "联系地址: 郑州市金水区*****"),
    ("居住地址：河南省兰考县东坝头乡张庄村", "居住地址：河南省兰考县*******"),
    ("地址：某某路12号", "地址：******"),                            # no region: all of it
    ("家庭住址：北京市朝阳区建国路88号1单元", "家庭住址：北京市朝阳区*********"),
    ("地址：开封市示范区宋城路", "地址：开封市******"),              # not a county in the table
    ("地址：河南省开封市龙亭区北门大街12号（邮编475000）", "地址：河南省开封市龙亭区********邮编475000）"),  # a postcode is no personal data
    ("监督电话：0371-25665219", "监督电话：0371-****5219"),
    # house numbers anywhere, after a street or community name
    ("他家住北门大街12号院3号楼2单元501室", "他家住北门大街**************"),
    ("建业小区5栋2单元302", "建业小区********"),
    ("王庄村3组12号", "王庄村*****"),
    ("中山路十二号", "中山路***"),
    # as the sample batches write them
    ("地址：河南省开封市祥符区某某路130号", "地址：河南省开封市祥符区*******"),
    ("身份证号码：41022419800601728X", "身份证号码：410224********728X"),
    ("联系电话：0371-25319080", "联系电话：0371-****9080"),
]

# texts that must come out unchanged
UNCHANGED = [
    "开封市龙亭区总工会",
    "开封市兰考县总工会",
    "推荐单位：开封市尉氏县总工会",
    "专利号 ZL201320035469X",
    "专利号：ZL 2020 2 0773489.7",
    "申请号：201710601862.3",
    "证书编号：KFZGH20200211",
    "职业资格证书编号 1641001002300123",
    "Y000041010000203000123",
    "ISO9001IIII0000000",                                              # letters, not OCR slips
    "统一社会信用代码：91410200MA44XXXX1X",
    "统一社会信用代码：914102007067800051",                         # all digits, a valid USCC
    "金额 125000 元",
    "人民币125,000.00元（12.5万元）",
    "2021年5月12号",
    "2021-05-23至2021-05-27",
    "2003—2004 开封市汴绣厂 汴绣工",
    "汴工〔2021〕12号",
    "豫0202民初12号",
    "合同编号12号",
    "专利权人的姓名或名称、国籍、地址变更等事项记载在专利登记簿上。",
    "乘12路公交车到中山路站",
    "第3号",
    "共计 3 项，总分 15",
    "电话费 200 元，联系方式见附件",
    "鼓楼区、龙亭区、禹王台区",
    "开封市龙亭区北门大街",                                            # a street without a number
    "中山路小学 黄河路街道办事处",
    "开封市第一人民医院",
    "2019年开封市劳动模范",
    "ZL201733860706.2 校验位错误（应为 9）",
    "效益证明 2020:23:16",
    "410202********1234",                                              # already masked
    "0371-****6789",
    "",
]


@pytest.mark.parametrize("raw,masked", MASKED)
def test_masked(raw, masked):
    assert mask_text(raw) == masked
    assert len(mask_text(raw)) == len(raw)


@pytest.mark.parametrize("text", UNCHANGED)
def test_unchanged(text):
    assert mask_text(text) == text
    assert sensitive_spans(text) == []


@pytest.mark.parametrize("text", [r for r, _ in MASKED] + UNCHANGED)
def test_spans_are_what_mask_text_replaces(text):
    spans = sensitive_spans(text)
    chars = list(text)
    for a, b in spans:
        chars[a:b] = "*" * (b - a)
    assert "".join(chars) == mask_text(text)
    # sorted, disjoint, not touching, within the text, each one non-empty
    for (a, b), (c, _) in zip(spans, spans[1:]):
        assert b < c
    assert all(0 <= a < b <= len(text) for a, b in spans)


@pytest.mark.parametrize("raw,masked", MASKED)
def test_mask_is_idempotent(raw, masked):
    assert mask_text(masked) == masked


def test_mask_walks_documents_and_keeps_identifiers():
    doc = {"sha256": "4" * 64, "id": "410202197805061234", "findings": [
        {"message": "住址：开封市龙亭区北门大街12号", "found": {"phones": ["13812345678"], "n": 3},
         "fingerprint": "13812345678"}], "n": 1.5}
    out = mask(doc)
    assert out["sha256"] == "4" * 64 and out["id"] == "410202197805061234"
    f = out["findings"][0]
    assert f["message"] == "住址：开封市龙亭区*******"
    assert f["found"] == {"phones": ["138****5678"], "n": 3}
    assert f["fingerprint"] == "13812345678" and out["n"] == 1.5
    assert {"sha256", "fingerprint", "id"} <= KEEP


def test_reports_mask_reexports_privacy():
    assert reports_mask.mask is mask and reports_mask.mask_text is mask_text and reports_mask.KEEP is KEEP
