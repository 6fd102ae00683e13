"""List and count questions, answered over the parsed records of the reports in scope.

Top-k retrieval cannot list 40 problems or count them; the parsed records can. Filters
narrow the records: a status, a feedback group, a topic (selected by lexical match on the
problem statement or closeness of its sentences to the topic, with a calibrated cut).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.citations import cite, cite_problem, cite_status
from assistant.config import AnswerSettings
from assistant.models import Answer, Citation
from assistant.passages import FIELD_NAMES
from assistant.retrieval import Retriever, ScoredRecord
from assistant.understanding import Intent, Query
from index.tokenize import normalize
from ingest.lexicon import load_lexicon
from ingest.models import Issue, RecordKind, Report, Status

_STATUS_WORDS = {Status.COMPLETED: "已整改完成", Status.PARTIAL: "基本完成", Status.IN_PROGRESS: "正在整改",
                 Status.LONG_TERM: "需长期坚持"}
_STATUS_ORDER = (Status.COMPLETED, Status.PARTIAL, Status.IN_PROGRESS, Status.LONG_TERM)


def status_filter_text(statuses: frozenset[Status]) -> str:
    """「基本完成、正在整改、需长期坚持」 for the statuses a question asks about."""
    return "、".join(_STATUS_WORDS[s] for s in _STATUS_ORDER if s in statuses)


@dataclass
class Selection:
    """The issues of one report that answer a list/count question, and why."""

    report: Report
    issues: list[Issue]
    filter_text: str = ""              # e.g. 「正在整改」「涉及“招投标”」「“党建工作虚化弱化”下」
    note: str = ""                     # e.g. the report has no status split
    stated: list = field(default_factory=list)
    group_heading: Issue | None = None   # the group record, when a group was asked for
    split: bool = False                # the question asks finished against not finished
    topic_found: bool | None = None    # the topic words matched issues here (None: no topic)
    by_deadline: bool = False          # filtered by the deadline cell: each item shows its own
    states_measures: bool = False      # a note of a report without a status split that does
                                       # state how many measures are done: an answer in part


def select_issues(query: Query, report: Report, topic: TopicScores, settings: AnswerSettings,
                  candidates: list[str] | None = None) -> Selection:
    """Apply the question's filters to the issues of one report."""
    issues = [i for i in report.issues if candidates is None or i.record_id in candidates]
    if candidates is not None:
        order = {rid: n for n, rid in enumerate(candidates)}
        issues.sort(key=lambda i: order[i.record_id])
    parts, note = [], ""
    group = _matching_group(query, issues)
    aspect = None if group else _nth_aspect(query, issues)
    heading, topic_found = None, None
    beyond = _group_beyond(query, issues)
    if beyond:
        # 「第六个方面」 of a report with five: there is none to list
        return Selection(report, [], f"第{query.ordinal}个方面（报告只分了{beyond}个方面）")
    deadline, by_deadline = _deadline_asked(query), False
    unit = _responsible_unit_asked(query, report, issues)
    if group:
        issues = [i for i in issues if i.group == group]
        parts.append(f"“{group}”下")
        heading = _group_record(report, group)
    elif aspect is not None:
        issues = [aspect]       # a report whose records are its aspects: the Nth of them
        parts.append(f"第{query.ordinal}个方面")
    elif deadline and any("deadline" in i.fields for i in issues):
        # 「整改时限定在2025年12月底前的有哪些」: the ledger's deadline cell, not a topic
        issues = [i for i in issues if _deadline_of(report, i) in _deadline_months(deadline)]
        parts.append(f"{FIELD_NAMES['deadline']}在{deadline[0]}年" + (f"{deadline[1]}月" if deadline[1] else ""))
        by_deadline = True
    elif unit:
        # 「哪些问题是市农业农村局负责的」: the ledger's responsible cell names that unit
        issues = [i for i in issues if _names_unit(_field_text(report, i, "responsible"), unit)]
        parts.append(f"{FIELD_NAMES['responsible']}含“{unit}”")
    elif ([t for t in query.topic_terms if not t.isdigit() and t not in normalize(report.title)] or query.quoted) and \
            (query.status is None or _topic_is_explicit(query)):
        # words of the report's own title (医疗服务领域专项巡察) name the report, not a topic
        # beside a status filter, leftover words are phrasing unless marked as the topic
        matched, used = _topical(issues, topic, settings)
        topic_found = bool(matched)
        if matched or _topic_is_explicit(query):
            issues = matched
            parts.append(f"涉及“{query.topic.replace(' ', '') if used is topic else _label(used.terms, query.text)}”")
    stated, states_measures = [], False
    if query.status is not None and query.count_target == "issues":
        # a status of measures (「措施里还有多少条得长期弄」) is read from the stated counts
        if not report.has_status_split():
            measures = _stated_measures_note(report)
            note = (f"该报告未区分已完成和正在整改的问题：{_what_is_reported(report)}，"
                    f"但没有标明哪些已整改完成、哪些仍在整改。" + measures)
            issues, states_measures = [], bool(measures)
        elif _asks_split(query.status):
            # 「改完的多还是没改完的多」: every issue, counted finished against not finished
            stated = _unique_sentences([s for s in report.stated if s.what in {st.value for st in query.status}])
            return Selection(report, [i for i in issues if i.status is not Status.UNKNOWN], "、".join(parts),
                             note, stated, heading, split=True, topic_found=topic_found)
        else:
            issues = [i for i in issues if i.status in query.status]
            stated = _unique_sentences([s for s in report.stated if s.what in {st.value for st in query.status}])
        label = query.status_literal or _counted_label(query, report)
        literal = [i for i in issues if label and label in i.status_words]
        if literal:
            # the report labels part of a status so (已达到序时进度 beside 正在推进): the label asked
            issues = literal
            parts.append(f"标为“{label}”")
        else:
            parts.append(status_filter_text(query.status))
    return Selection(report, issues, "、".join(parts), note, stated, heading, topic_found=topic_found,
                     by_deadline=by_deadline, states_measures=states_measures)


