"""Follow-up questions: resolve 「第3个」「它」「这几个里面」 against the conversation.

History arrives as plain text turns, possibly written by someone else, so the previous
answer's items are recovered two ways: from the numbered lines of the last assistant
turn (matched back to records), else by answering the previous question again
(deterministic in default mode).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.understanding import Query, has_anaphora, names_records, understand
from index.tokenize import normalize, tokenize
from ingest.lexicon import load_lexicon

_ITEM_LINE = re.compile(r"(?m)^\s*(?:(?P<n>\d{1,3})[.、．)）]|[（(](?P<p>\d{1,3})[）)]|(?P<c>[①-⑳]))\s*(?P<text>.+)$")
_INLINE_ITEM = re.compile(r"(?:^|[；;。：:\s])(?:(?P<n>\d{1,3})[.、．]|[（(](?P<p>\d{1,3})[）)]|(?P<c>[①-⑳]))\s*(?P<text>[^；;。\n]+)")
_LABEL_IN_ITEM = re.compile(r"【(?P<label>[^】]{1,20})】")
_PLURAL_REF = re.compile(r"这几|那几|这些|那些|其中|上述|以上|上面|前面|刚才")
# 「那县卫健委那份报告呢？」: the previous question, asked again of something else
_ELLIPTIC = re.compile(r"^(?:那|那么)?.{1,16}?(?:的)?(?:呢|怎么样|如何|又如何|情况呢)[？?]?$")
_ORDINAL_REF = re.compile(r"第\s*[0-9一二三四五六七八九十]{1,3}\s*[个项条点]")
# Words by which a follow-up refers back to what was just answered.
_REFERS_BACK = re.compile(r"剩下|剩余|其余|那部分|这部分|这笔|那笔|后来|最后|结果|目标|当时|之后|现在|目前|"
                          r"别的|其他|另外|还有|原来|原先|^(?:那|那么)?(?:分别|具体|各自|都)是")


@dataclass
class Conversation:
    """What the previous turns give a follow-up to stand on."""

    previous_question: str = ""
    items: list[str] = field(default_factory=list)      # record ids of the previous list
    report_ids: list[str] = field(default_factory=list)
    same_subject: bool = False     # a later part of one compound question: about the same issue
    positions: dict[int, str] = field(default_factory=dict)   # 第N个 -> record id, as numbered in the text
    written: list[str] = field(default_factory=list)   # the items as the previous answer wrote them
    keeps_scope: bool = False      # the question was rewritten to name a written item: same reports

    def written_at(self, ordinal: int | None, last: bool = False) -> str | None:
        """The item the previous answer wrote `ordinal`-th (or last), as written: 黄泥岗公墓."""
        if last and not ordinal:
            ordinal = len(self.written)
        return self.written[ordinal - 1] if ordinal and 1 <= ordinal <= len(self.written) else None

    def item_at(self, ordinal: int | None, last: bool = False) -> str | None:
        """The record the previous answer numbered `ordinal` (第3个), or its last (最后那个),
        if known."""
        if last and not ordinal:
            ordinal = max(self.positions) if self.positions else len(self.items)
        if not ordinal:
            return None
        if self.positions:
            return self.positions.get(ordinal)
        return self.items[ordinal - 1] if 1 <= ordinal <= len(self.items) else None


_ISSUE_WORDS = re.compile(r"问题|事项|整改任务")


def remainder_within_issue(question: str, conv: Conversation | None, ordinal: int | None = None,
                           last: bool = False) -> str | None:
    """The one issue whose rest 「剩下没追回来的有多少」 asks after an answer about it (its
    money, its rivers), or 「第二个还剩多少钱没清理」 after a list; None for the issues still
    open (it says 问题) or when no one issue is meant."""
    if not conv or _ISSUE_WORDS.search(question):
        return None
    if ordinal or last:
        return conv.item_at(ordinal, last)
    return conv.items[0] if len(conv.items) == 1 else None


def read_remainder(question: str, query: Query, record_text: str) -> tuple[list[str], list[str]]:
    """(remainder words, fact terms) of 「剩下那部分钱…」 asked of one issue: where its
    record names the rest (剩余156.5万元), that sentence is sought, and it tells what
    became of the rest (申请仲裁), so the word the question denies (没追回来) is not
    sought in it. A record naming no rest leaves the terms as they are."""
    remainder = [w for w in _remainder_words(query.status_phrases) if w in record_text]
    if not remainder:
        return [], query.fact_terms
    return remainder, [t for t in query.fact_terms if not _negated(question, t)] + remainder[:1]


def _remainder_words(phrases: list[str]) -> list[str]:
    """The remainder words (剩余, 其余 …) when a question's status phrases ask for the rest:
    the one asked first, the others after it (a report says 其余17个 for 剩下的)."""
    lexicon = load_lexicon()
    remainder = lexicon.totals("remainder")
    asked = [w for w in dict.fromkeys(lexicon.written_word(p) for p in phrases) if w in remainder]
    return asked + [w for w in remainder if w not in asked] if asked else []


_NEGATION_REACH = 2      # 没追回来: a negation this close before a word denies it


def _negated(question: str, term: str) -> bool:
    """Whether `term` stands right after a negation word (没/未/尚未 …) in the question."""
    q = normalize(question)
    at = q.find(term)
    return at > 0 and any(n in q[max(0, at - _NEGATION_REACH - len(n) + 1):at] for n in load_lexicon().negations)


def last_turns(history: list[dict] | None) -> tuple[str, str]:
    """(last user question, last assistant answer) of the history, '' when missing."""
    question = answer = ""
    for turn in history if isinstance(history, list) else []:
        if not isinstance(turn, dict):
            continue            # a malformed turn is skipped, not fatal
        role, content = turn.get("role"), str(turn.get("content") or "")
        if role == "user":
            question, answer = content, ""
        elif role == "assistant":
            answer = content
    return question, answer


def written_items(answer_text: str) -> list[str]:
    """The short items an answer lists (1. 白马岭公墓 2. 云台公墓 …), in order, as written."""
    answer_text = re.sub(r"\s+(?=\d{1,2}[.、．]\s*\D)", "\n", answer_text)     # numbered on one line
    numbered = _numbered(_ITEM_LINE, answer_text)
    if len(numbered) < 2:
        numbered = _numbered(_INLINE_ITEM, answer_text)
    lines = [numbered[n] for n in sorted(numbered)] if len(numbered) >= 2 else _enumerated(answer_text)
    return [_LEAD_OF_ITEM.split(line.strip(), maxsplit=1)[0].strip() for line in lines]


_LEAD_OF_ITEM = re.compile(r"[：:（(，,。；;]|\s+\d")


def items_by_position(answer_text: str, issues: list, min_share: float = 0.5) -> dict[int, str]:
    """The matched items of an answer text by the position they were written at (1-based):
    an item that matches no issue keeps its place, so 第3个 is still the third written."""
    numbered = _numbered(_ITEM_LINE, answer_text)
    if len(numbered) < 2:
        numbered = _numbered(_INLINE_ITEM, answer_text)
    if len(numbered) < 2:
        # 「包括甲、乙、丙」 has no numbers, and its first piece may be the lead-in: the
        # matched pieces are counted in order
        found = [_match_item(line, issues, min_share) for line in _enumerated(answer_text)]
        return {n: issue.record_id for n, issue in enumerate((i for i in found if i is not None), 1)}
    matched = {n: _match_item(line, issues, min_share) for n, line in numbered.items()}
    return {n: issue.record_id for n, issue in matched.items() if issue is not None}


def items_named_in(answer_text: str, issues: list, min_share: float = 0.5) -> list[str]:
    """The issues of `issues` whose headlines the answer text (someone's prose, no numbered
    list) names: 「正在推进的是农村黑臭水体治理」 names one, 「学前教育普惠发展推进缓慢；教师
    队伍结构性矛盾突出」 two. Empty when it names none."""
    text = normalize(answer_text)
    named = []
    for issue in issues:
        words = [w for w in tokenize(issue.title) if len(w) > 1]
        if words and sum(1 for w in words if w in text) / len(words) >= min_share:
            named.append(issue.record_id)
    return named


def item_named_by(terms: list[str], items: list[str], headline) -> str | None:
    """The one item of the previous answer that the follow-up's own words name
    (「人居环境那个啥时候能弄完」 after three items listed): most of the words are in its
    headline (`headline(record_id)`) and in no other item's as much."""
    words = [t for t in terms if len(t) > 1]
    if len(items) < 2 or not words:
        return None
    shares = sorted(((sum(w in headline(rid) for w in words) / len(words), rid) for rid in items), reverse=True)
    if shares[0][0] < _NAMED_ITEM_SHARE or shares[1][0] >= shares[0][0]:
        return None
    return shares[0][1]


