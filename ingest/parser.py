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
from functools import cache
from collections import Counter

from ingest.headings import STATUS_STYLE, Heading, Node, build_tree, compile_markers, find_headings
from ingest.lexicon import Lexicon, load_lexicon
from ingest.metadata import report_date, report_issuer, report_level, report_title
from ingest.names import body_names, self_named
from ingest.models import Issue, RecordKind, Report, Status
from ingest.selfcheck import check_against_totals
from ingest.status import StatusReader, StatusReading
from ingest.strategies import IssueFinder, choose_issue_nodes
from ingest.tables import FIELD_PARTS, LedgerColumns, cell_spans, ledger_columns, row_cells
from ingest.totals import TotalsReader

PARSER_VERSION = "13"

# 关于“…”问题的整改 — the quoted text is the problem statement.
QUOTED_PROBLEM = re.compile(r"关于[“\"『「](?P<q>.+?)[”\"』」](?:的)?(?:问题|方面|整改)", re.S)


class ParseContext:
    """What the parser reads a report with: the genre vocabulary and the patterns made of it."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        words = lexicon.labels("rectification") + lexicon.labels("progress")
        self.rectification_label = re.compile(
            "(" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")\s*[:：]")
        self.status = StatusReader(lexicon)
        self.markers = compile_markers(lexicon)
        problems = sorted(lexicon.labels("problem"), key=len, reverse=True)
        self.problem_label = re.compile("(?:" + "|".join(map(re.escape, problems)) + r")\s*[:：]")
        self.totals = TotalsReader(lexicon)


@cache
def context_for(lexicon: Lexicon) -> ParseContext:
    """One context per vocabulary (a Lexicon hashes by identity)."""
    return ParseContext(lexicon)


def parse_report(text: str, source: str, content_hash: str, lexicon: Lexicon | None = None) -> Report:
    """Parse a cleaned report body into a `Report`. Never raises on unknown layouts."""
    if not text.strip():
        raise ValueError("报告正文为空")
    ctx = context_for(lexicon or load_lexicon())
    body = text
    columns = ledger_columns(body, ctx.lexicon)
    title = report_title(body)

    # Issues: every strategy proposes on its reading of the headings, the report's own totals decide
    preliminary = ctx.totals.read(body, [_whole_body(body)])
    stated_problems = next((c.value for c in preliminary if c.what == "problems"), None)
    candidates = []
    for field_heads in (False, True):
        headings = _headings(body, ctx, field_heads)
        if field_heads and not any(h.style == FIELD_STYLE for h in headings):
            continue
        root = build_tree(body, headings)
        finder = IssueFinder(body, root, lambda n, own: _has_rectification(n, body, ctx, own),
                             lambda n: _section_kind(n, body, ctx), ctx.lexicon.enumerators, columns is not None)
        for candidate in finder.candidates():
            if field_heads:
                candidate.strategy = "field_blocks"
            candidates.append((candidate, root))
    chosen = choose_issue_nodes([c for c, _ in candidates], stated_problems)
    root = next((r for c, r in candidates if c is chosen), None) or build_tree(body, _headings(body, ctx))
    records = _records(body, root, chosen.ids, columns, ctx)
    _inherit_merged_cells([r for r in records if r.kind is RecordKind.ISSUE], columns)

    report_id = hashlib.sha256(f"{source}\0{content_hash}".encode()).hexdigest()[:12]
    for seq, record in enumerate(records):
        record.seq = seq
        record.record_id = f"{report_id}#{seq}"
    issuer = report_issuer(body, title)
    names = body_names(title, issuer, ctx.lexicon)
    if not names.aliases:       # a title naming only the inspection team: the body the report calls itself
        names = self_named(body, report_level(title, issuer), ctx.lexicon)
    stated = ctx.totals.read(body, records)
    report = Report(
        report_id=report_id, title=title, issuer=issuer, date=report_date(body), source=source,
        content_hash=content_hash, body=body, records=records, stated=stated,
        aliases=names.aliases, places=names.places, level=names.level or report_level(title, issuer),
        parser_version=PARSER_VERSION, layout=chosen.strategy,
    )
    report.warnings = check_against_totals(report.issues, report.totals, chosen.strategy)
    return report


def _headings(body: str, ctx: ParseContext, field_heads: bool = False) -> list[Heading]:
    """Numbered headings, plus unnumbered section heads (下一步工作打算) and status-section
    lines (「已整改完成的问题：」), which open a level of their own; with `field_heads`, an
    unnumbered line opening with a problem label (问题：…) starts an issue too."""
    headings = find_headings(body, ctx.markers)
    starts = {h.start for h in headings}
    problem_label = ctx.problem_label
    pos = 0
    for number, line in enumerate(body.splitlines(keepends=True)):
        stripped = line.strip()
        line_start = pos + len(line) - len(line.lstrip())
        if field_heads and line_start not in starts and problem_label.match(stripped):
            end = pos + len(line.rstrip("\r\n"))
            headings.append(Heading(FIELD_STYLE, "", line_start, end, line_start))
        elif number and line_start not in starts and _is_section_head(stripped, ctx):
            end = pos + len(line.rstrip("\r\n"))
            headings.append(Heading(SECTION_STYLE, "", line_start, end, line_start))
        elif stripped and ctx.status.section_of_line(stripped) is not None:
            line_start = pos + len(line) - len(line.lstrip())
            if line_start in starts:
                next(h for h in headings if h.start == line_start).is_status = True
            else:
                end = pos + len(line.rstrip("\r\n"))
                headings.append(Heading(STATUS_STYLE, "", line_start, end, line_start, is_status=True))
        pos += len(line)
    return sorted(headings, key=lambda h: h.start)


def _inherit_merged_cells(issues: list[Issue], columns: LedgerColumns | None) -> None:
    """A ledger's empty deadline / responsible cell continues the one above (a vertically
    merged cell reads empty below its first row)."""
    if columns is None:
        return
    previous: dict = {}
    for issue in issues:
        for part, _ in columns.fields:
            if part in issue.fields:
                previous[part] = issue.fields[part]
            elif part in previous and issue.text.count("\t"):
                issue.fields[part] = previous[part]


def _whole_body(body: str) -> Issue:
    """The body as one section, to read stated totals before issues are known."""
    return Issue(record_id="", kind=RecordKind.SECTION, seq=0, label="", numbers=[], heading_path=[],
                 group="", title="", problem="", rectification="", status=Status.UNKNOWN,
                 start=0, end=len(body), text=body)


def _is_section_head(line: str, ctx: ParseContext) -> bool:
    """An unnumbered heading of a report part: a short line without sentence punctuation
    naming a section kind (整改工作组织情况 / 反馈问题整改落实情况 / 下一步工作打算 / 附件)."""
    if not line or len(line) > SECTION_HEAD_MAX_CHARS or _SENTENCE_PUNCT.search(line):
        return False
    kinds = ("organisation", "issues", "next_steps", "appendix")
    return any(line.startswith(w) or line.endswith(w) or (len(w) >= 3 and w in line)
               for kind in kinds for w in ctx.lexicon.section_words(kind))


# An unnumbered section heading is at most this long (the genre's are 2–12 characters).
SECTION_HEAD_MAX_CHARS = 16
SECTION_STYLE = "section"
FIELD_STYLE = "field"
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！!？?、（）()]")


# --- what a node is -------------------------------------------------------------------

def _has_rectification(node: Node, body: str, ctx: ParseContext, own_only: bool = False) -> bool:
    end = node.own_end if own_only else node.end
    text = body[node.start:end]
    if ctx.rectification_label.search(text):
        return True
    return node.heading is not None and bool(QUOTED_PROBLEM.match(_heading_line(node, body)))


def _section_kind(node: Node, body: str, ctx: ParseContext) -> str:
    """organisation / next_steps / appendix for a non-issue section heading, else ""."""
    if node.heading is None:
        return ""
    title = _heading_title(node, body)
    for kind in ("next_steps", "appendix", "organisation"):
        if any(w in title for w in ctx.lexicon.section_words(kind)):
            # a heading that also names the issues part (整改落实情况) is not a side section
            if kind == "organisation" and any(w in title for w in ctx.lexicon.section_words("issues")):
                return ""
            return kind
    return ""


# --- records ------------------------------------------------------------------------

def _records(body: str, root: Node, issue_ids: set[int], columns: LedgerColumns | None,
             ctx: ParseContext) -> list[Issue]:
    records: list[Issue] = []
    top = list(root.children)
    # A heading on the document's first line is its title ("# …" in Markdown).
    if top and not body[:top[0].start].strip() and not top[0].children:
        top = top[1:]
    first = top[0].start if top else len(body)
    _add_span(records, body, RecordKind.PREAMBLE, 0, first, node=None)
    leaf_counts = Counter(_leaf_token(n, body, ctx) for n in root.walk() if id(n) in issue_ids)
    for node in top:
        _node_records(records, body, node, issue_ids, leaf_counts, columns, ctx)
    return records


def _node_records(records, body, node: Node, issue_ids: set[int], leaf_counts, columns, ctx) -> None:
    if id(node) in issue_ids:
        records.append(_issue_record(body, node, leaf_counts, columns, ctx, issue_ids))
        if node.heading.style == "row":
            # a ledger row is one line; what follows it (合计, 说明) is not part of the issue
            parent = node.parent if node.parent is not None and node.parent.heading is not None else None
            _add_span(records, body, RecordKind.SECTION, node.heading.line_end, node.end, node=parent)
        return
    holds_issue = any(id(d) in issue_ids for d in node.walk())
    kind = RecordKind.GROUP if holds_issue else RecordKind.SECTION
    _add_span(records, body, kind, node.start, node.own_end, node=node)
    for child in node.children:
        _node_records(records, body, child, issue_ids, leaf_counts, columns, ctx)


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


def _issue_record(body: str, node: Node, leaf_counts: Counter, columns: LedgerColumns | None,
                  ctx: ParseContext, issue_ids: set[int]) -> Issue:
    start = node.start
    stop = node.heading.line_end if node.heading.style == "row" else node.end
    end = start + len(body[start:stop].rstrip())
    text = body[start:end]
    section = _section_status(node, body, ctx)
    problem_title = ""
    rectification_at = -1
    if node.heading.style == "row" and columns:
        problem, rectification, cell = _split_row(body, node, columns)
        reading = ctx.status.read(rectification, cell=cell, section=section)
        rectification_at = _row_rectification_at(body, node, columns)
    else:
        problem, rectification = _split_problem(body, node, end, ctx)
        rectification_at = _rectification_at(body, node, end, ctx, rectification)
        reading = ctx.status.read(text, section=section)
        if not ctx.rectification_label.search(text):
            problem_title = _heading_title(node, body)   # a prose area is named by its heading
    # Numbering that restarts per section needs its path to be unique (二（一）3);
    # numbering that runs through the report is unique by itself (（12）).
    restarts = any(count > 1 for count in leaf_counts.values())
    leaf = _leaf_token(node, body, ctx)
    leaf_node = _leaf_node(node, body, ctx)
    label = _path_label(leaf_node) if restarts or not leaf else leaf
    return Issue(
        record_id="", kind=RecordKind.ISSUE, seq=0,
        label=label,
        numbers=_numbers(leaf_node),
        heading_path=[_heading_title(a, body, full=True) for a in node.ancestors()],
        group=_group_of(node, body, issue_ids, ctx),
        title=problem_title or _issue_title(body, node, problem),
        problem=problem,
        rectification=rectification,
        status=reading.status, status_source=reading.source, status_words=reading.words,
        start=start, end=end, text=text, rectification_at=rectification_at,
        fields=_row_fields(body, node, columns) if node.heading.style == "row" and columns
        else _labelled_fields(body, start, end, ctx),
    )


def _row_rectification_at(body: str, node: Node, columns: LedgerColumns) -> int:
    """Body offset of a ledger row's first rectification cell (the problem cell ends before)."""
    spans = cell_spans(body[node.heading.start:node.heading.line_end], node.heading.start)
    first = columns.rectification[0]
    return spans[first][0] if first < len(spans) and spans[first][1] > spans[first][0] else -1


