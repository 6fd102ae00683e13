"""Rectification ledgers laid out as tables (整改台账): one row per issue.

Readers turn a table row into one line with tab-separated cells, so a ledger arrives as a
header line naming its columns (序号 / 问题 / 整改措施 / 完成情况 …) followed by rows that
start with their number. The header says which cell holds what.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lexicon import Lexicon

# Labelled parts of an issue besides problem, rectification and status.
FIELD_PARTS = ("deadline", "responsible", "target")
# A header cell is short; a longer cell is content that merely mentions a label word.
_MAX_HEADER_CELL = 10


@dataclass(frozen=True)
class LedgerColumns:
    """Which cells of a row hold the problem, the rectification and the status."""

    problem: int
    rectification: tuple[int, ...]
    status: int | None
    fields: tuple[tuple[str, int], ...] = ()   # (part, column) for deadline, responsible, target
    remarks: tuple[int, ...] = ()              # 备注 / 说明: what came of it (已补办21笔，2笔已退回)


def ledger_columns(body: str, lexicon: Lexicon) -> LedgerColumns | None:
    """The columns of the first header line that names a problem and a rectification,
    by the label words of the genre vocabulary."""
    parts = {part: _pattern(lexicon.labels(part)) for part in ("progress", "problem", "rectification")}
    for line in body.splitlines():
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        short = [i for i, c in enumerate(cells) if 0 < len(c) <= _MAX_HEADER_CELL]
        status = next((i for i in short if parts["progress"].fullmatch(cells[i])), None)
        problem = next((i for i in short if parts["problem"].fullmatch(cells[i]) and i != status), None)
        rects = tuple(i for i in short if parts["rectification"].fullmatch(cells[i]) and i not in (problem, status))
        if problem is None:
            problem = next((i for i in short if parts["problem"].search(cells[i]) and i not in (status, *rects)), None)
        if problem is not None and rects:
            taken = {problem, status, *rects}
            fields = tuple((part, i) for part in FIELD_PARTS for i in short
                           if i not in taken and _pattern(lexicon.labels(part)).fullmatch(cells[i]))
            taken |= {i for _, i in fields}
            remarks = tuple(i for i in short if i not in taken and _pattern(lexicon.labels("remark")).fullmatch(cells[i]))
            return LedgerColumns(problem, rects, status, fields, remarks)
    return None


def _pattern(words: list[str]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def row_cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def cell_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """[start, end) in the body of each cell of a row line starting at `offset`, spaces trimmed."""
    spans, pos = [], offset
    for cell in line.split("\t"):
        lead = len(cell) - len(cell.lstrip())
        spans.append((pos + lead, pos + len(cell.rstrip())))
        pos += len(cell) + 1
    return spans
