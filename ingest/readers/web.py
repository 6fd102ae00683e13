"""HTML pages: the article body only (no navigation, footer, share bar or script text)."""
from __future__ import annotations

import codecs
import logging
import re

from ingest.models import ReadError
from ingest.readers.plain import decode_text

log = logging.getLogger(__name__)

# How far into an HTML file to look for a <meta charset> declaration.
_META_CHARSET_WINDOW = 8192

# Elements that are page furniture, never article text.
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
                     "template", "svg")
# Article tool bars (print / close / 字体 大 中 小), prev-next links and pagers included.
_BOILERPLATE_ATTR = re.compile(
    r"nav|menu|footer|breadcrumb|share|copyright|sidebar|topbar|toolbar|tools|print|prev|pager"
    r"|fontsize|font-size|related",
    re.I,
)
# A visit counter inside the article's info line (「浏览次数：1234」), dropped on its own so the
# publication date beside it stays.
_COUNTER_TEXT = re.compile(r"\s*(浏览次数|阅读次数|点击数|点击量|访问量|浏览量|阅读量)\s*[:：]?\s*[\d\-—.,]*\s*")
# Containers that usually hold the article. TRS_Editor and zoom are the body containers of
# the TRS CMS that many Chinese government sites run (zoom = the block resized by 字号 大 中 小).
_CONTENT_ATTR = re.compile(r"content|article|detail|trs_editor|^zoom$", re.I)
# A content container is preferred only when it holds at least this share of the text.
_CONTENT_MIN_SHARE = 0.5
# An element matching _BOILERPLATE_ATTR is kept when it holds this share of the text:
# a wrapper like <body class="has-sidebar"> or <div id="main-menu-page"> is the page.
_BOILERPLATE_MAX_SHARE = 0.5

_BLOCK_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol",
               "section", "article", "main", "blockquote", "pre", "dd", "dt", "center")
_CELL_TAGS = ("td", "th")
# HTML collapses source-formatting whitespace; U+00A0 and U+3000 are content and stay.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
# Pages labelled gb2312/gbk routinely contain characters only GB18030 covers.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "euc_cn", "hz"}


def read_html(data: bytes, filename: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode_html(data, filename), "lxml")
    _drop_boilerplate(soup)
    title = _page_title(soup)
    content = _content_element(soup, title)
    text = _block_text(content)
    if title and title not in text:
        text = f"{title}\n\n{text}"
    if not text.strip():
        raise ReadError(filename, "网页中没有正文文字")
    return text


def _decode_html(data: bytes, filename: str) -> str:
    """The declared <meta charset> when it decodes strictly, else the plain-text detection."""
    declared = _declared_charset(data)
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            log.info("%s: declared charset %s does not decode; detecting", filename, declared)
    return decode_text(data, filename)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_META_CHARSET_WINDOW])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return "gb18030" if name.replace("-", "_") in _GB_FAMILY else name


def _drop_boilerplate(soup) -> None:
    from bs4 import Comment

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_BOILERPLATE_TAGS):
        # An article's own <header> carries its headline and publication date.
        if tag.name == "header" and tag.find_parent("article") is not None:
            continue
        tag.decompose()
    for tag in soup.find_all(("span", "em", "i", "font", "li")):
        if not tag.decomposed and _COUNTER_TEXT.fullmatch(tag.get_text()):
            tag.decompose()
    total = _text_length(soup)
    for tag in soup.find_all(_has_boilerplate_attr):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        if _text_length(tag) < _BOILERPLATE_MAX_SHARE * total:
            tag.decompose()


def _has_boilerplate_attr(tag) -> bool:
    return any(_BOILERPLATE_ATTR.search(value) for value in _attr_values(tag))


def _attr_values(tag) -> list[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    element_id = tag.get("id")
    return list(classes) + ([element_id] if isinstance(element_id, str) else [])


def _page_title(soup) -> str:
    """The article headline: the first <h1> left after cleaning, else <title>."""
    for tag in (soup.find("h1"), soup.find("title")):
        if tag is not None:
            title = _HTML_SPACE.sub(" ", tag.get_text()).strip()
            if title:
                return title
    return ""


def _content_element(soup, title: str):
    """The tightest article container holding most of the text; the headline's if possible.

    Preferring a container that also holds the <h1> keeps the date line that sits between
    headline and body in most templates.
    """
    root = soup.body or soup
    total = _text_length(root)
    candidates = [tag for tag in root.find_all(_is_content_candidate)
                  if _text_length(tag) >= _CONTENT_MIN_SHARE * total]
    if not candidates:
        return root
    with_title = [tag for tag in candidates if title and title in _HTML_SPACE.sub(" ", tag.get_text())]
    return min(with_title or candidates, key=_text_length)


def _is_content_candidate(tag) -> bool:
    if tag.name in ("article", "main"):
        return True
    return any(_CONTENT_ATTR.search(value) for value in _attr_values(tag))


def _text_length(tag) -> int:
    return sum(1 for ch in tag.get_text() if not ch.isspace())


def _block_text(root) -> str:
    """Text with block elements on their own lines and table cells separated by tabs."""
    parts: list[str] = []
    _collect_text(root, parts)
    lines = [line.strip(" \t") for line in "".join(parts).split("\n")]
    return _collapse_blank_lines("\n".join(lines)).strip("\n")


def _collect_text(node, parts: list[str]) -> None:
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, Tag):
            if child.name == "br":
                parts.append("\n")
            elif child.name == "pre":
                parts.append("\n" + child.get_text() + "\n")
            else:
                _collect_element(child, parts)
        elif isinstance(child, NavigableString):
            parts.append(_HTML_SPACE.sub(" ", str(child)))


def _collect_element(tag, parts: list[str]) -> None:
    if tag.name not in _BLOCK_TAGS:
        _collect_text(tag, parts)
        if tag.name in _CELL_TAGS:
            parts.append("\t")
        return
    # Paragraphs and headings stand between blank lines, like the plain-text reports;
    # other blocks (div, li, tr) only start and end a line.
    breaks = 2 if tag.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6") else 1
    _end_line(parts, breaks)
    _collect_text(tag, parts)
    _end_line(parts, breaks)


def _end_line(parts: list[str], breaks: int) -> None:
    """Make the text so far end with at least `breaks` line breaks (ignoring spaces)."""
    tail = "".join(parts[-8:]).rstrip(" \t")
    have = len(tail) - len(tail.rstrip("\n"))
    if have < breaks:
        parts.append("\n" * (breaks - have))


def _collapse_blank_lines(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text)
