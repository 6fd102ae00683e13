"""Questions about the inspection itself (哪个巡察组, 什么时候巡的, 哪天反馈的, 谁最早收到
反馈意见), answered by the sentences every report opens with: when the inspection was held
and when its findings were handed over. Words come from the genre vocabulary."""
from __future__ import annotations

import re
from functools import cache

from assistant.retrieval import ScoredSentence
from assistant.understanding import Query
from index.tokenize import normalize
from ingest.lexicon import load_lexicon
from ingest.models import RecordKind

# dates may be redacted in published reports (2023年X月X日至X月X日)
_RANGE = re.compile(r"[\dX]{1,2}\s*[月日]\s*至\s*(?:[\dX]{4}\s*年\s*)?[\dX]{1,2}\s*月")
_DATE = re.compile(r"[\dX]{4}\s*年\s*[\dX]{1,2}\s*月|[\dX]{1,2}\s*月\s*[\dX]{1,2}\s*日")
_DATE_UNITS = ("date", "day", "ordinal")
_AFTER = "(?:后|以后|之后|以来|期间|过程中)"


@cache
def _words() -> tuple[tuple[str, ...], re.Pattern, tuple[str, ...], tuple[str, ...]]:
    spec = load_lexicon().data["inspection"]
    verbs = "|".join(map(re.escape, spec["handover"]))
    # 「向县教育局党组反馈了巡察意见」「出具了审计报告」; never 「反馈的14个问题」
    handover = re.compile(rf"(?:{verbs})了|向[^，,。；;]{{1,30}}?(?:{verbs})")
    return tuple(spec["kinds"]), handover, tuple(spec["handover_asked"]), tuple(spec["which_group"])


def inspection_asked(question: str, query: Query) -> str | None:
    """'handover' or 'held' when the question asks when (or by which group) the inspection
    was held or its findings handed over; None for any other question."""
    kinds, _, handover_asked, which_group = _words()
    q = normalize(question)
    # 「巡察整改工作领导小组哪天成立的」 is about the rectification, and 「巡视反馈后…民主生活会
    # 是哪天开的」 about what came after: neither about the inspection itself
    named = re.search("(?:" + "|".join(map(re.escape, kinds)) + ")(?!整改)(?![^，,。？?]{0,4}?" + _AFTER + ")", q)
    if not named and "反馈意见" not in q:
        return None
    if query.unit not in _DATE_UNITS and not any(w in q for w in which_group):
        return None
    return "handover" if any(w in q for w in handover_asked) else "held"


def sentence_kind(text: str) -> str | None:
    """'held' for the sentence saying when an inspection was held (a date range and an
    inspection kind), 'handover' for the one saying when its findings were handed over (a
    date before the handing-over verb), 'both' when one sentence says both."""
    kinds, handover, _, _ = _words()
    if not any(k in text for k in kinds):
        return None
    held = bool(_RANGE.search(text))
    verb = handover.search(text)
    handed = bool(verb and _DATE.search(text[:verb.start()]))
    return "both" if held and handed else "held" if held else "handover" if handed else None


def inspection_first(retriever, eligible: list[ScoredSentence], wanted: str,
                     margin: float) -> list[ScoredSentence]:
    """The eligible sentences of the report's opening (no issue's) that say what is asked,
    when they cover the question about as well as the best one: they alone answer (another
    date close in score is of another event: 收到反馈意见后，于2月2日审议通过…方案)."""
    if not eligible:
        return eligible
    floor = eligible[0].coverage - margin

    def says(scored: ScoredSentence) -> bool:
        ref = retriever.index.sentences[scored.index]
        if retriever.records[ref.record_id][0].kind is RecordKind.ISSUE or scored.coverage < floor:
            return False
        return sentence_kind(ref.text) in (wanted, "both")

    return [s for s in eligible if says(s)] or eligible


def says_the_inspection(retriever, scored: ScoredSentence | None, wanted: str | None) -> bool:
    """Whether the sentence is the report's opening sentence saying what was asked."""
    if scored is None or not wanted:
        return False
    ref = retriever.index.sentences[scored.index]
    return retriever.records[ref.record_id][0].kind is not RecordKind.ISSUE \
        and sentence_kind(ref.text) in (wanted, "both")
