"""Run evaluation sets through one or more systems and score every answer.

A system is anything with a `name` and an `answer(item) -> dict` returning the answer
JSON of eval-format.md; a system that also has `retrieve(question, k) -> list[str]` gets
retrieval metrics. The last system given is the primary one (the one whose failures the
report lists); the others are baselines.
"""
from __future__ import annotations

import dataclasses
import logging
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from tqdm import tqdm

from eval.dataset import EvalItem
from eval.report import write_comparison_chart, write_report_md, write_results_json
from eval.scoring import QuestionScore, aggregate, failed_score, retrieval_metrics, score_answer

logger = logging.getLogger(__name__)

RETRIEVE_K = 10   # passages asked of `retrieve`, enough for evidence recall@10


@runtime_checkable
class System(Protocol):
    """A question-answering system under evaluation."""

    name: str

    def answer(self, item: EvalItem) -> dict:
        """The answer JSON: {answer, answered, citations: [{report, source, section, issue, status, text}]}."""
        ...


@runtime_checkable
class RetrievingSystem(System, Protocol):
    """A system that can also show its ranked passages, for retrieval metrics."""

    def retrieve(self, question: str, k: int) -> list[str]:
        """Texts of the k best passages for the question, best first."""
        ...


@dataclass
class QuestionResult:
    """One question asked of one system: the answer JSON as given, its score and timing."""

    item: EvalItem
    answer: dict
    score: QuestionScore
    latency_ms: float

    @property
    def error(self) -> str | None:
        return self.score.error


@dataclass
class SystemRun:
    """Every question asked of one system, with the aggregates and latency percentiles."""

    name: str
    results: list[QuestionResult]
    metrics: dict                         # scoring.aggregate(...)
    latency: dict[str, float]             # p50_ms, p95_ms, mean_ms, max_ms
    retrieves: bool = False

    @property
    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.score.correct]

    @property
    def errors(self) -> list[QuestionResult]:
        return [r for r in self.results if r.error is not None]


@dataclass
class EvalRun:
    """The outcome of `run_eval`: one `SystemRun` per system, the last one primary."""

    items: list[EvalItem]
    systems: list[SystemRun]
    created: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))
    verbatim_checked: bool = False

    @property
    def datasets(self) -> list[str]:
        return list(dict.fromkeys(item.dataset or "(unnamed)" for item in self.items))

    @property
    def primary(self) -> SystemRun:
        return self.systems[-1]


def run_eval(items: Sequence[EvalItem], systems: Sequence[System],
             source_texts: Mapping[str, str] | None = None, progress: bool = True) -> EvalRun:
    """Ask every question of every system (in order; the last system is primary) and score it.

    An exception raised by a system on one question is logged and scored as a wrong
    answer ("ERROR: ..."); the other questions are still asked. `source_texts`
    ({report title: text}) enables the verbatim check of citations.
    """
    # Validate at once, not mid-run
    if not items:
        raise ValueError("no questions to evaluate")
    if not systems:
        raise ValueError("no systems to evaluate")
    names = [s.name for s in systems]
    if len(set(names)) != len(names):
        raise ValueError(f"system names must be unique, got {names}")

    # Ask every system
    runs = [_run_system(system, list(items), source_texts, progress) for system in systems]
    return EvalRun(items=list(items), systems=runs, verbatim_checked=source_texts is not None)


def write_outputs(run: EvalRun, out_dir: str | Path) -> dict[str, Path]:
    """Write results.json, report.md and comparison.png into `out_dir`; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "results": write_results_json(run, out / "results.json"),
        "report": write_report_md(run, out / "report.md"),
        "chart": write_comparison_chart(run, out / "comparison.png"),
    }
    logger.info("evaluation outputs written to %s", out)
    return paths


def _run_system(system: System, items: list[EvalItem], source_texts: Mapping[str, str] | None,
                progress: bool) -> SystemRun:
    retrieve = getattr(system, "retrieve", None)
    results = []
    for item in tqdm(items, desc=system.name, unit="q", file=sys.stderr, disable=not progress):
        result = _ask(system, item, source_texts)
        if callable(retrieve) and item.evidence:
            result.score.retrieval = _retrieval(retrieve, item)
        results.append(result)
    latencies = [r.latency_ms for r in results]
    return SystemRun(
        name=system.name,
        results=results,
        metrics=aggregate([r.score for r in results]),
        latency=_latency_summary(latencies),
        retrieves=callable(retrieve),
    )


def _ask(system: System, item: EvalItem, source_texts: Mapping[str, str] | None) -> QuestionResult:
    start = time.perf_counter()
    try:
        answer = _answer_json(system.answer(item))
    except Exception as exc:  # any failure of the system is a wrong answer, not a crash
        latency_ms = (time.perf_counter() - start) * 1000
        error = f"{type(exc).__name__}: {exc}"
        logger.warning("%s raised on %s: %s", system.name, item.id, error)
        answer = {"answer": f"ERROR: {error}", "answered": False, "citations": []}
        return QuestionResult(item, answer, failed_score(item, error, source_texts), latency_ms)
    latency_ms = (time.perf_counter() - start) * 1000
    return QuestionResult(item, answer, score_answer(item, answer, source_texts), latency_ms)


def _retrieval(retrieve, item: EvalItem) -> dict[str, float]:
    try:
        passages = [_passage_text(p) for p in retrieve(item.question, RETRIEVE_K)]
    except Exception as exc:  # a failed retrieval finds nothing
        logger.warning("retrieve raised on %s: %s: %s", item.id, type(exc).__name__, exc)
        passages = []
    return retrieval_metrics(passages, item.evidence)


def _answer_json(answer: Any) -> dict:
    """The answer as a plain dict; dataclasses / objects with to_dict() are converted."""
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        answer = dataclasses.asdict(answer)
    elif hasattr(answer, "to_dict"):
        answer = answer.to_dict()
    elif hasattr(answer, "model_dump"):
        answer = answer.model_dump()
    if not isinstance(answer, Mapping):
        raise TypeError(f"answer must be a JSON object, got {type(answer).__name__}")
    answer = dict(answer)
    answer["citations"] = [_citation_json(c) for c in answer.get("citations") or []]
    return answer


def _citation_json(citation: Any) -> dict:
    if dataclasses.is_dataclass(citation) and not isinstance(citation, type):
        return dataclasses.asdict(citation)
    if hasattr(citation, "to_dict"):
        return citation.to_dict()
    if isinstance(citation, Mapping):
        return dict(citation)
    raise TypeError(f"citation must be a JSON object, got {type(citation).__name__}")


def _passage_text(passage: Any) -> str:
    return passage if isinstance(passage, str) else str(getattr(passage, "text", passage))


def _latency_summary(latencies_ms: list[float]) -> dict[str, float]:
    values = np.asarray(latencies_ms, dtype=float)
    return {
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
        "mean_ms": float(values.mean()),
        "max_ms": float(values.max()),
    }
