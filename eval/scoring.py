"""Scores of one answer against its gold strings, and their aggregates (eval-format.md).

Matching follows the format: answer, citation texts and gold strings are normalised the
same way (`normalize`), then a gold string is found as a substring, except that a gold
string made of digits alone must occur as a whole number (`contains`).

Choices the format leaves open, made here once:
- Normalisation order is NFKC, then thousands separators, then whitespace, so "14, 146"
  (a list) stays two numbers while "17,906" and "１７，９０６" become 17906. A comma is a
  thousands separator only between a digit and a group of exactly three digits.
- A whole number is a maximal run of digits; a run with one decimal point ("14.5") is a
  single number, so "14" is not found in "14.5"; a run with several points ("2024.12.30",
  a date) is split at the points, so "2024" and "12" are found in it.
- An answer JSON without `answered` counts as answered.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from eval.dataset import KINDS, EvalItem

PRIMARY_METRIC = "answer_accuracy"
RETRIEVAL_KS = (1, 5, 10)

_THOUSANDS_SEPARATOR = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_WHITESPACE = re.compile(r"\s+")
_DIGITS_ONLY = re.compile(r"[0-9]+")
_NUMBER_RUN = re.compile(r"[0-9]+(?:\.[0-9]+)*")


# ---------------------------------------------------------------- matching

@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """NFKC, thousands separators inside numbers removed, all whitespace removed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _THOUSANDS_SEPARATOR.sub("", text)
    return _WHITESPACE.sub("", text)


def contains(haystack: str, needle: str) -> bool:
    """True when the gold string `needle` occurs in `haystack` after normalisation.

    A digit-only needle must be a whole number of the haystack (see module docstring):
    "14" is found in "共14个" but not in "2014年", "146" or "14.5". An empty needle is
    never found.
    """
    text, gold = normalize(haystack), normalize(needle)
    if not gold:
        return False
    if _DIGITS_ONLY.fullmatch(gold):
        return gold in _whole_numbers(text)
    return gold in text


def _whole_numbers(text: str) -> set[str]:
    """The numbers written in a normalised text, as digit strings (decimals keep their point)."""
    numbers: set[str] = set()
    for run in _NUMBER_RUN.findall(text):
        numbers.update([run] if run.count(".") == 1 else run.split("."))
    return numbers


def _found(text: str, needles: Iterable[str]) -> list[str]:
    return [n for n in needles if contains(text, n)]


# ---------------------------------------------------------------- verbatim citations

@dataclass(frozen=True)
class VerbatimCheck:
    """Whether a citation's text occurs in its report: exactly, and after normalisation."""

    strict: bool
    normalised: bool
    report_found: bool


def citation_is_verbatim(citation: Mapping, source_texts: Mapping[str, str]) -> VerbatimCheck:
    """Check that `citation["text"]` is a substring of its report's source text.

    The report is looked up in `source_texts` ({title: text}) by the citation's `report`,
    then its `source` (file name), then as the one title containing or contained in
    `report`. A citation whose report is not found, or whose text is empty, is not verbatim.
    """
    text = citation.get("text") or ""
    source = _source_text_of(citation, source_texts)
    if source is None or not text.strip():
        return VerbatimCheck(strict=False, normalised=False, report_found=source is not None)
    strict = text in source
    normalised = strict or normalize(text) in normalize(source)
    return VerbatimCheck(strict=strict, normalised=normalised, report_found=True)


def _source_text_of(citation: Mapping, source_texts: Mapping[str, str]) -> str | None:
    for key in (citation.get("report"), citation.get("source")):
        if key and key in source_texts:
            return source_texts[key]
    report = normalize(citation.get("report") or "")
    if not report:
        return None
    matches = [t for title, t in source_texts.items()
               if report in normalize(title) or normalize(title) in report]
    return matches[0] if len(matches) == 1 else None


# ---------------------------------------------------------------- one question

@dataclass
class QuestionScore:
    """Scores of one answer to one question; `None` marks a score that does not apply."""

    id: str
    kind: str
    correct: bool
    list_found: int = 0
    list_total: int = 0                       # 0 unless a `list` question with list_items
    evidence_hit: bool | None = None          # None when the question has no evidence
    citations_supported: int | None = None    # None when the question has no evidence
    citations_total: int = 0
    refusal_ok: bool | None = None            # only for `none` questions
    citations_verbatim: int | None = None     # None when no source texts were given
    citations_verbatim_normalised: int | None = None
    retrieval: dict[str, float] | None = None # set by the runner for systems that retrieve
    error: str | None = None                  # the system raised instead of answering
    reasons: list[str] = field(default_factory=list)   # why the answer is not correct

    @property
    def list_recall(self) -> float | None:
        return self.list_found / self.list_total if self.list_total else None


