"""「那授课费那个呢？」 after a question about one issue: the previous question asked of the
subject named now, when the previous answer's issue never mentions it; a subject it does
mention (a part of it) keeps that issue."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市中心医院委员会关于巡察整改进展情况的通报\n"
            "一、巡察反馈问题整改情况\n"
            "（一）违规发放评审劳务费。\n"
            "整改情况：一是清退违规发放的评审劳务费并上交指定财政专户。二是规范津补贴发放标准。\n"
            "（二）向本单位职工发放授课费。\n"
            "整改情况：一是清退两个培训班发放的授课费。二是对举办的各类培训班进行自查自纠。\n")
BUREAU = ("中共青禾县水利局党组关于巡察整改情况的报告\n"
          "一、反馈问题整改落实情况\n"
          "1.公务用车管理不规范。【已完成】\n"
          "整改情况：建立公务用车台账，实行派车单制度，安装北斗定位装置。\n"
          "2.办公用房超标准使用。【已完成】\n"
          "整改情况：腾退超标准办公用房6间，面积共计132平方米。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "bureau.txt": BUREAU})


def _turns(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.mark.parametrize("first, follow_up, expected, previous", [
    ("中心医院评审劳务费的问题咋改的？", "那授课费那个呢？", "两个培训班", "评审劳务费"),
    ("水利局公务用车问题怎么整改的？", "那办公用房呢？", "腾退", "派车单"),
])
def test_an_elliptic_question_naming_a_new_subject_asks_the_previous_question_of_it(
        bot, first, follow_up, expected, previous):
    earlier = bot.ask(first)
    answer = bot.ask(follow_up, history=_turns(first, earlier.answer))
    assert answer.answered and answer.intent == "how"
    assert expected in answer.answer and previous not in answer.answer


def test_a_subject_the_previous_issue_mentions_keeps_that_issue(bot):
    # the counter-example: 财政专户 is inside the issue just answered
    first = "中心医院评审劳务费的问题咋改的？"
    earlier = bot.ask(first)
    answer = bot.ask("那财政专户那块呢？", history=_turns(first, earlier.answer))
    assert answer.answered and "评审劳务费" in answer.answer and "授课费" not in answer.answer


def test_reading_what_changed():
    from assistant.followup import elliptic_subject, reframed
    assert elliptic_subject("那授课费那个呢？") == "授课费"
    assert elliptic_subject("那办公用房呢？") == "办公用房"
    assert reframed("二院评审劳务费的问题咋改的？", ["评审", "劳务费"], "授课费") == "授课费 二院的问题咋改的？"
