"""「都成立过哪些工作专班」 asks for things named in several issues: every sentence of the
report in scope naming them is quoted, in report order, not the best one or two."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市第二人民医院委员会关于巡察整改进展情况的通报\n"
            "一、巡察反馈问题整改进展情况\n"
            "（1）闲置设备较多。\n"
            "整改情况：一是成立工作专班，制定闲置设备解决方案。二是调剂使用设备12台。\n"
            "（2）绩效考核排名靠后。\n"
            "整改情况：一是成立绩效考核工作专班，建立质控平台。\n"
            "（3）班子担当精神不足。\n"
            "整改情况：一是召开专题学习会。二是印发管理办法。三是成立工程结算工作专班，推进项目结算。\n"
            "（4）药品采购不规范。\n"
            "整改情况：修订药品采购管理制度。\n")
BUREAU = ("中共青禾县民政局党组关于巡察整改情况的报告\n"
          "一、反馈问题整改落实情况\n"
          "1.养老服务设施建设滞后。【正在推进】\n"
          "整改情况：成立养老服务工作专班，新建日间照料中心5个。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "bureau.txt": BUREAU})


@pytest.mark.parametrize("question", ["二院整改的时候都成立过哪些工作专班？",
                                      "第二人民医院整改时设立了哪些专班？",
                                      "第二人民医院整改中设立了哪些专班？"])      # 整改中 says when
def test_every_mention_in_the_report_is_quoted(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    for thing in ("闲置设备", "绩效考核", "工程结算"):
        assert thing in answer.answer
    assert "养老服务" not in answer.answer          # another report's 专班
    assert "药品采购" not in answer.answer          # an issue naming none


def test_a_question_asking_for_issues_still_lists_issues(bot):
    # the counter-example: 哪些问题 asks for the issues themselves
    answer = bot.ask("二院有哪些问题？")
    assert answer.intent == "list" and "药品采购" in answer.answer
