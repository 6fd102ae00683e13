"""「护理服务不够好这一条怎么整改的」 names an issue by its own headline (护理服务不够优质),
though another issue's long problem statement holds the same words scattered; in tags and
field-block layouts alike."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

TAGS = ("中共青禾县卫生健康委员会关于巡察整改情况的报告\n"
        "一、巡察反馈问题整改落实情况\n"
        "1．关于“基本医疗和公共卫生服务存有短板”的问题\n"
        "问题：全县基层医疗机构服务能力不够强，部分医疗机构护理人员、设备配备不足，公共卫生服务不够均衡。\n"
        "整改情况：完善基层医疗机构门诊设施，新建卫生院病房楼2栋。【整改中】\n"
        "2．关于“护理服务不够优质”的问题\n"
        "整改情况：开展优质护理服务示范病区创建，全县护理服务满意度提升至95%。【已完成】\n")
FIELDS = ("中共青禾市中心医院委员会关于巡察整改情况的报告\n"
          "一、反馈问题整改情况\n"
          "第一条、医院运行管理存在短板。医疗机构内部考核不够严格，护理、医技、后勤服务不够规范，部分科室服务流程繁琐。\n"
          "整改措施：修订内部考核办法。\n整改进展：已完成。\n"
          "第二条、护理服务不够优质。\n"
          "整改措施：推行责任制整体护理，开展护理服务质量专项检查。\n整改进展：已完成。\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"tags.txt": TAGS, "fields.txt": FIELDS})


@pytest.mark.parametrize("question, wanted, other", [
    ("青禾县卫健委医疗机构护理服务不够好这一条，采取了哪些整改措施？", "示范病区", "病房楼"),
    ("中心医院医疗机构护理服务不够好这一条，采取了哪些整改措施？", "责任制整体护理", "内部考核办法"),
])
def test_the_issue_whose_headline_holds_the_words_is_the_one_asked(bot, question, wanted, other):
    answer = bot.ask(question)
    assert answer.answered and wanted in answer.answer
    assert other not in answer.answer


def test_words_of_a_long_problem_statement_still_find_its_issue(bot):
    # the counter-example: words only the long statement holds find that issue
    answer = bot.ask("青禾县卫健委公共卫生服务不够均衡的问题是怎么整改的？")
    assert "病房楼" in answer.answer and "示范病区" not in answer.answer


def test_a_list_over_issues_is_no_reference_to_one_headline(bot):
    # the counter-example: 「哪些…涉及护理服务」 lists every issue naming it, in both reports
    answer = bot.ask("哪些单位的问题涉及护理服务？")
    assert "青禾县卫生健康委员会" in answer.answer and "青禾市中心医院" in answer.answer