# A year and month as written (2025年12月底前, 2024年9月30日, 2025年底前): 年底 is December.
_YEAR_MONTH = re.compile(r"((?:19|20)\d{2})年(?:(\d{1,2})月|年?(底))?")


def _year_month(text: str) -> tuple[int, int | None] | None:
    match = _YEAR_MONTH.search(normalize(text))
    if not match:
        return None
    month = int(match.group(2)) if match.group(2) else (12 if match.group(3) else None)
    return int(match.group(1)), month


def _deadline_asked(query: Query) -> tuple[int, int | None] | None:
    """The year (and month) a list question asks the deadline to be, when it asks about
    the deadline at all (整改时限 / 完成时限 / 什么时候完成 …, from the vocabulary)."""
    return _deadline_in(query.text) if query.intent in (Intent.LIST, Intent.COUNT) else None


@lru_cache(maxsize=256)
def _deadline_in(question: str) -> tuple[int, int | None] | None:
    # read once per question, not once per report in scope
    return _year_month(question) if load_lexicon().field_asked(question) == "deadline" else None


def _deadline_months(asked: tuple[int, int | None]) -> set[tuple[int, int | None]]:
    """The deadlines that are the one asked: that month, or any month of the year asked."""
    year, month = asked
    return {(year, month)} if month else {(year, m) for m in [None, *range(1, 13)]}


def _deadline_of(report: Report, issue: Issue) -> tuple[int, int | None] | None:
    text = _field_text(report, issue, "deadline")
    return _year_month(text) if text else None


# A list asked by who is responsible: 「…负责的」「…牵头的」
_BY_RESPONSIBLE = re.compile(r"负责|牵头|责任单位|责任部门|承办|主责")


