"""Figure, date and fact questions: the sentences that answer them, one decision whether
they do, and (for a question naming no report) the best answer of each report."""
from __future__ import annotations

import re

from assistant.config import AnswerSettings
from assistant.context import Context
from assistant.evidence import clause_coverage, evidence_of, rarest_held
from assistant.inspection import inspection_asked, inspection_first, says_the_inspection
from assistant.followup import Conversation, asks_more_of_previous, item_named_by, names_nothing
from assistant.models import Answer
from assistant.passages import compose_completion_rate, compose_fact, compose_refusal, enumerated, fits, neighbour_stated
from assistant.retrieval import NAMED_UNITS, ScoredSentence, unit_pattern
from assistant.scope import known_institutions, named_things
from assistant.understanding import CHINESE_DIGITS, Query, figures_in, understand, years_in
from index.tokenize import normalize, tokenize
from ingest.lexicon import load_lexicon
from ingest.models import RecordKind, Report, Status


def answer_fact(ctx: Context, query: Query, search_text: str, reports: list[Report], qvec, question: str,
                scope_named: bool = False, conv: Conversation | None = None) -> Answer:
    retriever, settings = ctx.retriever, ctx.settings
    report_ids = {r.report_id for r in reports}
    terms = retriever.content_terms(query.fact_terms or tokenize(search_text))
    inherited = _inherited_terms(ctx, search_text, question)
    focus = _focus(ctx, query, conv, question)
    # A follow-up pinned to the records just answered asks something new of them: the
    # inherited words chose the records, so the sentence need not repeat them.
    ranked = retriever.sentences(terms, search_text, qvec, report_ids, query.unit,
                                 limit=settings.candidate_answers, inherited=[] if focus else inherited,
                                 record_ids=focus)
    entities = [normalize(e) for e in known_institutions(question, reports, ctx.names)]
    things = named_things(question, reports, ctx.scope.own_names)   # 石岭村, 白马岭公墓: the answer is about them
    eligible = [s for s in ranked if _answers_so(retriever, s, query, entities, things, settings.part_share)]
    # a title, caption or signature line (沂岭市生态环境局…整改落实情况表) holds every word of
    # many questions and states nothing: another sentence answers, when one can
    eligible = [s for s in eligible if not _a_bare_line(retriever, s.index)] or eligible
    if ranked and ranked[0] not in eligible:
        # the best match is a problem statement (the state before): its issue's progress answers
        stand_in = _the_state_after_in_its_issue(retriever, ranked, query, entities, things, settings.part_share)
        eligible = stand_in + [s for s in eligible if all(s.index != t.index for t in stand_in)]
    wanted = inspection_asked(question, query)
    if wanted:
        eligible = inspection_first(retriever, eligible, wanted, settings.inspection_coverage_margin)
    absent = retriever.absent_share(terms + inherited, list(report_ids))
    best = eligible[0] if eligible else (ranked[0] if ranked else None)
    asked = terms + inherited if focus else terms
    evidence = evidence_of(best, absent, query, scope_named, asked, fits_kind=bool(eligible),
                           clause=clause_coverage(retriever, best, query, terms),
                           rarest=rarest_held(retriever, best, terms))
    probability = ctx.answerability.probability(evidence)
    why_not = _why_the_best_does_not_answer(retriever, ranked, query, entities, focus)
    if why_not:
        refusal = compose_refusal(question, ranked[:1], retriever, why_not)
        refusal.evidence, refusal.probability = evidence, probability
        return refusal
    if not eligible and query.unit == "percent" and len(reports) == 1:
        derived = compose_completion_rate(reports[0], question)
        if derived is not None:
            return derived
    # 「第2个具体什么时候能搞定」: the conversation chose the one record and the question asks
    # only for a kind of figure it holds, or why it is still open (「那它为啥还只算基本完成」,
    # answered by the sentence of that record telling what is still open); there are no
    # words of its own to weigh
    # (a name is found less surely than a figure: 「谁负责的」 keeps its 负责 to be weighed)
    no_words = not query.fact_terms or (not query.topic_terms and query.unit not in NAMED_UNITS) \
        or (bool(focus) and len(focus) == 1 and _only_names_it(ctx, query, next(iter(focus))))
    asks_only_a_kind = no_words and bool(query.unit or query.wants_number)
    asks_why = load_lexicon().asks_why(normalize(question))
    # (「它们分别打算啥时候完成」 asks it of each item listed: one sentence of each)
    pinned = bool(focus) and (asks_only_a_kind or asks_why)
    # 「这两家的巡察是不是同一拨人查的」: the report's own sentence saying which group came
    # answers, whatever spoken words around it no sentence holds
    pinned = pinned or says_the_inspection(retriever, best, wanted)
    if not eligible or (probability < ctx.answerability.threshold and not pinned):
        # 可能相关 passages only where they pass the same score an answer must pass
        related = [r for r in ranked[: settings.related_passages]
                   if ctx.answerability.answerable(evidence_of(r, absent, query, scope_named, terms, False,
                                                               rarest=rarest_held(retriever, r, terms)))]
        refusal = compose_refusal(question, related, retriever)
        refusal.evidence, refusal.probability = evidence, probability
        return refusal
    per_report = None if scope_named else _per_report(ctx, eligible, absent, query, terms, settings)
    if pinned and focus and len(focus) > 1:
        per_report = _one_per_record(retriever, eligible)    # 「为什么还没完成」 of each item listed
    ordered = _giving_the_reason_first(retriever, query, _stating_the_status_first(
        retriever, query, _stating_what_is_done_first(retriever, query, eligible)))
    answer = compose_fact(query, ordered, retriever, settings, per_report)
    answer.query_terms = terms + inherited
    answer.evidence, answer.probability = evidence, probability
    return answer


