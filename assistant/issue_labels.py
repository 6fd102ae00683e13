"""An issue's place in its report, in words staff read: 「第二部分（二）第3项：执行政策规定……」.

A bare label like 【二（二）3】 or 【（2）】 means nothing to someone who has not the
report open; the numbering path (`Issue.numbers`) says where the issue sits, and its
headline (`Issue.title`) says what it is.

    issue_position(numbers, label, title, row=False) -> str
"""
from __future__ import annotations

import re

# Headlines longer than this are cut with …… (a card head must stay one line on a phone).
MAX_HEADLINE_CHARS = 24

_CHINESE_NUMERAL = re.compile(r"^[一二三四五六七八九十百零〇两]+$")
_FIRST = re.compile(r"^第([一二三四五六七八九十百零〇两\d]+)(条|项|部分|章|节|点)?$")
_PAREN = re.compile(r"^[（(]([^（）()]+)[）)]$")
_DIGITS = re.compile(r"^\d+$")
_CIRCLED = re.compile(r"^[①-⑳]$")
_WORD_NUMBER = re.compile(r"^(问题|任务|事项|措施)([一二三四五六七八九十百零〇两\d]+)$")


def issue_position(numbers: list[str] | tuple[str, ...], label: str = "", title: str = "",
                   row: bool = False) -> str:
    """Where the issue sits and what it is called; "" when nothing is known.

    `row` marks a row of a ledger table, whose last number is the table's 序号."""
    parts = [str(n).strip() for n in numbers or () if str(n).strip()]
    if not parts and label:
        parts = [label.strip()]
    words = [_level_words(part, depth, depth == len(parts) - 1, row) for depth, part in enumerate(parts)]
    place = "".join(words)
    headline = _headline(title)
    if place and headline:
        return f"{place}：{headline}"
    return place or headline


def _level_words(part: str, depth: int, last: bool, row: bool) -> str:
    """One level of the numbering path in words."""
    if row and last:
        return f"{'，' if depth else ''}序号{part.strip('（）()')}"
    if _CHINESE_NUMERAL.match(part):
        return f"第{part}部分" if depth == 0 else f"（{part}）"
    match = _FIRST.match(part)
    if match:
        unit = match.group(2) or ("部分" if depth == 0 else "项")
        return f"第{match.group(1)}{unit}"
    if _PAREN.match(part):
        inner = _PAREN.match(part).group(1)
        if _DIGITS.match(inner):
            return f"第（{inner}）项" if depth == 0 or not last else f"之（{inner}）"
        return f"（{inner}）"
    if _DIGITS.match(part):
        return f"第{part}项"
    if _CIRCLED.match(part):
        return f"之{part}"
    if _WORD_NUMBER.match(part):
        return part
    return part


def _headline(title: str) -> str:
    title = re.sub(r"\s+", "", title or "").strip("：:。；;，,")
    title = re.sub(r"^问题[：:]", "", title)      # 「问题：选人用人工作不够规范」
    if len(title) > MAX_HEADLINE_CHARS:
        return title[:MAX_HEADLINE_CHARS] + "……"
    return title
