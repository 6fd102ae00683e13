"""A status asked of things inside one issue (「3处违规公墓中哪一处尚未处置完毕」): the
sentence stating that status answers, and 「哪个」 picks among those things, not among the
report's issues. Counter-examples: 「那几个问题里哪个还没改完」 still lists issues; the
finished status asked picks the finished things."""
from __future__ import annotations

import pytest

from conftest import assistant_over

from assistant.understanding import Intent, understand

pytestmark = pytest.mark.slow

BUREAU = ("青禾市林业局党组关于市委巡察反馈意见整改情况的报告\n"
          "一、反馈问题整改落实情况\n"
          "1、关于违规占用林地建设经营性项目整治不彻底的问题。整改情况：对巡察指出的3处违规项目进行处置，"
          "其中松风岭农庄已依法拆除并完成复绿，清溪垂钓园已补办用地审批手续；"
          "梨花坞山庄因涉及历史遗留用地问题，处置工作较为复杂，目前正在推进，预计2025年底前完成。\n"
          "2、关于护林员队伍管理不规范的问题。整改情况：清退不在岗护林员12名。该问题已整改到位。\n"
          "3、关于森林防火设施老化的问题。整改情况：更新防火监测设备，目前正在推进。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"bureau.txt": BUREAU})


@pytest.mark.parametrize("question", ["林业局处置的3处违规项目中，哪一处尚未处置完毕？",
                                      "林业局那3处违规项目，哪个还没整完？",
                                      "林业局那3处违规项目，还没弄完的是哪一个？"])
def test_the_thing_still_open_is_named_by_the_sentence_stating_its_status(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "梨花坞山庄" in answer.answer


def test_which_among_things_counted_is_no_list_of_issues():
    assert understand("那3个违规公墓，哪个还没整完？").intent is Intent.FACT
    assert understand("民政局那3个违规公墓，还没弄完的是哪一个？").intent is Intent.FACT
    # counter-examples: issues counted, or a status item asked without things counted
    assert understand("那16个问题里哪个还没改完？").intent is Intent.LIST
    assert understand("得一直抓下去的是哪一项？").intent is Intent.LIST


def test_issues_still_open_are_still_listed(bot):
    answer = bot.ask("林业局哪些问题还没整改完？")
    assert "森林防火" in answer.answer and "违规占用林地" in answer.answer
    assert "护林员" not in answer.answer


@pytest.mark.parametrize("question", ["林业局还没处置完的违规项目是哪一个？",
                                      "林业局目前尚未处置完毕的违规项目是哪一处？",
                                      "去林业局回访，要看那处到现在还没处置完的违规项目，是哪个？"])
def test_a_status_said_of_things_names_the_thing_not_the_issues(bot, question):
    # the status describes the things (的违规项目), not the report's issues: no count of them
    # is needed for 哪一个 to pick among them, and a synonym of the status asks the same
    answer = bot.ask(question)
    assert answer.answered and "梨花坞山庄" in answer.answer
    assert "森林防火" not in answer.answer


@pytest.mark.parametrize("question,intent", [
    ("还没处理完的违建墓地是哪一个？", Intent.FACT),
    ("还没建成养老服务中心的那4个社区，具体是哪几个？", Intent.FACT),
    # counter-examples: the status said of issues, items, groups, measures, or of nothing named
    ("还没改完的问题是哪几个？", Intent.LIST),
    ("没完成的整改任务有哪些？", Intent.LIST),
    ("还没清零的那几项，给列一下。", Intent.LIST),
    ("还没整改完的那些，列一下", Intent.LIST),
    ("正在整改的有哪些？", Intent.LIST),
    ("还没销号的事项有哪些？", Intent.LIST),
    ("仍在整改的巡察反馈问题有哪些？", Intent.LIST),
    # things counted by their state are a figure; issues counted by theirs are a count
    ("尚未建成服务中心的街道还有几个？", Intent.FACT),
    ("还没改完的有几个？", Intent.COUNT),
    ("改完的多还是没改完的多？各几个？", Intent.COUNT),
    ("问题总数和已经办结的数量各是多少？", Intent.COUNT),
    ("尚未完成的审计发现问题有哪些？", Intent.LIST),
])
def test_which_nouns_a_status_describes(question, intent):
    assert understand(question).intent is intent