def score_answer(item: EvalItem, answer: Mapping,
                 source_texts: Mapping[str, str] | None = None) -> QuestionScore:
    """Score an answer JSON ({answer, answered, citations}) against `item`'s gold strings."""
    text = answer.get("answer") or ""
    answered = bool(answer.get("answered", True))
    citations = list(answer.get("citations") or [])
    reasons: list[str] = []

    # Gold strings in the answer text
    for gold in item.must_include:
        if not contains(text, gold):
            reasons.append(f"missing must_include {gold!r}")
    for group in item.any_of:
        if not _found(text, group):
            reasons.append(f"none of any_of {group!r}")
    for gold in _found(text, item.must_not_include):
        reasons.append(f"must_not_include hit {gold!r}")

    # List items (list questions only)
    list_found, list_total = 0, 0
    if item.kind == "list" and item.list_items:
        missing = [group for group in item.list_items if not _found(text, group)]
        list_total = len(item.list_items)
        list_found = list_total - len(missing)
        if missing:
            reasons.append(f"list item missing {missing!r} ({list_found}/{list_total} found)")

    # Answered or refused
    refusal_ok = None
    if item.kind == "none":
        refusal_ok = not answered
        if answered:
            reasons.append("answered on none question")
    elif not answered:
        reasons.append("answered=false on answerable question")

    # Evidence in the citations
    evidence_hit, supported = None, None
    if item.evidence:
        supported = sum(1 for c in citations if _found(_citation_text(c), item.evidence))
        evidence_hit = supported > 0

    # Verbatim citations
    verbatim, verbatim_normalised = None, None
    if source_texts is not None:
        checks = [citation_is_verbatim(c, source_texts) for c in citations]
        verbatim = sum(c.strict for c in checks)
        verbatim_normalised = sum(c.normalised for c in checks)

    return QuestionScore(
        id=item.id, kind=item.kind,
        correct=not reasons,
        list_found=list_found, list_total=list_total,
        evidence_hit=evidence_hit, citations_supported=supported, citations_total=len(citations),
        refusal_ok=refusal_ok,
        citations_verbatim=verbatim, citations_verbatim_normalised=verbatim_normalised,
        reasons=reasons,
    )


def failed_score(item: EvalItem, error: str, source_texts: Mapping[str, str] | None = None) -> QuestionScore:
    """The score of a question the system raised on: wrong on every score that applies."""
    score = score_answer(item, {"answer": "", "answered": item.kind != "none", "citations": []}, source_texts)
    return replace(
        score, correct=False, error=error,
        refusal_ok=False if item.kind == "none" else None,
        reasons=[f"system error: {error}"],
    )


def _citation_text(citation: Mapping) -> str:
    return citation.get("text") or ""


# ---------------------------------------------------------------- retrieval

def retrieval_metrics(ranked_passages: Sequence[str], evidence: Sequence[str]) -> dict[str, float]:
    """hit@k (an evidence passage is contained in a passage at rank <= k) and reciprocal rank.

    Returns {} when there is no evidence to look for.
    """
    if not evidence:
        return {}
    rank = next((r for r, passage in enumerate(ranked_passages, start=1) if _found(passage, evidence)), None)
    metrics = {f"hit@{k}": float(rank is not None and rank <= k) for k in RETRIEVAL_KS}
    metrics["rr"] = 1.0 / rank if rank else 0.0
    return metrics


# ---------------------------------------------------------------- aggregates

def aggregate(scores: Sequence[QuestionScore]) -> dict:
    """Scores overall and per kind: {"primary": name, "overall": {...}, "by_kind": {kind: {...}}}.

    Every metric is None where it does not apply (no list question, no evidence, ...).
    """
    by_kind: dict[str, list[QuestionScore]] = {}
    for score in scores:
        by_kind.setdefault(score.kind, []).append(score)
    order = [k for k in KINDS if k in by_kind] + sorted(k for k in by_kind if k not in KINDS)
    return {
        "primary": PRIMARY_METRIC,
        "overall": _metrics(scores),
        "by_kind": {kind: _metrics(by_kind[kind]) for kind in order},
        "by_phrasing": _by_phrasing(scores),
    }


def _by_phrasing(scores: Sequence[QuestionScore]) -> dict:
    """Accuracy per phrasing (formal / colloquial / indirect) for sets that ask each
    question three ways, and the spread between the best and the worst phrasing."""
    from eval.split import PHRASINGS, phrasing

    groups = {p: [s for s in scores if phrasing(s.id) == p] for p in PHRASINGS}
    if not all(groups.values()):
        return {}
    accuracy = {p: sum(s.correct for s in g) / len(g) for p, g in groups.items()}
    return {**{p: {"questions": len(groups[p]), "correct": sum(s.correct for s in groups[p]), "answer_accuracy": a}
               for p, a in accuracy.items()},
            "spread": max(accuracy.values()) - min(accuracy.values())}


def _metrics(scores: Sequence[QuestionScore]) -> dict:
    with_evidence = [s for s in scores if s.citations_supported is not None]
    checked = [s for s in scores if s.citations_verbatim is not None]
    retrieved = [s.retrieval for s in scores if s.retrieval]
    cited_total = sum(s.citations_total for s in checked)
    metrics = {
        "questions": len(scores),
        "correct": sum(s.correct for s in scores),
        "errors": sum(s.error is not None for s in scores),
        "answer_accuracy": _mean(s.correct for s in scores),
        "list_recall": _mean(s.list_recall for s in scores if s.list_recall is not None),
        "evidence_hit": _mean(s.evidence_hit for s in with_evidence),
        "citation_precision": _ratio(sum(s.citations_supported for s in with_evidence),
                                     sum(s.citations_total for s in with_evidence)),
        "refusal_accuracy": _mean(s.refusal_ok for s in scores if s.refusal_ok is not None),
        "verbatim_rate": _ratio(sum(s.citations_verbatim for s in checked), cited_total),
        "verbatim_rate_normalised": _ratio(sum(s.citations_verbatim_normalised for s in checked), cited_total),
        "non_verbatim_citations": cited_total - sum(s.citations_verbatim for s in checked) if checked else None,
        "retrieval_questions": len(retrieved),
    }
    for k in RETRIEVAL_KS:
        metrics[f"evidence_recall@{k}"] = _mean(r[f"hit@{k}"] for r in retrieved)
    metrics["mrr"] = _mean(r["rr"] for r in retrieved)
    return metrics


def _mean(values: Iterable) -> float | None:
    values = [float(v) for v in values]
    return sum(values) / len(values) if values else None


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
