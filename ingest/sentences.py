"""Sentence spans in Chinese report text, kept as offsets so quotes stay verbatim."""
from __future__ import annotations

import re
from typing import NamedTuple

# A sentence ends at 。！？； (full or half width) or at a line break. Closing quotes and
# brackets that follow the terminator stay with the sentence they close.
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n+")


class Span(NamedTuple):
    start: int
    end: int


def sentence_spans(text: str, offset: int = 0) -> list[Span]:
    """Split `text` into sentence spans (offsets shifted by `offset`), whitespace trimmed.

    Every non-whitespace character of `text` lies in exactly one span.
    """
    spans: list[Span] = []
    pos = 0
    for match in _SENTENCE_END.finditer(text):
        _append_trimmed(spans, text, pos, match.end(), offset)
        pos = match.end()
    _append_trimmed(spans, text, pos, len(text), offset)
    return spans


def _append_trimmed(spans: list[Span], text: str, start: int, end: int, offset: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start + offset, end + offset))
