"""Scoring of answers against gold strings (eval/scoring.py), on hand-made items with known scores."""
import pytest

from eval.dataset import EvalItem
from eval.scoring import (
    aggregate,
    citation_is_verbatim,
    contains,
    normalize,
    retrieval_metrics,
    score_answer,
)

REPORT = "县委巡察组关于医疗服务领域专项巡察整改情况报告"
SOURCE = ("2023年11月，利用数字化医共体“十张网”，建成区域审方信息系统，日均审方达6691次，"
          "累计干预不合理处方17906张。\n截至目前，共计6个问题正在整改过程中。")
SOURCE_TEXTS = {REPORT: SOURCE}


def cite(text, report=REPORT):
    return {"report": report, "source": "county-health-2024.txt", "section": "", "issue": "",
            "status": None, "text": text}


def reply(text, answered=True, citations=()):
    return {"answer": text, "answered": answered, "citations": list(citations)}


@pytest.fixture
def number_item():
    return EvalItem(id="prescriptions", question="区域审方系统累计干预了多少张处方？", kind="number",
                    must_include=["17906"], must_not_include=["6691"],
                    evidence=["累计干预不合理处方17906张"])


@pytest.fixture
def list_item():
    return EvalItem(id="three-items", question="有哪些问题？", kind="list",
                    list_items=[["高质量发展"], ["公共卫生服务", "基本医疗"], ["队伍建设"]])


@pytest.fixture
def none_item():
    return EvalItem(id="not-in-corpus", question="医院明年的预算是多少？", kind="none")


# ---------------------------------------------------------------- normalisation and matching

def test_normalize_removes_whitespace_and_thousands_separators():
    assert normalize(" 共 17,906 张\n处方 ") == "共17906张处方"


def test_normalize_keeps_commas_that_are_not_thousands_separators():
    assert normalize("14, 146") == "14,146"
    assert normalize("2023,2024年") == "2023,2024年"


def test_digit_gold_is_not_found_inside_a_year():
    assert not contains("2014年", "14")


def test_digit_gold_is_not_found_inside_a_longer_number():
    assert not contains("共146个", "14")


def test_digit_gold_is_found_as_a_whole_number():
    assert contains("共14个", "14")


def test_digit_gold_is_not_found_inside_a_decimal():
    assert not contains("占比15.39%", "15")


def test_digit_gold_is_found_in_a_dotted_date():
    assert contains("2024.12.30反馈", "2024")


def test_thousands_separator_matches_plain_digits():
    assert contains("累计干预不合理处方17,906张", "17906")


def test_full_width_digits_match_ascii_gold():
    assert contains("累计干预不合理处方１７９０６张", "17906")


def test_full_width_thousands_separator_matches_plain_digits():
    assert contains("１７，９０６张", "17906")


def test_text_gold_is_found_as_substring_ignoring_whitespace():
    assert contains("正在 整改\n过程中", "正在整改")


# ---------------------------------------------------------------- one answer

def test_perfect_answer_is_correct(number_item):
    score = score_answer(number_item, reply("累计干预不合理处方17906张。",
                                            citations=[cite("累计干预不合理处方17906张。")]))
    assert score.correct and score.reasons == []
    assert aggregate([score])["overall"]["answer_accuracy"] == 1.0


def test_missing_must_include_is_incorrect_and_explained(number_item):
    score = score_answer(number_item, reply("累计干预不合理处方一万余张。"))
    assert not score.correct
    assert score.reasons == ["missing must_include '17906'"]


def test_must_not_include_hit_is_incorrect(number_item):
    score = score_answer(number_item, reply("日均审方6691次，累计干预处方17906张。"))
    assert not score.correct
    assert score.reasons == ["must_not_include hit '6691'"]


def test_any_of_group_must_be_met():
    item = EvalItem(id="status", question="整改进展如何？", kind="how", any_of=[["正在整改", "正在推进"]])
    assert score_answer(item, reply("各项工作正在推进。")).correct
    assert not score_answer(item, reply("已全部完成。")).correct


def test_list_answer_missing_one_of_three_items(list_item):
    score = score_answer(list_item, reply("一是高质量发展；二是基本医疗。"))
    assert (score.list_found, score.list_total) == (2, 3)
    assert score.list_recall == pytest.approx(2 / 3)
    assert not score.correct
    assert score.reasons[0].startswith("list item missing [['队伍建设']]")


def test_list_item_is_found_by_any_alias(list_item):
    score = score_answer(list_item, reply("高质量发展、公共卫生服务、队伍建设"))
    assert score.list_found == 3 and score.correct


def test_refusal_on_answerable_question_is_incorrect(number_item):
    score = score_answer(number_item, reply("报告未提及。", answered=False))
    assert not score.correct
    assert "answered=false on answerable question" in score.reasons


def test_refusal_on_none_question_is_correct(none_item):
    score = score_answer(none_item, reply("报告中没有相关内容。", answered=False))
    assert score.correct and score.refusal_ok
    assert aggregate([score])["overall"]["refusal_accuracy"] == 1.0


def test_answer_on_none_question_is_incorrect(none_item):
    score = score_answer(none_item, reply("预算为500万元。"))
    assert not score.correct and score.refusal_ok is False
    assert score.reasons == ["answered on none question"]


def test_evidence_hit_is_none_without_evidence(none_item):
    assert score_answer(none_item, reply("", answered=False)).evidence_hit is None


def test_citation_precision_with_one_of_two_citations_supported(number_item):
    score = score_answer(number_item, reply("17906张", citations=[
        cite("累计干预不合理处方17906张。"), cite("共计6个问题正在整改过程中。")]))
    assert score.evidence_hit is True
    assert (score.citations_supported, score.citations_total) == (1, 2)
    assert aggregate([score])["overall"]["citation_precision"] == 0.5


