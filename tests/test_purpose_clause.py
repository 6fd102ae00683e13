"""A question opening with why the user asks (「做警示教育课件，要列出…」「填统计表要一个数：…」):
its words are tried without the purpose when the whole topic matches no issue, and 「几类…
分别是什么」 asks for a list. A purpose clause that names the topic keeps it."""
from __future__ import annotations

import pytest

from assistant.understanding import Intent, understand
from conftest import assistant_over

HOSPITAL = ("中共青禾市中心医院委员会关于巡察整改进展情况的通报\n"
            "一、反馈问题整改情况\n"
            "（一）反馈问题：存在违规发放津补贴情况。\n"
            "(1)以“学习强国”名义发放奖励金。\n整改情况：清退违规发放的全部奖励费用。\n"
            "(2)评审劳务费发放不规范。\n整改情况：清退违规发放的评审劳务费。\n"
            "（二）反馈问题：医疗设备管理不规范。\n"
            "(3)医疗设备闲置。\n整改情况：调剂使用闲置设备5台。\n"
            "(4)设备维保合同执行不力。\n整改情况：收回未出质保期设备维保款。\n")
SCHOOLS = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
           "一、巡察反馈问题整改落实情况\n"
           "1．关于“校舍安全排查不彻底”的问题\n整改情况：排查校舍126栋，整改隐患31处。【持续推进】\n"
           "2．关于“违规发放津补贴”的问题\n整改情况：清退违规发放的补贴12.6万元。【已完成】\n"
           "3．关于“教师培训经费使用不规范”的问题\n整改情况：修订经费管理办法。【持续推进】\n")


def test_several_kinds_asked_each_by_name_is_a_list():
    assert understand("查出的几类不该发的钱分别是什么名目？").intent is Intent.LIST
    # counter-example: 这几类 points back, and a figure of kinds is no list
    assert understand("一共查出几类问题？").intent is not Intent.LIST


def test_the_words_only_an_opening_purpose_holds():
    query = understand("做八项规定警示教育课件，要列出二院违规发放的钱")
    assert "课件" in query.purpose_terms and "违规" not in query.purpose_terms
    # counter-examples: a first clause that asks, or one with no purpose, holds none
    assert understand("城投多付工程款的问题，整改到哪一步了？").purpose_terms == []
    assert understand("哪些问题还没改完，列一下").purpose_terms == []


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "schools.txt": SCHOOLS})


@pytest.mark.slow
@pytest.mark.parametrize("question, wanted, other", [
    ("做八项规定警示教育课件，要列出中心医院被巡察查出的几类不该发的钱分别是什么名目。", "评审劳务费", "医疗设备闲置"),
    ("准备廉政谈话材料，要列出青禾县教育局违规发放的问题", "违规发放津补贴", "校舍安全"),
])
def test_a_list_behind_a_purpose_is_filtered_by_what_is_asked(bot, question, wanted, other):
    answer = bot.ask(question)
    assert answer.answered and wanted in answer.answer
    assert other not in answer.answer


@pytest.mark.slow
def test_a_purpose_naming_the_topic_keeps_it(bot):
    answer = bot.ask("准备去督导青禾县教育局校舍安全和教师培训经费两件事，列出涉及的问题")
    assert "校舍安全" in answer.answer and "教师培训经费" in answer.answer
    assert "违规发放" not in answer.answer
