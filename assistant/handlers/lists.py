"""List and count questions, answered from the parsed records (by status, group or topic),
and the sub-headings of a section that is not an issue (「下一步从哪几个方面推进」)."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.aggregate import TopicScores, compose_count, compose_list, select_issues, topic_where_found
from assistant.context import Context
from assistant.followup import Conversation, asks_which_ones, refers_to_previous_list
from assistant.models import Answer
from assistant.passages import compose_refusal, compose_section_list
from assistant.understanding import Intent, Query
from index.tokenize import normalize
from ingest.models import RecordKind, Report

_LISTS_PARTS = re.compile(r"哪几|哪些方面|几个方面|几点|几项|几条")
_MORE_OR_FEWER = re.compile(r"多|少|几")


def answer_aggregate(ctx: Context, query: Query, conv: Conversation | None, reports: list[Report], qvec,
                     question: str) -> Answer:
    if query.intent is Intent.COMPARE and query.status is not None:
        # 「哪份报告把已完成和还在整改的分开了」: each report's split, side by side
        query = replace(query, intent=Intent.COUNT, status=None, topic="", topic_terms=[])
    elif query.intent is Intent.COMPARE:
        query = replace(query, intent=Intent.COUNT if _MORE_OR_FEWER.search(question) else Intent.LIST)
    candidates = conv.items if conv and conv.items and (refers_to_previous_list(question)
                                                        or asks_which_ones(question, query)) else None
    topic = TopicScores(query, ctx.retriever, qvec, {r.report_id for r in reports})
    selections = topic_where_found(query, [select_issues(query, report, topic, ctx.settings, candidates)
                                           for report in reports if _has_what_is_counted(query, report)])
    if candidates is not None:
        selections = [s for s in selections if s.issues or s.note]
    if not selections:
        return compose_refusal(question, [], ctx.retriever, "所选报告中没有解析出问题条目")
    silent: list = []
    if len(selections) > 1 and not query.count_groups and not ctx.scope.resolve(question).named:
        # across the whole store, the reports with something to say; the rest in one line
        speaking = [s for s in selections if s.issues]
        silent = [s for s in selections if not s.issues]
        selections = speaking or selections
    compose = compose_count if query.intent is Intent.COUNT else compose_list
    answer = compose(query, selections)
    if not answer.answered and (any(s.note for s in selections) or query.count_target != "issues"):
        return answer           # why the report cannot say it, as the text of a refusal
    if not answer.answered:
        only = selections[0].filter_text if len(selections) == 1 else ""
        return compose_refusal(question, [], ctx.retriever, f"报告中没有{only}的问题" if only else "没有符合条件的问题")
    if silent and selections is not silent:
        answer.answer += "\n" + _silent_line(silent)
    answer.query_terms = query.topic_terms
    return answer


def _has_what_is_counted(query: Query, report: Report) -> bool:
    """Issues to list or count; for a count of measures, the measures the report states
    (a report written in prose has no issues to parse but still counts its measures)."""
    if query.count_target != "issues" and query.intent is Intent.COUNT:
        return bool(report.issues) or query.count_target in report.totals
    return bool(report.issues)


def _silent_line(silent: list) -> str:
    """One line for the reports that have nothing to list: those that do not split their
    issues by status by name (it cannot be checked there), the others by number."""
    unsplit = [s.report.title for s in silent if s.note]
    others = len(silent) - len(unsplit)
    parts = [f"其余{others}份报告中没有找到符合条件的问题"] if others else []
    if unsplit:
        parts.append("、".join(f"《{t}》" for t in unsplit) + "未区分已完成和正在整改的问题，无法按状态筛选")
    return "；".join(parts) + "。"


def answer_listed_section(ctx: Context, query: Query, reports: list[Report], question: str) -> Answer | None:
    """The sub-headings of the section whose title best covers the question's words."""
    if not _LISTS_PARTS.search(question) or not query.fact_terms:
        return None
    best = None
    for report in reports:
        for record in report.records:
            if record.kind is not RecordKind.SECTION or not record.title:
                continue
            coverage = max(ctx.retriever.coverage(query.fact_terms, normalize(name))
                           for name in (record.title, _caption(record, ctx.settings.section_caption_max_chars)))
            if coverage < ctx.settings.section_min_coverage or (best is not None and coverage <= best[0]):
                continue
            children = [r for r in report.records if r.heading_path and r.heading_path[-1].endswith(record.title)]
            if len(children) >= 2:
                best = (coverage, report, record, children)
    if best is None:
        return None
    _, report, record, children = best
    return compose_section_list(report, record, children)


# A caption is a short line under a heading that names what follows (附件 / 「…下一步计划」),
# not a sentence of prose.
_PROSE = re.compile(r"[。，,；;]")


def _caption(record, max_chars: int) -> str:
    """The line right under a section's heading when it is a caption, else ''."""
    lines = [line.strip() for line in record.text.splitlines() if line.strip()]
    if len(lines) < 2 or len(lines[1]) > max_chars or _PROSE.search(lines[1]):
        return ""
    return lines[1]
