"""What a caller may send to the assistant: checked once, at the API boundary.

    check_request(question, history, report, config) -> Request

Called at the top of `Assistant.ask`, and by the page and the CLI before they ask, so
every way in obeys the same limits. It never raises: a request that cannot be answered
comes back with `problem` set to a Chinese message for the user (the assistant turns it
into an `Answer` with answered=False, the page shows it under the input box). History is
repaired rather than refused (malformed turns dropped, long turns cut), because it is
written by programs, not typed by the user; but a user turn longer than the question
limit is dropped with its answer, since a follow-up would re-answer it unchecked.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from assistant.config import Config

_MARKUP = re.compile(r"<[^<>]{0,200}>|&[a-zA-Z]{2,8};|&#\d{1,7};")
_MEANINGFUL = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# C0/C1 controls except tab and newline, and the Unicode line/paragraph separators
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ROLES = ("user", "assistant")

HINT_EXAMPLE = "例如：哪些问题仍在整改中"


class Request(NamedTuple):
    """A request as the assistant may answer it, or why it may not."""

    question: str
    history: list[dict]
    report: str | None
    problem: str = ""          # Chinese message for the user; "" when the request may be answered
    dropped_turns: int = 0     # history messages dropped as malformed or over the limits


def check_request(question, history=None, report=None, config: Config | None = None) -> Request:
    """The checked request; see the module docstring for what is refused or repaired."""
    config = config or Config()
    history, dropped = clean_history(history, config)
    problem = question_problem(question, config) or report_problem(report, config)
    if problem:
        return Request("" if not isinstance(question, str) else question, history, None, problem, dropped)
    report = report.strip() if isinstance(report, str) and report.strip() else None
    return Request(_CONTROL.sub(" ", question).strip(), history, report, "", dropped)


def question_problem(question, config: Config) -> str:
    """Why `question` cannot be asked ("" when it can)."""
    limit = config.answer.max_question_chars
    if not isinstance(question, str):
        return "问题必须是一段文字。"
    if _SURROGATE.search(question):
        return "问题中含有无法识别的字符，请重新输入。"
    text = _CONTROL.sub(" ", question).strip()
    if not text:
        return f"请输入问题，{HINT_EXAMPLE}。"
    if len(text) > limit:
        return f"问题过长（{len(text)}字），请精简到{limit}字以内。"
    meaningful = _MEANINGFUL.findall(_MARKUP.sub("", text))
    if not meaningful:
        return f"没有看懂这个问题，请用中文描述想了解的整改情况，{HINT_EXAMPLE}。"
    if len(meaningful) < config.boundary.min_meaningful_chars or not (_CJK.search(text) or len(meaningful) >= 3):
        return f"问题太短，请用一句话说明想了解什么，{HINT_EXAMPLE}。"
    return ""


def report_problem(report, config: Config) -> str:
    """Why `report` (a fragment of a report title, or None for all reports) is unusable."""
    if report is None:
        return ""
    if not isinstance(report, str):
        return "报告范围应为报告标题中的文字（或不限定）。"
    if _SURROGATE.search(report) or _CONTROL.search(report):
        return "报告范围中含有无法识别的字符。"
    if len(report) > config.boundary.max_report_chars:
        return f"报告范围过长（{len(report)}字），请填写报告标题中的一段文字。"
    return ""


def clean_history(history, config: Config) -> tuple[list[dict], int]:
    """(usable {"role", "content"} messages, number dropped), newest kept.

    A user message over the question limit is dropped together with the answer after it."""
    if not isinstance(history, (list, tuple)):
        return [], 0 if history is None else 1
    limits = config.boundary
    kept: list[dict] = []
    dropped, skip_answer = 0, False
    for turn in history:
        role = turn.get("role") if isinstance(turn, dict) else None
        content = turn.get("content") if isinstance(turn, dict) else None
        if role not in _ROLES or not isinstance(content, str):
            dropped += 1
            continue
        content = _CONTROL.sub(" ", _SURROGATE.sub("", content))
        if role == "user":
            skip_answer = len(content.strip()) > config.answer.max_question_chars
            if skip_answer:
                dropped += 1
                continue
        elif skip_answer:
            dropped += 1
            skip_answer = False
            continue
        kept.append({"role": role, "content": content[: limits.max_turn_chars]})
    if len(kept) > limits.max_history_turns:
        dropped += len(kept) - limits.max_history_turns
        kept = kept[-limits.max_history_turns:]
    return kept, dropped
