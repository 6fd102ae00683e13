"""The features of the best evidence that the one answer/refuse decision is made on."""
from __future__ import annotations

import math

from assistant.answerability import Evidence
from assistant.retrieval import Retriever, ScoredSentence
from assistant.term_match import occurs
from assistant.understanding import Query


def evidence_of(best: ScoredSentence | None, absent: float, query: Query, scope_named: bool, terms: list[str],
                fits_kind: bool = True, issue_stage: bool = False, clause: float | None = None,
                rarest: float = 0.0) -> Evidence:
    """`fits_kind`: the passage holds the kind of figure the question asks for (any, when
    it asks for none); `clause`: coverage of the clause holding that figure."""
    if best is None:
        return Evidence(absent=absent, scope_named=float(scope_named), terms=math.log1p(len(terms)))
    return Evidence(
        dense=best.dense, coverage=best.coverage, context=best.context, absent=absent,
        has_unit=float(fits_kind), wants_figure=float(bool(query.unit or query.wants_number)),
        scope_named=float(scope_named), terms=math.log1p(len(terms)), issue_stage=float(issue_stage),
        figure_clause=best.coverage if clause is None else clause, rarest=rarest,
    )


def clause_coverage(retriever: Retriever, best: ScoredSentence | None, query: Query, terms: list[str]) -> float:
    """Coverage of the clause that holds the figure asked for; the sentence's otherwise."""
    if best is None:
        return 0.0
    if not (query.unit or query.wants_number):
        return best.coverage
    return retriever.figure_clause_coverage(best.index, terms, query.unit)


def rarest_held(retriever: Retriever, best: ScoredSentence | None, terms: list[str]) -> float:
    """1.0 when the question's most specific term is in the record of the passage: a near
    miss (资产负债率 asked, 短期债务占比 found) covers the common words, not that one."""
    if best is None or not terms:
        return 0.0
    return float(occurs(max(terms, key=retriever.idf), retriever.record_norm(best.index)))