def _responsible_unit_asked(query: Query, report: Report, issues: list[Issue]) -> str:
    """The unit a list question asks the issues of (市农业农村局), when the question names
    one that the issues' responsible cells name; the longest such name."""
    q = normalize(query.text)
    if not _BY_RESPONSIBLE.search(q):
        return ""
    units = {u for i in issues for u in _units_of(_field_text(report, i, "responsible"))}
    named = [u for u in units if _names_unit(q, u)]
    return max(named, key=len) if named else ""


def _units_of(cell: str) -> list[str]:
    return [u.strip() for u in re.split(r"[、，,；;/\s]+", normalize(cell)) if len(u.strip()) >= 3]


def _names_unit(text: str, unit: str) -> bool:
    """A unit is named by its name, or without its level (市农业农村局 / 农业农村局)."""
    bare = re.sub(r"^[省市县区]", "", unit)
    return unit in normalize(text) or (len(bare) >= 3 and bare in normalize(text))


def _field_text(report: Report, issue: Issue, part: str) -> str:
    start, end = issue.fields.get(part, (0, 0))
    return report.body[start:end].strip()


def _what_is_reported(report: Report) -> str:
    """What the report gives the rectification of: each issue, or (written by areas,
    its problems not numbered) each area, with the number of problems it states."""
    if report.layout == "prose_areas":
        stated = report.totals.get("problems")
        return f"报告按{len(report.issues)}个方面通报了整改情况" + (f"（报告称共梳理问题{stated}个，未逐个列出）" if stated else "")
    return f"报告对全部{len(report.issues)}个问题逐一通报了整改情况"


def _counted_label(query: Query, report: Report) -> str:
    """A status phrase of the question that the report itself counts apart
    (「已达到序时进度4个，正在推进1个」): asked in the report's words, it means that label;
    two such labels asked (「包括已达到序时进度和正在推进的」) mean both, so no one label."""
    counted = [phrase for phrase in query.status_phrases
               if any(re.search(re.escape(phrase) + r"(?:整改)?\d", normalize(s.text)) for s in report.stated)]
    return counted[0] if len(counted) == 1 else ""


def topic_where_found(query: Query, selections: list[Selection]) -> list[Selection]:
    """Leftover words that match no issue anywhere are phrasing, and each report keeps all
    its issues; once they match issues of some report, they are the topic, and a report
    where they match none has none to list (not all of its issues)."""
    if not any(s.topic_found for s in selections):
        return selections
    topic = f"涉及“{query.topic.replace(' ', '')}”"
    return [replace(s, issues=[], filter_text="、".join(p for p in (topic, s.filter_text) if p))
            if s.topic_found is False and topic not in s.filter_text else s for s in selections]


def _asks_split(statuses: frozenset[Status]) -> bool:
    return Status.COMPLETED in statuses and len(statuses) > 1


def _unique_sentences(stated: list) -> list:
    """One citation per sentence, however many totals it states."""
    seen, out = set(), []
    for s in stated:
        if s.text not in seen:
            seen.add(s.text)
            out.append(s)
    return out


def _stated_measures_note(report: Report) -> str:
    """What the report does state: how many measures are done (not problems)."""
    totals = report.totals
    if "measures_completed" not in totals:
        return ""
    done = totals["measures_completed"]
    open_ = totals.get("measures_open")
    rest = f"，其余{open_}项" if open_ is not None else ""
    return f"报告只说明了整改措施的完成情况（已完成{done}项{rest}），这些是措施数，不是问题数。"


