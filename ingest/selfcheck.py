"""Compare a parse with the totals the report states about itself; say what disagrees,
in Chinese, for the person who uploaded the report."""
from __future__ import annotations

from collections import Counter

from ingest.models import Issue, Status

_STATUS_NAMES = {"completed": "已完成", "partial": "基本完成", "in_progress": "正在整改",
                 "long_term": "长期坚持"}


def check_against_totals(issues: list[Issue], totals: dict[str, int], strategy: str) -> list[str]:
    """Warnings for a parse whose issue or status counts differ from the stated totals."""
    warnings: list[str] = []
    if not issues:
        return ["未能从报告中识别出逐条列出的问题"]
    stated = totals.get("problems")
    if stated is not None and stated != len(issues):
        unit = "个方面" if strategy == "prose_areas" else "个问题"
        warnings.append(f"解析出{len(issues)}{unit}，报告自述{stated}个问题")
    counts = Counter(i.status.value for i in issues)
    for key, name in _STATUS_NAMES.items():
        if key in totals and totals[key] != counts.get(key, 0):
            warnings.append(f"报告自述{name}{totals[key]}个，解析出{counts.get(key, 0)}个")
    unknown = counts.get(Status.UNKNOWN.value, 0)
    if unknown:
        warnings.append(f"{unknown}个问题未标明整改状态")
    return warnings
