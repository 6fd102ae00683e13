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
