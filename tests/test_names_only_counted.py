"""「那2个分局是哪两个」: when the sentence matching best only counts the things (对整改滞后的
2个县（市、区）分局进行约谈), the reports do not name them and the answer says so; where a
report names them, they are the answer. A 、 inside brackets is no list."""
from __future__ import annotations

import pytest

from assistant.passages import enumerated
from assistant.understanding import understand
from conftest import assistant_over

COUNTED = ("丰宁市生态环境局关于督察反馈问题整改落实情况的报告\n"
           "一、整改工作开展情况\n"
           "领导小组办公室开展暗查暗访，发现并交办问题41个，对整改进度滞后的2个县（市、区）分局进行约谈。\n"
           "局里与2家省内高水平监测机构签订技术帮扶协议。\n"
           "二、督察反馈问题整改情况\n"
           "问题1：入河排污口排查不彻底。\n"
           "整改措施：一是排查入河排污口312个。\n"
           "整改进展：已完成。\n")
NAMED = ("中共青禾县卫生健康局党组关于巡察整改情况的报告\n"
         "一、整改工作开展情况\n"
         "对整改进度滞后的东关镇卫生院、西河乡卫生院2个卫生院进行约谈。\n"
         "县人民医院与省人民医院、省肿瘤医院2家医院签订专科联盟协议。\n"
         "二、巡察反馈问题整改情况\n"
         "问题1：基层医疗人才队伍建设滞后。\n"
         "整改措施：一是定向招聘乡村医生24名。\n"
         "整改进展：正在整改。\n")


@pytest.mark.parametrize("question, n, kind", [("被约谈的那2个县（市、区）分局是哪两个？", 2, "分局"),
                                               ("其余3个专业分别是哪几个？", 3, "专业"),
                                               ("与哪两家省内高水平医院签订了专科联盟协议？", 2, "医院"),
                                               ("跟哪两家监测机构签了技术帮扶协议？", 2, "机构"),
                                               ("有哪两个学科已经申报省级临床重点专科？", 2, "学科")])
def test_the_number_and_kind_of_things_to_be_named_are_read(question, n, kind):
    query = understand(question)
    assert (query.names_wanted, query.named_kind) == (n, kind)


def test_a_bracketed_list_is_one_name():
    assert enumerated("对整改进度滞后的2个县（市、区）分局进行约谈", "分局") == 1
    assert enumerated("对东关镇卫生院、西河乡卫生院2个卫生院进行约谈", "卫生院") == 2


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"eco.txt": COUNTED, "health.txt": NAMED})


@pytest.mark.slow
@pytest.mark.parametrize("question", ["丰宁市生态环境局被约谈的那2个整改滞后的县（市、区）分局是哪两个？",
                                      "丰宁市生态环境局约谈的2个分局分别是哪些？",
                                      "丰宁市生态环境局跟哪两家监测机构签了技术帮扶协议？"])
def test_things_only_counted_are_not_named_by_another_sentence(bot, question):
    answer = bot.ask(question)
    assert not answer.answered
    assert "没有列出" in answer.answer


@pytest.mark.slow
@pytest.mark.parametrize("question, names", [
    ("青禾县卫生健康局约谈的那2个卫生院是哪两个？", ("东关镇卫生院", "西河乡卫生院")),
    ("青禾县人民医院与哪两家医院签订了专科联盟协议？", ("省人民医院", "省肿瘤医院"))])
def test_things_a_report_names_are_the_answer(bot, question, names):
    # counter-example: the sentence names the two it counts
    answer = bot.ask(question)
    assert answer.answered
    assert all(n in answer.answer for n in names)
