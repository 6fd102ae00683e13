"""Comparisons of named reports: the same question asked of each, side by side."""
from __future__ import annotations

import re

from assistant.context import Context
from assistant.handlers.fact import answer_fact
from assistant.handlers.issues import target_issues
from assistant.merge import merge_answers
from assistant.models import Answer
from assistant.passages import compose_completion_rate, compose_how, compose_problem, compose_refusal
from assistant.understanding import Intent, Query, asks_how
from ingest.models import Report

# Issues answer a comparison of problems or measures; a fact about the reports themselves
# (哪个巡察组, 完成比例) is looked up in each report's text.
_ABOUT_ISSUES = re.compile(r"问题|整改措施|举措|做法|指出|反馈了")
_AGGREGATE = re.compile(r"多少|几|哪些|哪几|列出|多|少")


def compare_is_aggregate(question: str, query: Query) -> bool:
    """「哪个已完成的多」 compares counts or lists, answered from the records."""
    return bool(_AGGREGATE.search(question)) or query.status is not None


def answer_compare(ctx: Context, query: Query, reports: list[Report], qvec, search_text: str,
                   question: str) -> Answer:
    parts = []
    about_issues = asks_how(question) or bool(_ABOUT_ISSUES.search(question))
    for report in reports:
        issues = target_issues(ctx, query, None, [report], qvec, lexical_only=True) if about_issues else []
        if issues:
            terms = ctx.retriever.content_terms(query.fact_terms)
            answers = [compose_how(i, r, ctx.settings.how_max_chars) if asks_how(question)
                       else compose_problem(i, r, ctx.retriever, terms)
                       for i, r in issues[:2]]
            parts.append(merge_answers(answers, Intent.COMPARE))
            continue
        answer = answer_fact(ctx, query, search_text, [report], qvec, question, True)
        if not answer.answered and query.unit == "percent":
            answer = compose_completion_rate(report, question) or answer
        if answer.answered:
            parts.append(answer)
    if not parts:
        return compose_refusal(question, [], ctx.retriever)
    merged = merge_answers(parts, Intent.COMPARE)
    missing = [r.title for r in reports if not any(c.report_id == r.report_id for p in parts for c in p.citations)]
    if missing:
        merged.answer += "\n" + "；".join(f"《{t}》中未找到相关内容" for t in missing) + "。"
    return merged
