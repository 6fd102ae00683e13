"""「文号是多少」 asks for a document number (鹤教党〔2024〕21号): the sentence holding one
answers, though it never says 文号; a report that gives the plan without its number is
refused, not answered with another figure of the same sentence."""
from __future__ import annotations

import pytest

from assistant.understanding import understand
from conftest import assistant_over

NUMBERED = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
            "一、整改工作开展情况\n"
            "对照反馈的12个问题，局党组于7月26日印发《落实县委巡察反馈意见整改工作方案》"
            "（青教党〔2024〕21号），制定整改措施41条。\n"
            "二、巡察反馈问题整改情况\n"
            "问题1：学前教育普惠发展推进缓慢。\n"
            "整改措施：一是新建公办幼儿园2所。\n"
            "整改进展：已完成。\n")
LEDGER = ("白溪区市场监督管理局审计发现问题整改台账\n"
          "序号\t审计发现问题\t整改措施\t完成情况\n"
          "1\t项目支出预算执行率偏低，执行率61.4%。\t建立预算执行月通报制度。\t已完成\n"
          "说明：本台账所列问题来源于区审计局《审计报告》（白审报[2024]23号）。\n")
UNNUMBERED = ("中共青石镇委员会关于县委巡察整改情况的报告\n"
              "一、整改工作开展情况\n"
              "对照反馈的18个问题，镇党委于8月2日印发整改工作方案，制定整改措施52条。\n"
              "二、巡察反馈问题整改情况\n"
              "问题1：村级工程项目管理不规范。\n"
              "整改措施：一是核查7个村级工程项目。\n"
              "整改进展：已完成。\n")


@pytest.mark.parametrize("question", ["整改工作方案的文号是多少？", "方案的发文字号是什么？"])
def test_a_document_number_is_a_kind_of_figure_asked(question):
    query = understand(question)
    assert query.unit == "docno"
    assert not query.counted          # 多少 after 文号 counts nothing


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"qinghe.txt": NUMBERED, "baixi.txt": LEDGER, "qingshi.txt": UNNUMBERED})


@pytest.mark.slow
@pytest.mark.parametrize("question, number", [
    ("青禾县教育局落实巡察反馈意见的整改工作方案，文号是多少？", "青教党〔2024〕21号"),
    ("白溪区市场监管局这次审计报告的文号是多少？", "白审报[2024]23号"),
])
def test_the_sentence_holding_a_document_number_answers(bot, question, number):
    answer = bot.ask(question)
    assert answer.answered and number in answer.answer
    assert number in answer.citations[0].text


@pytest.mark.slow
def test_a_plan_given_without_its_number_is_refused(bot):
    # counter-example: the sentence names the plan and holds figures, but no number of it
    answer = bot.ask("青石镇的整改工作方案文号是多少？")
    assert not answer.answered
