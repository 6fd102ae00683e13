"""A comparison whose one side is a level (「县里和三院各…」): the level stands for every
report of that level other than the named body, and speaks through those of them whose
issues name the topic; a level word that only qualifies a name adds no side."""
from __future__ import annotations

import pytest

from assistant.scope import resolve_scope
from conftest import assistant_over

pytestmark = pytest.mark.slow

# Two county reports in two layouts (field blocks; a prose area with status tags) and a
# city hospital's report; only one county report and the hospital say anything of 集采.
COUNTY_HEALTH = ("中共青禾县卫生健康局党组关于县委巡察整改情况的报告\n"
                 "一、巡察反馈问题整改情况\n"
                 "问题1：药品集中采购政策执行不到位，部分卫生院非集采耗材使用比例偏高。\n"
                 "整改措施：一是开展集采执行情况专项检查，约谈卫生院负责人6人。\n"
                 "整改进展：已完成。\n"
                 "问题2：基层医疗人才队伍建设滞后，乡村医生老龄化严重。\n"
                 "整改措施：一是定向招聘乡村医生24名。\n"
                 "整改进展：正在整改。\n")
COUNTY_SCHOOLS = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
                  "一、巡察反馈问题整改落实情况\n"
                  "（一）关于“校服采购程序不规范，未按规定组织家长代表参与”的问题\n"
                  "整改情况：一是修订校服采购管理办法，家长代表参与率达到100%。【已完成】\n"
                  "（二）关于“学校食堂食品安全管理薄弱，进货查验记录不全”的问题\n"
                  "整改情况：一是为42所学校食堂配备智能查验设备。【整改中】\n")
CITY_HOSPITAL = ("中共丰宁市第三人民医院委员会关于巡察整改进展情况的通报\n"
                 "一、巡察反馈问题整改情况\n"
                 "问题1：执行集采规定不严，超规定比例采购非中选产品。\n"
                 "整改措施：一是将集采中选产品使用情况纳入科室绩效考核，按月通报。\n"
                 "整改进展：已完成。\n"
                 "问题2：医疗废物管理不规范，暂存间消毒记录缺失。\n"
                 "整改措施：一是新建医疗废物暂存间，落实每日消毒登记。\n"
                 "整改进展：已完成。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"health.txt": COUNTY_HEALTH, "schools.txt": COUNTY_SCHOOLS,
                                             "hospital.txt": CITY_HOSPITAL})


def _titles(bot):
    return {r.title: r.report_id for r in bot.index.reports.values()}


@pytest.mark.parametrize("question", ["县里和三院在执行集采上各被指出了什么问题？",
                                      "三院跟县里在执行集采上分别被指出了什么问题？"])
def test_a_level_joined_to_a_body_is_a_side_of_its_own(bot, question):
    scope = resolve_scope(question, list(bot.index.reports.values()))
    titles = _titles(bot)
    hospital = titles["中共丰宁市第三人民医院委员会关于巡察整改进展情况的通报"]
    assert len(scope.sides) == 2
    assert [hospital] in scope.sides
    county = next(s for s in scope.sides if s != [hospital])
    assert sorted(county) == sorted(i for t, i in titles.items() if "青禾县" in t)


def test_a_level_word_qualifying_the_name_adds_no_side(bot):
    # counter-example: no conjunction, 市里 only says where 三院 is
    scope = resolve_scope("市里的三院在执行集采上被指出了什么问题？", list(bot.index.reports.values()))
    assert scope.sides == [] and len(scope.report_ids) == 1


@pytest.mark.parametrize("question", ["县里和三院在执行集采上各被指出了什么问题？",
                                      "三院与县里在执行集采上分别被指出了什么问题？"])
def test_the_level_side_speaks_through_the_report_whose_issues_name_the_topic(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "非集采耗材使用比例偏高" in answer.answer      # the county report that names 集采
    assert "超规定比例采购非中选产品" in answer.answer    # the hospital
    assert "校服" not in answer.answer                     # the other county report says nothing of it
    assert "未找到" not in answer.answer


def test_a_side_none_of_whose_reports_names_the_topic_is_said_to_be_missing(bot):
    answer = bot.ask("县里和三院在学校食堂上各被指出了什么问题？")
    assert answer.answered
    assert "进货查验记录不全" in answer.answer
    assert "《中共丰宁市第三人民医院委员会关于巡察整改进展情况的通报》中未找到相关内容" in answer.answer


# --- 「两份报告」 naming none of them ------------------------------------------------------

@pytest.mark.parametrize("question", ["两份报告都提到集采的问题了吗？", "两家单位在执行集采上各被指出了什么问题？"])
def test_reports_counted_but_not_named_in_a_larger_store_are_said_to_span_it(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert answer.answer.startswith("问题说到“") and "库中共有3份报告" in answer.answer
    assert "超规定比例采购非中选产品" in answer.answer


def test_reports_counted_and_named_need_no_note(bot):
    # counter-example: the question names the two bodies it counts
    answer = bot.ask("青禾县卫生健康局和三院两份报告都提到集采的问题了吗？")
    assert answer.answered and "库中共有" not in answer.answer


def test_reports_counted_in_a_store_of_as_many_need_no_note(tmp_path_factory):
    # counter-example: two reports stored, 两份报告 can only mean them
    pair = assistant_over(tmp_path_factory, {"health.txt": COUNTY_HEALTH, "hospital.txt": CITY_HOSPITAL})
    answer = pair.ask("两份报告都提到集采的问题了吗？")
    assert answer.answered and "库中共有" not in answer.answer
    assert "超规定比例采购非中选产品" in answer.answer and "非集采耗材使用比例偏高" in answer.answer
