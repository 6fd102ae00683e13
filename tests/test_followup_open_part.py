"""What is still open inside one issue: 「第一条还差啥没弄完」「第2个现在卡在哪」 after a
list. The sentences telling the part under way (正在报…备案, 剩余…, 预计…完成) answer, before
the status line itself (「整改进展：基本完成。」), which says no more than the list did."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "（一）医院管理方面（共3条）\n"
            "第一条、绩效分配制度改革滞后，考核指标与医疗质量挂钩不紧。\n"
            "整改措施：一是制定绩效考核方案；二是试点推行科主任年薪制。\n"
            "整改进展：基本完成。绩效考核方案已经职工代表大会审议通过；科主任年薪制试点方案正在报市卫生健康委员会备案。\n"
            "第二条、合理用药监管不到位，处方点评流于形式。\n"
            "整改措施：一是建立处方点评制度；二是开展抗菌药物专项整治。\n"
            "整改进展：基本完成。处方点评覆盖全部临床科室；药学信息系统升级改造预计2025年6月底前完成。\n"
            "第三条、干部监督管理不严，个人有关事项报告核查不到位。\n"
            "整改措施：开展个人有关事项报告专项核查。\n"
            "整改进展：已完成。核查中层以上干部个人有关事项报告135份。\n")
TOWN = ("中共青禾县石桥镇委员会关于县委巡察反馈问题整改情况的报告\n"
        "一、反馈问题整改落实情况\n"
        "（一）正在整改的问题\n"
        "1.关于农村集体“三资”监管不到位的问题。\n"
        "整改情况：一是开展集体“三资”清查，建立管理台账；二是清理不规范经济合同28份，已重新签订或依法解除22份。"
        "目前，剩余6份合同中有3份涉及合同纠纷，已进入司法诉讼程序。\n"
        "2.关于镇村债务化解进度缓慢的问题。\n"
        "整改情况：制定债务化解方案，已化解镇本级债务1120万元，其余债务计划于2026年底前化解完毕。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "town.txt": TOWN})


def _after_list(bot, listed: str, then: str):
    answer = bot.ask(listed)
    assert answer.answered and len(answer.items) >= 2
    history = [{"role": "user", "content": listed}, {"role": "assistant", "content": answer.answer}]
    return bot.ask(then, history=history)


def _first_line(answer) -> str:
    return answer.answer.split("\n")[0]


@pytest.mark.parametrize("then", ["第一条还差啥没弄完？", "第1条还差什么没完成？", "第一个还剩什么没做完？"])
def test_what_is_left_of_one_issue_is_the_part_under_way(bot, then):
    answer = _after_list(bot, "中心医院基本完成的是哪两条？", then)
    assert answer.answered
    assert "年薪制试点方案正在报" in _first_line(answer)
    assert "处方点评" not in answer.answer            # the other item of the list is not answered


def test_where_an_issue_is_stuck_is_the_sentence_on_the_rest(bot):
    answer = _after_list(bot, "石桥镇哪些问题还在整改？", "第1个现在卡在哪？")
    assert answer.answered
    assert "剩余6份合同" in _first_line(answer)
    assert "1120万元" not in answer.answer


def test_the_open_part_of_the_second_item(bot):
    answer = _after_list(bot, "中心医院基本完成的是哪两条？", "第2个现在卡在哪？")
    assert "预计2025年6月底前完成" in _first_line(answer)


def test_a_status_asked_of_one_item_is_still_its_status(bot):
    # the counter-example: 「什么状态」 asks the status line, not what is under way
    answer = _after_list(bot, "中心医院的问题都有哪些？", "第三条现在什么状态？")
    assert answer.answered and "已完成" in answer.answer
    assert "年薪制" not in answer.answer


@pytest.mark.parametrize("then", ["第1个还剩多少份合同没处理？", "第一个里面还剩几份合同？"])
def test_the_rest_of_an_item_picked_by_its_number(bot, then):
    # 第1个 picks one issue of the list: 还剩 asks its rest, the sentence naming 剩余
    answer = _after_list(bot, "石桥镇哪些问题还在整改？", then)
    assert answer.answered and "剩余6份合同" in _first_line(answer)
    assert "1120万元" not in answer.answer


def test_the_rest_of_the_second_item_is_its_own(bot):
    answer = _after_list(bot, "石桥镇哪些问题还在整改？", "第2个还剩多少没化解？")
    assert answer.answered and "其余债务计划于2026年底前化解完毕" in answer.answer
    assert "6份合同" not in answer.answer