def _row_fields(body: str, node: Node, columns: LedgerColumns) -> dict:
    """A ledger row's deadline, responsible unit … cells, as body spans."""
    line = body[node.heading.start:node.heading.line_end]
    spans = cell_spans(line, node.heading.start)
    return {part: list(spans[i]) for part, i in columns.fields if i < len(spans) and spans[i][1] > spans[i][0]}


_FIELD_VALUE_END = re.compile(r"[\n。；;]")


def _labelled_fields(body: str, start: int, end: int, ctx: ParseContext) -> dict:
    """「整改时限：2024年12月底前」「责任部门：……」 lines of an issue, as body spans."""
    fields = {}
    text = body[start:end]
    for part in FIELD_PARTS:
        labels = "|".join(map(re.escape, sorted(ctx.lexicon.labels(part), key=len, reverse=True)))
        match = re.search(rf"(?:^|[\n。；])\s*(?:{labels})\s*[:：]\s*", text)
        if match:
            stop = _FIELD_VALUE_END.search(text, match.end())
            value_end = stop.start() if stop else len(text)
            if value_end > match.end():
                fields[part] = [start + match.end(), start + value_end]
    return fields


def _rectification_at(body: str, node: Node, end: int, ctx: ParseContext, rectification: str) -> int:
    """Body offset of the rectification block: its label (整改情况：), else where the
    text starts (a prose area's 一是…); -1 when the issue has none."""
    text = body[node.heading.text_start:end]
    label = ctx.rectification_label.search(text)
    if label:
        return node.heading.text_start + label.start()
    found = text.find(rectification) if rectification else -1
    return node.heading.text_start + found if found >= 0 else -1