def _matching_group(query: Query, issues: list[Issue]) -> str | None:
    """A feedback group the question names (quoted, or its topic is part of the heading)."""
    groups = {i.group for i in issues if i.group}
    if len(groups) < 2:
        return None
    ordered = list(dict.fromkeys(i.group for i in issues if i.group))
    if query.ordinal and _NAMES_GROUP.search(query.text) and query.ordinal <= len(ordered):
        return ordered[query.ordinal - 1]      # 「第三个方面有哪些问题」
    probes = [_bare(q) for q in query.quoted]
    topic = _bare(query.topic)
    if len(topic) >= 4:
        probes.append(topic)
    for probe in probes:
        hits = [g for g in groups if probe and probe in _bare(g)]
        # a phrase that is also an issue's own headline names that issue, not a group
        if len(hits) == 1 and not any(probe in _bare(i.title) for i in issues):
            return hits[0]
    if _REFERS_TO_GROUP.search(query.text):
        return _group_by_words(groups, query.topic_terms)
    return None


def _aspects(query: Query, issues: list[Issue]) -> list[Issue]:
    """A report with no groups (one section at most) whose records are its aspects (（一）关于…
    方面): those records,
    when the question names the Nth aspect by the word their headlines use."""
    named = _NAMES_GROUP.search(query.text)
    if not named or not query.ordinal or len({i.group for i in issues if i.group}) >= 2:
        return []
    noun = re.sub(r"第\s*[一二三四五六七八九十\d]{1,3}\s*(?:个)?", "", named.group(0))
    aspects = [i for i in issues if noun in i.title]
    return aspects if len(aspects) >= 2 else []


def _nth_aspect(query: Query, issues: list[Issue]) -> Issue | None:
    aspects = _aspects(query, issues)
    return aspects[query.ordinal - 1] if aspects and query.ordinal <= len(aspects) else None


def _group_beyond(query: Query, issues: list[Issue]) -> int:
    """The number of groups (or aspects), when the question asks for one past the last."""
    aspects = _aspects(query, issues)
    if aspects and query.ordinal > len(aspects):
        return len(aspects)
    groups = list(dict.fromkeys(i.group for i in issues if i.group))
    if len(groups) >= 2 and query.ordinal and _NAMES_GROUP.search(query.text) and query.ordinal > len(groups):
        return len(groups)
    return 0


# 「这方面」「哪个板块」: the question points at a feedback group, perhaps in other words
_REFERS_TO_GROUP = re.compile(r"方面|板块|领域|大类|这一块|那一块|这块|那块")


def _group_by_words(groups: set[str], terms: list[str]) -> str | None:
    """「身边的歪风和腐败…这方面」: the one group whose heading holds more of the question's
    words than any other, and at least two of them."""
    held = sorted(((sum(1 for t in set(terms) if len(t) > 1 and t in _bare(g)), g) for g in groups), reverse=True)
    if not held or held[0][0] < 2 or (len(held) > 1 and held[1][0] == held[0][0]):
        return None
    return held[0][1]


_NAMES_GROUP = re.compile(r"第\s*[一二三四五六七八九十\d]{1,3}\s*(?:个)?(?:方面|部分|大类|类|块|组|领域)")


def _bare(text: str) -> str:
    """Text without punctuation, spaces and 和/与/及, for matching headings loosely."""
    return re.sub(r"[\W_和与及]+", "", normalize(text))


def _topic_is_explicit(query: Query) -> bool:
    """Leftover words that match no issue are phrasing ("这次", "分开列"), unless the
    question marks them as the topic (涉及/有关/关于 …): then no match means none."""
    return bool(query.quoted) or query.topic_marked


class TopicScores:
    """The issues of every report in scope scored against the question's topic once, on
    first use: scored report by report, a list over 1,000 reports ran 1,000 searches."""

    def __init__(self, query: Query, retriever: Retriever, topic_vec, report_ids: set[str]):
        self.terms = query.topic_terms + [normalize(q) for q in query.quoted]
        self._score = lambda: retriever.score_issues(self.terms, topic_vec, report_ids)
        self._by_id: dict[str, ScoredRecord] | None = None
        # 「做八项规定警示教育课件，要列出…不该发的钱」: the topic without the words only the
        # opening purpose clause holds, tried when the whole topic matches no issue
        core = [t for t in self.terms if t not in query.purpose_terms]
        self.without_purpose = TopicScores(replace(query, topic_terms=core, purpose_terms=[]), retriever,
                                           topic_vec, report_ids) \
            if query.purpose_terms and core and len(core) < len(self.terms) else None

    def of(self, issues: list[Issue]) -> list[ScoredRecord]:
        if self._by_id is None:
            self._by_id = {s.record.record_id: s for s in self._score()}
        return [self._by_id[i.record_id] for i in issues if i.record_id in self._by_id]


