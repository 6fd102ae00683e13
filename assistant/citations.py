"""Verbatim citations: spans of a report body, never rewritten text."""
from __future__ import annotations

import re

from assistant.models import Citation
from ingest.models import Issue, Report

_HEADLINE_MAX = 160
_SENTENCE_END = re.compile(r"[。；;！？!?]")


def cite(report: Report, record: Issue, start: int, end: int, related_only: bool = False) -> Citation:
    """A citation of body[start:end] (whitespace trimmed), labelled with its record."""
    while start < end and report.body[start].isspace():
        start += 1
    while end > start and report.body[end - 1].isspace():
        end -= 1
    return Citation(
        report=report.title, source=report.source, section=record.section or record.title,
        issue=record.label, status=record.status.label_zh, text=report.body[start:end],
        report_id=report.report_id, record_id=record.record_id, start=start, end=end,
        related_only=related_only,
    )


def rectification_start(record: Issue) -> int:
    """Body offset where the record's rectification block begins (its label included)."""
    return record.rectification_at if record.rectification_at >= 0 else record.end


def cite_problem(report: Report, issue: Issue) -> Citation:
    """The issue's numbered heading and problem statement, cut after a sentence when long."""
    end = rectification_start(issue)
    if end - issue.start > _HEADLINE_MAX:
        first = _SENTENCE_END.search(report.body, issue.start + min(len(issue.title), _HEADLINE_MAX - 1))
        end = first.end() if first and first.end() <= end else issue.start + _HEADLINE_MAX
    return cite(report, issue, issue.start, end)


def cite_status(report: Report, issue: Issue) -> Citation:
    """Where the report states the issue's status (its tag, progress field, ledger cell or
    status sentence) to the end of that sentence; the problem statement when the status
    comes from the section the issue sits in."""
    words = issue.status_words
    at = _status_at(report, issue) if words and issue.status_source.value in ("tag", "field", "column", "prose") else -1
    if at < 0:
        return cite_problem(report, issue)
    start = issue.start + at
    # a field's status word opens its line: quote from the label (完成情况：正在推进。…)
    line_start = _field_label_start(report, issue, start)
    if line_start is not None:
        start = line_start
    stop = _SENTENCE_END.search(report.body, start + len(words))
    end = min(stop.end() if stop else issue.end, issue.end)
    if end - start < _STATUS_MIN_CHARS:
        # 「完成情况：正在推进。」 alone says too little: what follows it is the progress it
        # reports (已追回…); a tag with nothing after it takes the sentence before instead
        more = _SENTENCE_END.search(report.body, end)
        line_end = report.body.find("\n", end)
        after = min(more.end() if more else issue.end, issue.end, line_end if line_end >= 0 else issue.end)
        if report.body[end:after].strip():
            end = after
        else:
            before = max(report.body.rfind(ch, issue.start, start - 1) for ch in "。；\n")
            start = max(before + 1, issue.start)
    return cite(report, issue, start, end)


_STATUS_LABEL_MAX = 8


def _status_at(report: Report, issue: Issue) -> int:
    """Offset in the issue's text of the words that gave its status: for a field, the
    mention its label opens (完成情况：长期坚持。…), not a later sentence repeating the
    words (此项工作将长期坚持。); else the last mention (a tag or ledger cell closes it)."""
    words, text = issue.status_words, issue.text
    if issue.status_source.value == "field":
        at = text.find(words)
        while at >= 0:
            if _field_label_start(report, issue, issue.start + at) is not None:
                return at
            at = text.find(words, at + 1)
    return text.rfind(words)


def _field_label_start(report: Report, issue: Issue, start: int) -> int | None:
    """Where the short field label (完成情况：) before body[start] begins on its line."""
    line_start = report.body.rfind("\n", issue.start, start) + 1 or issue.start
    label = report.body[line_start:start]
    if len(label) <= _STATUS_LABEL_MAX and label.rstrip().endswith(("：", ":")):
        return line_start
    return None
_STATUS_MIN_CHARS = 12


def cite_rectification(report: Report, issue: Issue) -> Citation:
    """The issue's whole rectification block (整改情况：…)."""
    return cite(report, issue, rectification_start(issue), issue.end)


def cite_record(report: Report, record: Issue) -> Citation:
    return cite(report, record, record.start, record.end)
