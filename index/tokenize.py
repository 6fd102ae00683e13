"""Chinese tokens for BM25 and lexical matching (jieba, search mode)."""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)
jieba.initialize()      # load the dictionary once, at import, not on the first question

# Words of the genre jieba's general dictionary splits apart ("巡察组" -> 巡察/组), so that
# BM25 and question matching see them whole. Vocabulary of inspection and rectification
# reports in general, not of any one report.
_GENRE_WORDS = (
    "巡察组", "巡视组", "巡察办", "巡察反馈", "反馈意见", "整改任务", "整改措施", "整改落实", "销号",
    "医共体", "审方", "招投标", "集采", "津补贴", "一岗双责", "三重一大", "民主生活会",
    "主题党日", "党务公开", "卫健委", "卫健系统", "规培", "医保基金", "院感", "结对帮扶",
)
for _word in _GENRE_WORDS:
    jieba.add_word(_word)

# Tokens that carry no meaning for matching: punctuation, single function characters,
# and the report boilerplate every record shares.
_STOPWORDS = frozenset(
    "的 了 和 与 及 等 是 在 对 为 将 把 被 由 从 向 以 于 并 也 都 而 或 其 之 这 那 有 中 上 下 "
    "个 各 该 此 我 你 他 她 它 吗 呢 吧 啊 呀 么 什么 怎么 怎样 如何 哪些 哪个 哪几个 多少 几 "
    "请问 请 一下 问题 情况 关于 方面 进行 开展 工作".split()
)
_TOKEN_OK = re.compile(r"[\w]", re.UNICODE)


def normalize(text: str) -> str:
    """NFKC (full-width to ASCII) and lower case; used before every lexical comparison."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=256)
def normalize_cached(text: str) -> str:
    """`normalize` for texts compared again and again (report bodies)."""
    return normalize(text)


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut_for_search(text))


def tokenize(text: str, keep_stopwords: bool = False) -> list[str]:
    """Tokens of `text` for BM25: jieba search-mode words, no punctuation or stopwords."""
    tokens = []
    for tok in _cut(normalize(text)):
        tok = tok.strip()
        if not tok or not _TOKEN_OK.search(tok):
            continue
        if not keep_stopwords and tok in _STOPWORDS:
            continue
        tokens.append(tok)
    return tokens
