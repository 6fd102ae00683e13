"""A comparison of a figure of things inside the reports (「分别关停合并了多少个账号」) quotes
each report's sentence; one of the reports' issues or measures (「哪家反馈的问题多」) is
counted from the records."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共丰宁市第三人民医院委员会关于巡察整改情况的报告\n"
            "一、巡察反馈问题整改情况\n"
            "问题1：意识形态工作责任制落实不到位，网络宣传阵地管理不严。\n"
            "整改措施：一是全面清理院内新媒体账号，关停合并14个。二是建立舆情研判机制。\n"
            "整改进展：已完成。\n"
            "问题2：医疗废物管理不规范。\n"
            "整改措施：一是新建医疗废物暂存间。\n"
            "整改进展：已完成。\n"
            "问题3：合理用药监管不到位。\n"
            "整改措施：一是开展处方点评。\n"
            "整改进展：正在整改。\n")
COLLEGE = ("中共丰宁师范学院委员会关于巡视整改进展情况的通报\n"
           "一、巡视反馈问题整改落实情况\n"
           "（一）关于“意识形态阵地管理存在薄弱环节”的问题\n"
           "整改情况：清理各二级学院新媒体账号，关停合并37个，建立账号备案台账。【已完成】\n"
           "（二）关于“科研经费管理不规范”的问题\n"
           "整改情况：修订科研经费管理办法。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "college.txt": COLLEGE})


@pytest.mark.parametrize("question", ["三院和丰宁师院清理新媒体账号，分别关停合并了多少个？",
                                      "丰宁师院跟三院各关停合并了几个新媒体账号？"])
def test_a_figure_of_things_is_quoted_from_each_report(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "关停合并14个" in answer.answer and "关停合并37个" in answer.answer
    assert "问题共" not in answer.answer        # no count of issues


def test_a_count_of_issues_is_compared_from_the_records(bot):
    # counter-example: the question counts the reports' issues
    answer = bot.ask("三院和丰宁师院哪家反馈的问题多？")
    assert answer.answered
    assert "3个" in answer.answer and "2个" in answer.answer


@pytest.mark.parametrize("question, aggregate", [
    ("三院、丰宁师院这几家，谁最早收到反馈意见？", False),     # 这几家 points at the bodies
    ("三院和丰宁师院哪家反馈的问题多？", True),
    ("三院和丰宁师院各有几个问题？", True)])
def test_which_comparisons_are_counted_from_the_records(question, aggregate):
    from assistant.handlers.compare import compare_is_aggregate
    from assistant.understanding import understand

    assert compare_is_aggregate(question, understand(question, [], 2, True)) is aggregate
