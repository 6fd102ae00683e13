"""Hybrid retrieval: FAISS dense + jieba BM25 over chunks, fused by reciprocal rank, then
sentences and records scored against the question inside the reports in scope."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from assistant.config import RetrievalSettings
from assistant.term_match import TextColumn, occurs
from index.search import SearchFilters
from ingest.lexicon import load_lexicon
from index.tokenize import default_tokenizer, normalize, normalize_cached, tokenize
from ingest.models import Issue, RecordKind, Report

_NUMBER = r"\d+(?:\.\d+)?"
_LEADING_NUMBER = re.compile(r"^\s*(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}\s*[.．、])")
# A figure of each kind a question may ask for.
_UNIT_PATTERNS = {
    # a bare 万 is money only where no other measure follows it (5万吨, 3万人 are not)
    "money": re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*(?:万元|亿元|元|万(?:余|多)?元|万(?![\u4e00-\u9fff]))"),
    "percent": re.compile(rf"{_NUMBER}\s*%|百分之"),
    "phone": re.compile(r"\d{3,4}-\d{7,8}|\d{7,}"),
    # a document number: issuer, year in brackets, serial (鹤教党〔2024〕21号, 鹭审报[2024]23号)
    "docno": re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d+\s*号"),
    # 第一责任人 / 第一时间 / 第一副组长 are set phrases, not a place in an order
    "ordinal": re.compile(r"第\s*[\d一二三四五六七八九十]+(?!责任人|时间|副|书记)"),
    "day": re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"),
    "date": re.compile(r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"),
}


# Units answered by a name (a person, a post, a company), not by a figure.
NAMED_UNITS = ("person", "name", "body", "title")


class _PersonName:
    """Finds who holds a role: a person's name (jieba part-of-speech nr) or, unless only a
    name will do (叫什么名字), a post that reports name instead of people (主要负责同志)."""

    def __init__(self, posts: bool = True):
        self.posts = posts
        words = "|".join(map(re.escape, sorted(load_lexicon().data["query"]["posts"], key=len, reverse=True)))
        # a post said to hold a role (由党委书记、董事长任组长), or a responsible person named by post
        self._post = re.compile(rf"负责同志|负责人|由[^，,。；;]{{0,16}}?(?:{words})[^，,。；;]{{0,4}}?(?:任|担任|兼任)")
        # a name the dictionary does not know, between its post and the role it takes
        # (副院长郑爱东为办公室主任, 由局长王立新同志任组长): 2–3 characters, no word of their own
        self._named_post = re.compile(rf"(?:{words})(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:同志)?(?:为|任|担任|兼任)")

    def search(self, text: str) -> bool:
        if self.posts and self._post.search(text):
            return True
        # a name is two or three characters; jieba tags some four-character phrases nr (严肃处理)
        if any(w.flag == "nr" and 2 <= len(w.word) <= 3 for w in default_tokenizer().pos_cut(text)):
            return True
        return any(self._unknown_name(m.group("name")) for m in self._named_post.finditer(text))

    @staticmethod
    def _unknown_name(name: str) -> bool:
        """No dictionary word of two characters or more inside (办公室, 组长 are no names)."""
        tokenizer = default_tokenizer()
        return not any(tokenizer.knows(name[i:j]) for i in range(len(name)) for j in range(i + 2, len(name) + 1))


_QUOTED_TITLE = re.compile(r"[“「《\"][^”」》\"]{2,30}[”」》\"]")


@cache
def unit_pattern(unit: str | None):
    """A matcher (with .search) that finds a figure of the wanted kind, e.g. "17906张"
    for unit 张, a date, a phone number, a person's name."""
    if unit is None:
        return None
    if unit in ("person", "name"):
        return _PersonName(posts=unit == "person")
    if unit == "title":
        return _QUOTED_TITLE      # a plan, project or document named in quotes: “领航计划”
    if unit == "body":
        # a named company, firm or institution (某某建设有限公司), never a bare 子公司
        endings = sorted(load_lexicon().institutions("company_endings"), key=len, reverse=True)
        return re.compile(r"[\u4e00-\u9fffA-Za-z]{2,12}(?<![子分本该])(?:" + "|".join(map(re.escape, endings)) + ")")
    if unit in _UNIT_PATTERNS:
        return _UNIT_PATTERNS[unit]
    if unit in ("个", "项", "条"):      # "几个" asks for any counted thing: 3名, 5家, 19个
        return re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*[个项条名人家件次台所张位处批]")
    words = sorted(load_lexicon().measure_words(unit), key=len, reverse=True)
    return re.compile(rf"{_NUMBER}\s*(?:余|多)?\s*(?:{'|'.join(map(re.escape, words))})")