def _one_per_record(retriever, eligible: list[ScoredSentence]) -> list[ScoredSentence]:
    """The best sentence of each record that tells more than its status line, best first."""
    lexicon = load_lexicon()
    seen, out = set(), []
    for scored in eligible:
        record = retriever.index.sentences[scored.index].record_id
        if record not in seen and not _only_a_status_line(lexicon, retriever.sentence_body(scored.index)):
            seen.add(record)
            out.append(scored)
    return out


def _why_the_best_does_not_answer(retriever, ranked: list[ScoredSentence], query: Query, entities: list[str],
                                  focus) -> str:
    """The passage matching a figure question best states something next to what is asked:
    the neighbouring figure (「下半年到账多少」: 上半年), or, for a body named, only its plan
    (「已实际化解多少」: 制定了150万元的化解计划), or one total for figures asked of each of
    several things (「那3个项目各自多付了多少」). The reports then do not give the figure,
    and a weaker passage must not stand in for it (a follow-up pinned to records is not judged)."""
    if not ranked or focus:
        return ""
    if _counts_without_naming(normalize(retriever.sentence_body(ranked[0].index)), query):
        return f"报告只写了数量，没有列出这{query.names_wanted}个{query.named_kind}的名称"
    if not query.wants_number:
        return ""
    neighbour = neighbour_stated(normalize(retriever.sentence_body(ranked[0].index)), query)
    if neighbour:
        return f"报告给出的是“{neighbour}”的数字"
    if not load_lexicon().asks_a_plan(query.text) and _only_planned_for(retriever, ranked[0].index, entities):
        return "报告只写了相关计划，未写实际完成的数字"
    body = normalize(retriever.sentence_body(ranked[0].index))
    if query.figures_wanted > 1 and len(figures_in(body) - query.given_figures - years_in(body)) < query.figures_wanted:
        return f"报告没有分别列出这{query.figures_wanted}项的数字"     # 「那3个项目各自多付了多少」: one total
    return ""


def _counts_without_naming(body: str, query: Query) -> bool:
    """「那2个分局是哪两个」 matched best by the sentence that counts them (对…2个县（市、区）分局
    进行约谈) and names none: the reports do not name them."""
    if query.names_wanted < 2 or not query.named_kind:
        return False
    number = rf"(?:{query.names_wanted}|{'|'.join(k for k, v in CHINESE_DIGITS.items() if v == query.names_wanted)})"
    counter = load_lexicon().counter_class("items")
    counts = re.search(rf"(?<![\d.]){number}\s*{counter}[^，,。；;]{{0,12}}{re.escape(query.named_kind)}", body)
    return bool(counts) and enumerated(body, query.named_kind) < query.names_wanted


