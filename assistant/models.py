"""What the assistant returns: an `Answer` with numbered, verbatim `Citation`s.

`Answer.to_dict()` is the answer JSON of the evaluation format (answer, answered,
citations[report, source, section, issue, status, text]); the extra fields serve the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Citation:
    """A passage quoted verbatim from a report; `text == report.body[start:end]`."""

    report: str                    # report title
    source: str                    # file name in the corpus
    section: str                   # heading path
    issue: str                     # the report's own label of the issue ("" for non-issues)
    status: str | None             # 已完成 / 整改中 / None
    text: str
    report_id: str = ""
    record_id: str = ""
    start: int = 0
    end: int = 0
    related_only: bool = False     # a 可能相关 passage offered with a refusal

    def to_dict(self) -> dict:
        return {"report": self.report, "source": self.source, "section": self.section,
                "issue": self.issue, "status": self.status, "text": self.text}


@dataclass
class Answer:
    """One answer. `answered` is False when the corpus does not support an answer."""

    answer: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    intent: str = ""               # how the question was understood (list, count, how, fact …)
    mode: str = "extractive"       # extractive | llm | llm-fallback
    notice: str = ""               # e.g. why the LLM was not used
    items: list[str] = field(default_factory=list)   # record ids of a list answer, in order
    query_terms: list[str] = field(default_factory=list)  # words to highlight on the page
    evidence: object = None        # answerability features of the best evidence (calibration)
    probability: float | None = None   # calibrated probability that the reports answer it

    def to_dict(self) -> dict:
        return {"answer": self.answer, "answered": self.answered,
                "citations": [c.to_dict() for c in self.citations]}