_NAMED_ITEM_SHARE = 0.5


def _numbered(pattern: re.Pattern, text: str) -> dict[int, str]:
    """Items by the number written before them (1. / （1） / ①); numbering that restarts
    (one list per report) counts on through the whole answer instead."""
    found = [(int(m.group("n") or m.group("p")) if (m.group("n") or m.group("p")) else ord(m.group("c")) - ord("①") + 1,
              m.group("text")) for m in pattern.finditer(text)]
    if len({n for n, _ in found}) < len(found):
        return {k: line for k, (_, line) in enumerate(found, 1)}
    return dict(found)


# 「包括甲、乙、丙3个问题」「巡察指出4种：甲、乙、丙、丁」: items someone wrote in one sentence,
# separated by 、
_ENUMERATION = re.compile(r"(?:包括|包含|有|是|为|(?:\d{1,2}|[一二两三四五六七八九十]{1,2})[种个项条类方面]+(?:问题|事项)?[:：])[:：]?(?P<list>[^。；;]+?、[^。；;]+?)(?:\d{1,3}|[一二三四五六七八九十])?(?:个|项|条)?(?:问题|方面|事项)?[。；;]?$")


def _enumerated(answer_text: str) -> list[str]:
    for sentence in re.split(r"(?<=[。；;])", answer_text):
        match = _ENUMERATION.search(sentence.strip())
        if match:
            return [p for p in re.split(r"[、，,]", match.group("list")) if p.strip()]
    return []


