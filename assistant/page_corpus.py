"""What the page shows about the loaded reports: selector choices, example questions,
the overview table and the per-report status counts for the chart.

Everything is derived from the reports in the index, so a newly added report shows up
in all of them without code changes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ingest.models import Report, Status

ALL_REPORTS = "全部报告"
STATUS_NAMES = (("completed", "已完成"), ("in_progress", "整改中"), ("unknown", "未标明"))
OVERVIEW_HEADERS = ["报告", "日期", "问题数", "已完成", "整改中", "未标明", "文件"]

# Example questions name issues and groups; long headlines make unreadable buttons.
_MAX_TITLE_CHARS = 16
_MIN_TITLE_CHARS = 5
_MAX_COUNT_EXAMPLES = 6         # one count question per report, for the first few reports


def ordered(reports: Iterable[Report]) -> list[Report]:
    """Reports in a stable order for every list on the page: newest first, then title."""
    return sorted(reports, key=lambda r: (-(int((r.date or "0").replace("-", "") or 0)), r.title))


def report_choices(reports: Iterable[Report]) -> list[str]:
    """Selector entries: 全部报告, then each title (each is passed to the assistant as
    `report=`, which matches by title substring)."""
    return [ALL_REPORTS] + [r.title for r in ordered(reports)]


def short_name(report: Report, reports: Sequence[Report] = ()) -> str:
    """How a user would call the report: a short institution alias (二院), else a level
    word no other report shares (县里), else the title."""
    institution = [a for a in report.aliases if len(a) >= 2]
    if institution:
        return min(institution, key=len)
    if report.level and not any(other.level == report.level for other in reports if other is not report):
        return f"{report.level}里"
    return report.title


def example_questions(reports: Iterable[Report]) -> list[str]:
    """Questions that the loaded reports can answer, built from their own content."""
    reports = ordered(reports)
    questions: list[str] = []
    if any(r.has_status_split() for r in reports):
        questions.append("哪些问题仍在整改中")
    for report in reports[:_MAX_COUNT_EXAMPLES]:
        if report.issues:
            questions.append(f"{short_name(report, reports)}被反馈了多少个问题")
    how = _how_question(reports)
    if how:
        questions.append(how)
    group = _group_question(reports)
    if group:
        questions.append(group)
    return list(dict.fromkeys(questions))


def overview_rows(reports: Iterable[Report]) -> list[list]:
    """One table row per report, columns as `OVERVIEW_HEADERS`."""
    rows = []
    for report in ordered(reports):
        counts = report.status_counts()
        rows.append([report.title, report.date or "未标明", len(report.issues),
                     *(counts[value] for value, _ in STATUS_NAMES), report.source])
    return rows


def status_counts_long(reports: Iterable[Report]) -> dict[str, list]:
    """Columns 报告/状态/问题数, one row per report and status, for a stacked bar chart."""
    reports = ordered(reports)
    columns: dict[str, list] = {"报告": [], "状态": [], "问题数": []}
    for report in reports:
        counts = report.status_counts()
        for value, name in STATUS_NAMES:
            columns["报告"].append(short_name(report, reports))
            columns["状态"].append(name)
            columns["问题数"].append(counts[value])
    return columns


# --- example builders --------------------------------------------------------------------

def _how_question(reports: list[Report]) -> str:
    """「<a short issue headline>是怎么整改的」, from an issue that states its rectification;
    prefers an ongoing issue, which is what users follow up on."""
    candidates = [i for r in reports for i in r.issues
                  if i.rectification and _MIN_TITLE_CHARS <= len(_plain(i.title)) <= _MAX_TITLE_CHARS]
    if not candidates:
        return ""
    candidates.sort(key=lambda i: (i.status is not Status.IN_PROGRESS, len(i.title)))
    return f"{_plain(candidates[0].title)}是怎么整改的"


def _group_question(reports: list[Report]) -> str:
    """「<alias>“<group>”这一类包括哪些问题」 for a report that groups its issues by topic."""
    for report in reports:
        groups = _topic_groups(report)
        if groups:
            group = min(groups, key=len)
            return f"{short_name(report, reports)}“{group}”这一类包括哪些问题"
    return ""


def _topic_groups(report: Report) -> list[str]:
    """Group headings that are topics: a report with a single group, or groups that merely
    sort issues by status (已整改完成的问题 / 正在推进整改的问题), has none."""
    by_group: dict[str, set[Status]] = {}
    for issue in report.issues:
        if issue.group:
            by_group.setdefault(issue.group, set()).add(issue.status)
    if len(by_group) < 2:
        return []
    topical = [g for g, statuses in by_group.items() if statuses == {Status.UNKNOWN} or len(statuses) > 1]
    return [g for g in topical if _MIN_TITLE_CHARS <= len(g) <= _MAX_TITLE_CHARS]


def _plain(title: str) -> str:
    """A headline without its quotes and trailing punctuation, to sit inside a question."""
    return title.strip().strip("“”\"'‘’。；;，,").replace("“", "").replace("”", "")
