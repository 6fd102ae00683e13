"""The retriever's term weights come from the store's sentence counts, and equal the ones
it would count itself."""
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
