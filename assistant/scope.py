"""Which reports a question is about, from the names each report's body goes by
(ingest.names: 二院, 城投, 鹭洲区市场监管局 …) and the places it sits in (嘉屿, 泓州).

A body's name beats a place, a place beats an administrative level word (县里, 市里);
several bodies named in one question are all in scope. Nothing here knows a report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from assistant.term_match import chars_in_order
from index.tokenize import normalize, normalize_cached
from ingest.lexicon import Lexicon, load_lexicon
from ingest.models import Report


@dataclass
class Scope:
    """Reports in scope and the words of the question that named them."""

    report_ids: list[str]
    named: bool                    # True when the question (or selector) named them
    words: list[str]
    # the reports each name stands for, in the question's order: 「县里和二院」 is two sides,
    # the first of which may be several reports (every county report)
    sides: list[list[str]] = field(default_factory=list)


class ScopeResolver:
    """Resolves scopes against one set of reports; their names are normalised and sorted
    once, here, not for every question (a store of 1,000 reports has about 7,000 names).
    Build one per loaded index."""

    def __init__(self, reports: list[Report]):
        self.reports = list(reports)
        self._bodies = _name_table(self.reports, _body_names)
        self._places = _name_table(self.reports, _place_names)
        self._place_keys = {normalize(p) for r in self.reports for p in r.places}
        self._sole_types = _sole_body_types(self.reports)
        self.own_names = own_names(self.reports)

    def resolve(self, question: str, selector: str | None = None) -> Scope:
        """Reports the question is about; all reports when it names none."""
        if selector:
            wanted = normalize(selector)
            chosen = [r for r in self.reports if wanted in normalize_cached(r.title)]
            inner = self._resolve(normalize(question), {r.report_id for r in chosen})
            return Scope([r.report_id for r in chosen], True, inner.words if inner.named else [])
        return self._resolve(normalize(question), None)

    def _resolve(self, q: str, within: set[str] | None) -> Scope:
        reports = self.reports if within is None else [r for r in self.reports if r.report_id in within]
        for table in (self._bodies, self._places):
            hits, words = _mentions(q, table, self._place_keys, within)
            if hits:
                return _with_level_side(q, Scope(hits, True, words), reports)
        hits, words = _level_mentions(q, reports)
        if hits:
            return Scope(hits, True, words)
        for body_type, report_id in self._sole_types.items():
            if (within is None or report_id in within) and _bare_word(q, body_type):
                return Scope([report_id], True, [body_type])
        return Scope([r.report_id for r in reports], False, [])


def _with_level_side(q: str, scope: Scope, reports: list[Report]) -> Scope:
    """「县里和二院各…」: a spoken level joined to a named body is a side of its own, the
    reports of that level other than the named ones. Without the conjunction the level
    word qualifies the name (市里的二院) and adds nothing."""
    ids, said = _level_mentions(q, reports, spoken_only=True)
    level_ids = [i for i in ids if i not in scope.report_ids]
    if not level_ids or not re.search(rf"{said[0]}[和与跟及、]|[和与跟及、]{said[0]}", q):
        return scope
    sides = [[i] for i in scope.report_ids]
    at = q.find(said[0])
    before = sum(1 for w in scope.words if 0 <= q.find(normalize(w)) < at)
    sides.insert(before, level_ids)
    return Scope(scope.report_ids + level_ids, True, scope.words + said, sides)


_COUNTED = re.compile(r"(?P<n>[两二三四五])(?:份|个|家|次)(?:报告|通报|单位|部门|巡察|巡视|督察|审计)")
_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}


def reports_counted(question: str) -> tuple[int, str]:
    """「两份报告」「两次巡察」「两家单位」: how many reports the question speaks of, and the
    words saying so ((0, "") when it says none)."""
    match = _COUNTED.search(question)
    return (_NUMERALS[match.group("n")], match.group(0)) if match else (0, "")


def _sole_body_types(reports: list[Report]) -> dict[str, str]:
    """Body types (学院, 集团 …, two characters or more) that exactly one report's body is:
    「学院分了哪几大类」 means that report. A type several bodies share names none."""
    owners: dict[str, set[str]] = {}
    lexicon = load_lexicon()
    party = set(lexicon.institutions("party_suffixes"))     # 委员会 is every party committee's
    for body_type in lexicon.institutions("types"):
        if len(body_type) >= 2 and body_type not in party:
            owners[body_type] = {r.report_id for r in reports for a in r.aliases if normalize(a).endswith(body_type)}
    return {t: next(iter(ids)) for t, ids in sorted(owners.items(), key=lambda kv: -len(kv[0])) if len(ids) == 1}


def _bare_word(q: str, word: str) -> bool:
    """`word` stands alone in `q`: not the tail of a longer name (县人民医院, 医学院)."""
    start = q.find(word)
    while start != -1:
        if start == 0 or not re.match(r"[\u4e00-\u9fffA-Za-z0-9]", q[start - 1]) or q[start - 1] in "的在里和与及跟给对把向为让被从按":
            return True
        start = q.find(word, start + 1)
    return False


def resolve_scope(question: str, reports: list[Report], selector: str | None = None) -> Scope:
    """Reports the question is about, for a one-off call (a loaded index keeps a resolver)."""
    return ScopeResolver(reports).resolve(question, selector)


def _body_names(report: Report) -> list[str]:
    # a title is often quoted without its 关于 (「县委巡察组医疗服务领域专项巡察整改情况报告」)
    titles = list(dict.fromkeys([report.title, report.title.replace("关于", "", 1)]))
    return [a for a in report.aliases if len(a) >= 2] + titles


def _place_names(report: Report) -> list[str]:
    return [p for p in report.places if len(p) >= 2]


_NameTable = list[tuple[str, Report, str]]


def _name_table(reports: list[Report], names_of) -> _NameTable:
    """(normalised name, report, name), longest names first."""
    return sorted(((normalize(n), r, n) for r in reports for n in names_of(r)), key=lambda t: -len(t[0]))


def _mentions(q: str, table: _NameTable, places: set[str], within: set[str] | None) -> tuple[list[str], list[str]]:
    """Reports named in `q`, longest names first; a shorter name inside a longer one that
    matched is not a mention of its own (市二院 is not also 二院 of another report), nor
    is a name right after another place or level (县第二人民医院 is not 市 第二人民医院)."""
    taken: list[tuple[int, int]] = []
    hits: list[str] = []
    words: list[str] = []
    for key, report, name in table:
        if key not in q or (within is not None and report.report_id not in within):
            continue
        report_id = report.report_id
        start = q.find(key)
        while start != -1:
            span = (start, start + len(key))
            start = q.find(key, span[1])
            if _qualified_otherwise(q[:span[0]], report, places):
                continue
            inside = any(a <= span[0] and span[1] <= b for a, b in taken)
            if inside and span not in taken:
                continue
            if span not in taken:
                taken.append(span)
                words.append(name)
            if report_id not in hits:
                hits.append(report_id)
    return hits, words


_LEVEL_CHARS = "省市县区镇乡旗"


def _qualified_otherwise(before: str, report: Report, places: set[str]) -> bool:
    """Whether the text before a name ties it to another place or level than the report's."""
    own = {normalize(p) for p in report.places}
    for place in places:
        if before.endswith(place) and place not in own:
            return True
    if before and before[-1] in _LEVEL_CHARS and not any(before.endswith(p) for p in own):
        return before[-1] != report.level
    return False