def _topical(issues: list[Issue], topic: TopicScores, settings: AnswerSettings) -> tuple[list[Issue], TopicScores]:
    """The issues naming the topic, and the topic scores that found them."""
    keep = {s.record.record_id for s in topic.of(issues)
            if s.lexical_problem >= settings.topic_min_lexical or s.dense >= settings.topic_min_dense
            or s.lexical_rectification >= settings.topic_min_lexical_rectification}
    if not keep and topic.without_purpose is not None:
        return _topical(issues, topic.without_purpose, settings)
    return [i for i in issues if i.record_id in keep], topic


def _label(terms: list[str], question: str) -> str:
    """Topic words as the question says them: 违规、发放 written together are 违规发放."""
    words = [t for t in terms if not any(t != o and t in o for o in terms)]
    joined = "".join(words)
    return joined if joined in normalize(question) else "、".join(words)


def status_text(issue: Issue) -> str:
    return issue.status.label_zh or "未标明状态"


_ASKS_IF_SAID = re.compile(r"(?:说|写|列|列出|提到|讲|标|标明|注明)了?(?:吗|没有?)|有没有(?:说|写|列|提|标)|是否(?:列|写|说明|标明)")


def compose_list(query: Query, selections: list[Selection]) -> Answer:
    """A numbered list per report: label, headline, status, and a citation per item."""
    if query.count_groups:
        return compose_count(query, selections, cite_each=True)   # 「分了哪几大类」 lists the groups
    lines, citations, items = [], [], []
    for sel in selections:
        title = f"《{sel.report.title}》"
        if sel.note:
            lines.append(_note_line(title, sel, citations))
            continue
        what = f"{sel.filter_text}的问题" if sel.filter_text else "反馈的问题"
        if not sel.issues:
            lines.append(f"{title}中没有找到{what}。")
            continue
        lines.append(f"{title}中{what}共{len(sel.issues)}个：")
        if sel.group_heading is not None:
            citations.append(_heading_citation(sel.report, sel.group_heading))
            lines.append(f"（所属分组：{sel.group_heading.title}[{len(citations)}]）")
        for s in sel.stated:
            citations.append(_stated_citation(sel.report, s))
            lines.append(f"（报告原文：{s.text.strip()}[{len(citations)}]）")
        for n, issue in enumerate(sel.issues, 1):
            # a list by status cites where each item's status is stated
            citations.append(cite_status(sel.report, issue) if query.status else cite_problem(sel.report, issue))
            items.append(issue.record_id)
            when = f"，{FIELD_NAMES['deadline']}：{_field_text(sel.report, issue, 'deadline')}" if sel.by_deadline else ""
            lines.append(f"{n}. 【{issue.label}】{_headline(issue)}（{status_text(issue)}{when}）[{len(citations)}]")
    # a report without a status split answers no status question: its note says why; asked
    # whether the report says so (「通报里逐条说了吗」), the note is the answer, with what it
    # does state (已完成98项，其余14项需长期推进)
    answered = bool(items) or (bool(_ASKS_IF_SAID.search(query.text))
                               and any(sel.states_measures for sel in selections))
    return Answer("\n".join(lines), answered, citations, intent=Intent.LIST.value, items=items)


