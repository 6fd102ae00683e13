"""Checks on the gold evaluation sets in eval/sets (format: /work/shared/eval-format.md).

The key check: every gold string that claims to come from a report (evidence passages,
non-derived must_include strings, list-item aliases) really occurs in that report's text
after the format's normalisation.
"""
import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = ROOT / "eval" / "sets"
REPORTS_DIR = ROOT / "data" / "reports"
MAIN = SETS_DIR / "samples.jsonl"
DEV = SETS_DIR / "samples-dev.jsonl"
SET_FILES = [MAIN, DEV]

KINDS = {"fact", "number", "date", "list", "count", "how", "compare", "followup", "none"}
REQUIRED = {"id", "question", "kind"}
KNOWN_FIELDS = REQUIRED | {"report", "must_include", "any_of", "list_items",
                           "must_not_include", "evidence", "history"}
MIN_NONE_SHARE = 0.15

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, all whitespace removed, thousands separators inside numbers removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _WS.sub("", text)
    return _THOUSANDS.sub("", text)


def occurs(gold: str, text_norm: str) -> bool:
    """Substring match on normalised text; a digits-only gold string must be a whole number."""
    g = normalise(gold)
    if not g:
        return False
    if g.isdigit():
        return re.search(r"(?<![\d.])" + re.escape(g) + r"(?!\.?\d)", text_norm) is not None
    return g in text_norm


def load(path: Path):
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            rows.append((lineno, json.loads(line)))
    return rows


def _reports():
    out = {}
    for p in sorted(REPORTS_DIR.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        title = next(l.strip() for l in text.splitlines() if l.strip())
        out[title] = normalise(text)
    return out


REPORTS = _reports()


def all_rows():
    for path in SET_FILES:
        for lineno, row in load(path):
            yield path.name, lineno, row


def _ref(name, row):
    return f"{name}:{row.get('id')}"


def report_texts(row):
    """Normalised texts a question's source strings must come from."""
    rep = row.get("report")
    if rep is None:
        return list(REPORTS.values())
    return [t for title, t in REPORTS.items() if rep in title]


# ---------------------------------------------------------------- structure

def test_reports_found():
    assert len(REPORTS) == 2, sorted(REPORTS)


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.name)
def test_each_line_is_valid_json_with_required_fields(path):
    assert path.exists(), path
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{lineno} blank line"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{lineno}"
        missing = REQUIRED - row.keys()
        assert not missing, f"{path.name}:{lineno} missing {missing}"
        unknown = row.keys() - KNOWN_FIELDS
        assert not unknown, f"{path.name}:{lineno} unknown fields {unknown}"
        assert isinstance(row["id"], str) and row["id"].strip()
        assert isinstance(row["question"], str) and row["question"].strip()
        for field in ("must_include", "must_not_include", "evidence"):
            v = row.get(field) or []
            assert isinstance(v, list) and all(isinstance(s, str) and s.strip() for s in v), \
                f"{path.name}:{lineno} bad {field}"
        for field in ("any_of", "list_items"):
            v = row.get(field) or []
            assert isinstance(v, list), f"{path.name}:{lineno} bad {field}"
            for group in v:
                assert isinstance(group, list) and group and all(isinstance(s, str) and s.strip() for s in group), \
                    f"{path.name}:{lineno} bad {field} group {group!r}"


def test_kind_is_allowed():
    bad = [_ref(n, r) + f"={r['kind']}" for n, _, r in all_rows() if r["kind"] not in KINDS]
    assert not bad, bad


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.name)
def test_ids_unique_within_file(path):
    ids = [r["id"] for _, r in load(path)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.name)
def test_questions_unique_within_file(path):
    qs = [normalise(r["question"]) for _, r in load(path)]
    dupes = sorted({q for q in qs if qs.count(q) > 1})
    assert not dupes, dupes


def test_no_question_shared_between_files():
    main_q = {normalise(r["question"]) for _, r in load(MAIN)}
    dev_q = {normalise(r["question"]) for _, r in load(DEV)}
    shared = sorted(main_q & dev_q)
    assert not shared, shared


