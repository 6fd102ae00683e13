"""The API boundary (assistant/boundary.py): what Assistant.ask, the page and the CLI refuse
or repair before any work is done."""
from __future__ import annotations

import pytest

from assistant.boundary import check_request, clean_history
from assistant.config import BoundarySettings, Config

CONFIG = Config()
LIMIT = CONFIG.answer.max_question_chars


# --- questions ---------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["a", "县", "<b></b>", "？？？", "...", "&nbsp;", "  \n\t "])
def test_one_character_or_markup_only_questions_are_refused_with_a_hint(question):
    request = check_request(question, config=CONFIG)
    assert request.problem and "例如" in request.problem


def test_a_short_real_question_passes():
    assert check_request("医保", config=CONFIG).problem == ""


def test_lone_surrogate_in_the_question_is_refused_in_chinese():
    request = check_request("哪些问题\ud800仍在整改中", config=CONFIG)
    assert request.problem == "问题中含有无法识别的字符，请重新输入。"


def test_question_over_the_limit_is_refused_with_its_length():
    request = check_request("县" * (LIMIT + 1), config=CONFIG)
    assert f"{LIMIT + 1}字" in request.problem


def test_control_characters_become_spaces():
    assert check_request("哪些问题\x00仍在\x1b整改中", config=CONFIG).question == "哪些问题 仍在 整改中"


@pytest.mark.parametrize("question", [None, 5, ["哪些问题"], b"bytes"])
def test_a_question_that_is_not_text_is_refused(question):
    assert check_request(question, config=CONFIG).problem == "问题必须是一段文字。"


# --- report -----------------------------------------------------------------------------

@pytest.mark.parametrize("report", [5, ["县"], {"title": "县"}, 1.5])
def test_a_report_that_is_not_text_is_refused(report):
    assert "报告范围" in check_request("哪些问题仍在整改中", report=report, config=CONFIG).problem


def test_an_empty_report_means_all_reports():
    assert check_request("哪些问题仍在整改中", report="  ", config=CONFIG).report is None


# --- history ----------------------------------------------------------------------------

def test_a_user_turn_over_the_question_limit_is_dropped_with_its_answer():
    history = [{"role": "user", "content": "县" * 1_000_000}, {"role": "assistant", "content": "问题过长"},
               {"role": "user", "content": "哪些问题仍在整改中"}, {"role": "assistant", "content": "1. 甲\n2. 乙"}]
    kept, dropped = clean_history(history, CONFIG)
    assert [t["content"] for t in kept] == ["哪些问题仍在整改中", "1. 甲\n2. 乙"] and dropped == 2


def test_history_keeps_only_the_newest_turns_and_cuts_long_ones():
    config = Config(boundary=BoundarySettings(max_history_turns=4, max_turn_chars=10))
    history = [{"role": r, "content": f"{n}" * 50} for n in range(6) for r in ("user", "assistant")][:12]
    kept, _ = clean_history([{"role": t["role"], "content": t["content"][:5]} if t["role"] == "user" else t
                             for t in history], config)
    assert len(kept) == 4 and kept[-1]["content"] == "5" * 10


@pytest.mark.parametrize("history", ["not a list", 5, {"role": "user"}, [None, 3, "x"],
                                     [{"role": "user"}], [{"content": "问题"}], [{"role": "bot", "content": "x"}],
                                     [{"role": "user", "content": ["列表"]}]])
def test_malformed_history_is_dropped_not_fatal(history):
    kept, dropped = clean_history(history, CONFIG)
    assert kept == [] and dropped >= 1


def test_surrogates_in_history_are_removed():
    kept, _ = clean_history([{"role": "user", "content": "哪些\udc00问题"}], CONFIG)
    assert kept == [{"role": "user", "content": "哪些问题"}]


# --- through Assistant.ask --------------------------------------------------------------

def test_history_cannot_bypass_the_question_limit(bot, monkeypatch):
    asked = []
    original = bot._answer

    def recording(state, question, *args, **kwargs):
        asked.append(len(question))
        return original(state, question, *args, **kwargs)

    monkeypatch.setattr(bot, "_answer", recording)
    history = [{"role": "user", "content": "哪些问题仍在整改中" * 100_000}, {"role": "assistant", "content": "问题过长"}]
    bot.ask("第1个是怎么整改的？", history=history)
    assert asked and max(asked) <= LIMIT


@pytest.mark.parametrize("kwargs", [{"question": "哪些问题\ud800仍在整改中"}, {"question": "a"},
                                    {"question": "哪些问题仍在整改中", "report": 5},
                                    {"question": "哪些问题仍在整改中", "report": ["县"]}])
def test_ask_refuses_bad_input_with_an_unanswered_chinese_answer(bot, kwargs):
    answer = bot.ask(**kwargs)
    assert not answer.answered and answer.intent == "invalid" and answer.answer


@pytest.mark.parametrize("history", ["not a list", [None], [{"role": "user"}], [{"content": 3}],
                                     [{"role": "user", "content": "县\ud800里"}]])
def test_ask_with_malformed_history_still_answers(bot, history):
    assert bot.ask("哪些问题仍在整改中", history=history).answered


# --- the page ----------------------------------------------------------------------------

@pytest.fixture
def page(bot, sample_store, tmp_path):
    from assistant.page import ChatPage

    return ChatPage(bot, sample_store, tmp_path / "data", Config())


def _final(steps):
    *_, last = steps
    return last


def test_page_never_stores_a_rejected_question_in_the_history(page):
    from assistant.page import MODE_EXTRACTIVE
    from assistant.page_corpus import ALL_REPORTS

    _, turns, box, hint = _final(page.ask("县" * (LIMIT + 1), MODE_EXTRACTIVE, ALL_REPORTS, []))
    assert turns == [] and "问题过长" in hint


@pytest.mark.parametrize("question", ["", "   ", "a", "县" * (LIMIT + 1)])
def test_page_shows_input_problems_under_the_input_not_as_a_refused_answer(page, question):
    import gradio as gr
    from assistant.page import MODE_EXTRACTIVE
    from assistant.page_corpus import ALL_REPORTS

    chat, turns, box, hint = _final(page.ask(question, MODE_EXTRACTIVE, ALL_REPORTS, []))
    assert chat == gr.skip() and box == gr.skip()      # the chat is untouched, the text stays to be corrected
    assert 'class="rq-input-hint"' in hint and "未找到答案" not in hint


def test_page_clears_the_hint_after_an_accepted_question(page):
    from assistant.page import MODE_EXTRACTIVE
    from assistant.page_corpus import ALL_REPORTS

    _, turns, box, hint = _final(page.ask("哪些问题仍在整改中", MODE_EXTRACTIVE, ALL_REPORTS, []))
    assert len(turns) == 1 and box == "" and hint == ""
