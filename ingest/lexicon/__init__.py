"""The genre vocabulary (genre.toml), loaded once and passed to whoever reads reports or
questions. Knowledge of the genre lives in that file; this module only indexes it."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from ingest.models import Status

GENRE_FILE = Path(__file__).with_name("genre.toml")

# Status values in the order a phrase is checked against them: the more specific first,
# so 基本完成 (partial) wins over 完成 and 需长期推进 (long_term) over 推进.
# A negation this many characters before a completion word negates it (没法一下改完).
_NEGATION_REACH = 4
# A completion word this many characters after a partial one is part of it (大头已经做完).
_PARTIAL_REACH = 4
# Spoken phrases this long are replaced in a question's text; shorter ones only as words.
_SPOKEN_PHRASE_CHARS = 3
_STATUS_ORDER = (Status.LONG_TERM, Status.PARTIAL, Status.IN_PROGRESS, Status.COMPLETED)


@dataclass(frozen=True)
class StatusHit:
    """A status word found in a text: the value, the word, where it stands."""

    status: Status
    word: str
    start: int


@dataclass(frozen=True, eq=False)      # compared and hashed by identity: one per file
class Lexicon:
    """One genre vocabulary; build with `load_lexicon()`."""

    data: dict = field(repr=False)

    # --- labels of an issue's parts -------------------------------------------------
    def labels(self, part: str) -> list[str]:
        return list(self.data["labels"][part])

    @cached_property
    def label_parts(self) -> dict[str, str]:
        """label word -> part name (problem, rectification, progress, deadline …)."""
        return {w: part for part, words in self.data["labels"].items() if part != "query" for w in words}

    def field_asked(self, question: str) -> str | None:
        """The labelled part of an issue a question asks for (deadline, responsible, target).
        A label inside a status phrase names the status, not the field (「没定死完成时间」
        asks for long-term issues, not for a deadline)."""
        unlabelled = self.status_phrase_pattern().sub("", question)
        for part, spoken in self.data["labels"]["query"].items():
            words = sorted(spoken + self.data["labels"][part], key=len, reverse=True)
            if any(w in unlabelled for w in words):
                return part
        if self._when_done.search(question):
            return "deadline"
        return None

    @cached_property
    def field_phrase_pattern(self) -> re.Pattern:
        """The words that ask for a labelled part (时限, 谁负责, 定到什么时候): the part
        asked for, never the topic of the issue it is asked of."""
        return re.compile("|".join(map(re.escape, self.field_words)))

    @cached_property
    def field_words(self) -> tuple[str, ...]:
        """Every word asking for a labelled part, longest first."""
        asked = self.data["labels"]["query"]
        return tuple(sorted({w for part in asked for w in asked[part] + self.data["labels"][part]},
                            key=len, reverse=True))

    @cached_property
    def _when_done(self) -> re.Pattern:
        spec = self.data.get("query", {}).get("deadline", {})
        done = self.status_words(Status.COMPLETED) + self.status_words(Status.COMPLETED, query=True) \
            + list(spec.get("done", []))
        when = "|".join(map(re.escape, spec.get("when", []))) or "(?!)"
        return re.compile(rf"(?:{when}).{{0,{spec.get('reach', 0)}}}?"
                          rf"(?:{'|'.join(map(re.escape, sorted(done, key=len, reverse=True)))})")

    @cached_property
    def label_line(self) -> re.Pattern:
        """A field label opening a line or clause: 「整改措施：」; group `label`."""
        words = sorted(self.label_parts, key=len, reverse=True)
        return re.compile(r"(?P<label>" + "|".join(map(re.escape, words)) + r")\s*[:：]")

    # --- status words ---------------------------------------------------------------
    def status_words(self, status: Status, query: bool = False) -> list[str]:
        words = list(self.data["status"].get(status.value, []))
        if query:
            words += self.data["status"]["query"].get(status.value, [])
        return words

    @cached_property
    def _status_of_word(self) -> dict[str, Status]:
        """status word -> status; a word listed under two statuses keeps the more specific."""
        pairs = [(w, s) for s in _STATUS_ORDER for w in self.status_words(s)]
        return {w: s for w, s in reversed(pairs)}

    @cached_property
    def _status_pattern(self) -> re.Pattern:
        words = sorted(self._status_of_word, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words)))

    @property
    def negations(self) -> list[str]:
        """Words that deny what follows them (未, 尚未, 没 …)."""
        return self.data["status"]["negations"]

    @cached_property
    def _negation(self) -> re.Pattern:
        words = sorted(self.negations, key=len, reverse=True)
        return re.compile("(?:" + "|".join(map(re.escape, words)) + r")\s?$")

    def status_hits(self, text: str) -> list[StatusHit]:
        """Every status word in `text`, negated ones read as not finished (未完成整改 is
        in progress, never completed)."""
        of_word = self._status_of_word
        hits = []
        for match in self._status_pattern.finditer(text):
            status = of_word[match.group(0)]
            before = text[max(0, match.start() - 3):match.start()]
            if status is Status.COMPLETED and self._negation.search(before):
                status = Status.IN_PROGRESS
            hits.append(StatusHit(status, match.group(0), match.start()))
        return hits

    def status_of(self, phrase: str) -> StatusHit | None:
        """The status a short phrase states (its first status word), or None."""
        hits = self.status_hits(phrase)
        return hits[0] if hits else None

    @cached_property
    def status_section_line(self) -> re.Pattern:
        """A line that opens a status section (「（一）已整改完成的问题」「正在整改的问题：」)."""
        nouns = "|".join(map(re.escape, sorted(self.data["status"]["section_nouns"], key=len, reverse=True)))
        return re.compile(
            r"^[\s（(一二三四五六七八九十\d)）、.．]*"
            r"(?P<phrase>[^\s:：，,。]{2,14}?)(?:的)?(?:" + nouns + r")"
            r"(?:[（(]?(?:共)?[\d一二三四五六七八九十]+(?:个|项|条)[）)]?)?\s*[:：]?\s*$"
        )

    def status_section(self, line: str) -> StatusHit | None:
        """The status a status-section line names, or None for any other line."""
        line = line.strip()
        if len(line) > self.data["status"]["section_max_chars"]:
            return None
        match = self.status_section_line.match(line)
        if not match:
            return None
        hit = self.status_of(match.group("phrase"))
        # the status words must make up the phrase (「推进整改」 may surround them)
        return hit

    @cached_property
    def prose_cues(self) -> tuple[str, ...]:
        return tuple(self.data["status"]["prose_cues"])

    @cached_property
    def query_status_words(self) -> dict[str, frozenset[Status]]:
        """Every word (report's and spoken) that names a status in a question, with the
        statuses it asks for; `open` words and negated completion ask for every open one."""
        out: dict[str, frozenset[Status]] = {}
        for word in self.data["status"]["query"]["open"]:
            out[word] = self.open_statuses
        for status in _STATUS_ORDER:
            for word in self.data["status"]["query"].get(status.value, []):
                out.setdefault(word, frozenset({status}))
        negations = self.data["status"]["negations"]
        for status in _STATUS_ORDER:
            for word in self.status_words(status):
                # a report's 「尚未完成」 is in progress; a question's asks for all not finished
                negated = any(n in word for n in negations)
                out.setdefault(word, self.open_statuses if negated else frozenset({status}))
        return out

    def statuses_asked(self, question: str) -> frozenset[Status] | None:
        """The statuses a question asks about (「哪些还没改完」 -> every open status), or None.
        Longest words first, each character read once, so 未完成 is not also 完成; a
        status named outright (基本完成, 长期坚持) wins over a general 「还没改完」 beside it,
        and a completion word just after a partial one belongs to it (大头已经做完)."""
        named: set[Status] = set()
        general = False
        partial_end = None
        for match in self.status_phrase_pattern().finditer(question):
            if self._says_when(question, match):
                continue      # 「巡察整改中，…」「整改中新建的制度」: during rectification
            statuses = self.query_status_words[match.group(0)]
            if statuses == frozenset({Status.PARTIAL}):
                partial_end = match.end()
            elif statuses == frozenset({Status.COMPLETED}) and partial_end is not None \
                    and match.start() - partial_end <= _PARTIAL_REACH:
                continue     # 大头已经做完 / 大部分都改完了: the completion is the partial one's
            negated = self._negated_before.search(question[max(0, match.start() - _NEGATION_REACH):match.start()])
            if statuses == frozenset({Status.COMPLETED}) and negated:
                statuses = self.open_statuses
            if statuses == self.open_statuses:
                general = True
            else:
                named |= statuses
        if general and not (named - {Status.COMPLETED}):
            named |= self.open_statuses
        return frozenset(named) or None

    @cached_property
    def _negated_before(self) -> re.Pattern:
        words = sorted(self.negations, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words)))

    def _says_when(self, question: str, match: re.Match) -> bool:
        """A status word saying when, not what: before what happened then (整改中新建), or
        after an inspection kind before a comma (巡察整改中，…); never after 在 nor before 的."""
        if match.group(0) not in self.data["status"]["query"].get("temporal", []):
            return False
        before = question[max(0, match.start() - 2):match.start()]
        after = question[match.end():match.end() + 1]
        if before.endswith(("在", "还")) or not after or after in "的了呢吗吧？?。":
            return False
        if after in "，,":
            return before.endswith(tuple(self.data["inspection"]["kinds"]) + ("轮", "次", "专项"))
        return bool(re.match(r"[\u4e00-\u9fff]", after))

    def status_phrase_pattern(self) -> re.Pattern:
        """Any status word of a question (longest first), to read or take out of its topic."""
        return self._status_phrases

    @cached_property
    def _status_phrases(self) -> re.Pattern:
        words = sorted(self.query_status_words, key=len, reverse=True)
        # 办结率 / 完成率 name a rate, not a status
        return re.compile("(?:" + "|".join(map(re.escape, words)) + ")(?!率)")

    @cached_property
    def open_statuses(self) -> frozenset[Status]:
        return frozenset(Status(v) for v in self.data["status"]["query"]["open_statuses"])

    @property
    def pending_cues(self) -> list[str]:
        """Words by which a sentence inside an issue tells the part not done yet."""
        return self.data["status"]["query"]["pending_cues"]

    def asks_a_plan(self, question: str) -> bool:
        """Whether a question asks what is planned (「计划提高到多少」) rather than reached."""
        return any(c in question for c in self.data["status"]["query"]["plan_asked"])

    def asks_why(self, question: str) -> bool:
        return any(w in question for w in self.data["query"]["why"])

    def gives_reason(self, text: str, pending: bool = False) -> bool:
        """Whether a sentence states a reason (由于…), or, when `pending`, what is still open;
        a reason only sought (查明原因后核销) is none."""
        for sought in self.data["query"].get("reason_sought", []):
            text = text.replace(sought, " ")
        cues = self.data["query"]["reason_cues"] + (self.pending_cues if pending else [])
        return any(c in text for c in cues)

    def without_why(self, question: str) -> str:
        """The question without its why-words (怎么造成 asks why, not how)."""
        for word in sorted(self.data["query"]["why"], key=len, reverse=True):
            question = question.replace(word, " ")
        return question

    def only_plans(self, text: str) -> bool:
        """Whether a sentence states a plan and nothing done (「确保…年底前完成治理」)."""
        query = self.data["status"]["query"]
        return any(c in text for c in query["plan_cues"]) and not any(c in text for c in query["done_cues"])

    # --- sections, totals, institutions ---------------------------------------------
    def section_words(self, kind: str) -> list[str]:
        return list(self.data["sections"][kind])

    def totals(self, key: str):
        return self.data["totals"][key]

    @cached_property
    def enumerators(self) -> tuple[str, ...]:
        return tuple(self.data["measures"]["enumerators"])

    def institutions(self, key: str):
        return self.data["institutions"][key]

    @cached_property
    def inspection_kinds(self) -> tuple[str, ...]:
        return tuple(self.data["inspection"]["kinds"])

    def asks_opinion_outside(self, question: str) -> bool:
        """「你觉得人工智能会取代人类吗」: the assistant's view asked of something no report
        is about (no genre word, no inspection kind, no status word in it)."""
        spec = self.data["query"]["opinion"]
        if not any(c in question for c in spec["cues"]):
            return False
        genre = tuple(spec["genre"]) + self.inspection_kinds
        return not any(w in question for w in genre) and not self.status_phrase_pattern().search(question)

    def asks_how_it_went_wrong(self, question: str) -> bool:
        """「是怎么规避公开招标的」: how the wrongdoing was done, not how it was rectified."""
        verbs = "|".join(map(re.escape, self.data["query"].get("wrongdoing", [])))
        return bool(verbs) and bool(re.search(rf"(?:怎么|如何|怎样|咋)(?:被|去|来)?(?:{verbs})", question))

    def asks_for_writing(self, question: str) -> bool:
        """「帮我写一段年终总结的开头」「翻译一下」: text to be written, not a fact to be found."""
        return any(c in question for c in self.data["query"].get("writing", {}).get("cues", []))

    # --- the question side's spoken words -------------------------------------------

    @cached_property
    def _spoken(self) -> dict[str, tuple[str, ...]]:
        return {word: tuple(written) for word, written in self.data.get("query", {}).get("spoken", {}).items()}

    @cached_property
    def _spoken_phrases(self) -> re.Pattern | None:
        phrases = sorted((w for w in self._spoken if len(w) >= _SPOKEN_PHRASE_CHARS), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def written(self, text: str) -> str:
        """`text` with the long spoken phrases replaced by the written word (一天平均 -> 日均);
        a short one (要回, 罚) is inside other words too (需要回应), so it is read only as a
        word once the question is cut (see written_word)."""
        pattern = self._spoken_phrases
        return pattern.sub(lambda m: self._spoken[m.group(0)][0], text) if pattern else text

    def written_word(self, word: str) -> str:
        """The written word for one spoken word (罚 -> 处罚), or the word itself."""
        return self._spoken.get(word, (word,))[0]

    @cached_property
    def _alternates(self) -> dict[str, tuple[str, ...]]:
        return {word: written for written in self._spoken.values() for word in written}

    def alternates(self, word: str) -> tuple[str, ...]:
        """The written words a searched word also matches (罚款: 处罚, 罚没), itself included."""
        return self._alternates.get(word, (word,))

    @property
    def contrasts(self) -> list[list[str]]:
        """Groups of words naming neighbouring quantities (上半年 / 下半年)."""
        return self.data.get("query", {}).get("contrasts", {}).get("groups", [])

    def measure_words(self, unit: str) -> tuple[str, ...]:
        """The measure words that count what `unit` counts (起: 件, 宗), `unit` first."""
        for group in self.data.get("query", {}).get("measure_words", {}).get("groups", []):
            if unit in group:
                return (unit, *[w for w in group if w != unit])
        return (unit,)

    def counters(self, kind: str = "counters") -> tuple[str, ...]:
        """Measure words, longest first: all that follow 多少 / 几 (`counters`), those that
        count things named one by one (`items`), or those that count bodies (`bodies`)."""
        words = self.data.get("query", {}).get("measure_words", {}).get(kind, [])
        return tuple(sorted(words, key=len, reverse=True))

    def counter_class(self, kind: str = "items", without: str = "") -> str:
        """A regex character class of the one-character measure words of `kind` (minus those
        of `without`), for patterns such as 「3个」「哪几项」."""
        drop = set(self.counters(without)) if without else set()
        return "[" + "".join(w for w in self.counters(kind) if len(w) == 1 and w not in drop) + "]"

    @cached_property
    def jieba_words(self) -> tuple[str, ...]:
        return tuple(self.data["jieba"]["words"])

    @cached_property
    def fingerprint(self) -> str:
        import hashlib
        import json
        return hashlib.sha256(json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


@cache
def load_lexicon(path: Path | str = GENRE_FILE) -> Lexicon:
    """The vocabulary in `path` (the shipped genre.toml by default), parsed once."""
    with open(path, "rb") as handle:
        return Lexicon(tomllib.load(handle))
