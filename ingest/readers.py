"""Files -> plain text: .txt/.md (encoding detected), .docx, .pdf (text layer), .html.

Readers return the document's own characters unchanged (no NFKC, no punctuation
folding): later stages quote this text verbatim. Only line breaks are normalised to
"\\n". Every unreadable file raises `ReadError` with a Chinese message for the user.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterator

from ingest.models import ReadError

log = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

# Share of a decoded text's characters that may be control or U+FFFD characters before
# the file counts as binary. Real reports have none; 5% leaves room for a stray
# character while rejecting decoded binary, which is mostly control characters.
_MAX_CONTROL_SHARE = 0.05

# Strict GB18030 decoding accepts almost any double-byte text, including Big5 and
# Shift-JIS. Text that really is GBK/GB18030 keeps nearly all of its non-ASCII characters
# inside GB2312 (the two sample reports: 100% and 99.98%); Big5 misread as GBK gives 36%,
# Shift-JIS 0.5%. Below this share the decode is distrusted and charset-normalizer asked.
_MIN_GB2312_SHARE = 0.9

# A PDF whose text layer averages fewer non-whitespace characters per page than this
# is taken to be scanned images (a page number or stamp alone stays below it; a page of
# report text has hundreds).
_MIN_PDF_CHARS_PER_PAGE = 20

# How far into an HTML file to look for a <meta charset> declaration.
_META_CHARSET_WINDOW = 8192

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls container


def read_text(path: Path) -> str:
    """Read one report file into text; raises `ReadError` when it cannot be read."""
    path = Path(path)
    _check_extension(path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(path.name, "文件不存在") from exc
    except OSError as exc:
        raise ReadError(path.name, f"无法打开文件：{exc.strerror or exc}") from exc
    return read_bytes_as_text(data, path.name)


def read_bytes_as_text(data: bytes, filename: str) -> str:
    """Same as `read_text` for bytes already in memory (uploads); `filename` picks the reader."""
    reader = _READERS[_check_extension(filename)]
    if not data:
        raise ReadError(filename, "文件为空")
    if not data.strip():
        raise ReadError(filename, "文件为空（只有空白字符）")
    text = _normalise_newlines(reader(data, filename))
    if not text.strip():
        raise ReadError(filename, "文件为空（只有空白字符）")
    return text


def _check_extension(filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        shown = suffix or "（无扩展名）"
        raise ReadError(filename, f"不支持的文件类型：{shown}（支持 {' '.join(SUPPORTED_EXTENSIONS)}）")
    return suffix


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- plain text ---------------------------------------------------------------------

def _read_plain(data: bytes, filename: str) -> str:
    return decode_text(data, filename)


def decode_text(data: bytes, filename: str) -> str:
    """Decode text bytes of unknown encoding: BOMs, strict UTF-8, GB18030, then detection."""
    text = _decode_by_bom(data)
    if text is None:
        if b"\x00" in data:
            # NUL never occurs in UTF-8 or GB text; UTF-16 was handled by its BOM.
            raise ReadError(filename, "不是文本文件（检测到二进制内容）")
        text = _decode_strict(data)
    if text is None:
        text = _decode_detected(data)
    if text is None:
        raise ReadError(filename, "无法识别文件编码")
    if _looks_binary(text):
        raise ReadError(filename, "不是文本文件（检测到二进制内容）")
    return text.removeprefix("\ufeff")


def _decode_by_bom(data: bytes) -> str | None:
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_strict(data: bytes) -> str | None:
    """UTF-8 first: GBK bytes are almost never valid UTF-8, the reverse is common."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _gb2312_share(text) >= _MIN_GB2312_SHARE else None


def _gb2312_share(text: str) -> float:
    wide = [ch for ch in text if not ch.isascii() and not ch.isspace()]
    if not wide:
        return 1.0
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return common / len(wide)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode_detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        log.debug("charset-normalizer found no encoding")
        return None
    log.info("encoding detected by charset-normalizer: %s", best.encoding)
    return str(best)


def _looks_binary(text: str) -> bool:
    bad = sum(1 for ch in text if ch == "\ufffd" or _is_control(ch))
    return bad > _MAX_CONTROL_SHARE * len(text)


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"


