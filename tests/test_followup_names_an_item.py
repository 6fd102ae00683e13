"""A follow-up naming one item of the list just given by a word of its headline (「人居环境
那个啥时候能弄完」, 「尾矿库那个是哪几家单位负责的」) asks of that item alone, in prose
and ledger layouts; a word two items share names neither."""
from __future__ import annotations

import pytest

from assistant.followup import item_named_by
from conftest import assistant_over

TOWN = ("中共青禾镇委员会关于县委巡察反馈问题整改情况的报告\n"
        "截至2025年3月10日，县委巡察组反馈的3个问题，已整改完成1个，正在整改2个。\n"
        "一、巡察反馈问题整改落实情况\n"
        "1. 关于农村人居环境整治长效管护机制不健全的问题。\n"
        "整改情况：制定长效管护办法，配备村级保洁员126名。目前，剩余55户户厕整改正在推进，预计2025年6月底前完成。\n"
        "2. 关于集体经济合同管理不规范的问题。\n"
        "整改情况：清理不规范经济合同28份，已重新签订22份。目前，剩余6份合同正在清理，预计2025年9月底前完成。\n"
        "3. 关于财务票据管理不严的问题。\n"
        "整改情况：已全部规范票据管理。\n")
LEDGER = ("青禾市生态环境局督察反馈问题整改落实情况表\n"
          "序号\t问题\t整改措施\t责任单位\t整改时限\t完成情况\n"
          "1\t城区扬尘污染问题突出。\t加强工地监管。\t市住建局、市城管局\t2025年12月底前\t已达到序时进度\n"
          "2\t历史遗留尾矿库环境风险管控不力。\t完善渗滤液收集设施。\t市生态环境局、市应急管理局\t2025年6月底前\t正在推进\n"
          "3\t农村黑臭水体治理进展缓慢。\t实施截污控源。\t各县（区）人民政府\t2025年12月底前\t正在推进\n")


def test_the_item_whose_headline_holds_the_words_is_named():
    heads = {"a": "农村人居环境整治长效管护机制不健全", "b": "集体经济合同管理不规范", "c": "农村财务票据管理不严"}
    assert item_named_by(["人居", "环境"], list(heads), heads.get) == "a"
    # counter-examples: a word two items share, a word no item has, a single item
    assert item_named_by(["农村"], list(heads), heads.get) is None
    assert item_named_by(["医保"], list(heads), heads.get) is None
    assert item_named_by(["人居"], ["a"], heads.get) is None


SCHOOLS = ("中共青禾县教育局党组关于县委巡察整改进展情况的通报\n"
           "一、巡察反馈问题整改落实情况\n"
           "1．关于“学前教育普惠发展推进缓慢”的问题\n"
           "整改情况：改扩建公办幼儿园3所，其中2所已投入使用，另1所正在进行室内装修，预计2025年春季学期开园。【持续推进】\n"
           "2．关于“乡村教师流失较多”的问题\n"
           "整改情况：2024年招聘教师137名，其中安排到乡村学校98名。此项工作需持续推进。【持续推进】\n"
           "3．关于“校舍安全排查不彻底”的问题\n"
           "整改情况：排查校舍126栋，整改隐患31处。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"town.txt": TOWN, "ledger.txt": LEDGER, "schools.txt": SCHOOLS})


def _history(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.mark.slow
def test_a_deadline_asked_of_the_item_named_in_prose(bot):
    history = _history("青禾镇现在还有几个问题在整改？",
                       "还有2个问题正在整改：农村人居环境整治长效管护机制不健全、集体经济合同管理不规范。")
    answer = bot.ask("人居环境那个啥时候能弄完？", history=history)
    assert answer.answered and "2025年6月底前" in answer.answer
    assert "2025年9月底前" not in answer.answer
    other = bot.ask("合同那个啥时候能弄完？", history=history)
    assert "2025年9月底前" in other.answer and "2025年6月底前" not in other.answer


@pytest.mark.slow
def test_the_units_responsible_for_the_item_named_in_a_ledger(bot):
    history = _history("青禾市生态环境局督察问题里哪些还在推进？", "正在推进的有2个：历史遗留尾矿库环境风险管控不力、农村黑臭水体治理进展缓慢。")
    answer = bot.ask("尾矿库那个是哪几家单位负责的？", history=history)
    assert "市应急管理局" in answer.answer
    assert "各县（区）人民政府" not in answer.answer


@pytest.mark.slow
def test_a_field_asked_of_every_item_just_listed(bot):
    history = _history("青禾市生态环境局督察问题里哪些还在推进？", "正在推进的有2个：历史遗留尾矿库环境风险管控不力、农村黑臭水体治理进展缓慢。")
    answer = bot.ask("它们的整改时限分别是什么时候？", history=history)
    assert "尾矿库" in answer.answer and "黑臭水体" in answer.answer
    assert "2025年6月底前" in answer.answer and "2025年12月底前" in answer.answer
    assert "扬尘" not in answer.answer          # not one of the items listed
    # the counter-example: a question naming its own issue asks of that one only
    own = bot.ask("扬尘污染那个问题的整改时限是什么时候？", history=history)
    assert "扬尘" in own.answer and "尾矿库" not in own.answer


@pytest.mark.parametrize("lead", ["巡察指出3个问题：", "共3项：", "包括"])
def test_items_written_in_one_sentence_after_a_count_keep_their_places(lead):
    from assistant.followup import items_by_position
    from ingest.parser import parse_report

    report = parse_report(TOWN, "town.txt", "0")
    by_title = {i.title: i.record_id for i in report.issues}
    text = f"{lead}农村人居环境整治长效管护机制不健全、集体经济合同管理不规范、财务票据管理不严。"
    positions = items_by_position(text, report.issues)
    contracts = next(rid for title, rid in by_title.items() if "合同" in title)
    assert positions[2] == contracts
    # counter-example: counts side by side name no items
    assert items_by_position("已完成整改1个，正在整改2个。", report.issues) == {}


@pytest.mark.slow
def test_when_each_item_listed_is_expected_to_be_done_where_the_report_says_it(bot):
    history = _history("青禾县教育局哪些问题还在持续推进？", "2个：学前教育普惠发展推进缓慢；乡村教师流失较多。")
    answer = bot.ask("它们分别打算啥时候完成？", history=history)
    assert answer.answered
    assert "预计2025年春季学期开园" in answer.answer
    # the counter-example: an item whose text expects no date is said to have none, and a
    # past date (2024年招聘教师137名) is no completion date
    assert "乡村教师流失较多：报告未写明整改时限" in answer.answer
    assert "137名" not in answer.answer
