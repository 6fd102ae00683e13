"""Specific questions answered from passages: a figure, a date, a fact, how an issue was
rectified, whether it is finished. Every sentence of an answer is quoted verbatim."""
from __future__ import annotations

import re
from functools import lru_cache

from assistant.citations import cite, cite_problem, cite_record, cite_rectification, rectification_start
from assistant.config import AnswerSettings
from assistant.models import Answer, Citation
from assistant.retrieval import NAMED_UNITS, Retriever, ScoredSentence, unit_pattern
from assistant.term_match import chars_in_order, needles
from assistant.understanding import Intent, Query, figures_in, years_in
from index.tokenize import default_tokenizer, normalize
from ingest.lexicon import load_lexicon
from ingest.models import Issue, RecordKind, Report, Status


def fits(scored: ScoredSentence, query: Query, text_norm: str, window_norm: str, part_share: float) -> bool:
    """Whether a sentence can answer the kind of question asked: a figure of the wanted
    kind, any figure for 多少/几, and the thing counted (护士 in 多少名护士) in the
    sentence or the one before it."""
    if query.unit and not scored.has_unit:
        return False
    wants_figure = query.wants_number and query.unit not in (*NAMED_UNITS, "ordinal")
    if wants_figure and not re.search(r"\d", text_norm):
        return False
    if wants_figure and query.given_figures and not figures_in(text_norm) - query.given_figures:
        return False        # 「那3.86万元里低保金占多少」: the figure the question gives is no answer
    if wants_figure and query.money_part_terms and not _states_a_money_part(text_norm, query.money_part_terms, part_share):
        return False        # 「补贴里低保金那块有多少」: an amount stated with the part's words
    if wants_figure and query.part_terms and not _states_the_part(text_norm, window_norm, query, part_share):
        return False        # 「那82.6万元里超标准收费的占多少」: a sentence stating the total alone
    # (why the rest is still open, 「剩下那几份为啥还没弄完」, is told by what is still pending)
    pending = query.status is not None or bool(query.remainder)
    if _asks_why(query) and not load_lexicon().gives_reason(text_norm, pending=pending):
        return False        # 「白条记账是啥原因造成的」 is not answered by what was done about it
    if query.unit in ("date", "day") and _negates_the_event(text_norm, query.fact_terms):
        return False        # 「哪天缴入国库的」 is not answered by 「截至2023年末…未按规定及时缴入国库」
    if query.names_wanted > 1 and enumerated(text_norm, query.named_kind) < query.names_wanted:
        return False        # 「6个重点学科分别是哪些」 is not answered by 「确定重点学科6个」
    if _ASKS_TOTAL.search(query.text) and _ONLY_RATES.search(text_norm) and not _TOTAL_WORD.search(text_norm):
        return False        # 「一共花了多少钱」 is not answered by 「每人每月300元」
    if wants_figure and _ASKS_RATE.search(query.text) and not _STATES_RATE.search(text_norm):
        return False        # 「每户补助标准是多少」 is not answered by a total (争取补助资金2650万元)
    return not query.counted or bool(chars_in_order(query.counted, _COUNTED_GAP).search(window_norm))


def neighbour_stated(text_norm: str, query: Query) -> str:
    """The neighbour of what a figure question asks (上半年 for 下半年, 专职 for 兼职) that a
    sentence states instead: it names the neighbour and not the thing asked, or every
    clause holding a figure of the kind asked does. Empty when it states no neighbour."""
    q = normalize(query.text)
    pattern = unit_pattern(query.unit) if query.unit and query.unit not in NAMED_UNITS else re.compile(r"\d")
    clauses = [c for c in re.split(r"[，,；;。]", text_norm) if pattern.search(c)]
    for words in load_lexicon().contrasts:
        group = {normalize(w): w for w in words}
        asked = [w for w in group if w in q]
        if len(asked) != 1 or not clauses:
            continue
        instead = [o for o in group if o != asked[0] and o in text_norm]
        if instead and (asked[0] not in text_norm or
                        all(asked[0] not in c and any(o in c for o in instead) for c in clauses)):
            return group[instead[0]]
        joint = next((m.group(0) for o in instead for m in re.finditer(
            f"{re.escape(asked[0])}[和与及、]{re.escape(o)}|{re.escape(o)}[和与及、]{re.escape(asked[0])}", text_norm)), "")
        if joint and text_norm.count(asked[0]) == 1:
            return joint + "合计"      # 「中央和省级补助资金2650万元」 gives no 中央 figure alone
    return ""