def compose_count(query: Query, selections: list[Selection], cite_each: bool = False) -> Answer:
    """The count per report, with what makes it checkable: the report's own sentence
    stating it, else the first and last of the records counted (or groups). `cite_each` cites every group,
    for 「分了哪几大类」."""
    lines, citations, items = [], [], []
    for sel in selections:
        title = f"《{sel.report.title}》"
        if sel.note:
            lines.append(_note_line(title, sel, citations))
            continue
        if query.count_groups:
            if len(selections) > 1 and not sel.issues:
                continue        # across reports, one with nothing to group says nothing
            lines += _group_lines(sel, citations, cite_each)
            continue
        if query.count_target != "issues":
            lines += _stated_target_lines(query, sel, citations)
            continue
        if sel.split:
            lines += _split_lines(sel, citations)
            items += [i.record_id for i in sel.issues]
            continue
        what = f"{sel.filter_text}的问题" if sel.filter_text else "反馈的问题"
        lines.append(f"{title}中{what}共{len(sel.issues)}个。")
        items += [i.record_id for i in sel.issues]       # for follow-ups (「第3个呢」)
        stated = sel.stated or ([s for s in sel.report.stated if s.what == "problems"] if not sel.filter_text else [])
        if sel.group_heading is not None:
            citations.append(_heading_citation(sel.report, sel.group_heading))
            lines.append(f"所属分组：{sel.group_heading.title}[{len(citations)}]")
            stated = stated or [None]        # the heading stands for the items below
        for s in (s for s in stated if s is not None):
            citations.append(_stated_citation(sel.report, s))
            lines.append(f"报告原文：{s.text.strip()}[{len(citations)}]")
        if not sel.filter_text:
            lines.append(_breakdown(sel.report))
            if not stated and sel.issues:
                # no sentence states the count: the numbering of the records counted makes it
                # checkable, from the first to the last (every record would bury the answer)
                ends = [sel.issues[0], sel.issues[-1]] if len(sel.issues) > 1 else [sel.issues[0]]
                marks = []
                for issue in ends:
                    citations.append(cite_problem(sel.report, issue))
                    marks.append(f"【{issue.label}】{issue.title}[{len(citations)}]")
                lines.append(f"所计问题的编号从{marks[0]}到{marks[-1]}。" if len(marks) > 1 else f"所计问题：{marks[0]}。")
            continue
        for n, issue in enumerate(sel.issues, 1):
            marker = "" if stated else f"[{len(citations) + 1}]"
            if not stated:
                citations.append(cite_problem(sel.report, issue))
            lines.append(f"{n}. 【{issue.label}】{_headline(issue)}（{status_text(issue)}）{marker}")
    counted = [sel for sel in selections if not sel.note]
    if len(counted) > 1 and not query.count_groups and query.count_target == "issues":
        summary = f"以上{len(counted)}份报告合计{sum(len(sel.issues) for sel in counted)}个问题，{_extreme(query.text, counted)}"
        # 「哪家最多」 asks for the winner: it comes first; otherwise the total closes the list
        if _MOST.search(query.text) or _LEAST.search(query.text):
            lines.insert(0, summary)
        else:
            lines.append(summary)
    # a note (no status split) or an unstated count of measures says why the report cannot
    # answer: kept as the text of a refusal, not counted as an answer
    answered = any(not sel.note and (sel.issues if query.count_target == "issues" else
                                     query.count_target in sel.report.totals)
                   for sel in selections)
    return Answer("\n".join(l for l in lines if l), answered, citations, intent=Intent.COUNT.value, items=items)


_TARGET_WORDS = {"measures": "整改措施"}


