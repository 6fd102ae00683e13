"""A report that marks no issue's status answers no list by status; asked whether it says
which are finished (「通报里逐条说了吗」), the answer is that it does not, with what it does
state about its measures; asked to list them (「逐条列一下」), it refuses."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

COLLEGE = ("中共青禾学院委员会关于巡视整改进展情况的通报\n\n"
           "一、学院党委履行巡视整改主体责任情况\n\n"
           "学院党委对照巡视反馈的3个方面意见，共梳理问题21个，制定整改措施40条，截至2024年6月30日，"
           "已完成35项，其余5项需长期推进。\n\n"
           "二、巡视反馈问题整改落实情况\n\n"
           "（一）关于意识形态工作责任制落实方面\n\n"
           "针对巡视指出的意识形态工作责任制落实不到位等问题，主要采取了以下措施：\n\n"
           "一是修订《学院意识形态工作责任制实施办法》。\n\n"
           "（二）关于服务地方经济社会发展方面\n\n"
           "针对巡视指出的服务地方能力不强等问题，主要采取了以下措施：\n\n"
           "一是与地方共建产业学院3个。\n\n"
           "（三）关于基层党组织建设方面\n\n"
           "针对巡视指出的院系党组织政治功能发挥不够充分等问题，主要采取了以下措施：\n\n"
           "一是调整党支部设置12个。\n")
BUREAU = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
          "一、巡察反馈问题整改落实情况\n"
          "1．关于“校舍安全排查不彻底”的问题\n整改情况：排查校舍126栋。【已完成】\n"
          "2．关于“乡村教师流失较多”的问题\n整改情况：招聘教师137名。【持续推进】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"college.txt": COLLEGE, "bureau.txt": BUREAU})


@pytest.mark.parametrize("question", ["青禾学院具体是哪几个问题还没改完？通报里逐条说了吗？",
                                      "青禾学院哪些问题还没整改完，报告里有没有写？"])
def test_asked_whether_the_report_says_it_the_answer_is_what_it_does_say(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "未区分已完成和正在整改" in answer.answer and "其余5项" in answer.answer


def test_asked_to_list_them_it_refuses(bot):
    # the counter-examples: a list asked of the report without status refuses; a report
    # with status tags lists
    assert not bot.ask("青禾学院21个问题里，哪些已经销号了？逐条列一下").answered
    listed = bot.ask("青禾县教育局哪些问题还没改完？")
    assert listed.answered and "乡村教师流失" in listed.answer and "校舍安全" not in listed.answer