@lru_cache(maxsize=1)
def _count_after_list() -> re.Pattern:
    return re.compile(r"、[^、]*?\d+\s*" + load_lexicon().counter_class("items") + r"(?P<noun>[\u4e00-\u9fff]{0,6})")


def _asks_why(query: Query) -> bool:
    return load_lexicon().asks_why(normalize(query.text))


def enumerated(text_norm: str, kind: str = "") -> int:
    """The most things one clause names side by side (「小学教育、汉语言文学和数学」: 3), of
    the kind given when one is (a clause naming 专业)."""
    most = 1
    # a 、 inside brackets is part of one name (县（市、区）分局), not a list
    for clause in re.split(r"[，,；;。：:]", re.sub(r"[（(][^（()）]*[）)]", "", text_norm)):
        counted = _count_after_list().search(clause)     # 「小学教育、…英语3个专业」: what they are
        if "、" in clause and kind in (counted.group("noun") if counted else clause):
            most = max(most, clause.count("、") + 1 + bool(re.search(r"、[^、]+[和及与]", clause)))
    return most


# a negation right before the verb, with at most the adverbs of manner between (未按规定及时
# 缴入), never the 未 of a word (未成年人)
_NEGATION = re.compile(r"(?:未|没有|没|尚未|未能|不)(?:按规定|按要求|及时|按时|全额|足额|全部|完全|彻底)*$")


def _negates_the_event(text_norm: str, terms: list[str]) -> bool:
    """A word of the question the sentence says only as not done (未按规定及时缴入国库):
    the sentence's date is not when it happened."""
    whole = [t for t in terms if not any(t != o and t in o for o in terms)]    # 未成年人, not its 成年
    for term in (t for t in whole if len(t) >= 2 and t in text_norm):
        starts = [m.start() for m in re.finditer(re.escape(term), text_norm)]
        if all(_NEGATION.search(text_norm[max(0, i - 8):i]) and not _one_word_with_negation(text_norm, i, term)
               for i in starts):
            return True
    return False


def _one_word_with_negation(text_norm: str, at: int, term: str) -> bool:
    """「干预不合理处方」: 不合理 is one word, an adjective, not 合理 said as not done."""
    return at > 0 and text_norm[at - 1] in "不未无非" and default_tokenizer().knows(text_norm[at - 1] + term)


_A_LISTED_TOTAL = re.compile(r"、.*(?:共计|合计|总计|累计|共)\D{0,4}\d")


def _states_the_part(text_norm: str, window_norm: str, query: Query, share: float) -> bool:
    """Whether a sentence states the part a question asks of a figure it gives: another
    figure with words of the part, either from the clause of the given figure on (a part
    stated after its whole: 「…26名，其中…11名」, or in the 「其中…」 sentence right after
    it), or in one clause with the given figure's unit (「其中低保金1.20万元，共…3.86万元」)."""
    given = query.given_figures
    clauses = re.split(r"[，,；;。]", text_norm)
    if not given:
        # 「其中低保金是多少」: the whole was the previous answer's; a clause states the part,
        # not the whole that lists it among others (低保金、临时救助资金…等费用共计17.63万元)
        return any(re.search(r"\d", c) and _names_the_part(query, c, share) and not _A_LISTED_TOTAL.search(c)
                   for c in clauses)
    at = next((i for i, c in enumerate(clauses) if figures_in(c) & given), None)
    if at is None and not (figures_in(window_norm) & given and _BREAKDOWN.match(text_norm)):
        return False
    if _names_the_part(query, "".join(clauses[at or 0:]), share):
        return True
    units = _units_of(query.text, given)
    return any(_names_the_part(query, c, share) and _units_of(c, figures_in(c) - given) & units for c in clauses)


def _states_a_money_part(text_norm: str, words: list[str], share: float) -> bool:
    """A clause holds an amount of money and at least `share` of the words of the part asked."""
    money = unit_pattern("money")
    return any(money.search(c) and sum(w in c for w in words) >= share * len(words)
               for c in re.split(r"[，,；;。]", text_norm))


