"""Rectification ledgers laid out as tables (整改台账): one row per issue.

Readers turn a table row into one line with tab-separated cells, so a ledger arrives as a
header line naming its columns (序号 / 问题 / 整改措施 / 完成情况 …) followed by rows that
start with their number. The header says which cell holds what.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PROBLEM = re.compile(r"问题|存在问题|反馈问题|问题表现|问题描述|问题清单|反馈意见")
_RECTIFICATION = re.compile(r"整改措施|整改情况|整改落实|落实情况|整改结果|具体措施|措施")
_STATUS = re.compile(r"完成情况|整改状态|完成状态|是否完成|进展情况|整改进度|进度|状态")


@dataclass(frozen=True)
class LedgerColumns:
    """Which cells of a row hold the problem, the rectification and the status."""

    problem: int
    rectification: tuple[int, ...]
    status: int | None


def ledger_columns(body: str) -> LedgerColumns | None:
    """The columns of the first header line that names a problem and a rectification."""
    for line in body.splitlines():
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        status = next((i for i, c in enumerate(cells) if _STATUS.search(c) and len(c) <= 8), None)
        problem = next((i for i, c in enumerate(cells) if _PROBLEM.search(c) and len(c) <= 8 and i != status), None)
        rects = tuple(i for i, c in enumerate(cells)
                      if _RECTIFICATION.search(c) and len(c) <= 10 and i not in (problem, status))
        if problem is not None and rects:
            return LedgerColumns(problem, rects, status)
    return None


def row_cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]
