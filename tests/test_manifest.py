"""The parser against ../shared/corpus-dev/MANIFEST.md: for every development report, the
exact issues (label, group, a verbatim excerpt, status) and the totals the report states.

The manifest is read as data, so these tests restate no report's text; they skip where
the development corpus is not beside the checkout.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from ingest.loader import load_report

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
MANIFEST = DEV / "MANIFEST.md"
pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason="../shared/corpus-dev is not beside this checkout")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", text))


def _manifest() -> dict[str, dict]:
    """file name -> {"issues": [(label, group, excerpt, status)], "totals": {...}}"""
    if not MANIFEST.exists():
        return {}
    out: dict[str, dict] = {}
    current = None
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        head = re.match(r"## \d+\. `([^`]+)`", line)
        if head:
            current = out.setdefault(head.group(1), {"issues": [], "totals": {}})
        elif current is not None and line.startswith("totals: `"):
            current["totals"] = json.loads(line.split("`")[1])
        elif current is not None and re.match(r"\| \d+ \|", line):
            cells = [c.strip() for c in line.strip("|").split("|")]
            current["issues"].append((cells[1], cells[2], cells[3], cells[5]))
        elif line.startswith("## Overview"):
            current = None
    return out


EXPECTED = _manifest()


class _Parsed(dict):
    """Reports parsed on first use, so one unreadable file fails only its own tests."""

    def __missing__(self, name):
        self[name] = load_report(DEV / name)
        return self[name]


@pytest.fixture(scope="module")
def parsed():
    return _Parsed()


def _label(text: str) -> str:
    """The manifest's label and ours compared without separators: 1． / 1、 / 第一条 / （一）."""
    return _norm(text).rstrip(".、．").removesuffix("条")


def _group(text: str) -> str:
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", _norm(text)).rstrip("…")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_has_the_manifest_number_of_issues(parsed, name):
    assert len(parsed[name].issues) == len(EXPECTED[name]["issues"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_issue_has_the_manifest_status(parsed, name):
    got = [i.status.value for i in parsed[name].issues]
    assert got == [row[3] for row in EXPECTED[name]["issues"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_issue_has_the_manifest_label(parsed, name):
    got = [_label(i.numbers[-1] if i.numbers else i.label) for i in parsed[name].issues]
    assert got == [_label(row[0]) for row in EXPECTED[name]["issues"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_issue_sits_in_the_manifest_group(parsed, name):
    for issue, row in zip(parsed[name].issues, EXPECTED[name]["issues"]):
        if row[1] == "—":
            assert issue.group == "", issue.label
        else:
            assert _group(issue.group) and _group(row[1]).startswith(_group(issue.group)), (issue.label, issue.group)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_issue_holds_its_manifest_excerpt(parsed, name):
    for issue, row in zip(parsed[name].issues, EXPECTED[name]["issues"]):
        excerpt = _norm(row[2]).replace("‘", "“").replace("’", "”")
        text = _norm(issue.text).replace("‘", "“").replace("’", "”")
        assert excerpt in text, (issue.label, row[2])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_stated_totals_match_the_manifest(parsed, name):
    got = parsed[name].totals
    assert {k: got.get(k) for k in EXPECTED[name]["totals"]} == EXPECTED[name]["totals"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_total_is_read_that_the_manifest_does_not_state(parsed, name):
    assert set(parsed[name].totals) <= set(EXPECTED[name]["totals"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_report_that_agrees_with_its_totals_has_no_count_warning(parsed, name):
    report = parsed[name]
    if report.totals.get("problems") == len(report.issues):
        assert not any("报告自述" in w and "个问题" in w for w in report.warnings)
    else:
        assert any("报告自述" in w for w in report.warnings)
