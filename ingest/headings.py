"""Numbered headings of Chinese official documents, and the tree they form.

Documents number their levels with different markers (一、 （一） 1. （1） ① 第一条 …) and
in different orders, so a marker's level is not fixed: it is the depth at which that
marker style first appears, the way a reader infers it (a stack of styles seen so far).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_DIGITS = "零〇一二三四五六七八九十百两"
# The style of an unnumbered line that opens a status section (「已整改完成的问题：」).
STATUS_STYLE = "status"
_CN = f"[{CN_DIGITS}]{{1,4}}"



def compile_markers(lexicon) -> list[tuple[str, re.Pattern]]:
    """(style, pattern) of the vocabulary's numbering markers, in the order they are tried;
    each pattern matches at a line's start (after indentation), group 1 is the number."""
    return [(style, re.compile(pattern.replace("{cn}", _CN))) for style, pattern in lexicon.data["numbering"]["markers"]]


@dataclass
class Heading:
    """A line that starts with a numbering marker."""

    style: str
    number: str            # the number as written, e.g. "一", "12", "①"
    start: int             # offset of the line start (after indentation) in the body
    line_end: int          # offset of the end of the heading's line
    text_start: int        # offset where the heading text begins (after the marker)
    is_status: bool = False  # the line opens a status section (已整改完成的问题)

    def token(self) -> str:
        """The marker written the way labels show it: 一 / （一） / 3 / （12） / 第一条."""
        if self.style in ("cn_paren", "ar_paren"):
            return f"（{self.number}）"
        if self.style == "di":
            return f"第{self.number}"
        if self.style == "wenti":
            return f"问题{self.number}"
        if self.style == "md":
            return ""
        return self.number


@dataclass
class Node:
    """A heading and everything up to the next heading at the same or a higher level."""

    heading: Heading | None        # None for the root
    level: int
    start: int
    end: int = 0
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def is_status(self) -> bool:
        return self.heading is not None and self.heading.is_status

    @property
    def own_end(self) -> int:
        """End of the text that belongs to this node and not to a child."""
        return self.children[0].start if self.children else self.end

    def ancestors(self) -> list["Node"]:
        chain, node = [], self.parent
        while node is not None and node.heading is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def find_headings(body: str, markers: list[tuple[str, re.Pattern]] | None = None) -> list[Heading]:
    """Every line of `body` that starts with a numbering marker (the vocabulary's by default)."""
    if markers is None:
        from ingest.lexicon import load_lexicon

        markers = compile_markers(load_lexicon())
    headings = []
    pos = 0
    for line in body.splitlines(keepends=True):
        stripped = line.lstrip()
        line_start = pos + len(line) - len(stripped)
        line_end = pos + len(line.rstrip("\r\n"))
        heading = _match_marker(stripped, line_start, line_end, markers)
        if heading is not None:
            headings.append(heading)
        pos += len(line)
    return headings


def _match_marker(line: str, line_start: int, line_end: int, markers) -> Heading | None:
    for style, pattern in markers:
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end():].strip()
        if not rest or not _looks_like_heading_text(rest):
            return None
        number = match.group(1)
        if style == "md":
            style, number = f"md{len(number)}", ""
        return Heading(style, number, line_start, line_end, line_start + match.end())
    return None


def _looks_like_heading_text(rest: str) -> bool:
    """Reject list markers that are really numbers or dates in running text ("1.5亿", "2023年")."""
    return not re.match(r"[\d%％]", rest)


def build_tree(body: str, headings: list[Heading]) -> Node:
    """Nest headings by the stack-of-styles rule; each node spans to its next peer."""
    root = Node(heading=None, level=-1, start=0, end=len(body))
    stack: list[Node] = [root]
    styles: list[str] = []
    for heading in headings:
        level = _level_of(heading.style, styles)
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop().end = heading.start
        node = Node(heading=heading, level=level, start=heading.start, parent=stack[-1])
        stack[-1].children.append(node)
        stack.append(node)
    while len(stack) > 1:
        stack.pop().end = len(body)
    return root


def _level_of(style: str, styles: list[str]) -> int:
    if style.startswith("md"):
        return int(style[2:]) - 1
    if style in styles:
        level = styles.index(style)
        del styles[level + 1:]
        return level
    styles.append(style)
    return len(styles) - 1


def cn_to_int(text: str) -> int | None:
    """Chinese numerals up to the hundreds ("十三" -> 13, "两" -> 2); digits pass through."""
    if text.isdigit():
        return int(text)
    values = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
    total, current = 0, 0
    for ch in text:
        if ch in values:
            current = values[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current