def test_citation_precision_is_pooled_over_citations():
    items = [EvalItem(id=f"q{i}", question="?", kind="fact", evidence=["证据"]) for i in range(2)]
    scores = [score_answer(items[0], reply("x", citations=[cite("证据")])),
              score_answer(items[1], reply("x", citations=[cite("无关"), cite("无关"), cite("证据")]))]
    assert aggregate(scores)["overall"]["citation_precision"] == pytest.approx(2 / 4)


# ---------------------------------------------------------------- verbatim citations

def test_exact_citation_is_verbatim():
    check = citation_is_verbatim(cite("累计干预不合理处方17906张。"), SOURCE_TEXTS)
    assert check.strict and check.normalised


def test_citation_with_changed_whitespace_is_verbatim_only_after_normalisation():
    check = citation_is_verbatim(cite("累计干预不合理处方17906张。截至目前"), SOURCE_TEXTS)
    assert not check.strict and check.normalised


def test_paraphrased_citation_is_not_verbatim():
    check = citation_is_verbatim(cite("系统一共干预了17906张处方"), SOURCE_TEXTS)
    assert not check.strict and not check.normalised


def test_citation_of_unknown_report_is_not_verbatim():
    check = citation_is_verbatim(cite("累计干预不合理处方17906张。", report="另一份报告"), SOURCE_TEXTS)
    assert not check.report_found and not check.normalised


def test_verbatim_rate_counts_non_verbatim_citations(number_item):
    answer = reply("17906张", citations=[cite("累计干预不合理处方17906张。"), cite("系统一共干预了17906张处方")])
    metrics = aggregate([score_answer(number_item, answer, SOURCE_TEXTS)])["overall"]
    assert metrics["verbatim_rate"] == 0.5
    assert metrics["non_verbatim_citations"] == 1


def test_verbatim_rate_is_none_without_source_texts(number_item):
    metrics = aggregate([score_answer(number_item, reply("17906张", citations=[cite("x")]))])["overall"]
    assert metrics["verbatim_rate"] is None


# ---------------------------------------------------------------- aggregates

def test_aggregate_per_kind(number_item, list_item, none_item):
    scores = [
        score_answer(number_item, reply("17906张")),                       # correct
        score_answer(list_item, reply("高质量发展、基本医疗")),             # 2/3, wrong
        score_answer(none_item, reply("没有", answered=False)),            # correct refusal
    ]
    result = aggregate(scores)
    assert result["primary"] == "answer_accuracy"
    assert result["overall"]["answer_accuracy"] == pytest.approx(2 / 3)
    assert result["by_kind"]["number"]["answer_accuracy"] == 1.0
    assert result["by_kind"]["list"]["answer_accuracy"] == 0.0
    assert result["by_kind"]["list"]["list_recall"] == pytest.approx(2 / 3)
    assert result["by_kind"]["number"]["list_recall"] is None
    assert result["by_kind"]["none"]["refusal_accuracy"] == 1.0
    assert list(result["by_kind"]) == ["number", "list", "none"]


def test_list_recall_is_averaged_over_list_questions(list_item):
    scores = [score_answer(list_item, reply("高质量发展")),                 # 1/3
              score_answer(list_item, reply("高质量发展、基本医疗、队伍建设"))]  # 3/3
    assert aggregate(scores)["overall"]["list_recall"] == pytest.approx(2 / 3)


# ---------------------------------------------------------------- retrieval

def test_retrieval_metrics_at_rank_three():
    ranked = ["无关一", "无关二", "累计干预不合理处方17906张", "无关四"]
    metrics = retrieval_metrics(ranked, ["干预不合理处方17906张"])
    assert metrics == {"hit@1": 0.0, "hit@5": 1.0, "hit@10": 1.0, "rr": pytest.approx(1 / 3)}


def test_retrieval_metrics_when_evidence_is_not_retrieved():
    metrics = retrieval_metrics(["无关"] * 10, ["证据"])
    assert metrics == {"hit@1": 0.0, "hit@5": 0.0, "hit@10": 0.0, "rr": 0.0}


def test_retrieval_aggregates_as_recall_at_k_and_mrr(number_item):
    first = score_answer(number_item, reply("17906"))
    first.retrieval = retrieval_metrics(["累计干预不合理处方17906张"], number_item.evidence)       # rank 1
    second = score_answer(number_item, reply("17906"))
    second.retrieval = retrieval_metrics(["x"] * 6 + ["累计干预不合理处方17906张"], number_item.evidence)  # rank 7
    metrics = aggregate([first, second])["overall"]
    assert metrics["evidence_recall@1"] == 0.5
    assert metrics["evidence_recall@5"] == 0.5
    assert metrics["evidence_recall@10"] == 1.0
    assert metrics["mrr"] == pytest.approx((1 + 1 / 7) / 2)


def test_accuracy_per_phrasing_and_its_spread():
    from eval.scoring import QuestionScore, aggregate

    scores = [QuestionScore(id=f"q{n}-{p}", kind="fact", correct=ok)
              for n in range(4) for p, ok in (("formal", True), ("colloquial", n < 2), ("indirect", n < 3))]
    by = aggregate(scores)["by_phrasing"]
    assert by["formal"]["answer_accuracy"] == 1.0 and by["colloquial"]["answer_accuracy"] == 0.5
    assert by["spread"] == 0.5


def test_sets_without_phrasings_have_no_phrasing_scores():
    from eval.scoring import QuestionScore, aggregate

    assert aggregate([QuestionScore(id="a", kind="fact", correct=True)])["by_phrasing"] == {}