def _level_mentions(q: str, reports: list[Report], spoken_only: bool = False) -> tuple[list[str], list[str]]:
    """「县里」「全市」: the reports of that level; 「县卫健委」: those of that level whose
    body has that name or no place name of its own (a report of 我委 in an unnamed county
    may be about any county body; never the inspecting 县委)."""
    lexicon = load_lexicon()
    inspectors = tuple(lexicon.institutions("inspecting_bodies"))
    for level, spoken, bodies in _level_patterns(lexicon):
        match = spoken.search(q)
        if match:
            ids = [r.report_id for r in reports if r.level == level]
            if ids:
                return ids, [match.group(0)]
        if spoken_only:
            continue
        for body in bodies.finditer(q):
            name = body.group(0)
            if name.startswith(inspectors):
                continue
            ids = [r.report_id for r in reports if r.level == level
                   and (not r.places or any(normalize(a).endswith(name[len(level):]) for a in r.aliases))]
            if ids:
                return ids, [name]
    return [], []


@cache
def _level_patterns(lexicon: Lexicon) -> list[tuple[str, re.Pattern, re.Pattern]]:
    """Per level: its spoken forms (县里, 全县) and a body of that level (县卫健委), compiled once."""
    types = "|".join(map(re.escape, sorted(lexicon.institutions("types"), key=len, reverse=True)))
    return [(level, re.compile(rf"{level}(?:里|级|一级)|全{level}"),
             re.compile(rf"{level}[\u4e00-\u9fff]{{0,4}}?(?:{types})"))
            for level in lexicon.institutions("levels")]


# --- institutions a question names that no report carries -------------------------------

_NAME_TAGS = ("n", "nr", "ns", "nt", "nz", "m", "j", "eng", "vn")   # vn: 投资 in 交通投资集团
_MAX_NAME_WORDS = 4
_MIN_NAME_CHARS = 4


