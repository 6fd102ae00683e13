"""The assistant: question -> scope -> understanding -> records or passages -> `Answer`.

Default mode is extractive, deterministic and needs no LLM. A loaded index is swapped in
whole when the store's generation changes, so an answer never mixes two generations.
"""
from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.answerability import AnswerabilityModel, Evidence
from assistant.boundary import check_request
from assistant.aggregate import compose_count, compose_list, select_issues, topic_where_found
from assistant.config import Config
from assistant.followup import Conversation, items_from_text, last_turns, refers_to_previous_list
from assistant.citations import cite
from assistant.models import Answer, Citation
from assistant.passages import (compose_completion_rate, compose_fact, compose_field, compose_how, compose_problem, compose_refusal, compose_report_date,
                                compose_section_list, compose_status, fits)
from assistant.retrieval import Retriever
from assistant.scope import NameFinder, Scope, known_institutions, resolve_scope, unknown_institutions
from assistant.understanding import Intent, Query, asks_how, split_compound, understand
from index.embedding import Embedder
from index.tokenize import normalize, tokenize
from ingest.lexicon import load_lexicon
from ingest.models import Issue, RecordKind, Report

logger = logging.getLogger(__name__)

_ELLIPTIC = re.compile(r"^(?:那|那么)?.{1,16}?(?:的)?(?:呢|怎么样|如何|又如何|情况呢)[？?]?$")
_LISTS_PARTS = re.compile(r"哪几|哪些方面|几个方面|几点|几项|几条|分别")
def _before_last_question(history) -> list:
    """The turns before the last user question."""
    turns = [t for t in history if isinstance(t, dict)] if isinstance(history, list) else []
    last = max((n for n, t in enumerate(turns) if t.get("role") == "user"), default=0)
    return turns[:last]


_ABOUT_ISSUES = re.compile(r"问题|整改措施|举措|做法|指出|反馈了")
_ANAPHORA_OR_ORDINAL = re.compile(r"它|这个|那个|这一|该问题|该项|这项|这条|上述|第\s*[0-9一二三四五六七八九十]{1,3}\s*[个项条点]|^那")


# Words by which a follow-up refers back to what was just answered.
_REFERS_BACK = re.compile(r"剩下|剩余|其余|那部分|这部分|这笔|那笔|后来|最后|结果|目标|当时|之后|现在|目前")
_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass
class _State:
    """One loaded generation, its retriever and name finder; replaced whole, never mutated."""

    index: object
    retriever: Retriever
    names: NameFinder

    @classmethod
    def of(cls, index, config: Config) -> "_State":
        return cls(index, Retriever(index, config.retrieval), NameFinder(list(index.reports.values())))


