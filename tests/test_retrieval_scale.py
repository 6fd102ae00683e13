"""The retriever at scale: term weights from the store's sentence counts (equal to the ones
it would count itself), and issues scored per report without walking the whole store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Config
from assistant.retrieval import Retriever
from index.build import build_index
from index.loaded import load_store
from test_index_segments import SAMPLE_CORPUS, HashEmbedder


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for path in SAMPLE_CORPUS.iterdir():
        shutil.copy(path, corpus / path.name)
    store = tmp_path_factory.mktemp("store")
    build_index(corpus, store, embedder=HashEmbedder(), progress=False)
    return load_store(store)


def test_idf_from_the_store_counts_equals_idf_counted_from_the_sentences(index):
    from_store = Retriever(index, Config().retrieval)
    kept, index.sentence_df = index.sentence_df, None
    try:
        counted = Retriever(index, Config().retrieval)
    finally:
        index.sentence_df = kept
    assert from_store._idf == counted._idf and from_store._max_idf == counted._max_idf


def test_scoring_one_reports_issues_equals_scoring_all_restricted_to_that_report(index):
    retriever = Retriever(index, Config().retrieval)
    one = next(iter(index.reports))
    every = [s for s in retriever.score_issues(["医保", "基金"], None, set(index.reports))
             if s.report.report_id == one]
    alone = retriever.score_issues(["医保", "基金"], None, {one})
    assert [(s.record.record_id, s.score) for s in alone] == [(s.record.record_id, s.score) for s in every]
    assert alone and all(s.record.kind.value == "issue" for s in alone)


# --- the store-wide paths give what the per-text ones gave ------------------------------

_TERMS = ["医保", "公车", "公务用车", "招投标", "引不进", "未完成", "已完成", "整改", "基金", "不存在的词语"]


def test_a_text_column_finds_a_term_in_exactly_the_texts_occurs_finds_it_in(index):
    from assistant.term_match import TextColumn, occurs

    texts = [r.text for report in index.reports.values() for r in report.records]
    # counter-examples: an abbreviation's gap never crosses a line or a text's end
    texts += ["公务用车", "公\n车", "公", "车辆", "引进难", "未完成整改", ""]
    column = TextColumn(texts)
    for term in _TERMS:
        expected = [n for n, text in enumerate(texts) if occurs(term, text)]
        assert column.holding(term).tolist() == expected, term
    found = column.holding("公车").tolist()
    assert len(texts) - 7 in found                 # 公务用车: the characters in order
    assert len(texts) - 6 not in found             # 「公\n车」: not across a line
    assert len(texts) - 5 not in found and len(texts) - 4 not in found    # 公 | 车辆: not across texts
    assert len(texts) - 3 in column.holding("引不进").tolist()            # 引进难 without its 不
    assert len(texts) - 2 not in column.holding("已完成").tolist()        # 未完成 is not 已完成


def test_issues_scored_at_once_equal_issues_scored_one_by_one(index):
    import numpy as np

    retriever = Retriever(index, Config().retrieval)
    settings = Config().retrieval
    topic = np.asarray(index.sentence_vectors[3], dtype=np.float32)
    for terms in (["医保", "基金"], ["公车", "招投标", "整改"], []):
        weights = retriever._weights(terms)
        expected = []
        for report_id in index.reports:
            for rid in retriever._issues_of.get(report_id, ()):
                head, rectification = retriever._issue_texts(rid)
                lex_p, lex_r = retriever._coverage(weights, head), retriever._coverage(weights, rectification)
                rows = retriever._problem_sentences.get(rid)
                dense = float(np.max(index.sentence_vectors[rows] @ topic)) if rows else 0.0
                score = lex_p + settings.w_issue_rectification * lex_r + settings.w_issue_dense * dense
                expected.append((rid, score, lex_p, lex_r))
        expected.sort(key=lambda e: e[1], reverse=True)
        got = retriever.score_issues(terms, topic, set(index.reports))
        # the lexical shares are the same floats, not close ones (full coverage, 0.99, is
        # compared with them); cosines batched in BLAS may differ in the last float32 bit
        assert [(s.record.record_id, s.lexical_problem, s.lexical_rectification) for s in got] == \
            [(rid, lex_p, lex_r) for rid, _, lex_p, lex_r in expected]
        assert [s.score for s in got] == pytest.approx([e[1] for e in expected], rel=1e-6)
        assert got and (not terms or any(s.lexical_problem > 0 for s in got))


def test_similarities_of_many_float16_rows_from_faiss_equal_numpys():
    import numpy as np

    from index.search import MAX_CONVERTED_ROWS, RowScope, VectorRowSearch

    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(3 * MAX_CONVERTED_ROWS, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    search = VectorRowSearch.in_faiss(vectors.astype(np.float16), RowScope(["r"] * len(vectors), [f"r-{n // 4}" for n in range(len(vectors))]))
    query = vectors[5]
    rows = rng.choice(len(vectors), MAX_CONVERTED_ROWS + 500, replace=False)      # unsorted
    expected = search.vectors[rows].astype(np.float32) @ query
    assert search._faiss is not None
    assert np.allclose(search.similarities(query, rows), expected, atol=1e-5)
    few = rows[:10]
    assert np.allclose(search.similarities(query, few), expected[:10], atol=1e-6)


def test_a_name_many_reports_share_scopes_one_search_and_listed_names_are_compared(bot):
    from assistant.scope import Scope

    ids = [f"r{n}" for n in range(40)]
    limit = bot.config.answer.compare_max_reports
    assert not bot._compares(Scope(ids, True, ["教育局"]))              # 40 教育局 in a province
    assert bot._compares(Scope(ids[:2], True, ["教育局"]))              # two of them: side by side
    named = [f"单位{n}" for n in range(limit + 1)]
    assert bot._compares(Scope(ids[:limit + 1], True, named))          # each body named: compared
    assert not bot._compares(Scope(ids[:1], True, ["教育局"]))
