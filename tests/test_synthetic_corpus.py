"""The synthetic corpus of the benchmarks: every layout parses to the issues and statuses
the generator meant, and generation is deterministic."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from make_synthetic_corpus import LAYOUTS, make_corpus, make_report, make_reports, parse_problems  # noqa: E402

# Reports per layout checked here: the numbers pick different issues, bodies and groupings.
_SAMPLE = (0, 7, 23)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_parses_to_the_issues_and_statuses_meant(layout, tmp_path):
    problems = {}
    for n in _SAMPLE:
        report = make_report(n, tmp_path, layout=layout)
        found = parse_problems(report)
        if found:
            problems[report.path.name] = found
    assert problems == {}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_report_is_the_same_bytes_on_every_run(layout, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_report(3, tmp_path / "a", layout=layout)
    second = make_report(3, tmp_path / "b", layout=layout)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_report_n_does_not_depend_on_the_corpus_size(tmp_path):
    small = make_corpus(3, tmp_path / "small")
    large = make_corpus(6, tmp_path / "large")
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:3]]


def test_a_mixed_corpus_uses_many_layouts_and_distinct_titles(tmp_path):
    reports = make_reports(40, tmp_path)
    assert len({r.layout for r in reports}) >= 6
    assert len({r.title for r in reports}) == len(reports)


def test_a_different_seed_gives_a_different_corpus(tmp_path):
    one = make_corpus(2, tmp_path / "one", seed=7)
    other = make_corpus(2, tmp_path / "other", seed=8)
    assert [p.read_bytes() for p in one] != [p.read_bytes() for p in other]