class NameFinder:
    """Finds names of bodies in a question: a place or proper name followed by a body type
    (泓州市民政局, 北京协和医院, 县第二人民医院); bare types (局里, 医院) are not names.

    Its own jieba dictionary knows the corpus's places and body names, so 「泓州市民政局」
    is cut 泓州市/民政局, not 泓/州市/民政局. Build one per loaded index."""

    def __init__(self, reports: list[Report], lexicon: Lexicon | None = None):
        from index.tokenize import ChineseTokenizer

        self.lexicon = lexicon or load_lexicon()
        self.tokenizer = ChineseTokenizer(
            self.lexicon, names=[name for r in reports for name in r.aliases + r.places])
        types = sorted(self.lexicon.institutions("types"), key=len, reverse=True)
        self._type_end = re.compile("(?:" + "|".join(map(re.escape, types)) + ")$")
        self._inspectors = tuple(self.lexicon.institutions("inspecting_bodies"))
        self._bodies = {normalize(a) for r in reports for a in r.aliases}

    def mentions(self, question: str) -> list[str]:
        words = self.tokenizer.pos_cut(question)
        spans = []      # word ranges of the names found
        for i, word in enumerate(words):
            if not self._type_end.search(word.word) or word.flag.startswith(("v", "d", "a")):
                continue     # 查处 / 处理 end in a type character but are not names
            parts = [word.word]
            for prev in reversed(words[max(0, i - _MAX_NAME_WORDS):i]):
                if not prev.flag.startswith(_NAME_TAGS) or re.search(r"几|多少|哪|这|那|各|本|该|全", prev.word) \
                        or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z]+", prev.word) or normalize(prev.word) in self._bodies:
                    break     # a year, or a body already known, ends the name (二院公立医院, 二院2025年党委)
                parts.insert(0, prev.word)
            name = "".join(parts)
            if name.endswith(self._inspectors):
                continue      # 鹤川县委: the inspecting committee, not a body reported on
            if len(name) >= _MIN_NAME_CHARS and _has_place_or_proper_name(words, i, len(parts)):
                spans.append((i - len(parts) + 1, i + 1))
        return ["".join(w.word for w in words[a:b]) for a, b in _merged(spans)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping word ranges as one: 泓州市交通投资集团有限公司 is one name, not it and
    its head 泓州市交通投资集团."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _has_place_or_proper_name(words, end: int, count: int) -> bool:
    """A place or proper name before the type word (汇总民政局 names no body)."""
    before = words[end - count + 1:end]
    return any(w.flag in ("ns", "nr", "nz", "nt") or _ends_as_place(w.word) for w in before) \
        or (not before and words[end].flag in ("ns", "nt") and len(words[end].word) >= _MIN_NAME_CHARS)


def _ends_as_place(word: str) -> bool:
    """县里的X: a word ending in an administrative level (鹤川县, 柳塘镇), but not one made of
    levels alone (乡镇, 县区), which names no place."""
    return bool(re.search(r"[省市县区镇乡]$", word)) and not re.fullmatch(r"[省市县区镇乡]+", word)


def unknown_institutions(question: str, reports: list[Report], finder: NameFinder | None = None) -> list[str]:
    """Bodies the question names that no report in scope carries or mentions."""
    return [n for n, known in _classified_mentions(question, reports, finder) if not known]


def known_institutions(question: str, reports: list[Report], finder: NameFinder | None = None) -> list[str]:
    """Bodies the question names that a report's text mentions (other than the report's
    own body, whose names select the report instead)."""
    own = {normalize(a) for r in reports for a in r.aliases}
    texts = [normalize_cached(r.body) for r in reports]
    return [n for n, known in _classified_mentions(question, reports, finder)
            if known and normalize(n) not in own and any(normalize(n) in t for t in texts)]


# What a place or a thing of a report is called by (鹿鸣县, 石岭村, 白马岭公墓, 城东幼儿园).
@cache
def _thing_end() -> re.Pattern:
    endings = sorted(load_lexicon().institutions("thing_endings"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, endings)) + ")$")


def own_names(reports: list[Report]) -> set[str]:
    """The normalised names and places of the reports' own bodies (they select reports)."""
    return {normalize(a) for r in reports for a in r.aliases + r.places if len(a) >= 2}