def _names_the_part(query: Query, text: str, share: float) -> bool:
    others = figures_in(text) - query.given_figures - years_in(text)
    return bool(others) and sum(t in text for t in query.part_terms) >= share * len(query.part_terms)


def _units_of(text: str, figures: frozenset[str]) -> set[str]:
    """The units written after the given figures in a text (万元, 名, 条 …)."""
    return {m.group(2) for m in _FIGURE_UNIT.finditer(text) if m.group(1) in figures}


_FIGURE_UNIT = re.compile(r"(\d+(?:\.\d+)?)(万元|亿元|%|[\u4e00-\u9fff])")


# A sentence breaking down the figure of the one before it.
_BREAKDOWN = re.compile(r"其中|包括|含|分别")


# A figure given per person, per month … (a rate or a standard), not an amount.
_ONLY_RATES = re.compile(r"(?:每|人均|平均|标准)[^，。；\d]{0,6}\d")
# a figure asked per unit (每户/每个项目/人均/标准) and one a sentence states so
_ASKS_RATE = re.compile(r"每(?:一)?[个户人项所家名位次台件批亩年月天]|人均|户均|平均每|补助标准|补贴标准|收费标准|单价")
_STATES_RATE = re.compile(r"每(?:一)?[\u4e00-\u9fff]{0,6}\d|\d[^，。；]{0,8}(?:每|/)[\u4e00-\u9fff]|[日月年周人户次场]均|平均|标准|单价")


# The counted thing a question names, or its expansion: 公卫 matches 公共卫生 (its
# characters in order, each at most this many characters after the previous).
_COUNTED_GAP = 3


_PARTS = re.compile(r"多少|几[个项条名家次天年月]|哪[天年个些里]|什么时候|何时|谁")
_SEVERAL = re.compile(r"分别|前后|各(?:是|有|为)?(?:多少|几)|和.{1,10}各|以及|[，,；;]还有.{0,6}(?:多少|几)")


def asked_parts(question: str) -> int:
    """How many things a question asks for (「计划多少，实际多少」 asks two)."""
    return max(len(_PARTS.findall(question)), 2 if _SEVERAL.search(question) else 1)


def compose_fact(query: Query, ranked: list[ScoredSentence], retriever: Retriever,
                 settings: AnswerSettings, per_report: list[ScoredSentence] | None = None) -> Answer:
    """The best sentence and, for a question of several parts, the sentences beside it or
    next in rank that hold the other figures (at most a few, within a length budget);
    else a close second from another place. `per_report`: one sentence per report, each
    under its report's name (a question naming no report that several answer). Each is cited."""
    index = retriever.index
    chosen = [ranked[0]]
    if per_report and len(per_report) > 1:
        chosen = per_report
    elif asks_which_things(query):
        chosen = _every_mention(query, ranked, retriever, settings)
    elif asked_parts(query.text) > 1:
        chosen = _several_parts(ranked, retriever, settings, asked_parts(query.text))
    else:
        for cand in ranked[1:4]:
            if ranked[0].score - cand.score > settings.extra_sentence_margin:
                break
            chosen.append(cand)
            break
    lines, citations = [], []
    for scored in chosen:
        ref = index.sentences[scored.index]
        record, report = retriever.records[ref.record_id]
        citations.append(cite(report, record, ref.start, ref.end))
        where = f"【{record.label}】{record.title}" if record.kind is RecordKind.ISSUE else record.title
        prefix = f"据《{report.title}》" + (f"{where}：" if where else "：")
        lines.append(f"{prefix}{ref.text.strip()}[{len(citations)}]")
    total = stated_parts_total(query, index.sentences[chosen[0].index].text)
    if total:
        lines.append(total)
    return Answer("\n".join(lines), True, citations, intent=Intent.FACT.value,
                  items=[index.sentences[c.index].record_id for c in chosen[:1]])


# 「都成立过哪些工作专班」「采取了哪几种方式」: which things, by name, not a figure
_WHICH_THINGS = re.compile(r"(?:哪些|哪几[个项类种家所条笔]?)(?P<noun>[\u4e00-\u9fff]{2,8}?)(?:[？?。，,]|$)")
# 「哪些违规发的钱清退后上交了财政专户」: which things a clause is true of
_WHICH = re.compile(r"哪些|哪几[个项类种家所条笔]?")


