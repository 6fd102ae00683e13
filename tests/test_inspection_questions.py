"""Questions about the inspection itself (when it was held, which group, when its findings
were handed over) are answered by the report's opening sentences that say so, in every
layout; a sentence that only mentions the feedback (落实…反馈意见整改方案) does not answer."""
from __future__ import annotations

import pytest

from assistant.inspection import inspection_asked, sentence_kind
from assistant.understanding import understand
from conftest import assistant_over


@pytest.mark.parametrize("text, kind", [
    ("根据县委统一部署，2024年4月8日至5月31日，县委第三巡察组对中共青禾县教育局党组开展了常规巡察。", "held"),
    ("2024年7月12日，县委第三巡察组向县教育局党组反馈了巡察意见。", "handover"),
    ("根据县委统一部署,县委X巡察组于2023年X月X日至X月X日对县人民医院等开展了专项巡察。", "held"),
    ("2024年5月13日至6月21日，区审计局对我局2023年度预算执行情况进行了审计，并于2024年7月26日出具了审计报告。", "both"),
    # counter-examples: the feedback named as a thing, a date after it, or no inspection at all
    ("对照市委第五巡察组反馈的14个问题，局党组于2025年1月27日印发整改方案。", None),
    ("截至2025年3月10日，县委第一巡察组反馈的5个方面18个问题，已整改完成15个。", None),
    ("9月20日，医院党委召开专题会议，传达学习市委巡察反馈意见，研究部署整改工作。", None),
    ("2024年10月至12月，全县开展消防安全大排查。", None),
])
def test_the_opening_sentences_are_told_apart_by_what_they_say(text, kind):
    assert sentence_kind(text) == kind


@pytest.mark.parametrize("question, wanted", [
    ("市委巡察组是哪天向二院反馈意见的？", "handover"),
    ("这几家里谁最早收到反馈意见？", "handover"),
    ("一院和二院，哪家先被市委巡察？", "held"),
    ("这次来巡教育局的是县委第几巡察组？", "held"),
    ("区审计局什么时候来审计的？", "held"),
    # counter-examples: the rectification's own body and a figure of an issue
    ("城投巡察整改工作领导小组是哪天成立的？", None),
    ("巡察指出的17家基层医疗机构中有几家未达标？", None),
    ("省委巡视反馈后，学院党委的专题民主生活会是哪天开的？", None),
    ("巡察期间转办的信访件是哪天办结的？", None),
])
def test_a_question_about_the_inspection_itself_is_recognised(question, wanted):
    assert inspection_asked(question, understand(question)) == wanted


BUREAU = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
          "根据县委统一部署，2024年4月8日至5月31日，县委第三巡察组对中共青禾县教育局党组开展了常规巡察。"
          "2024年7月12日，县委第三巡察组向县教育局党组反馈了巡察意见。\n"
          "一、整改工作开展情况\n"
          "7月20日，局党组印发《落实县委第三巡察组反馈意见整改工作方案》，收到反馈意见后逐条研究。\n"
          "二、反馈问题整改情况\n"
          "1．关于“校舍安全隐患排查不彻底”的问题\n整改情况：排查校舍126栋，整改隐患31处。【已完成】\n")
HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "根据市委统一部署，2023年10月16日至12月22日，市委第二巡察组对青禾市中心医院党委进行了常规巡察，"
            "并于2024年1月19日向医院党委反馈了巡察意见。\n"
            "一、整改工作组织情况\n"
            "医院党委收到反馈意见后，于2月2日审议通过《落实市委第二巡察组反馈意见整改方案》。\n"
            "二、反馈问题整改情况\n"
            "第一条、门诊预约诊疗推进不力。\n整改措施：推行分时段预约。\n整改进展：已完成。预约诊疗率提高到61.2%。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"bureau.txt": BUREAU, "hospital.txt": HOSPITAL})


@pytest.mark.slow
@pytest.mark.parametrize("question, date", [("青禾县教育局是哪天收到巡察反馈意见的？", "7月12日"),
                                            ("中心医院哪天收到市委巡察组的反馈意见？", "2024年1月19日")])
def test_the_handover_date_is_answered_by_the_handover_sentence(bot, question, date):
    answer = bot.ask(question)
    assert answer.answered and date in answer.answer
    assert "反馈了巡察意见" in answer.citations[0].text


@pytest.mark.slow
def test_which_received_the_findings_first_shows_each_handover_date(bot):
    answer = bot.ask("青禾县教育局和中心医院，谁最早收到巡察反馈意见？")
    assert "7月12日" in answer.answer and "2024年1月19日" in answer.answer
    assert not any("整改方案" in c.text for c in answer.citations)


@pytest.mark.slow
def test_which_group_came_is_answered_for_each_side_whatever_spoken_words_surround_it(bot):
    answer = bot.ask("青禾县教育局和中心医院，这两家的巡察是不是同一拨人查的？")
    assert answer.answered
    assert "县委第三巡察组" in answer.answer and "市委第二巡察组" in answer.answer
