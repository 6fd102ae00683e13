"""The assistant: question -> scope -> understanding -> records or passages -> `Answer`.

Default mode is extractive, deterministic and needs no LLM. A loaded index is swapped in
whole when the store's generation changes, so an answer never mixes two generations.
"""
from __future__ import annotations

import gc
import logging
import re
import threading
from pathlib import Path

from assistant.answerability import AnswerabilityModel
from assistant.boundary import check_request
from assistant.config import Config
from assistant.context import Context
from assistant.followup import (Conversation, asks_which_ones, elliptic_subject, is_elliptic, items_named_in,
                                naming_the_written_item, written_items,
                                items_by_position, last_turns, names_nothing, read_remainder, refers_back,
                                refers_to_previous_list, reframed, remainder_within_issue)
from assistant.handlers.compare import answer_compare, compare_is_aggregate
from assistant.handlers.fact import answer_fact
from assistant.handlers.issues import asked_issues
from assistant.handlers.lists import answer_aggregate, answer_listed_section
from assistant.merge import merge_answers, merge_parts
from assistant.citations import cite
from assistant.models import Answer, Citation
from assistant.retrieval import Retriever
from assistant.passages import (FIELD_NAMES, compose_expected_deadline, compose_field, compose_how, compose_problem, compose_refusal, compose_report_date,
                                 compose_status, with_measures_elsewhere, with_the_plan_for)
from assistant.scope import Scope, named_things, reports_counted, unknown_institutions
from assistant.understanding import (Intent, Query, asks_for_issues, asks_found, names_a_time, names_records,
                                     split_compound, understand, years_in)
from index.embedding import Embedder
from index.tokenize import normalize
from ingest.lexicon import load_lexicon
from ingest.models import Report

logger = logging.getLogger(__name__)

def _before_last_question(history) -> list:
    """The turns before the last user question."""
    turns = [t for t in history if isinstance(t, dict)] if isinstance(history, list) else []
    last = max((n for n, t in enumerate(turns) if t.get("role") == "user"), default=0)
    return turns[:last]