def asks_which_things(query: Query) -> bool:
    """A fact question asking which things (not issues, not a figure); 「分别来自哪几块」
    asks for the parts of one figure, which the sentences beside it give."""
    q = normalize(query.text)
    if query.wants_number or query.unit:
        return False
    return bool(_WHICH_THINGS.search(q)) or (bool(_WHICH.search(q)) and asked_parts(query.text) <= 1)


def _every_mention(query: Query, ranked: list[ScoredSentence], retriever: Retriever,
                   settings: AnswerSettings) -> list[ScoredSentence]:
    """The best sentence and every other candidate naming the things asked (the words of
    the noun after 哪些), or, when a clause follows 哪些, every one stating that clause
    about as fully as the best: the things are named in several places. In report order."""
    from index.tokenize import tokenize

    named = _WHICH_THINGS.search(normalize(query.text))
    if named:
        words = [t for t in retriever.content_terms(tokenize(named.group("noun"))) if len(t) > 1]
        if not words:
            return ranked[:1]
        others = [s for s in ranked[1:] if all(w in retriever.sentence_body(s.index) for w in words)]
    else:
        floor = ranked[0].coverage - settings.which_things_coverage_margin
        others = [s for s in ranked[1:] if s.coverage >= floor]
    return sorted([ranked[0]] + others[:settings.mention_max_sentences - 1], key=lambda s: s.index)


def _several_parts(ranked: list[ScoredSentence], retriever: Retriever, settings: AnswerSettings,
                   parts: int) -> list[ScoredSentence]:
    """The best sentence, then the sentences beside it or next in rank holding figures,
    until the sentences hold a figure for each part asked (「由46人增加到78人」 holds both
    parts of 「从多少人增加到多少人」 and needs no other sentence)."""
    index = retriever.index
    best = ranked[0]
    neighbours = [best.index + d for d in (1, -1) if 0 <= best.index + d < len(index.sentences)
                  and index.sentences[best.index + d].record_id == index.sentences[best.index].record_id]
    pool = [ScoredSentence(i, best.score, best.dense, best.coverage, best.context, best.has_unit) for i in neighbours]
    chosen, length = [best], len(index.sentences[best.index].text)
    for cand in pool + ranked[1:settings.fact_candidates_for_parts]:
        if _figure_count(" ".join(index.sentences[c.index].text for c in chosen)) >= parts:
            break
        if len(chosen) >= settings.fact_max_sentences or any(c.index == cand.index for c in chosen):
            continue
        text = index.sentences[cand.index].text
        if not _holds_a_figure(text) or length + len(text) > settings.fact_max_chars:
            continue
        chosen.append(cand)
        length += len(text)
    return sorted(_without_repeats(chosen, index), key=lambda c: c.index)


# 「整改情况：（1）配齐配强思政课教师。」: the number of an enumerated point is no figure
_ENUMERATOR = re.compile(r"[（(]\s*\d{1,2}\s*[）)]|(?<!\d)\d{1,2}\s*[、．.](?!\d)|第\d{1,2}[条项点]")


def _holds_a_figure(text: str) -> bool:
    return bool(re.search(r"\d", _ENUMERATOR.sub("", text)))


# a date or a ratio is one figure: 2024年8月12日, 1:0.42, 1∶348
_DATE = re.compile(r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}\s*年|\d+(?:\.\d+)?\s*[:：∶]\s*\d+(?:\.\d+)?")


def _figures(text: str) -> set[str]:
    """The figures a text states, a date or a ratio as one."""
    text = _ENUMERATOR.sub("", normalize(text))
    whole = {m.group(0) for m in _DATE.finditer(text)}
    return whole | set(re.findall(r"\d+(?:\.\d+)?", _DATE.sub("#", text)))


def _figure_count(text: str) -> int:
    return len(_figures(text))


def _without_repeats(chosen: list[ScoredSentence], index) -> list[ScoredSentence]:
    """Drop a sentence whose every figure another chosen sentence states too (the problem
    statement's 床护比仅为1:0.42 beside 床护比由1:0.42提高到1:0.55): it adds nothing."""
    figures = {c.index: _figures(index.sentences[c.index].text) for c in chosen}
    return [c for c in chosen
            if not any(o.index != c.index and figures[c.index] < figures[o.index] for o in chosen)]


