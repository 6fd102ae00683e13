"""Which reports a question is about: 二院 / 市二医院 / 县里 / 县卫健委 … -> report ids.

Aliases come from each report's title and issuing body at index time (ingest.metadata);
nothing here knows a particular report. Institution names beat administrative levels:
"市二医院" names one hospital, "市里" only a level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.tokenize import normalize, normalize_cached
from ingest.models import Report

_LEVELS = ("县", "市", "区", "省", "旗")


@dataclass
class Scope:
    """Reports in scope and the words of the question that named them."""

    report_ids: list[str]
    named: bool                    # True when the question (or selector) named them
    words: list[str]


def resolve_scope(question: str, reports: list[Report], selector: str | None = None) -> Scope:
    """Reports the question is about; all reports when it names none."""
    all_ids = [r.report_id for r in reports]
    if selector:
        chosen = [r.report_id for r in reports if normalize(selector) in normalize(r.title)]
        named = resolve_scope(question, [r for r in reports if r.report_id in chosen])
        return Scope(chosen, True, named.words)
    q = normalize(question)
    best_len, hits, words = 0, [], []
    for report in reports:
        for alias in _strong_aliases(report):
            if normalize(alias) in q:
                words.append(alias)
                if len(alias) > best_len:
                    best_len, hits = len(alias), [report.report_id]
                elif len(alias) == best_len and report.report_id not in hits:
                    hits.append(report.report_id)
    if hits:
        # "县里和二院…": an explicit level word can add a report the names did not
        # (the names themselves are taken out first: 市卫健委 names one report, not 市)
        rest = q
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(normalize(word), " ")
        explicit = _level_hits(rest, reports, explicit_only=True)
        if explicit and any(r not in hits for r in explicit[0]):
            hits += [r for r in explicit[0] if r not in hits]
            words += [w for w in explicit[1] if len(w) > 1]
        return Scope(hits, True, words)
    level_hits = _level_hits(q, reports)
    if level_hits:
        ids, level_words = level_hits
        return Scope(ids, True, [w for w in level_words if len(w) > 1])
    return Scope(all_ids, False, [])


def _strong_aliases(report: Report) -> list[str]:
    """Names of the report's institution, and its title."""
    return [a for a in report.aliases if len(a) >= 2] + [report.title]


def _level_words() -> set[str]:
    words = set()
    for level in _LEVELS:
        words |= {level, f"{level}里", f"{level}级", f"{level}委", f"{level}卫健委", f"{level}卫健系统"}
    return words


def _level_hits(q: str, reports: list[Report], explicit_only: bool = False) -> tuple[list[str], list[str]] | None:
    """Reports whose administrative level the question names (县里 / 县医院 / 市里).
    `explicit_only` needs a level word that cannot be part of another name (县里, 全县 …)."""
    for level in _LEVELS:
        if level not in q:
            continue
        if explicit_only and not re.search(rf"{level}(?:里|级|委|卫健|医院|人民医院)|全{level}", q):
            continue
        ids = [r.report_id for r in reports if r.level == level]
        if ids:
            words = [w for w in sorted(_level_words(), key=len, reverse=True) if w.startswith(level) and w in q]
            return ids, words or [level]
    return None


# An institution named in a question: a word ending in a type word, with the nouns, place
# names and ordinals just before it (jieba's part-of-speech tags tell a name from a verb).
_INSTITUTION_TYPE = re.compile(r"(?:医院|卫生院|卫生室|保健院|疾控中心|疾病预防控制中心|卫健委|卫生健康委员会|卫生健康局)$")
_NAME_TAGS = ("n", "nr", "ns", "nt", "nz", "m", "x", "zg", "j", "eng")
_GENERIC_WORDS = {"各", "全县", "全市", "全省", "县里", "市里", "区里", "省里", "院里", "所有", "该", "本", "我们", "哪些", "哪家", "这家", "那家", "这些", "相关", "有关"}
_MAX_NAME_WORDS = 4


def institution_mentions(question: str) -> list[str]:
    """Names of institutions in a question: 北京协和医院, 郴州市中心医院, 县人民医院."""
    import jieba.posseg as pseg

    words = list(pseg.cut(question, HMM=False))
    names = []
    for i, word in enumerate(words):
        if not _INSTITUTION_TYPE.search(word.word):
            continue
        parts = [word.word]
        for prev in reversed(words[max(0, i - _MAX_NAME_WORDS):i]):
            if (not prev.flag.startswith(_NAME_TAGS) or prev.word in _GENERIC_WORDS
                    or not re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9]+", prev.word) or re.search(r"几|多少|哪", prev.word)):
                break
            parts.insert(0, prev.word)
        names.append("".join(parts))
    return names


def unknown_institutions(question: str, reports: list[Report]) -> list[str]:
    """Institutions the question names that no report in scope mentions."""
    return [n for n, known in _classified_mentions(question, reports) if not known]


def known_institutions(question: str, reports: list[Report]) -> list[str]:
    """Institutions the question names that the body text of a report in scope mentions
    (not those named only by the report's aliases: those name the report itself)."""
    texts = [normalize_cached(r.body) for r in reports]
    return [n for n, known in _classified_mentions(question, reports)
            if known and any(normalize(n) in t for t in texts)]


_LEVEL_BODY = re.compile(r"^(?P<level>县|市|区|省|旗)(?:委|卫健委|卫生健康委员会|卫生健康委|卫健局|卫生健康局)$")


def _classified_mentions(question: str, reports: list[Report]) -> list[tuple[str, bool]]:
    texts = [normalize_cached(r.body) for r in reports]
    aliases = {normalize(a) for r in reports for a in r.aliases}
    levels = {r.level for r in reports}
    out = []
    for name in institution_mentions(question):
        key = normalize(name)
        level_body = _LEVEL_BODY.match(key)      # 县卫健委: the body of a report's own level
        if level_body and level_body["level"] in levels:
            continue
        if len(key) < 4:
            continue
        out.append((name, key in aliases or any(key in t for t in texts)))
    return out
