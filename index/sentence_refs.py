"""Sentence-level units of a report: what the assistant quotes as answer sentences."""
from __future__ import annotations

from dataclasses import dataclass

from ingest.models import Report
from ingest.sentences import sentence_spans


@dataclass(frozen=True)
class SentenceRef:
    """One sentence of one record; `text` is exactly `Report.body[start:end]`."""

    report_id: str
    record_id: str
    start: int
    end: int
    text: str


def report_sentences(report: Report) -> list[SentenceRef]:
    """Every sentence of every record of `report`, in body order."""
    return [
        SentenceRef(report.report_id, record.record_id, start, end, report.body[start:end])
        for record in report.records
        for start, end in sentence_spans(record.text, record.start)
    ]


def sentences_to_columns(sentences: list[SentenceRef]) -> dict[str, list]:
    """Column form for JSON; the text is left out because the report body holds it."""
    return {
        "report_id": [s.report_id for s in sentences],
        "record_id": [s.record_id for s in sentences],
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
    }


def sentences_from_columns(columns: dict[str, list], bodies: dict[str, str]) -> list[SentenceRef]:
    """Inverse of `sentences_to_columns`; `bodies` maps report_id to `Report.body`."""
    return [
        SentenceRef(report_id, record_id, start, end, bodies[report_id][start:end])
        for report_id, record_id, start, end in zip(
            columns["report_id"], columns["record_id"], columns["start"], columns["end"]
        )
    ]
