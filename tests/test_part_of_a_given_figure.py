"""A part asked of a figure the question gives (「那3.86万元里，低保金占了多少」) is answered
only by a sentence stating that part where its whole is stated; a sentence stating the
whole alone, or another part of it, does not answer, and the question is refused."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

TOWN = ("中共青禾镇委员会关于县委巡察反馈问题整改情况的报告\n"
        "一、巡察反馈问题整改落实情况\n"
        "（一）关于惠民补贴资金发放不规范的问题\n"
        "整改情况：对低保金、残疾人补贴等8类资金开展全面核查，追回违规领取资金3.86万元，涉及21户。【已完成】\n"
        "（二）关于专业人才短缺的问题\n"
        "整改情况：2024年引进专业技术人才26名，其中取得注册类执业资格人员11名。【已完成】\n"
        "（三）关于项目资金使用效益不高的问题\n"
        "整改情况：统筹整改资金120万元，其中用于卫生室设备购置45万元。【已完成】\n")
LEDGER = ("中共青禾市人民医院委员会关于市委巡察整改情况的报告\n"
          "一、反馈问题整改情况\n"
          "问题1：医保基金使用不规范。\n"
          "整改措施：开展医保违规收费自查。\n"
          "整改进展：已完成。退回医保基金82.6万元，其中超标准收费45.2万元，串换项目收费37.4万元。\n"
          "问题2：罚没收入未及时上缴。\n"
          "整改措施：罚没收入127.36万元全部缴入国库。\n"
          "整改进展：已完成。\n"
          "问题3：工程结算审核把关不严。\n"
          "整改措施：巡察抽查发现，3个已完工项目多付工程款468.5万元，已全部追回。\n"
          "整改进展：已完成。\n"
          "问题4：基建项目超概算。\n"
          "整改措施：门诊楼、病房楼2个改造项目分别超概算120万元、80万元，已按程序调整概算。\n"
          "整改进展：已完成。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"town.txt": TOWN, "hospital.txt": LEDGER})


@pytest.mark.parametrize("question", ["青禾镇追回的那3.86万元里，低保金占了多少？",
                                      "青禾镇2024年引进的26名专业技术人才里，硕士以上学历的有几个？",
                                      "人民医院的127.36万元罚没收入里，罚款占多少？"])
def test_a_part_the_report_does_not_break_down_is_refused(bot, question):
    assert not bot.ask(question).answered


@pytest.mark.parametrize("question, figure", [
    ("青禾镇2024年引进的26名专业技术人才里，取得注册类执业资格的有几个？", "11名"),
    ("人民医院退回的82.6万元医保基金里，超标准收费的占多少？", "45.2万元"),
    ("人民医院退回的82.6万元医保基金中，串换项目收费的有多少？", "37.4万元")])
def test_a_part_the_report_states_is_answered(bot, question, figure):
    # the counter-examples: the same form of question, a part the sentence states
    answer = bot.ask(question)
    assert answer.answered and figure in answer.answer


def test_a_figure_about_the_given_one_is_no_part(bot):
    # 涉及多少户 asks about the 3.86万元, not a part of it
    answer = bot.ask("青禾镇追回的3.86万元涉及多少户？")
    assert answer.answered and "21户" in answer.answer


@pytest.mark.parametrize("question, part", [("那3.86万元违规补贴里，低保金占了多少？", True),
                                            ("二院2025年党委中心组学习搞了几次？", False),
                                            ("追回的3.86万元涉及多少户？", False)])
def test_reading_the_part_asked(question, part):
    from assistant.understanding import part_terms
    from index.tokenize import normalize
    assert bool(part_terms(normalize(question))) is part


def test_a_figure_of_each_of_several_things_is_not_answered_by_their_total(bot):
    answer = bot.ask("人民医院多付工程款的那3个已完工项目，各自多付了多少？")
    assert not answer.answered and "3项" in answer.answer


def test_figures_stated_for_each_are_answered(bot):
    # the counter-example: the report states one figure for each
    answer = bot.ask("人民医院那2个改造项目各自超概算多少？")
    assert answer.answered and "120万元" in answer.answer and "80万元" in answer.answer


def test_a_part_of_an_amount_named_without_a_figure_is_refused(bot):
    # 「补贴里…低保金那块」: the report states the amount recovered, not its 低保金 part
    assert not bot.ask("青禾镇追回的违规补贴里，低保金那块有多少？").answered


def test_a_part_of_an_amount_the_report_states_is_answered(bot):
    answer = bot.ask("青禾镇整改资金里，用于设备购置的有多少？")
    assert answer.answered and "45万元" in answer.answer


def test_reading_the_part_of_an_amount():
    from assistant.understanding import money_part_terms
    from index.tokenize import normalize
    assert "低保金" in money_part_terms(normalize("追回的违规补贴里，低保金那块有多少？"))
    assert "互联网" in money_part_terms(normalize("投的钱里，有多少是用在互联网医院建设上的？"))
    assert money_part_terms(normalize("那3.86万元补贴里，低保金占多少？")) == []    # a figure given: part_terms
