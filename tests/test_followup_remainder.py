"""「剩下的…」 asked after an answer about one issue: the rest of that issue. Where its record
names the rest (剩余…/其余…), that sentence answers, and the word the question denies
(没追回来) is not sought in it; a record naming no rest answers as before."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

COMPANY = ("中共青禾市水务集团有限公司委员会关于巡察整改情况的报告\n"
           "一、反馈问题整改落实情况\n"
           "1.关于“工程结算把关不严，多付工程款”的问题\n"
           "整改情况：对4个项目重新审核结算，已追回多付工程款210万元；"
           "剩余48.6万元已向青禾仲裁委员会申请仲裁，目前正在审理中。"
           "对负有审核责任的2名工作人员进行问责。【正在推进】\n"
           "2.关于“供水管网漏损率偏高”的问题\n"
           "整改情况：更换老旧管网12公里，漏损率降至9.8%。【已完成】\n")
BUREAU = ("中共青禾县文化旅游局党组关于巡察整改情况的报告\n"
          "一、反馈问题整改落实情况\n"
          "1.关于“乡镇综合文化站建设滞后”的问题\n"
          "整改情况：全县18个乡镇中已建成文化站11个，计划2025年10月底前实现全覆盖。【正在推进】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"company.txt": COMPANY, "bureau.txt": BUREAU})


def _after(bot, first: str, then: str):
    answer = bot.ask(first)
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": answer.answer}]
    return bot.ask(then, history=history)


@pytest.mark.parametrize("then", ["剩下没追回来的有多少？", "剩余没追回的还有多少钱？", "剩下的还有多少没追回？"])
def test_the_rest_of_one_issue_is_the_sentence_naming_the_rest(bot, then):
    answer = _after(bot, "水务集团多付工程款的问题整改到哪一步了？", then)
    assert answer.answered
    assert "48.6万元" in answer.answer
    assert "已追回多付工程款210万元" not in answer.answer     # what was recovered is not the rest


def test_how_the_rest_is_handled_quotes_the_sentence_naming_the_rest(bot):
    answer = _after(bot, "水务集团多付工程款的问题整改到哪一步了？", "剩下那部分钱打算通过什么途径要回来？")
    assert answer.answered and "仲裁" in answer.answer


def test_a_second_part_beside_the_rest_is_answered_too(bot):
    answer = _after(bot, "水务集团多付工程款的问题整改到哪一步了？", "剩下没追回来的有多少？有人被问责吗？")
    assert "48.6万元" in answer.answer and "问责" in answer.answer


def test_a_record_naming_no_rest_answers_from_what_it_says(bot):
    # the counter-example: no 剩余/其余 in the record, so no sentence is required to say one
    answer = _after(bot, "文化旅游局的文化站现在建了多少个？", "剩下的啥时候能全覆盖？")
    assert answer.answered
    assert "2025年10月底前" in answer.answer


def test_the_rest_of_the_issues_is_still_a_list_of_issues(bot):
    answer = _after(bot, "水务集团多付工程款的问题整改到哪一步了？", "剩下几个问题没改完？")
    assert "48.6万元" not in answer.answer.split("\n")[0]


def test_the_rest_asked_elliptically_is_the_rest_not_the_question_again(bot):
    # 「剩下的呢？」 is elliptic in form, but it names the rest of the issue just answered,
    # not something else to ask the previous question of
    answer = _after(bot, "水务集团多付工程款追回来多少了？", "剩下的呢？")
    assert answer.answered and "48.6万元" in answer.answer
    assert "已追回多付工程款210万元" not in answer.answer


@pytest.mark.parametrize("question", ["水务集团多付工程款追回了多少，还剩多少？", "水务集团多付工程款追回了多少？还剩多少没追回？"])
def test_both_parts_of_recovered_and_left(bot, question):
    answer = bot.ask(question)
    assert "210万元" in answer.answer and "48.6万元" in answer.answer


def test_two_parts_answered_by_one_sentence_quote_it_once(bot):
    # the record names no rest, so 「还剩多少」 finds the sentence the first part quoted:
    # it is not quoted a second time
    answer = bot.ask("文化旅游局的文化站建了多少个，还剩多少？")
    assert answer.answered and "11个" in answer.answer
    assert answer.answer.count("已建成文化站11个") == 1
    assert len(answer.citations) == 1
