"""Follow-ups that name no topic of their own lean on the previous answer: 「分别是哪几个」
after a count lists the issues counted (of that report, not the store), 「第二个现在进展到哪了」
asks the second item's status, 「涉及多少笔」 a figure of the issue just answered, 「为什么还没
完成」 what is still open in each item just listed. A question naming its own body or topic
does not lean. Two layouts (field blocks, a prose area with status tags) and a third report
in the store, so that a follow-up losing its scope would show."""
from __future__ import annotations

import pytest

from assistant.understanding import Intent, understand
from conftest import assistant_over

pytestmark = pytest.mark.slow

FIELDS = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
          "一、整改工作开展情况\n"
          "局党组对照反馈问题，制定整改措施17条，已落实14条。\n"
          "二、巡察反馈问题整改情况\n"
          "问题1：村级学校财务管理不规范，存在白条入账问题。\n"
          "整改措施：一是对全县学校2021年以来的财务凭证全面清查，发现白条入账43笔、金额5.61万元，已全部补齐票据。\n"
          "整改进展：已完成。\n"
          "问题2：学前教育普惠发展推进缓慢。\n"
          "整改措施：一是新建公办幼儿园2所，其中1所正在进行室内装修。\n"
          "整改进展：正在整改。\n"
          "问题3：乡村教师流失较多。\n"
          "整改措施：一是招聘乡村教师98名，音乐美术教师缺口仍然较大，此项工作正在持续推进。\n"
          "整改进展：正在整改。\n")
PROSE = ("中共白溪县卫生健康局党组关于县委巡察整改情况的报告\n"
         "一、巡察反馈问题整改落实情况\n"
         "（一）关于“村卫生室财务管理不规范、存在白条入账”的问题\n"
         "整改情况：对全县村卫生室财务凭证全面清查，发现白条入账27笔、金额2.36万元，已全部补齐票据。【已完成】\n"
         "（二）关于“基层医疗人才流失”的问题\n"
         "整改情况：定向招聘乡村医生24名，另有6个岗位正在招聘。【整改中】\n"
         "（三）关于“医疗废物管理不规范”的问题\n"
         "整改情况：新建医疗废物暂存间3处，其余2处正在建设。【整改中】\n")
OTHER = ("中共丰宁市民政局党组关于市委巡察整改情况的报告\n"
         "一、整改工作开展情况\n"
         "通过整改，追回违规领取的低保金、临时救助资金等费用共计17.63万元。\n"
         "二、巡察反馈问题整改情况\n"
         "问题1：养老服务设施建设滞后。\n"
         "整改措施：一是新建街道综合养老服务中心21个，其余5个正在建设。\n"
         "整改进展：正在整改。\n"
         "问题2：低保审核把关不严。\n"
         "整改措施：一是逐户核查，追回违规领取的低保金6.85万元。\n"
         "整改进展：已完成。\n")

BODIES = [("青禾县教育局", "FIELDS"), ("白溪县卫生健康局", "PROSE")]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"fields.txt": FIELDS, "prose.txt": PROSE, "other.txt": OTHER})


def _talk(bot, *questions):
    history, answer = [], None
    for question in questions:
        answer = bot.ask(question, history=history)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return answer


@pytest.mark.parametrize("body", [b for b, _ in BODIES])
def test_which_ones_after_a_count_lists_the_issues_counted(bot, body):
    answer = _talk(bot, f"{body}还在整改的有几个？", "分别是哪几个？")
    assert answer.answered and answer.intent == "list"
    assert "养老" not in answer.answer and "丰宁" not in answer.answer     # the scope is kept
    assert len(answer.items) == 2


@pytest.mark.parametrize("body, second", [("青禾县教育局", "乡村教师"), ("白溪县卫生健康局", "医疗废物")])
def test_how_far_the_nth_item_got_is_its_status(bot, body, second):
    answer = _talk(bot, f"{body}哪些问题还在整改？", "第二个现在进展到哪了？")
    assert answer.answered and answer.intent == "status"
    assert second in answer.answer


@pytest.mark.parametrize("body, figure", [("青禾县教育局", "43笔"), ("白溪县卫生健康局", "27笔")])
def test_a_figure_asked_with_no_topic_is_of_the_issue_just_answered(bot, body, figure):
    answer = _talk(bot, f"{body}白条入账的问题是怎么整改的？", "涉及多少笔？")
    assert answer.answered and figure in answer.answer


@pytest.mark.parametrize("body, open_parts", [("青禾县教育局", ("正在进行室内装修", "正在持续推进")),
                                               ("白溪县卫生健康局", ("正在招聘", "正在建设"))])
def test_why_still_open_after_a_list_tells_each_item_open_part(bot, body, open_parts):
    answer = _talk(bot, f"{body}哪些问题还在整改？", "为什么还没完成？")
    assert answer.answered
    assert all(p in answer.answer for p in open_parts)


def test_a_count_asked_again_counts_the_same_things(bot):
    answer = _talk(bot, "青禾县教育局一共定了多少条整改措施？", "落实了多少条？")
    assert answer.answered and "14条" in answer.answer


@pytest.mark.parametrize("body, measure", [("青禾县教育局", "新建公办幼儿园2所"), ("白溪县卫生健康局", "新建医疗废物暂存间3处")])
def test_other_measures_asked_for_stay_with_the_issue(bot, body, measure):
    topic = "学前教育" if body == "青禾县教育局" else "医疗废物"
    answer = _talk(bot, f"{body}{topic}的问题是怎么整改的？", "还有别的措施吗？")
    assert answer.answered and measure in answer.answer
    assert "丰宁" not in answer.answer


def test_who_is_responsible_is_refused_where_no_one_is_named(bot):
    # counter-example: a person asked with no words of its own is not pinned to any sentence
    answer = _talk(bot, "白溪县卫生健康局医疗废物的问题是怎么整改的？", "谁负责的？")
    assert not answer.answered


def test_a_question_naming_its_own_body_does_not_lean(bot):
    # counter-example: a new body named, a new scope
    answer = _talk(bot, "青禾县教育局还在整改的有几个？", "丰宁市民政局有几个问题？")
    assert answer.answered and "丰宁市民政局" in answer.answer and "青禾" not in answer.answer


def test_a_part_of_the_figure_just_answered_is_stated_where_it_was_done(bot):
    answer = _talk(bot, "丰宁市民政局整改一共追回了多少钱？", "其中低保金是多少？")
    assert answer.answered and "6.85万元" in answer.answer
    assert "17.63万元" not in answer.answer      # the whole that lists it is no answer


def test_a_figure_of_a_part_is_no_filter_of_the_previous_list():
    # counter-example: 其中…是多少 asks a figure, not which of the items
    assert understand("其中低保金是多少？").wants_number
    assert understand("这几个里面哪个跟医保有关？").intent is not Intent.HOW
