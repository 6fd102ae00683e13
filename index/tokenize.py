"""Chinese tokens for BM25 and lexical matching (jieba, search mode)."""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import cached_property, lru_cache

import jieba

from ingest.lexicon import Lexicon, load_lexicon

jieba.setLogLevel(logging.WARNING)


class ChineseTokenizer:
    """A private jieba dictionary with the genre's words added (巡察组, 整改台账 …), never
    jieba's global one, so no other user of jieba changes how reports are tokenised.

    `names` are added as organisation names (tag nt): the name finder's tokenizer knows the
    corpus's bodies and places."""

    def __init__(self, lexicon: Lexicon, names: tuple[str, ...] | list[str] = ()):
        self.jieba = _private_dictionary()
        for word in lexicon.jieba_words:
            self.jieba.add_word(word)
        for name in names:
            self.jieba.add_word(name, tag="nt")
        self.fingerprint = lexicon.fingerprint
        self._cut = lru_cache(maxsize=4096)(lambda text: tuple(self.jieba.lcut_for_search(text)))

    def cut(self, text: str) -> tuple[str, ...]:
        return self._cut(text)

    def knows(self, word: str) -> bool:
        """Whether the dictionary has `word` (not a by-product of jieba's HMM)."""
        return self.jieba.FREQ.get(word, 0) > 0

    def pos_cut(self, text: str):
        """(word, part-of-speech flag) pairs, with this tokenizer's dictionary (HMM off, so
        unknown names stay in single characters instead of being guessed)."""
        return self._pos.lcut(text, HMM=False)

    @cached_property
    def _pos(self):
        import jieba.posseg as posseg

        # POSTokenizer() re-reads the whole tagged dictionary file (about a second per
        # tokenizer); the tags of jieba's default dictionary are read once, by posseg.dt.
        pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
        pos.tokenizer = self.jieba
        pos.word_tag_tab = dict(posseg.dt.word_tag_tab)
        return pos


def _private_dictionary() -> jieba.Tokenizer:
    """A jieba tokenizer of its own, its word table copied from one loaded default
    dictionary instead of loading the dictionary again for every tokenizer."""
    base = _default_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = dict(base.FREQ), base.total
    tokenizer.initialized = True
    return tokenizer


@lru_cache(maxsize=1)
def _default_dictionary() -> jieba.Tokenizer:
    base = jieba.Tokenizer()
    base.initialize()
    return base


@lru_cache(maxsize=4)
def default_tokenizer(lexicon: Lexicon | None = None) -> ChineseTokenizer:
    return ChineseTokenizer(lexicon or load_lexicon())


# Tokens that carry no meaning for matching: punctuation, single function characters,
# and the report boilerplate every record shares.
_STOPWORDS = frozenset(
    "的 了 和 与 及 等 是 在 对 为 将 把 被 由 从 向 以 于 并 也 都 而 或 其 之 这 那 有 中 上 下 "
    "个 各 该 此 我 你 他 她 它 吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪些 哪个 哪几个 多少 几 "
    "请问 请 一下 问题 情况 关于 方面 进行 开展 工作".split()
)
_TOKEN_OK = re.compile(r"[\w]", re.UNICODE)


def normalize(text: str) -> str:
    """NFKC (full-width to ASCII), lower case, and no thousands separators inside numbers
    (2,650万元 is 2650万元, as a question types it); used before every lexical comparison."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text).lower())


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


# Room for every report body of a large store: with fewer slots than reports, a question
# walking every report renormalised each body (a quarter of answer time at 1,000 reports).
_NORMALIZED_BODIES = 4096


@lru_cache(maxsize=_NORMALIZED_BODIES)
def normalize_cached(text: str) -> str:
    """`normalize` for texts compared again and again (report bodies)."""
    return normalize(text)


def tokenize(text: str, keep_stopwords: bool = False, tokenizer: ChineseTokenizer | None = None) -> list[str]:
    """Tokens of `text` for BM25: jieba search-mode words, no punctuation or stopwords."""
    tokens = []
    for tok in (tokenizer or default_tokenizer()).cut(normalize(text)):
        tok = tok.strip()
        if not tok or not _TOKEN_OK.search(tok):
            continue
        if not keep_stopwords and tok in _STOPWORDS:
            continue
        tokens.append(tok)
    return tokens
