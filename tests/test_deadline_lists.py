"""A list by deadline (「整改时限定在2025年12月底前的有哪些」): the issues whose deadline cell
names that month (年底 is December), or any month of a year asked alone, each shown with
its deadline; on a store of several layouts. Counter-examples: another month lists the
others; a report without deadline cells is not filtered by a date it never states."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "layouts"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.config import Config
    from index.build import build_index

    corpus = tmp_path_factory.mktemp("corpus")
    for path in LAYOUTS.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    store = tmp_path_factory.mktemp("store")
    build_index(corpus, store, progress=False)
    return Assistant.load(store, Config())


def _labels(answer) -> list[str]:
    return [c.issue for c in answer.citations if not c.related_only]


@pytest.mark.parametrize("question", ["人社局的台账里，整改时限定在2025年12月底前的有哪些？",
                                      "人社局哪些问题的完成时限是2025年年底？"])
def test_a_list_by_deadline_month_takes_the_issues_of_that_month(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert _labels(answer) == ["3"]
    assert "整改时限：2025年12月31日" in answer.answer


def test_another_month_lists_the_others(bot):
    answer = bot.ask("人社局哪些问题的整改时限是2025年6月？")
    assert _labels(answer) == ["1", "2"]


def test_a_year_alone_takes_every_month_of_it(bot):
    answer = bot.ask("人社局有几个问题的整改时限在2025年？")
    assert "共3个" in answer.answer


def test_a_report_without_deadline_cells_is_not_filtered_by_a_date(bot):
    from assistant.aggregate import _deadline_asked
    from assistant.understanding import understand

    assert _deadline_asked(understand("整改时限在2025年12月的问题有哪些？")) == (2025, 12)
    assert _deadline_asked(understand("2025年以来发现了哪些问题？")) is None      # no deadline asked
    answer = bot.ask("一中哪些问题的整改时限在2025年12月？")
    assert "整改时限在2025年12月" not in answer.answer


@pytest.mark.parametrize("question, unit, other", [
    ("人社局社保基金内控那条问题是哪些股室负责整改？", "社保股", "就业股"),
    ("交投集团闲置资产那条问题是哪些部门负责的？", "资产经营部", "工程管理部"),
    ("交投集团闲置资产盘活问题的责任部门是哪些？", "资产经营部", "综合办公室"),
])
def test_who_is_responsible_for_one_issue_is_its_field_not_a_list_of_issues(bot, question, unit, other):
    # 哪些 asks for the units of the one issue named, in a ledger and in field blocks
    answer = bot.ask(question)
    assert answer.answered and unit in answer.answer and other not in answer.answer


def test_which_issues_is_still_a_list_of_issues(bot):
    # the counter-example: 哪些问题… lists issues
    answer = bot.ask("人社局的台账里哪些问题已完成？")
    assert answer.answered and len(answer.items) == 1 and "就业补助资金审核不严" in answer.answer
