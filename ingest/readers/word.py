"""Word .docx: paragraphs and table rows in body order, list numbers, merged cells."""
from __future__ import annotations

import io
import logging
import zipfile
import zlib
from typing import Iterator

from ingest.models import ReadError
from ingest.readers.rows import Cell, cell_text, row_line
from ingest.readers.word_numbering import ListNumbering

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls and encrypted OOXML
_DOCX_BROKEN = "Word 文件已损坏或不完整，无法读取"
# Directory entry of an encrypted OOXML package (UTF-16LE inside the OLE container).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, filename: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise ReadError(filename, "Word 文件已加密，请去除密码后另存为 .docx 再放入")
        raise ReadError(filename, "这是旧版 Word（.doc）文件，请另存为 .docx 后再上传")
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_BodyReader(document).lines())
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError,
            zlib.error, EOFError) as exc:
        log.info("%s: unreadable docx: %s", filename, exc)
        raise ReadError(filename, _DOCX_BROKEN) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError(filename, "Word 文件中没有文字内容")
    return text


class _BodyReader:
    """Lines of one document: a paragraph per line (with its list number), a row per line."""

    def __init__(self, document):
        self.document = document
        self.numbering = ListNumbering(_numbering_root(document), _styles_root(document))

    def lines(self) -> Iterator[str]:
        yield from self._blocks(self.document.element.body, self.document)

    def _blocks(self, container, parent) -> Iterator[str]:
        from docx.table import Table

        for child in container.iterchildren():
            if child.tag == _W + "p":
                yield self._paragraph(child, parent)
            elif child.tag == _W + "tbl":
                yield from self._table(Table(child, parent))
            elif child.tag == _W + "sdt":
                # Content controls (e.g. a form-like cover block) wrap ordinary paragraphs.
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from self._blocks(content, parent)

    def _paragraph(self, element, parent) -> str:
        from docx.text.paragraph import Paragraph

        text = Paragraph(element, parent).text
        prefix = self.numbering.prefix(element)
        if prefix and text.strip() and not text.lstrip().startswith(prefix.strip()):
            return prefix + text
        return text

    def _table(self, table) -> Iterator[str]:
        """One line per row (see `ingest.readers.rows`).

        The row's own <w:tc> elements are read rather than `row.cells`, which repeats a
        merged cell once per grid column and a vertically merged cell in every row.
        """
        from docx.table import _Cell

        width = _grid_width(table._tbl)
        for tr in table._tbl.tr_lst:
            cells = [Cell("", 1)] * _grid_before(tr)
            for tc in tr.tc_lst:
                span = _grid_span(tc)
                if _is_vmerge_continuation(tc):
                    cells.append(Cell("", span))
                    continue
                parts = list(self._blocks(tc, _Cell(tc, table)))
                cells.append(Cell(cell_text(parts), span))
            line = row_line(cells, max(width, sum(c.span for c in cells)))
            if line:
                yield line


def _numbering_root(document):
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _styles_root(document):
    try:
        return document.part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _grid_width(tbl) -> int:
    grid = tbl.find(_W + "tblGrid")
    return len(grid.findall(_W + "gridCol")) if grid is not None else 0


def _tc_pr_val(tc, name: str) -> str | None:
    tc_pr = tc.find(_W + "tcPr")
    child = tc_pr.find(_W + name) if tc_pr is not None else None
    if child is None:
        return None
    return child.get(_W + "val", "")


def _grid_span(tc) -> int:
    value = _tc_pr_val(tc, "gridSpan")
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _is_vmerge_continuation(tc) -> bool:
    # <w:vMerge/> (no val, or val="continue") continues the cell above; "restart" begins it.
    value = _tc_pr_val(tc, "vMerge")
    return value is not None and value != "restart"


def _grid_before(tr) -> int:
    tr_pr = tr.find(_W + "trPr")
    child = tr_pr.find(_W + "gridBefore") if tr_pr is not None else None
    value = child.get(_W + "val", "") if child is not None else ""
    return int(value) if value.isdigit() else 0