def _column_coverage(column: TextColumn, weights: tuple[list[tuple[str, float]], float],
                     positions: np.ndarray) -> np.ndarray:
    """`Retriever._coverage` of every text of a column at `positions` at once: the same
    weights added in the same order, so the same floats."""
    weighted, total = weights
    found = np.zeros(len(positions))
    if not total:
        return found
    for term, weight in weighted:
        found += weight * column.mask(term)[positions]
    return found / total


def _is_word(term: str) -> bool:
    """Whether jieba's dictionary knows `term` as a word (not a by-product of its HMM)."""
    return default_tokenizer().knows(term)


@dataclass
class ScoredSentence:
    """A candidate answer sentence with the parts of its score."""

    index: int                     # position in LoadedIndex.sentences
    score: float
    dense: float
    coverage: float                # IDF-weighted share of question terms in the sentence
    context: float                 # … in the sentence's whole record
    has_unit: bool


@dataclass(slots=True)
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
        self._corpus_norm = "\n".join(normalize(r.body) for r in index.reports.values())
        self._idf = self._inverse_document_frequency()
        self._problem_sentences = self._problem_sentence_index()
        # Issues of each report in report order: scoring the issues of one report must not
        # walk every record of the store
        self._issues_of: dict[str, list[str]] = defaultdict(list)
        for rid, (rec, rep) in self.records.items():
            if rec.kind is RecordKind.ISSUE:
                self._issues_of[rep.report_id].append(rid)
        self._report_rank = {report_id: n for n, report_id in enumerate(index.reports)}

    def sentence_norm(self, index: int) -> str:
        """Normalised text of sentence `index`."""
        return self._sentence_norm[index]

    def sentence_body(self, index: int) -> str:
        """Normalised sentence without a leading heading number ("15.", "(15)"), which
        is not a figure the sentence states."""
        return _LEADING_NUMBER.sub("", self._sentence_norm[index])

    def window_norm(self, index: int) -> str:
        """Normalised text of sentence `index` and the sentence before it in its record:
        a subject named in one sentence is often what the next one is about."""
        sentences = self.index.sentences
        if index > 0 and sentences[index - 1].record_id == sentences[index].record_id:
            return self._sentence_norm[index - 1] + self._sentence_norm[index]
        return self._sentence_norm[index]

    # --- term weights ---------------------------------------------------------------

    def content_terms(self, terms: list[str]) -> list[str]:
        """Question words worth matching. A word found nowhere in the corpus and in no
        dictionary is a segmentation artefact ("组是", "巡了"): dropped. A real word the
        corpus lacks ("大楼") stays, and counts as missing."""
        corpus = self._corpus_norm
        return [t for t in dict.fromkeys(terms) if occurs(t, corpus) or len(t) >= 3 or _is_word(t)]

    def _inverse_document_frequency(self) -> dict[str, float]:
        # The store keeps these counts (index/segments.py); cutting every sentence here
        # took 38 s at 1,000 reports. Counted here only for a store built before them.
        df = getattr(self.index, "sentence_df", None)
        if df is None:
            df = Counter()
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
        return self._coverage(self._weights(terms), text_norm)

    def _weights(self, terms: list[str], inherited: list[str] = (), factor: float = 1.0
                 ) -> tuple[list[tuple[str, float]], float]:
        """(term, IDF weight) pairs; `inherited` terms (from an earlier question) weigh
        `factor` times less than the question's own."""
        weighted = {t: self.idf(t) for t in terms}
        for t in inherited:
            weighted.setdefault(t, factor * self.idf(t))
        return list(weighted.items()), sum(weighted.values())

    @staticmethod
    def _coverage(weights: tuple[list[tuple[str, float]], float], text_norm: str) -> float:
        weighted, total = weights
        if not total:
            return 0.0
        return sum(w for t, w in weighted if occurs(t, text_norm)) / total

    def record_text_norm(self, record_id: str) -> str:
        """The normalised text of a record, by its id ("" for an unknown one)."""
        return self._record_norm.get(record_id, "")

    def record_norm(self, index: int) -> str:
        """Normalised text of the record sentence `index` belongs to."""
        return self._record_norm[self.index.sentences[index].record_id]

    def absent_share(self, terms: list[str], report_ids: list[str]) -> float:
        """IDF-weighted share of terms that occur nowhere in the reports in scope."""
        if not terms:
            return 0.0
        texts = [normalize_cached(self.index.reports[r].body) for r in report_ids]
        total = sum(self.idf(t) for t in terms)
        absent = sum(self.idf(t) for t in terms if not any(occurs(t, text) for text in texts))
        return absent / total if total else 0.0

    def figure_clause_coverage(self, index: int, terms: list[str], unit: str | None) -> float:
        """Share of `terms` in the clause that holds the sentence's figure of the kind asked
        for (and the clause before it): 「其中安排到乡村学校98名」 holds 98, but not 补助."""
        text = self.sentence_body(index)
        pattern = unit_pattern(unit) if unit and unit not in NAMED_UNITS else re.compile(r"\d")
        match = pattern.search(text) if pattern is not None else None
        if match is None:
            return 0.0
        start = max(text.rfind(c, 0, match.start()) for c in "，,；;：:")
        before = max(text.rfind(c, 0, start) for c in "，,；;：:") if start > 0 else -1
        ends = [i for i in (text.find(c, match.end()) for c in "，,；;。") if i != -1]
        clause = text[before + 1:min(ends) if ends else len(text)]
        return self.coverage(terms, clause)

    # --- chunks ---------------------------------------------------------------------

    def _fused_chunks(self, query_text: str, query_vec: np.ndarray, report_ids: set[str]) -> dict[int, float]:
        """Reciprocal-rank fusion of the dense and BM25 chunk rankings, in scope."""
        k, scope = self.settings.candidate_chunks, SearchFilters.of(report_ids)
        fused: dict[int, float] = defaultdict(float)
        for hits in (self.index.dense.search(query_vec, k, scope), self.index.bm25.search(query_text, k, scope)):
            for rank, chunk_index in enumerate(hits.ids):
                fused[chunk_index] += 1.0 / (self.settings.rrf_k + rank)
        return fused

    def record_ranks(self, query_text: str, query_vec: np.ndarray, report_ids: set[str]) -> dict[str, float]:
        """The fused chunk scores summed per record, scaled to 0..1."""
        per_record: dict[str, float] = defaultdict(float)
        for chunk_index, score in self._fused_chunks(query_text, query_vec, report_ids).items():
            per_record[self.index.chunks[chunk_index].record_id] += score
        if not per_record:
            return {}
        top = max(per_record.values())
        return {rid: v / top for rid, v in per_record.items()}

    def chunk_ranking(self, query_text: str, query_vec: np.ndarray, report_ids: set[str], k: int) -> list[int]:
        """Chunk indices by fused rank (for the retrieval metrics and the baselines)."""
        fused = self._fused_chunks(query_text, query_vec, report_ids)
        return sorted(fused, key=fused.get, reverse=True)[:k]

    # --- sentences ------------------------------------------------------------------

    def sentences(self, terms: list[str], query_text: str, query_vec: np.ndarray,
                  report_ids: set[str], unit: str | None, limit: int = 10,
                  inherited: list[str] = (), record_ids: set[str] | None = None) -> list[ScoredSentence]:
        """Sentences of the reports in scope, best first. `inherited` terms come from the
        previous question of a follow-up and count for less; `record_ids` restricts the
        candidates to those records (a follow-up about the issue just answered)."""
        s = self.settings
        ranks = self.record_ranks(query_text, query_vec, report_ids)
        if record_ids is not None:
            ranks = {rid: ranks.get(rid, 1.0) for rid in record_ids}
            indices = [j for rid in record_ids for j in self.index.sentence_indices(rid)]
            dense = dict(zip(indices, self.index.sentence_similarities(query_vec, indices).tolist())) if indices else {}
        else:
            dense = self._sentence_dense(query_vec, ranks, report_ids)
        pattern = unit_pattern(unit)
        scored, context_of = [], {}
        weights = self._weights(terms, inherited, s.w_inherited)
        for i in sorted(dense):
            ref = self.index.sentences[i]
            coverage = self._coverage(weights, self._sentence_norm[i])
            if ref.record_id not in context_of:
                context_of[ref.record_id] = self._coverage(weights, self._record_norm[ref.record_id])
            context = context_of[ref.record_id]
            score = (s.w_dense * float(dense[i]) + s.w_coverage * coverage + s.w_context * context
                     + s.w_rank * ranks.get(ref.record_id, 0.0))
            scored.append(ScoredSentence(i, score, float(dense[i]), coverage, context, False))
        scored.sort(key=lambda x: x.score, reverse=True)
        if pattern is not None:
            # The figure check is costlier (a name needs a tagger): only for the front runners.
            scored = scored[: s.unit_checked]
            for cand in scored:
                cand.has_unit = bool(pattern.search(self.sentence_body(cand.index)))
                cand.score += s.w_unit if cand.has_unit else 0.0
            scored.sort(key=lambda x: x.score, reverse=True)
        return scored[:limit]

    def _sentence_dense(self, query_vec: np.ndarray, ranks: dict[str, float], report_ids: set[str]) -> dict[int, float]:
        """Cosine of the candidate sentences: the densest in scope plus every sentence of
        the records the chunk search ranked; no vector outside them is scored."""
        hits = self.index.sentence_search(query_vec, self.settings.candidate_sentences, SearchFilters.of(report_ids))
        dense = dict(zip(hits.ids, hits.scores))
        extra = [j for rid in ranks for j in self.index.sentence_indices(rid) if j not in dense]
        if extra:
            dense.update(zip(extra, self.index.sentence_similarities(query_vec, extra).tolist()))
        return dense

    # --- records --------------------------------------------------------------------

    def _problem_sentence_index(self) -> dict[str, list[int]]:
        """Sentences of each issue that state the problem (before the rectification text)."""
        out = {}
        for rid, (rec, rep) in self.records.items():
            if rec.kind is not RecordKind.ISSUE:
                continue
            cut = rec.rectification_at if rec.rectification_at >= 0 else \
                (rec.end - len(rec.rectification) if rec.rectification else rec.end)
            out[rid] = [i for i in self.index.sentence_indices(rid) if self.index.sentences[i].start < cut]
        return out

    def states_problem(self, index: int) -> bool:
        """Whether sentence `index` is part of its issue's problem statement."""
        ref = self.index.sentences[index]
        return index in self._problem_sentences.get(ref.record_id, ())

    def problem_sentences_about(self, record_id: str, terms: list[str], limit: int = 2) -> list[int]:
        """Up to `limit` sentences of an issue's problem statement holding topic words,
        best first by share of words, then in document order."""
        weights = self._weights(terms)
        scored = [(self._coverage(weights, self._sentence_norm[i]), i) for i in self._problem_sentences.get(record_id, [])]
        best = sorted((c, i) for c, i in scored if c > 0)[::-1][:limit]
        return sorted(i for _, i in best)

    def score_issues(self, terms: list[str], topic_vec: np.ndarray | None,
                     report_ids: set[str], candidates: list[str] | None = None) -> list[ScoredRecord]:
        """Every issue in scope (or among `candidates`) scored against a topic, best first."""
        wanted = set(candidates) if candidates is not None else None
        ordered = sorted((r for r in report_ids if r in self._report_rank), key=self._report_rank.get)
        ids = [rid for report_id in ordered for rid in self._issues_of.get(report_id, ())
               if wanted is None or rid in wanted]
        if not ids:
            return []
        positions = np.fromiter((self._issue_position[rid] for rid in ids), dtype=np.int64, count=len(ids))
        weights = self._weights(terms)
        heads, rectifications = self._issue_columns
        lex_p = _column_coverage(heads, weights, positions)
        lex_r = _column_coverage(rectifications, weights, positions)
        dense = self._issue_dense(topic_vec, positions)
        score = lex_p + self.settings.w_issue_rectification * lex_r + self.settings.w_issue_dense * dense
        order = np.argsort(-score, kind="stable")      # ties keep report and issue order
        records = self.records
        return [ScoredRecord(*records[ids[i]], *values) for i, *values in
                zip(order.tolist(), score[order].tolist(), lex_p[order].tolist(), lex_r[order].tolist(),
                    dense[order].tolist())]

    def _issue_dense(self, topic_vec: np.ndarray | None, positions: np.ndarray) -> np.ndarray:
        """Per issue, the best cosine of the topic to a sentence of its problem statement
        (0 for an issue without one); all issues' sentences scored in one call."""
        dense = np.zeros(len(positions))
        if topic_vec is None:
            return dense
        rows, offsets = self._problem_rows
        lengths = offsets[positions + 1] - offsets[positions]
        if not lengths.sum():
            return dense
        # the rows of each issue in turn: issue k's run starts at offsets[k]
        starts = np.cumsum(lengths) - lengths
        picked = rows[np.repeat(offsets[positions] - starts, lengths) + np.arange(lengths.sum())]
        sims = self.index.sentence_similarities(topic_vec, picked)
        has_rows = lengths > 0
        dense[has_rows] = np.maximum.reduceat(sims, starts[has_rows])
        return dense

    @cached_property
    def _problem_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The problem sentences of every issue in `_issue_position` order, and where each
        issue's run begins (one more offset at the end)."""
        runs = [self._problem_sentences.get(rid) or [] for rid in self._issue_position]
        offsets = np.zeros(len(runs) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(r) for r in runs])
        return np.array([row for run in runs for row in run], dtype=np.int64), offsets

    @cached_property
    def _issue_columns(self) -> tuple[TextColumn, TextColumn]:
        """(headline + problem + group, rectification) of every issue of the store, as
        columns in the order of `_issue_position`."""
        texts = [self._issue_texts(rid) for rid in self._issue_position]
        return TextColumn([t[0] for t in texts]), TextColumn([t[1] for t in texts])

    @cached_property
    def _issue_position(self) -> dict[str, int]:
        ids = (rid for report_id in self._report_rank for rid in self._issues_of.get(report_id, ()))
        return {rid: n for n, rid in enumerate(ids)}

    def _issue_texts(self, record_id: str) -> tuple[str, str]:
        """Normalised (headline + problem + group, rectification) of an issue; kept only in
        the columns, which hold them for every issue."""
        rec = self.records[record_id][0]
        return normalize(" ".join([rec.title, rec.problem, rec.group])), normalize(rec.rectification)
