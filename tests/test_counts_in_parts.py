"""Two counts asked one after another (「一共指出了多少个问题？定了多少条整改措施？」) are
answered part by part, in two layouts; 「有几个问题？其中完成了几个？」 is one count whose
second part filters the first, and stays one answer."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

LEDGER = ("白溪区市场监督管理局审计发现问题整改台账\n"
          "序号\t审计发现问题\t整改措施\t完成情况\n"
          "1\t项目支出预算执行率偏低。\t建立预算执行月通报制度。\t已完成\n"
          "2\t政府采购程序不规范。\t修订采购内控制度。\t已完成\n"
          "3\t固定资产账实不符。\t开展资产清查。\t正在整改\n"
          "说明：针对审计发现的问题，共制定整改措施11条，已落实9条。\n")
PROSE = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
         "一、整改工作开展情况\n"
         "局党组对照反馈问题，制定整改措施17条，已落实14条。\n"
         "二、巡察反馈问题整改落实情况\n"
         "（一）关于“学前教育普惠发展推进缓慢”的问题\n"
         "整改情况：新建公办幼儿园2所。【已完成】\n"
         "（二）关于“校服采购程序不规范”的问题\n"
         "整改情况：修订校服采购管理办法。【已完成】\n"
         "（三）关于“乡村教师流失较多”的问题\n"
         "整改情况：招聘乡村教师98名。【整改中】\n"
         "（四）关于“食堂管理薄弱”的问题\n"
         "整改情况：配备智能查验设备。【整改中】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"ledger.txt": LEDGER, "prose.txt": PROSE})


@pytest.mark.parametrize("place, issues, measures", [("白溪区市场监管局", "3个", "11条"),
                                                     ("青禾县教育局", "4个", "17条")])
def test_two_counts_asked_in_turn_are_both_answered(bot, place, issues, measures):
    answer = bot.ask(f"{place}这次一共指出了多少个问题？局里定了多少条整改措施？")
    assert answer.answered
    assert issues in answer.answer and measures in answer.answer


@pytest.mark.parametrize("place, done", [("白溪区市场监管局", "2个"), ("青禾县教育局", "2个")])
def test_a_count_filtered_by_its_second_part_stays_one_count(bot, place, done):
    # counter-example: 其中 refers back to the issues just counted
    answer = bot.ask(f"{place}有几个问题？其中已经完成了几个？")
    assert answer.answered and done in answer.answer
    assert "整改措施" not in answer.answer


@pytest.mark.parametrize("place, done, total", [("白溪区市场监管局", "9", "11"), ("青禾县教育局", "14", "17")])
def test_measures_done_are_answered_first_when_asked(bot, place, done, total):
    answer = bot.ask(f"{place}整改措施落实了多少条？")
    first = answer.answer.split("\n")[0]
    assert answer.answered and f"已完成{done}项" in first and first.index("已完成") < first.index("：")
    # counter-example: the measures set out are asked, their total comes first
    first = bot.ask(f"{place}一共定了多少条整改措施？").answer.split("\n")[0]
    assert f"共{total}项" in first and "已完成" not in first
