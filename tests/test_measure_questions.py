"""Questions about a report's measures (整改措施), not its issues: a status of the measures
is read from the counts the report states, even where it splits no issue by status; the
measures named before the count word are still what is counted; and the measure nouns of
a how-question frame it, they name no issue."""
from __future__ import annotations

import pytest

from conftest import assistant_over

from assistant.understanding import Intent, understand

pytestmark = pytest.mark.slow

COLLEGE = ("中共青禾职业技术学院委员会关于巡视整改进展情况的通报\n"
           "一、整改工作总体情况\n"
           "学院党委对照巡视反馈的3个方面意见，共梳理问题12个，制定整改措施40条，"
           "截至2024年10月31日，已完成31项，其余9项需长期坚持。\n"
           "二、整改落实情况\n"
           "（一）关于落实立德树人根本任务方面\n"
           "修订人才培养方案，新建校外实训基地6个。\n"
           "（二）关于全面从严治党方面\n"
           "开展警示教育4场，处理违规报销2起。\n")
COMPANY = ("中共青禾市交通投资集团有限公司委员会关于巡察整改情况的报告\n"
           "一、反馈问题整改落实情况\n"
           "1.关于“公务用车管理不规范”的问题\n"
           "整改情况：清退违规使用车辆3台，追缴费用1.6万元。【已完成】\n"
           "2.关于“工程招标程序不规范”的问题\n"
           "整改情况：修订招标管理办法。【正在推进】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"college.txt": COLLEGE, "company.txt": COMPANY})


@pytest.mark.parametrize("question", ["青禾职业技术学院那40条措施里还有多少条得长期坚持？",
                                      "青禾职业技术学院的整改措施还有几项需长期坚持？"])
def test_a_status_of_the_measures_is_answered_from_the_stated_counts(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "其余9项需长期坚持" in answer.answer
    assert "不是问题数" not in answer.answer


def test_measures_named_before_the_count_word_are_counted():
    query = understand("交投集团定的40条整改措施，落实了多少条？")
    assert query.intent is Intent.COUNT and query.count_target == "measures"
    # the counter-example: 「分了哪几条」 asks for the measures themselves, not their number
    assert understand("医共体那个问题，整改措施分了哪几条？").count_target == "issues"
    assert understand("这几个问题里落实了多少个？").count_target == "issues"


def test_the_measure_nouns_of_a_how_question_are_no_topic():
    query = understand("护理服务不够优质这一条，采取了哪些整改措施？")
    assert query.intent is Intent.HOW
    assert "护理" in query.topic_terms
    assert not {"整改", "措施", "整改措施"} & set(query.topic_terms)
    # a list question keeps them: 「整改措施涉及培训的问题」 may name them as its topic
    assert "措施" in understand("哪些问题的整改措施涉及培训？").topic_terms
