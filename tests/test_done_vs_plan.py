"""A figure reached (「已经改造了多少公里」「现在到多少了」) is answered by what is done, not by
the problem statement (the state before) nor by a plan (「确保…年底前完成」, the state not
reached yet); a question asking the plan itself is still answered by it."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

FIELD_BLOCKS = ("中共青禾县水务局党组关于巡察整改情况的报告\n"
                "一、反馈问题整改情况\n"
                "问题1：城区排水管网改造滞后，列入年度计划的30公里管网仅完成改造8公里。\n"
                "整改措施：分片包干，倒排工期，每周调度。\n"
                "整改进展：正在推进。已完成改造22公里，剩余管网正在施工。\n"
                "问题2：供水水质检测频次不足。\n"
                "整改措施：增加检测点位。\n"
                "整改进展：已完成。\n"
                "二、下一步工作打算\n"
                "紧盯城区排水管网改造等重点工程，确保剩余管网2025年底前全部完成改造。\n")
PROSE = ("中共青禾县生态环境局党组关于督察反馈问题整改落实情况的报告\n"
         "一、督察反馈问题整改情况\n"
         "（一）农村生活污水治理率偏低，全县农村生活污水治理率仅为21%。【正在推进】\n"
         "整改情况：新建污水处理站14座，目前全县农村生活污水治理率达到37%。\n"
         "三、下一步打算\n"
         "力争2025年底前全县农村生活污水治理率提高到45%。\n")

HEALTH = ("县卫生健康局关于医疗服务领域巡察整改情况的报告\n"
          "一、反馈问题整改情况\n"
          "（一）部分医疗机构财务运转压力较大\n"
          "整改落实情况：坚持“一院一策”化解债务，目前青山中心卫生院已化解债务30万元，"
          "县中医医院已制定了150万元的债务化解计划。【正在推进】\n"
          "（二）中医药人才短缺\n"
          "整改落实情况：今年全县卫健系统已制定10名中医岗位招聘计划。【正在推进】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"water.txt": FIELD_BLOCKS, "ecology.txt": PROSE, "health.txt": HEALTH})


@pytest.mark.parametrize("question", ["水务局城区排水管网已经改造了多少公里？",
                                      "水务局的排水管网目前改造了多少公里？"])
def test_the_figure_reached_is_the_one_done(bot, question):
    answer = bot.ask(question)
    assert answer.answered
    assert "22公里" in answer.answer
    assert "仅完成改造8公里" not in answer.citations[0].text      # the state before
    assert all("确保" not in c.text for c in answer.citations)      # the plan


def test_the_rate_reached_in_a_prose_area(bot):
    answer = bot.ask("生态环境局农村生活污水治理率现在到多少了？")
    assert answer.answered
    assert "37%" in answer.answer and "45%" not in answer.answer


def test_a_question_asking_the_plan_is_answered_by_it(bot):
    # the counter-example: 计划/力争 ask the plan, which a sentence of what is done does not state
    answer = bot.ask("生态环境局农村生活污水治理率计划提高到多少？")
    assert answer.answered
    assert "45%" in answer.answer


@pytest.mark.parametrize("text, plan", [("确保剩余管网2025年底前全部完成改造。", True),
                                        ("力争2025年底前治理率提高到45%。", True),
                                        ("已完成改造22公里，剩余管网力争年底前完工。", False),
                                        ("新建污水处理站14座。", False)])
def test_a_sentence_only_planning(text, plan):
    from ingest.lexicon import load_lexicon
    assert load_lexicon().only_plans(text) is plan


@pytest.mark.parametrize("question", ["县中医医院目前已实际化解债务多少万元？",
                                      "县中医医院已经消化掉的欠债有多少万元？"])
def test_a_body_whose_figure_is_only_a_plan_is_refused(bot, question):
    answer = bot.ask(question)
    assert not answer.answered and "计划" in answer.answer
    assert "30万元" not in answer.answer.split("以下段落")[0]     # another body's figure is no answer


@pytest.mark.parametrize("question, figure", [("青山中心卫生院目前已化解债务多少万元？", "30万元"),
                                              ("县中医医院制定了多少万元的债务化解计划？", "150万元")])
def test_the_figure_done_and_the_plan_asked_are_answered(bot, question, figure):
    # the counter-examples: the body with a figure done; the plan asked as a plan
    answer = bot.ask(question)
    assert answer.answered and figure in answer.answer


# The progress of an issue seldom repeats its topic (a ledger's 整改进展 cell, a field
# block's 整改进展 line): the figure reached stands there, beside no word of the question.
BLOCKS_SILENT_PROGRESS = ("中共青禾县水利局党组关于巡察整改情况的报告\n"
                          "一、反馈问题整改情况\n"
                          "问题{n}：农村黑臭水体治理滞后，列入清单的20条黑臭水体仅完成治理5条。\n"
                          "整改措施：逐条制定治理方案，统筹推进截污控源和清淤疏浚。\n"
                          "整改进展：正在推进。已完成治理13条，剩余7条正在施工。\n"
                          "问题{m}：水利工程建设资金拨付不及时。\n"
                          "整改措施：建立资金拨付台账。\n"
                          "整改进展：已完成。\n"
                          "问题{k}：城区污水集中收集率偏低，仅为52%。\n"
                          "整改措施：新建截污管网。\n"
                          "整改进展：正在推进。新建截污管网18公里，目前已达到61%。\n")


@pytest.fixture(scope="module")
def silent(tmp_path_factory):
    return {order: assistant_over(tmp_path_factory, {"water.txt": BLOCKS_SILENT_PROGRESS.format(n=n, m=m, k=k)})
            for order, (n, m, k) in {"first": (1, 2, 3), "renumbered": (7, 3, 5)}.items()}


@pytest.mark.parametrize("order", ["first", "renumbered"])
@pytest.mark.parametrize("question", ["那20条黑臭水体治好了几条？", "黑臭水体现在已经治理了多少条？"])
def test_the_figure_reached_is_found_in_its_issues_progress(silent, order, question):
    answer = silent[order].ask(question)
    assert answer.answered, answer.answer
    assert "13条" in answer.answer
    assert "仅完成治理5条" not in answer.citations[0].text          # the state before


def test_a_figure_of_another_thing_is_not_taken_from_the_progress(silent):
    # counter-example: the progress states no 监测点, so it does not answer how many were added
    answer = silent["first"].ask("黑臭水体治好以后，新增了多少个水质监测点？")
    assert "13条" not in answer.answer


@pytest.mark.parametrize("order", ["first", "renumbered"])
def test_the_rate_reached_is_found_in_its_issues_progress(silent, order):
    answer = silent[order].ask("城区污水集中收集率现在提高到多少了？")
    assert answer.answered and "61%" in answer.answer



# What is planned for a thing named in an issue often stands in the next-steps part only,
# under its own heading or in an appendix whose title names the plan.
PLAN_ISSUE = ("中共青禾市民政局党组关于巡察整改情况的报告\n"
              "一、反馈问题整改情况\n"
              "1、关于违规建设经营性公墓整改不到位的问题。整改情况：白马岭公墓已拆除违规墓位216个，"
              "石门坳公墓处置工作较为复杂，目前正在推进。\n"
              "2、关于低保审核把关不严的问题。整改情况：清退不符合条件对象32户。\n")
PLAN_HEADING = PLAN_ISSUE + ("二、下一步工作打算\n"
                             "1、完成殡葬领域遗留问题整治。石门坳公墓2025年6月底前完成用地问题处置。\n")
PLAN_APPENDIX = PLAN_ISSUE + ("附件\n青禾市民政局巡察整改工作下一步计划\n"
                              "1、完成殡葬领域遗留问题整治。石门坳公墓2025年6月底前完成用地问题处置。\n")


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    return {name: assistant_over(tmp_path_factory, {"civil.txt": text})
            for name, text in {"heading": PLAN_HEADING, "appendix": PLAN_APPENDIX}.items()}


@pytest.mark.parametrize("layout", ["heading", "appendix"])
def test_a_how_question_asking_the_plan_quotes_the_next_steps_naming_its_thing(planned, layout):
    answer = planned[layout].ask("石门坳公墓的事接下来打算怎么弄？")
    assert answer.answered and "白马岭公墓已拆除" in answer.answer
    assert "2025年6月底" in answer.answer
    assert any("2025年6月底" in c.text for c in answer.citations)


def test_a_how_question_without_a_plan_word_quotes_only_what_was_done(planned):
    # counter-example: 怎么整改的 asks what was done; the plan is not added
    answer = planned["heading"].ask("石门坳公墓的事是怎么整改的？")
    assert answer.answered and "2025年6月底" not in answer.answer


@pytest.mark.parametrize("question", ["卫生健康局中医岗位招了多少人？", "卫生健康局中医岗位最后招到了几个人？"])
def test_a_plan_made_is_no_figure_done_even_without_a_body_named(bot, question):
    answer = bot.ask(question)
    assert not answer.answered and "计划" in answer.answer


def test_a_question_asking_the_plan_is_answered_by_the_plan_made(bot):
    # counter-example: the plan itself asked
    answer = bot.ask("卫生健康局中医岗位招聘计划是多少人？")
    assert answer.answered and "10名" in answer.answer


DEBT = ("中共青禾镇委员会关于巡察整改情况的报告\n"
        "一、巡察反馈问题整改情况\n"
        "（一）关于镇村债务化解进度缓慢的问题\n"
        "整改情况：一是全面摸清镇村债务底数，核定镇级债务2,360万元；二是制定化解方案；"
        "三是截至目前已化解镇级债务1,120万元。【正在推进】\n")


@pytest.fixture(scope="module")
def debt(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"town.txt": DEBT})


@pytest.mark.parametrize("question", ["青禾镇的镇村债务已经还掉多少了？", "青禾镇镇村债务现在化解了多少？"])
def test_the_figure_done_is_quoted_before_another_figure_of_the_same_record(debt, question):
    answer = debt.ask(question)
    assert answer.answered and "1120" in answer.citations[0].text.replace(",", "")


def test_a_figure_not_asked_after_rectification_keeps_its_own_order(debt):
    # counter-example: the debt found is asked, not what was paid off
    answer = debt.ask("青禾镇核定的镇级债务有多少？")
    assert answer.answered and "2360" in answer.citations[0].text.replace(",", "")


PAID_IN = ("青禾县农业农村局预算执行审计发现问题整改情况\n"
           "一、审计发现问题整改情况\n"
           "问题1：非税收入未及时上缴。截至2023年末，罚没收入20.5万元滞留在单位银行账户，未按规定及时缴入国库。\n"
           "整改措施：建立非税收入台账。\n"
           "整改进展：已完成。已于2024年8月12日将20.5万元全额缴入国库。\n")


@pytest.fixture(scope="module")
def paid(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"agri.txt": PAID_IN})


@pytest.mark.parametrize("question", ["农业农村局滞留的罚没收入是哪天缴入国库的？", "农业农村局那笔罚没款哪天交到国库的？",
                                      "农业农村局罚没收入实际缴库的日期是哪天？"])
def test_the_date_of_an_event_is_not_a_date_of_the_sentence_saying_it_was_not_done(paid, question):
    answer = paid.ask(question)
    assert answer.answered and "2024年8月12日" in answer.answer
    assert "截至2023年末" not in answer.citations[0].text


def test_a_negated_word_is_told_from_a_word_with_未_in_it():
    from assistant.passages import _negates_the_event

    assert _negates_the_event("截至2023年末,罚没收入滞留,未按规定及时缴入国库", ["罚没", "缴入", "国库"])
    # counter-examples: 未成年人 is a word, and a verb said once not done and once done is done
    assert not _negates_the_event("对尚未建成工作站的乡镇逐一督导,9月底前实现未成年人保护工作站全覆盖",
                                  ["未成", "成年", "未成年人", "保护", "覆盖"])
    assert not _negates_the_event("尚未完成整改的3个问题,力争3月底前全部完成", ["完成"])
