"""Answer rules that need no index: statuses asked in staff's words, scope over many
reports of several sectors, ordinals only where items are meant, sums only of parts,
how answers condensed to their measures. Each with its counter-example."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import AnswerSettings
from assistant.passages import asked_parts, condense_measures, stated_parts_total
from assistant.scope import NameFinder, resolve_scope, unknown_institutions
from assistant.understanding import Intent, split_compound, understand
from index.tokenize import normalize
from ingest.lexicon import load_lexicon
from ingest.loader import load_report
from ingest.models import Status

SHARE = AnswerSettings().part_share

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
OPEN = frozenset({Status.PARTIAL, Status.IN_PROGRESS, Status.LONG_TERM})


# --- statuses in staff's words ----------------------------------------------------------

@pytest.mark.parametrize("question,statuses", [
    ("哪些问题已整改到位？", {Status.COMPLETED}),
    ("改完了几个？", {Status.COMPLETED}),
    ("已经销号的有哪些", {Status.COMPLETED}),
    ("基本完成的有几个？", {Status.PARTIAL}),
    ("部分完成的是哪两项", {Status.PARTIAL}),
    ("标着持续推进的是哪些", {Status.IN_PROGRESS}),
    ("已达到序时进度的问题", {Status.IN_PROGRESS}),
    ("需长期坚持的是哪个", {Status.LONG_TERM}),
    ("还有哪些没改完？", OPEN),
    ("还剩几个问题", OPEN),
    ("哪些问题尚未完成整改", OPEN),
    ("还有哪几条没彻底完成？", OPEN),
    ("哪些事项没有完全完成", OPEN),
    # counter-example: done thoroughly is done
    ("哪些问题已经彻底完成了", {Status.COMPLETED}),
    ("已经完成的是哪些？", {Status.COMPLETED}),
    ("还没有完成的是哪些？", OPEN),
])
def test_status_words_of_questions_come_from_the_vocabulary(question, statuses):
    assert load_lexicon().statuses_asked(question) == frozenset(statuses)


def test_not_finished_is_never_read_as_finished():
    lexicon = load_lexicon()
    assert Status.COMPLETED not in lexicon.statuses_asked("哪些未完成")
    assert Status.COMPLETED not in lexicon.statuses_asked("没有完成的有哪些")
    assert lexicon.statuses_asked("已完成的有哪些") == {Status.COMPLETED}


def test_a_completion_word_just_after_a_partial_one_belongs_to_it():
    lexicon = load_lexicon()
    assert lexicon.statuses_asked("哪些事项大头已经做完、只差最后一步") == {Status.PARTIAL}
    # counter-example: two statuses asked side by side stay two
    assert lexicon.statuses_asked("哪些已完成，哪些基本完成？") == {Status.COMPLETED, Status.PARTIAL}


@pytest.mark.parametrize("question, statuses", [
    ("做审计整改销号统计要用：台账上没有完全整改到位的是哪几项？", OPEN),
    ("为了写已完成事项的总结，还没改完的有哪些？", OPEN),
    ("准备去督导：哪些问题基本完成了？", {Status.PARTIAL}),
    # counter-examples: the status in the clause before is the one asked when the asking
    # clause names none, and two asking clauses keep both
    ("还没改完的，有哪些？", OPEN),
    ("已完成的问题中，哪些涉及资金？", {Status.COMPLETED}),
    ("哪些已完成，哪些基本完成？", {Status.COMPLETED, Status.PARTIAL}),
])
def test_a_clause_saying_why_the_user_asks_gives_no_status(question, statuses):
    assert understand(question).status == frozenset(statuses)


@pytest.mark.parametrize("question", ["那剩下这几条计划啥时候搞完？", "什么时候能全部改完", "何时完成整改"])
def test_a_when_word_before_a_completion_word_asks_for_the_deadline(question):
    assert load_lexicon().field_asked(question) == "deadline"


@pytest.mark.parametrize("question", ["这个问题什么时候发现的", "啥时候开的会"])
def test_a_when_word_alone_does_not_ask_for_the_deadline(question):
    assert load_lexicon().field_asked(question) is None


def test_spoken_words_are_searched_as_the_written_ones():
    lexicon = load_lexicon()
    assert lexicon.written("审方系统一天平均审多少次") == "审方系统日均审多少次"
    assert lexicon.written_word("罚") == "处罚" and "罚款" in lexicon.alternates("处罚")
    # a short spoken word is read only as a word, never inside another one
    assert lexicon.written("需要回应群众关切") == "需要回应群众关切"
    # everyday names of things the reports write otherwise
    assert lexicon.written("医院的急救车被挪用") == "医院的救护车被挪用"
    assert lexicon.written_word("欠债") == "债务" and lexicon.written_word("欠账") == "债务"


def test_measure_words_of_one_thing_answer_each_other():
    from assistant.retrieval import unit_pattern

    assert unit_pattern("起").search("立案查处违法案件218件")
    assert not unit_pattern("起").search("处罚金额62万元")


def test_an_amount_of_money_is_not_ten_thousand_of_something_else():
    from assistant.retrieval import unit_pattern

    money = unit_pattern("money")
    for text in ("追回资金312万元", "共计5万余元", "罚款5万。", "投入1.2亿元", "补助300元/人"):
        assert money.search(text), text
    for text in ("设计规模5万吨/日", "服务3万人次", "改造1.46万平方米"):
        assert not money.search(text), text


def test_a_question_without_a_status_word_has_no_status_filter():
    assert load_lexicon().statuses_asked("基本情况是怎么介绍的") is None
    assert understand("二院的招投标问题怎么整改的").status is None


def test_a_status_word_is_not_left_in_the_topic():
    query = understand("城投集团还有哪些问题正在推进", ["城投集团"])
    assert query.intent is Intent.LIST and query.status == {Status.IN_PROGRESS}
    assert not any("推进" in t for t in query.topic_terms + query.fact_terms)


def test_a_status_with_how_many_is_a_count():
    assert understand("那16个问题里改完了几个？").intent is Intent.COUNT


@pytest.mark.parametrize("question", ["要做整改台账，按具体问题一共得建多少行？",
                                      "通报里细分的问题总共编到了多少条？"])
def test_issues_counted_after_a_total_word_are_a_count(question):
    assert understand(question).intent is Intent.COUNT


@pytest.mark.parametrize("question", ["招投标问题一共涉及多少个项目？", "这个问题一共追回了多少？",
                                      "那个问题总共花了多少钱？"])
def test_a_figure_of_one_issue_is_no_count_of_issues(question):
    # counter-examples: another thing counted, or this one issue's own figure
    assert understand(question).intent is not Intent.COUNT


@pytest.mark.parametrize("question", ["上一轮巡察和审计的问题，一院复核了多少个？", "专项督查查找了多少问题？",
                                      "这次清查出多少个问题？"])
def test_issues_a_check_found_are_a_figure_of_the_text(question):
    # the check verbs come from genre.toml: what the check found is stated in the text
    assert not _counts_issues_of(question)


def test_issues_counted_without_a_check_verb_are_the_reports():
    # counter-example
    assert _counts_issues_of("一院一共被反馈了多少个问题？")


def _counts_issues_of(question: str) -> bool:
    from assistant.understanding import _counts_issues

    return _counts_issues(normalize(question), understand(question))


# --- scope over many reports -------------------------------------------------------------

@pytest.fixture(scope="module")
def reports():
    paths = sorted(LAYOUTS.glob("*.txt")) + sorted((ROOT / "data" / "reports").glob("*.txt"))
    return [load_report(p) for p in paths]


def _scoped(question, reports, selector=None):
    scope = resolve_scope(question, reports, selector)
    return sorted(r.source for r in reports if r.report_id in scope.report_ids) if scope.named else "all"


@pytest.mark.parametrize("question,source", [
    ("青禾一中的课后服务问题怎么改的", "school-tags.txt"),
    ("中共青禾市第一中学委员会的整改情况", "school-tags.txt"),
    ("交投集团的公车问题", "soe-fields.txt"),
    ("青禾交投有几个问题没改完", "soe-fields.txt"),
    ("县人社局的台账里哪些部分完成", "bureau-ledger.txt"),
    ("东湖街道的整改措施完成了多少项", "street-prose.txt"),
    ("二院的招投标问题怎么整改的", "chenzhou-second-hospital-2025.txt"),
    ("郴州市第二人民医院有多少个问题", "chenzhou-second-hospital-2025.txt"),
    # a report whose title names only the inspection team, by what it calls itself (我委, 全县卫健系统)
    ("县卫健委有几个问题还在整改", "county-health-2024.txt"),
    ("卫健委那份报告里哪些问题已整改完成", "county-health-2024.txt"),
])
def test_a_body_named_by_a_short_or_full_name_scopes_to_its_report(reports, question, source):
    assert _scoped(question, reports) == [source]


def test_several_bodies_named_in_one_question_are_all_in_scope(reports):
    assert _scoped("青禾一中和东湖街道各有几个问题", reports) == ["school-tags.txt", "street-prose.txt"]


def test_a_place_alone_scopes_to_the_reports_there(reports):
    assert _scoped("青禾那边的报告有哪些问题", reports) == ["bureau-ledger.txt", "school-tags.txt", "soe-fields.txt", "street-prose.txt"]
    assert _scoped("郴州那边有几个问题", reports) == ["chenzhou-second-hospital-2025.txt"]


def test_a_name_after_another_level_is_not_this_reports_body(reports):
    # 郴州二院 is a 市 hospital; 县第二人民医院 is a county body, which the county-level
    # report (one without a body name of its own) speaks about
    assert _scoped("县第二人民医院的问题怎么整改的", reports) == ["county-health-2024.txt"]
    assert _scoped("市第二人民医院的问题怎么整改的", reports) == ["chenzhou-second-hospital-2025.txt"]


def test_the_inspecting_committee_names_no_report(reports):
    assert _scoped("县委巡察组反馈了哪些问题", reports) == "all"


def test_a_question_naming_no_body_spans_the_corpus(reports):
    assert _scoped("哪些问题还在整改", reports) == "all"


def test_ordinals_are_not_read_inside_a_name():
    assert understand("第二人民医院的问题怎么整改的").ordinal is None
    assert understand("第一中学有几个问题").ordinal is None
    assert understand("第3个是怎么改的").ordinal == 3
    assert understand("其中第二条呢").ordinal == 2


def test_a_body_no_report_carries_is_unknown_and_one_a_report_mentions_is_not(reports):
    finder = NameFinder(reports)
    assert unknown_institutions("北京协和医院的整改情况", reports, finder) == ["北京协和医院"]
    assert unknown_institutions("滨江市民政局改了哪些问题", reports, finder) == ["滨江市民政局"]
    assert unknown_institutions("青禾一中的问题", reports, finder) == []
    # a report's place before a name its text mentions is that name (鹤岭 + 白沙镇中心幼儿园)
    bureau = load_report_text("中共鹤岭县教育局党组关于巡察整改情况的报告\n"
                              "整改情况：白沙镇中心幼儿园正在进行室内装修。", "bureau.txt")
    pool = reports + [bureau]
    assert unknown_institutions("鹤岭白沙镇中心幼儿园啥时候开园？", pool, NameFinder(pool)) == []
    assert unknown_institutions("鹤岭黄沙镇中心幼儿园啥时候开园？", pool, NameFinder(pool)) != []


def test_every_body_of_a_kind_or_a_name_said_with_a_word_less_is_no_unknown_body():
    civil = load_report_text("中共鹤岭市民政局党组关于巡察整改情况的报告\n"
                             "整改情况：已建成街道综合养老服务中心21个，乡镇（街道）未成年人保护工作站覆盖率达60%。",
                             "civil.txt")
    pool = [civil]
    finder = NameFinder(pool)
    assert unknown_institutions("鹤岭市各乡镇的未成年人保护工作站何时建成？", pool, finder) == []
    assert unknown_institutions("民政局那边街道养老服务中心建成几个了？", pool, finder) == []
    # counter-examples: a body of another name, and a name no report says even with a word more
    assert unknown_institutions("鹤岭市教育局的问题改完了吗", pool, finder) == ["鹤岭市教育局"]
    assert unknown_institutions("鹤岭市城南养老服务中心建成了吗", pool, finder) == ["鹤岭市城南养老服务中心"]


@pytest.mark.parametrize("question,unit", [("罚没收入于何日全额缴入国库？", "day"), ("哪日完成整改", "day")])
def test_formal_words_for_which_day_ask_a_day(question, unit):
    assert understand(question).unit == unit


def test_spoken_words_for_paying_in_search_the_written_ones():
    assert "缴入" in understand("那笔罚没款是哪天交到国库的？").fact_terms


@pytest.mark.parametrize("question", [
    "二院公立医院绩效考核排名后来提到什么档次了",      # a known body, then what it is about
    "二院2025年党委中心组学习搞了几次",               # a year ends a name
    "未成年人保护工作站啥时候能做到乡镇街道全覆盖",     # levels alone name no place
])
def test_a_known_body_followed_by_its_subject_names_no_other_body(reports, question):
    assert unknown_institutions(question, reports, NameFinder(reports)) == []


def test_a_company_named_with_a_verbal_noun_is_a_body(reports):
    # 建设/投资 are verbal nouns inside a company's name: the whole name is one body,
    # unknown here, reported once; the store's own company is known by its full name
    finder = NameFinder(reports)
    assert unknown_institutions("青禾市城市建设投资集团有限公司追回了多少钱", reports, finder) == \
        ["青禾市城市建设投资集团有限公司"]
    assert unknown_institutions("青禾市交通投资集团有限公司追回了多少钱", reports, finder) == []


def test_a_real_other_body_after_a_known_one_is_still_unknown(reports):
    # counter-example: the stop at a known body does not hide a body of its own
    finder = NameFinder(reports)
    assert unknown_institutions("二院和滨江市民政局比哪家问题多", reports, finder) == ["滨江市民政局"]


def test_renaming_a_body_in_report_and_question_alike_keeps_the_scope(reports):
    school = next(r for r in reports if r.source == "school-tags.txt")
    renamed = load_report_text(school.body.replace("青禾市第一中学", "滨江县第二中学"), "renamed.txt")
    others = [r for r in reports if r is not school] + [renamed]
    assert _scoped("滨江二中的课后服务问题怎么改的", others) == ["renamed.txt"]


def load_report_text(text, name):
    from ingest.parser import parse_report

    return parse_report(text, name, "0")


# --- figures ------------------------------------------------------------------------------

def test_parts_listed_side_by_side_are_summed_and_said_to_be_a_sum():
    query = understand("一共评了多少家")
    total = stated_parts_total(query, "评定五星级27家、四星级182家、三星级25家。")
    assert "27+182+25=234家" in total and "报告未直接给出合计" in total


def test_a_whole_and_its_part_are_not_summed():
    query = understand("一共有多少家")
    assert stated_parts_total(query, "17家基层医疗机构中，5家未按规定配备药师。") == ""


def test_a_sentence_that_states_its_total_is_not_summed_again():
    query = understand("一共评了多少家")
    assert stated_parts_total(query, "共评定234家，其中五星级27家、四星级182家。") == ""


def test_questions_of_two_parts_are_recognised():
    assert asked_parts("整改前后分别是多少？") == 2
    assert asked_parts("计划多少，实际多少") == 2
    assert asked_parts("执行率是多少") == 1
    # 「还有多少」 after a comma adds a part; right after 剩下的 it is the rest, one part
    assert asked_parts("追回了多少钱，还有几个人被处分？") == 2
    assert asked_parts("剩下的还有多少没追回？") == 1


# --- how answers ---------------------------------------------------------------------------

def test_a_long_rectification_is_condensed_to_every_measure_lead():
    text = ("一是完善制度。" + "制定办法并组织培训，" * 30 + "全面落实。"
            "二是加强监督。" + "开展专项检查，" * 30 + "发现问题5个。"
            "三是严肃问责。对3名责任人诫勉谈话。完成情况：已完成。")
    short = condense_measures(text, 200)
    assert short.startswith("一是完善制度。") and "二是加强监督。" in short and "三是严肃问责。" in short
    assert "完成情况：已完成。" in short and len(short) < len(text)
    for part in short.split("……"):
        assert part in text          # every piece is quoted verbatim


@pytest.mark.parametrize("marks", [("一是", "二是", "三是"), ("（1）", "（2）", "（3）")])
def test_a_long_measure_about_the_topic_does_not_crowd_out_the_other_leads(marks):
    first, second, third = marks
    text = (f"{first}推进医共体提质增效。" + "选派专家驻点帮扶，" * 40 + "全面启动。"
            f"{second}建设信息系统。完成数字化平台建设。"
            f"{third}推进专家下基层。每周派出专家坐诊。完成情况：已完成。")
    short = condense_measures(text, 200, topic=["医共体"])
    assert f"{first}推进医共体提质增效。" in short
    assert f"{second}建设信息系统。" in short and f"{third}推进专家下基层。" in short
    assert "选派专家驻点帮扶" not in short       # the long measure gave way to the others' leads


def test_a_measure_about_the_topic_is_whole_where_there_is_room():
    # counter-example: a short measure about the topic is quoted whole
    text = ("一是完善制度。" + "制定办法并组织培训，" * 30 + "全面落实。"
            "二是加强公务用车管理。封存超编车辆2辆，收回加油卡5张。"
            "三是严肃问责。对3名责任人诫勉谈话。")
    short = condense_measures(text, 200, topic=["公务用车"])
    assert "封存超编车辆2辆，收回加油卡5张。" in short
    assert "一是完善制度。" in short and "三是严肃问责。" in short


# --- the answer/refuse decision -------------------------------------------------------------

def test_calibration_separates_supported_from_unsupported_evidence():
    from assistant.answerability import Evidence, fit

    good = [Evidence(dense=0.85 + i / 200, coverage=0.9, context=0.9, absent=0.0, terms=1.5) for i in range(10)]
    bad = [Evidence(dense=0.70 + i / 200, coverage=0.2, context=0.3, absent=0.7, terms=1.5) for i in range(10)]
    model = fit(good + bad, [True] * 10 + [False] * 10, "test-model", {})
    assert all(model.answerable(e) for e in good) and not any(model.answerable(e) for e in bad)
    assert model.weights["coverage"] > 0 and model.weights["absent"] < 0
    assert model.fitted_on["accuracy"] == 1.0


def test_calibration_drops_a_feature_fitted_against_its_direction():
    """Answerable questions that happen to use more words the reports lack must not teach
    the decision that missing words make an answer likelier."""
    from assistant.answerability import Evidence, fit

    good = [Evidence(dense=0.85 + i / 200, coverage=0.9, absent=0.5, terms=1.5) for i in range(10)]
    bad = [Evidence(dense=0.70 + i / 200, coverage=0.2, absent=0.1, terms=1.5) for i in range(10)]
    model = fit(good + bad, [True] * 10 + [False] * 10, "test-model", {})
    assert model.weights["absent"] == 0.0 and "absent" in model.fitted_on["dropped"]
    assert model.weights["coverage"] > 0
    assert all(model.answerable(e) for e in good) and not any(model.answerable(e) for e in bad)


def test_calibration_never_weighs_whether_the_question_named_its_report():
    from assistant.answerability import Evidence, fit

    good = [Evidence(dense=0.85 + i / 200, coverage=0.9, scope_named=1.0, terms=1.5) for i in range(10)]
    bad = [Evidence(dense=0.70 + i / 200, coverage=0.2, scope_named=0.0, terms=1.5) for i in range(10)]
    model = fit(good + bad, [True] * 10 + [False] * 10, "test-model", {})
    assert model.weights["scope_named"] == 0.0
    unscoped = Evidence(dense=0.87, coverage=0.9, scope_named=0.0, terms=1.5)
    assert model.answerable(unscoped)


def test_calibration_is_saved_per_embedding_model(tmp_path):
    from assistant.answerability import AnswerabilityModel, Evidence, calibration_path, fit

    model = fit([Evidence(coverage=1.0), Evidence(coverage=0.0)], [True, False], "some/model-1", {})
    path = calibration_path("some/model-1", tmp_path)
    model.save(path)
    loaded = AnswerabilityModel.for_model("some/model-1", tmp_path)
    assert loaded.model_id == "some/model-1" and loaded.threshold == model.threshold


def test_shipped_calibration_exists_for_the_default_model():
    from assistant.answerability import CALIBRATION_DIR

    assert any(p.name.startswith("m3e-small") for p in CALIBRATION_DIR.glob("*.json"))


def test_a_verb_ending_in_a_body_type_character_is_not_a_body(reports):
    finder = NameFinder(reports)
    assert unknown_institutions("整改期间青禾市查处违法案件多少件", reports, finder) == []


def test_groups_are_listed_when_asked_for_in_any_word():
    for question in ("分了哪几块？都列一下", "分了几个方面，逐条列一下", "反馈意见分成哪几大类"):
        query = understand(question)
        assert query.count_groups and query.intent is Intent.LIST, question
    assert understand("被反馈了几个方面的问题？").intent is Intent.COUNT


@pytest.mark.parametrize("question", ["要列出二院被巡察查出的几类不该发的钱分别是什么名目",
                                      "这次整改涉及几个领域的资金？", "查出了几类违规发放的补贴？"])
def test_kinds_of_a_thing_are_not_the_reports_groups(question):
    # counter-examples of the test above: the kinds counted are of the thing named after them
    assert not understand(question).count_groups


def test_an_ordinal_group_names_the_group_not_an_issue():
    query = understand("第三个方面有哪些问题？")
    assert query.ordinal == 3 and not query.count_groups and query.intent is Intent.LIST


@pytest.mark.parametrize("question,statuses", [
    ("哪些事项大部分已经落实、只剩一点没到位？", {Status.PARTIAL}),
    ("哪个问题是要长期坚持、没法一下改完的？", {Status.LONG_TERM}),
])
def test_a_named_status_wins_over_a_general_not_finished(question, statuses):
    assert load_lexicon().statuses_asked(question) == frozenset(statuses)


def test_a_completion_rate_given_only_as_counts_is_computed_and_said_to_be():
    from assistant.passages import compose_completion_rate
    from ingest.parser import parse_report

    report = parse_report("某镇关于巡察整改情况的报告\n共制定整改措施56条，已完成51条。\n"
                          "1.关于“白条入账”的问题\n整改情况：全面清理。【已完成】\n", "town.txt", "0")
    answer = compose_completion_rate(report, "整改措施完成比例是多少？")
    assert answer is not None and "51÷56≈91.1%" in answer.answer and "报告未直接给出完成比例" in answer.answer
    assert answer.citations[0].text in report.body


def test_no_rate_is_computed_for_a_question_that_asks_for_none():
    from assistant.passages import compose_completion_rate
    from ingest.parser import parse_report

    report = parse_report("某镇关于巡察整改情况的报告\n共制定整改措施56条，已完成51条。\n", "town.txt", "0")
    assert compose_completion_rate(report, "罚没收入占比是多少？") is None


def test_a_count_of_people_wants_a_count_of_people():
    assert understand("到底有多少编外人员？").unit == "人"
    assert understand("有多少个问题").unit == "个"


def test_a_rate_does_not_answer_a_question_for_a_total():
    from assistant.passages import fits
    from assistant.retrieval import ScoredSentence

    scored = ScoredSentence(0, 1.0, 0.8, 1.0, 1.0, True)
    query = understand("生活补助一共花了多少钱？")
    assert not fits(scored, query, "按照每人每月300元至800元的标准分档发放", "", SHARE)
    assert fits(scored, query, "共发放生活补助86.4万元", "", SHARE)


# --- questions with two parts ---------------------------------------------------------------

def test_two_questions_joined_by_a_comma_are_two_parts():
    from assistant.understanding import split_compound

    assert split_compound("城投有几个完工项目结算时钱付多了，后续处理到哪一步了？") == \
        ["城投有几个完工项目结算时钱付多了", "后续处理到哪一步了"]
    # counter-examples: a comma inside one question
    assert split_compound("哪些问题，还在整改中？") == ["哪些问题，还在整改中？"]
    assert split_compound("二院的问题，整改得怎么样") == ["二院的问题，整改得怎么样"]
    # 那几个 / 这几个 point; 啥 / 咋 ask
    assert split_compound("立案查处的那几个图斑，一共罚了多少钱？") == ["立案查处的那几个图斑，一共罚了多少钱？"]
    assert split_compound("剩下那几条啥时候能治完？一共投了多少钱？") == ["剩下那几条啥时候能治完", "一共投了多少钱"]


def test_a_later_part_asking_for_progress_gets_the_status_of_the_issue_just_answered(bot):
    answer = bot.ask("区域审方系统累计干预了多少张处方，这个问题整改到哪一步了？")
    assert answer.answered and "17906" in answer.answer
    assert "已完成" in answer.answer        # the status of that issue, not a refusal of the part
    assert "未找到答案" not in answer.answer


# --- comparisons that ask for the winner ----------------------------------------------------

def test_a_question_asking_which_report_has_more_names_it_with_its_count(bot):
    answer = bot.ask("两份报告里，哪份报告反馈的问题更多？")
    first = answer.answer.splitlines()[0]
    assert "更多" in first and "郴州市第二人民医院" in first and "40个" in first


def test_counts_without_a_comparative_name_no_winner(bot):
    answer = bot.ask("两份报告各反馈了多少个问题？")
    assert not answer.answer.startswith("以上")          # the per-report counts come first
    assert "40" in answer.answer and "14" in answer.answer


def test_a_count_no_sentence_states_cites_the_first_and_last_records_it_counted(bot):
    answer = bot.ask("郴州二院这次巡察一共反馈了多少个问题？")
    assert "40" in answer.answer
    labels = [c.issue for c in answer.citations if c.issue]
    assert labels == ["（1）", "（40）"]         # the numbering it counted, first to last


def test_a_section_is_known_by_its_caption_but_not_by_a_line_of_prose():
    from types import SimpleNamespace

    from assistant.config import AnswerSettings
    from assistant.handlers.lists import _LISTS_PARTS, _caption

    attachment = SimpleNamespace(text="附件\n\n某市卫健委巡察整改工作下一步计划\n\n（2025年4月）\n\n1．持续推进……")
    prose = SimpleNamespace(text="下一步工作打算\n医院党委将坚持目标不变、力度不减，持续巩固深化巡察整改成果。")
    limit = AnswerSettings().section_caption_max_chars
    assert _caption(attachment, limit) == "某市卫健委巡察整改工作下一步计划"
    assert _caption(prose, limit) == "" and _caption(SimpleNamespace(text="附件"), limit) == ""
    # 「分别是哪一年」 asks for two facts, not for the parts of a section
    assert _LISTS_PARTS.search("下一步计划一共列了几条") and not _LISTS_PARTS.search("两份报告的巡察分别是哪一年")


def test_a_label_inside_a_status_phrase_names_the_status_not_the_field():
    lexicon = load_lexicon()
    assert lexicon.field_asked("有没有没定死完成时间、得一直抓下去的事") is None
    assert lexicon.field_asked("债务风险那一条，整改时限是什么时候") == "deadline"
    assert lexicon.field_asked("二院什么时候改完的") == "deadline"         # when-word + completion
    assert lexicon.field_asked("哪些问题还没改完，责任单位是谁") == "responsible"


def test_a_status_with_which_item_asks_for_the_items_of_that_status():
    assert understand("有没有得一直抓下去、需要长期坚持的事？是哪一项？").intent is Intent.LIST
    assert understand("已经改完的是哪几条？").intent is Intent.LIST
    assert understand("哪一项的整改资金最多？").intent is not Intent.LIST     # no status asked


def test_a_note_about_a_report_quotes_the_totals_it_rests_on_verbatim():
    from assistant.aggregate import Selection, _note_line

    dev = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
    if not dev.is_dir():
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    report = next(r for r in (load_report(p) for p in sorted(dev.glob("*.txt"))) if not r.has_status_split()
                  and any(t.what.startswith("measures") for t in r.stated))
    citations = []
    line = _note_line(f"《{report.title}》", Selection(report, [], note="该报告未区分已完成和正在整改的问题。"), citations)
    assert citations and all(c.text in line and c.text == report.body[c.start:c.end] for c in citations)
    assert line.count("报告原文") == len(citations)


@pytest.mark.parametrize("question", ["剩下那几条啥时候能治完", "还没建的什么时候能建完"])
def test_a_when_word_before_any_verb_of_finishing_asks_for_the_deadline(question):
    assert load_lexicon().field_asked(question) == "deadline"


def test_a_remainder_asked_of_one_issue_is_the_rest_of_that_issue():
    from assistant.followup import Conversation, remainder_within_issue

    one = Conversation("城投多付工程款那件事现在什么情况？", items=["r#10"])
    assert remainder_within_issue("剩下没追回来的有多少？", one)
    # counter-examples: a question about issues, or a previous answer listing several
    assert not remainder_within_issue("剩下几个问题没改完？", one)
    assert not remainder_within_issue("剩下没追回来的有多少？", Conversation("", items=["r#1", "r#2"]))
    assert not remainder_within_issue("剩下的有多少？", None)
    # 第二个 picks one issue of a list: its rest
    two = Conversation("", items=["r#1", "r#2"])
    assert remainder_within_issue("第二个还剩多少钱没清理？", two, ordinal=2) == "r#2"
    assert remainder_within_issue("第三个还剩多少？", two, ordinal=3) is None


def test_an_opinion_asked_of_nothing_the_reports_are_about_is_outside_them():
    lexicon = load_lexicon()
    assert lexicon.asks_opinion_outside("你觉得人工智能会取代人类吗")
    assert lexicon.asks_opinion_outside("你认为明年房价会涨吗")
    assert lexicon.asks_opinion_outside("周末去哪里玩比较好") and lexicon.asks_opinion_outside("怎么减肥最有效")
    assert not lexicon.asks_opinion_outside("二院的整改措施哪个比较好")       # of the genre: answered
    # counter-examples: an opinion asked of the genre is answered with the facts; no cue, no refusal
    assert not lexicon.asks_opinion_outside("你觉得二院的招投标问题整改到位了吗")
    assert not lexicon.asks_opinion_outside("你认为教育局哪些还没改完")
    assert not lexicon.asks_opinion_outside("人工智能辅助诊断设备装了几台")


@pytest.mark.parametrize("question", ["帮我写一段年终总结的开头吧", "帮我写一段二院整改情况的总结", "翻译一下 good morning",
                                      "起草一份整改报告"])
def test_a_request_to_write_text_is_refused_with_its_reason(bot, question):
    answer = bot.ask(question)
    assert not answer.answered and "不代写" in answer.answer and not answer.citations


@pytest.mark.parametrize("question", ["二院写了几条整改措施", "整改报告是哪天写的", "报告里起草了什么制度"])
def test_a_question_about_what_was_written_is_no_writing_request(question):
    # counter-examples: 写 / 起草 said of the reports, not asked of the assistant
    assert not load_lexicon().asks_for_writing(question)


@pytest.mark.parametrize("question", ["做汇总表，要填城投整改中追缴清退资金的总额。", "要填县二院已经化解的欠债数额",
                                      "写简报要用审方系统累计干预处方的数量？"])
def test_a_request_closing_on_a_measure_noun_asks_for_its_figure(question):
    assert understand(question).wants_number


@pytest.mark.parametrize("question", ["哪些问题涉及的金额较大", "总额超过100万元的项目有哪些", "数量统计口径是怎么规定的"])
def test_a_measure_noun_inside_a_question_asks_no_figure(question):
    # counter-examples: the noun names what the question is about, not what it asks
    assert not understand(question).wants_number


@pytest.mark.parametrize("question,counted", [("互联网医院现在有多少注册用户？", "用户"), ("共有几个签约家庭医生团队", "团队"),
                                              ("多少名护士", "护士"), ("多少完成了整改", ""), ("一共追回了多少", "")])
def test_a_verb_before_the_counted_noun_qualifies_it(question, counted):
    # 注册用户 counts 用户: the verb before the noun is no end of the counted phrase
    assert understand(question).counted == counted


def test_a_status_word_inside_a_rate_names_the_rate():
    query = understand("12345工单的按期办结率和满意率分别提到了多少？")
    assert query.status is None and query.unit == "percent"
    # counter-example: the status word on its own is still a status
    assert understand("已经办结的有几个？").status == {Status.COMPLETED}


def test_a_group_pointed_at_in_other_words_is_the_group_holding_most_of_them():
    from assistant.aggregate import _group_by_words

    groups = {"关于贯彻落实党的路线方针政策和上级决策部署方面", "关于群众身边腐败和不正之风方面",
              "关于落实全面从严治党“两个责任”方面"}
    assert _group_by_words(groups, ["老百姓", "身边", "歪风", "腐败"]) == "关于群众身边腐败和不正之风方面"
    # counter-examples: one shared word, or a tie, names no group
    assert _group_by_words(groups, ["腐败", "村级"]) is None
    assert _group_by_words({"资金监管方面", "资金监管和采购方面"}, ["资金", "监管"]) is None


@pytest.mark.parametrize("question", ["违规采石场现在关掉了吗", "那笔钱目前追回来了吗"])
def test_what_an_issue_is_now_asks_for_its_status(question):
    assert understand(question).intent is Intent.STATUS


def test_a_body_type_only_one_report_is_names_that_report(reports):
    soe = [r.source for r in reports if any(a.endswith("集团") for a in r.aliases)]
    assert len(soe) == 1
    assert _scoped("集团这次还有几个问题没改完", reports) == soe
    assert _scoped("要按板块给集团整改情况做个目录", reports) == soe      # after a preposition too
    # counter-examples: the tail of another name, and a type many bodies share
    assert _scoped("省人民医院专家来过几次", reports) == "all"
    assert _scoped("委员会开了几次会", reports) == "all"


def test_a_figure_the_question_gives_does_not_answer_it():
    from assistant.passages import fits
    from assistant.retrieval import ScoredSentence

    scored = ScoredSentence(0, 1.0, 0.9, 1.0, 1.0, True)
    query = understand("镇里追回的那3.86万元违规补贴里，低保金占了多少？")
    assert query.given_figures == {"3.86"}
    assert not fits(scored, query, "共追回违规补贴3.86万元", "", SHARE)
    assert fits(scored, query, "其中低保金1.20万元，共追回违规补贴3.86万元", "", SHARE)
    # counter-example: a question giving no figure takes any sentence with one
    assert fits(scored, understand("低保金追回了多少？"), "共追回违规补贴3.86万元", "", SHARE)


def test_a_figure_after_rectification_is_asked_apart_from_the_one_before():
    assert understand("高级职称人员的占比现在提高到多少了？").wants_after
    assert understand("整改后执行率是多少").wants_after
    assert not understand("高级职称人员占比是多少？").wants_after


def test_a_sentence_of_the_problem_statement_is_told_from_one_of_the_rectification(bot):
    retriever = bot.retriever
    problem = [i for i, ref in enumerate(retriever.index.sentences) if retriever.states_problem(i)]
    assert problem and len(problem) < len(retriever.index.sentences)
    issue = next(rec for rec, _ in retriever.records.values() if rec.rectification and rec.problem)
    starts = {ref.start: i for i, ref in enumerate(retriever.index.sentences) if ref.record_id == issue.record_id}
    first_of_rectification = min(i for s, i in starts.items() if s >= issue.end - len(issue.rectification))
    assert not retriever.states_problem(first_of_rectification)
    assert retriever.states_problem(min(starts.values()))


def test_the_nth_item_is_the_one_written_nth_even_when_another_is_not_recognised():
    from assistant.followup import items_by_position

    report = load_report(ROOT / "data" / "reports" / "chenzhou-second-hospital-2025.txt")
    by_title = {i.title: i.record_id for i in report.issues}
    text = "有4种：1. 以“学习强国”名义发放奖励金；2. 评审劳务费发放不规范；3. 违规发放授课费；4. 违规发放宣传绩效。"
    assert items_by_position(text, report.issues)[3] == by_title["违规发放授课费"]
    # an item no issue matches keeps its place: the third is still the third written
    blurred = text.replace("评审劳务费发放不规范", "另外一种情况")
    positions = items_by_position(blurred, report.issues)
    assert 2 not in positions and positions[3] == by_title["违规发放授课费"]
    # counter-example: numbering that restarts per report counts on through the answer
    restarted = "《甲》：\n1. 违规发放授课费\n《乙》：\n1. 违规发放宣传绩效\n2. 评审劳务费发放不规范"
    assert items_by_position(restarted, report.issues)[2] == by_title["违规发放宣传绩效"]


def test_a_group_past_the_last_one_is_refused_with_the_number_there_is(bot):
    answer = bot.ask("二院巡察反馈第十四个方面下面有哪些问题？")
    assert not answer.answered and "只分了13个方面" in answer.answer
    # counter-example: a group that exists is listed
    assert bot.ask("二院巡察反馈第二个方面下面有哪些问题？").answered


def test_a_status_label_the_report_counts_apart_means_that_label():
    from types import SimpleNamespace

    from assistant.aggregate import _counted_label

    report = SimpleNamespace(stated=[SimpleNamespace(text="12个反馈问题中，已完成整改7个，已达到序时进度4个，正在推进1个；")])
    assert _counted_label(understand("那几个达到序时进度的问题是哪些？"), report) == "达到序时进度"
    assert _counted_label(understand("正在推进的是哪个？"), report) == "正在推进"
    # counter-example: a status word the report does not count apart is the status itself
    assert _counted_label(understand("还有哪些没改完？"), report) == ""
    assert understand("那几个达到序时进度的问题是哪些？").intent is Intent.LIST      # 那几个 counts nothing


def test_a_later_part_that_only_points_back_is_no_question_of_its_own():
    assert len(split_compound("城投有没有需要长期坚持的事？是哪一项？")) == 1
    # counter-example: two questions that each ask something
    assert split_compound("那这笔钱后来收回来了吗？有没有人被处理？") == ["那这笔钱后来收回来了吗", "有没有人被处理"]


def test_an_answer_someone_wrote_names_the_one_item_it_is_about():
    from types import SimpleNamespace

    from assistant.followup import items_named_in

    issues = [SimpleNamespace(record_id="a", title="农村黑臭水体治理进展缓慢"),
              SimpleNamespace(record_id="b", title="城镇生活污水处理能力不足")]
    assert items_named_in("正在推进的是农村黑臭水体治理，已完成17条。", issues) == ["a"]
    assert items_named_in("有2个：农村黑臭水体治理进展缓慢；城镇生活污水处理能力不足。", issues) == ["a", "b"]
    assert items_named_in("两项都还在推进。", issues) == []


def test_framing_words_of_the_asker_are_no_terms():
    assert "下来" not in understand("一院整改下来一共问责了多少人？").fact_terms
    assert "这笔" not in understand("这笔钱都追回来了吗？").fact_terms
    assert not {"汇报", "分栏"} & set(understand("做个汇报表，按方面分栏，得分几栏？").topic_terms)


def test_a_name_asked_for_is_not_answered_by_a_post():
    from assistant.retrieval import unit_pattern

    post = "由局党组书记、局长任组长，机关各股室主要负责人为成员。"
    assert understand("县委第三巡察组的组长叫什么名字？").unit == "name"
    assert not unit_pattern("name").search(post)
    assert unit_pattern("name").search("副院长王建国牵头负责。")
    # counter-example: 是谁负责 is answered by the post that holds it
    assert understand("这项工作是谁负责？").unit == "person" and unit_pattern("person").search(post)


def test_a_set_phrase_with_first_is_no_place_in_an_order():
    from assistant.retrieval import unit_pattern

    ordinal = unit_pattern("ordinal")
    assert not ordinal.search("认真履行巡察整改“第一责任人”责任，第一时间召开会议")
    assert ordinal.search("县委第三巡察组对镇党委开展了巡察")


def test_who_holds_a_role_is_answered_by_the_post_said_to_hold_it():
    from assistant.retrieval import unit_pattern

    person = unit_pattern("person")
    assert understand("领导小组是谁当组长？").unit == "person"
    for holder in ("成立整改工作领导小组，由党委书记、董事长任组长，总经理任副组长",
                   "由校长担任组长，分管副校长任副组长", "由镇党委书记兼任组长"):
        assert person.search(holder), holder
    # counter-examples: a post that holds no role here, and the bare mention of a meeting
    assert not person.search("集团公司党委书记主持召开专题会议，研究部署整改工作")
    assert not person.search("领导小组办公室设在党委办公室")


def test_which_company_wants_a_named_company_in_the_answer():
    from assistant.retrieval import unit_pattern

    assert understand("石岭村食用菌大棚是承包给哪家公司的？").unit == "body"
    body = unit_pattern("body")
    assert body.search("大棚项目整体承包给青禾绿源农业发展有限公司经营")
    assert not body.search("石岭村食用菌大棚项目已引进经营主体整体承包")
    assert not body.search("所属2家子公司超编制配备公务用车2辆")
    # counter-example: 哪家单位 across reports picks reports, it asks for no company
    assert understand("哪家单位的领导小组是双组长？").unit is None



def test_which_university_wants_a_named_one_in_the_answer():
    from assistant.retrieval import unit_pattern

    assert understand("集团与哪所高校共建了人才培养基地？").unit == "body"
    body = unit_pattern("body")
    assert body.search("与青禾大学共建人才培养基地")
    assert not body.search("（3）与高校共建人才培养基地。")      # names no university


def test_a_figure_of_another_year_does_not_answer():
    from assistant.understanding import years_in

    assert understand("一院2023年引进了几名博士研究生？").years == {"2023"}
    assert years_in("2024届毕业生就业去向落实率") == {"2024"} and not years_in("引进博士研究生9名")


def test_the_year_asked_must_be_the_year_of_the_figure(bot):
    # the county report: 「2023年11月……建成区域审方信息系统……累计干预不合理处方17906张」
    assert "17906" in bot.ask("区域审方系统2023年建成后累计干预了多少张处方？").answer
    assert "17906" in bot.ask("区域审方系统累计干预了多少张处方？").answer
    # counter-example: the same figure is no answer for another year
    assert "17906" not in bot.ask("区域审方系统2021年累计干预了多少张处方？").answer


def test_a_place_or_thing_the_question_names_is_what_the_answer_must_be_about(reports):
    from assistant.scope import named_things, own_names

    town = ("中共东湖街道工作委员会关于巡察整改情况的报告\n整改情况：石岭村食用菌大棚项目已引进经营主体承包；白马岭公墓已拆除违规墓位。"
            "城东污水处理厂已建成，城区污水处理厂完成提标改造。")
    extra = load_report_text(town, "town.txt")
    pool = reports + [extra]
    own = own_names(pool)
    assert named_things("石岭村的村级债务有多少？", pool, own) == ["石岭村"]
    assert named_things("白马岭公墓违规墓位是什么时候拆除的？", pool, own) == ["白马岭公墓"]
    # a proper name and then common nouns: 城东 + 污水处理厂; 城区 is no proper name
    assert named_things("城东污水处理厂总投资是多少钱？", pool, own) == ["城东污水处理厂"]
    assert named_things("城区污水处理厂什么时候改造的？", pool, own) == []
    # counter-examples: common words with a place ending, a body a report is about, a name no report uses
    assert named_things("乡村振兴的农村项目有哪些？", pool, own) == []
    assert named_things("今年以来县卫健系统排查出多少隐患？", pool, own) == []
    assert named_things("郴州市第二人民医院有几个问题？", pool, own) == []


def test_a_named_thing_begins_where_a_word_does_and_may_be_cut_into_common_nouns(reports):
    from assistant.scope import named_things, own_names

    civil = ("中共青禾市民政局党组关于巡察整改情况的报告\n整改情况：对3处违规建设公墓进行处置，黄泥岗公墓正在推进；"
             "县人民医院开通绿色通道。农业农村局配合开展排查。")
    pool = reports + [load_report_text(civil, "civil.txt")]
    own = own_names(pool)
    assert named_things("黄泥岗公墓的事接下来打算怎么弄？", pool, own) == ["黄泥岗公墓"]     # 黄泥 + 岗
    assert named_things("县人民医院开通了什么通道？", pool, own) == ["县人民医院"]
    # counter-examples: a name starting inside a word (业农村 of 农业农村局), a count and verbs (3处违规建设公墓)
    assert named_things("农业农村局配合排查了什么？", pool, own) == []
    assert named_things("3处违规建设公墓中哪一处还没处置完？", pool, own) == []
    assert named_things("鹿鸣县的黑臭水体治好了几条？", pool, own) == []


@pytest.mark.parametrize("question", ["二院40个问题里已经整改完成的有几个？", "市二医院还有哪些问题没整改完？",
                                      "郴州市第二人民医院一共制定了多少条整改措施？"])
def test_what_a_report_does_not_state_is_refused_with_the_reason(bot, question):
    answer = bot.ask(question)
    assert not answer.answered
    assert "未区分" in answer.answer or "没有说明" in answer.answer
    # counter-example: a report that splits its issues by status answers the same question
    assert bot.ask("县卫健委的问题里已经整改完成的有几个？").answered


def test_a_title_quoted_without_its_guanyu_names_the_report(reports):
    county = next(r for r in reports if r.source == "county-health-2024.txt")
    assert "关于" in county.title
    assert _scoped(county.title.replace("关于", "", 1) + "中还有哪些问题在整改？", reports) == ["county-health-2024.txt"]


def test_words_of_the_reports_own_title_are_no_topic_of_a_status_list(bot):
    answer = bot.ask("医疗服务领域专项巡察整改情况报告中，仍处于整改推进过程中的问题有哪些？")
    assert answer.answered and "涉及" not in answer.answer.splitlines()[0]
    assert answer.answer.count("（整改中）") == 6        # every open issue, not a topical few
    # counter-example: a real topic beside the status still filters
    assert "涉及" in bot.ask("县卫健委还在整改的问题里，涉及债务的有哪些？").answer


def test_a_deadline_answer_also_quotes_the_date_the_progress_expects():
    from assistant.passages import compose_field

    report = load_report_text("某集团公司关于巡察整改情况的报告\n一、整改落实情况\n"
                              "1、问题：老旧小区改造项目推进迟缓。\n整改措施：加快施工。\n整改时限：2025年6月底前\n"
                              "完成情况：正在推进。已完工27个，剩余11个预计2025年5月底前完工。\n", "soe.txt")
    issue = next(i for i in report.issues if "deadline" in i.fields)
    answer = compose_field(issue, report, "deadline")
    assert "2025年6月底前" in answer.answer and "预计2025年5月底前完工" in answer.answer
    assert all(c.text == report.body[c.start:c.end] for c in answer.citations)
    # counter-example: a progress that expects no date of its own adds nothing
    plain = load_report_text("某集团公司关于巡察整改情况的报告\n一、整改落实情况\n"
                             "1、问题：债务风险防控压力较大。\n整改措施：压降短期债务。\n整改时限：2025年12月底前\n"
                             "完成情况：正在推进。已压降短期债务12亿元。\n", "soe2.txt")
    issue = next(i for i in plain.issues if "deadline" in i.fields)
    assert len(compose_field(issue, plain, "deadline").citations) == 1


def test_a_titles_own_guanyu_marks_no_topic():
    title = "中共郴州市第二人民医院委员会关于巡察整改进展情况的通报"
    assert not understand(f"《{title}》中逐项编号列出的具体问题共有多少个？", [title]).topic_marked
    # counter-example: 涉及 outside the report's name marks the topic
    assert understand(f"《{title}》中涉及招投标的问题有几个？", [title]).topic_marked


def test_a_figure_asked_of_the_nth_item_is_answered_from_that_item(bot):
    history = [{"role": "user", "content": "县卫健委还有哪些问题在整改？"},
               {"role": "assistant", "content": "1. 【二（二）1】医院高质量发展步伐不够快\n2. 【二（二）6】整体财务运转压力较大"}]
    answer = bot.ask("第2个具体什么时候能完成？", history=history)
    assert answer.answered and "【二（二）6】" in answer.answer
    assert {c.issue for c in answer.citations} == {"二（二）6"}
    # counter-example: a previous answer with one item has no second
    one = history[:1] + [{"role": "assistant", "content": "1. 【二（二）1】医院高质量发展步伐不够快"}]
    assert not bot.ask("第2个具体什么时候能完成？", history=one).answered


def test_spoken_words_for_an_issue_kind_reach_its_written_words():
    query = understand("二院乱发钱被巡察点名的都是哪几种？", ["二院"])
    assert query.intent is Intent.LIST and "违规发放" in query.topic.replace(" ", "")
    assert "点名" not in query.topic_terms
    # counter-example: plain 发放 is not made 违规发放
    assert "违规" not in understand("二院向哪些人发放了奖励金？", ["二院"]).topic


def test_a_ledgers_remark_column_is_part_of_what_was_done():
    ledger = ("某区财政局审计整改台账\n序号\t审计发现问题\t整改措施\t责任科室\t完成时限\t完成情况\t备注\n"
              "1\t差旅费报销无审批单\t逐笔补办审批手续\t财务科\t2024年10月31日\t已完成\t已补办21笔；2笔0.47万元已退回\n"
              "2\t会议费报销附件不全\t补齐会议通知\t办公室\t2024年9月30日\t已完成\t\n")
    report = load_report_text(ledger, "ledger.txt")
    first, second = report.issues[:2]
    assert "0.47万元已退回" in first.rectification and first.status is Status.COMPLETED
    assert first.fields.get("deadline") and first.fields.get("responsible")
    # counter-example: an empty remark adds nothing, and a remark is never the problem
    assert second.rectification.endswith("已完成") and "退回" not in second.problem


def test_invested_in_speech_is_invested_in_the_reports_words():
    terms = understand("到现在一共投了多少钱？").fact_terms
    assert "投资" in terms and "投了" not in terms
    # counter-example: 投诉 is no investment
    assert "投资" not in understand("患者投诉有多少件？").fact_terms


def test_what_an_inspection_found_is_the_issues_problem_statement(bot):
    from assistant.understanding import asks_found

    assert asks_found("政府采购方面审计查出了什么？") and asks_found("二院招投标方面被指出了哪些问题")
    assert not asks_found("二院招投标问题是怎么整改的？")        # counter-example: a how question
    answer = bot.ask("二院招投标方面被指出了什么？")
    assert answer.answered and "招投标" in answer.answer
    assert "整改情况" not in answer.answer                     # the problem, not the measures


def test_a_ledger_rows_problem_ends_where_its_rectification_cell_begins():
    ledger = ("某区财政局审计整改台账\n序号\t审计发现问题\t整改措施\t责任科室\t完成时限\t完成情况\n"
              "1\t差旅费报销无审批单。抽查发现23笔。\t逐笔补办审批手续。修订报销规定。\t财务科\t2024年10月31日\t已完成\n")
    report = load_report_text(ledger, "ledger.txt")
    issue = report.issues[0]
    assert report.body[issue.rectification_at:].startswith("逐笔补办审批手续")
    from assistant.citations import cite_problem
    assert "补办" not in cite_problem(report, issue).text and "抽查发现23笔" in cite_problem(report, issue).text


@pytest.mark.parametrize("question", ["中心医院基本完成的是哪两条？", "中心医院基本完成的是哪几条？", "水务集团哪3个问题还在整改？"])
def test_which_of_a_stated_number_is_a_list(question):
    # 哪两条 / 哪3个 ask for several items as 哪几条 does; the number is no topic word
    query = understand(question, [])
    assert query.intent is Intent.LIST
    assert not {"两条", "3"} & set(query.topic_terms)


def test_a_number_without_which_is_no_list():
    # the counter-example: 两条河道 names things counted, it asks for no list
    query = understand("沂岭那两条河道整治了多少公里？", [])
    assert query.intent is not Intent.LIST
    assert "河道" in query.topic_terms


@pytest.mark.parametrize("question, expected", [
    ("哪些问题还没改完？", True), ("城投问题都有哪些？", True), ("哪些单位的问题涉及公务用车？", True),
    ("秸秆焚烧那条问题是哪些单位负责整改？", False), ("秸秆焚烧问题的责任单位是哪些？", False),
])
def test_a_list_of_issues_or_of_something_of_one(question, expected):
    from assistant.understanding import asks_for_issues
    assert asks_for_issues(question) is expected


@pytest.mark.parametrize("question, noun, glued", [("柳塘镇一共设了多少名田长？", "田长", "名田长"),
                                                   ("一共帮扶了多少户脱贫户？", "脱贫", "户脱贫")])
def test_the_measure_word_of_how_many_is_no_part_of_the_noun(question, noun, glued):
    # jieba glues 名 to 田长 (名田长), which no report writes: 设立田长241名
    terms = understand(question).fact_terms
    assert noun in terms and glued not in terms


@pytest.mark.parametrize("question, unit", [("建养老服务中心争取了多少上级补助钱？", "money"),
                                            ("领导小组的组长是哪位？", "person")])
def test_spoken_asking_words_want_their_kind_of_answer(question, unit):
    assert understand(question).unit == unit


@pytest.mark.parametrize("question, wants, unit", [("这几家谁最早收到反馈意见？", False, "date"),
                                                   ("那几个医院这几年出了多少起纠纷？", True, "起"),
                                                   ("全县有几家医院完成了改造？", True, "家")])
def test_this_few_points_at_things_and_asks_no_number(question, wants, unit):
    # 这几家 / 那几个 point at what was named; 有几家 asks how many (谁最早 asks a date)
    query = understand(question)
    assert query.wants_number is wants and query.unit == unit


@pytest.mark.parametrize("question, asked", [
    ("柳塘镇整改中受到批评教育的党员干部有多少名？", None),        # during rectification
    ("医疗服务领域专项巡察整改中，哪些问题已完成？", {"completed"}),
    ("县卫健委还在整改中的问题有多少个？", {"in_progress", "partial", "long_term"}),
    ("市场监管局还有哪个问题在整改中？", {"in_progress", "partial", "long_term"}),
])
def test_a_status_word_saying_when_filters_nothing(question, asked):
    statuses = load_lexicon().statuses_asked(normalize(question))
    assert (None if statuses is None else {s.value for s in statuses}) == asked


@pytest.mark.parametrize("term, text, found", [
    ("反馈意见", "2024年9月12日，市委第三巡察组向医院党委反馈了巡察意见。", True),
    ("整改措施", "针对问题制定了整改的具体措施12条。", True),
    ("反馈意见", "反馈问题整改落实过程中广泛征求意见。", False),      # halves too far apart
    ("反馈意见", "意见反馈机制已建立。", False),                    # halves in the other order
])
def test_a_compound_is_found_with_words_between_its_halves(term, text, found):
    from assistant.term_match import occurs

    assert occurs(term, normalize(text)) is found


@pytest.mark.parametrize("question", ["民政局对消防不达标的问题都做了啥？", "局里针对公车私用干了些什么？",
                                      "准备去敬老院检查，想先弄清民政局对消防不达标的问题都做了啥"])
def test_spoken_ways_of_asking_what_was_done_ask_how(question):
    assert understand(question).intent is Intent.HOW


def test_what_was_done_counted_is_no_how():
    # counter-example: a figure of what was done
    assert understand("民政局对消防不达标的问题一共花了多少钱？").intent is not Intent.HOW


@pytest.mark.parametrize("question, unit", [
    ("核销的2.70万元临时救助资金共涉及多少户当事人？", "户"),
    ("这笔补助资金惠及多少名老人？", "名"),
    ("补助资金一共多少钱？", "money"),                 # counter-examples: money asked outright
    ("发放补贴资金多少万元，涉及多少户？", "money"),
    ("填统计表要一个数：核销的那2.70万元涉及的户数", "户"),
    ("处理的件数据在哪里看", None),                     # counter-example: 数据 is no count
])
def test_a_measure_word_after_how_many_says_what_is_counted(question, unit):
    assert understand(question).unit == unit


@pytest.mark.parametrize("question,unit", [("处理了几个人？", "人"), ("有几个人员受到问责", "人"),
                                           # counter-examples: 人事 / 人才 are no people counted
                                           ("有几个人事方面的问题", "个"), ("引进了几个人才项目", "个")])
def test_a_classifier_before_people_counts_people(question, unit):
    assert understand(question).unit == unit


@pytest.mark.parametrize("question, intent", [
    ("水源地保护回头看要核对，需要大湾水库一级保护区违规项目的处置情况", Intent.HOW),
    ("请提供城投多付工程款问题的整改情况", Intent.HOW),
    # counter-examples: the words inside a question about something else
    ("整改情况报告是哪天印发的？", Intent.FACT),
    ("处置情况表里一共列了多少项？", None),
])
def test_a_request_ending_in_how_it_was_handled_asks_how(question, intent):
    read = understand(question).intent
    assert read is intent if intent else read is not Intent.HOW


@pytest.mark.parametrize("question, intent", [
    ("学院明确的“三重一大”事项清单一共有多少项？", Intent.FACT),
    # counter-examples: issues asked for, in a list or named as a 问题清单
    ("需要二院被巡察点出的违规发放津补贴问题清单", Intent.LIST),
    ("一共有多少个事项还没整改？", Intent.COUNT),
])
def test_matters_of_a_kind_a_quote_names_are_no_issues(question, intent):
    assert understand(question).intent is intent
