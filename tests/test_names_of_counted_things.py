"""「确定的6个重点学科分别是哪些？」 asks the N things by name: a sentence stating only their
number (重点建设学科6个), or naming fewer of them, does not answer, and the question is
refused; a sentence naming as many answers."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市人民医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、学科建设相对滞后。\n"
            "整改措施：制定学科建设三年行动计划，确定重点建设学科6个、培育学科8个；"
            "心内科、神经外科2个学科已申报省级临床重点专科。\n"
            "整改进展：正在推进。\n")
COLLEGE = ("中共青禾师范学院委员会关于巡视整改进展情况的通报\n"
           "一、巡视反馈问题整改情况\n"
           "（一）关于师范专业建设方面\n"
           "整改情况：首批8个师范专业参加专业认证，其中小学教育、汉语言文学、英语3个专业已通过第二级认证，"
           "其余5个专业已提交认证申请。【正在推进】\n"
           "（二）关于师资队伍建设方面\n"
           "整改情况：实施骨干教师培育计划，遴选培育骨干教师15名；实施青年教师“青蓝计划”，结对帮扶青年教师40名。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "college.txt": COLLEGE})


@pytest.mark.parametrize("question", ["人民医院确定的6个重点建设学科分别是哪些？",
                                      "师范学院已提交认证申请的其余5个专业是哪几个？"])
def test_things_the_report_only_counts_are_not_named(bot, question):
    assert not bot.ask(question).answered


def test_things_the_report_names_are_answered(bot):
    # the counter-example: three named side by side answer 「3个专业是哪几个」
    answer = bot.ask("师范学院已通过第二级认证的3个专业是哪几个？")
    assert answer.answered
    assert all(m in answer.answer for m in ("小学教育", "汉语言文学", "英语"))


@pytest.mark.parametrize("question, wanted", [("确定的6个重点建设学科分别是哪些？", 6),
                                              ("那5个街道，具体是哪几个街道？", 5),
                                              ("那8个专业，哪几个已经过了第二级认证？", 0),   # which of them
                                              ("这两个问题分别是什么时候完成的？", 0),
                                              ("还没治完的那6条黑臭水体，分别叫啥、在哪儿？", 6),
                                              ("第二条还差啥没弄完？", 0)])          # an ordinal
def test_reading_how_many_names_are_asked(question, wanted):
    from assistant.understanding import names_wanted
    from index.tokenize import normalize
    assert names_wanted(normalize(question)) == wanted


@pytest.mark.parametrize("text, count", [("小学教育、汉语言文学、英语3个专业已通过", 3),
                                         ("确定重点建设学科6个、培育学科8个", 2),
                                         ("心内科、神经外科和骨科3个学科", 3),
                                         ("制定学科建设三年行动计划", 1)])
def test_counting_the_things_named_side_by_side(text, count):
    from assistant.passages import enumerated
    assert enumerated(text) == count


def test_only_things_of_the_kind_asked_are_counted():
    # five working groups named side by side are no names of five 专业
    from assistant.passages import enumerated
    from assistant.understanding import named_kind
    from index.tokenize import normalize

    groups = "下设思想政治建设、人才培养、全面从严治党、干部人才队伍、基层党建5个专项整改工作组"
    kind = named_kind(normalize("其余5个师范专业分别是哪些？"))
    assert kind == "专业"
    assert enumerated(groups, kind) == 1 and enumerated(groups) == 5


def test_the_name_of_a_plan_is_its_quoted_title(bot):
    answer = bot.ask("师范学院结对帮扶青年教师的那个计划叫什么名字？")
    assert answer.answered and "青蓝计划" in answer.answer


def test_a_persons_name_the_report_does_not_give_is_refused(bot):
    # the counter-example: 负责人叫什么名字 asks a person's name, which no sentence gives
    assert not bot.ask("师范学院青蓝计划的负责人叫什么名字？").answered


@pytest.mark.parametrize("question, unit", [("培育骨干教师实施的计划叫什么名字？", "title"),
                                            ("那个方案叫啥？", "title"),
                                            ("那2个人叫啥？", "name"),
                                            ("办公室主任叫什么名字？", "name")])
def test_a_name_asked_after_a_thing_is_its_title(question, unit):
    from assistant.understanding import understand
    assert understand(question).unit == unit


def test_things_listed_are_of_the_kind_their_count_names():
    # 「油茶、食用菌、稻渔综合种养3个主导产业谋划项目」 names three 产业, no 项目
    from assistant.passages import enumerated
    from assistant.understanding import named_kind
    from index.tokenize import normalize

    kind = named_kind(normalize("另外3个是啥项目？"))
    assert kind == "项目"
    assert enumerated("围绕油茶、食用菌、稻渔综合种养3个主导产业谋划项目", kind) == 1
    assert enumerated("石岭村食用菌、白沙村油茶、东湖村稻渔3个项目", kind) == 3
