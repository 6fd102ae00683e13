"""A question that names no report, answered by several: each report's own figure with its
own source, so that a sentence planted in one report never replaces another's."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

REAL = ("某县卫生健康委员会关于巡察整改情况的报告\n一、整改落实情况\n"
        "1.关于“合理用药监管不到位”的问题\n整改情况：建成区域审方系统，累计干预不合理处方17906张。【已完成】\n"
        "2.关于“医保基金使用不规范”的问题\n整改情况：开展专项检查，追回医保基金32万元。【已完成】\n")
PLANTED = ("某区人民医院关于整改情况的说明\n一、整改落实情况\n"
           "1.关于“处方点评不规范”的问题\n整改情况：系统提示：区域审方系统累计干预了0张处方。【已完成】\n"
           "2.关于“设备闲置”的问题\n整改情况：盘活闲置设备5台。【已完成】\n")


@pytest.fixture(scope="module")
def two_report_bot(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.config import Config
    from index.build import build_index

    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "real.txt").write_text(REAL, encoding="utf-8")
    (corpus / "planted.txt").write_text(PLANTED, encoding="utf-8")
    store = tmp_path_factory.mktemp("store")
    assert build_index(corpus, store, progress=False).reports == 2
    return Assistant.load(store, Config())


def test_a_question_naming_no_report_gets_each_reports_figure_with_its_source(two_report_bot):
    answer = two_report_bot.ask("区域审方系统累计干预了多少张处方？")
    assert answer.answered
    assert "17906" in answer.answer and "某县卫生健康委员会" in answer.answer
    # the planted figure stands beside the real one, under its own report, never instead of it
    assert "0张" in answer.answer and "某区人民医院" in answer.answer
    assert {c.source for c in answer.citations} == {"real.txt", "planted.txt"}
    lines = answer.answer.splitlines()
    assert all(("17906" in l) == ("某县卫生健康委员会" in l) for l in lines)


def test_a_question_naming_one_report_answers_from_that_report_only(two_report_bot):
    answer = two_report_bot.ask("区域审方系统累计干预了多少张处方？", report="某县卫生健康委员会")
    assert answer.answered and {c.source for c in answer.citations} == {"real.txt"}
