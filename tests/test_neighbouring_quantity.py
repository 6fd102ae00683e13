"""A figure asked of one of two neighbouring quantities ([query.contrasts] in genre.toml:
上半年/下半年, 专职/兼职, PM2.5/PM10 …) whose best passage states the other is refused, and
the refusal says which one the report gives; the one stated is answered."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

COLLEGE = ("中共青禾学院委员会关于巡视整改进展情况的通报\n"
           "一、巡视反馈问题整改情况\n"
           "（一）关于服务地方经济社会发展方面\n"
           "整改情况：2024年上半年横向科研经费到账1,480万元，同比增长23.5%。【正在推进】\n"
           "（二）关于实训条件建设方面\n"
           "整改情况：制定实训基地建设方案，争取中央和省级补助资金2,650万元。【已完成】\n")
BUREAU = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
          "一、巡察反馈问题整改落实情况\n"
          "问题1：思政课教师队伍建设滞后。\n"
          "整改措施：通过公开招聘、转岗培训等方式补充思政课教师。\n"
          "整改进展：已完成。全县中小学专职思政课教师由46人增加到78人，兼职思政课教师全部参加专题培训。\n"
          "问题2：城区空气质量不达标。\n"
          "整改措施：开展扬尘治理。\n"
          "整改进展：已完成。2024年城区PM2.5平均浓度为35.2微克/立方米。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"college.txt": COLLEGE, "bureau.txt": BUREAU})


@pytest.mark.parametrize("question, stated", [("青禾学院2024年下半年横向科研经费到账多少？", "上半年"),
                                              ("教育局全县中小学兼职思政课教师现在有多少人？", "专职"),
                                              ("教育局城区2024年PM10平均浓度是多少？", "PM2.5")])
def test_the_neighbouring_figure_does_not_answer(bot, question, stated):
    answer = bot.ask(question)
    assert not answer.answered
    assert stated in answer.answer                         # the refusal says what the report gives
    assert answer.citations and all(c.related_only for c in answer.citations)


@pytest.mark.parametrize("question, figure", [("青禾学院2024年上半年横向科研经费到账多少？", "1,480万元"),
                                              ("教育局全县中小学专职思政课教师现在有多少人？", "78人"),
                                              ("教育局城区2024年PM2.5平均浓度是多少？", "35.2")])
def test_the_quantity_stated_is_answered(bot, question, figure):
    # the counter-examples: the same questions asking what the report states
    answer = bot.ask(question)
    assert answer.answered and figure in answer.answer


def test_reading_the_neighbour_a_sentence_states():
    from assistant.passages import neighbour_stated
    from assistant.understanding import understand

    sentence = "全县中小学专职思政课教师由46人增加到78人，兼职思政课教师全部参加专题培训"
    assert neighbour_stated(sentence, understand("兼职思政课教师有多少人？")) == "专职"
    # a question naming both asks both: no neighbour; nor for the one the figure is of
    assert neighbour_stated(sentence, understand("专职和兼职教师分别有多少人？")) == ""
    assert neighbour_stated(sentence, understand("专职思政课教师有多少人？")) == ""
    # a sentence stating the figure of the one asked
    assert neighbour_stated("兼职教师共52人，专职教师78人", understand("兼职教师有多少人？")) == ""
    assert neighbour_stated("2024年上半年横向科研经费到账1480万元", understand("上半年纵向科研经费到账多少？")) == "横向"


def test_a_part_of_a_joint_figure_is_refused_and_the_joint_one_answered(bot):
    # 「中央和省级补助资金2650万元」 is one figure for both: no 中央 figure alone
    refused = bot.ask("青禾学院争取的补助资金里，中央资金有多少？")
    assert not refused.answered and "中央和省级" in refused.answer
    answered = bot.ask("青禾学院建实训基地争取了多少上级补助钱？")     # 多少上级…钱 counts no 上级
    assert answered.answered and "2,650万元" in answered.answer