def _section_status(node: Node, body: str, ctx: ParseContext) -> StatusReading | None:
    """The status section (已整改完成的问题 …) the issue sits in, if any."""
    for ancestor in reversed(node.ancestors()):
        reading = ctx.status.section_of_line(_heading_line_full(ancestor, body))
        if reading is not None:
            return reading
    return None


def _split_row(body: str, node: Node, columns: LedgerColumns) -> tuple[str, str, str]:
    """(problem, rectification, status cell) of a ledger row."""
    cells = row_cells(body[node.heading.start:node.heading.line_end])

    def cell(i):
        return cells[i] if i is not None and i < len(cells) else ""

    # what was done includes the row's progress cell (整改进展：已完成整改。……) and its
    # remarks (备注: 已补办审批手续21笔；2笔……已由当事人退回)
    parts = [cell(i) for i in columns.rectification] + [cell(columns.status)] + [cell(i) for i in columns.remarks]
    rectification = "\n".join(p for p in parts if p)
    return _squash(cell(columns.problem)), rectification, cell(columns.status)


def _split_problem(body: str, node: Node, end: int, ctx: ParseContext) -> tuple[str, str]:
    """(problem statement, rectification text) of an issue node."""
    text = body[node.heading.text_start:end]
    quoted = QUOTED_PROBLEM.search(text)
    label = ctx.rectification_label.search(text)
    if quoted and (label is None or quoted.start() < label.start()):
        problem = quoted.group("q")
    elif label is None:
        # a prose area: the heading and its lead paragraph name the problems, the
        # enumerated paragraphs (一是…) are the measures
        cut = _first_enumerator(text, ctx)
        problem, rest = (text[:cut], text[cut:]) if cut is not None else (text, "")
        return _squash(_strip_inner_markers(problem)), rest.strip()
    else:
        problem = text[:label.start()]
    rectification = text[label.end():] if label else ""
    problem = ctx.lexicon.label_line.sub("", problem, count=1) if problem.lstrip().startswith(
        tuple(ctx.lexicon.labels("problem"))) else problem
    return _squash(_strip_inner_markers(problem)), rectification.strip()


