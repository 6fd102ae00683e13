"""Evaluation sets, the runner and its outputs, and the plain LlamaIndex baseline."""
import json
import socket
from contextlib import contextmanager
from pathlib import Path

import pytest

from eval.dataset import EvalItem, EvalSetError, Turn, load_eval_set, load_source_texts
from eval.runner import run_eval, write_outputs

CORPUS = Path(__file__).resolve().parent.parent / "data" / "reports"

ITEMS = [
    EvalItem(id="prescriptions", question="区域审方系统累计干预了多少张处方？", kind="number",
             must_include=["17906"], evidence=["累计干预不合理处方17906张"], dataset="hand"),
    EvalItem(id="ongoing", question="还有几个问题在整改中？", kind="count",
             must_include=["6"], evidence=["共计6个问题正在整改过程中"], dataset="hand"),
    EvalItem(id="budget", question="医院明年的预算是多少？", kind="none", dataset="hand"),
]


class CannedSystem:
    """Answers from a table; raises on the questions listed in `raise_on`."""

    def __init__(self, name, raise_on=()):
        self.name = name
        self.raise_on = set(raise_on)

    def answer(self, item):
        if item.id in self.raise_on:
            raise RuntimeError("model server unreachable")
        canned = {
            "prescriptions": ("累计干预不合理处方17906张。", True, "累计干预不合理处方17906张"),
            "ongoing": ("共计6个问题正在整改。", True, "共计6个问题正在整改过程中"),
            "budget": ("报告中没有相关内容。", False, None),
        }
        text, answered, cited = canned[item.id]
        citations = [{"report": "县委巡察组关于医疗服务领域专项巡察整改情况报告", "source": "county-health-2024.txt",
                      "section": "", "issue": "", "status": None, "text": cited}] if cited else []
        return {"answer": text, "answered": answered, "citations": citations}

    def retrieve(self, question, k):
        return ["无关", "共计6个问题正在整改过程中", "累计干预不合理处方17906张"][:k]


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------- evaluation sets

def test_load_eval_set_reads_every_field_and_ignores_unknown_ones(tmp_path):
    path = write_jsonl(tmp_path / "samples.jsonl", [
        {"id": "q1", "question": "哪些还在整改中？", "kind": "list", "report": "医疗服务领域",
         "must_include": ["6"], "any_of": [["正在整改"]], "list_items": [["队伍建设"]],
         "must_not_include": ["医共体"], "evidence": ["共计6个问题"], "reviewer": "ignored"},
        "",
        {"id": "q2", "question": "那第一个呢？", "kind": "followup",
         "history": [{"role": "user", "content": "有哪些问题？"}]},
    ])
    first, second = load_eval_set(path)
    assert first.list_items == [["队伍建设"]] and first.report == "医疗服务领域" and first.dataset == "samples"
    assert second.history == [Turn(role="user", content="有哪些问题？")] and second.must_include == []


def test_load_eval_set_rejects_unknown_kind_naming_file_and_line(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [
        {"id": "q1", "question": "?", "kind": "fact"},
        {"id": "q2", "question": "?", "kind": "opinion"},
    ])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:2: unknown kind 'opinion'"):
        load_eval_set(path)


def test_load_eval_set_rejects_missing_required_field(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "q1", "kind": "fact"}])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:1: field 'question' is required"):
        load_eval_set(path)


def test_load_eval_set_rejects_invalid_json(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", ['{"id": "q1",'])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:1: not valid JSON"):
        load_eval_set(path)


def test_load_eval_set_rejects_duplicate_ids(tmp_path):
    row = {"id": "q1", "question": "?", "kind": "fact"}
    path = write_jsonl(tmp_path / "bad.jsonl", [row, row])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:2: duplicate id 'q1' \(first used on line 1\)"):
        load_eval_set(path)


def test_load_eval_set_rejects_list_item_that_is_not_a_group(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "q1", "question": "?", "kind": "list", "list_items": ["队伍建设"]}])
    with pytest.raises(EvalSetError, match=r"bad\.jsonl:1: list_items\[0\] must be a non-empty list"):
        load_eval_set(path)


def test_load_source_texts_keys_reports_by_title():
    texts = load_source_texts(CORPUS)
    assert "县委巡察组关于医疗服务领域专项巡察整改情况报告" in texts
    assert "累计干预不合理处方17906张" in texts["县委巡察组关于医疗服务领域专项巡察整改情况报告"]


