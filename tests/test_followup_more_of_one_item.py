"""After an answer about one issue, 「除了补人，还有别的措施吗」 asks for the rest of that
issue's measures, and 「前面说的那个专账，钱能用来干啥」 asks a fact of it; only a question
picking among items (「这几个里面哪个跟合同有关」) filters the list just given."""
from __future__ import annotations

import pytest

from assistant.followup import asks_other_measures
from conftest import assistant_over

pytestmark = pytest.mark.slow

COLLEGE = ("中共青禾学院委员会关于巡视整改进展情况的通报\n"
           "一、巡视反馈问题整改落实情况\n"
           "（一）关于思政课教师队伍建设滞后的问题\n"
           "整改情况：一是补充思政课教师。通过公开招聘、校内转岗等方式，专职思政课教师由61人增加到83人。"
           "二是实施思政课教师“领航计划”，遴选培育骨干教师15名。【已完成】\n"
           "（二）关于结余经费管理不规范的问题\n"
           "整改情况：一是设立结余经费专账，列支困难救助、义诊等费用。二是修订经费管理规定。【已完成】\n")
HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、护理人员配备不足。\n整改措施：招聘护士58名；开展护理培训36场。\n整改进展：已完成。\n"
            "第二条、合同管理不规范。\n整改措施：建立合同台账，补充法律审核意见12份。\n整改进展：已完成。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"college.txt": COLLEGE, "hospital.txt": HOSPITAL})


def _history(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def test_other_measures_are_asked_in_several_words():
    assert asks_other_measures("除了补人，还有别的措施吗？")
    assert asks_other_measures("还采取了哪些其他做法？")
    # counter-examples: other bodies, other issues
    assert not asks_other_measures("其他单位是怎么整改的？")
    assert not asks_other_measures("还有哪些问题没整改完？")


@pytest.mark.parametrize("question, answer, follow_up, wanted, other", [
    ("青禾学院专职思政课教师现在多少人？", "专职思政课教师由61人增加到83人。", "除了补人，还有别的措施吗？", "领航计划", "专账"),
    ("中心医院护理人员不足的问题怎么改的？", "招聘护士58名。", "除了招人，还采取了哪些其他做法？", "护理培训", "合同台账"),
])
def test_the_rest_of_the_measures_of_the_same_issue(bot, question, answer, follow_up, wanted, other):
    reply = bot.ask(follow_up, history=_history(question, answer))
    assert reply.answered and wanted in reply.answer
    assert other not in reply.answer


def test_a_fact_asked_of_the_thing_just_named_is_not_a_filter_of_the_list(bot):
    history = _history("青禾学院结余经费问题咋整改的？", "设立了结余经费专账，修订了经费管理规定。")
    reply = bot.ask("前面说的那个专账，钱能用来干啥？", history=history)
    assert reply.answered and "困难救助" in reply.answer


def test_which_of_the_items_just_listed_filters_them(bot):
    # the counter-example: 哪个 picks among the items listed
    history = _history("中心医院有哪些问题？", "1. 护理人员配备不足\n2. 合同管理不规范")
    reply = bot.ask("这几个里面哪个跟合同有关？", history=history)
    assert "合同管理不规范" in reply.answer and "护理人员配备不足" not in reply.answer
