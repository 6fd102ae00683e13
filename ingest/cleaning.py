"""Remove web-page debris from scraped report text, line by line, never body text.

Reports in the corpus were copied from government web pages and carry what the page
put around the article: share widgets (「天天 分享 时间:」), copyright / ICP footers and
the tail of an inline script (「35 2915980」, 「");」). Each rule below removes whole
lines only, and only lines that cannot be report text: a removed line either consists
solely of widget words and punctuation, or carries an unmistakable footer marker, or is
part of the debris block at the very end of the document. Every other character stays
exactly as read, because answers quote the body verbatim.
"""
from __future__ import annotations

import logging
import re
import unicodedata

log = logging.getLogger(__name__)

# Words that make up share / print / font-size widgets and article info bars. A line is
# widget debris only if nothing but these words, punctuation and spaces is left on it.
_WIDGET_WORDS = (
    "分享到", "分享", "发布时间", "时间", "打印本页", "打印", "关闭窗口", "关闭", "字号", "字体",
    "大", "中", "小", "默认", "浏览次数", "阅读次数", "点击数", "浏览", "阅读", "来源", "收藏",
    "返回顶部", "返回", "顶部", "扫一扫", "微信", "微博", "朋友圈", "QQ空间", "QQ", "天天",
)
_WIDGET_WORD = re.compile("|".join(sorted(map(re.escape, _WIDGET_WORDS), key=len, reverse=True)))
# Counter widgets (浏览次数：1234) are the one widget that carries digits.
_COUNTER_WORD = re.compile("浏览次数|阅读次数|点击数|访问量")
# Widget bars are short; a longer line is left alone whatever it contains.
_MAX_WIDGET_LINE_CHARS = 40

# Footer markers that never occur in report prose: removed wherever the line stands.
_STRONG_FOOTER = re.compile(
    r"Copyright|©|All Rights Reserved|ICP备\s*\d+|ICP证\s*\d+|网站标识码|公网安备\s*\d+",
    re.I,
)
# Footer words that report prose may use (「提供技术支持」): only at the end of the document.
_WEAK_FOOTER = re.compile(r"版权所有|技术支持|主办单位|承办单位|网站地图|联系我们|免责声明")
# A weak-marker line that ends like a sentence is prose, not a footer.
_SENTENCE_END = re.compile(r"[。！？!?]\s*$")

# Script remnants at the end of a page: digits, spaces, quotes, brackets, semicolons.
_SCRIPT_TAIL = re.compile(r"""[\d\s"'“”‘’()（）\[\]{}<>;；]+""")
_SCRIPT_CODE = re.compile(r"document\.write|function\s*\(|\bvar\s+\w+\s*=|</?script", re.I)

# Runs of more blank lines than this are shortened to it.
_MAX_BLANK_LINES = 2


def clean_document(text: str) -> str:
    """The cleaning the parser relies on: currently only web boilerplate removal."""
    return strip_web_boilerplate(text)


def strip_web_boilerplate(text: str) -> str:
    """Drop web debris lines; every line that stays is unchanged except trailing spaces."""
    lines = [line.rstrip() for line in text.split("\n")]
    removed = [_is_widget_line(line) or _is_strong_footer_line(line) for line in lines]
    _mark_trailing_debris(lines, removed)
    for line, gone in zip(lines, removed):
        if gone and line:
            log.debug("removed web debris line: %r", line[:80])
    return _join_kept(lines, removed)


def _is_widget_line(line: str) -> bool:
    if not line.strip() or len(line.strip()) > _MAX_WIDGET_LINE_CHARS:
        return False
    if not _WIDGET_WORD.search(line):
        return False
    rest = _WIDGET_WORD.sub("", line)
    if _COUNTER_WORD.search(line):
        rest = re.sub(r"\d", "", rest)
    return all(_is_filler(ch) for ch in rest)


def _is_filler(ch: str) -> bool:
    """Whitespace, punctuation or symbols (【】 : | ·), which carry no report text."""
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def _is_strong_footer_line(line: str) -> bool:
    return bool(_STRONG_FOOTER.search(line))


def _mark_trailing_debris(lines: list[str], removed: list[bool]) -> None:
    """Walk back from the end, removing debris until the first line of real text."""
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if removed[i] or not line.strip():
            continue
        if _is_trailing_debris(line):
            removed[i] = True
        else:
            return


def _is_trailing_debris(line: str) -> bool:
    if _SCRIPT_TAIL.fullmatch(line) or _SCRIPT_CODE.search(line):
        return True
    return bool(_WEAK_FOOTER.search(line)) and not _SENTENCE_END.search(line)


def _join_kept(lines: list[str], removed: list[bool]) -> str:
    """Join the kept lines; a removed line does not leave an extra blank line behind."""
    out: list[str] = []
    gap: list[int] = [0]          # blank-line counts of the segments of the current gap
    gap_had_removal = False
    for line, gone in zip(lines, removed):
        if gone:
            gap.append(0)
            gap_had_removal = True
        elif not line:
            gap[-1] += 1
        else:
            if out:
                blanks = max(gap) if gap_had_removal else gap[-1]
                out.extend([""] * min(blanks, _MAX_BLANK_LINES))
            out.append(line)
            gap, gap_had_removal = [0], False
    return "\n".join(out) + "\n" if out else ""
