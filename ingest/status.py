"""An issue's status, read from what the report says about that issue (never guessed).

Sources, most specific first: a bracketed tag in the item (【已完成】), a progress field
(完成情况：正在推进), a ledger's status column, the status section the item sits in
(已整改完成的问题：), and a status sentence of the item's prose (该问题已整改到位). The
words come from the genre vocabulary, so a new report's wording is a data change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lexicon import Lexicon, StatusHit
from ingest.models import Status, StatusSource

# A bracketed tag: 【已完成】（基本完成）[持续推进]〔已销号〕
_TAG = re.compile(r"[【\[〔［（(](?P<inner>[^】\]〕］）)\n]{2,10})[】\]〕］）)]")
# Characters a tag or field value may carry besides its status word (整改, 的 …).
_MAX_EXTRA_CHARS = 3
# In a prose status sentence the status word follows its cue closely and ends the clause.
_CUE_GAP = 4
_CLAUSE_END = re.compile(r"\s*(?:[，,。；;！!]|$)")
_TRAILING = 2


@dataclass(frozen=True)
class StatusReading:
    """A status with where it came from and the report's words for it."""

    status: Status
    source: StatusSource
    words: str

    @classmethod
    def none(cls) -> "StatusReading":
        return cls(Status.UNKNOWN, StatusSource.NONE, "")


class StatusReader:
    """Reads one issue's status from its text, its ledger cell and its section."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        labels = sorted(lexicon.labels("progress"), key=len, reverse=True)
        self._field = re.compile(
            r"(?:^|[\n\t。；])\s*(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：]\s*(?P<value>[^\n。；;]{1,40})")

    def read(self, text: str, cell: str = "", section: StatusReading | None = None) -> StatusReading:
        for reading in (self.from_cell(cell), self.from_tag(text), self.from_field(text)):
            if reading is not None:
                return reading
        if section is not None and section.status is not Status.UNKNOWN:
            return section
        return self.from_prose(text) or StatusReading.none()

    def from_cell(self, cell: str) -> StatusReading | None:
        if not cell.strip():
            return None
        hit = self.lexicon.status_of(_first_clause(cell))
        if hit is not None:
            return StatusReading(hit.status, StatusSource.COLUMN, hit.word)
        prose = self.from_prose(cell)
        return StatusReading(prose.status, StatusSource.COLUMN, prose.words) if prose else None

    def from_tag(self, text: str) -> StatusReading | None:
        """The last bracketed tag that is a status and little else."""
        found = None
        for match in _TAG.finditer(text):
            hit = self._whole_phrase(match.group("inner"))
            if hit is not None:
                found = StatusReading(hit.status, StatusSource.TAG, match.group(0))
        return found

    def from_field(self, text: str) -> StatusReading | None:
        for match in self._field.finditer(text):
            hit = self.lexicon.status_of(_first_clause(match.group("value")))
            if hit is not None:
                return StatusReading(hit.status, StatusSource.FIELD, hit.word)
        return None

    def from_prose(self, text: str) -> StatusReading | None:
        """The last sentence that states the item's status after a cue (目前 / 该问题 …)."""
        found = None
        for cue in self.lexicon.prose_cues:
            for match in re.finditer(re.escape(cue), text):
                tail = text[match.end():match.end() + _CUE_GAP + 12]
                hit = self._closing_hit(tail)
                if hit is not None and (found is None or match.start() > found[0]):
                    found = (match.start(), StatusReading(hit.status, StatusSource.PROSE, cue + tail[:hit.start + len(hit.word)]))
        return found[1] if found else None

    def section_of_line(self, line: str) -> StatusReading | None:
        hit = self.lexicon.status_section(line)
        if hit is None or not self._covers(line, hit):
            return None
        return StatusReading(hit.status, StatusSource.SECTION, line.strip().rstrip("：:"))

    # --- helpers ----------------------------------------------------------------------
    def _whole_phrase(self, phrase: str) -> StatusHit | None:
        hit = self.lexicon.status_of(phrase)
        if hit is None or len(phrase.strip()) - len(hit.word) > _MAX_EXTRA_CHARS:
            return None
        return hit

    def _closing_hit(self, tail: str) -> StatusHit | None:
        for hit in self.lexicon.status_hits(tail):
            if hit.start > _CUE_GAP:
                return None
            after = tail[hit.start + len(hit.word):]
            if _CLAUSE_END.match(after[:_TRAILING + 1]) or _CLAUSE_END.match(after[_TRAILING:_TRAILING + 1] or ""):
                return hit
            return None
        return None

    def _covers(self, line: str, hit: StatusHit) -> bool:
        """The status words make up the section line's phrase (a problem heading that
        merely contains one is not a status section)."""
        match = self.lexicon.status_section_line.match(line.strip())
        return match is not None and len(match.group("phrase")) - len(hit.word) <= _MAX_EXTRA_CHARS


def _first_clause(text: str) -> str:
    return re.split(r"[。；;，,\n]", text.strip(), maxsplit=1)[0]
