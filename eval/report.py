"""Outputs of an evaluation run: results.json, report.md and comparison.png.

The chart is drawn with matplotlib's Agg canvas directly (no pyplot, no global backend
switch) and uses ASCII labels only, so no CJK font is needed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from eval.scoring import PRIMARY_METRIC, RETRIEVAL_KS

if TYPE_CHECKING:
    from eval.runner import EvalRun, QuestionResult, SystemRun

# Metrics of the comparison chart and of the tables, with their English labels
SCORE_LABELS = {
    "answer_accuracy": "Answer accuracy",
    "list_recall": "List recall",
    "evidence_hit": "Evidence hit",
    "citation_precision": "Citation precision",
    "refusal_accuracy": "Refusal accuracy",
}
VERBATIM_LABELS = {
    "verbatim_rate": "Verbatim rate (exact)",
    "verbatim_rate_normalised": "Verbatim rate (normalised)",
    "non_verbatim_citations": "Non-verbatim citations",
}
ANSWER_PREVIEW_CHARS = 300      # failed answers are cut here in report.md; results.json has them whole
MISSING = "–"                   # a score that does not apply


# ---------------------------------------------------------------- results.json

def results_json(run: EvalRun) -> dict:
    """Everything of the run as plain JSON: per system its metrics, latency and every question."""
    return {
        "created": run.created,
        "datasets": run.datasets,
        "primary_system": run.primary.name,
        "primary_metric": PRIMARY_METRIC,
        "systems": [
            {
                "name": system.name,
                "metrics": system.metrics,
                "latency": system.latency,
                "questions": [_question_json(r) for r in system.results],
            }
            for system in run.systems
        ],
    }


def write_results_json(run: EvalRun, path: Path) -> Path:
    path.write_text(json.dumps(results_json(run), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _question_json(result: QuestionResult) -> dict:
    score = result.score
    return {
        "id": result.item.id,
        "dataset": result.item.dataset,
        "question": result.item.question,
        "kind": result.item.kind,
        "answer": result.answer.get("answer"),
        "answered": result.answer.get("answered"),
        "citations": result.answer.get("citations", []),
        "correct": score.correct,
        "reasons": score.reasons,
        "error": score.error,
        "latency_ms": round(result.latency_ms, 1),
        "list_found": score.list_found,
        "list_total": score.list_total,
        "evidence_hit": score.evidence_hit,
        "citations_supported": score.citations_supported,
        "citations_total": score.citations_total,
        "refusal_ok": score.refusal_ok,
        "citations_verbatim": score.citations_verbatim,
        "citations_verbatim_normalised": score.citations_verbatim_normalised,
        "retrieval": score.retrieval,
    }


# ---------------------------------------------------------------- report.md

def render_report(run: EvalRun) -> str:
    """The run as a Markdown report: scores, scores per kind, retrieval, latency, failures."""
    sections = [
        _header(run),
        _overall_table(run),
        _accuracy_by_kind_table(run),
        _phrasing_table(run),
        _scores_by_kind_tables(run),
        _retrieval_table(run),
        _latency_table(run),
        _errors(run),
        _failures(run.primary),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def write_report_md(run: EvalRun, path: Path) -> Path:
    path.write_text(render_report(run), encoding="utf-8")
    return path


def _header(run: EvalRun) -> str:
    counts = {}
    for item in run.items:
        counts[item.dataset or "(unnamed)"] = counts.get(item.dataset or "(unnamed)", 0) + 1
    datasets = ", ".join(f"{name} ({n} questions)" for name, n in counts.items())
    systems = ", ".join(s.name for s in run.systems[:-1]) + (", " if len(run.systems) > 1 else "")
    return "\n".join([
        "# Evaluation report",
        "",
        f"- Date: {run.created}",
        f"- Datasets: {datasets}",
        f"- Systems: {systems}**{run.primary.name}** (primary)",
        f"- Primary metric: {SCORE_LABELS[PRIMARY_METRIC].lower()}",
    ])


def _overall_table(run: EvalRun) -> str:
    overall = [s.metrics["overall"] for s in run.systems]
    rows = [["Questions", *[str(m["questions"]) for m in overall]]]
    rows.append([SCORE_LABELS["answer_accuracy"], *[_accuracy(m) for m in overall]])
    rows += [[label, *[_number(m[key]) for m in overall]]
             for key, label in SCORE_LABELS.items() if key != "answer_accuracy"]
    if run.verbatim_checked:
        rows += [[label, *[_number(m[key]) for m in overall]] for key, label in VERBATIM_LABELS.items()]
    rows.append(["Errors (system raised)", *[str(m["errors"]) for m in overall]])
    return "## Overall\n\n" + _table(["Metric", *[s.name for s in run.systems]], rows)


def _accuracy_by_kind_table(run: EvalRun) -> str:
    kinds = _kinds(run)
    rows = []
    for kind in kinds:
        per_system = [s.metrics["by_kind"].get(kind) for s in run.systems]
        n = next(m["questions"] for m in per_system if m)
        rows.append([kind, str(n), *[_accuracy(m) if m else MISSING for m in per_system]])
    header = ["Kind", "n", *[s.name for s in run.systems]]
    return "## Answer accuracy by kind\n\n" + _table(header, rows)


def _phrasing_table(run: EvalRun) -> str:
    """Accuracy per phrasing of the same questions, where the set has phrasings."""
    phrasings = [s.metrics.get("by_phrasing") or {} for s in run.systems]
    if not any(phrasings):
        return ""
    rows = []
    for name in ("formal", "colloquial", "indirect"):
        rows.append([name, *[_accuracy(p[name]) if name in p else MISSING for p in phrasings]])
    rows.append(["spread", *[_number(p["spread"]) if p else MISSING for p in phrasings]])
    return "## Answer accuracy by phrasing\n\n" + _table(["Phrasing", *[s.name for s in run.systems]], rows)


def _scores_by_kind_tables(run: EvalRun) -> str:
    parts = ["## All scores by kind"]
    for system in run.systems:
        rows = [[kind, str(m["questions"]), *[_number(m[key]) for key in SCORE_LABELS]]
                for kind, m in system.metrics["by_kind"].items()]
        parts.append(f"### {system.name}\n\n" + _table(["Kind", "n", *SCORE_LABELS.values()], rows))
    return "\n\n".join(parts)


def _retrieval_table(run: EvalRun) -> str:
    header = ["System", "Questions with evidence", *[f"Evidence recall@{k}" for k in RETRIEVAL_KS], "MRR"]
    rows = []
    for system in run.systems:
        m = system.metrics["overall"]
        if not system.retrieves:
            rows.append([system.name, "no retrieve()", *[MISSING] * (len(RETRIEVAL_KS) + 1)])
            continue
        rows.append([system.name, str(m["retrieval_questions"]),
                     *[_number(m[f"evidence_recall@{k}"]) for k in RETRIEVAL_KS], _number(m["mrr"])])
    return "## Retrieval\n\n" + _table(header, rows)


def _latency_table(run: EvalRun) -> str:
    rows = [[s.name, *[f"{s.latency[key]:.1f}" for key in ("p50_ms", "p95_ms", "mean_ms", "max_ms")]]
            for s in run.systems]
    return "## Latency per answer\n\n" + _table(["System", "p50 ms", "p95 ms", "mean ms", "max ms"], rows)


def _errors(run: EvalRun) -> str:
    lines = [f"- {system.name} / `{r.item.id}`: {_cell(r.error)}"
             for system in run.systems for r in system.errors]
    if not lines:
        return ""
    return "## Errors\n\nThe system raised on these questions; each counts as a wrong answer.\n\n" + "\n".join(lines)


def _failures(system: SystemRun) -> str:
    failures = system.failures
    title = f"## Failed questions: {system.name} ({len(failures)}/{len(system.results)})"
    if not failures:
        return title + "\n\nNone."
    blocks = []
    for r in failures:
        blocks.append("\n".join([
            f"### `{r.item.id}` ({r.item.kind})",
            "",
            f"- Question: {_cell(r.item.question)}",
            f"- Answer (answered={r.answer.get('answered')}): {_preview(r.answer.get('answer'))}",
            f"- Reasons: {'; '.join(_cell(x) for x in r.score.reasons)}",
        ]))
    return title + "\n\n" + "\n\n".join(blocks)


def _kinds(run: EvalRun) -> list[str]:
    kinds: dict[str, None] = {}
    for system in run.systems:
        kinds.update(dict.fromkeys(system.metrics["by_kind"]))
    return list(kinds)


def _accuracy(metrics: dict) -> str:
    return f"{_number(metrics['answer_accuracy'])} ({metrics['correct']}/{metrics['questions']})"


def _number(value: float | int | None) -> str:
    if value is None:
        return MISSING
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def _preview(text: str | None) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) > ANSWER_PREVIEW_CHARS:
        text = text[:ANSWER_PREVIEW_CHARS] + f"… ({len(text)} chars)"
    return _cell(text) if text else "(empty)"


def _cell(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- comparison.png

def write_comparison_chart(run: EvalRun, path: Path) -> Path:
    """Grouped bars: each score of SCORE_LABELS, one bar per system; n/a where it does not apply."""
    keys = list(SCORE_LABELS)
    width = 0.8 / len(run.systems)
    fig = Figure(figsize=(max(8, 1.6 * len(keys) * max(1, len(run.systems) / 2)), 4.8), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()

    # One group of bars per metric
    for index, system in enumerate(run.systems):
        values = [system.metrics["overall"][key] for key in keys]
        offsets = [i - 0.4 + width * (index + 0.5) for i in range(len(keys))]
        bars = ax.bar(offsets, [v or 0.0 for v in values], width, label=_ascii(system.name))
        for bar, value in zip(bars, values):
            label = "n/a" if value is None else f"{value:.2f}"
            ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=7)

    # Axes, legend, title
    ax.set_xticks(range(len(keys)), [SCORE_LABELS[k].replace(" ", "\n") for k in keys])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("score")
    n = len(run.items)
    ax.set_title(_ascii(f"Evaluation: {', '.join(run.datasets)} ({n} questions)"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(len(run.systems), 4), fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.savefig(path, bbox_inches="tight")
    return path


def _ascii(text: str) -> str:
    """Non-ASCII characters become '?', so the default font can draw every label."""
    return text.encode("ascii", "replace").decode("ascii")
