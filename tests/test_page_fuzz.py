"""Fuzzing the boundary with hypothesis: the parser and loader on arbitrary text, and
`Assistant.ask` on arbitrary Unicode, never raise and never do unbounded work."""
from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is a dev extra (pip install -e '.[dev]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assistant.boundary import check_request  # noqa: E402
from assistant.config import Config  # noqa: E402
from ingest.loader import load_report_bytes  # noqa: E402
from ingest.models import ReadError  # noqa: E402
from ingest.parser import parse_report  # noqa: E402

# Report-like fragments make the parser take its real paths (headings, status sections, tables)
FRAGMENTS = st.sampled_from(["一、", "（一）", "1.", "（1）", "第一条", "问题一", "整改情况：", "已整改完成的问题",
                             "正在推进整改的问题", "\t", "\n", "序号\t存在问题\t整改措施\t完成情况\n", "共计8个问题",
                             "2024年3月", "<b>", "</段落>", "\x00", "\ud800", "\u202e", "　"])
REPORT_TEXT = st.lists(st.one_of(st.text(max_size=40), FRAGMENTS), max_size=60).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=80), st.text(max_size=3).map(lambda t: t * 2000),
                     st.lists(FRAGMENTS, max_size=20).map("".join))
TURN = st.one_of(st.none(), st.integers(), ANY_TEXT,
                 st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", 3]),
                                        "content": st.one_of(ANY_TEXT, st.none(), st.integers())}),
                 st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
HISTORY = st.one_of(st.none(), ANY_TEXT, st.integers(), st.lists(TURN, max_size=30))
REPORT = st.one_of(st.none(), ANY_TEXT, st.integers(), st.lists(st.text(max_size=5), max_size=2))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])


@FUZZ
@given(REPORT_TEXT)
def test_parse_report_never_raises_and_covers_its_body(text):
    try:
        report = parse_report(text, "fuzz.txt", "0" * 64)
    except ValueError as exc:          # its documented refusal (an empty body), which callers show
        assert str(exc) and not text.strip()
        return
    for record in report.records:
        assert record.text == report.body[record.start:record.end]


@FUZZ
@given(st.binary(max_size=2000) | REPORT_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_loader_refuses_or_parses_any_bytes(data):
    try:
        load_report_bytes(data, "fuzz.txt")
    except ReadError as exc:
        assert exc.message          # a Chinese reason, not a traceback


@FUZZ
@given(ANY_TEXT | st.integers() | st.none(), HISTORY, REPORT)
def test_the_boundary_bounds_every_request(question, history, report):
    config = Config()
    request = check_request(question, history, report, config)
    assert len(request.history) <= config.boundary.max_history_turns
    assert all(len(t["content"]) <= config.boundary.max_turn_chars for t in request.history)
    assert all(len(t["content"]) <= config.answer.max_question_chars for t in request.history if t["role"] == "user")
    if not request.problem:
        assert len(request.question) <= config.answer.max_question_chars


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(question=ANY_TEXT, history=HISTORY, report=REPORT)
def test_ask_never_raises_on_arbitrary_unicode(bot, question, history, report):
    answer = bot.ask(question, history=history, report=report)
    assert isinstance(answer.answer, str) and answer.answer
    assert isinstance(answer.answered, bool)