def _inherited_terms(ctx: Context, search_text: str, question: str) -> list[str]:
    """The previous question's words, when a follow-up's search text carries them."""
    if search_text == question:
        return []
    previous = search_text[: -len(question)].strip()
    scope_words = ctx.scope.resolve(previous).words
    return ctx.retriever.content_terms(understand(previous, scope_words).fact_terms)


def _item_named(ctx: Context, query: Query, conv: Conversation | None) -> str | None:
    if not conv or not conv.items:
        return None
    return item_named_by(ctx.retriever.content_terms(query.fact_terms), conv.items, lambda rid: _headline(ctx, rid))


def _held_by_items(ctx: Context, query: Query, items: list[str]) -> bool:
    terms = ctx.retriever.content_terms(query.topic_terms)
    texts = [normalize(ctx.retriever.records[rid][0].text) for rid in items]
    return bool(terms) and any(all(t in text for t in terms) for text in texts)


def _only_names_it(ctx: Context, query: Query, record_id: str) -> bool:
    """Every word of the question is in the headline of the item it names: the words chose
    the item, and only the kind of figure asked is left to find (「人居环境那个啥时候…」)."""
    head = _headline(ctx, record_id)
    return all(t in head for t in ctx.retriever.content_terms(query.fact_terms))


def _headline(ctx: Context, record_id: str) -> str:
    record = ctx.retriever.records[record_id][0]
    return normalize(record.title + record.problem)


def _focus(ctx: Context, query: Query, conv: Conversation | None, question: str) -> set[str] | None:
    """The issues of the previous answer, when a follow-up refers back to them
    (它 / 剩下那部分 / 那…呢 / a question naming nothing new) and they are few."""
    picked = conv.item_at(query.ordinal, query.last_item) if conv else None
    if picked:
        return {picked}             # 「第2个现在卡在哪」: that item only
    named = _item_named(ctx, query, conv)
    if named:
        return {named}              # 「人居环境那个啥时候能弄完」: the item it names
    if query.part_terms:
        return None                 # 「其中低保金是多少」: the part is stated where it was done
    if not conv or not conv.items or len(conv.items) > ctx.settings.followup_focus_max_items:
        return None
    # a question naming no topic of its own (「为什么还没完全改完」) asks it of them too, and
    # so does one whose every word their text holds (「有没有人被追责」: 进行问责处理)
    refers = asks_more_of_previous(question, query.anaphora, conv) or names_nothing(query) \
        or _held_by_items(ctx, query, conv.items)
    if ctx.scope.resolve(question).named or not refers:
        return None
    return set(conv.items)


def _per_report(ctx: Context, eligible: list[ScoredSentence], absent: float, query: Query, terms: list[str],
                settings: AnswerSettings) -> list[ScoredSentence]:
    """A question naming no report: the best sentence of each report that answers it
    about as well as the best one and passes the same decision, so that one report's
    figure (a planted one included) never stands in for another's."""
    retriever = ctx.retriever
    best, seen, out = eligible[0], set(), []
    for scored in eligible:
        report_id = retriever.index.sentences[scored.index].report_id
        if report_id in seen or best.score - scored.score > settings.extra_sentence_margin:
            continue
        evidence = evidence_of(scored, absent, query, False, terms,
                               clause=clause_coverage(retriever, scored, query, terms),
                               rarest=rarest_held(retriever, scored, terms))
        if scored is best or ctx.answerability.answerable(evidence):
            seen.add(report_id)
            out.append(scored)
    return out


