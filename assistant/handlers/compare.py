"""Comparisons of named reports: the same question asked of each, side by side."""
from __future__ import annotations

import re
from functools import cache

from assistant.context import Context
from assistant.handlers.fact import answer_fact
from assistant.handlers.issues import target_issues
from assistant.merge import merge_answers
from assistant.models import Answer
from assistant.passages import compose_completion_rate, compose_how, compose_problem, compose_refusal
from assistant.understanding import Intent, Query, asks_how
from ingest.lexicon import load_lexicon
from ingest.models import Report

# Issues answer a comparison of problems or measures; a fact about the reports themselves
# (哪个巡察组, 完成比例) is looked up in each report's text.
_ABOUT_ISSUES = re.compile(r"问题|整改措施|举措|做法|指出|反馈了")
_AGGREGATE = re.compile(r"多少|几|哪些|哪几|列出|多|少")


@cache
def _selection() -> re.Pattern:
    """「哪家单位…」「哪份报告…」「哪个医院…」: the question picks reports, it does not set them
    side by side; the body types come from the genre vocabulary."""
    types = sorted(load_lexicon().institutions("types") + ["报告", "单位", "部门", "机构"], key=len, reverse=True)
    which = r"哪(?:一)?(?:[份家]|个(?:" + "|".join(map(re.escape, types)) + "))"
    # 「哪家多」「哪家先」 ranks the reports: every one is shown, to be compared
    return re.compile(rf"(?:{which}|谁的)(?!更?[多少先早晚高低大小快慢])")


def selects_reports(question: str) -> bool:
    return bool(_selection().search(question))


# Units that count issues; any other figure (钱, 比例, 日期) is looked up in each report.
_ISSUE_UNITS = (None, "个", "项", "条", "件")


def compare_is_aggregate(question: str, query: Query) -> bool:
    """「哪个已完成的多」 compares counts or lists, answered from the records;
    「各追缴了多少钱」 compares a figure of each report's text."""
    return query.status is not None or (bool(_AGGREGATE.search(question)) and query.unit in _ISSUE_UNITS)


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
    if selects_reports(question):
        parts = _best_covered(parts)
    merged = merge_answers(parts, Intent.COMPARE)
    missing = [r.title for r in reports if not any(c.report_id == r.report_id for p in parts for c in p.citations)]
    if missing and not selects_reports(question):
        merged.answer += "\n" + "；".join(f"《{t}》中未找到相关内容" for t in missing) + "。"
    return merged


def _best_covered(parts: list[Answer]) -> list[Answer]:
    """The answers whose evidence covers as much of the question as the best one: the
    others answer a neighbouring question (组长 for 双组长). Answers with no evidence
    features (from the records) are kept, having nothing to be ranked by."""
    scored = [p for p in parts if p.evidence is not None]
    if not scored:
        return parts
    top = max(p.evidence.coverage for p in scored)
    return [p for p in parts if p.evidence is None or p.evidence.coverage >= top]