def test_report_is_substring_of_exactly_one_title():
    bad = []
    for name, _, row in all_rows():
        rep = row.get("report")
        if rep is None:
            continue
        matches = [t for t in REPORTS if isinstance(rep, str) and rep and rep in t]
        if len(matches) != 1:
            bad.append(f"{_ref(name, row)} report={rep!r} matches {matches}")
    assert not bad, bad


def test_history_turns_have_user_or_assistant_role():
    bad = []
    for name, _, row in all_rows():
        hist = row.get("history") or []
        if not isinstance(hist, list):
            bad.append(_ref(name, row))
            continue
        for turn in hist:
            if not (isinstance(turn, dict) and turn.get("role") in {"user", "assistant"}
                    and isinstance(turn.get("content"), str) and turn["content"].strip()):
                bad.append(f"{_ref(name, row)} {turn!r}")
    assert not bad, bad


def test_followup_questions_have_history():
    bad = [_ref(n, r) for n, _, r in all_rows() if r["kind"] == "followup" and not r.get("history")]
    assert not bad, bad


def test_list_questions_have_list_items():
    bad = [_ref(n, r) for n, _, r in all_rows() if r["kind"] == "list" and not r.get("list_items")]
    assert not bad, bad


def test_none_questions_carry_no_answer_strings():
    bad = [_ref(n, r) for n, _, r in all_rows()
           if r["kind"] == "none" and (r.get("must_include") or r.get("any_of") or r.get("list_items"))]
    assert not bad, bad


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.name)
def test_at_least_15_percent_none(path):
    rows = [r for _, r in load(path)]
    share = sum(r["kind"] == "none" for r in rows) / len(rows)
    assert share >= MIN_NONE_SHARE, f"{path.name}: none share {share:.1%}"


def test_every_kind_present_in_main_set():
    kinds = {r["kind"] for _, r in load(MAIN)}
    assert kinds == KINDS, sorted(KINDS - kinds)


def test_main_set_has_at_least_110_questions():
    assert len(load(MAIN)) >= 110


# ---------------------------------------------------------------- gold strings vs. source

def _missing(row, strings):
    texts = report_texts(row)
    return [s for s in strings if not any(occurs(s, t) for t in texts)]


def test_evidence_occurs_in_report():
    bad = []
    for name, _, row in all_rows():
        miss = _missing(row, row.get("evidence") or [])
        if miss:
            bad.append(f"{_ref(name, row)}: {miss}")
    assert not bad, bad


def test_must_include_occurs_in_report_unless_derived_number():
    bad = []
    for name, _, row in all_rows():
        strings = [s for s in row.get("must_include") or [] if not normalise(s).isdigit()]
        miss = _missing(row, strings)
        if miss:
            bad.append(f"{_ref(name, row)}: {miss}")
    assert not bad, bad


def test_list_item_aliases_occur_in_report():
    bad = []
    for name, _, row in all_rows():
        aliases = [a for group in row.get("list_items") or [] for a in group]
        miss = _missing(row, aliases)
        if miss:
            bad.append(f"{_ref(name, row)}: {miss}")
    assert not bad, bad


def test_normalisation_rules():
    assert normalise("１７，９０６ 张") == "17906张"
    assert occurs("14", normalise("反馈的14个问题"))
    assert not occurs("14", normalise("2014年"))
    assert not occurs("14", normalise("146条"))
    assert not occurs("15", normalise("15.39%"))
    assert occurs("发布时间：2025-09-30", normalise("发布时间: 2025-09-30"))


def test_split_is_fixed_by_id_and_keeps_phrasings_together():
    from eval.split import select_split, split_of

    assert split_of("pp-x-formal") == split_of("pp-x-colloquial") == split_of("pp-x-indirect") == split_of("pp-x")
    assert all(split_of(f"tw-{n}-yes") == split_of(f"tw-{n}-no") for n in range(40))     # twins together
    ids = [f"q{n}" for n in range(200)]
    halves = {split_of(i) for i in ids}
    assert halves == {"tune", "test"}
    assert [split_of(i) for i in ids] == [split_of(i) for i in ids]

    class Item:
        def __init__(self, id):
            self.id = id

    items = [Item(i) for i in ids]
    tune, test = select_split(items, "tune"), select_split(items, "test")
    assert len(tune) + len(test) == len(items) and not {i.id for i in tune} & {i.id for i in test}


