"""Excel .xlsx ledgers (整改台账): every sheet in order, one line per row, merged ranges kept."""
from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Iterator

from ingest.models import ReadError
from ingest.readers.rows import Cell, cell_text, row_line

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_XLSX_BROKEN = "Excel 文件已损坏或不完整，无法读取"

# Floats are shown with at most this many decimals: a cached formula result such as
# 0.1 + 0.2 = 0.30000000000000004 is 0.3 in the sheet, and no ledger figure has more.
_MAX_DECIMALS = 10


def read_xlsx(data: bytes, filename: str) -> str:
    from openpyxl import load_workbook

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise ReadError(filename, "Excel 文件已加密，请去除密码后另存为 .xlsx 再放入")
        raise ReadError(filename, "这是旧版 Excel（.xls）文件，请另存为 .xlsx 后再放入")
    try:
        # data_only: a formula cell shows its last computed value, as in Excel.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        sheets = ["\n".join(_sheet_lines(sheet)) for sheet in _visible_sheets(workbook, filename)]
    except Exception as exc:
        # zipfile, zlib, lxml and openpyxl each raise their own types on a damaged package
        # (BadZipFile, KeyError for a missing part, XMLSyntaxError, TypeError on bad values).
        log.info("%s: unreadable xlsx (%s): %s", filename, type(exc).__name__, exc)
        raise ReadError(filename, _XLSX_BROKEN) from exc
    text = "\n\n".join(sheet for sheet in sheets if sheet.strip())
    if not text.strip():
        raise ReadError(filename, "Excel 文件中没有文字内容")
    return text


def _visible_sheets(workbook, filename: str) -> list:
    """Sheets a reader of the ledger sees. Hidden sheets hold drop-down lists (已完成 /
    部分完成 / 正在整改) and lookup tables, which would read as ledger rows."""
    hidden = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state != "visible"]
    if hidden:
        log.info("%s: hidden sheets not read: %s", filename, hidden)
    return [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]


def _sheet_lines(sheet) -> Iterator[str]:
    """Rows of the sheet's used range, merged ranges as one cell with its span."""
    if sheet.max_row < 1 or sheet.max_column < 1:
        return
    first_col, last_col = sheet.min_column, sheet.max_column
    width = last_col - first_col + 1
    spans, covered = _merged_cells(sheet)
    for row in sheet.iter_rows(min_col=first_col, max_col=last_col):
        cells = []
        for cell in row:
            key = (cell.row, cell.column)
            if key in covered:
                # Inside a merged range: the anchor's row is written by the anchor's
                # span; rows below the anchor are vertical continuations (empty).
                if covered[key]:
                    cells.append(Cell("", 1))
                continue
            span = min(spans.get(key, 1), last_col - cell.column + 1)
            cells.append(Cell(cell_value_text(cell), span))
        line = row_line(cells, width)
        if line:
            yield line


def _merged_cells(sheet) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], bool]]:
    """(anchor -> column span, covered cell -> whether it is a cell of its own).

    A covered cell in the anchor's own row is part of the anchor's span (no cell of its
    own); in a lower row every covered cell is an empty continuation cell, so the row's
    positions line up with the header.
    """
    spans: dict[tuple[int, int], int] = {}
    covered: dict[tuple[int, int], bool] = {}
    for merged in sheet.merged_cells.ranges:
        span = merged.max_col - merged.min_col + 1
        spans[(merged.min_row, merged.min_col)] = span
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                if (row, col) == (merged.min_row, merged.min_col):
                    continue
                covered[(row, col)] = row > merged.min_row
    return spans, covered


def cell_value_text(cell) -> str:
    """A cell as the sheet shows it: dates as 2024年12月31日, whole numbers without .0."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = _date_text(value.date())
        if value.time() != dt.time(0, 0):
            text += f" {value:%H:%M}"
        return text
    if isinstance(value, dt.date):
        return _date_text(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return _number_text(value, cell.number_format or "")
    return cell_text(str(value).splitlines())


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _number_text(value: int | float, number_format: str) -> str:
    if "%" in number_format:
        return _plain_number(value * 100) + "%"
    text = _plain_number(value)
    if "#,##" in number_format:
        whole, dot, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        text = f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}"
    return text


def _plain_number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    rounded = round(value, _MAX_DECIMALS)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:.{_MAX_DECIMALS}f}".rstrip("0").rstrip(".")