_ASKS_TOTAL = re.compile(r"一共|总共|合计|共计|加起来|总数|总额|总金额|总投资")
_TOTAL_WORD = re.compile(r"(?:共|合计|累计|总计|总共)\D{0,6}\d")


def stated_parts_total(query: Query, sentence: str) -> str:
    """「一共评了多少家」 when the sentence gives only the parts (五星级27家、四星级182家…):
    their sum, said to be a sum, so the figure is checkable against the quote."""
    if not _ASKS_TOTAL.search(query.text) or not query.unit or _TOTAL_WORD.search(sentence):
        return ""
    unit = re.escape(query.unit)
    # the parts of one total are listed side by side, each with its own label:
    # 「五星级27家、四星级182家」; 「17家基层医疗机构中，5家…」 names a whole and a part of it
    parts = re.findall(rf"[\u4e00-\u9fffA-Za-z]{{1,12}}?(\d+(?:\.\d+)?)\s*{unit}(?=[、，,；;和及。]|$)", sentence)
    if len(parts) < 2 or re.search(rf"\d\s*{unit}[\u4e00-\u9fff]{{0,10}}(?:中|之中|当中|里|内)[，,]", sentence) \
            or "、" not in sentence:
        return ""
    numbers = parts
    values = [float(n) for n in numbers]
    total = sum(values)
    shown = int(total) if total.is_integer() else round(total, 2)
    return f"（报告未直接给出合计；按原文各项相加：{'+'.join(numbers)}={shown}{query.unit}）"


def compose_how(issue: Issue, report: Report, max_chars: int = AnswerSettings().how_max_chars,
                topic: list[str] = ()) -> Answer:
    """The issue's rectification measures, verbatim, under its headline: the whole text
    when short, else the lead sentence of every measure (一是… / （1）…) and the progress
    line, within `max_chars`. The one citation is the whole issue, as the report prints it."""
    rect = cite_rectification(report, issue).text or issue.rectification   # a ledger row has no label
    status = issue.status.label_zh or "报告未标明是否已完成"
    body = rect if len(rect) <= max_chars else condense_measures(rect, max_chars, topic)
    text = f"《{report.title}》【{issue.label}】{issue.title}（{status}）的整改情况：\n{body}[1]"
    return Answer(text, True, [cite_record(report, issue)], intent=Intent.HOW.value, items=[issue.record_id])


def with_the_plan_for(answer: Answer, report: Report, things: list[str]) -> Answer:
    """A how answer asked of what is planned (「黄泥岗公墓的事接下来打算怎么弄」) also quotes the
    next-steps sentences of the report that name the thing asked about."""
    quoted = []
    for record in _next_step_sections(report):
        for m in _CLAUSE.finditer(report.body[record.start:record.end]):
            if any(t in normalize(m.group(0)) for t in things):
                quoted.append(cite(report, record, record.start + m.start(), record.start + m.end()))
    return _with_quotes(answer, "下一步安排", quoted) if quoted else answer


def with_measures_elsewhere(answer: Answer, issue: Issue, report: Report, retriever: Retriever,
                            topic: list[str], settings: AnswerSettings = AnswerSettings()) -> Answer:
    """A how answer whose issue's problem names a thing asked about that its measures never
    name (精神病区, asked under 就医环境) also quotes the measure naming it from another issue
    of the report: reports file a measure under the issue it was done for, which is not
    always the issue whose problem names the thing."""
    # the thing asked about is in the problem as found, the reason this issue was picked
    problem = normalize(report.body[issue.start:rectification_start(issue)])
    measures = normalize(cite_rectification(report, issue).text)
    terms = [t for t in retriever.content_terms(topic) if _literally_in(t, problem)]
    missing = [t for t in terms if not _literally_in(t, measures)]
    if not missing:
        return answer
    # only the most specific word: a commoner one (设备, 管控) is named by measures of
    # every kind, and a quote of them would be one the question never asked for
    key = max(missing, key=retriever.idf)
    others = ((o, cite_rectification(report, o)) for o in report.issues if o.record_id != issue.record_id)
    naming = [(o, block, text) for o, block in others if _literally_in(key, text := normalize(block.text))]
    if not naming or len(naming) > settings.how_elsewhere_max_issues:
        return answer
    other, block, _ = max(naming, key=lambda n: retriever.coverage(terms, n[2]))
    quoted = _sentences_naming(report, other, block, key, settings)
    # a measure of its own (二是推动精神病区管理), not a word in passing (线上诊疗服务)
    if not any(_MEASURE_START.match(c.text) for c in quoted):
        return answer
    return _with_quotes(answer, f"报告在【{block.issue or block.section}】的整改情况中也写到“{key}”", quoted)