def _answers_so(retriever, scored: ScoredSentence, query: Query, entities: list[str], things: list[str],
                part_share: float) -> bool:
    """Whether a sentence is of the kind that can answer: the figure asked for, about the
    bodies and things named, not the problem's own figure for 提高到多少, of the year asked."""
    window = retriever.window_norm(scored.index)
    return (fits(scored, query, retriever.sentence_body(scored.index), window, part_share)
            and any(e in window for e in entities or [""])
            and all(t in window for t in things)
            and (not query.remainder or any(r in window for r in query.remainder))
            and not (query.wants_after and query.wants_number and _not_the_state_after(retriever, scored.index, entities))
            and _of_the_year_asked(retriever, scored.index, query))


_RATE_ENDINGS = ("率", "占比", "比例", "比重")


def _a_bare_line(retriever, index: int) -> bool:
    """A line outside the issues with no clause mark and no figure: a title, a table's
    caption, a signature."""
    record = retriever.records[retriever.index.sentences[index].record_id][0]
    body = retriever.sentence_body(index)
    return record.kind in (RecordKind.PREAMBLE, RecordKind.SECTION) and not re.search(r"[，,。；;：:\d]", body)


def _the_state_after_in_its_issue(retriever, ranked: list[ScoredSentence], query: Query, entities: list[str],
                                  things: list[str], part_share: float) -> list[ScoredSentence]:
    """「那23条黑臭水体治好了几条」: the sentence naming the topic best is the issue's problem
    (仅完成治理9条), and the figure after rectification is in the same issue's progress, which
    need not repeat the topic (已完成治理17条). That sentence answers, standing for its issue
    with the match of the problem statement that found it, when the problem measures the
    state before in the unit asked (9条 before, 几条 after: the same measure)."""
    dated = query.unit in ("date", "day")      # 「哪天缴入国库的」: the problem says it was not done
    if not (dated or (query.wants_after and query.wants_number and query.unit)) or not ranked \
            or not retriever.states_problem(ranked[0].index):
        return []
    top = ranked[0]
    pattern = unit_pattern(query.unit)
    problem = normalize(retriever.sentence_body(top.index))
    rates = [t for t in query.fact_terms if len(t) >= 2 and t.endswith(_RATE_ENDINGS)]
    if not dated and (not pattern.search(problem) or any(r not in problem for r in rates)):
        return []        # 「整改后的资产负债率」 is no rate of a problem that states 短期债务占比
    window = retriever.window_norm(top.index)
    if not (any(e in window for e in entities or [""]) and all(t in window for t in things)):
        return []
    record_id = retriever.index.sentences[top.index].record_id
    if retriever.records[record_id][0].kind is not RecordKind.ISSUE:
        return []
    for index in retriever.index.sentence_indices(record_id):
        body = retriever.sentence_body(index)
        stand_in = ScoredSentence(index, top.score, top.dense, top.coverage, top.context, bool(pattern.search(body)))
        if fits(stand_in, query, body, retriever.window_norm(index), part_share) \
                and not _not_the_state_after(retriever, index, entities) and _of_the_year_asked(retriever, index, query):
            return [stand_in]
    return []


def _not_the_state_after(retriever, index: int, entities: list[str] = ()) -> bool:
    """The problem statement (仅完成治理9条) is the state before rectification and a plan
    (确保…年底前完成治理) one not reached yet: neither answers 「已经治好了多少条」; nor, for
    a body named, the clause about it whose figures are all a plan's (「县第二人民医院…制定了
    150万元的债务化解计划」)."""
    body = retriever.sentence_body(index)
    return retriever.states_problem(index) or load_lexicon().only_plans(body) \
        or _only_planned_for(retriever, index, entities)


def _only_planned_for(retriever, index: int, entities: list[str]) -> bool:
    """The clauses of a sentence naming a body asked about (any clause with a figure, when
    the question names none) give only a plan's figures."""
    clauses = re.split(r"[，,；;。]", normalize(retriever.sentence_body(index)))
    about = [c for c in clauses if any(e in c for e in entities)] if entities else \
        [c for c in clauses if figures_in(c) - years_in(c)]
    return bool(about) and all(_only_planned_figures(c) for c in about)


def _only_planned_figures(clause: str) -> bool:
    """Every figure of a clause is the amount of a plan (50万元和150万元的债务化解计划)."""
    figures = figures_in(clause) - years_in(clause)
    planned = {f for m in _PLANNED.finditer(clause) for f in figures_in(m.group(0))}
    return bool(figures) and figures <= planned


