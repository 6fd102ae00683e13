"""What the page shows about reports and answers: per-report views that stay put when a
report is added, labels in words, source cards, nothing about the corpus before login."""
from __future__ import annotations

import re

import dataclasses
import json
from pathlib import Path

import pytest

from assistant.models import Answer, Citation
from assistant.page_corpus import (display_names, example_questions, overview_rows, report_examples,
                                   short_name, status_counts_long)
from assistant.page_render import SHOWN_CARDS, render_answer
from ingest.loader import load_report

ROOT = Path(__file__).resolve().parents[1]
CITY_REPORT = ROOT / "tests" / "fixtures" / "other-layout-city-health.md"


def _per_report(reports):
    """Everything the page derives, keyed by report."""
    names = display_names(reports)
    rows = {row[0]: row for row in overview_rows(reports)}
    chart = status_counts_long(reports)
    bars = {}
    for label, status, count in zip(chart["报告"], chart["状态"], chart["问题数"]):
        bars.setdefault(label, []).append((status, count))
    return {r.report_id: (names[r.report_id], rows[r.title], bars[names[r.report_id]],
                          report_examples(r, names[r.report_id])) for r in reports}


def test_adding_a_report_changes_nothing_about_the_others(bot):
    reports = list(bot.index.reports.values())
    before = _per_report(reports)
    after = _per_report([*reports, load_report(CITY_REPORT)])
    assert {rid: after[rid] for rid in before} == before
    assert set(after) - set(before)                      # and the new one is there


def test_existing_examples_stay_on_the_page_when_a_report_is_added(bot):
    reports = list(bot.index.reports.values())
    before = example_questions(reports)
    after = example_questions([*reports, load_report(CITY_REPORT)])
    assert set(before) <= set(after)


def _unnamed_county(bot):
    """The county report as a report that names no body at all (its level word names it)."""
    county = next(r for r in bot.index.reports.values() if r.level == "县" and not r.places)
    return dataclasses.replace(county, aliases=[])


def test_a_body_in_an_unnamed_place_is_called_by_its_level_and_name(bot):
    county = next(r for r in bot.index.reports.values() if r.level == "县" and not r.places)
    assert short_name(county) == "县卫健委"          # 我委 + 全县卫健系统, told from a 市卫健委


def test_colliding_short_names_are_told_apart_deterministically(bot):
    county = _unnamed_county(bot)
    twin = dataclasses.replace(county, report_id="twin", title="中共某县医保局党组关于巡察整改情况的报告",
                               date="2025-01-01")
    names = display_names([county, twin])
    assert short_name(county) == short_name(twin) == "县里"
    assert names[county.report_id] != names[twin.report_id]
    assert all(n.startswith("县里（") for n in names.values())
    assert display_names([twin, county]) == names          # independent of order
    chart = status_counts_long([county, twin])
    assert set(chart["报告"]) == set(names.values())     # and shown as such in the chart


def test_a_shared_name_is_not_used_for_a_count_example(bot):
    county = _unnamed_county(bot)
    twin = dataclasses.replace(county, report_id="twin", title="中共某县医保局党组关于巡察整改情况的报告")
    assert not any(q.endswith("被反馈了多少个问题") for q in example_questions([county, twin]))


# --- cards ------------------------------------------------------------------------------

def test_card_names_the_issue_position_in_words(bot):
    answer = bot.ask("哪些问题仍在整改中")
    html = render_answer(answer, "哪些问题仍在整改中", bot.index.reports)
    assert "第二部分（二）第3项：" in html
    assert '<span class="rq-label">二（二）3</span>' not in html


def test_a_card_of_a_non_issue_section_has_no_status_badge(bot):
    report = next(r for r in bot.index.reports.values() if r.level == "县")
    section = next(r for r in report.records if r.kind.value == "section")
    citation = Citation(report.title, report.source, section.section, section.label, None,
                        report.body[section.start:section.end], report.report_id, section.record_id,
                        section.start, section.end)
    html = render_answer(Answer("见[1]。", True, [citation]), "整改工作", bot.index.reports)
    assert "未标明" not in html and "rq-badge" not in html


def test_cards_after_the_first_three_are_folded(bot):
    answer = bot.ask("哪些问题仍在整改中")
    assert len(answer.citations) > SHOWN_CARDS
    html = render_answer(answer, "哪些问题仍在整改中", bot.index.reports)
    folded = html[html.index('<details class="rq-more">'):]
    assert f'data-cite="{SHOWN_CARDS + 1}"' in folded and 'data-cite="1"' not in folded
    assert f"展开其余 {len(answer.citations) - SHOWN_CARDS} 条引用原文" in folded


def test_a_how_answer_does_not_repeat_its_rectification_in_the_card(bot):
    answer = bot.ask("医共体建设未能达到预期目标是怎么整改的")
    assert answer.intent == "how"
    html = render_answer(answer, "医共体建设未能达到预期目标是怎么整改的", bot.index.reports)
    card = html[html.index('class="rq-card'):]
    passage = card[card.index("rq-passage"):card.index("<details")] if "rq-passage" in card else ""
    rectification = answer.answer.split("\n", 1)[1].split("[1]")[0].strip()
    # a condensed how answer joins verbatim pieces with ……; each piece is a quote
    long_sentence = max(re.split(r"。|……", rectification), key=len)
    assert long_sentence and long_sentence not in passage
    full = card[card.index("<details"):].replace("<mark>", "").replace("</mark>", "")
    assert "已在上方回答中引用" in card and long_sentence in full      # still there, folded


# --- before login -------------------------------------------------------------------------

def test_the_page_itself_holds_no_report_title_or_name(bot, sample_store, tmp_path):
    from assistant.config import Config
    from assistant.page import build_app

    app = build_app(bot, sample_store, tmp_path / "data", Config(), admins={"admin"})
    served = json.dumps(app.get_config_file(), ensure_ascii=False, default=str)
    for report in bot.index.reports.values():
        assert report.title not in served and report.source not in served
    assert "二院" not in served


def test_the_page_never_names_an_environment_variable(bot, sample_store, tmp_path):
    from assistant.config import Config
    from assistant.page import build_app

    served = json.dumps(build_app(bot, sample_store, tmp_path / "data", Config()).get_config_file(),
                        ensure_ascii=False, default=str)
    assert "RECTIFY_" not in served
