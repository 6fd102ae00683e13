"""Follow-up forms staff use after a list or an answer about one issue, on a field-block
report and a ledger: 最后那个, 这两个分别…, a list written 「1. 第九条 …」 or 「1. 名称：进展」,
「有没有人被追责」 of the issue just answered, 最后处理了几个人 (最后 = in the end)."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、医疗设备维保管理不规范，对未出质保期的设备支付维保费。\n"
            "整改措施：一是收回未出质保期设备维保款；二是严肃责任追究，对相关责任人进行问责处理。\n"
            "整改进展：已完成。\n"
            "第二条、医药购销领域不正之风治理不彻底。\n"
            "整改措施：核查问题线索。\n"
            "整改进展：已完成。核查问题线索11条，给予党纪政务处分4人、组织处理7人。\n"
            "第三条、合理用药监管不到位。\n"
            "整改措施：上线前置审方系统。\n"
            "整改进展：基本完成。抗菌药物使用强度降至41.2，距离40以下的目标仍有差距。\n"
            "第四条、病历书写不规范。\n"
            "整改措施：开展病历质量专项检查。\n"
            "整改进展：基本完成。剩余3个科室的病历质控系统正在调试，计划2025年3月底前上线。\n")
LEDGER = ("青禾区市场监督管理局审计发现问题整改台账\n"
          "序号\t问题\t整改措施\t责任单位\t整改时限\t完成情况\t整改结果\n"
          "1\t固定资产管理不规范，账实不符。\t开展资产清查。\t财务审计科、办公室\t2024年12月31日\t基本完成\t已登记入账16台。\n"
          "2\t合同管理不规范。\t建立合同台账。\t法规科\t2024年10月31日\t已完成\t12份合同均已补充法律审核意见。\n"
          "3\t食品抽检资金使用效益不高。\t优化抽检计划。\t食品安全科\t2024年12月31日\t已完成\t完成抽检3260批次。\n")


WATER = ("中共青禾县水利局党组关于巡察整改情况的报告\n"
         "一、反馈问题整改落实情况\n"
         "1.关于“农村供水保障水平不高”的问题\n"
         "整改情况：新建改造供水工程16处，农村自来水普及率由88.4%提高到95.1%。【已完成】\n")


CIVIL = ("中共青禾市民政局党组关于市委巡察反馈意见整改情况的报告\n"
         "一、反馈问题整改落实情况\n"
         "1、关于违规建设经营性公墓问题整改不到位的问题。\n"
         "整改情况：对巡察指出的3处违规公墓进行处置，其中白马岭公墓已拆除违规墓位216个，云台公墓已补办用地审批手续；"
         "黄泥岗公墓因涉及历史遗留用地问题，处置工作较为复杂，目前正在推进，预计2025年底前完成。\n"
         "2、关于低保审核把关不严的问题。\n"
         "整改情况：清退不符合条件的低保对象217户。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "ledger.txt": LEDGER, "water.txt": WATER,
                                             "civil.txt": CIVIL})


def _history(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def test_the_last_item_listed(bot):
    history = _history("中心医院基本完成的是哪几条？", "1. 第三条 合理用药监管不到位（基本完成）\n2. 第四条 病历书写不规范（基本完成）")
    answer = bot.ask("最后那个还差啥没弄完？", history=history)
    assert answer.answered and "剩余3个科室" in answer.answer
    assert "41.2" not in answer.answer
    # the counter-example: the first one is the first
    first = bot.ask("第一个还差啥没弄完？", history=history)
    assert "41.2" in first.answer


def test_an_item_named_after_a_list_written_with_the_reports_labels(bot):
    history = _history("中心医院哪些还没完全改完？", "1. 第三条 合理用药监管不到位（基本完成）\n2. 第四条 病历书写不规范（基本完成）")
    answer = bot.ask("合理用药那条为啥只算基本完成？", history=history)
    assert answer.answered and "仍有差距" in answer.answer


def test_these_two_by_their_names_before_a_colon(bot):
    history = _history("市监局固定资产和合同管理这两个问题怎么整改的？",
                       "1. 固定资产：已登记入账16台设备；\n2. 合同管理：12份合同都补充了法律审核意见。")
    answer = bot.ask("这两个分别是哪个科室负责？", history=history)
    assert "财务审计科" in answer.answer and "法规科" in answer.answer
    assert "食品安全科" not in answer.answer


def test_held_to_account_is_asked_of_the_issue_just_answered(bot):
    history = _history("中心医院给没出质保期的设备付维保费，这事后来怎么处理的？", "收回了未出质保期设备的维保款。")
    answer = bot.ask("有没有人被追责？", history=history)
    assert answer.answered and "问责处理" in answer.answer


def test_in_the_end_is_no_word_of_the_question(bot):
    history = _history("中心医院医药购销不正之风的问题是怎么查的？", "核查问题线索11条。")
    answer = bot.ask("最后处理了几个人？", history=history)
    assert "4人" in answer.answer and "7人" in answer.answer


def test_the_figure_before_asked_after_the_figure_now(bot):
    history = _history("青禾县水利局农村自来水普及率现在多少？", "提高到95.1%。")
    answer = bot.ask("原来是多少？", history=history)
    assert answer.answered and "88.4%" in answer.answer


@pytest.mark.parametrize("follow_up, wanted", [("最后那个为啥到现在还没处理完？", "历史遗留用地"),
                                              ("第二个是怎么处理的？", "补办用地审批")])
def test_an_item_of_a_list_of_things_inside_one_issue(bot, follow_up, wanted):
    history = _history("青禾市民政局巡察指出的3处违规公墓是哪几个？", "1. 白马岭公墓 2. 云台公墓 3. 黄泥岗公墓")
    answer = bot.ask(follow_up, history=history)
    assert answer.answered and wanted in answer.answer
    assert "217户" not in answer.answer          # the other issue of the report


def test_written_items_are_read_in_every_numbering():
    from assistant.followup import written_items

    assert written_items("1. 白马岭公墓 2. 云台公墓 3. 黄泥岗公墓") == ["白马岭公墓", "云台公墓", "黄泥岗公墓"]
    assert written_items("1. 固定资产：已登记入账；\n2. 合同管理：已补充审核意见。") == ["固定资产", "合同管理"]
    # counter-example: counts side by side are no items
    assert written_items("已完成整改7个，基本完成整改3个。") == []