# ---------------------------------------------------------------- runner

def test_runner_scores_every_question_of_every_system():
    run = run_eval(ITEMS, [CannedSystem("baseline"), CannedSystem("rectify")], progress=False)
    assert [s.name for s in run.systems] == ["baseline", "rectify"]
    assert run.primary.name == "rectify"
    assert run.primary.metrics["overall"]["answer_accuracy"] == 1.0
    assert run.primary.metrics["overall"]["refusal_accuracy"] == 1.0


def test_runner_counts_a_raising_question_as_wrong_and_scores_the_others():
    run = run_eval(ITEMS, [CannedSystem("flaky", raise_on={"ongoing"})], progress=False)
    results = {r.item.id: r for r in run.primary.results}
    assert results["ongoing"].answer["answer"] == "ERROR: RuntimeError: model server unreachable"
    assert not results["ongoing"].score.correct
    assert results["prescriptions"].score.correct and results["budget"].score.correct
    assert run.primary.metrics["overall"]["errors"] == 1
    assert run.primary.metrics["overall"]["answer_accuracy"] == pytest.approx(2 / 3)


def test_runner_counts_a_raising_none_question_as_wrong():
    run = run_eval(ITEMS, [CannedSystem("flaky", raise_on={"budget"})], progress=False)
    assert run.primary.metrics["overall"]["refusal_accuracy"] == 0.0


def test_runner_measures_retrieval_of_systems_that_retrieve():
    run = run_eval(ITEMS, [CannedSystem("rectify")], progress=False)
    metrics = run.primary.metrics["overall"]
    assert metrics["retrieval_questions"] == 2          # the questions with evidence
    assert metrics["evidence_recall@1"] == 0.0
    assert metrics["mrr"] == pytest.approx((1 / 3 + 1 / 2) / 2)


def test_runner_checks_citations_verbatim_against_source_texts():
    run = run_eval(ITEMS, [CannedSystem("rectify")], source_texts=load_source_texts(CORPUS), progress=False)
    assert run.primary.metrics["overall"]["verbatim_rate"] == 1.0


def test_runner_rejects_duplicate_system_names():
    with pytest.raises(ValueError, match="unique"):
        run_eval(ITEMS, [CannedSystem("same"), CannedSystem("same")], progress=False)


def test_write_outputs_writes_report_results_and_chart(tmp_path):
    run = run_eval(ITEMS, [CannedSystem("baseline"), CannedSystem("rectify", raise_on={"ongoing"})], progress=False)
    paths = write_outputs(run, tmp_path / "out")

    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())
    assert (tmp_path / "out" / "comparison.png").read_bytes().startswith(b"\x89PNG")

    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    for system in results["systems"]:
        assert [q["id"] for q in system["questions"]] == [i.id for i in ITEMS]
    failed = next(q for q in results["systems"][1]["questions"] if q["id"] == "ongoing")
    assert failed["correct"] is False and failed["answer"].startswith("ERROR:")

    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Answer accuracy by kind" in report
    assert "## Failed questions: rectify (1/3)" in report
    assert "model server unreachable" in report


# ---------------------------------------------------------------- plain LlamaIndex baseline

@contextmanager
def no_network():
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    saved = socket.socket.connect, socket.create_connection
    socket.socket.connect = socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.create_connection = saved


@pytest.fixture(scope="module")
def baseline():
    from eval.baseline_llamaindex import PlainLlamaIndexBaseline

    with no_network():
        return PlainLlamaIndexBaseline(CORPUS)


@pytest.mark.slow
def test_llamaindex_baseline_answers_offline_with_five_citations_from_the_corpus(baseline):
    item = EvalItem(id="prescriptions", question="区域审方系统累计干预了多少张处方", kind="number")
    with no_network():
        answer = baseline.answer(item)

    corpus = "".join(load_source_texts(CORPUS).values())
    assert answer["answered"] is True
    assert len(answer["citations"]) == 5
    assert answer["answer"] and answer["answer"] == answer["citations"][0]["text"]
    assert answer["answer"] in corpus
    assert {c["report"] for c in answer["citations"]} <= set(load_source_texts(CORPUS))


@pytest.mark.slow
def test_llamaindex_baseline_retrieves_k_ranked_passages(baseline):
    with no_network():
        passages = baseline.retrieve("区域审方系统累计干预了多少张处方", 10)
    assert len(passages) == 10 and all(isinstance(p, str) and p for p in passages)