def named_things(question: str, reports: list[Report], own: set[str] | None = None) -> list[str]:
    """Places and things the question names that a report in scope mentions by that name,
    other than the store's own bodies and places (`own`, from `own_names`): an answer
    must be about them. A name is 3 to 8 characters, ends as a place or thing does, and
    is no dictionary word (农村)."""
    from index.tokenize import default_tokenizer

    q = normalize(question)
    texts = [normalize_cached(r.body) for r in reports]
    own = own if own is not None else own_names(reports)
    # the reports' own names select reports; a name overlapping one is no thing of its own
    found: list[tuple[int, int]] = [(m.start(), m.end()) for o in own for m in re.finditer(re.escape(o), q)]
    taken = len(found)
    starts = _word_starts(q)        # a name begins where a word does (not 业农村 of 农业农村局)
    for end in range(len(q), 2, -1):
        for start in range(max(0, end - 8), end - 2):
            name = q[start:end]
            ending = _thing_end().search(name)
            if ending and len(ending.group(0)) == 1 and default_tokenizer().knows(name[-2:]):
                continue            # 农业农村: the 村 of the word 农村 ends no name
            if start not in starts or any(a < end and start < b for a, b in found) or not ending \
                    or not re.fullmatch(r"[\u4e00-\u9fff]+", name) or name[0] in _NOT_A_NAME_START \
                    or default_tokenizer().knows(name) or not _proper_stem(name) or not any(name in t for t in texts):
                continue
            found.append((start, end))
            break
    return [q[a:b] for a, b in sorted(found[taken:])]


def _word_starts(q: str) -> set[int]:
    """Offsets in `q` where jieba's words begin."""
    from index.tokenize import default_tokenizer

    starts, at = set(), 0
    for word in default_tokenizer().jieba.lcut(q):
        starts.add(at)
        at += len(word)
    return starts


_NOT_A_NAME_START = set("的在和与及了是把被给对向从到里中")


def _proper_stem(name: str) -> bool:
    """The part before the ending is a proper name: jieba knows it as a place or name, or
    does not know it at all (鹿鸣, 石岭, 白马), never a common word (同级医院, 以来县); or a
    proper name followed by common nouns (城东 + 污水处理厂)."""
    from index.tokenize import default_tokenizer

    stem = _thing_end().sub("", name)
    words = default_tokenizer().pos_cut(stem) if len(stem) >= 2 else []
    if not words:
        return False
    if len(stem) >= 3 and len(words) > 1 and not default_tokenizer().knows(stem) and any(len(w.word) == 1 for w in words) \
            and not any(w.flag.startswith(("v", "q", "m", "p", "d", "r", "c", "u", "f")) for w in words):
        # 黄泥岗 (黄泥 + 岗), 县人民 (县 + 人民): a name jieba cannot cut whole, no verb in it
        # (处违规建设), never two common words side by side (农业农村, 城区污水处理)
        return True
    if all(len(w.word) == 1 or w.flag in _PROPER for w in words):
        return True
    first, rest = words[0], words[1:]
    return len(first.word) >= 2 and first.flag in _PROPER and all(w.flag.startswith("n") for w in rest)


_PROPER = ("ns", "nr", "nz", "nt")


def _classified_mentions(question: str, reports: list[Report], finder: NameFinder | None) -> list[tuple[str, bool]]:
    texts = [normalize_cached(r.body) for r in reports]
    own = {normalize(a) for r in reports for a in r.aliases + r.places}
    out = []
    for name in (finder or NameFinder(reports)).mentions(question):
        key = normalize(name)
        known = key in own or any(key in t for t in texts) or _names_own_body(key, reports) \
            or _names_every_body(key, reports) or _said_with_a_word_more(key, texts)
        out.append((name, known))
    return out


def _names_every_body(key: str, reports: list[Report]) -> bool:
    """「桐江市各乡镇」「全县各医院」: every body of a kind in a place, no one body's name."""
    rest = key
    for place in sorted({normalize(p) for r in reports for p in r.places}, key=len, reverse=True):
        if rest.startswith(place):
            rest = rest[len(place):]
            break
    return bool(re.match(r"[各全每诸]", rest))


def _said_with_a_word_more(key: str, texts: list[str]) -> bool:
    """「街道养老服务中心」 for the report's 街道综合养老服务中心: the name's characters in
    order with at most two more between any two of them (a word the question leaves out)."""
    pattern = chars_in_order(key, 2)
    return any(pattern.search(t) for t in texts)


def _names_own_body(key: str, reports: list[Report]) -> bool:
    """「嘉屿市一院」: a place of a report followed by one of its body's names; or
    「鹤川白沙镇中心幼儿园」: followed by a name that report mentions (白沙镇中心幼儿园)."""
    for report in reports:
        for place in report.places:
            rest = key[len(place):] if key.startswith(normalize(place)) else ""
            if len(rest) >= 2 and (any(rest == normalize(a) for a in report.aliases)
                                   or rest in normalize_cached(report.body)):
                return True
    return False
