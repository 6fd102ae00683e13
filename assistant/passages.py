"""Specific questions answered from passages: a figure, a date, a fact, how an issue was
rectified, whether it is finished. Every sentence of an answer is quoted verbatim."""
from __future__ import annotations

import re

from assistant.citations import cite, cite_problem, cite_rectification
from assistant.config import AnswerSettings
from assistant.models import Answer
from assistant.retrieval import Retriever, ScoredSentence
from assistant.understanding import Intent, Query
from ingest.models import Issue, RecordKind, Report, Status


def fits(scored: ScoredSentence, query: Query, text_norm: str, window_norm: str) -> bool:
    """Whether a sentence can answer the kind of question asked: a figure of the wanted
    kind, any figure for 多少/几, and the thing counted (护士 in 多少名护士) in the
    sentence or the one before it."""
    if query.unit and not scored.has_unit:
        return False
    if query.wants_number and not re.search(r"\d", text_norm):
        return False
    return not query.counted or bool(_abbreviation(query.counted).search(window_norm))


def _abbreviation(word: str) -> re.Pattern:
    """A word or its abbreviation's expansion: 公卫 matches 公共卫生 (its characters in
    order, each at most three characters after the previous)."""
    return re.compile(".{0,3}".join(re.escape(ch) for ch in word))


def supported(best: ScoredSentence | None, absent_share: float, settings: AnswerSettings) -> bool:
    """Whether the best fitting sentence supports an answer at all (else: refuse)."""
    if best is None or absent_share > settings.max_absent_share:
        return False
    support = max(best.coverage, 0.5 * best.coverage + 0.5 * best.context)
    close = best.dense >= settings.min_dense or best.coverage >= settings.full_coverage
    return support >= settings.min_coverage and close


def compose_fact(query: Query, ranked: list[ScoredSentence], retriever: Retriever,
                 settings: AnswerSettings) -> Answer:
    """The best sentence, and a close second from another place, each cited."""
    index = retriever.index
    chosen = [ranked[0]]
    for cand in ranked[1:4]:
        if ranked[0].score - cand.score > settings.extra_sentence_margin:
            break
        chosen.append(cand)
        break
    lines, citations = [], []
    for scored in chosen:
        ref = index.sentences[scored.index]
        record, report = retriever.records[ref.record_id]
        citations.append(cite(report, record, ref.start, ref.end))
        where = f"【{record.label}】{record.title}" if record.kind is RecordKind.ISSUE else record.title
        prefix = f"据《{report.title}》" + (f"{where}：" if where else "：")
        lines.append(f"{prefix}{ref.text.strip()}[{len(citations)}]")
    return Answer("\n".join(lines), True, citations, intent=Intent.FACT.value,
                  items=[index.sentences[c.index].record_id for c in chosen[:1]])


def compose_how(issue: Issue, report: Report) -> Answer:
    """The issue's rectification measures, verbatim, under its headline."""
    problem = cite_problem(report, issue)
    rect = cite_rectification(report, issue)
    status = issue.status.label_zh or "报告未标明是否已完成"
    text = (f"《{report.title}》【{issue.label}】{issue.title}（{status}）[1]的整改情况：\n"
            f"{rect.text}[2]")
    return Answer(text, True, [problem, rect], intent=Intent.HOW.value, items=[issue.record_id])


def compose_problem(issue: Issue, report: Report) -> Answer:
    """What the inspection found: the issue's headline and problem statement."""
    problem = cite_problem(report, issue)
    text = f"《{report.title}》【{issue.label}】{issue.title}：{problem.text}[1]"
    return Answer(text, True, [problem], intent=Intent.FACT.value, items=[issue.record_id])


def compose_status(issue: Issue, report: Report) -> Answer:
    """Whether one issue is finished, as the report states it."""
    problem = cite_problem(report, issue)
    rect = cite_rectification(report, issue)
    if issue.status is Status.COMPLETED:
        verdict = f"报告将其列为已整改完成的问题（见“{issue.group}”）。"
    elif issue.status is Status.IN_PROGRESS:
        verdict = f"报告将其列为仍在整改的问题（见“{issue.group}”）。"
    else:
        verdict = "报告没有标明该问题是否已整改完成，只通报了整改情况。"
    text = f"《{report.title}》【{issue.label}】{issue.title}[1]：{verdict}\n{rect.text}[2]"
    return Answer(text, True, [problem, rect], intent=Intent.STATUS.value, items=[issue.record_id])


def compose_refusal(question: str, related: list, retriever: Retriever, reason: str = "") -> Answer:
    """Say plainly that the reports do not answer it; offer the closest passages."""
    citations = []
    for scored in related:
        ref = retriever.index.sentences[scored.index]
        record, report = retriever.records[ref.record_id]
        citations.append(cite(report, record, ref.start, ref.end, related_only=True))
    text = f"报告中未找到能回答该问题的内容{('（' + reason + '）') if reason else ''}。"
    if citations:
        text += "\n以下段落可能相关，仅供参考：" + "".join(f"[{n}]" for n in range(1, len(citations) + 1))
    return Answer(text, False, citations, intent="none")
