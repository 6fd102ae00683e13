"""Shared fixtures: one index of the sample corpus and one loaded assistant per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "data" / "reports"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """A store built from the shipped sample reports (built once per test session)."""
    from index.build import build_index

    corpus = tmp_path_factory.mktemp("corpus")
    for path in SAMPLE_CORPUS.iterdir():
        shutil.copy(path, corpus / path.name)
    store = tmp_path_factory.mktemp("store")
    result = build_index(corpus, store, progress=False)
    assert result.errors == [] and result.reports == 2
    return store


@pytest.fixture(scope="session")
def bot(sample_store):
    from assistant.assistant import Assistant
    from assistant.config import Config

    return Assistant.load(sample_store, Config())


def assistant_over(tmp_path_factory, reports: dict[str, str]):
    """An assistant over a small store of the given reports (file name -> text), for a test
    module's own layouts; every report must be read."""
    from assistant.assistant import Assistant
    from assistant.config import Config
    from index.build import build_index

    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in reports.items():
        (corpus / name).write_text(text, encoding="utf-8")
    store = tmp_path_factory.mktemp("store")
    assert build_index(corpus, store, progress=False).reports == len(reports)
    return Assistant.load(store, Config())
