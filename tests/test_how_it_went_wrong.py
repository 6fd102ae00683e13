"""「是怎么规避公开招标的」 asks how the wrongdoing was done: the problem as the inspection found
it (拆分为4笔), whether it stands in the problem or in the rectification text, and then what was
done about it. 「怎么整改的」 asks only the latter."""
from __future__ import annotations

import pytest

from conftest import assistant_over

from ingest.lexicon import load_lexicon

pytestmark = pytest.mark.slow

FIELDS = ("中共青禾县卫生健康局党组关于审计整改情况的报告\n"
          "一、审计发现问题整改情况\n"
          "问题1：政府采购不规范。2023年采购检验设备42.6万元，拆分为5笔分散采购，规避政府采购程序。\n"
          "整改措施：修订内部采购管理办法，明确分散采购限额。\n"
          "整改进展：已完成。\n"
          "问题2：公务接待超标准。\n"
          "整改措施：清退超标准接待费用。\n"
          "整改进展：已完成。\n")
PROSE = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
         "一、巡察反馈问题整改落实情况\n"
         "（一）关于“个别项目化整为零规避公开招标”的问题\n"
         "整改情况：对巡察指出的录播教室采购项目（合同总额188万元，拆分为4个合同）进行核查，"
         "对2名责任人给予党纪处分。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"health.txt": FIELDS, "edu.txt": PROSE})


def test_how_it_went_wrong_quotes_the_problem_then_the_rectification(bot):
    answer = bot.ask("卫健局检验设备采购是怎么规避政府采购程序的？")
    assert answer.answered
    assert "拆分为5笔" in answer.answer and "修订内部采购管理办法" in answer.answer


def test_how_it_went_wrong_is_found_in_the_rectification_text_too(bot):
    answer = bot.ask("教育局录播教室采购项目是怎么规避公开招标的？")
    assert answer.answered and "拆分为4个合同" in answer.answer


def test_how_it_was_rectified_quotes_no_problem(bot):
    # counter-example: 怎么整改的 asks what was done
    answer = bot.ask("卫健局检验设备采购的问题是怎么整改的？")
    assert answer.answered and "修订内部采购管理办法" in answer.answer
    assert "拆分为5笔" not in answer.answer


@pytest.mark.parametrize("question,wrong", [("是怎么规避公开招标的", True), ("资金是如何被挪用的", True),
                                            ("是怎么整改的", False), ("怎么规范采购程序", False)])
def test_a_wrongdoing_verb_after_how_asks_how_it_went_wrong(question, wrong):
    assert load_lexicon().asks_how_it_went_wrong(question) is wrong
