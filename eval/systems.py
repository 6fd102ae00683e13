"""The configurations compared by `rectify eval`, all over the same index and questions.

(1) BM25 only, (2) dense only, (3) hybrid retrieval with an answer made of the top-k
passages, (4) a plain LlamaIndex pipeline (eval/baseline_llamaindex.py), (5) the full
assistant. The first three show how far retrieval alone carries.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from assistant.citations import cite
from eval.dataset import EvalItem

CITED_PASSAGES = 5
logger = logging.getLogger(__name__)


def _history(item: EvalItem) -> list[dict]:
    return [{"role": t.role, "content": t.content} for t in item.history]


@dataclass
class AssistantSystem:
    """The full assistant. `use_report_field` passes the item's `report` as the scope,
    as the page's report selector would; off, the assistant must infer it."""

    bot: object
    use_report_field: bool = True
    name: str = "rectify"

    def answer(self, item: EvalItem) -> dict:
        report = item.report if self.use_report_field else None
        return self.bot.ask(item.question, history=_history(item), report=report).to_dict()

    def retrieve(self, question: str, k: int) -> list[str]:
        retriever = self.bot.retriever
        index = retriever.index
        qvec = self.bot.embed_query(question)
        ranking = retriever.chunk_ranking(question, qvec, set(index.reports), k)
        return [index.chunks[i].passage for i in ranking]


@dataclass
class RetrievalOnlySystem:
    """Answers with the top passages of one ranking: 'bm25', 'dense' or 'hybrid'."""

    bot: object
    ranking: str
    answer_passages: int = 1
    name: str = ""

    def __post_init__(self) -> None:
        if self.ranking not in ("bm25", "dense", "hybrid"):
            raise ValueError(f"unknown ranking {self.ranking!r}")
        self.name = self.name or f"{self.ranking}-top{self.answer_passages}"

    def _ranked(self, question: str, k: int) -> list[int]:
        retriever = self.bot.retriever
        index = retriever.index
        if self.ranking == "bm25":
            return [i for i, _ in index.bm25_search(question, k)]
        qvec = self.bot.embed_query(question)
        if self.ranking == "dense":
            return [i for i, _ in index.dense_search(qvec, k)]
        return retriever.chunk_ranking(question, qvec, set(index.reports), k)

    def retrieve(self, question: str, k: int) -> list[str]:
        index = self.bot.retriever.index
        return [index.chunks[i].passage for i in self._ranked(question, k)]

    def answer(self, item: EvalItem) -> dict:
        retriever = self.bot.retriever
        ranked = self._ranked(item.question, CITED_PASSAGES)
        citations = []
        for i in ranked:
            chunk = retriever.index.chunks[i]
            record, report = retriever.records[chunk.record_id]
            citations.append(cite(report, record, chunk.start, chunk.end).to_dict())
        text = "\n".join(c["text"] for c in citations[: self.answer_passages])
        return {"answer": text, "answered": bool(citations), "citations": citations}


def build_systems(bot, corpus_dir: str, names: list[str] | None = None,
                  use_report_field: bool = True) -> list:
    """The configurations to run, the full assistant last (the report lists its failures)."""
    from eval.baseline_llamaindex import PlainLlamaIndexBaseline

    factories = {
        "bm25": lambda: RetrievalOnlySystem(bot, "bm25"),
        "dense": lambda: RetrievalOnlySystem(bot, "dense"),
        "hybrid": lambda: RetrievalOnlySystem(bot, "hybrid", answer_passages=3),
        "llamaindex": lambda: PlainLlamaIndexBaseline(corpus_dir),
        "rectify": lambda: AssistantSystem(bot, use_report_field),
        "rectify-noscope": lambda: AssistantSystem(bot, False, name="rectify-noscope"),
    }
    names = names or ["bm25", "dense", "hybrid", "llamaindex", "rectify"]
    unknown = [n for n in names if n not in factories]
    if unknown:
        raise ValueError(f"未知的评测配置：{', '.join(unknown)}（可选：{', '.join(factories)}）")
    ordered = [n for n in names if n != "rectify"] + (["rectify"] if "rectify" in names else [])
    systems = []
    for name in ordered:
        try:
            systems.append(factories[name]())
        except (OSError, ValueError) as exc:     # a baseline that cannot run on this corpus
            if name.startswith("rectify"):
                raise
            logger.warning("跳过配置 %s：%s", name, exc)
    return systems