def _sentences_naming(report: Report, record: Issue, block: Citation, key: str,
                      settings: AnswerSettings) -> list[Citation]:
    """The sentences of `record`'s cited block that name `key`, as many as a fact answer quotes."""
    quoted, length = [], 0
    for m in _CLAUSE.finditer(block.text):
        text = m.group(0)
        if _literally_in(key, normalize(text)) and length + len(text) <= settings.fact_max_chars \
                and len(quoted) < settings.fact_max_sentences:
            quoted.append(cite(report, record, block.start + m.start(), block.start + m.end()))
            length += len(text)
    return quoted


def _with_quotes(answer: Answer, heading: str, quoted: list[Citation]) -> Answer:
    """`answer` followed by `heading` and the quoted passages, numbered after its own."""
    first = len(answer.citations) + 1
    lines = "\n".join(f"{c.text}[{first + n}]" for n, c in enumerate(quoted))
    return Answer(f"{answer.answer}\n{heading}：\n{lines}", True, answer.citations + quoted,
                  intent=answer.intent, items=answer.items)


# a sentence or a clause ended by a semicolon: the unit an added quote is cut to
_CLAUSE = re.compile(r"[^。；\n]+[。；]?")


def _literally_in(term: str, text_norm: str) -> bool:
    """The term or a written form of it, as it stands (no characters spread apart: the
    most specific word of a question is matched as written)."""
    return any(n in text_norm for n in needles(term))


def _next_step_sections(report: Report) -> list[Issue]:
    """The sections of a report's next steps: under a heading with a next-steps word, or
    under one whose opening line has it (附件 / 桐江市…巡察整改工作下一步计划)."""
    words = tuple(load_lexicon().section_words("next_steps"))
    sections = [r for r in report.records if r.kind is RecordKind.SECTION]
    heads = {r.title for r in sections if any(w in report.body[r.start:r.start + 60] for w in words)}
    return [r for r in sections if r.title in heads or any(h in heads or any(w in h for w in words)
                                                           for h in r.heading_path + [r.title])]


_MEASURE_START = re.compile(r"(?:[一二三四五六七八九十]是|[（(]\d{1,2}[）)]|(?<![\d.])\d{1,2}[.、．](?!\d)|[①-⑳])")
_PROGRESS_LINE = re.compile(r"(?:完成情况|整改进展|进展情况|整改成效)\s*[:：][^\n]*")
_LEAD_END = re.compile(r"[。；;]")


def condense_measures(text: str, max_chars: int, topic: list[str] = ()) -> str:
    """Each measure's lead sentence, verbatim, joined by ……, then the progress line; a
    measure about the question's topic (公务用车 in 三是加强公务用车管理……) whole, where that
    leaves room for every other lead: the measures are what a how answer owes first."""
    starts = [m.start() for m in _MEASURE_START.finditer(text)]
    progress = _PROGRESS_LINE.search(text)
    tail = _first_sentence(progress.group(0)) if progress else ""
    leads, wholes = [], []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(text)
        end = _LEAD_END.search(text, start, stop)
        leads.append(text[start:end.end() if end else stop].strip())
        wholes.append(text[start:stop].strip())
    if not leads:
        leads = [s for s in re.split(r"(?<=[。；])", text) if s.strip()]
    used = len(tail) + sum(map(len, leads))
    for n, whole in enumerate(wholes):
        grown = used - len(leads[n]) + len(whole)
        if topic and any(t in whole for t in topic) and grown <= max_chars:
            leads[n], used = whole, grown
    out, used = [], len(tail)
    for lead in leads:
        if used + len(lead) > max_chars and out:
            break
        out.append(lead)
        used += len(lead)
    return "……".join(out) + ("……" + tail if tail and tail not in "".join(out) else "")


