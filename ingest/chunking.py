"""Records -> chunks: one chunk per record, long records split on sentence boundaries.

Each chunk carries a short header (report, group, label, status, problem headline) so it
stands alone when retrieved; the passage after the header is verbatim report text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.models import Chunk, Issue, Report
from ingest.sentences import sentence_spans

_WORDPIECE = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def approx_token_count(text: str) -> int:
    """Tokens a Chinese BERT tokenizer produces, roughly: one per CJK char or symbol,
    one per ASCII word or number run. Slight over-estimation is the safe side."""
    return len(_WORDPIECE.findall(text))


@dataclass(frozen=True)
class ChunkSettings:
    """How records are cut into chunks. 512 is m3e-small's window; the margin covers
    [CLS]/[SEP] and the under-count of long numbers split into several word pieces."""

    max_tokens: int = 480


def chunk_header(report: Report, record: Issue) -> str:
    parts = [f"报告：{report.title}"]
    if record.group:
        parts.append(f"分组：{record.group}")
    if record.label:
        parts.append(f"编号：{record.label}")
    if record.status.label_zh:
        parts.append(f"状态：{record.status.label_zh}")
    if record.title:
        parts.append(f"标题：{record.title}")
    return "\n".join(parts) + "\n"


def chunk_metadata(report: Report, record: Issue) -> dict:
    return {
        "report_id": report.report_id,
        "report_title": report.title,
        "source": report.source,
        "record_id": record.record_id,
        "kind": record.kind.value,
        "label": record.label,
        "group": record.group,
        "section": record.section,
        "title": record.title,
        "status": record.status.value,
    }


def chunk_report(
    report: Report,
    settings: ChunkSettings = ChunkSettings(),
    count_tokens: Callable[[str], int] = approx_token_count,
) -> list[Chunk]:
    """All chunks of a report, in body order."""
    chunks: list[Chunk] = []
    for record in report.records:
        header = chunk_header(report, record)
        budget = max(64, settings.max_tokens - count_tokens(header))
        for part, (start, end) in enumerate(_passages(report.body, record, budget, count_tokens)):
            passage = report.body[start:end]
            chunks.append(Chunk(
                chunk_id=f"{record.record_id}/{part}",
                record_id=record.record_id,
                report_id=report.report_id,
                text=header + passage,
                passage=passage,
                start=start,
                end=end,
                part=part,
                metadata=chunk_metadata(report, record),
            ))
    return chunks


def _passages(body: str, record: Issue, budget: int, count_tokens) -> list[tuple[int, int]]:
    """Spans of at most `budget` tokens covering the record, cut between sentences."""
    spans = sentence_spans(body[record.start:record.end], record.start)
    passages: list[tuple[int, int]] = []
    cur_start, cur_end, cur_tokens = None, None, 0
    for start, end in spans:
        n = count_tokens(body[start:end])
        if cur_start is not None and cur_tokens + n > budget:
            passages.append((cur_start, cur_end))
            cur_start, cur_tokens = None, 0
        if cur_start is None:
            cur_start = start
        cur_end, cur_tokens = end, cur_tokens + n
    if cur_start is not None:
        passages.append((cur_start, cur_end))
    # A single sentence longer than the budget stays whole; the embedder truncates it,
    # BM25 still sees all of it.
    return passages
