"""A fixed rule that splits an evaluation set into a tuning half and a test half.

Thresholds are fitted on the tuning half only and figures reported on the test half. The
rule is a hash of the item's id, so it needs no list of ids, never changes when items are
added, and keeps the phrasings of one question (`<base>-formal`, `-colloquial`,
`-indirect`) and a question with its near-miss twin (`-yes`, `-no`) in the same half.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable, TypeVar

SPLITS = ("tune", "test", "all")
PHRASINGS = ("formal", "colloquial", "indirect")
# An answerable question and its near-miss twin (`<base>-yes`, `<base>-no`) share a half too.
TWINS = ("yes", "no")
_PHRASING = re.compile(r"-(?:" + "|".join(PHRASINGS + TWINS) + r")$")

T = TypeVar("T")


def base_id(item_id: str) -> str:
    """The id without its phrasing suffix."""
    return _PHRASING.sub("", item_id)


def phrasing(item_id: str) -> str | None:
    """formal / colloquial / indirect, or None (a twin's -yes/-no is no phrasing)."""
    match = _PHRASING.search(item_id)
    return match.group(0)[1:] if match and match.group(0)[1:] in PHRASINGS else None


def split_of(item_id: str) -> str:
    """"tune" or "test" for an item id: the parity of the first byte of sha256(base id)."""
    return "tune" if hashlib.sha256(base_id(item_id).encode("utf-8")).digest()[0] % 2 == 0 else "test"


def select_split(items: Iterable[T], split: str) -> list[T]:
    """The items of one half ("tune" / "test"), or all of them."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    return [i for i in items if split == "all" or split_of(i.id) == split]