def _first_sentence(text: str) -> str:
    end = _LEAD_END.search(text)
    return text[:end.end()] if end else text


_ASKS_COMPLETION_RATE = re.compile(r"完成(?:率|比例|比率|的比例|的占比)|完成了百分之|完成了?多少%")
_RATE_PARTS = (("measures_completed", "measures", "整改措施"), ("completed", "problems", "问题"))


def compose_completion_rate(report: Report, question: str) -> Answer | None:
    """「完成比例是多少」 where the report states only the counts (56条措施已完成51条):
    the ratio of the stated figures, said to be computed, citing the totals sentence."""
    if not _ASKS_COMPLETION_RATE.search(question):
        return None
    wants_measures = "措施" in question or "问题" not in question
    for done_key, total_key, noun in _RATE_PARTS if wants_measures else _RATE_PARTS[::-1]:
        done = next((s for s in report.stated if s.what == done_key), None)
        total = next((s for s in report.stated if s.what == total_key), None)
        if done is None or total is None or not total.value:
            continue
        record = next((r for r in report.records if r.start <= done.start < r.end), report.records[0])
        citation = cite(report, record, done.start, done.start + len(done.text))
        rate = 100.0 * done.value / total.value
        text = (f"据《{report.title}》：{citation.text}[1]\n（报告未直接给出完成比例；按原文计算："
                f"{done.value}÷{total.value}≈{rate:.1f}%）")
        return Answer(text, True, [citation], intent=Intent.FACT.value)
    return None


# What users call an issue's labelled parts, in answers.
FIELD_NAMES = {"deadline": "整改时限", "responsible": "责任单位", "target": "整改目标"}


def compose_field(issue: Issue, report: Report, part: str) -> Answer:
    """One labelled part of an issue (its deadline, responsible unit …), quoted; for a
    deadline, also the sentence of its progress that expects a date of its own
    (「剩余11个预计2025年5月底前完工」 beside 整改时限 2025年6月底前)."""
    start, end = issue.fields[part]
    citations = [cite(report, issue, start, end)]
    text = f"《{report.title}》【{issue.label}】{issue.title}的{FIELD_NAMES[part]}：{citations[0].text}[1]"
    if part == "deadline":
        for expected in _expected_dates(issue, report, (start, end)):
            citations.append(expected)
            text += f"\n整改进展中的预计：{expected.text}[{len(citations)}]"
    return Answer(text, True, citations, intent=Intent.FACT.value, items=[issue.record_id])


def compose_expected_deadline(issue: Issue, report: Report) -> Answer | None:
    """An issue with no deadline field: the clause of its text expecting a date
    (「预计2025年6月底前完成」), or None when it expects none."""
    expected = _expected_dates(issue, report, (-1, -1), "。；;\n")
    if not expected:
        return None
    text = f"《{report.title}》【{issue.label}】{issue.title}：报告未列整改时限，整改情况中写明：{expected[0].text}[1]"
    return Answer(text, True, expected, intent=Intent.FACT.value, items=[issue.record_id])


_EXPECTS = re.compile(r"(?:预计|计划|力争|确保|拟于?)[^。；;\n]{0,30}?(?:(?:19|20)\d{2}\s*年|\d{1,2}\s*月)")


def _expected_dates(issue: Issue, report: Report, field: tuple[int, int], opening: str = "。；;\n，,") -> list:
    """Clauses of an issue's text, outside its deadline field, that expect a date (from the
    last of `opening` before it: a comma for the clause, a full stop for its sentence)."""
    out = []
    for match in _EXPECTS.finditer(issue.text):
        start = issue.start + match.start()
        if field[0] <= start < field[1]:
            continue
        begin = max(issue.text.rfind(c, 0, match.start()) for c in opening) + 1
        ends = [i for i in (issue.text.find(c, match.end()) for c in "。；;\n") if i != -1]
        stop = min(ends) if ends else len(issue.text)
        out.append(cite(report, issue, issue.start + begin, issue.start + stop))
    return out[:1]


