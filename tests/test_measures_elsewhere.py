"""A how question about a thing the problem names, whose measures the report files under
another issue (宿舍消防通道 found under 后勤管理, fixed under 安全制度): the answer quotes the
issue asked about and then the measure of the other issue that names the thing. A thing the
issue's own measures name, or that another issue names only in passing, adds nothing."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

# The same two issues in two layouts: field blocks with a status line, and a prose area
# with status tags, numbered differently.
FIELDS = ("中共青禾县职业中学委员会关于巡察整改情况的报告\n"
          "一、巡察反馈问题整改情况\n"
          "问题1：后勤管理不到位，学生宿舍消防通道长期堆放杂物，食堂就餐环境较差。\n"
          "整改措施：一是改善食堂就餐环境，更换餐桌椅120套。二是完善后勤服务台账。\n"
          "整改进展：已完成。\n"
          "问题2：安全管理制度不健全，应急演练流于形式。\n"
          "整改措施：一是修订校园安全管理制度8项。二是开展宿舍消防通道专项清理，清运杂物15车，"
          "加装应急照明灯64盏。三是每学期组织应急疏散演练2次。教务系统维护情况另行通报。\n"
          "整改进展：已完成。\n"
          "问题3：教务管理不规范，教务系统维护不及时。\n"
          "整改措施：一是明确专人负责日常维护，建立维护日志。\n"
          "整改进展：正在整改。\n")
PROSE = ("中共白溪县职业中学委员会关于巡察整改进展情况的通报\n"
         "一、巡察反馈问题整改落实情况\n"
         "（三）关于“后勤管理不到位，学生宿舍消防通道长期堆放杂物，食堂就餐环境较差”的问题\n"
         "整改情况：一是改善食堂就餐环境，更换餐桌椅120套。二是完善后勤服务台账。【已完成】\n"
         "（四）关于“安全管理制度不健全，应急演练流于形式”的问题\n"
         "整改情况：一是修订校园安全管理制度8项。二是开展宿舍消防通道专项清理，清运杂物15车，"
         "加装应急照明灯64盏。三是每学期组织应急疏散演练2次。教务系统维护情况另行通报。【已完成】\n"
         "（五）关于“教务管理不规范，教务系统维护不及时”的问题\n"
         "整改情况：一是明确专人负责日常维护，建立维护日志。【整改中】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"qinghe.txt": FIELDS, "baixi.txt": PROSE})


@pytest.mark.parametrize("place", ["青禾县职业中学", "白溪县职业中学"])
def test_a_measure_filed_under_another_issue_is_quoted_after_the_issue_asked(bot, place):
    answer = bot.ask(f"{place}宿舍消防通道的问题是怎么整改的？")
    assert answer.answered
    assert "更换餐桌椅120套" in answer.answer          # the issue whose problem names it
    assert "清运杂物15车" in answer.answer              # the measure filed under the other
    cited = [c for c in answer.citations if "清运杂物15车" in c.text]
    assert cited and cited[0].issue != answer.citations[0].issue


@pytest.mark.parametrize("place", ["青禾县职业中学", "白溪县职业中学"])
def test_a_thing_its_own_measures_name_adds_nothing(bot, place):
    # counter-example: 食堂 is in the problem and in its own measures
    answer = bot.ask(f"{place}食堂就餐环境差的问题是怎么整改的？")
    assert answer.answered and "更换餐桌椅120套" in answer.answer
    assert "清运杂物15车" not in answer.answer and "也写到" not in answer.answer


@pytest.mark.parametrize("place", ["青禾县职业中学", "白溪县职业中学"])
def test_a_thing_another_issue_names_only_in_passing_adds_nothing(bot, place):
    # counter-example: the safety issue names 教务系统 in a sentence after its measures, not
    # as a measure of its own, while the issue asked about never names it in its measures
    answer = bot.ask(f"{place}教务系统维护不及时的问题是怎么整改的？")
    assert answer.answered and "建立维护日志" in answer.answer
    assert "应急疏散演练" not in answer.answer and "也写到" not in answer.answer
