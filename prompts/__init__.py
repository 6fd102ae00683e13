"""Prompt templates (Chinese), kept as plain text files beside this module."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """The template `name` (file name without .txt)."""
    return (_HERE / f"{name}.txt").read_text(encoding="utf-8")