def _first_enumerator(text: str, ctx: ParseContext) -> int | None:
    positions = [m.start() for e in ctx.lexicon.enumerators[:1] for m in re.finditer(rf"(?m)^\s*{e}", text)]
    return min(positions) if positions else None


def _issue_title(body: str, node: Node, problem: str) -> str:
    """Short headline: the first sentence of the problem statement."""
    first = re.split(r"[。；;!！?？\n]", problem, maxsplit=1)[0]
    return first.strip(" ，,：:") or _heading_title(node, body)


# --- headings, labels, groups -------------------------------------------------------

def _heading_line(node: Node, body: str) -> str:
    return body[node.heading.text_start:node.heading.line_end]


def _heading_line_full(node: Node, body: str) -> str:
    return body[node.heading.start:node.heading.line_end]


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


def _group_of(node: Node, body: str, issue_ids: set[int] | None = None, ctx: ParseContext | None = None) -> str:
    """The heading of the nearest ancestor that is not a status section (已整改完成的问题
    sorts a group's issues); where that ancestor is the part holding every issue, the
    status sections are the report's only grouping."""
    # an unnumbered side section (整改工作基本情况) that issues follow is no group of theirs
    ancestors = [a for a in node.ancestors() if ctx is None or a.heading.style != SECTION_STYLE
                 or _section_kind(a, body, ctx) not in ("organisation", "next_steps", "appendix")]
    if not ancestors:
        return ""
    plain = [a for a in ancestors if not a.is_status]
    # a numbered status section (（一）已整改完成的问题) is a level of the report's own
    status = [a for a in ancestors if a.is_status and a.heading.style != STATUS_STYLE]
    chosen = plain[-1] if plain else ancestors[-1]
    if status and plain and issue_ids and _holds_all(plain[-1], issue_ids):
        chosen = status[-1]
    title = _GROUP_COUNT.sub("", _heading_title(chosen, body))
    return _GENERIC_PREFIX.sub("", title) or title


# 「……方面（共4条）」: the count is the group's size, not part of its name.
_GROUP_COUNT = re.compile(r"[（(]共?[\d一二三四五六七八九十]+[个项条][）)]\s*$")


def _holds_all(node: Node, issue_ids: set[int]) -> bool:
    inside = sum(1 for d in node.walk() if id(d) in issue_ids)
    return inside == len(issue_ids)


# "反馈问题：党建工作虚化弱化" — the prefix names the genre, not the group.
_GENERIC_PREFIX = re.compile(r"^(?:巡察)?(?:反馈)?问题[:：]\s*")


def _leaf_node(node: Node, body: str, ctx: ParseContext) -> Node:
    """Follow a single-child chain to the heading that holds the rectification block
    (二院's "12.医疗核心制度…" -> "（12）对医疗质量安全重视不够…")."""
    while len(node.children) == 1 and not _has_rectification(node, body, ctx, own_only=True):
        node = node.children[0]
    return node


def _leaf_token(node: Node, body: str, ctx: ParseContext) -> str:
    leaf = _leaf_node(node, body, ctx)
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
