"""Totals a report states about itself, read clause by clause from its non-issue text:
「反馈的3个方面12个问题，已完成整改7个，基本完成整改3个」「63条整改措施已完成54条」.

A count belongs to the noun last named in its sentence (问题 or 整改措施), so 「制定整改
措施112条，已完成98项」 counts measures, not problems; a status word beside the count says
which part it is.
"""
from __future__ import annotations

import re

from ingest.headings import cn_to_int
from ingest.lexicon import Lexicon
from ingest.models import STATED_KEYS, Issue, RecordKind, StatedCount, Status

_NUM = r"(?P<n>\d{1,5}|[一二三四五六七八九十百两]{1,5})"
_CLAUSE = re.compile(r"[^，,；;。\n]+")
_SENTENCE_END = "。；;\n"
_STATUS_KEYS = {s.value for s in Status}
_OTHER_ASPECTS = re.compile(r"的(?!(?:具体)?(?:问题|意见|反馈意见))")


class TotalsReader:
    """Finds stated totals in the report-level records of a parsed report."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        classifiers = "".join(lexicon.totals("classifiers"))
        nouns = {"problems": lexicon.totals("problems"), "aspects": lexicon.totals("aspects"),
                 "measures": lexicon.totals("measures")}
        self._nouns = [(key, word) for key, words in nouns.items() for word in words]
        noun_alt = "|".join(map(re.escape, sorted({w for _, w in self._nouns}, key=len, reverse=True)))
        # 「12个问题」「问题31个」「62项整改措施」「整改任务12项」
        self._count_noun = re.compile(rf"{_NUM}[{classifiers}](?:[\u4e00-\u9fff]{{0,4}}?)(?P<noun>{noun_alt})|(?P<noun2>{noun_alt}){_NUM.replace('n>', 'n2>')}[{classifiers}]")
        self._bare_count = re.compile(rf"{_NUM}[{classifiers}]")

    def read(self, body: str, records: list[Issue]) -> list[StatedCount]:
        found: list[StatedCount] = []
        for record in records:
            if record.kind is RecordKind.ISSUE:
                continue   # an issue's own 「共发现问题19个」 counts its sub-findings
            for start, end in _sentences(record.text):
                self._read_sentence(body, record.start + start, record.start + end, found)
        return found

    def _read_sentence(self, body: str, start: int, end: int, found: list[StatedCount]) -> None:
        sentence = body[start:end]
        noun = None
        for clause in _CLAUSE.finditer(sentence):
            noun = self._read_clause(clause.group(0), noun, sentence, start, found)

    def _read_clause(self, clause: str, noun: str | None, sentence: str, start: int,
                     found: list[StatedCount]) -> str | None:
        """Counts of one clause; returns the noun later bare counts refer to."""
        hits = self.lexicon.status_hits(clause)
        if len({h.status for h in hits}) > 1:
            return noun    # 「对基本完成、持续整改的4条问题」 counts several statuses at once
        status = hits[0] if hits else None
        named = [(m.start(), self._noun_key(m.group("noun") or m.group("noun2")),
                  cn_to_int(m.group("n") or m.group("n2")), m.end()) for m in self._count_noun.finditer(clause)]
        # 「4个方面的审计建议」 counts the aspects of something else than the problems
        named = [t for t in named if t[1] != "aspects" or not _OTHER_ASPECTS.match(clause[t[3]:])]
        covered = [(p, e) for p, _, _, e in named]
        bare = [m for m in self._bare_count.finditer(clause)
                if not any(p <= m.start() < e for p, e in covered)]
        counted = [(k, v) for _, k, v, _ in named if k != "aspects"]
        noun = counted[-1][0] if counted else noun
        totals = list(named)
        if status is not None and noun is not None:
            after = [m for m in bare if m.start() > status.start]
            if after:
                _add(found, _key_for(noun, status.status), cn_to_int(after[0].group("n")), sentence, start)
            elif bare and not counted:
                # 「其余3个正在推进」: the count stands before its status
                _add(found, _key_for(noun, status.status), cn_to_int(bare[0].group("n")), sentence, start)
            elif counted:
                # 「共计8个问题已整改完成」: the named count is the part with that status
                last = max((t for t in named if t[1] != "aspects"), key=lambda t: t[0])
                totals.remove(last)
                _add(found, _key_for(last[1], status.status), last[2], sentence, start)
        for _, key, value, _ in totals:
            _add(found, key, value, sentence, start)
        return noun

    def _noun_key(self, word: str) -> str:
        return next(key for key, w in self._nouns if w == word)


def _key_for(noun: str, status: Status | None) -> str | None:
    """The STATED_KEYS key for a count of `noun` with `status` (None: the noun's total)."""
    if status is None:
        return noun
    if noun == "problems":
        return status.value if status is not Status.UNKNOWN else "problems"
    if noun == "measures":
        return "measures_completed" if status is Status.COMPLETED else "measures_open"
    return None


def _add(found: list[StatedCount], what: str | None, value: int | None, sentence: str, start: int) -> None:
    if what is None or value is None or what not in STATED_KEYS:
        return
    if any(s.what == what and s.value == value for s in found):
        return
    text = sentence.strip()
    same = next((s for s in found if s.what == what and s.text == text), None)
    if same is not None and what in _STATUS_KEYS:
        same.value += value    # 「已达到序时进度4个，正在推进1个」: both are in progress
        return
    found.append(StatedCount(what, value, text, start + (len(sentence) - len(sentence.lstrip()))))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            spans.append((begin, i + 1))
            begin = i + 1
    if begin < len(text):
        spans.append((begin, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]
