"""All settings of the assistant in one place, with how each threshold was calibrated.

Defaults are literals here; `Config.from_env()` reads the few things an operator sets
(store, corpus, model and encoder, LLM endpoint). Nothing deeper in the code reads the
environment.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from index.embedding import DEFAULT_ENCODER, DEFAULT_EXPORT_DIR, EmbeddingSettings


@dataclass(frozen=True)
class RetrievalSettings:
    """Hybrid retrieval and sentence scoring.

    Weights combine a sentence's cosine to the question (m3e-small cosines bunch between
    0.65 and 0.9, so it mostly breaks ties), the IDF-weighted share of question terms in
    the sentence and in its record, the record's fused chunk rank, and whether it holds
    a figure of the kind asked for. Tuned on eval/sets/samples-dev.jsonl only.
    """

    candidate_chunks: int = 30          # per ranking (dense, BM25) before fusion
    candidate_sentences: int = 200      # densest sentences considered besides ranked records
    rrf_k: int = 60                     # reciprocal rank fusion constant (Cormack et al. 2009)
    unit_checked: int = 60              # front-runners checked for the figure a question wants
    w_inherited: float = 0.5            # a follow-up's words from the previous question weigh half
    w_dense: float = 1.0
    w_coverage: float = 1.0
    w_context: float = 0.3
    w_rank: float = 0.2
    w_unit: float = 0.3
    w_issue_rectification: float = 0.3  # topic words in the rectification count less
    w_issue_dense: float = 0.5

    def __post_init__(self) -> None:
        if self.candidate_chunks < 1 or self.candidate_sentences < 1:
            raise ValueError("candidate counts must be positive")
        if self.rrf_k < 1:
            raise ValueError("rrf_k must be positive")


@dataclass(frozen=True)
class AnswerSettings:
    """Which issues a question is about, and how much to quote. Whether to answer at all is
    one calibrated decision (assistant/answerability.py, fitted by `rectify calibrate`);
    the selection thresholds here were set on samples-dev.jsonl."""

    full_coverage: float = 0.99         # an issue whose problem holds every topic term is meant
    max_absent_share: float = 0.5       # share of key terms absent from the reports in scope
    topic_min_lexical: float = 0.5      # a topical list takes issues naming the topic …
    topic_min_dense: float = 0.80       # … or whose problem is this close to it …
    topic_min_lexical_rectification: float = 0.7   # … or whose rectification names it
    extra_sentence_margin: float = 0.08 # quote a second sentence when it scores this close
    # A question about the inspection itself (哪天反馈的, 哪个巡察组) is answered by the
    # report's opening sentence saying it, when that covers the question this nearly as well
    # as the best sentence (「收到反馈意见」: 落实…反馈意见整改方案 holds the words together).
    inspection_coverage_margin: float = 0.3
    section_min_coverage: float = 0.5   # 「下一步从哪几方面」 lists a section whose heading holds this share
    section_caption_max_chars: int = 30 # … or whose caption does: a line under the heading this short, not prose
    followup_max_topic_chars: int = 4   # a follow-up topic this short leans on the previous question
    max_issues_per_how: int = 4         # 「招投标问题怎么整改的」 when several issues name the topic
    # A comparison shows this many of one report's issues naming the topic (it was a bare 2
    # before it was named). Swept: 1, 2 and 3 give 741 of 774 on the tuning halves and 126 of
    # 130 on the own set, so the data does not fix it; 2 is kept.
    compare_issues_per_report: int = 2
    # A question naming several reports compares them side by side, as many as it names
    # names or up to this many; a name many reports share (教育局 in a province's store)
    # scopes one search over them instead.
    compare_max_reports: int = 6
    followup_max_depth: int = 2         # earlier turns re-read behind a follow-up of a follow-up
    # 「护理服务不够好这一条」 names the issue whose headline (at most this long) it nearly
    # quotes: one run of at least this many characters, this share of the headline
    headline_quote_max_chars: int = 20
    headline_quote_min_run: int = 4
    headline_quote_min_share: float = 0.6   # tuning halves: 0.4-0.6 772, 0.8-1.0 771 of 805
    followup_items_asked_max: int = 8   # 「它们的整改时限」 answers for at most this many items listed
    followup_focus_max_items: int = 3   # a follow-up searches the previous answer's issues when at most this many
    followup_item_min_share: float = 0.5   # a line of someone else's list matches the issue holding this share of its words
    candidate_answers: int = 30         # sentences checked for the figure a fact question wants
    max_question_chars: int = 500
    related_passages: int = 2           # 可能相关 passages offered with a refusal
    # A fact question of several parts quotes up to this many sentences, this long in all
    # (the issue's figure: about three sentences, 400 characters), from this many ranked.
    fact_max_sentences: int = 3
    fact_max_chars: int = 400
    fact_candidates_for_parts: int = 6
    # 「都成立过哪些工作专班」 names things mentioned across issues: every sentence holding
    # all the words the best one holds, up to this many, in report order. Fitted with
    # `python -m eval.sweep` on the tuning halves (535): 3 -> 504, 4 to 12 -> 505; 6 is
    # inside the plateau.
    mention_max_sentences: int = 6
    # 「哪些…上交了财政专户」: the other sentences stating the clause nearly as fully as the
    # best are quoted too. No tuning-half question reaches this (0.1, 0.2, 0.3 -> 741 of
    # 774); on the own set 0.1 loses its one question (125 of 130), 0.2 and 0.3 keep it (126);
    # 0.2, the stricter end that keeps it.
    which_things_coverage_margin: float = 0.2
    # A part asked of a figure or of an amount (「其中低保金那块有多少」) is stated by a clause
    # holding at least this share of the part's words. Swept the same way: 0.34 and 0.5 ->
    # 505, 0.67 and 1.0 -> 504; 0.5, the stricter end of the plateau.
    part_share: float = 0.5
    # A how answer quotes the measures (一是… / （1）…) within about this many characters;
    # the whole rectification text is in the source card.
    how_max_chars: int = 600
    # A how answer whose issue's measures never name the question's most specific word also
    # quotes the other issue of the report whose measures do, when at most this many other
    # issues' measures name it (a word many name, 处理 or 采取, is no thing asked about).
    # Swept on the tuning halves (665): 1, 2, 3 and 5 -> 633; 2, inside the plateau.
    how_elsewhere_max_issues: int = 2


@dataclass(frozen=True)
class LLMSettings:
    """Optional OpenAI-compatible endpoint; empty base_url means no LLM."""

    base_url: str = ""
    model: str = ""
    api_key: str = ""
    timeout_s: float = 20.0
    max_passages: int = 8


@dataclass(frozen=True)
class BoundarySettings:
    """Limits on what a caller may send to `Assistant.ask` (checked in assistant/boundary.py).

    The question itself is limited by `AnswerSettings.max_question_chars`. History is
    limited separately: a follow-up re-answers the previous question, so an unchecked
    history would bypass the question limit.
    """

    max_history_turns: int = 20         # messages kept, newest last; a follow-up reads only the last two
    max_turn_chars: int = 6000          # an assistant turn listing every issue of a 40-issue report is ~4,000
    max_report_chars: int = 200         # the longest sample title is 39 characters
    min_meaningful_chars: int = 2       # 「县」「a」 alone are not questions; 「医保」 is one


@dataclass(frozen=True)
class Config:
    store: str = "store"
    corpus: str = "data/reports"
    embed_model: str = "m3e-small"
    # "torch" | "onnx" | "onnx-int8": what runs the model (index.embedding); a store opens
    # only with the encoder that built it. ONNX exports are cached in model_cache.
    embed_encoder: str = DEFAULT_ENCODER
    model_cache: str = DEFAULT_EXPORT_DIR
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    boundary: BoundarySettings = field(default_factory=BoundarySettings)
    data_dir: str = "var/reports"       # uploaded / operator-added reports (the samples stay read-only)

    @classmethod
    def from_env(cls, env=None) -> "Config":
        env = os.environ if env is None else env
        return cls(
            store=env.get("RECTIFY_STORE", "store"),
            corpus=env.get("RECTIFY_CORPUS", "data/reports"),
            embed_model=env.get("RECTIFY_EMBED_MODEL", "m3e-small"),
            embed_encoder=env.get("RECTIFY_EMBED_ENCODER", DEFAULT_ENCODER),
            model_cache=env.get("RECTIFY_MODEL_CACHE", DEFAULT_EXPORT_DIR),
            data_dir=env.get("RECTIFY_DATA_DIR", "var/reports"),
            llm=LLMSettings(
                base_url=env.get("RECTIFY_LLM_BASE_URL", ""),
                model=env.get("RECTIFY_LLM_MODEL", ""),
                api_key=env.get("RECTIFY_LLM_API_KEY", ""),
                timeout_s=float(env.get("RECTIFY_LLM_TIMEOUT", "20")),
            ),
        )

    def embedding_settings(self, model: str | None = None, encoder: str | None = None) -> EmbeddingSettings:
        """The embedder's settings: this config's model and encoder unless overridden (the
        `index build` flags)."""
        return EmbeddingSettings(model=model or self.embed_model, encoder=encoder or self.embed_encoder,
                                 export_dir=self.model_cache)
