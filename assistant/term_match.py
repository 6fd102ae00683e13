"""Whether a question's term occurs in a report's text, and in which of many texts.

A term matches its own characters, its alternates in the vocabulary (spoken and written
forms), the same words without a colloquial negation (引不进 / 引进难) and, for a short
term, its characters in order a little apart (公车 / 公务用车). `TextColumn` answers the
same question for thousands of texts at once (the issues of a store).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

import numpy as np

from ingest.lexicon import load_lexicon

# A spoken short form keeps the characters of the written word in order (公车 / 公务用车,
# 医保 / 医疗保障): each within this many characters of the previous one.
ABBREVIATION_GAP = 2
# A compound said with words between its halves (反馈了巡察意见): at most this many (on the
# tuning halves 1 loses the one question it helps, 3 and 5 keep it; the smaller is kept).
SPLIT_COMPOUND_GAP = 3
# Distinct terms whose hits a column keeps: the words of many questions, each a few
# milliseconds to find again in a store of 1,000 reports.
_TERMS_KEPT = 4096


def occurs(term: str, text_norm: str) -> bool:
    """A term in one normalised text."""
    if any(needle in text_norm for needle in needles(term)):
        return True
    abbreviated = abbreviation(term)
    return abbreviated is not None and abbreviated.search(text_norm) is not None


@lru_cache(maxsize=_TERMS_KEPT)
def needles(term: str) -> tuple[str, ...]:
    """The literal strings any of which is an occurrence of `term`."""
    found = [term, *load_lexicon().alternates(term)]
    bare = without_negation(term)
    if bare is not None:
        found.append(bare)
    return tuple(dict.fromkeys(n for n in found if n))


@lru_cache(maxsize=_TERMS_KEPT)
def abbreviation(term: str) -> re.Pattern | None:
    """A short Chinese term's characters in order, each at most ABBREVIATION_GAP apart;
    a four-character compound of two words, its halves with a few characters between
    (反馈意见 in 反馈了巡察意见, 整改措施 in 整改的具体措施)."""
    if not re.fullmatch(r"[\u4e00-\u9fff]+", term):
        return None
    if 2 <= len(term) <= 3:
        return chars_in_order(term, ABBREVIATION_GAP)
    if len(term) == 4:
        return re.compile(f"{term[:2]}[\u4e00-\u9fff]{{0,{SPLIT_COMPOUND_GAP}}}{term[2:]}")
    return None


@lru_cache(maxsize=_TERMS_KEPT)
def chars_in_order(word: str, gap: int) -> re.Pattern:
    """`word`'s characters in order, each at most `gap` characters after the previous
    (never across a line: texts of a column are joined by newlines)."""
    return re.compile(f".{{0,{gap}}}".join(map(re.escape, word)))


@lru_cache(maxsize=_TERMS_KEPT)
def without_negation(term: str) -> str | None:
    """引不进 -> 引进; never a status (未完成 must not match 已完成)."""
    bare = re.sub(r"[不没未]", "", term)
    if len(bare) < 2 or bare == term or load_lexicon().statuses_asked(bare) is not None:
        return None
    return bare


class TextColumn:
    """Many normalised texts, joined by newlines, searched for a term in one pass each
    instead of once per text; `holding(term)` gives the positions of the texts it occurs
    in, exactly as `occurs` would find them one by one."""

    def __init__(self, texts: list[str]):
        # A text's own newlines stay: no needle holds one and no pattern crosses one, so a
        # hit always lies inside one text.
        self._text = "\n".join(texts)
        self._starts: list[int] = []
        offset = 0
        for text in texts:
            self._starts.append(offset)
            offset += len(text) + 1
        self.holding = lru_cache(maxsize=_TERMS_KEPT)(self._holding)

    def mask(self, term: str) -> np.ndarray:
        """One flag per text: whether `term` occurs in it."""
        flags = np.zeros(len(self._starts), dtype=bool)
        flags[self.holding(term)] = True
        return flags

    def _holding(self, term: str) -> np.ndarray:
        """Sorted positions of the texts `term` occurs in."""
        hits: set[int] = set()
        for needle in needles(term):
            at = self._text.find(needle)
            while at != -1:
                hits.add(bisect_right(self._starts, at) - 1)
                at = self._text.find(needle, at + 1)
        pattern = abbreviation(term)
        if pattern is not None:
            hits.update(bisect_right(self._starts, m.start()) - 1 for m in pattern.finditer(self._text))
        return np.array(sorted(hits), dtype=np.int64)
