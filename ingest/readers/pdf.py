"""PDF text layers (pypdf): pages extracted, then the layout undone into paragraphs."""
from __future__ import annotations

import io
import logging
import zlib

from ingest.models import ReadError
from ingest.readers.pdf_layout import PdfLayoutSettings, pdf_paragraphs

log = logging.getLogger(__name__)

_PDF_BROKEN = "PDF 文件已损坏或不完整，无法读取"

# A PDF whose text layer averages fewer non-whitespace characters per page than this
# is taken to be scanned images (a page number or stamp alone stays below it; a page of
# report text has hundreds).
_MIN_PDF_CHARS_PER_PAGE = 20


def read_pdf(data: bytes, filename: str, settings: PdfLayoutSettings = PdfLayoutSettings()) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock_pdf(reader, filename)
        pages = _pdf_page_texts(reader, filename)
        title = _metadata_title(reader)
    except ReadError:
        raise
    except DependencyError as exc:
        raise ReadError(filename, "PDF 已加密，无法解密（缺少解密组件），请上传未加密的文件") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, zlib.error, EOFError) as exc:
        log.info("%s: unreadable pdf: %s", filename, exc)
        raise ReadError(filename, _PDF_BROKEN) from exc
    _check_pdf_text_layer(pages, filename)
    return "\n".join(pdf_paragraphs(pages, title, settings))


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


def _metadata_title(reader) -> str | None:
    """The document's /Title, which joins a title wrapped over lines; never fails the file."""
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception as exc:  # a malformed info dictionary only costs the title join
        log.info("unreadable pdf metadata: %s", exc)
        return None
    return title if isinstance(title, str) else None


def _check_pdf_text_layer(pages: list[str], filename: str) -> None:
    counts = [sum(1 for ch in text if not ch.isspace()) for text in pages]
    if sum(counts) < _MIN_PDF_CHARS_PER_PAGE * len(pages):
        raise ReadError(filename, "该 PDF 没有可提取的文字层（可能是扫描件），需要先进行 OCR 识别")
    empty = [n for n, count in enumerate(counts, start=1) if count == 0]
    if empty:
        # Mixed files (a scanned annex page) are still read, but the gap should be visible.
        log.warning("%s: pages without a text layer: %s", filename, empty)
