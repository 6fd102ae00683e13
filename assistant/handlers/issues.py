"""The issue(s) a how / status / field question is about: by the previous answer's items,
by the report's own number or label, by topic, or by the passage that best answers it."""
from __future__ import annotations

from difflib import SequenceMatcher

from assistant.context import Context
from assistant.evidence import evidence_of, rarest_held
from assistant.followup import Conversation, asks_other_measures
from assistant.passages import fits
from assistant.understanding import Intent, Query
from index.tokenize import normalize, tokenize
from ingest.lexicon import load_lexicon
from ingest.models import Issue, RecordKind, Report

IssueHit = tuple[Issue, Report]


def asked_issues(ctx: Context, query: Query, conv: Conversation | None, reports: list[Report], qvec,
                 search_text: str) -> list[IssueHit]:
    """The issue(s) a how, status or field question is about: by its topic, else by the
    passage that best answers the question, if that passes the answer/refuse decision."""
    return target_issues(ctx, query, conv, reports, qvec) or issue_from_passages(ctx, query, search_text, reports, qvec)


def target_issues(ctx: Context, query: Query, conv: Conversation | None, reports: list[Report], qvec,
                  lexical_only: bool = False, limit: int | None = None) -> list[IssueHit]:
    """`lexical_only` wants the topic's words in the issue's own problem statement, not
    just a close meaning; `limit` keeps the best scored of several issues naming the topic
    (then shown in report order)."""
    picked = conv.item_at(query.ordinal, query.last_item) if conv else None
    if picked and _is_issue(ctx, picked):
        return [ctx.retriever.records[picked]]
    if conv and conv.items and (query.anaphora or conv.same_subject or not query.topic_terms
                                or asks_other_measures(query.text)) \
            and len(conv.items) == 1 and _is_issue(ctx, conv.items[0]):
        return [ctx.retriever.records[conv.items[0]]]
    if conv and len(conv.items) > 1 and query.anaphora and not _topic_beyond_the_field(query):
        # 「它们的整改时限分别是什么时候」「这几个分别是谁负责的」: each item just listed
        listed = [ctx.retriever.records[i] for i in conv.items if _is_issue(ctx, i)]
        return listed[:ctx.settings.followup_items_asked_max]
    # (a list or count over issues, 「哪些单位涉及公务用车管理」, is no reference to one)
    named = _issue_by_headline(query.text, reports, ctx.settings) \
        if query.intent in (Intent.HOW, Intent.STATUS, Intent.FACT) else None
    if named:
        return [named]
    numbered = issues_by_number(query, reports)
    if numbered:
        return numbered
    terms = ctx.retriever.content_terms(query.topic_terms + [normalize(q) for q in query.quoted])
    if not terms:
        return []
    settings = ctx.settings
    report_ids = {r.report_id for r in reports}
    if ctx.retriever.absent_share(terms, list(report_ids)) > settings.max_absent_share:
        return []       # the question names something these reports never mention
    scored = ctx.retriever.score_issues(terms, qvec, report_ids)
    if not scored:
        return []
    full = [s for s in scored if s.lexical_problem >= settings.full_coverage]
    if len(full) > 1:
        full = sorted(full[:limit or settings.max_issues_per_how], key=lambda s: (s.report.title, s.record.seq))
        return [(s.record, s.report) for s in full]
    best = scored[0]
    close = best.dense >= settings.topic_min_dense and not lexical_only
    if best.lexical_problem >= settings.topic_min_lexical or close:
        return [(best.record, best.report)]
    return []


def issues_by_number(query: Query, reports: list[Report]) -> list[IssueHit]:
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


def issue_from_passages(ctx: Context, query: Query, search_text: str, reports: list[Report], qvec) -> list[IssueHit]:
    """When no issue's problem names the topic, the issue whose text best answers it,
    if that passage passes the answer/refuse decision."""
    retriever = ctx.retriever
    terms = retriever.content_terms(query.fact_terms or tokenize(search_text))
    ranked = retriever.sentences(terms, search_text, qvec, {r.report_id for r in reports}, None, limit=5)
    absent = retriever.absent_share(terms, [r.report_id for r in reports])
    for scored in ranked[:1]:
        record, report = retriever.records[retriever.index.sentences[scored.index].record_id]
        evidence = evidence_of(scored, absent, query, len(reports) < len(ctx.index.reports), terms,
                               fits(scored, query, retriever.sentence_body(scored.index),
                                    retriever.window_norm(scored.index), ctx.settings.part_share),
                               rarest=rarest_held(retriever, scored, terms))
        if record.kind is RecordKind.ISSUE and ctx.answerability.answerable(evidence):
            return [(record, report)]
    return []


def _topic_beyond_the_field(query: Query) -> list[str]:
    """The question's topic words other than those asking for a labelled part (负责, 时限)."""
    asking = load_lexicon().field_words
    return [t for t in query.topic_terms if not any(t in w for w in asking)]


def _issue_by_headline(question: str, reports: list[Report], settings) -> IssueHit | None:
    """「护理服务不够好这一条」: the one issue whose short headline the question nearly quotes
    (most of 护理服务不够优质 in one run), though a long problem statement elsewhere holds
    its words scattered."""
    q = normalize(question)
    best, best_share, second = None, 0.0, 0.0
    for report in reports:
        for issue in report.issues:
            head = normalize(issue.title)
            if not head or len(head) > settings.headline_quote_max_chars:
                continue
            match = SequenceMatcher(None, q, head, autojunk=False).find_longest_match(0, len(q), 0, len(head))
            share = match.size / len(head) if match.size >= settings.headline_quote_min_run else 0.0
            if share > best_share:
                best, best_share, second = (issue, report), share, best_share
            elif share > second:
                second = share
    if best is None or best_share < settings.headline_quote_min_share or second >= best_share:
        return None
    return best


def _is_issue(ctx: Context, record_id: str) -> bool:
    """A previous answer quoted from a section (a summary, a note) names no issue to
    ask how it was rectified; the question is searched instead."""
    return ctx.retriever.records[record_id][0].kind is RecordKind.ISSUE
