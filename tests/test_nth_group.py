"""「第二个方面是什么」「第二个方面有哪些问题」 name one feedback group: in a report whose
issues sit under group headings, that group; in one whose records are the aspects
themselves (（一）关于…方面), the Nth record. One past the last is refused with the count."""
from __future__ import annotations

import pytest

from assistant.understanding import Intent, understand
from conftest import assistant_over

pytestmark = pytest.mark.slow

GROUPED = ("中共青禾市交通投资集团有限公司委员会关于市委巡察整改情况的报告\n"
           "一、关于贯彻落实上级决策部署方面的问题\n"
           "1、问题：重点项目推进迟缓。\n整改措施：倒排工期。\n完成情况：已完成。\n"
           "2、问题：安全生产责任落实不到位。\n整改措施：开展专项检查。\n完成情况：已完成。\n"
           "二、关于国有资产管理方面的问题\n"
           "3、问题：闲置房产长期未盘活。\n整改措施：公开招租。\n完成情况：已完成。\n"
           "4、问题：资产台账不健全。\n整改措施：建立台账。\n完成情况：正在推进。\n"
           "三、关于干部队伍建设方面的问题\n"
           "5、问题：专业人才短缺。\n整改措施：引进人才。\n完成情况：长期坚持。\n"
           "6、问题：干部交流轮岗不足。\n整改措施：推行轮岗。\n完成情况：已完成。\n")
ASPECTS = ("中共青禾学院委员会关于巡视整改进展情况的通报\n\n"
           "一、学院党委履行巡视整改主体责任情况\n\n"
           "学院党委成立巡视整改工作领导小组，对照巡视反馈的3个方面意见逐项细化分解。\n\n"
           "二、巡视反馈问题整改落实情况\n\n"
           "（一）关于意识形态工作责任制落实方面\n\n"
           "针对巡视指出的意识形态工作责任制落实不到位等问题，主要采取了以下措施：\n\n"
           "一是修订《学院意识形态工作责任制实施办法》，制定责任清单。\n\n"
           "二是加强阵地管理，2024年上半年审批各类讲座286场。\n\n"
           "（二）关于服务地方经济社会发展方面\n\n"
           "针对巡视指出的服务地方能力不强等问题，主要采取了以下措施：\n\n"
           "一是与地方共建产业学院3个。\n\n"
           "二是选派科技特派员26名。\n\n"
           "（三）关于基层党组织建设方面\n\n"
           "针对巡视指出的院系党组织政治功能发挥不够充分等问题，主要采取了以下措施：\n\n"
           "一是调整党支部设置12个。\n\n"
           "二是教师党支部书记“双带头人”占比提高到100%。\n\n"
           "三、下一步工作打算\n\n"
           "学院党委将持续巩固整改成果。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"grouped.txt": GROUPED, "aspects.txt": ASPECTS})


def test_what_the_nth_group_is_asks_for_that_group():
    assert understand("第二个方面是什么？").intent is Intent.LIST
    # counter-example: an issue's own figure is no group
    assert understand("第二个问题的整改时限是什么？").intent is not Intent.LIST


@pytest.mark.parametrize("question", ["交投集团巡察反馈的第二个方面是什么？", "交投集团第二个方面有哪些问题？"])
def test_the_nth_group_heading_and_its_issues(bot, question):
    answer = bot.ask(question)
    assert "国有资产管理" in answer.answer and "闲置房产" in answer.answer and "资产台账" in answer.answer
    assert "专业人才短缺" not in answer.answer and "重点项目" not in answer.answer


@pytest.mark.parametrize("question", ["青禾学院巡视反馈的第二个方面是什么？", "青禾学院第二个方面有哪些问题？"])
def test_the_nth_aspect_when_the_records_are_the_aspects(bot, question):
    answer = bot.ask(question)
    assert "服务地方经济社会发展" in answer.answer
    assert "意识形态" not in answer.answer and "基层党组织" not in answer.answer


@pytest.mark.parametrize("name, count", [("交投集团", 3), ("青禾学院", 3)])
def test_one_past_the_last_group_is_refused_with_the_count(bot, name, count):
    answer = bot.ask(f"{name}第四个方面有哪些问题？")
    assert not answer.answered and f"只分了{count}个方面" in answer.answer


@pytest.mark.parametrize("name, own, other", [("交投集团", "国有资产管理", "服务地方经济社会发展"),
                                              ("青禾学院", "服务地方经济社会发展", "国有资产管理")])
def test_which_groups_after_how_many_stays_with_the_report(bot, name, own, other):
    history = [{"role": "user", "content": f"{name}巡察反馈了几个方面？"}, {"role": "assistant", "content": "3个方面。"}]
    answer = bot.ask("分别是哪几个方面？", history=history)
    assert own in answer.answer and other not in answer.answer
