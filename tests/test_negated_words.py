"""A date asked of an event is not answered by a sentence saying the event was not done
(未按规定及时缴入国库), but a negated adjective beside it (干预不合理处方) negates nothing the
question asks: the sentence answers."""
from __future__ import annotations

import pytest

from assistant.passages import _negates_the_event
from conftest import assistant_over

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
            "一、反馈问题整改情况\n"
            "第一条、合理用药监管不到位。\n"
            "整改措施：一是上线合理用药前置审方系统。\n"
            "整改进展：已完成。前置审方系统已于2024年10月上线运行，累计干预不合理处方8426张。\n"
            "第二条、财务报销审核不严。\n"
            "整改措施：推行网上报销。\n"
            "整改进展：已完成。网上报销系统于2024年11月上线运行。\n")
LEDGER = ("青禾区市场监督管理局审计发现问题整改台账\n"
          "序号\t问题\t整改措施\t责任单位\t整改时限\t完成情况\t整改结果\n"
          "1\t截至2023年末，罚没收入127.36万元未按规定及时缴入国库。\t全额缴库。\t财务科\t2024年8月31日\t已完成\t已于2024年8月12日将127.36万元全额缴入国库。\n")


def test_a_compound_with_a_negation_is_no_negated_event():
    assert not _negates_the_event("前置审方系统已于2024年10月上线运行,累计干预不合理处方8426张", ["合理", "上线", "运行"])
    # the counter-example: the event said as not done
    assert _negates_the_event("截至2023年末,罚没收入127.36万元未按规定及时缴入国库", ["缴入", "国库"])


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"hospital.txt": HOSPITAL, "ledger.txt": LEDGER})


def test_the_event_beside_a_negated_adjective_answers(bot):
    answer = bot.ask("中心医院合理用药前置审方系统于何时上线运行？")
    assert "2024年10月" in answer.answer and "2024年11月" not in answer.answer


def test_the_event_said_as_not_done_does_not_answer(bot):
    answer = bot.ask("青禾区市场监管局罚没收入哪天缴入国库的？")
    assert "2024年8月12日" in answer.answer
