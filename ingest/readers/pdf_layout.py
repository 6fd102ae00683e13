"""A PDF's extracted page texts -> paragraphs, one per line.

pypdf gives the text layer line by line as laid out: paragraphs hard-wrapped at the page
width (mid-sentence, even mid-number: 「37.4」/「万元」), running headers and footers on
every page (pypdf may put them after the page's body), page numbers, and a large-type
title wrapped over two lines. This module undoes that layout; it works on plain strings
so each rule is tested without building PDFs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class PdfLayoutSettings:
    """Thresholds of the layout undoing; defaults set on the dev PDF and reportlab samples."""

    # Running headers/footers are looked for among a page's first and last lines only;
    # 3 covers a header, a rule line's text and a footer, wherever pypdf puts them.
    edge_lines: int = 3
    # A line repeated (digits ignored) at the edges of at least this share of pages is a
    # running header or footer. Half: a first page without header still leaves it above.
    repeat_share: float = 0.5
    # Longer lines are never furniture (headers are a unit name, a document code).
    max_furniture_chars: int = 40
    # A line narrower than this share of the document's full line width ends its
    # paragraph: a wrapped line fills the width, a paragraph's last line rarely does.
    short_line_share: float = 0.8
    # The "full width" is this quantile of line widths (most lines of a report are full).
    full_width_quantile: float = 0.9
    # Lines of a wrapped title, joined when they are a prefix of the PDF's /Title.
    max_title_lines: int = 4


_PAGE_NUMBER = re.compile(
    r"第\s*\d+\s*页(\s*[,，/／]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|[-－—–]\s*\d+\s*[-－—–]"
    r"|\d+\s*[/／]\s*\d+"
    r"|[Pp]age\s*\d+(\s*of\s*\d+)?"
    r"|\d{1,4}"
)
# Outline markers that begin a paragraph: 一、 （一） (一) 1. 1、 1． （1） 第一条 第二章 ……
_HEADING_MARKER = re.compile(
    r"[一二三四五六七八九十百]+、"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}[、．.](?!\d)"
    r"|第[一二三四五六七八九十百零〇\d]+[条章节部分项]"
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
)
_SENTENCE_END = re.compile(r"[。：；！？:;!?][”’」』）)]*$")
_INDENT = (" ", "\u3000", "\xa0", "\t", "\u2002", "\u2003")


def pdf_paragraphs(pages: list[str], title: str | None = None,
                   settings: PdfLayoutSettings = PdfLayoutSettings()) -> list[str]:
    """Paragraphs of the document, furniture removed, wrapped lines joined."""
    lines = [line for page in remove_furniture(pages, settings) for line in page]
    return join_lines(lines, title, settings)


def remove_furniture(pages: list[str], settings: PdfLayoutSettings = PdfLayoutSettings()) -> list[list[str]]:
    """Each page's lines without page numbers and running headers/footers."""
    split = [[line.rstrip() for line in page.split("\n")] for page in pages]
    repeated = _repeated_edge_lines(split, settings)
    cleaned = []
    for lines in split:
        edges = _edge_indexes(lines, settings)
        cleaned.append([line for i, line in enumerate(lines)
                        if not (i in edges and _is_furniture(line, repeated, settings))])
    return cleaned


def _edge_indexes(lines: list[str], settings: PdfLayoutSettings) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:settings.edge_lines] + filled[-settings.edge_lines:])


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", "".join(line.split()))


def _repeated_edge_lines(pages: list[list[str]], settings: PdfLayoutSettings) -> set[str]:
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        keys = {_furniture_key(lines[i]) for i in _edge_indexes(lines, settings)}
        for key in keys:
            if key and len(key) <= settings.max_furniture_chars:
                counts[key] = counts.get(key, 0) + 1
    needed = max(2, settings.repeat_share * len(pages))
    return {key for key, count in counts.items() if count >= needed}


def _is_furniture(line: str, repeated: set[str], settings: PdfLayoutSettings) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > settings.max_furniture_chars:
        return False
    return bool(_PAGE_NUMBER.fullmatch(stripped)) or _furniture_key(stripped) in repeated


def join_lines(lines: list[str], title: str | None = None,
               settings: PdfLayoutSettings = PdfLayoutSettings()) -> list[str]:
    """Rejoin hard-wrapped lines into paragraphs (see the module docstring)."""
    full_width = _full_width(lines, settings)
    paragraphs: list[str] = []
    start = 0
    title_lines = _title_line_count(lines, title, settings)
    if title_lines:
        paragraphs.append("".join(line.strip() for line in lines[:title_lines]))
        start = title_lines
    previous: str | None = None
    for line in lines[start:]:
        if not line.strip():
            previous = None           # an empty line always ends the paragraph
            continue
        if previous is None or _starts_paragraph(line, previous, full_width, settings):
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] = _glue(paragraphs[-1], line.strip())
        previous = line
    return paragraphs


def _starts_paragraph(line: str, previous: str, full_width: float, settings: PdfLayoutSettings) -> bool:
    if line.startswith(_INDENT):
        return True
    if _width(previous.strip()) < settings.short_line_share * full_width:
        return True
    return bool(_HEADING_MARKER.match(line)) and bool(_SENTENCE_END.search(previous))


def _glue(head: str, tail: str) -> str:
    # Chinese wraps anywhere and needs no space; English words wrapped at a line end do.
    if head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha():
        return f"{head} {tail}"
    return head + tail


def _title_line_count(lines: list[str], title: str | None, settings: PdfLayoutSettings) -> int:
    """How many first lines make up the metadata title (0 when it is not wrapped there)."""
    wanted = "".join((title or "").split())
    if not wanted:
        return 0
    joined = ""
    best = 0
    for count, line in enumerate(lines[:settings.max_title_lines], start=1):
        joined += "".join(line.split())
        if not joined or not wanted.startswith(joined):
            break
        best = count
        if joined == wanted:
            break
    return best if best > 1 else 0


def _width(text: str) -> int:
    """Display width: CJK characters take two columns, others one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _full_width(lines: list[str], settings: PdfLayoutSettings) -> float:
    widths = sorted(_width(line.strip()) for line in lines if line.strip())
    if not widths:
        return 0.0
    return float(widths[min(len(widths) - 1, int(settings.full_width_quantile * len(widths)))])
