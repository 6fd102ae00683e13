"""「哪些问题是市农业农村局负责的」 lists the issues whose responsible cell names that unit,
in a ledger and in field blocks; the field of one issue and the other filters are unchanged."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {name: (LAYOUTS / name).read_text(encoding="utf-8")
                                             for name in ("bureau-ledger.txt", "soe-fields.txt")})


@pytest.mark.parametrize("question, listed, not_listed", [
    ("人社局哪些问题是社保股负责的？", "社保基金内控", "就业补助资金"),
    ("交投集团工程管理部负责的问题有哪些？", "工程结算", "公务用车"),
])
def test_the_issues_of_the_unit_named_are_listed(bot, question, listed, not_listed):
    answer = bot.ask(question)
    assert answer.answered and answer.intent == "list"
    assert listed in answer.answer and not_listed not in answer.answer.split("引用")[0]


def test_the_issues_of_the_unit_named_are_counted(bot):
    answer = bot.ask("交投集团综合办公室牵头的问题有几个？")
    assert answer.answered and "共1个" in answer.answer


def test_the_unit_of_one_issue_is_still_its_field(bot):
    # the counter-example: which unit is responsible for one issue
    answer = bot.ask("交投集团工程结算的问题由哪个部门负责？")
    assert answer.answered and "工程管理部" in answer.answer and answer.intent != "list"


def test_a_unit_no_cell_names_filters_nothing(bot):
    from assistant.aggregate import _names_unit, _units_of
    assert _units_of("市生态环境局、市农业农村局、各县（市、区）人民政府")[:2] == ["市生态环境局", "市农业农村局"]
    assert _names_unit("哪些问题是农业农村局负责的", "市农业农村局")
    assert not _names_unit("哪些问题是生态环境局负责的", "市农业农村局")