def _settle_heap() -> None:
    """Take a loaded store's objects out of the garbage collector's scans: they live as
    long as their generation, and a full collection over them (0.2 s at 1,000 reports,
    growing with the store) would otherwise stall whichever question triggered it. Unfrozen
    first, so a replaced generation's cycles are still collected after a reload."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# 「这几个里面哪个跟医保有关」 picks among the items just listed; 「前面说的那个专账，钱能用来
# 干啥」 asks a fact of one of them
_WHICH_OF = re.compile(r"哪")


class Assistant:
    """Answers questions about the reports of one store."""

    def __init__(self, store: str | Path, index, embedder: Embedder, config: Config,
                 answerability: AnswerabilityModel | None = None):
        self.store = Path(store)
        self.config = config
        self.embedder = embedder
        self.answerability = answerability or AnswerabilityModel.for_model(embedder.model_id)
        self._state = Context.of(index, config, self.answerability)
        _settle_heap()
        self._reload_lock = threading.Lock()
        # The page answers several users at once; a fast tokenizer must not be entered by
        # two threads at a time ("Already borrowed"), and the model gains nothing from it.
        self._embed_lock = threading.Lock()

    @classmethod
    def load(cls, store: str | Path, config: Config | None = None) -> "Assistant":
        """Load the index and the embedding model once."""
        from index.loaded import load_store

        config = config or Config.from_env()
        embedder = Embedder(config.embedding_settings())
        index = load_store(store, model_id=embedder.model_id, encoder=embedder.encoder)
        embedder.embed_query("预热")      # load the model now, not on the first question
        return cls(store, index, embedder, config)

    def embed_query(self, text: str):
        """The question's vector, one thread at a time."""
        with self._embed_lock:
            return self.embedder.embed_query(text)

    # --- reload ---------------------------------------------------------------------

    @property
    def index(self):
        return self._state.index

    @property
    def retriever(self) -> Retriever:
        """The retriever of the loaded generation (for baselines and tools)."""
        return self._state.retriever

    def reload_if_changed(self) -> bool:
        """Swap in a rebuilt store (one pointer read when nothing changed)."""
        from index.generations import current_generation
        from index.loaded import load_store

        generation = current_generation(self.store)
        if generation is None or generation == self._state.index.generation:
            return False
        with self._reload_lock:
            if generation == self._state.index.generation:
                return False
            index = load_store(self.store, model_id=self.embedder.model_id, encoder=self.embedder.encoder)
            self._state = Context.of(index, self.config, self.answerability)
            _settle_heap()
            logger.info("reloaded store generation %s", index.generation)
            return True

    # --- asking ---------------------------------------------------------------------

    def ask(self, question: str, history: list[dict] | None = None, report: str | None = None) -> Answer:
        """Answer one question; `history` is earlier {"role", "content"} turns, `report`
        restricts to reports whose title contains it."""
        request = check_request(question, history, report, self.config)     # assistant/boundary.py
        if request.problem:
            return Answer(request.problem, False, intent="invalid")
        question, history, report = request.question, request.history, request.report
        problem = self._check(question)
        if problem:
            return Answer(problem, False, intent="invalid")
        state = self._state
        reports = list(state.index.reports.values())
        if not reports:
            return Answer("索引中还没有报告，请先添加报告。", False, intent="invalid")
        if report and not any(normalize(report) in normalize(r.title) for r in reports):
            return Answer(f"没有标题包含“{report}”的报告。", False, intent="invalid")
        conversation = self._conversation(state, history, report) if history else None
        question = naming_the_written_item(question, conversation)
        answer = self._answer(state, question.strip(), conversation, report)
        return _with_unnamed_count_noted(answer, question, state, report, len(reports))

    def _check(self, question) -> str:
        if not isinstance(question, str) or not question.strip():
            return "请输入问题。"
        if len(question) > self.config.answer.max_question_chars:
            return f"问题过长（{len(question)}字），请精简到{self.config.answer.max_question_chars}字以内。"
        if not _MEANINGFUL.search(question):
            return "没有看懂这个问题，请用中文描述想了解的整改情况。"
        return ""

    def _conversation(self, state: Context, history, selector, depth: int = 0) -> Conversation:
        """What the last turns give a follow-up; the previous question is answered again
        with its own earlier turns (「第三个方面有哪些」 needs the 「几个方面」 before it)."""
        question, answer_text = last_turns(history)
        conv = Conversation(question)
        if not question:
            return conv
        earlier = _before_last_question(history)
        before = self._conversation(state, earlier, selector, depth + 1) \
            if earlier and depth < self.config.answer.followup_max_depth else None
        previous = self._answer(state, question, before, selector)
        # the items someone wrote are issues of the reports that answer was about
        in_scope = {c.report_id for c in previous.citations if c.report_id and not c.related_only} or \
            set(state.scope.resolve(question, selector).report_ids)
        issues = [i for rid in in_scope for i in state.index.reports[rid].issues]
        share = self.config.answer.followup_item_min_share
        positions = items_by_position(answer_text, issues, share) if answer_text else {}
        parsed = list(dict.fromkeys(positions.values()))
        conv.items = parsed if len(parsed) >= 2 else previous.items
        conv.positions = positions if len(parsed) >= 2 else {}
        if len(conv.items) > 1 and len(parsed) < 2 and answer_text:
            # the turn someone wrote names some of the items the question has: those
            previous_issues = [self._state.retriever.records[i][0] for i in conv.items]
            conv.items = items_named_in(answer_text, previous_issues, share) or conv.items
        conv.report_ids = sorted({c.report_id for c in previous.citations if c.report_id and not c.related_only})
        conv.written = written_items(answer_text) if answer_text else []
        return conv

    def _answer(self, state: Context, question: str, conv: Conversation | None, selector,
                force_fact: bool = False) -> Answer:
        # Understand: which reports, what kind of answer
        scope, query = self._understand(state, question, conv, selector, force_fact)
        in_scope = [state.index.reports[r] for r in scope.report_ids]
        # Answers that need no search: unknown names, compound and elliptic questions, dates
        early = self._without_search(state, question, query, scope, in_scope, conv, selector, force_fact)
        if early is not None:
            return early
        # Search once, then answer by kind
        search_text = self._search_text(question, query, conv)
        qvec = self.embed_query(search_text)
        section = answer_listed_section(state, query, in_scope, question)
        if section is not None:
            return section
        if query.intent is Intent.COMPARE and not compare_is_aggregate(question, query):
            return answer_compare(state, query, in_scope, qvec, search_text, question, scope.sides)
        field = load_lexicon().field_asked(normalize(question))
        # 「…那条问题是哪些单位负责」 lists the field's values; 「哪些问题…」 lists issues
        asks_field = bool(field) and (query.intent is not Intent.LIST or not asks_for_issues(question))
        found = query.intent is Intent.FACT and not query.unit and asks_found(question)
        asks_issue = asks_field or found or query.intent in (Intent.HOW, Intent.STATUS)
        issues = asked_issues(state, query, conv, in_scope, qvec, search_text) if asks_issue else []
        if asks_field:
            # of one issue with no deadline field, the sentence search weighs the question's
            # words (剩下没改的…); of several, each one's expected date is quoted
            several = len(issues) > 1
            answers = [compose_field(i, r, field) if field in i.fields else
                       compose_expected_deadline(i, r) if field == "deadline" and several else None
                       for i, r in issues]
            if any(answers):
                return merge_answers(_noting_the_unstated(answers, issues, field), Intent.FACT)
        if found and issues:
            # what the inspection found about it: the issue's problem statement, quoted
            terms = state.retriever.content_terms(query.fact_terms)
            return merge_answers([compose_problem(i, r, state.retriever, terms) for i, r in issues], Intent.FACT)
        if query.intent in (Intent.HOW, Intent.STATUS) and issues:
            limit = self.config.answer.how_max_chars
            topic = query.topic_terms + query.fact_terms
            answers = [compose_how(i, r, limit, topic) if query.intent is Intent.HOW else compose_status(i, r)
                       for i, r in issues]
            if query.intent is Intent.HOW and load_lexicon().asks_how_it_went_wrong(normalize(question)):
                # 「是怎么规避公开招标的」: how it went wrong is in the problem as found, then what was done
                terms = state.retriever.content_terms(query.fact_terms)
                answers = [merge_answers([compose_problem(i, r, state.retriever, terms), a], Intent.HOW)
                           for a, (i, r) in zip(answers, issues)]
            if query.intent is Intent.HOW and len(issues) == 1:
                answers = [with_measures_elsewhere(a, i, r, state.retriever, topic, self.config.answer)
                           for a, (i, r) in zip(answers, issues)]
            if query.intent is Intent.HOW and load_lexicon().asks_a_plan(normalize(question)):
                things = named_things(question, in_scope, state.scope.own_names)
                answers = [with_the_plan_for(a, r, things) for a, (_, r) in zip(answers, issues)] if things else answers
            return merge_answers(answers, query.intent)
        if query.intent in (Intent.LIST, Intent.COUNT, Intent.COMPARE):
            return answer_aggregate(state, query, conv, in_scope, qvec, question)
        return answer_fact(state, query, search_text, in_scope, qvec, question, scope.named, conv)

    def _understand(self, state, question: str, conv, selector, force_fact: bool) -> tuple[Scope, Query]:
        scope = state.scope.resolve(question, selector)
        named_here = scope.named and not selector
        # read once without scope words: whether the question names anything of its own
        leans = bool(conv) and names_nothing(understand(question))
        if not scope.named and conv and conv.report_ids and (refers_back(question, conv) or leans):
            # a follow-up that refers back, or names nothing of its own (「分别是哪几个」「涉及
            # 多少笔」), stays with its reports; a new question (「哪些问题已经整改完成」) does not
            scope = Scope(conv.report_ids, True, [])
        query = understand(question, scope.words, reports_in_scope=len(scope.report_ids),
                           names_several=named_here and self._compares(scope))
        if conv and conv.items and refers_to_previous_list(question) and _WHICH_OF.search(question) \
                and query.intent is Intent.FACT and query.topic_terms and query.unit in (None, "个", "项", "条") and not query.wants_number:
            # 「这几个里面哪个跟医保有关」 filters the previous list; 「其中低保金是多少」 asks a figure
            query.intent = Intent.LIST
        elif conv and conv.previous_question and query.intent is Intent.COUNT and leans:
            # 「一共定了多少条整改措施？」「完成了多少条？」: the same things are counted
            query.count_target = understand(conv.previous_question).count_target
        elif conv and len(conv.items) > 1 and asks_which_ones(question, query) \
                and query.intent in (Intent.FACT, Intent.COMPARE):
            query.intent = Intent.LIST      # 「分别是哪几个」 after a count: the items counted
        issue = remainder_within_issue(question, conv, query.ordinal, query.last_item) \
            if query.status is not None else None
        if issue is not None:
            query.remainder, query.fact_terms = read_remainder(question, query, self.index.record(issue).text)
            if query.remainder:
                query.status = None     # the sentence naming the rest answers; else what is under way
            if query.intent in (Intent.LIST, Intent.COUNT):
                query.intent = Intent.FACT
        if force_fact and query.intent not in (Intent.STATUS, Intent.HOW):
            query.intent = Intent.FACT      # a later part asks of the records just answered
        return scope, query

    def _compares(self, scope: Scope) -> bool:
        """Several named reports are compared side by side: as many as the question names
        names, or a few sharing one name; a name shared by many scopes one search instead."""
        limit = max(self.config.answer.compare_max_reports, len(set(scope.words)))
        return 1 < len(scope.report_ids) <= limit

    def _without_search(self, state, question: str, query: Query, scope: Scope, in_scope: list[Report],
                        conv, selector, force_fact: bool) -> Answer | None:
        unknown = unknown_institutions(question, in_scope, state.names)
        if unknown:
            return compose_refusal(question, [], state.retriever, f"报告中没有提到“{'、'.join(unknown)}”")
        if not scope.words and load_lexicon().asks_opinion_outside(normalize(question)):
            return compose_refusal(question, [], state.retriever, "整改报告只记载整改事实，不对报告以外的话题发表看法")
        if load_lexicon().asks_for_writing(normalize(question)):
            return compose_refusal(question, [], state.retriever,
                                   "本助手只摘录报告原文回答问题，不代写、翻译或创作文字；可以直接问报告里的具体内容")
        parts = split_compound(question)
        if len(parts) > 1 and not force_fact and self._counts_in_turn(state, parts, conv, selector):
            # each count is a question of its own, asked of the reports the question names
            return merge_parts([self._answer(state, self._with_scope(part, scope), conv, selector) for part in parts])
        if len(parts) > 1 and not force_fact and \
                self._understand(state, parts[0], conv, selector, False)[1].intent in (Intent.FACT, Intent.COMPARE):
            answered = self._answer(state, parts[0], conv, selector)
            # the later parts are about what the first part was answered from
            cited = list(dict.fromkeys(c.record_id for c in answered.citations if c.record_id and not c.related_only))
            first = Conversation(previous_question=self._with_scope(parts[0], scope), items=answered.items or cited,
                                 report_ids=sorted({c.report_id for c in answered.citations if c.report_id}),
                                 same_subject=True)
            # a later part asks of what the first was answered from; if nothing, of its report
            later = [_with_years(part, parts[0]) for part in parts[1:]]
            later = later if first.report_ids else [self._with_scope(part, scope) for part in later]
            return merge_parts([answered] + [self._answer(state, part, first, selector, force_fact=True) for part in later])
        if conv and conv.previous_question and is_elliptic(question) and not query.remainder:
            if not scope.words and self._names_a_new_subject(elliptic_subject(question), conv):
                # 「那授课费那个呢？」: the previous question, asked of the subject named now
                previous = understand(conv.previous_question, state.scope.resolve(conv.previous_question).words)
                asked = reframed(conv.previous_question, previous.topic_terms, elliptic_subject(question))
                return self._answer(state, asked, None, selector)
            if scope.named:
                # 「那县卫健委那份报告呢？」: the previous question, asked of the report named now
                return self._answer(state, self._without_scope(conv.previous_question), None,
                                    in_scope[0].title if len(in_scope) == 1 else selector)
        if conv and conv.items and query.ordinal and query.ordinal > len(conv.items) and not scope.words:
            return Answer(f"上一个回答只列出了{len(conv.items)}项，没有第{query.ordinal}项。", False, intent="invalid")
        return compose_report_date(question, in_scope)

    def _counts_in_turn(self, state: Context, parts: list[str], conv, selector) -> bool:
        """Counts of different things asked one after another (「指出了多少个问题？定了多少条
        措施？」); 「有几个问题？其中完成了几个？」 is one count, its second part a filter of it."""
        return all(names_records(p) and self._understand(state, p, conv, selector, False)[1].intent is Intent.COUNT
                   for p in parts)

    def _names_a_new_subject(self, subject: str, conv: Conversation) -> bool:
        """The elliptic question names a subject none of whose words the previous answer's
        records mention (else 「那授课费呢」 asks about a part of them)."""
        terms = self._state.retriever.content_terms(understand(subject).fact_terms)
        texts = [self._state.retriever.record_text_norm(i) for i in conv.items]
        return bool(terms) and not any(t in text for t in terms for text in texts)

    def _search_text(self, question: str, query: Query, conv: Conversation | None) -> str:
        """A follow-up that names nothing new, or is too short to stand alone
        (「培训搞了几次？」), inherits the previous question's topic."""
        short = len(query.topic.replace(" ", "")) <= self.config.answer.followup_max_topic_chars
        if conv and conv.previous_question and (query.anaphora or not query.topic_terms or short):
            return f"{conv.previous_question} {question}"
        return question

    def _without_scope(self, question: str) -> str:
        """The question minus the report names in it, to ask it of another report."""
        for word in sorted(self._state.scope.resolve(question).words, key=len, reverse=True):
            question = question.replace(word, "")
        return question

    @staticmethod
    def _with_scope(part: str, scope: Scope) -> str:
        """A later part of a compound question keeps the report named in the first."""
        if not scope.words or any(w in part for w in scope.words):
            return part
        return f"{max(scope.words, key=len)}{part}"

    # --- passages for an LLM ----------------------------------------------------------

    def passages_for(self, question: str, base: Answer, k: int) -> list[Citation]:
        """The extractive answer's citations, then the best chunks of the same reports,
        as verbatim citations: what an LLM may answer from."""
        state = self._state
        retriever = state.retriever
        passages = [c for c in base.citations if not c.related_only][:k]
        report_ids = {c.report_id for c in base.citations if c.report_id} or set(state.index.reports)
        qvec = self.embed_query(question)
        for i in retriever.chunk_ranking(question, qvec, report_ids, 2 * k):
            if len(passages) >= k:
                break
            chunk = state.index.chunks[i]
            if any(p.report_id == chunk.report_id and p.start < chunk.end and chunk.start < p.end for p in passages):
                continue
            record, report = retriever.records[chunk.record_id]
            passages.append(cite(report, record, chunk.start, chunk.end))
        return passages


