"""A figure before and after rectification asked in one question: 「2023年…是多少？整改后提到了
多少？」. The second part names no word of its sentence (提到, 整改后 say when the figure
stands), so it is answered from the issue the first part was answered from."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、门诊预约诊疗推进不力，2023年门诊预约诊疗率仅为32.5%。\n"
            "整改措施：推行分时段预约，开通线上预约渠道。\n"
            "整改进展：已完成。2024年门诊预约诊疗率提高到61.2%。\n"
            "第二条、病历书写不规范，2023年甲级病历率为85.3%。\n"
            "整改措施：开展病历质量专项检查。\n"
            "整改进展：已完成。2024年甲级病历率达到93.6%。\n")
BUREAU = ("中共青禾县水利局党组关于巡察整改情况的报告\n"
          "一、反馈问题整改落实情况\n"
          "1.关于“农村供水保障水平不高”的问题\n"
          "整改情况：2023年农村自来水普及率为88.4%，新建改造供水工程16处，目前普及率达到95.1%。【已完成】\n")

SCHOOLS = ("中共青禾县教育局党组关于巡察整改进展情况的通报\n"
           "一、巡察反馈问题整改落实情况\n"
           "【1】乡村学校教师流失较多。【已完成】\n"
           "整改情况：2024年招聘教师137名，其中安排到乡村学校98名。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "bureau.txt": BUREAU, "schools.txt": SCHOOLS})


@pytest.mark.parametrize("question", ["中心医院2023年门诊预约诊疗率是多少？整改后提到了多少？",
                                      "中心医院2023年门诊预约诊疗率是多少？整改后提高到了多少？",
                                      "中心医院2023年门诊预约诊疗率是多少，现在是多少？"])
def test_before_and_after_are_both_answered(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "32.5%" in answer.answer and "61.2%" in answer.answer
    assert "93.6%" not in answer.answer          # the other issue's figure after


def test_the_year_asked_alone_is_the_figure_before(bot):
    # the counter-example: one part, one year; the figure of 2024 does not answer it
    answer = bot.ask("中心医院2023年门诊预约诊疗率是多少？")
    assert "32.5%" in answer.answer and "61.2%" not in answer.answer


def test_before_and_after_in_a_prose_area(bot):
    answer = bot.ask("水利局2023年农村自来水普及率是多少？整改后提到了多少？")
    assert "88.4%" in answer.answer and "95.1%" in answer.answer


@pytest.mark.parametrize("part", ["整改后提到了多少？", "整改后提高到了多少？", "现在降到多少了？"])
def test_a_part_asking_the_figure_after_has_no_words_of_its_own(part):
    # 提到 / 整改后 / 降到 say when the figure stands: no sentence must hold them
    from assistant.understanding import understand
    query = understand(part, [])
    assert query.wants_after
    assert not {"提到", "提高", "整改后", "降到"} & set(query.fact_terms)


def test_a_later_part_is_of_the_year_the_first_part_names(bot):
    # 2023 is not the year of the figures: neither part is answered by 2024's
    answer = bot.ask("教育局2023年招了多少老师，有多少去了乡村学校？")
    assert not answer.answered and "98" not in answer.answer


def test_both_parts_of_the_year_stated_are_answered(bot):
    # the counter-example: the year the report states
    answer = bot.ask("教育局2024年招了多少老师，有多少去了乡村学校？")
    assert answer.answered and "137名" in answer.answer and "98名" in answer.answer