def _stated_target_lines(query: Query, sel: Selection, citations: list[Citation]) -> list[str]:
    """Counts of tasks or measures exist only where the report states them; a question
    asking how many are done (「落实了多少项」) gets the measures done first."""
    title = f"《{sel.report.title}》"
    stated = [s for s in sel.report.stated if s.what == query.count_target]
    if not stated:
        return [f"{title}没有说明{_TARGET_WORDS[query.count_target]}的数量（报告共列出{len(sel.report.issues)}个问题）。"]
    done = [s for s in sel.report.stated if s.what == "measures_completed"]
    lead = done[:1] if query.count_target == "measures" and _asks_done(query) else []
    lines = []
    if lead:
        citations.append(_stated_citation(sel.report, lead[0]))
        if lead[0].text == stated[0].text:      # 「共制定整改措施11条，已落实9条」: one sentence says both
            return [f"{title}的整改措施共{stated[0].value}项，已完成{lead[0].value}项：{lead[0].text.strip()}[{len(citations)}]"]
        lines.append(f"{title}的整改措施已完成{lead[0].value}项：{lead[0].text.strip()}[{len(citations)}]")
    for s in stated:
        citations.append(_stated_citation(sel.report, s))
        line = f"{title}的{_TARGET_WORDS[query.count_target]}共{s.value}项：{s.text.strip()}[{len(citations)}]"
        lines.append(f"（{line}）" if lines else line)
    shown = stated + lead
    for s in sel.report.stated:
        if s.what in ("measures_completed", "measures_open") and all(s.text != t.text for t in shown):
            citations.append(_stated_citation(sel.report, s))
            lines.append(f"（{s.text.strip()}[{len(citations)}]）")
            shown.append(s)
    return lines


_DONE_ASKED = re.compile(r"落实了|完成了|已落实|已完成|落实多少|完成多少|办结")


def _asks_done(query: Query) -> bool:
    return (query.status is not None and Status.COMPLETED in query.status) or bool(_DONE_ASKED.search(query.text))


def _split_lines(sel: Selection, citations: list[Citation]) -> list[str]:
    """Finished against not finished, with the open ones by status."""
    done = [i for i in sel.issues if i.status is Status.COMPLETED]
    open_ = [i for i in sel.issues if i.status is not Status.COMPLETED]
    by_status = [f"{_STATUS_WORDS[s]}{n}个" for s in _STATUS_ORDER[1:]
                 if (n := sum(1 for i in open_ if i.status is s))]
    more = "已整改完成的多" if len(done) > len(open_) else ("尚未完成的多" if len(open_) > len(done) else "两者一样多")
    line = (f"《{sel.report.title}》中已整改完成{len(done)}个，尚未完成{len(open_)}个"
            + (f"（{'，'.join(by_status)}）" if by_status else "") + f"，{more}。")
    lines = [line]
    for s in sel.stated:
        citations.append(_stated_citation(sel.report, s))
        lines.append(f"报告原文：{s.text.strip()}[{len(citations)}]")
    return lines


def _heading_citation(report: Report, record: Issue) -> Citation:
    return cite(report, record, record.start, _line_end(report, record.start))


def _group_lines(sel: Selection, citations: list[Citation], cite_each: bool) -> list[str]:
    # a report whose records are its aspects (（一）关于…方面, one section above) lists them
    if sel.report.layout == "prose_areas" or (len({i.group for i in sel.issues if i.group}) <= 1
                                              and sum("方面" in i.title for i in sel.issues) >= 2):
        return _area_lines(sel, citations)
    groups = _groups(sel.issues)
    lines = [f"《{sel.report.title}》反馈的问题分为{len(groups)}个方面（组），共{len(sel.issues)}个问题："]
    for n, (group, members) in enumerate(groups, 1):
        marker = ""
        if cite_each or n == len(groups):
            citations.append(_heading_citation(sel.report, _group_record(sel.report, group) or members[0]))
            marker = f"[{len(citations)}]"
        lines.append(f"{n}. {group}（{len(members)}个问题）{marker}")
    return lines


def _area_lines(sel: Selection, citations: list[Citation]) -> list[str]:
    """A report written by areas (（一）关于……方面): its areas are its 方面, each cited."""
    lines = [f"《{sel.report.title}》的整改落实情况分为{len(sel.issues)}个方面："]
    for n, issue in enumerate(sel.issues, 1):
        citations.append(_heading_citation(sel.report, issue))
        lines.append(f"{n}. {issue.title}[{len(citations)}]")
    stated = sel.report.totals.get("problems")
    if stated:
        lines.append(f"报告称共梳理问题{stated}个，但未逐个编号列出。")
    return lines