class Assistant:
    """Answers questions about the reports of one store."""

    def __init__(self, store: str | Path, index, embedder: Embedder, config: Config,
                 answerability: AnswerabilityModel | None = None):
        self.store = Path(store)
        self.config = config
        self.embedder = embedder
        self.answerability = answerability or AnswerabilityModel.for_model(embedder.model_id)
        self._state = _State.of(index, config)
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
            self._state = _State.of(index, self.config)
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
        return self._answer(state, question.strip(), conversation, report)

    def _check(self, question) -> str:
        if not isinstance(question, str) or not question.strip():
            return "请输入问题。"
        if len(question) > self.config.answer.max_question_chars:
            return f"问题过长（{len(question)}字），请精简到{self.config.answer.max_question_chars}字以内。"
        if not _MEANINGFUL.search(question):
            return "没有看懂这个问题，请用中文描述想了解的整改情况。"
        return ""

    def _conversation(self, state: _State, history, selector, depth: int = 0) -> Conversation:
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
            set(resolve_scope(question, list(state.index.reports.values()), selector).report_ids)
        issues = [i for rid in in_scope for i in state.index.reports[rid].issues]
        parsed = items_from_text(answer_text, issues, self.config.answer.followup_item_min_share) if answer_text else []
        conv.items = parsed if len(parsed) >= 2 else previous.items
        conv.report_ids = sorted({c.report_id for c in previous.citations if c.report_id and not c.related_only})
        return conv

    def _answer(self, state: _State, question: str, conv: Conversation | None, selector,
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
        section = self._listed_section(state, query, in_scope, question)
        if section is not None:
            return section
        if query.intent is Intent.COMPARE and not self._compare_is_aggregate(question, query):
            return self._compare(state, query, in_scope, qvec, search_text, question)
        field = load_lexicon().field_asked(normalize(question))
        if field and query.intent is not Intent.LIST:
            issues = self._target_issues(state, query, conv, in_scope, qvec)
            answers = [compose_field(i, r, field) for i, r in issues if field in i.fields]
            if answers:
                return self._merge(answers, Intent.FACT)
        if query.intent in (Intent.HOW, Intent.STATUS):
            issues = self._target_issues(state, query, conv, in_scope, qvec) or \
                self._issue_from_passages(state, query, search_text, in_scope, qvec)
            if issues:
                limit = self.config.answer.how_max_chars
                topic = query.topic_terms + query.fact_terms
                return self._merge([compose_how(i, r, limit, topic) if query.intent is Intent.HOW else compose_status(i, r)
                                    for i, r in issues], query.intent)
        if query.intent in (Intent.LIST, Intent.COUNT, Intent.COMPARE):
            return self._aggregate(state, query, conv, in_scope, qvec, question)
        return self._fact(state, query, search_text, in_scope, qvec, question, scope.named, conv)

    def _understand(self, state, question: str, conv, selector, force_fact: bool) -> tuple[Scope, Query]:
        scope = resolve_scope(question, list(state.index.reports.values()), selector)
        named_here = scope.named and not selector
        if not scope.named and conv and conv.report_ids and self._refers_back(question, conv):
            # a follow-up that refers back stays with its reports; a new question does not
            scope = Scope(conv.report_ids, True, [])
        query = understand(question, scope.words, reports_in_scope=len(scope.report_ids),
                           names_several=named_here and len(scope.report_ids) > 1)
        if conv and conv.items and refers_to_previous_list(question) and query.intent is Intent.FACT \
                and query.topic_terms and query.unit in (None, "个", "项", "条"):
            query.intent = Intent.LIST      # 「这几个里面哪个跟医保有关」 filters the previous list
        if force_fact and query.intent not in (Intent.STATUS, Intent.HOW):
            query.intent = Intent.FACT      # a later part asks of the records just answered
        return scope, query

    def _without_search(self, state, question: str, query: Query, scope: Scope, in_scope: list[Report],
                        conv, selector, force_fact: bool) -> Answer | None:
        unknown = unknown_institutions(question, in_scope, state.names)
        if unknown:
            return compose_refusal(question, [], state.retriever, f"报告中没有提到“{'、'.join(unknown)}”")
        parts = split_compound(question)
        if len(parts) > 1 and not force_fact and \
                understand(parts[0], scope.words, len(scope.report_ids)).intent in (Intent.FACT, Intent.COMPARE):
            answered = self._answer(state, parts[0], conv, selector)
            # the later parts are about what the first part was answered from
            cited = list(dict.fromkeys(c.record_id for c in answered.citations if c.record_id and not c.related_only))
            first = Conversation(previous_question=self._with_scope(parts[0], scope), items=answered.items or cited,
                                 report_ids=sorted({c.report_id for c in answered.citations if c.report_id}),
                                 same_subject=True)
            return self._merge_parts([answered] +
                                     [self._answer(state, part, first, selector, force_fact=True) for part in parts[1:]])
        if conv and conv.previous_question and scope.named and _ELLIPTIC.match(question):
            # 「那县卫健委那份报告呢？」: the previous question, asked of the report named now
            return self._answer(state, self._without_scope(conv.previous_question), None,
                                in_scope[0].title if len(in_scope) == 1 else selector)
        if conv and conv.items and query.ordinal and query.ordinal > len(conv.items) and not scope.words:
            return Answer(f"上一个回答只列出了{len(conv.items)}项，没有第{query.ordinal}项。", False, intent="invalid")
        return compose_report_date(question, in_scope)

    def _search_text(self, question: str, query: Query, conv: Conversation | None) -> str:
        """A follow-up that names nothing new, or is too short to stand alone
        (「培训搞了几次？」), inherits the previous question's topic."""
        short = len(query.topic.replace(" ", "")) <= self.config.answer.followup_max_topic_chars
        if conv and conv.previous_question and (query.anaphora or not query.topic_terms or short):
            return f"{conv.previous_question} {question}"
        return question

    def _without_scope(self, question: str) -> str:
        """The question minus the report names in it, to ask it of another report."""
        for word in sorted(resolve_scope(question, list(self._state.index.reports.values())).words, key=len, reverse=True):
            question = question.replace(word, "")
        return question

    def _issue_from_passages(self, state, query: Query, search_text, reports, qvec) -> list[tuple[Issue, Report]]:
        """When no issue's problem names the topic, the issue whose text best answers it."""
        retriever, settings = state.retriever, self.config.answer
        terms = retriever.content_terms(query.fact_terms or tokenize(search_text))
        ranked = retriever.sentences(terms, search_text, qvec, {r.report_id for r in reports}, None, limit=5)
        absent = retriever.absent_share(terms, [r.report_id for r in reports])
        for scored in ranked[:1]:
            record, report = retriever.records[retriever.index.sentences[scored.index].record_id]
            evidence = self._evidence(scored, absent, query, len(reports) < len(state.index.reports), terms,
                                      fits(scored, query, retriever.sentence_body(scored.index),
                                           retriever.window_norm(scored.index)))
            if record.kind is RecordKind.ISSUE and self.answerability.answerable(evidence):
                return [(record, report)]
        return []

    def _listed_section(self, state, query: Query, reports: list[Report], question: str) -> Answer | None:
        """「下一步打算从哪几个方面推进」: the sub-headings of a section that is not an issue."""
        if not _LISTS_PARTS.search(question) or not query.fact_terms:
            return None
        retriever, best = state.retriever, None
        for report in reports:
            for record in report.records:
                if record.kind is not RecordKind.SECTION or not record.title:
                    continue
                children = [r for r in report.records if r.heading_path and r.heading_path[-1].endswith(record.title)]
                coverage = retriever.coverage(query.fact_terms, normalize(record.title))
                if len(children) >= 2 and coverage >= self.config.answer.section_min_coverage and \
                        (best is None or coverage > best[0]):
                    best = (coverage, report, record, children)
        if best is None:
            return None
        _, report, record, children = best
        return compose_section_list(report, record, children)

    @staticmethod
    def _with_scope(part: str, scope: Scope) -> str:
        """A later part of a compound question keeps the report named in the first."""
        if not scope.words or any(w in part for w in scope.words):
            return part
        return f"{max(scope.words, key=len)}{part}"

    def _merge_parts(self, answers: list[Answer]) -> Answer:
        answered = [a for a in answers if a.answered]
        if not answered:
            return answers[0]
        merged = self._merge(answered, Intent.FACT)
        if len(answered) < len(answers):
            merged.answer += "\n（问题中有一部分在报告中未找到答案。）"
        return merged

    def _compare(self, state, query: Query, reports: list[Report], qvec, search_text, question) -> Answer:
        """The same question per report, side by side."""
        parts = []
        # issues answer a comparison of problems or measures; a fact about the reports
        # themselves (哪个巡察组, 完成比例) is looked up in each report's text
        about_issues = asks_how(question) or bool(_ABOUT_ISSUES.search(question))
        for report in reports:
            issues = self._target_issues(state, query, None, [report], qvec, lexical_only=True) if about_issues else []
            if issues:
                terms = state.retriever.content_terms(query.fact_terms)
                answers = [compose_how(i, r, self.config.answer.how_max_chars) if asks_how(question)
                           else compose_problem(i, r, state.retriever, terms)
                           for i, r in issues[:2]]
                parts.append(self._merge(answers, Intent.COMPARE))
                continue
            answer = self._fact(state, query, search_text, [report], qvec, question, True)
            if not answer.answered and query.unit == "percent":
                answer = compose_completion_rate(report, question) or answer
            if answer.answered:
                parts.append(answer)
        if not parts:
            return compose_refusal(question, [], state.retriever)
        merged = self._merge(parts, Intent.COMPARE)
        missing = [r.title for r in reports if not any(c.report_id == r.report_id for p in parts for c in p.citations)]
        if missing:
            merged.answer += "\n" + "；".join(f"《{t}》中未找到相关内容" for t in missing) + "。"
        return merged

    # --- aggregate questions --------------------------------------------------------

    @staticmethod
    def _compare_is_aggregate(question: str, query: Query) -> bool:
        return bool(re.search(r"多少|几|哪些|哪几|列出|多|少", question)) or query.status is not None

    def _aggregate(self, state, query: Query, conv, reports: list[Report], qvec, question) -> Answer:
        settings = self.config.answer
        if query.intent is Intent.COMPARE and query.status is not None:
            # 「哪份报告把已完成和还在整改的分开了」: each report's split, side by side
            query = replace(query, intent=Intent.COUNT, status=None, topic="", topic_terms=[])
        elif query.intent is Intent.COMPARE:
            query = replace(query, intent=Intent.COUNT if re.search(r"多|少|几", question) else Intent.LIST)
        candidates = conv.items if conv and conv.items and refers_to_previous_list(question) else None
        selections = topic_where_found(query, [select_issues(query, report, state.retriever, qvec, settings, candidates)
                                               for report in reports if report.issues])
        if candidates is not None:
            selections = [s for s in selections if s.issues or s.note]
        if not selections:
            return compose_refusal(question, [], state.retriever, "所选报告中没有解析出问题条目")
        compose = compose_count if query.intent is Intent.COUNT else compose_list
        answer = compose(query, selections)
        if not answer.answered:
            return compose_refusal(question, [], state.retriever, "没有符合条件的问题")
        answer.query_terms = query.topic_terms
        return answer

    # --- one issue ------------------------------------------------------------------

    def _target_issues(self, state, query: Query, conv, reports: list[Report], qvec,
                       lexical_only: bool = False) -> list[tuple[Issue, Report]]:
        """The issue(s) a how/status question is about; `lexical_only` wants the topic's
        words in the issue's own problem statement, not just a close meaning."""
        if conv and conv.items and query.ordinal and 1 <= query.ordinal <= len(conv.items):
            return [state.retriever.records[conv.items[query.ordinal - 1]]]
        if conv and conv.items and (query.anaphora or conv.same_subject or not query.topic_terms) \
                and len(conv.items) == 1:
            return [state.retriever.records[conv.items[0]]]
        numbered = self._issues_by_number(query, reports)
        if numbered:
            return numbered
        terms = state.retriever.content_terms(query.topic_terms + [normalize(q) for q in query.quoted])
        if not terms:
            return []
        settings = self.config.answer
        report_ids = {r.report_id for r in reports}
        if state.retriever.absent_share(terms, list(report_ids)) > settings.max_absent_share:
            return []       # the question names something these reports never mention
        scored = state.retriever.score_issues(terms, qvec, report_ids)
        if not scored:
            return []
        full = [s for s in scored if s.lexical_problem >= settings.full_coverage]
        if len(full) > 1:
            full = sorted(full[:settings.max_issues_per_how], key=lambda s: (s.report.title, s.record.seq))
            return [(s.record, s.report) for s in full]
        best = scored[0]
        close = best.dense >= settings.topic_min_dense and not lexical_only
        if best.lexical_problem >= settings.topic_min_lexical or close:
            return [(best.record, best.report)]
        return []

    @staticmethod
    def _issues_by_number(query: Query, reports: list[Report]) -> list[tuple[Issue, Report]]:
        """「二（二）3」, 「（12）」 or 「第12个问题」 without a previous list: the issue numbered so."""
        q = normalize(query.text)
        labelled = [(i, r) for r in reports for i in r.issues if len(i.label) >= 3 and normalize(i.label) in q]
        if labelled:
            return sorted(labelled, key=lambda p: -len(p[0].label))[:1]
        number = query.label_number or (str(query.ordinal) if query.ordinal else None)
        if not number:
            return []
        hits = []
        for report in reports:
            for issue in report.issues:
                last = issue.numbers[-1] if issue.numbers else ""
                if last.strip("（）") == number and (query.status is None or issue.status in query.status):
                    hits.append((issue, report))
        return hits if len(hits) == 1 else []

    # --- passages -------------------------------------------------------------------

    @staticmethod
    def _refers_back(question: str, conv: Conversation) -> bool:
        """Whether a question leans on the previous turn (它 / 第3个 / 那…呢 / 剩下的 …)."""
        return bool(conv.same_subject or _ANAPHORA_OR_ORDINAL.search(question) or _ELLIPTIC.match(question)
                    or _REFERS_BACK.search(question) or refers_to_previous_list(question))

    def _focus(self, state, query: Query, conv, question: str) -> set[str] | None:
        """The issues of the previous answer, when a follow-up refers back to them
        (它 / 剩下那部分 / 那…呢 / a question naming nothing new) and they are few."""
        if not conv or not conv.items or len(conv.items) > self.config.answer.followup_focus_max_items:
            return None
        names_new = resolve_scope(question, list(state.index.reports.values())).named
        refers = conv.same_subject or query.anaphora or _ELLIPTIC.match(question) or _REFERS_BACK.search(question)
        if names_new or not refers:
            return None
        return set(conv.items)

    def _fact(self, state, query: Query, search_text: str, reports: list[Report], qvec, question,
              scope_named: bool = False, conv: Conversation | None = None) -> Answer:
        retriever, settings = state.retriever, self.config.answer
        report_ids = {r.report_id for r in reports}
        terms = retriever.content_terms(query.fact_terms or tokenize(search_text))
        inherited: list[str] = []
        if search_text != question:
            previous = search_text[: -len(question)].strip()
            scope_words = resolve_scope(previous, list(state.index.reports.values())).words
            inherited = retriever.content_terms(understand(previous, scope_words).fact_terms)
        focus = self._focus(state, query, conv, question)
        # A follow-up pinned to the records just answered asks something new of them: the
        # inherited words chose the records, so the sentence need not repeat them.
        ranked = retriever.sentences(terms, search_text, qvec, report_ids, query.unit,
                                     limit=settings.candidate_answers, inherited=[] if focus else inherited,
                                     record_ids=focus)
        entities = [normalize(e) for e in known_institutions(question, reports, state.names)]
        eligible = [s for s in ranked
                    if fits(s, query, retriever.sentence_body(s.index), retriever.window_norm(s.index))
                    and any(e in retriever.window_norm(s.index) for e in entities or [""])]
        absent = retriever.absent_share(terms + inherited, list(report_ids))
        best = eligible[0] if eligible else (ranked[0] if ranked else None)
        asked = terms + inherited if focus else terms
        evidence = self._evidence(best, absent, query, scope_named, asked, fits_kind=bool(eligible),
                                  clause=self._clause(retriever, best, query, terms))
        probability = self.answerability.probability(evidence)
        if not eligible and query.unit == "percent" and len(reports) == 1:
            derived = compose_completion_rate(reports[0], question)
            if derived is not None:
                return derived
        if not eligible or probability < self.answerability.threshold:
            # 可能相关 passages only where they pass the same score an answer must pass
            related = [r for r in ranked[: settings.related_passages]
                       if self.answerability.answerable(self._evidence(r, absent, query, scope_named, terms, False))]
            refusal = compose_refusal(question, related, retriever)
            refusal.evidence, refusal.probability = evidence, probability
            return refusal
        per_report = None if scope_named else self._per_report(eligible, absent, query, terms, settings)
        answer = compose_fact(query, eligible, retriever, settings, per_report)
        answer.query_terms = terms + inherited
        answer.evidence, answer.probability = evidence, probability
        return answer

    def _per_report(self, eligible, absent: float, query: Query, terms: list[str], settings) -> list:
        """A question naming no report: the best sentence of each report that answers it
        about as well as the best one and passes the same decision, so that one report's
        figure (a planted one included) never stands in for another's."""
        retriever = self._state.retriever
        best, seen, out = eligible[0], set(), []
        for scored in eligible:
            report_id = retriever.index.sentences[scored.index].report_id
            if report_id in seen or best.score - scored.score > settings.extra_sentence_margin:
                continue
            evidence = self._evidence(scored, absent, query, False, terms,
                                      clause=self._clause(retriever, scored, query, terms))
            if scored is best or self.answerability.answerable(evidence):
                seen.add(report_id)
                out.append(scored)
        return out

    @staticmethod
    def _clause(retriever, best, query: Query, terms: list[str]) -> float:
        if best is None:
            return 0.0
        if not (query.unit or query.wants_number):
            return best.coverage
        return retriever.figure_clause_coverage(best.index, terms, query.unit)

    @staticmethod
    def _evidence(best, absent: float, query: Query, scope_named: bool, terms: list[str],
                  fits_kind: bool = True, issue_stage: bool = False, clause: float | None = None) -> Evidence:
        """The features the answer/refuse decision is made on; `fits_kind`: the passage
        holds the kind of figure the question asks for (any, when it asks for none)."""
        if best is None:
            return Evidence(absent=absent, scope_named=float(scope_named), terms=math.log1p(len(terms)))
        return Evidence(
            dense=best.dense, coverage=best.coverage, context=best.context, absent=absent,
            has_unit=float(fits_kind), wants_figure=float(bool(query.unit or query.wants_number)),
            scope_named=float(scope_named), terms=math.log1p(len(terms)), issue_stage=float(issue_stage),
            figure_clause=best.coverage if clause is None else clause,
        )

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

    # --- combining ------------------------------------------------------------------

    @staticmethod
    def _merge(answers: list[Answer], intent: Intent) -> Answer:
        """Several answers as one, citation numbers shifted to stay unique."""
        if len(answers) == 1:
            return answers[0]
        texts, citations, items = [], [], []
        for answer in answers:
            offset = len(citations)
            texts.append(re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", answer.answer))
            citations += answer.citations
            items += answer.items
        return Answer("\n\n".join(texts), True, citations, intent=intent.value, items=items)
