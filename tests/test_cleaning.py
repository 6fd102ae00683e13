"""Web-boilerplate cleaning on the real sample reports: debris goes, every body character stays."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cleaning import clean_document, strip_web_boilerplate

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"

COUNTY = "county-health-2024.txt"
CHENZHOU = "chenzhou-second-hospital-2025.txt"

# The debris lines of each sample, found by reading the files (not by the code under test).
DEBRIS = {
    COUNTY: ["天天 分享 时间:", "35 2915980", '");'],
    CHENZHOU: [
        "Copyright © 2024 郴州市第二人民医院 All Rights Reserved 咨询电话:0735-2299120\xa0\xa02891605\xa0\xa0"
        "投诉举报:电话:0735-2812369;电子邮箱YB7510120@163.com\xa0\xa0湘ICP备19026149号",
    ],
}


def _raw(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def _non_whitespace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@pytest.fixture(scope="module", params=[COUNTY, CHENZHOU])
def sample(request):
    raw = _raw(request.param)
    return request.param, raw, clean_document(raw)


# --- the real samples -----------------------------------------------------------------

def test_debris_lines_are_present_in_the_raw_samples(sample):
    name, raw, _ = sample
    lines = raw.split("\n")
    for debris in DEBRIS[name]:
        assert debris in lines


def test_debris_lines_are_removed(sample):
    name, _, cleaned = sample
    lines = cleaned.split("\n")
    for debris in DEBRIS[name]:
        assert debris not in lines


def test_every_other_non_whitespace_character_survives_in_order(sample):
    name, raw, cleaned = sample
    expected = "\n".join(line for line in raw.split("\n") if line not in DEBRIS[name])
    assert _non_whitespace(cleaned) == _non_whitespace(expected)


def test_kept_lines_are_unchanged_except_trailing_spaces(sample):
    name, raw, cleaned = sample
    kept = [line.rstrip() for line in raw.split("\n") if line.strip() and line not in DEBRIS[name]]
    assert [line for line in cleaned.split("\n") if line.strip()] == kept


def test_no_run_of_more_than_two_blank_lines_remains(sample):
    _, _, cleaned = sample
    assert "\n\n\n\n" not in cleaned


def test_county_script_remnant_at_the_end_is_gone():
    cleaned = clean_document(_raw(COUNTY))
    assert "2915980" not in cleaned
    assert cleaned.rstrip().endswith("切实以整改落实新成效助推全县卫生健康事业高质量发展。")


def test_county_share_widget_is_gone_but_both_title_lines_stay():
    cleaned = clean_document(_raw(COUNTY))
    assert "分享" not in cleaned
    title = "县委巡察组关于医疗服务领域专项巡察整改情况报告"
    assert cleaned.split("\n")[:3] == [title, "", title]


def test_chenzhou_title_date_line_signature_and_contact_sentence_remain():
    cleaned = clean_document(_raw(CHENZHOU))
    lines = [line.strip() for line in cleaned.split("\n") if line.strip()]
    assert lines[0] == "中共郴州市第二人民医院委员会关于巡察整改进展情况的通报"
    assert "发布时间: 2025-09-30" in lines
    assert "中共郴州市第二人民医院委员会" in lines
    assert lines[-1] == "2025年9月15日"
    assert "欢迎广大干部群众对我院巡察整改落实情况进行监督。如有意见建议,请及时向我们反映。" in cleaned


def test_chenzhou_footer_is_gone_but_the_contact_email_in_the_body_stays():
    cleaned = clean_document(_raw(CHENZHOU))
    assert "ICP备" not in cleaned
    assert "Copyright" not in cleaned
    assert "电子邮箱YB7510120@163.com。" in cleaned


def test_cleaning_is_idempotent(sample):
    _, _, cleaned = sample
    assert clean_document(cleaned) == cleaned


# --- the rules, one at a time ----------------------------------------------------------

@pytest.mark.parametrize("widget", [
    "天天 分享 时间:",
    "【字号：大 中 小】【打印】【关闭】",
    "分享到： 微信 微博 QQ空间",
    "浏览次数：1234",
    "来源：   时间：",
    "【收藏】 【返回顶部】",
])
def test_widget_lines_are_removed(widget):
    assert strip_web_boilerplate(f"正文第一段。\n{widget}\n正文第二段。\n") == "正文第一段。\n正文第二段。\n"


@pytest.mark.parametrize("line", [
    "发布时间: 2025-09-30",
    "来源：郴州市卫生健康委员会",
    "（一）加强政治建设，思想不松。",
    "中共郴州市第二人民医院委员会",
    "大中小学校园周边",                       # widget characters inside a real phrase
    "时间：2024年1月",
    "2025年9月15日",
])
def test_metadata_and_body_lines_are_kept(line):
    text = f"正文第一段。\n{line}\n正文第二段。\n"
    assert strip_web_boilerplate(text) == text


def test_body_sentence_mentioning_technical_support_is_kept_even_at_the_end():
    text = "正文。\n下一步将继续为基层医疗机构提供技术支持。\n"
    assert strip_web_boilerplate(text) == text


def test_weak_footer_lines_at_the_end_are_removed():
    text = "正文。\n\n2025年9月15日\n\n主办单位：某县卫生健康局 版权所有\n技术支持：某某网络科技有限公司\n"
    assert strip_web_boilerplate(text) == "正文。\n\n2025年9月15日\n"


def test_weak_footer_words_in_the_middle_are_kept():
    text = "主办单位：某县卫生健康局\n正文。\n"
    assert strip_web_boilerplate(text) == text


def test_digit_lines_are_removed_only_at_the_end():
    text = "（二）\n2023\n正文。\n35 2915980\n\");\n"
    assert strip_web_boilerplate(text) == "（二）\n2023\n正文。\n"


def test_removed_line_does_not_leave_a_double_gap():
    assert strip_web_boilerplate("标题\n\n天天 分享 时间:\n\n正文。\n") == "标题\n\n正文。\n"


def test_three_or_more_blank_lines_become_two():
    assert strip_web_boilerplate("甲。\n\n\n\n\n乙。\n") == "甲。\n\n\n乙。\n"


def test_inner_whitespace_is_kept_and_trailing_spaces_dropped():
    text = "\u2002\u2002一、组织整改落实情况  \n\xa0 \xa0 2025年9月15日\n"
    assert strip_web_boilerplate(text) == "\u2002\u2002一、组织整改落实情况\n\xa0 \xa0 2025年9月15日\n"


def test_text_without_debris_is_unchanged():
    text = "标题\n\n一、整改情况\n\n（一）问题。整改情况：已完成。\n"
    assert clean_document(text) == text
