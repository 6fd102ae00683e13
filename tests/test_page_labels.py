"""Issue positions in words for the cards (assistant/issue_labels.py), one numbering style each."""
from __future__ import annotations

from assistant.issue_labels import MAX_HEADLINE_CHARS, issue_position


def test_three_level_numbering_reads_as_part_section_item():
    assert issue_position(["二", "（二）", "3"], "二（二）3", "执行政策规定不严") == "第二部分（二）第3项：执行政策规定不严"


def test_a_fourth_level_paren_number_is_a_sub_item():
    assert issue_position(["二", "（一）", "1", "（1）"], "（1）", "结余药品使用不规范") == \
        "第二部分（一）第1项之（1）：结余药品使用不规范"


def test_di_yi_tiao_numbering_keeps_its_own_unit():
    assert issue_position(["第一条"], "第一条", "院长负责制执行不到位") == "第一条：院长负责制执行不到位"
    assert issue_position(["二", "（一）", "第一"], "第一", "三重一大") == "第二部分（一）第一项：三重一大"


def test_arabic_number_alone_is_an_item():
    assert issue_position(["1"], "1", "养老服务设施不足") == "第1项：养老服务设施不足"


def test_a_lone_paren_number_is_an_item_not_a_bare_label():
    assert issue_position(["（2）"], "（2）", "医保结算不规范") == "第（2）项：医保结算不规范"


def test_table_row_is_named_by_its_serial_number():
    assert issue_position(["一", "1"], "1", "细颗粒物浓度超标", row=True) == "第一部分，序号1：细颗粒物浓度超标"


def test_word_numbered_issue_keeps_its_word():
    assert issue_position(["第二", "问题一"], "问题一", "药品采购监管缺位") == "第二部分问题一：药品采购监管缺位"


def test_long_headline_is_cut_with_an_ellipsis():
    title = "执行政策规定不严格导致部分医疗机构未按要求落实分级诊疗制度相关要求的问题"
    words = issue_position(["二", "（二）", "3"], "二（二）3", title)
    assert words.endswith("……") and len(words.split("：", 1)[1]) == MAX_HEADLINE_CHARS + 2


def test_headline_loses_its_wenti_prefix():
    assert issue_position(["三", "13"], "13", "问题：选人用人工作不够规范") == "第三部分第13项：选人用人工作不够规范"


def test_no_numbers_falls_back_to_label_then_title():
    assert issue_position([], "（5）", "") == "第（5）项"
    assert issue_position([], "", "未编号的问题") == "未编号的问题"
    assert issue_position([], "", "") == ""
