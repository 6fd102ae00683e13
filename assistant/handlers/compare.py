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
from assistant.understanding import Intent, Query, asks_how, names_records
from ingest.lexicon import load_lexicon
from ingest.models import Report

# Issues answer a comparison of problems or measures; a fact about the reports themselves
# (哪个巡察组, 完成比例) is looked up in each report's text.
_ABOUT_ISSUES = re.compile(r"问题|整改措施|举措|做法|指出|反馈了")
_AGGREGATE = re.compile(r"多少|(?<![这那])几|哪些|哪几|列出|多|少")


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
    「各追缴了多少钱」「分别关停了多少个账号」 compare a figure of each report's text."""
    return query.status is not None or (bool(_AGGREGATE.search(question)) and query.unit in _ISSUE_UNITS
                                        and names_records(question))


def answer_compare(ctx: Context, query: Query, reports: list[Report], qvec, search_text: str,
                   question: str, sides: list[list[str]] | None = None) -> Answer:
    """Each side answered in turn; a side is one report, or several (「县里」 for every county
    report), of which those that answer from their issues speak for it."""
    by_id = {r.report_id: r for r in reports}
    sides = [[by_id[i] for i in side if i in by_id] for side in sides or []] or [[r] for r in reports]
    parts: list[Answer] = []
    missing: list[list[Report]] = []
    for side in sides:
        answered = [a for a in (_answer_of(ctx, query, r, qvec, search_text, question) for r in side) if a]
        if len(side) > 1:
            answered = _speaking_for_side(answered)
        parts += answered
        missing += [] if answered else [side]
    if not parts:
        return compose_refusal(question, [], ctx.retriever)
    if selects_reports(question):
        parts = _best_covered(parts)
    merged = merge_answers(parts, Intent.COMPARE)
    if missing and not selects_reports(question):
        merged.answer += "\n" + "；".join(f"{''.join(f'《{r.title}》' for r in side)}中未找到相关内容"
                                          for side in missing) + "。"
    return merged


def _answer_of(ctx: Context, query: Query, report: Report, qvec, search_text: str, question: str) -> Answer | None:
    """One report's answer: from the issues naming the topic, else from its text."""
    about_issues = asks_how(question) or bool(_ABOUT_ISSUES.search(question))
    limit = ctx.settings.compare_issues_per_report
    issues = target_issues(ctx, query, None, [report], qvec, lexical_only=True, limit=limit) if about_issues else []
    if issues:
        terms = ctx.retriever.content_terms(query.fact_terms)
        answers = [compose_how(i, r, ctx.settings.how_max_chars) if asks_how(question)
                   else compose_problem(i, r, ctx.retriever, terms)
                   for i, r in issues]
        return merge_answers(answers, Intent.COMPARE)
    answer = answer_fact(ctx, query, search_text, [report], qvec, question, True)
    if not answer.answered and query.unit == "percent":
        answer = compose_completion_rate(report, question) or answer
    return answer if answer.answered else None


def _speaking_for_side(answers: list[Answer]) -> list[Answer]:
    """Of several reports standing for one side, those answering from issues that name the
    topic (no evidence features); failing those, the text answers covering the question best."""
    from_issues = [a for a in answers if a.evidence is None]
    return from_issues or _best_covered(answers)[:1]


def _best_covered(parts: list[Answer]) -> list[Answer]:
    """The answers whose evidence covers as much of the question as the best one: the
    others answer a neighbouring question (组长 for 双组长). Answers with no evidence
    features (from the records) are kept, having nothing to be ranked by."""
    scored = [p for p in parts if p.evidence is not None]
    if not scored:
        return parts
    top = max(p.evidence.coverage for p in scored)
    return [p for p in parts if p.evidence is None or p.evidence.coverage >= top]
