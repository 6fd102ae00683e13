"""Records produced by ingest: a parsed report and the records it is split into.

Every record covers a contiguous span of `Report.body`, and the spans of a report's
records together cover every non-whitespace character of the body, so nothing a user
might ask about is lost between parsing and retrieval.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Status(str, Enum):
    """Rectification status of an issue, as the report states it (never guessed)."""

    COMPLETED = "completed"
    PARTIAL = "partial"            # substantially done, a remainder left (基本完成)
    IN_PROGRESS = "in_progress"    # under way toward a deadline (正在推进, 已达到序时进度)
    LONG_TERM = "long_term"        # declared a standing task (长期坚持)
    UNKNOWN = "unknown"

    @property
    def label_zh(self) -> str | None:
        """The label shown to users and written into citations; None when not stated."""
        return _STATUS_LABELS.get(self.value)

    @property
    def finished(self) -> bool:
        return self is Status.COMPLETED


_STATUS_LABELS = {"completed": "已完成", "partial": "基本完成", "in_progress": "整改中",
                  "long_term": "长期坚持"}


class StatusSource(str, Enum):
    """Where an issue's status was read from."""

    TAG = "tag"                    # a bracketed tag in the item: 【已完成】
    FIELD = "field"                # a field line: 完成情况：已完成
    COLUMN = "column"              # a ledger's status column
    SECTION = "section"            # the status section the item sits in: 已整改完成的问题
    PROSE = "prose"                # a sentence of the item: 该问题已整改到位
    NONE = "none"                  # the report does not say


class RecordKind(str, Enum):
    """What a record is: an inspection issue, or a section that is not one."""

    ISSUE = "issue"          # a problem the inspection found, with its rectification
    GROUP = "group"          # the heading / intro text of a group of issues
    SECTION = "section"      # organisation of the work, next steps, other prose
    PREAMBLE = "preamble"    # title, date and opening paragraph


@dataclass
class Issue:
    """One record of a report: an issue with its rectification, or a non-issue section.

    `start`/`end` index into `Report.body`; `text` is exactly `body[start:end]`.
    """

    record_id: str                 # "<report_id>#<seq>", stable for one content hash
    kind: RecordKind
    seq: int                       # position of the record in the report
    label: str                     # the report's own numbering, e.g. "二（一）3" or "（12）"
    numbers: list[str]             # numbering path, e.g. ["二", "（一）", "3"]
    heading_path: list[str]        # headings above the record, outermost first
    group: str                     # the feedback group / category heading it sits under
    title: str                     # the record's own heading (short problem headline for issues)
    problem: str                   # problem statement ("" for non-issues)
    rectification: str             # rectification text (整改情况 …), "" when absent
    status: Status
    start: int
    end: int
    text: str
    status_source: StatusSource = StatusSource.NONE
    status_words: str = ""         # the report's own words that gave the status
    rectification_at: int = -1     # body offset where the rectification block (its label) begins
    fields: dict = field(default_factory=dict)   # labelled parts (deadline, responsible …) -> [start, end] in body

    @property
    def section(self) -> str:
        """Heading path as one string, for citations."""
        return " > ".join(p for p in self.heading_path if p)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["status"] = self.status.value
        data["status_source"] = self.status_source.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Issue":
        data = dict(data)
        data["kind"] = RecordKind(data["kind"])
        data["status"] = Status(data["status"])
        data["status_source"] = StatusSource(data.get("status_source", "none"))
        return cls(**data)


# What a stated total counts: problems, 方面, measures (done / open), issues per status.
STATED_KEYS = ("problems", "aspects", "measures", "measures_completed", "measures_open",
               "completed", "partial", "in_progress", "long_term")


@dataclass
class StatedCount:
    """A total the report states in words, e.g. 「共计8个问题已整改完成」."""

    what: str                      # a key of STATED_KEYS
    value: int
    text: str                      # the sentence that states it, verbatim from the body
    start: int


@dataclass
class Report:
    """A parsed report: metadata, cleaned body text and its records."""

    report_id: str                 # content-derived id, stable across rebuilds
    title: str
    issuer: str                    # issuing body, from the title or the signature
    date: str | None               # ISO date where stated
    source: str                    # file name inside the corpus folder
    content_hash: str              # sha256 of the raw file bytes
    body: str                      # text after web boilerplate is removed
    records: list[Issue] = field(default_factory=list)
    stated: list[StatedCount] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)   # the body's names: 二院, 市二医院, 城投 …
    places: list[str] = field(default_factory=list)    # places it sits in: 郴州市, 郴州 (weaker names)
    level: str = ""                # administrative level the report belongs to: 县 / 市 / 区 / 省
    parser_version: str = ""
    layout: str = ""               # the parse strategy the self-check chose
    warnings: list[str] = field(default_factory=list)   # for users, in Chinese

    @property
    def totals(self) -> dict[str, int]:
        """The first value the report states for each key of STATED_KEYS."""
        out: dict[str, int] = {}
        for count in self.stated:
            out.setdefault(count.what, count.value)
        return out

    @property
    def issues(self) -> list[Issue]:
        return [r for r in self.records if r.kind is RecordKind.ISSUE]

    def status_counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for issue in self.issues:
            counts[issue.status.value] += 1
        return counts

    def has_status_split(self) -> bool:
        """True when the report itself separates completed from ongoing issues."""
        return any(i.status is not Status.UNKNOWN for i in self.issues)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["records"] = [r.to_dict() for r in self.records]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        data = dict(data)
        data["records"] = [Issue.from_dict(r) for r in data.get("records", [])]
        data["stated"] = [StatedCount(**s) for s in data.get("stated", [])]
        return cls(**data)


@dataclass
class Chunk:
    """The unit that is embedded and searched: one issue (or part of a long one).

    `text` is what is embedded: a short header (report, group, label, status, problem)
    followed by the body `passage`, which is verbatim `Report.body[start:end]`.
    """

    chunk_id: str
    record_id: str
    report_id: str
    text: str
    passage: str
    start: int
    end: int
    part: int                      # 0 for the first part of a split record
    metadata: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Chunk":
        return cls(**data)


class ReadError(Exception):
    """A file could not be read into text; the message says why, in Chinese, for users."""

    def __init__(self, source: str, message: str):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