def _match_item(line: str, issues: list, min_share: float):
    label = _LABEL_IN_ITEM.search(line) or _LABEL_LEADING.match(line)
    if label:
        for issue in issues:
            if issue.label in (label.group("label"), label.group("label").rstrip("条项")):
                return issue
    # 「非主业投资：通过股权转让…」: the item's name is what comes before the colon
    lead = re.split(r"[：:]", line, maxsplit=1)[0]
    if lead != line:
        found = _match_words(lead, issues, min_share)
        if found is not None:
            return found
    return _match_words(line, issues, min_share)


# 「第二条 学科建设相对滞后」: a line opening with the report's own label for the issue
_LABEL_LEADING = re.compile(r"\s*(?P<label>第[一二三四五六七八九十百\d]{1,4}[条项]?)")


def _match_words(line: str, issues: list, min_share: float):
    words = tokenize(line)
    if not words:
        return None
    best, best_share = None, 0.0
    for issue in issues:
        head = normalize(issue.title + issue.problem)
        share = sum(1 for w in words if w in head) / len(words)
        if share > best_share:
            best, best_share = issue, share
    return best if best_share >= min_share else None


_WHICH_ONES = re.compile(r"哪几|哪些|是哪|都是什么|分别是什么")


def asks_which_ones(question: str, query) -> bool:
    """「分别是哪几个」「都是哪些」 after a count or list: which of the items just given, the
    question naming no topic, status or figure of its own."""
    return bool(_WHICH_ONES.search(question)) and not query.topic_terms and query.status is None \
        and not query.unit and not query.wants_number


def names_nothing(query: Query) -> bool:
    """No topic, no issues, measures or groups named: the question asks of what was just
    answered (「分别是哪几个」「涉及多少笔」「为什么还没完成」)."""
    return not query.topic_terms and not names_records(query.text)


def refers_to_previous_list(question: str) -> bool:
    return bool(_PLURAL_REF.search(question))


def is_elliptic(question: str) -> bool:
    """「那二院呢？」: a question that leaves out everything but what changed."""
    return bool(_ELLIPTIC.match(question))


_ELLIPTIC_FRAME = re.compile(r"^(?:那么|那)|(?:那个|这个|那项|那条|那块|方面)?(?:的)?(?:呢|怎么样|如何|又如何|情况呢)[？?]?$")


def elliptic_subject(question: str) -> str:
    """What changed in 「那授课费那个呢？」: 授课费."""
    return _ELLIPTIC_FRAME.sub("", question).strip()


def reframed(previous: str, previous_topic: list[str], subject: str) -> str:
    """The previous question with its topic words replaced by the new subject:
    「二院发评审劳务费的问题咋改的」 + 授课费 -> 「授课费 二院发的问题咋改的」."""
    for term in sorted(previous_topic, key=len, reverse=True):
        previous = previous.replace(term, "")
    return f"{subject} {previous}"


# 「除了补人，还有别的措施吗」「还采取了哪些其他做法」: more of what was done about the same issue
_OTHER_MEASURES = re.compile(r"(?:别的|其他|其它|另外的?|还有什么|还有哪些|还采取了?(?:哪些|什么))(?:整改)?(?:措施|办法|做法|举措)")


def asks_other_measures(question: str) -> bool:
    return bool(_OTHER_MEASURES.search(normalize(question)))


def naming_the_written_item(question: str, conv: Conversation | None) -> str:
    """「最后那个为啥还没处理完」 after a list of things that are no issues (1. 白马岭公墓 2. 云台
    公墓 3. 黄泥岗公墓): the question with the item named as written (黄泥岗公墓为啥…), asked of
    the same reports."""
    if not conv or not conv.written:
        return question
    query = understand(question)
    if not (query.ordinal or query.last_item) or conv.item_at(query.ordinal, query.last_item):
        return question
    name = conv.written_at(query.ordinal, query.last_item)
    if not name:
        return question
    conv.keeps_scope = True
    return _ITEM_REFERENCE.sub(name, question, count=1)


# 第3个 / 第三条 / 最后那个 / 最后一处: the reference a written item's name replaces
_ITEM_REFERENCE = re.compile(r"第\s*(?:\d{1,3}|[一二三四五六七八九十两]{1,4})\s*[个项条处家所笔件]|最后(?:那|一)\s*[个条项家处笔所件块]")


def refers_back(question: str, conv: Conversation) -> bool:
    """Whether a question leans on the previous turn (它 / 第3个 / 那…呢 / 剩下的 …)."""
    return bool(conv.same_subject or conv.keeps_scope or has_anaphora(question) or _ORDINAL_REF.search(question)
                or is_elliptic(question) or _REFERS_BACK.search(question) or refers_to_previous_list(question))


def asks_more_of_previous(question: str, anaphora: bool, conv: Conversation) -> bool:
    """Whether a question asks something new of the previous answer's own records
    (它 / 剩下那部分 / 那…呢 / a later part of the same question)."""
    return bool(conv.same_subject or anaphora or is_elliptic(question) or _REFERS_BACK.search(question))
