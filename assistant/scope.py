"""Which reports a question is about: 二院 / 市二医院 / 县里 / 县卫健委 … -> report ids.

Aliases come from each report's title and issuing body at index time (ingest.metadata);
nothing here knows a particular report. Institution names beat administrative levels:
"市二医院" names one hospital, "市里" only a level.
"""
from __future__ import annotations

from dataclasses import dataclass

from index.tokenize import normalize
from ingest.models import Report

_LEVELS = ("县", "市", "区", "省", "旗")


@dataclass
class Scope:
    """Reports in scope and the words of the question that named them."""

    report_ids: list[str]
    named: bool                    # True when the question (or selector) named them
    words: list[str]


def resolve_scope(question: str, reports: list[Report], selector: str | None = None) -> Scope:
    """Reports the question is about; all reports when it names none."""
    all_ids = [r.report_id for r in reports]
    if selector:
        chosen = [r.report_id for r in reports if normalize(selector) in normalize(r.title)]
        return Scope(chosen, True, [])
    q = normalize(question)
    best_len, hits, words = 0, [], []
    for report in reports:
        for alias in _strong_aliases(report):
            if normalize(alias) in q:
                words.append(alias)
                if len(alias) > best_len:
                    best_len, hits = len(alias), [report.report_id]
                elif len(alias) == best_len and report.report_id not in hits:
                    hits.append(report.report_id)
    if hits:
        return Scope(hits, True, words)
    level_hits = _level_hits(q, reports)
    if level_hits:
        ids, level_words = level_hits
        return Scope(ids, True, level_words)
    return Scope(all_ids, False, [])


def _strong_aliases(report: Report) -> list[str]:
    """Aliases that name an institution or the title itself, not just a level word."""
    strong = [a for a in report.aliases if len(a) >= 2 and a not in _level_words()]
    return strong + [report.title]


def _level_words() -> set[str]:
    words = set()
    for level in _LEVELS:
        words |= {level, f"{level}里", f"{level}级", f"{level}委", f"{level}卫健委", f"{level}卫健系统"}
    return words


def _level_hits(q: str, reports: list[Report]) -> tuple[list[str], list[str]] | None:
    """Reports whose administrative level the question names (县里 / 县医院 / 市里)."""
    for level in _LEVELS:
        if level not in q:
            continue
        ids = [r.report_id for r in reports if level in r.aliases]
        if ids:
            words = [w for w in sorted(_level_words(), key=len, reverse=True) if w.startswith(level) and w in q]
            return ids, words or [level]
    return None
