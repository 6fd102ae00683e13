"""Cleaned report text -> `Report` with its records (issues, groups, sections, preamble).

The parser knows the genre, not particular reports: an issue is the highest heading node
that carries exactly one rectification block (整改情况：/ 整改落实情况：/ 整改措施：… or a
关于“…”问题的整改 heading); a status comes from the section heading it sits under
(已整改完成的问题 / 正在推进整改的问题) or from explicit wording in the issue itself.
Everything else becomes a section record, so every character of the body lands somewhere.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

from ingest.headings import Heading, Node, build_tree, cn_to_int, find_headings
from ingest.metadata import report_aliases, report_date, report_issuer, report_level, report_title
from ingest.models import Issue, RecordKind, Report, StatedCount, Status
from ingest.tables import LedgerColumns, ledger_columns, row_cells

PARSER_VERSION = "4"

# A rectification block starts with one of these labels followed by a colon.
RECTIFICATION_LABEL = re.compile(
    r"(整改落实情况|整改落实|整改情况|整改进展情况|整改进展|整改措施|整改结果|整改成效|落实情况|完成情况)\s*[:：]"
)
# 关于“…”问题的整改 — the quoted text is the problem statement.
QUOTED_PROBLEM = re.compile(r"关于[“\"『「](?P<q>.+?)[”\"』」](?:问题|方面)?(?:的)?整改", re.S)

_COMPLETED_HEADING = re.compile(r"已(?:经)?(?:整改)?完成|已整改到位|已办结|已销号|整改完成的")
_ONGOING_HEADING = re.compile(
    r"正在(?:推进|整改)|整改中|推进中|持续(?:推进|整改)|尚未(?:完成|整改)|未完成|阶段性|长期坚持|仍需"
)
# Explicit per-issue status wording: a labelled status line or a bracketed tag.
_EXPLICIT_STATUS = re.compile(
    r"(?:整改)?(?:状态|进度|完成情况|进展)[:：]\s*(?P<v>[^\n。；;,，]{1,12})"
    r"|[（(【\[](?P<t>已(?:整改)?完成|已整改|已销号|正在整改|整改中|持续整改|正在推进|未完成)[）)】\]]"
)


def parse_report(text: str, source: str, content_hash: str) -> Report:
    """Parse a cleaned report body into a `Report`. Never raises on unknown layouts."""
    if not text.strip():
        raise ValueError("报告正文为空")
    body = text
    root = build_tree(body, find_headings(body))
    columns = ledger_columns(body)
    issue_nodes = _find_issue_nodes(root, body, columns)
    records = _records(body, root, issue_nodes, columns)
    title = report_title(body)
    report_id = hashlib.sha256(f"{source}\0{content_hash}".encode()).hexdigest()[:12]
    for seq, record in enumerate(records):
        record.seq = seq
        record.record_id = f"{report_id}#{seq}"
    issuer = report_issuer(body, title)
    return Report(
        report_id=report_id,
        title=title,
        issuer=issuer,
        date=report_date(body),
        source=source,
        content_hash=content_hash,
        body=body,
        records=records,
        stated=_stated_counts(body, records),
        aliases=report_aliases(title, issuer),
        level=report_level(title, issuer),
        parser_version=PARSER_VERSION,
    )


# --- finding issues -----------------------------------------------------------------

def _find_issue_nodes(root: Node, body: str, columns: LedgerColumns | None = None) -> set[int]:
    """ids of the nodes that are issues: rows of a ledger table, and headings carrying
    one rectification block."""
    rows = {id(n) for n in root.walk() if columns and n.heading and n.heading.style == "row"}
    carriers = {}
    for node in root.walk():
        carriers[id(node)] = _carrier_count(node, body)
    issues: list[Node] = []
    _collect_issues(root, body, carriers, issues)
    issues = _align_to_dominant_style([n for n in issues if id(n) not in rows], body)
    return {id(n) for n in issues} | rows


def _has_rectification(node: Node, body: str, own_only: bool = False) -> bool:
    end = node.own_end if own_only else node.end
    text = body[node.start:end]
    if RECTIFICATION_LABEL.search(text):
        return True
    return node.heading is not None and bool(QUOTED_PROBLEM.match(_heading_line(node, body)))


def _carrier_count(node: Node, body: str) -> int:
    """How many parts of the node (its own text, each child) carry a rectification block."""
    own = 1 if _has_rectification(node, body, own_only=True) else 0
    return own + sum(1 for c in node.children if _has_rectification(c, body))


def _collect_issues(node: Node, body: str, carriers: dict, out: list[Node]) -> None:
    for child in node.children:
        n = carriers[id(child)]
        if n == 1 and _has_rectification(child, body):
            out.append(child)
        elif n >= 2:
            _collect_issues(child, body, carriers, out)


def _align_to_dominant_style(issues: list[Node], body: str) -> list[Node]:
    """A group holding a single issue looks like an issue itself; where most issues use
    one numbering style, descend such nodes to their descendant of that style."""
    if len(issues) < 3:
        return issues
    dominant, _ = Counter(n.heading.style for n in issues).most_common(1)[0]
    aligned = []
    for node in issues:
        if node.heading.style != dominant:
            inner = [d for d in node.walk() if d is not node and d.heading
                     and d.heading.style == dominant and _has_rectification(d, body)]
            if len(inner) == 1:
                aligned.append(inner[0])
                continue
        aligned.append(node)
    return aligned


# --- records ------------------------------------------------------------------------

def _records(body: str, root: Node, issue_ids: set[int], columns: LedgerColumns | None) -> list[Issue]:
    records: list[Issue] = []
    top = list(root.children)
    # A heading on the document's first line is its title ("# …" in Markdown).
    if top and not body[:top[0].start].strip() and not top[0].children:
        top = top[1:]
    first = top[0].start if top else len(body)
    _add_span(records, body, RecordKind.PREAMBLE, 0, first, node=None)
    leaf_counts = Counter(_leaf_token(n, body) for n in root.walk() if id(n) in issue_ids)
    for node in top:
        _node_records(records, body, node, issue_ids, leaf_counts, columns)
    return records


def _node_records(records, body, node: Node, issue_ids: set[int], leaf_counts, columns) -> None:
    if id(node) in issue_ids:
        records.append(_issue_record(body, node, leaf_counts, columns))
        return
    holds_issue = any(id(d) in issue_ids for d in node.walk())
    kind = RecordKind.GROUP if holds_issue else RecordKind.SECTION
    _add_span(records, body, kind, node.start, node.own_end, node=node)
    for child in node.children:
        _node_records(records, body, child, issue_ids, leaf_counts, columns)


def _add_span(records, body, kind, start, end, node: Node | None) -> None:
    text = body[start:end]
    if not text.strip():
        return
    lead = len(text) - len(text.lstrip())
    start, end = start + lead, start + len(text.rstrip())
    heading_path = [_heading_title(a, body, full=True) for a in node.ancestors()] if node else []
    title = _heading_title(node, body) if node else ""
    records.append(Issue(
        record_id="", kind=kind, seq=0,
        label=_path_label(node) if node else "",
        numbers=_numbers(node) if node else [],
        heading_path=heading_path,
        group=_group_of(node, body) if node else "",
        title=title, problem="", rectification="",
        status=Status.UNKNOWN, start=start, end=end, text=body[start:end],
    ))


def _issue_record(body: str, node: Node, leaf_counts: Counter, columns: LedgerColumns | None) -> Issue:
    start = node.start
    end = start + len(body[start:node.end].rstrip())
    text = body[start:end]
    if node.heading.style == "row" and columns:
        problem, rectification, status = _split_row(body, node, columns)
    else:
        problem, rectification = _split_problem(body, node, end)
        status = _issue_status(node, body, text)
    # Numbering that restarts per section needs its path to be unique (二（一）3);
    # numbering that runs through the report is unique by itself (（12）).
    restarts = any(count > 1 for count in leaf_counts.values())
    leaf = _leaf_token(node, body)
    label = _path_label(_leaf_node(node, body)) if restarts or not leaf else leaf
    return Issue(
        record_id="", kind=RecordKind.ISSUE, seq=0,
        label=label,
        numbers=_numbers(_leaf_node(node, body)),
        heading_path=[_heading_title(a, body, full=True) for a in node.ancestors()],
        group=_group_of(node, body),
        title=_issue_title(body, node, problem),
        problem=problem,
        rectification=rectification,
        status=status,
        start=start, end=end, text=text,
    )


def _split_row(body: str, node: Node, columns: LedgerColumns) -> tuple[str, str, Status]:
    """(problem, rectification, status) of a ledger row, cell by cell."""
    cells = row_cells(body[node.heading.start:node.heading.line_end])

    def cell(i):
        return cells[i] if i is not None and i < len(cells) else ""

    rectification = "\n".join(cell(i) for i in columns.rectification if cell(i))
    status = _status_of_phrase(cell(columns.status)) if columns.status is not None else Status.UNKNOWN
    if status is Status.UNKNOWN:
        status = _issue_status(node, body, rectification)
    return _squash(cell(columns.problem)), rectification, status


def _split_problem(body: str, node: Node, end: int) -> tuple[str, str]:
    """(problem statement, rectification text) of an issue node."""
    text = body[node.heading.text_start:end]
    quoted = QUOTED_PROBLEM.search(text)
    label = RECTIFICATION_LABEL.search(text)
    if quoted and (label is None or quoted.start() < label.start()):
        problem = quoted.group("q")
    else:
        problem = text[:label.start()] if label else text
    rectification = text[label.end():] if label else ""
    return _squash(_strip_inner_markers(problem)), rectification.strip()


def _issue_title(body: str, node: Node, problem: str) -> str:
    """Short headline: the first sentence of the problem statement."""
    first = re.split(r"[。；;!！?？\n]", problem, maxsplit=1)[0]
    return first.strip(" ，,：:") or _heading_title(node, body)


def _issue_status(node: Node, body: str, text: str) -> Status:
    explicit = _EXPLICIT_STATUS.search(text)
    if explicit:
        value = explicit.group("v") or explicit.group("t") or ""
        status = _status_of_phrase(value)
        if status is not Status.UNKNOWN:
            return status
    for ancestor in reversed(node.ancestors()):
        status = _status_of_phrase(_heading_title(ancestor, body))
        if status is not Status.UNKNOWN:
            return status
    return Status.UNKNOWN


def _status_of_phrase(phrase: str) -> Status:
    if _ONGOING_HEADING.search(phrase):
        return Status.IN_PROGRESS
    if _COMPLETED_HEADING.search(phrase):
        return Status.COMPLETED
    return Status.UNKNOWN


# --- headings, labels, groups -------------------------------------------------------

def _heading_line(node: Node, body: str) -> str:
    return body[node.heading.text_start:node.heading.line_end]


def _heading_title(node: Node, body: str, full: bool = False) -> str:
    """A heading's text without its marker; for run-in headings ("(一)抬高站位。正文…")
    the part before the first full stop. `full` keeps the marker, for citation paths."""
    line = _heading_line(node, body).strip()
    run_in = re.split(r"[。；;]", line, maxsplit=1)[0]
    title = run_in if len(run_in) <= 60 else run_in[:60] + "…"
    if full and node.heading.token():
        token = node.heading.token()
        sep = "、" if node.heading.style in ("cn_dun", "ar_dot") else ""
        return f"{token}{sep}{title}"
    return title


def _group_of(node: Node, body: str) -> str:
    """The heading of the nearest ancestor that holds several issues or names a status."""
    ancestors = node.ancestors()
    if not ancestors:
        return ""
    return _GENERIC_PREFIX.sub("", _heading_title(ancestors[-1], body)) or _heading_title(ancestors[-1], body)


# "反馈问题：党建工作虚化弱化" — the prefix names the genre, not the group.
_GENERIC_PREFIX = re.compile(r"^(?:巡察)?(?:反馈)?问题[:：]\s*")


def _leaf_node(node: Node, body: str) -> Node:
    """Follow a single-child chain to the heading that holds the rectification block
    (二院's "12.医疗核心制度…" -> "（12）对医疗质量安全重视不够…")."""
    while len(node.children) == 1 and not _has_rectification(node, body, own_only=True):
        node = node.children[0]
    return node


def _leaf_token(node: Node, body: str) -> str:
    leaf = _leaf_node(node, body)
    return leaf.heading.token() if leaf.heading else ""


def _numbers(node: Node) -> list[str]:
    return [n.heading.token() for n in node.ancestors() + [node] if n.heading.token()]


def _path_label(node: Node) -> str:
    return "".join(_numbers(node))


_INNER_MARKER = re.compile(r"(?m)^\s*(?:[（(]\d{1,3}[）)]|\d{1,3}[.．、]|[（(][一二三四五六七八九十]{1,3}[）)])")


def _strip_inner_markers(text: str) -> str:
    return _INNER_MARKER.sub("", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).strip()


# --- totals the report states in words ----------------------------------------------

_NUM = r"(\d{1,4}|[零〇一二三四五六七八九十百两]{1,5})"
_STATED_PATTERNS = [
    ("total", re.compile(rf"(?:反馈|指出|提出|交办|移交)(?:了|的)?(?:问题)?{_NUM}(?:个|项|条|方面)(?:具体)?问题")),
    ("total", re.compile(rf"(?:反馈|指出|交办)(?:了|的)?(?:问题)?共?{_NUM}(?:个|项|条)")),
    ("tasks", re.compile(rf"(?:共|制定|明确|梳理)(?:有|计|了)?(?:整改)?任务{_NUM}(?:项|个|条)")),
    ("tasks", re.compile(rf"共(?:有|计)?{_NUM}(?:项|个|条)整改任务")),
    ("completed", re.compile(rf"{_NUM}(?:个|项|条)(?:问题|整改任务|任务)?(?:已|已经)(?:全部)?(?:整改)?完成")),
    ("completed", re.compile(rf"已(?:全部)?(?:整改)?完成(?:整改)?(?:任务|问题)?{_NUM}(?:个|项|条)")),
    ("in_progress", re.compile(rf"{_NUM}(?:个|项|条)(?:问题|整改任务|任务)?(?:正在|仍在|尚在|持续)[^，,。；]{{0,4}}?(?:整改|推进)")),
    ("in_progress", re.compile(rf"(?:正在|仍在|持续)(?:推进)?(?:整改|推进){_NUM}(?:个|项|条)")),
    ("measures", re.compile(rf"{_NUM}(?:条|项)整改措施")),
]


def _stated_counts(body: str, records: list[Issue]) -> list[StatedCount]:
    """Totals stated outside the issues themselves (an issue's "共发现问题19个" is about
    its own sub-findings, not the report's)."""
    found: list[StatedCount] = []
    for record in records:
        if record.kind is RecordKind.ISSUE:
            continue
        for what, pattern in _STATED_PATTERNS:
            for match in pattern.finditer(record.text):
                value = cn_to_int(match.group(1))
                if value is None or any(s.what == what and s.value == value for s in found):
                    continue
                sentence_start, sentence_end = _sentence_around(body, record.start + match.start())
                found.append(StatedCount(what, value, body[sentence_start:sentence_end], sentence_start))
    return found


def _sentence_around(body: str, pos: int) -> tuple[int, int]:
    start = max(body.rfind(c, 0, pos) for c in "。；\n") + 1
    ends = [i for i in (body.find(c, pos) for c in "。；\n") if i != -1]
    end = min(ends) + 1 if ends else len(body)
    while start < end and body[start].isspace():
        start += 1
    return start, end
