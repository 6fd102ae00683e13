"""What the page shows about the loaded reports: selector choices, example questions,
the overview table and the per-report status counts for the chart.

Everything is derived from the reports in the index, so a newly added report shows up
in all of them without code changes.
"""
from __future__ import annotations

from collections.abc import Iterable

from ingest.models import Report, Status

ALL_REPORTS = "全部报告"
STATUS_NAMES = (("completed", "已完成"), ("in_progress", "整改中"), ("unknown", "未标明"))
OVERVIEW_HEADERS = ["报告", "日期", "问题数", "已完成", "整改中", "未标明", "文件"]

# Example questions name issues and groups; long headlines make unreadable buttons.
_MAX_TITLE_CHARS = 16
_MIN_TITLE_CHARS = 5
_MAX_EXAMPLES = 10              # the example list stays one screen high


def ordered(reports: Iterable[Report]) -> list[Report]:
    """Reports in a stable order for every list on the page: newest first, then title."""
    return sorted(reports, key=lambda r: (-(int((r.date or "0").replace("-", "") or 0)), r.title))


def report_choices(reports: Iterable[Report]) -> list[str]:
    """Selector entries: 全部报告, then each title (each is passed to the assistant as
    `report=`, which matches by title substring)."""
    return [ALL_REPORTS] + [r.title for r in ordered(reports)]


def short_name(report: Report) -> str:
    """How a user would call the report, from the report alone (so adding another report
    never renames it): a short institution alias (二院), else its level word (县里), else
    the issuer part of the title (鹤川县教育局党组)."""
    institution = [a for a in report.aliases if len(a) >= 2]
    if not report.places and report.level:
        # a body in an unnamed place (县卫健委, 市卫健委) is told apart by its level
        institution = [a for a in institution if a.startswith(report.level)] or institution
    if institution:
        return min(institution, key=lambda a: (len(a), a))
    if report.level:
        return f"{report.level}里"
    return _title_head(report.title)


def display_names(reports: Iterable[Report]) -> dict[str, str]:
    """report_id -> the name shown in the chart and examples. Reports sharing a short name
    each get the first distinguishing mark of: the year, the issuer part of the title, the
    file name, the id (deterministic: it depends only on the colliding reports)."""
    reports = list(reports)
    names = {r.report_id: short_name(r) for r in reports}
    by_name: dict[str, list[Report]] = {}
    for report in reports:
        by_name.setdefault(names[report.report_id], []).append(report)
    for name, group in by_name.items():
        if len(group) < 2:
            continue
        for marks in (lambda r: (r.date or "")[:4], lambda r: _title_head(r.title),
                      lambda r: r.source, lambda r: r.report_id[:8]):
            values = [marks(r) for r in group]
            if all(values) and len(set(values)) == len(values):
                break
        for report, value in zip(group, values):
            names[report.report_id] = f"{name}（{value}）"
    return names


def report_examples(report: Report, name: str) -> list[str]:
    """The example questions of one report, from its own content only."""
    questions = []
    if report.issues:
        questions.append(f"{name}被反馈了多少个问题")
    how = _how_question(report)
    if how:
        questions.append(how)
    group = _group_question(report, name)
    if group:
        questions.append(group)
    return questions


def example_questions(reports: Iterable[Report]) -> list[str]:
    """Questions the loaded reports can answer: one about status when a report splits
    by it, then each report's own examples (newest report first), at most
    `_MAX_EXAMPLES`. A report's examples never change when another report is added."""
    reports = ordered(reports)
    names = display_names(reports)
    questions: list[str] = []
    if any(r.has_status_split() for r in reports):
        questions.append("哪些问题仍在整改中")
    for report in reports:
        # A name two reports share would answer about both: the count question needs a unique one
        unique = names[report.report_id] == short_name(report)
        for question in report_examples(report, names[report.report_id]):
            if unique or not question.endswith("被反馈了多少个问题"):
                questions.append(question)
    return list(dict.fromkeys(questions))[:_MAX_EXAMPLES]


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
    names = display_names(reports)
    columns: dict[str, list] = {"报告": [], "状态": [], "问题数": []}
    for report in reports:
        counts = report.status_counts()
        for value, name in STATUS_NAMES:
            columns["报告"].append(names[report.report_id])
            columns["状态"].append(name)
            columns["问题数"].append(counts[value])
    return columns


# --- example builders --------------------------------------------------------------------

def _how_question(report: Report) -> str:
    """「<a short issue headline>是怎么整改的」, from an issue of this report that states
    its rectification; prefers an ongoing issue, which is what users follow up on."""
    candidates = [i for i in report.issues
                  if i.rectification and _MIN_TITLE_CHARS <= len(_plain(i.title)) <= _MAX_TITLE_CHARS]
    if not candidates:
        return ""
    candidates.sort(key=lambda i: (i.status is not Status.IN_PROGRESS, len(i.title), i.seq))
    return f"{_plain(candidates[0].title)}是怎么整改的"


def _group_question(report: Report, name: str) -> str:
    """「<name>“<group>”这一类包括哪些问题」 for a report that groups its issues by topic."""
    groups = _topic_groups(report)
    if not groups:
        return ""
    group = min(groups, key=lambda g: (len(g), g))
    return f"{name}“{group}”这一类包括哪些问题"


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


def _title_head(title: str) -> str:
    """The issuer part of a title: 「中共鹤川县教育局党组关于…」 -> 鹤川县教育局党组."""
    head = title.split("关于")[0].removeprefix("中共").strip()
    return head[:_MAX_TITLE_CHARS] or title[:_MAX_TITLE_CHARS]


def _plain(title: str) -> str:
    """A headline without its quotes and trailing punctuation, to sit inside a question."""
    return title.strip().strip("“”\"'‘’。；;，,").replace("“", "").replace("”", "")