def compose_problem(issue: Issue, report: Report, retriever: Retriever | None = None,
                    terms: list[str] = ()) -> Answer:
    """What the inspection found: the issue's headline, and the sentences of its problem
    statement that speak of the question's topic (a long statement covers several)."""
    citations = [cite_problem(report, issue)]
    if retriever is not None and terms:
        for index in retriever.problem_sentences_about(issue.record_id, list(terms)):
            ref = retriever.index.sentences[index]
            if not any(c.start <= ref.start and ref.end <= c.end for c in citations):
                citations.append(cite(report, issue, ref.start, ref.end))
    quoted = "".join(f"{c.text}[{n}]" for n, c in enumerate(citations, 1))
    text = f"《{report.title}》【{issue.label}】{issue.title}：{quoted}"
    return Answer(text, True, citations, intent=Intent.FACT.value, items=[issue.record_id])


def compose_status(issue: Issue, report: Report) -> Answer:
    """Whether one issue is finished, as the report states it."""
    rect = cite_rectification(report, issue).text or issue.rectification
    if issue.status is not Status.UNKNOWN:
        said = f"（报告原文：{issue.status_words}）" if issue.status_words else ""
        verdict = f"报告标明的整改状态为“{issue.status.label_zh}”{said}。"
    else:
        verdict = "报告没有标明该问题是否已整改完成，只通报了整改情况。"
    text = f"《{report.title}》【{issue.label}】{issue.title}：{verdict}\n{rect}[1]"
    return Answer(text, True, [cite_record(report, issue)], intent=Intent.STATUS.value, items=[issue.record_id])


def compose_refusal(question: str, related: list, retriever: Retriever, reason: str = "") -> Answer:
    """Say plainly that the reports do not answer it; offer the closest passages."""
    citations = []
    for scored in related:
        ref = retriever.index.sentences[scored.index]
        record, report = retriever.records[ref.record_id]
        citations.append(cite(report, record, ref.start, ref.end, related_only=True))
    text = f"报告中未找到能回答该问题的内容{('（' + reason + '）') if reason else ''}。"
    if citations:
        text += "\n以下段落可能相关，仅供参考：" + "".join(f"[{n}]" for n in range(1, len(citations) + 1))
    return Answer(text, False, citations, intent="none")


_SIGNED = re.compile(r"落款|成文|签发|署名")
_PUBLISHED = re.compile(r"发布|公布|发出|印发")
_DATE_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*$", re.M)
_PUBLISHED_LINE = re.compile(r"^\s*(?:发布|发文|印发|成文)(?:时间|日期)\s*[:：].*\d.*$", re.M)


def compose_report_date(question: str, reports: list[Report]) -> Answer | None:
    """When was the report itself signed or published: its own date lines, not a passage."""
    if not re.search(r"日期|哪天|什么时候|何时|时间|几号|哪一天", question):
        return None
    signed, published = bool(_SIGNED.search(question)), bool(_PUBLISHED.search(question))
    if not (signed or published) or not re.search(r"通报|报告|文件|这份|落款|成文|签发", question):
        return None
    lines, citations = [], []
    for report in reports:
        pattern = _DATE_LINE if signed else _PUBLISHED_LINE
        matches = list(pattern.finditer(report.body))
        if not matches and published:
            matches = list(_DATE_LINE.finditer(report.body))
        if not matches:
            continue
        match = matches[-1] if signed else matches[0]
        record = next((r for r in report.records if r.start <= match.start() < r.end), report.records[0])
        citations.append(cite(report, record, match.start(), match.end()))
        kind = "落款日期" if signed else "发布时间"
        lines.append(f"《{report.title}》的{kind}：{citations[-1].text}[{len(citations)}]")
    if not citations:
        return None
    return Answer("\n".join(lines), True, citations, intent=Intent.FACT.value)


def compose_section_list(report: Report, section: Issue, children: list[Issue]) -> Answer:
    """The numbered sub-headings of a section, each cited with its own text."""
    lines = [f"《{report.title}》“{section.title}”共{len(children)}点："]
    citations = []
    for n, child in enumerate(children, 1):
        end = report.body.find("\n", child.start)
        citations.append(cite(report, child, child.start, end if 0 < end < child.end else child.end))
        lines.append(f"{n}. {child.title}[{len(citations)}]")
    return Answer("\n".join(lines), True, citations, intent=Intent.LIST.value, items=[c.record_id for c in children])
