"""A question of several parts quotes sentences until every part has its figure: one
sentence holding both (由46人增加到78人) is the whole answer; parts stated in two sentences
are quoted from both. The number of an enumerated point (（1）) is no figure."""
from __future__ import annotations

import pytest

from assistant.passages import _figure_count, _holds_a_figure
from conftest import assistant_over

pytestmark = pytest.mark.slow

BUREAU = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
          "一、巡察反馈问题整改落实情况\n"
          "1．关于“思政课教师队伍建设滞后”的问题\n"
          "整改情况：（1）配齐配强思政课教师。通过公开招聘、转岗培训等方式补充思政课教师，"
          "全县中小学专职思政课教师由46人增加到78人。（2）完善教研机制。组建思政课教研团队6个，"
          "开展集体备课120次。【已完成】\n"
          "2．关于“校舍维修资金使用不规范”的问题\n"
          "整改情况：计划维修校舍32所。截至10月底，实际完成维修27所，其余5所正在施工。【持续推进】\n")
HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、护理人员配备不足，床护比仅为1:0.42。\n"
            "整改措施：招聘护理人员，优化排班。\n"
            "整改进展：已完成。2024年招聘护士58名，床护比由1:0.42提高到1:0.55。全院开展护理培训36场。\n"
            "第二条、医疗设备采购论证不充分。\n"
            "整改措施：建立采购论证制度。\n"
            "整改进展：已完成。计划论证设备采购项目20个。实际论证完成18个，否决不合理项目3个。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"bureau.txt": BUREAU, "hospital.txt": HOSPITAL})


@pytest.mark.parametrize("question, before, after", [
    ("青禾县教育局专职思政课教师由多少人增加到了多少人？", "46人", "78人"),
    ("中心医院床护比整改前后分别是多少？", "1:0.42", "1:0.55"),
])
def test_one_sentence_holding_every_part_is_quoted_alone(bot, question, before, after):
    answer = bot.ask(question)
    assert answer.answered
    assert before in answer.answer and after in answer.answer
    assert len(answer.citations) == 1


@pytest.mark.parametrize("question, planned, done", [
    ("青禾县教育局校舍维修计划维修多少所，实际完成多少所？", "32所", "27所"),
    ("中心医院设备采购论证计划论证多少个，实际完成多少个？", "20个", "18个"),
])
def test_parts_stated_in_two_sentences_are_quoted_from_both(bot, question, planned, done):
    # the counter-example: no one sentence holds both parts
    answer = bot.ask(question)
    assert answer.answered
    assert planned in answer.answer and done in answer.answer
    assert len(answer.citations) >= 2


def test_the_number_of_an_enumerated_point_is_no_figure():
    assert not _holds_a_figure("整改情况：（1）配齐配强思政课教师。")
    assert not _holds_a_figure("2、完善教研机制。")
    assert _holds_a_figure("（2）组建思政课教研团队6个。")
    assert _figure_count("已于2024年8月12日将127.36万元全额缴入国库。") == 2
    assert _figure_count("由46人增加到78人") == 2
    assert _figure_count("床护比仅为1:0.42") == 1
