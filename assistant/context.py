"""What every answering stage reads: one loaded generation and the settings it runs with.

A `Context` is built once per loaded store generation and replaced whole when the store
changes (never mutated), so one answer never mixes two generations.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.answerability import AnswerabilityModel
from assistant.config import AnswerSettings, Config
from assistant.retrieval import Retriever
from assistant.scope import NameFinder, ScopeResolver


@dataclass(frozen=True)
class Context:
    index: object                  # index.loaded.LoadedIndex
    retriever: Retriever
    scope: ScopeResolver
    names: NameFinder
    settings: AnswerSettings
    answerability: AnswerabilityModel

    @classmethod
    def of(cls, index, config: Config, answerability: AnswerabilityModel) -> "Context":
        reports = list(index.reports.values())
        return cls(index, Retriever(index, config.retrieval), ScopeResolver(reports), NameFinder(reports),
                   config.answer, answerability)
