"""Hybrid retrieval: FAISS dense + jieba BM25 over chunks, fused by reciprocal rank, then
sentences and records scored against the question inside the reports in scope."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from assistant.config import RetrievalSettings
from index.tokenize import normalize, tokenize
from ingest.models import Issue, RecordKind, Report

_NUMBER = r"\d+(?:\.\d+)?"
# A figure of each kind a question may ask for.
_UNIT_PATTERNS = {
    "money": re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*(?:万元|亿元|元|万)"),
    "percent": re.compile(rf"{_NUMBER}\s*%|百分之"),
    "date": re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"),
}


def unit_pattern(unit: str | None) -> re.Pattern | None:
    """A regex that finds a figure of the wanted kind, e.g. "17906张" for unit 张."""
    if unit is None:
        return None
    if unit in _UNIT_PATTERNS:
        return _UNIT_PATTERNS[unit]
    if unit in ("个", "项", "条"):
        return re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*[个项条]")
    if unit in ("人", "名", "人次"):
        return re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*(?:人次|人|名)")
    return re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*{re.escape(unit)}")


@dataclass
class ScoredSentence:
    """A candidate answer sentence with the parts of its score."""

    index: int                     # position in LoadedIndex.sentences
    score: float
    dense: float
    coverage: float                # IDF-weighted share of question terms in the sentence
    context: float                 # … in the sentence's whole record
    has_unit: bool


@dataclass
class ScoredRecord:
    record: Issue
    report: Report
    score: float
    lexical_problem: float         # terms found in the headline / problem / group
    lexical_rectification: float   # terms found in the rectification text
    dense: float                   # best cosine of the topic to a problem sentence


class Retriever:
    """Scores chunks, sentences and records of a loaded index against a question."""

    def __init__(self, index, settings: RetrievalSettings):
        self.index = index
        self.settings = settings
        self.records: dict[str, tuple[Issue, Report]] = {
            rec.record_id: (rec, rep) for rep in index.reports.values() for rec in rep.records
        }
        self._sentence_norm = [normalize(s.text) for s in index.sentences]
        self._record_norm = {rid: normalize(rec.text) for rid, (rec, _) in self.records.items()}
        self._sentences_of_record: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(index.sentences):
            self._sentences_of_record[s.record_id].append(i)
        self._idf = self._inverse_document_frequency()
        self._problem_sentences = self._problem_sentence_index()

    def sentence_norm(self, index: int) -> str:
        """Normalised text of sentence `index`."""
        return self._sentence_norm[index]

    def window_norm(self, index: int) -> str:
        """Normalised text of sentence `index` and the sentence before it in its record:
        a subject named in one sentence is often what the next one is about."""
        sentences = self.index.sentences
        if index > 0 and sentences[index - 1].record_id == sentences[index].record_id:
            return self._sentence_norm[index - 1] + self._sentence_norm[index]
        return self._sentence_norm[index]

    # --- term weights ---------------------------------------------------------------

    def _inverse_document_frequency(self) -> dict[str, float]:
        df: Counter = Counter()
        for text in self._sentence_norm:
            df.update(set(tokenize(text)))
        n = max(len(self._sentence_norm), 1)
        self._max_idf = math.log(1 + n)
        return {t: math.log(1 + n / (1 + c)) for t, c in df.items()}

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._max_idf)

    def coverage(self, terms: list[str], text_norm: str) -> float:
        """IDF-weighted share of `terms` that occur in `text_norm` (substring match, so a
        word jieba cut differently in the question and the report still counts)."""
        if not terms:
            return 0.0
        total = sum(self.idf(t) for t in terms)
        found = sum(self.idf(t) for t in terms if t in text_norm)
        return found / total if total else 0.0

    def absent_share(self, terms: list[str], report_ids: list[str]) -> float:
        """IDF-weighted share of terms that occur nowhere in the reports in scope."""
        if not terms:
            return 0.0
        texts = [normalize(self.index.reports[r].body) for r in report_ids]
        total = sum(self.idf(t) for t in terms)
        absent = sum(self.idf(t) for t in terms if not any(t in text for text in texts))
        return absent / total if total else 0.0

    # --- chunks ---------------------------------------------------------------------

    def record_ranks(self, query_text: str, query_vec: np.ndarray, report_ids: set[str]) -> dict[str, float]:
        """Reciprocal-rank fusion of dense and BM25 chunk rankings, per record, 0..1."""
        k = self.settings.candidate_chunks
        fused: dict[str, float] = defaultdict(float)
        for ranking in (self.index.dense_search(query_vec, k), self.index.bm25_search(query_text, k)):
            rank = 0
            for chunk_index, _ in ranking:
                chunk = self.index.chunks[chunk_index]
                if chunk.report_id not in report_ids:
                    continue
                fused[chunk.record_id] += 1.0 / (self.settings.rrf_k + rank)
                rank += 1
        if not fused:
            return {}
        top = max(fused.values())
        return {rid: v / top for rid, v in fused.items()}

    def chunk_ranking(self, query_text: str, query_vec: np.ndarray, report_ids: set[str], k: int) -> list[int]:
        """Chunk indices by fused rank (for the retrieval metrics and the baselines)."""
        scores: dict[int, float] = defaultdict(float)
        for ranking in (self.index.dense_search(query_vec, self.settings.candidate_chunks),
                        self.index.bm25_search(query_text, self.settings.candidate_chunks)):
            rank = 0
            for chunk_index, _ in ranking:
                if self.index.chunks[chunk_index].report_id in report_ids:
                    scores[chunk_index] += 1.0 / (self.settings.rrf_k + rank)
                    rank += 1
        return sorted(scores, key=scores.get, reverse=True)[:k]

    # --- sentences ------------------------------------------------------------------

    def sentences(self, terms: list[str], query_text: str, query_vec: np.ndarray,
                  report_ids: set[str], unit: str | None, limit: int = 10) -> list[ScoredSentence]:
        """Sentences of the reports in scope, best first."""
        s = self.settings
        ranks = self.record_ranks(query_text, query_vec, report_ids)
        dense = self.index.sentence_vectors @ query_vec
        pattern = unit_pattern(unit)
        scored = []
        for i in self._candidate_sentences(dense, ranks, report_ids):
            ref = self.index.sentences[i]
            text = self._sentence_norm[i]
            coverage = self.coverage(terms, text)
            context = self.coverage(terms, self._record_norm[ref.record_id])
            has_unit = bool(pattern.search(text)) if pattern else False
            score = (s.w_dense * float(dense[i]) + s.w_coverage * coverage + s.w_context * context
                     + s.w_rank * ranks.get(ref.record_id, 0.0) + (s.w_unit if has_unit else 0.0))
            scored.append(ScoredSentence(i, score, float(dense[i]), coverage, context, has_unit))
        scored.sort(key=lambda x: x.score, reverse=True)
        return scored[:limit]

    def _candidate_sentences(self, dense: np.ndarray, ranks: dict[str, float], report_ids: set[str]) -> list[int]:
        """The densest sentences in scope plus every sentence of the records the chunk
        search ranked: bounded work however large the corpus grows."""
        order = np.argsort(-dense)
        chosen: set[int] = set()
        for i in order:
            if len(chosen) >= self.settings.candidate_sentences:
                break
            if self.index.sentences[i].report_id in report_ids:
                chosen.add(int(i))
        for rid in ranks:
            chosen.update(self._sentences_of_record[rid])
        return sorted(chosen)

    # --- records --------------------------------------------------------------------

    def _problem_sentence_index(self) -> dict[str, list[int]]:
        """Sentences of each issue that state the problem (before the rectification text)."""
        out = {}
        for rid, (rec, rep) in self.records.items():
            if rec.kind is not RecordKind.ISSUE:
                continue
            cut = rec.end - len(rec.rectification) if rec.rectification else rec.end
            out[rid] = [i for i in self._sentences_of_record[rid] if self.index.sentences[i].start < cut]
        return out

    def score_issues(self, terms: list[str], topic_vec: np.ndarray | None,
                     report_ids: set[str], candidates: list[str] | None = None) -> list[ScoredRecord]:
        """Every issue in scope (or among `candidates`) scored against a topic."""
        out = []
        for rid, (rec, rep) in self.records.items():
            if rec.kind is not RecordKind.ISSUE or rep.report_id not in report_ids:
                continue
            if candidates is not None and rid not in candidates:
                continue
            head = normalize(" ".join([rec.title, rec.problem, rec.group]))
            lex_p = self.coverage(terms, head)
            lex_r = self.coverage(terms, normalize(rec.rectification))
            dense = 0.0
            if topic_vec is not None and self._problem_sentences.get(rid):
                dense = float(np.max(self.index.sentence_vectors[self._problem_sentences[rid]] @ topic_vec))
            score = lex_p + self.settings.w_issue_rectification * lex_r + self.settings.w_issue_dense * dense
            out.append(ScoredRecord(rec, rep, score, lex_p, lex_r, dense))
        out.sort(key=lambda r: r.score, reverse=True)
        return out