# Figures (one, or several joined by 和/、) that are the amount of a plan, target or task.
_PLANNED = re.compile(r"\d+(?:\.\d+)?[^\d，。；的]{0,3}(?:[和、及]\d+(?:\.\d+)?[^\d，。；的]{0,3})*"
                      r"的[\u4e00-\u9fff]{0,8}?(?:计划|目标|方案|任务)"
                      r"|(?:制定|拟定|编制|下达|确定)了?[^\d，。；]{0,4}?\d+(?:\.\d+)?[\u4e00-\u9fff]{1,10}?(?:计划|目标|方案)")


def _stating_what_is_done_first(retriever, query: Query, eligible: list[ScoredSentence]) -> list[ScoredSentence]:
    """「镇村债务已经还掉多少了」 asks the figure reached: of the record that answers, a sentence
    saying what is done (已化解…1120万元, the done cues of [status.query]) before one that
    only states a figure of it (核定镇级债务2360万元)."""
    if not (query.wants_after and query.wants_number) or not eligible:
        return eligible
    cues = load_lexicon().data["status"]["query"]["done_cues"]
    record = retriever.index.sentences[eligible[0].index].record_id
    done = [s for s in eligible if retriever.index.sentences[s.index].record_id == record
            and any(c in retriever.sentence_body(s.index) for c in cues)]
    return done + [s for s in eligible if s not in done]


def _stating_the_status_first(retriever, query: Query, eligible: list[ScoredSentence]) -> list[ScoredSentence]:
    """「3处违规公墓中哪一处尚未处置完毕」 asks a status of a thing inside an issue: of the
    record that answers (the best sentence's; the decision was taken on it), the sentences
    saying that status (目前正在推进) come first, in their order, the others after. An open
    status is also said by what is still under way (「试点方案正在报…备案」), and a sentence
    that is only the status line (「整改进展：基本完成。」) says less than one telling what."""
    if query.status is None or not eligible:
        return eligible
    lexicon = load_lexicon()
    record = retriever.index.sentences[eligible[0].index].record_id
    cues = lexicon.pending_cues if query.status & lexicon.open_statuses else []

    def says(text: str) -> bool:
        return any(h.status in query.status for h in lexicon.status_hits(text)) or any(c in text for c in cues)

    saying = [s for s in eligible if retriever.index.sentences[s.index].record_id == record
              and says(retriever.sentence_body(s.index))]
    telling = [s for s in saying if not _only_a_status_line(lexicon, retriever.sentence_body(s.index))]
    return telling + [s for s in saying if s not in telling] + [s for s in eligible if s not in saying]


def _giving_the_reason_first(retriever, query: Query, eligible: list[ScoredSentence]) -> list[ScoredSentence]:
    """「为啥还没销号」: of the record that answers, a sentence giving a reason (由于…) before
    one only telling what is pending."""
    lexicon = load_lexicon()
    if not eligible or not lexicon.asks_why(normalize(query.text)):
        return eligible
    record = retriever.index.sentences[eligible[0].index].record_id
    giving = [s for s in eligible if retriever.index.sentences[s.index].record_id == record
              and lexicon.gives_reason(retriever.sentence_body(s.index))]
    return giving + [s for s in eligible if s not in giving]


def _only_a_status_line(lexicon, text: str) -> bool:
    """「整改进展：基本完成。」: a field name and a status word, nothing about what was done."""
    rest = re.split(r"[：:]", text, maxsplit=1)[-1]
    for word in sorted((w for st in Status for w in lexicon.status_words(st)), key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(_HAN.findall(rest)) < 2


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _of_the_year_asked(retriever, index: int, query: Query) -> bool:
    """A question about 2023 is not answered by a figure of 2024: a sentence naming years
    must name one asked; one naming none must sit in a record that does."""
    if not query.years:
        return True
    stated = years_in(retriever.sentence_body(index))
    if stated:
        return bool(stated & query.years)
    return any(year in retriever.record_norm(index) for year in query.years)
