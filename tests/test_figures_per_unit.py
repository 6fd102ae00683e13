"""A figure asked per unit (每户补助标准, 每个项目资助多少, 每天平均) is answered only by a
sentence stating a rate, never by a total beside it; the counter-examples state the rate."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

CIVIL = ("中共青禾市民政局党组关于市委巡察反馈意见整改情况的报告\n"
         "一、反馈问题整改落实情况\n"
         "1、关于居家养老服务设施建设滞后的问题。\n"
         "整改情况：为1926户特殊困难老年人家庭实施适老化改造，争取中央和省级补助资金2650万元。"
         "对高龄老人发放高龄津贴，每人每月补助100元。\n")
COLLEGE = ("中共青禾学院委员会关于巡视整改进展情况的通报\n"
           "一、巡视反馈问题整改落实情况\n"
           "（一）关于青年教师培养不够的问题\n"
           "整改情况：设立青年教师成长基金200万元，资助青年教师开展教学科研项目41项。"
           "建成区域审方系统，日均审方达6691次。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"civil.txt": CIVIL, "college.txt": COLLEGE})


@pytest.mark.parametrize("question", ["青禾市民政局适老化改造每户补助标准是多少？",
                                      "青禾学院青年教师成长基金每个项目资助多少钱？"])
def test_a_total_does_not_answer_a_figure_per_unit(bot, question):
    assert not bot.ask(question).answered


@pytest.mark.parametrize("question, figure", [("青禾市民政局高龄津贴每人每月补助多少钱？", "100元"),
                                              ("青禾学院审方系统每天平均审多少次？", "6691次"),
                                              # a total asked is answered by the total
                                              ("青禾学院青年教师成长基金一共多少钱？", "200万元")])
def test_a_rate_answers_a_figure_per_unit(bot, question, figure):
    answer = bot.ask(question)
    assert answer.answered and figure in answer.answer
