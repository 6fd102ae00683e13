"""Evaluation sets: JSON Lines files of questions with gold strings (see eval-format.md).

`load_eval_set` reads one file into `EvalItem`s and fails at once, naming the file and
line, when a question is malformed; fields the format does not know are ignored so that
sets written for other corpora (or with extra annotations) load unchanged.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

KINDS = ("fact", "number", "date", "list", "count", "how", "compare", "followup", "none")
ROLES = ("user", "assistant")
REQUIRED_FIELDS = ("id", "question", "kind")


class EvalSetError(ValueError):
    """A line of an evaluation set does not follow the format; the message names file and line."""


@dataclass(frozen=True)
class Turn:
    """One earlier turn of a conversation, for `followup` questions."""

    role: str                      # "user" | "assistant"
    content: str


@dataclass
class EvalItem:
    """One question of an evaluation set with everything the scorer checks against.

    Gold strings are kept as written; the scorer normalises them (scoring.normalize).
    """

    id: str
    question: str
    kind: str                                   # one of KINDS
    report: str | None = None                   # substring of the report title; None = whole corpus
    must_include: list[str] = field(default_factory=list)
    any_of: list[list[str]] = field(default_factory=list)
    list_items: list[list[str]] = field(default_factory=list)   # each item: accepted aliases
    must_not_include: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)           # verbatim source passages
    history: list[Turn] = field(default_factory=list)
    dataset: str = ""                           # name of the set the item was read from


def load_eval_set(path: str | Path) -> list[EvalItem]:
    """Read a JSON Lines evaluation set; blank lines are skipped, ids must be unique."""
    path = Path(path)
    items: list[EvalItem] = []
    first_line_of: dict[str, int] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            item = _parse_line(line, path, lineno)
            if item.id in first_line_of:
                raise _error(path, lineno, f"duplicate id {item.id!r} (first used on line {first_line_of[item.id]})")
            first_line_of[item.id] = lineno
            items.append(item)
    if not items:
        raise EvalSetError(f"{path}: no questions in the file")
    logger.info("loaded %d questions from %s", len(items), path)
    return items


def load_source_texts(corpus_dir: str | Path) -> dict[str, str]:
    """Plain-text reports of a folder as {title: text}, the title being the first non-empty
    line; for the verbatim check of citations (scoring.citation_is_verbatim)."""
    texts: dict[str, str] = {}
    for file in sorted(Path(corpus_dir).glob("*.txt")):
        text = file.read_text(encoding="utf-8", errors="replace")
        title = next((line.strip() for line in text.splitlines() if line.strip()), file.stem)
        texts[title] = text
    return texts


def _parse_line(line: str, path: Path, lineno: int) -> EvalItem:
    # Parse the JSON object
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _error(path, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise _error(path, lineno, f"expected a JSON object, got {type(data).__name__}")

    # Required fields
    for name in REQUIRED_FIELDS:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise _error(path, lineno, f"field {name!r} is required and must be a non-empty string")
    kind = data["kind"]
    if kind not in KINDS:
        raise _error(path, lineno, f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    where = f"{path}:{lineno} ({data['id']})"

    # Optional fields, type-checked
    report = data.get("report")
    if report is not None and not isinstance(report, str):
        raise _error(path, lineno, "field 'report' must be a string or null")
    item = EvalItem(
        id=data["id"],
        question=data["question"],
        kind=kind,
        report=report or None,
        must_include=_strings(data, "must_include", path, lineno),
        any_of=_groups(data, "any_of", path, lineno),
        list_items=_groups(data, "list_items", path, lineno),
        must_not_include=_strings(data, "must_not_include", path, lineno),
        evidence=_strings(data, "evidence", path, lineno),
        history=_history(data, path, lineno),
        dataset=path.stem,
    )

    # Combinations the scorer would silently ignore
    if item.list_items and kind != "list":
        logger.warning("%s: list_items on a %r question are not scored (only 'list' questions)", where, kind)
    if kind == "list" and not item.list_items:
        logger.warning("%s: 'list' question without list_items; it has no list recall", where)
    return item


def _strings(data: dict, name: str, path: Path, lineno: int) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(_is_text(s) for s in value):
        raise _error(path, lineno, f"field {name!r} must be a list of non-empty strings")
    return list(value)


def _groups(data: dict, name: str, path: Path, lineno: int) -> list[list[str]]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(path, lineno, f"field {name!r} must be a list of groups (lists of strings)")
    for index, group in enumerate(value):
        if not isinstance(group, list) or not group or not all(_is_text(s) for s in group):
            raise _error(path, lineno, f"{name}[{index}] must be a non-empty list of non-empty strings")
    return [list(group) for group in value]


def _history(data: dict, path: Path, lineno: int) -> list[Turn]:
    value = data.get("history")
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(path, lineno, "field 'history' must be a list of {role, content} objects")
    turns = []
    for index, turn in enumerate(value):
        if not isinstance(turn, dict) or turn.get("role") not in ROLES or not isinstance(turn.get("content"), str):
            raise _error(path, lineno, f"history[{index}] must be {{\"role\": \"user\"|\"assistant\", \"content\": str}}")
        turns.append(Turn(role=turn["role"], content=turn["content"]))
    return turns


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _error(path: Path, lineno: int, message: str) -> EvalSetError:
    return EvalSetError(f"{path}:{lineno}: {message}")
