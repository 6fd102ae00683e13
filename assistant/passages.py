"""Specific questions answered from passages: a figure, a date, a fact, how an issue was
rectified, whether it is finished. Every sentence of an answer is quoted verbatim."""
from __future__ import annotations

import re

from assistant.citations import cite, cite_problem, cite_record, cite_rectification
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
    if query.wants_number and query.unit not in ("person", "ordinal") and not re.search(r"\d", text_norm):
        return False
    return not query.counted or bool(_abbreviation(query.counted).search(window_norm))


def _abbreviation(word: str) -> re.Pattern:
    """A word or its abbreviation's expansion: 公卫 matches 公共卫生 (its characters in
    order, each at most three characters after the previous)."""
    return re.compile(".{0,3}".join(re.escape(ch) for ch in word))


def supported(best: ScoredSentence | None, absent_share: float, settings: AnswerSettings) -> bool:
    """Whether the best fitting sentence supports an answer at all (else: refuse).
    A sentence holding the kind of figure asked for (a date, a phone number …) in a
    record about the question may be phrased unlike it."""
    if best is None or absent_share > settings.max_absent_share:
        return False
    w = settings.context_weight
    support = max(best.coverage, (1 - w) * best.coverage + w * best.context)
    close = (best.dense >= settings.min_dense or best.coverage >= settings.full_coverage
             or (best.has_unit and best.context >= settings.typed_min_context))
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
    total = stated_parts_total(query, index.sentences[chosen[0].index].text)
    if total:
        lines.append(total)
    return Answer("\n".join(lines), True, citations, intent=Intent.FACT.value,
                  items=[index.sentences[c.index].record_id for c in chosen[:1]])


_ASKS_TOTAL = re.compile(r"一共|总共|合计|共计|加起来|总数")
_TOTAL_WORD = re.compile(r"(?:共|合计|累计|总计|总共)\D{0,6}\d")


def stated_parts_total(query: Query, sentence: str) -> str:
    """「一共评了多少家」 when the sentence gives only the parts (五星级27家、四星级182家…):
    their sum, said to be a sum, so the figure is checkable against the quote."""
    if not _ASKS_TOTAL.search(query.text) or not query.unit or _TOTAL_WORD.search(sentence):
        return ""
    numbers = re.findall(rf"(\d+(?:\.\d+)?)\s*{re.escape(query.unit)}", sentence)
    if len(numbers) < 2:
        return ""
    values = [float(n) for n in numbers]
    total = sum(values)
    shown = int(total) if total.is_integer() else round(total, 2)
    return f"（报告未直接给出合计；按原文各项相加：{'+'.join(numbers)}={shown}{query.unit}）"


def compose_how(issue: Issue, report: Report) -> Answer:
    """The issue's rectification measures, verbatim, under its headline; the one
    citation is the whole issue, problem and rectification, as the report prints it."""
    rect = cite_rectification(report, issue).text or issue.rectification   # a ledger row has no label
    status = issue.status.label_zh or "报告未标明是否已完成"
    text = f"《{report.title}》【{issue.label}】{issue.title}（{status}）的整改情况：\n{rect}[1]"
    return Answer(text, True, [cite_record(report, issue)], intent=Intent.HOW.value, items=[issue.record_id])


def compose_problem(issue: Issue, report: Report, retriever: Retriever | None = None,
                    terms: list[str] = ()) -> Answer:
    """What the inspection found: the issue's headline, and the sentences of its problem
    statement that speak of the question's topic (a long statement covers several)."""
    citations = [cite_problem(report, issue)]
    if retriever is not None and terms:
        for index in retriever.problem_sentences_about(issue.record_id, list(terms)):
            ref = retriever.index.sentences[index]
            if not any(c.start <= ref.start and ref.end <= c.end for c in citations):
                citations.append(cite(report, issue, ref.start, ref.end))
    quoted = "".join(f"{c.text}[{n}]" for n, c in enumerate(citations, 1))
    text = f"《{report.title}》【{issue.label}】{issue.title}：{quoted}"
    return Answer(text, True, citations, intent=Intent.FACT.value, items=[issue.record_id])


def compose_status(issue: Issue, report: Report) -> Answer:
    """Whether one issue is finished, as the report states it."""
    rect = cite_rectification(report, issue).text or issue.rectification
    if issue.status is not Status.UNKNOWN:
        said = f"（报告原文：{issue.status_words}）" if issue.status_words else ""
        verdict = f"报告标明的整改状态为“{issue.status.label_zh}”{said}。"
    else:
        verdict = "报告没有标明该问题是否已整改完成，只通报了整改情况。"
    text = f"《{report.title}》【{issue.label}】{issue.title}：{verdict}\n{rect}[1]"
    return Answer(text, True, [cite_record(report, issue)], intent=Intent.STATUS.value, items=[issue.record_id])


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


_SIGNED = re.compile(r"落款|成文|签发|署名")
_PUBLISHED = re.compile(r"发布|公布|发出|印发")
_DATE_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*$", re.M)
_PUBLISHED_LINE = re.compile(r"^\s*(?:发布|发文|印发|成文)(?:时间|日期)\s*[:：].*\d.*$", re.M)


def compose_report_date(question: str, reports: list[Report]) -> Answer | None:
    """When was the report itself signed or published: its own date lines, not a passage."""
    if not re.search(r"日期|哪天|什么时候|何时|时间|几号|哪一天", question):
        return None
    signed, published = bool(_SIGNED.search(question)), bool(_PUBLISHED.search(question))
    if not (signed or published) or not re.search(r"通报|报告|文件|这份|落款|成文|签发", question):
        return None
    lines, citations = [], []
    for report in reports:
        pattern = _DATE_LINE if signed else _PUBLISHED_LINE
        matches = list(pattern.finditer(report.body))
        if not matches and published:
            matches = list(_DATE_LINE.finditer(report.body))
        if not matches:
            continue
        match = matches[-1] if signed else matches[0]
        record = next((r for r in report.records if r.start <= match.start() < r.end), report.records[0])
        citations.append(cite(report, record, match.start(), match.end()))
        kind = "落款日期" if signed else "发布时间"
        lines.append(f"《{report.title}》的{kind}：{citations[-1].text}[{len(citations)}]")
    if not citations:
        return None
    return Answer("\n".join(lines), True, citations, intent=Intent.FACT.value)


def compose_section_list(report: Report, section: Issue, children: list[Issue]) -> Answer:
    """The numbered sub-headings of a section, each cited with its own text."""
    lines = [f"《{report.title}》“{section.title}”共{len(children)}点："]
    citations = []
    for n, child in enumerate(children, 1):
        end = report.body.find("\n", child.start)
        citations.append(cite(report, child, child.start, end if 0 < end < child.end else child.end))
        lines.append(f"{n}. {child.title}[{len(citations)}]")
    return Answer("\n".join(lines), True, citations, intent=Intent.LIST.value, items=[c.record_id for c in children])
