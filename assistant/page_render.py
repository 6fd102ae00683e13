"""`Answer` -> the HTML of one chat message: answer text, then numbered source cards.

Every piece of report or user text is `html.escape`d before any markup is added, and
<mark> highlights are inserted by character offsets into the original text, so a term can
never match inside markup. The result is a single block without blank lines: the
Chatbot's Markdown renderer then passes it through as raw HTML (its sanitizer keeps
<details>, <mark> and class attributes).
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping

from assistant.issue_labels import issue_position
from assistant.models import Answer, Citation
from index.tokenize import tokenize
from ingest.models import Issue, RecordKind, Report

# Words every rectification report repeats; highlighting them would mark every passage.
_GENERIC_TERMS = frozenset(
    "整改 整改中 整改情况 巡察 反馈 报告 问题 落实 推进 完成 已经 仍在 还在 目前 怎么 哪些 多少 "
    "是否 情况 具体 一共 分别".split()
)
# Single characters are too common in Chinese to be worth marking (县, 院, 钱 …).
_MIN_TERM_CHARS = 2

_STATUS_CLASS = {"已完成": "done", "整改中": "ongoing"}
# Cards shown open under an answer; the rest fold into one 展开 line (a list answer cites every item).
SHOWN_CARDS = 3
# A card drops the sentences its answer already quotes when they add up to this much text;
# shorter overlaps (a headline, a figure's sentence) stay, since the card is the evidence.
_MIN_REPEAT_CHARS = 40
_MIN_REPEAT_SENTENCE = 8
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+|\n|$)")
_MARKER = re.compile(r"\[(\d{1,3})\]")

MODE_LABELS = {"extractive": "抽取式", "llm": "大模型", "llm-fallback": "抽取式（大模型不可用）"}


def render_question(question: str) -> str:
    """A user message for the Chatbot: escaped, so a question is never markup."""
    return f'<div class="rq-question">{_paragraphs(question)}</div>'


def render_answer(answer: Answer, question: str, reports: Mapping[str, Report], streaming: bool = False) -> str:
    """The assistant message: the answer (with its [n] markers) and its source cards, the
    cards after the first `SHOWN_CARDS` folded away."""
    terms = highlight_terms(question, answer.query_terms)
    refused = not answer.answered
    parts = [f'<div class="rq-answer {"rq-refused" if refused else "rq-answered"}">']

    # Answer text, with a heading that makes a refusal unmistakable
    if refused:
        parts.append('<div class="rq-refused-title">未找到答案</div>')
    parts.append(f'<div class="rq-text">{_answer_text(answer.answer)}</div>')
    if answer.notice:
        parts.append(f'<div class="rq-notice">{html.escape(answer.notice)}</div>')
    if streaming:
        parts.append('<div class="rq-notice">正在生成…</div>')

    # Source cards
    if answer.citations:
        heading = "可能相关的段落（仅供参考）" if refused else "引用原文"
        parts.append(f'<div class="rq-sources-title">{heading}</div>')
        cards = [render_citation(n, citation, terms, reports, related=refused or citation.related_only,
                                 answer_text=answer.answer)
                 for n, citation in enumerate(answer.citations, 1)]
        parts += cards[:SHOWN_CARDS]
        if len(cards) > SHOWN_CARDS:
            parts.append(f'<details class="rq-more"><summary>展开其余 {len(cards) - SHOWN_CARDS} 条引用原文</summary>'
                         + "".join(cards[SHOWN_CARDS:]) + "</details>")
    mode = MODE_LABELS.get(answer.mode, answer.mode)
    parts.append(f'<div class="rq-mode">回答方式：{html.escape(mode)}</div>')
    parts.append("</div>")
    return "".join(parts)


def render_citation(n: int, citation: Citation, terms: list[str], reports: Mapping[str, Report],
                    related: bool = False, answer_text: str = "") -> str:
    """One numbered source card; expands to the whole issue the passage comes from."""
    record = _record(citation, reports)
    is_issue = record.kind is RecordKind.ISSUE if record is not None else bool(citation.issue)
    # A totals sentence or a section that is no issue has no status to show
    badge = ""
    if citation.status or is_issue:
        status = citation.status or "未标明"
        badge = f'<span class="rq-badge rq-{_STATUS_CLASS.get(status, "unknown")}">{html.escape(status)}</span>'
    where = card_label(citation, record)
    label = f'<span class="rq-label">{html.escape(where)}</span>' if where else ""
    if where and citation.issue and where != citation.issue:
        # The report's own numbering too, small: the answer text refers to 【二（二）3】
        label += f'<span class="rq-raw-label">{html.escape(citation.issue)}</span>'

    kind = '<span class="rq-related">可能相关</span>' if related else ""
    head = (f'<div class="rq-card-head"><span class="rq-num">[{n}]</span>{kind}'
            f'<span class="rq-report">{html.escape(citation.report)}</span>{label}{badge}</div>')
    section = f'<div class="rq-section">{html.escape(citation.section)}</div>' if citation.section else ""
    passage = _passage(citation, terms, answer_text)
    return (f'<div class="rq-card{" rq-card-related" if related else ""}" data-cite="{n}">'
            f"{head}{section}{passage}{_full_issue(citation, record, terms)}</div>")


def card_label(citation: Citation, record: Issue | None) -> str:
    """The issue's place and headline in words (第二部分（二）第3项：…); the report's own
    label only when the record is not at hand; nothing for a record that is no issue."""
    if record is None:
        return citation.issue
    if record.kind is not RecordKind.ISSUE:
        return ""
    first_line = record.text.split("\n", 1)[0]
    return issue_position(record.numbers, record.label, record.title, row="\t" in first_line)


def _passage(citation: Citation, terms: list[str], answer_text: str) -> str:
    """The quoted passage, without the sentences the answer above already quotes in full
    (a how answer prints the whole rectification; its card would repeat it)."""
    sentences = _SENTENCE.findall(citation.text)
    repeated = [s for s in sentences if len(s.strip()) >= _MIN_REPEAT_SENTENCE and s.strip() in answer_text]
    if sum(len(s) for s in repeated) < _MIN_REPEAT_CHARS:
        return f'<div class="rq-passage">{highlight(citation.text, terms)}</div>'
    rest = "".join(s for s in sentences if s not in repeated).strip()
    note = '<div class="rq-notice">其余原文已在上方回答中引用，可展开查看全文。</div>'
    if not rest:
        return note
    return f'<div class="rq-passage">{highlight(rest, terms)}</div>{note}'


def _record(citation: Citation, reports: Mapping[str, Report]) -> Issue | None:
    report = reports.get(citation.report_id)
    return next((r for r in report.records if r.record_id == citation.record_id), None) if report else None


def _full_issue(citation: Citation, record: Issue | None, terms: list[str]) -> str:
    """<details> with the whole record the passage was cut from, the passage underlined."""
    if record is None or not record.text:
        return ""
    start, end = citation.start - record.start, citation.end - record.start
    if 0 <= start < end <= len(record.text):
        inner = (highlight(record.text[:start], terms)
                 + f'<span class="rq-cited">{highlight(record.text[start:end], terms)}</span>'
                 + highlight(record.text[end:], terms))
    else:
        inner = highlight(record.text, terms)
    summary = "展开整条问题原文" if record.kind is RecordKind.ISSUE else "展开所在段落原文"
    return f'<details class="rq-full"><summary>{summary}</summary><div class="rq-full-text">{inner}</div></details>'


# --- highlighting -----------------------------------------------------------------------

def highlight_terms(question: str, query_terms: Iterable[str] = ()) -> list[str]:
    """Words to mark: the assistant's query terms plus the question's content words,
    longest first so 传染病防控 wins over 防控."""
    terms = {_fold(t) for t in [*query_terms, *tokenize(question or "")]}
    terms = {t for t in terms if len(t) >= _MIN_TERM_CHARS and t not in _GENERIC_TERMS}
    return sorted(terms, key=lambda t: (-len(t), t))


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escaped `text` with every occurrence of `terms` wrapped in <mark>.

    Matching is on the NFKC/lower-cased text (as retrieval matches), mapped back to the
    original characters, so full-width digits and letters in a report still match.
    """
    folded, origin = _folded_with_origin(text)
    spans = []
    for term in terms:
        for match in re.finditer(re.escape(term), folded):
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    out, pos = [], 0
    for start, end in _merge(spans):
        out.append(html.escape(text[pos:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return _line_breaks("".join(out))


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    chars, origin = [], []
    for i, ch in enumerate(text):
        folded = _fold(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# --- text --------------------------------------------------------------------------------

def _answer_text(text: str) -> str:
    """Escaped answer text; [n] markers stay literal text, styled as references."""
    escaped = html.escape(text or "")
    return _line_breaks(_MARKER.sub(r'<span class="rq-ref">[\1]</span>', escaped))


def _paragraphs(text: str) -> str:
    return _line_breaks(html.escape(text or ""))


def _line_breaks(escaped: str) -> str:
    # <br> rather than newlines: a blank line would end the raw-HTML block in Markdown
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")