@pytest.mark.parametrize("name", ["paraphrase.jsonl", "paraphrase2.jsonl", "paraphrase3.jsonl", "paraphrase4.jsonl"])
def test_paraphrase_set_has_three_phrasings_of_each_question(name):
    from collections import Counter

    from eval.dataset import load_eval_set
    from eval.split import base_id, phrasing

    items = load_eval_set(SETS_DIR / name)
    per_base = Counter(base_id(i.id) for i in items)
    assert len(per_base) >= 40 and set(per_base.values()) == {3}
    assert {phrasing(i.id) for i in items} == {"formal", "colloquial", "indirect"}
    # the phrasings of one question share its gold: only the words differ
    gold = {}
    for i in items:
        gold.setdefault(base_id(i.id), set()).add((i.kind, i.report, tuple(i.must_include)))
    assert all(len(g) == 1 for g in gold.values())


@pytest.mark.parametrize("name,least,kinds", [("fresh.jsonl", 100, KINDS), ("fresh2.jsonl", 100, KINDS),
                                              ("fresh3.jsonl", 100, KINDS), ("fresh5.jsonl", 100, KINDS),
                                              ("fresh6.jsonl", 100, KINDS),
                                              ("fresh7.jsonl", 60, {"followup", "none"}),
                                              ("fresh8.jsonl", 60, {"followup", "none"}),
                                              ("paraphrase4.jsonl", 120, {"none", "number", "fact", "list", "date",
                                                                          "count", "how"}),
                                              ("paraphrase3.jsonl", 135, {"none", "number", "fact", "list", "date",
                                                                          "count", "how"}),
                                              ("paraphrase2.jsonl", 120, {"none", "number", "fact", "list", "date",
                                                                          "count", "how"}),
                                              ("fresh4.jsonl", 80, {"none", "number", "fact", "list", "date",
                                                                    "count", "how"})])
def test_fresh_set_quotes_its_evidence_from_the_reports_it_names(name, least, kinds):
    """eval/sets/fresh*.jsonl were written from the ten reports alone by people who had not
    read the code; their evidence must be verbatim text of the report each names."""
    from eval.dataset import load_eval_set
    from ingest.readers import read_text

    dev = ROOT.parent / "shared" / "corpus-dev"
    if not dev.is_dir():
        pytest.skip("../shared/corpus-dev is not beside this checkout")
    paths = sorted(REPORTS_DIR.iterdir()) + [p for p in sorted(dev.iterdir()) if p.suffix in
                                             (".txt", ".docx", ".pdf", ".html", ".xlsx")]
    texts = [normalise(read_text(p)) for p in paths]
    items = load_eval_set(SETS_DIR / name)
    assert len(items) >= least and {i.kind for i in items} == kinds
    for item in items:
        scope = [t for t in texts if not item.report or normalise(item.report) in t[:300]]
        assert scope, item.id
        for passage in item.evidence:
            assert any(occurs(passage, t) for t in scope), (item.id, passage)
        if item.kind == "none":
            assert not (item.must_include or item.any_of or item.evidence), item.id


def test_the_twin_set_pairs_every_answerable_question_with_an_unanswerable_one():
    """eval/sets/fresh4.jsonl: each -yes question has a -no twin worded almost alike that
    the reports do not answer (a neighbouring figure, a plan, names only counted …)."""
    from eval.dataset import load_eval_set

    items = {i.id: i for i in load_eval_set(SETS_DIR / "fresh4.jsonl")}
    yes = [i for i in items if i.endswith("-yes")]
    assert len(yes) >= 40 and len(items) == 2 * len(yes)
    for key in yes:
        twin = items[key[:-len("-yes")] + "-no"]
        assert items[key].kind != "none" and twin.kind == "none"