# --- Word ---------------------------------------------------------------------------

_DOCX_BROKEN = "Word 文件已损坏或不完整，无法读取"


def _read_docx(data: bytes, filename: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if data.startswith(_OLE_MAGIC):
        raise ReadError(filename, "这是旧版 Word（.doc）文件，请另存为 .docx 后再上传")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_body_lines(document))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError,
            zlib.error, EOFError) as exc:
        log.info("%s: unreadable docx: %s", filename, exc)
        raise ReadError(filename, _DOCX_BROKEN) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError(filename, "Word 文件中没有文字内容")
    return text


def _docx_body_lines(document) -> Iterator[str]:
    """Paragraphs and table rows in body order (tables stay where they are in the text)."""
    yield from _docx_block_lines(document.element.body, document)


def _docx_block_lines(container, parent) -> Iterator[str]:
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _docx_table_lines(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            # Content controls (e.g. a form-like cover block) wrap ordinary paragraphs.
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_block_lines(content, parent)


def _docx_table_lines(table) -> Iterator[str]:
    """One line per row, cells joined by a tab.

    The row's own <w:tc> elements are read rather than `row.cells`, which repeats a merged
    cell once per grid column and a vertically merged cell in every row it spans.
    """
    from docx.table import _Cell

    for row in table.rows:
        cells = []
        for tc in row._tr.tc_lst:
            # A row must stay on one line, so a cell's own paragraphs are joined by a space.
            lines = _docx_block_lines(tc, _Cell(tc, table))
            cells.append(" ".join(line for line in lines if line))
        yield "\t".join(cells)


# --- PDF ----------------------------------------------------------------------------

_PDF_BROKEN = "PDF 文件已损坏或不完整，无法读取"

def _read_pdf(data: bytes, filename: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock_pdf(reader, filename)
        pages = _pdf_page_texts(reader, filename)
    except ReadError:
        raise
    except DependencyError as exc:
        raise ReadError(filename, "PDF 已加密，无法解密（缺少解密组件），请上传未加密的文件") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, zlib.error, EOFError) as exc:
        log.info("%s: unreadable pdf: %s", filename, exc)
        raise ReadError(filename, _PDF_BROKEN) from exc
    _check_pdf_text_layer(pages, filename)
    return "\n".join(pages)


def _unlock_pdf(reader, filename: str) -> None:
    """Open an encrypted PDF with the empty user password (owner-only protection)."""
    from pypdf import PasswordType

    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise ReadError(filename, "PDF 已加密，需要密码才能打开，请上传未加密的文件")


def _pdf_page_texts(reader, filename: str) -> list[str]:
    """Text layer of each page; a page that fails fails the file (no silently lost page)."""
    if len(reader.pages) == 0:
        # Seen when only the tail of a file arrives: nothing before it points at a page.
        raise ReadError(filename, _PDF_BROKEN)
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append((page.extract_text() or "").rstrip("\n"))
        except Exception as exc:  # pypdf raises many types on malformed content streams
            log.info("%s: page %d: %s", filename, number, exc)
            raise ReadError(filename, f"PDF 第 {number} 页无法提取文字，文件可能已损坏") from exc
    return texts


def _check_pdf_text_layer(pages: list[str], filename: str) -> None:
    counts = [sum(1 for ch in text if not ch.isspace()) for text in pages]
    if sum(counts) < _MIN_PDF_CHARS_PER_PAGE * len(pages):
        raise ReadError(filename, "该 PDF 没有可提取的文字层（可能是扫描件），需要先进行 OCR 识别")
    empty = [n for n, count in enumerate(counts, start=1) if count == 0]
    if empty:
        # Mixed files (a scanned annex page) are still read, but the gap should be visible.
        log.warning("%s: pages without a text layer: %s", filename, empty)


# --- HTML ---------------------------------------------------------------------------

# Elements that are page furniture, never article text.
_BOILERPLATE_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
                     "template", "svg")
_BOILERPLATE_ATTR = re.compile(r"nav|menu|footer|breadcrumb|share|copyright|sidebar", re.I)
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


def _read_html(data: bytes, filename: str) -> str:
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


_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".html": _read_html,
    ".htm": _read_html,
}