def _breakdown(report: Report) -> str:
    parts = []
    if report.has_status_split():
        counts = report.status_counts()
        named = [f"{_STATUS_WORDS[s]}{counts[s.value]}个" for s in _STATUS_ORDER if counts[s.value]]
        parts.append("其中" + "，".join(named)
                     + (f"，未标明状态{counts['unknown']}个" if counts["unknown"] else "") + "。")
    else:
        parts.append("报告未区分已完成和正在整改的问题。")
    groups = _groups(report.issues)
    if len(groups) > 2:
        parts.append(f"这些问题分属{len(groups)}个方面：" + "；".join(
            f"{g}（{len(m)}个）" for g, m in groups) + "。")
    return "".join(parts)


def _groups(issues: list[Issue]) -> list[tuple[str, list[Issue]]]:
    groups: dict[str, list[Issue]] = {}
    for issue in issues:
        groups.setdefault(issue.group, []).append(issue)
    return list(groups.items())


def _group_record(report: Report, group: str) -> Issue | None:
    for record in report.records:
        if record.kind is RecordKind.GROUP and record.title and normalize(group) in normalize(record.title):
            return record
    return None


def _line_end(report: Report, start: int) -> int:
    end = report.body.find("\n", start)
    return end if end != -1 else len(report.body)


def _headline(issue: Issue) -> str:
    """Headline of an issue; when the problem has a second numbered heading (二院's
    "招投标程序不规范" + "招投标廉政风险防控有差距"), both."""
    sentences = [s for s in issue.problem.replace("；", "。").split("。") if s]
    if len(sentences) >= 2 and len(sentences[1]) <= 40 and len(issue.problem) <= 90:
        return f"{sentences[0]}（{sentences[1]}）"
    return issue.title


# The report's own totals a note about it rests on (「未区分……已完成98项，其余14项」).
_NOTE_TOTALS = ("problems", "measures", "measures_completed", "measures_open")


def _note_line(title: str, sel: Selection, citations: list[Citation]) -> str:
    """A note about a report, citing the totals sentences it rests on, else the first
    issue (what the report does say about each problem)."""
    stated = _unique_sentences([t for t in sel.report.stated if t.what in _NOTE_TOTALS])
    quoted = []
    for t in stated:         # the report's own words about its totals, verbatim
        citations.append(_stated_citation(sel.report, t))
        quoted.append(f"（报告原文：{t.text.strip()}[{len(citations)}]）")
    if not stated and sel.report.issues:
        citations.append(cite_problem(sel.report, sel.report.issues[0]))
        return f"{title}：{sel.note}[{len(citations)}]"
    return "\n".join([f"{title}：{sel.note}", *quoted])


def _stated_citation(report: Report, stated) -> Citation:
    record = next((r for r in report.records if r.start <= stated.start < r.end), report.records[0])
    return cite(report, record, stated.start, stated.start + len(stated.text))


_MOST = re.compile(r"最多|更多|较多|多一些|谁.{0,8}多|哪.{0,10}多(?!少)")
_LEAST = re.compile(r"最少|更少|较少|少一些|谁.{0,8}少|哪.{0,10}少")


def _extreme(question: str, counted: list[Selection]) -> str:
    """Which report has the most issues (the fewest, when that is asked), ties together."""
    least = bool(_LEAST.search(question)) and not _MOST.search(question)
    best = (min if least else max)(len(s.issues) for s in counted)
    winners = "、".join(f"《{s.report.title}》" for s in counted if len(s.issues) == best)
    word = ("更少" if least else "更多") if len(counted) == 2 else ("最少" if least else "最多")
    return f"其中{winners}{word}（{best}个）。"
