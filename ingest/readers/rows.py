"""The table-row line every reader emits (the parser's contract).

A row is ONE line, cells joined by a TAB at their column positions. A merged cell is
written once, followed by (span - 1) empty cells so positions line up with the header;
a vertically merged continuation is an empty cell. A row whose only content is one
cell spanning the whole table width (a category row 「一、大气污染防治方面」, a title,
a 说明 note) is the bare text, no tab. A row without any text is an empty string, which
readers leave out.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Sequence

# Inside a cell, line breaks and tabs would split the row: they become one space.
_CELL_BREAKS = re.compile(r"\s*[\t\r\n\v\f]+\s*")


class Cell(NamedTuple):
    text: str
    span: int = 1      # grid columns covered


def cell_text(parts: Sequence[str]) -> str:
    """A cell's paragraphs (or lines) joined by a space, so the row stays one line."""
    joined = " ".join(part.strip() for part in parts if part and part.strip())
    return _CELL_BREAKS.sub(" ", joined).strip()


def row_line(cells: Sequence[Cell], width: int) -> str:
    """The row as one line; `width` is the table's column count."""
    filled = [cell for cell in cells if cell.text]
    if not filled:
        return ""
    if len(filled) == 1 and filled[0].span >= width:
        return filled[0].text
    values: list[str] = []
    for cell in cells:
        values.append(cell.text)
        values.extend([""] * (cell.span - 1))
    return "\t".join(values)