def _with_years(part: str, first: str) -> str:
    """「2023年招了多少老师，有多少去了乡村学校？」: a later part naming no year, nor a time
    of its own (整改后/现在 …), is of the year the first part names."""
    years = years_in(normalize(first))
    if not years or years_in(normalize(part)) or names_a_time(normalize(part)):
        return part
    return "、".join(f"{y}年" for y in sorted(years)) + part


def _with_unnamed_count_noted(answer: Answer, question: str, state: Context, selector, stored: int) -> Answer:
    """「两份报告都提到…吗」 in a store of more reports, naming none of them: which two is not
    known, so the answer says it spans every report and lets the user name them."""
    counted, said = reports_counted(question)
    if not answer.answered or not counted or stored <= counted or state.scope.resolve(question, selector).named:
        return answer
    answer.answer = (f"问题说到“{said}”，但没有指明是哪些；库中共有{stored}份报告，以下按全部报告作答"
                     f"（可在问题中写明单位名称，或在页面上选定报告）。\n") + answer.answer
    return answer


def _noting_the_unstated(answers: list, issues: list, field: str) -> list[Answer]:
    """The answers found, and for each issue asked whose text states no such part, a line
    saying so (「它们的整改时限」 of two items, one of which the report gives none for)."""
    out = [a for a in answers if a is not None]
    for answer, (issue, report) in zip(answers, issues):
        if answer is None:
            out.append(Answer(f"《{report.title}》【{issue.label}】{issue.title}：报告未写明{FIELD_NAMES[field]}。",
                              True, [], intent=Intent.FACT.value, items=[issue.record_id]))
    return out
