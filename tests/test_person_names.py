"""「办公室主任是谁」: a person's name the dictionary does not know (郑爱东 is cut 郑/爱/东 with
jieba's HMM off) is still a name where it stands between its post and the role it takes
(副院长郑爱东为办公室主任); a post followed by ordinary words (副局长为组长) is none."""
from __future__ import annotations

import pytest

from assistant.retrieval import unit_pattern
from conftest import assistant_over


@pytest.mark.parametrize("text", ["县人民医院副院长郑爱东为办公室主任，牵头全县慢性病管理工作。",
                                  "由局长覃立衡同志任组长，分管副局长任副组长。",
                                  "镇党委书记甘秀棠兼任办公室主任。"])
def test_an_unknown_name_between_post_and_role_is_a_name(text):
    assert unit_pattern("person").search(text)
    assert unit_pattern("name").search(text)


@pytest.mark.parametrize("text", ["领导小组办公室设在局综合科，由分管副局长为组长。",
                                  "办公室主任委员为各科室负责同志。",
                                  "院长办公室为牵头科室。",
                                  "对相关责任人进行严肃处理，其中给予党纪处分1人。"])
def test_a_post_followed_by_words_names_no_one(text):
    # counter-examples: 分管副局长 / 主任委员 / 院长办公室 hold no name (posts answer 是谁, not
    # 叫什么名字); jieba tags 严肃处理 nr, but a name has two or three characters
    assert not unit_pattern("name").search(text)


FIELDS = ("中共青禾县卫生健康局党组关于巡察整改情况的报告\n"
          "一、巡察反馈问题整改情况\n"
          "问题1：慢性病一体化管理推进缓慢。\n"
          "整改措施：一是成立县慢性病管理中心工作领导小组，领导小组下设办公室，县人民医院副院长郑爱东为办公室主任。"
          "二是建立慢性病管理档案。\n"
          "整改进展：已完成。\n")
PROSE = ("中共白溪县教育局党组关于巡察整改进展情况的通报\n"
         "一、整改工作开展情况\n"
         "局党组成立巡察整改工作领导小组，局长覃立衡为组长，办公室设在局综合科。\n"
         "二、巡察反馈问题整改落实情况\n"
         "（一）关于“校服采购程序不规范”的问题\n"
         "整改情况：修订校服采购管理办法。【已完成】\n")


@pytest.mark.slow
@pytest.mark.parametrize("report, question, name", [
    ("青禾县卫生健康局", "县慢性病管理中心领导小组办公室主任是谁？", "郑爱东"),
    ("白溪县教育局", "巡察整改工作领导小组组长是哪位？", "覃立衡")])
def test_the_sentence_naming_the_person_answers(tmp_path_factory, report, question, name):
    bot = assistant_over(tmp_path_factory, {"fields.txt": FIELDS, "prose.txt": PROSE})
    answer = bot.ask(question, report=report)
    assert answer.answered and name in answer.answer
