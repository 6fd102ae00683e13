"""Automatic list numbers of a Word document (numbering.xml), rendered as the author saw them.

A paragraph with <w:numPr> (its own, or its paragraph style's) shows a number Word
computes: 「一、」「（一）」「1.」. The text layer does not contain it, so without this the
parser would lose the outline. Numbers are rendered only where they can be worked out
reliably: a known number format and a level text; anything else (bullets, picture
bullets, exotic formats) leaves the paragraph as it is.

Counters follow Word: list instances (<w:num>) sharing an abstract list continue each
other's numbering unless an instance restarts it with <w:startOverride>; a level resets
the levels below it.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")

_CHINESE_DIGITS = "零一二三四五六七八九"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _w(name: str) -> str:
    return _W + name


def _val(element, name: str) -> str | None:
    child = element.find(_w(name)) if element is not None else None
    return None if child is None else child.get(_w("val"))


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str | None
    suffix: str          # "tab" | "space" | "nothing"


@dataclass
class _Instance:
    abstract_id: str
    overrides: dict[int, _Level] = field(default_factory=dict)
    restarts: dict[int, int] = field(default_factory=dict)   # level -> start value


class ListNumbering:
    """Number prefixes for the paragraphs of one document, in body order."""

    def __init__(self, numbering_root=None, styles_root=None):
        self._abstracts: dict[str, dict[int, _Level]] = {}
        self._instances: dict[str, _Instance] = {}
        self._style_numbering: dict[str, tuple[str, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._started: set[str] = set()
        if numbering_root is not None:
            self._load_numbering(numbering_root)
        if styles_root is not None:
            self._load_styles(styles_root)

    # --- loading -------------------------------------------------------------------

    def _load_numbering(self, root) -> None:
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.findall(_w("lvl")):
                level = _parse_level(lvl)
                if level is not None:
                    levels[int(lvl.get(_w("ilvl"), "0"))] = level
            self._abstracts[abstract.get(_w("abstractNumId"))] = levels
        for num in root.iter(_w("num")):
            abstract_id = _val(num, "abstractNumId")
            if abstract_id is None:
                continue
            instance = _Instance(abstract_id)
            for override in num.findall(_w("lvlOverride")):
                ilvl = int(override.get(_w("ilvl"), "0"))
                start = _val(override, "startOverride")
                if start is not None and start.lstrip("-").isdigit():
                    instance.restarts[ilvl] = int(start)
                lvl = override.find(_w("lvl"))
                level = _parse_level(lvl) if lvl is not None else None
                if level is not None:
                    instance.overrides[ilvl] = level
            self._instances[num.get(_w("numId"))] = instance

    def _load_styles(self, root) -> None:
        for style in root.iter(_w("style")):
            style_id = style.get(_w("styleId"))
            parent = _val(style, "basedOn")
            if parent:
                self._style_parent[style_id] = parent
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            if num_pr is not None:
                num_id = _val(num_pr, "numId")
                ilvl = _val(num_pr, "ilvl")
                if num_id is not None:
                    self._style_numbering[style_id] = (num_id, int(ilvl) if ilvl and ilvl.isdigit() else None)

    # --- numbering -----------------------------------------------------------------

    def prefix(self, paragraph) -> str:
        """The number shown before this <w:p>, or ""; advances the list counters."""
        found = self._paragraph_numbering(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        instance = self._instances.get(num_id)
        if instance is None or not 0 <= ilvl < _LEVELS:
            return ""
        values = self._advance(num_id, instance, ilvl)
        return self._render(instance, ilvl, values)

    def _paragraph_numbering(self, paragraph) -> tuple[str, int] | None:
        p_pr = paragraph.find(_w("pPr"))
        num_pr = p_pr.find(_w("numPr")) if p_pr is not None else None
        if num_pr is not None and _val(num_pr, "numId") is not None:
            num_id = _val(num_pr, "numId")
            ilvl = _val(num_pr, "ilvl")
            if num_id == "0":           # numbering explicitly switched off
                return None
            return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0
        style_id = _val(p_pr, "pStyle") if p_pr is not None else None
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._style_numbering:
                num_id, ilvl = self._style_numbering[style_id]
                return (None if num_id == "0" else (num_id, ilvl or 0))
            style_id = self._style_parent.get(style_id)
        return None

    def _level(self, instance: _Instance, ilvl: int) -> _Level | None:
        return instance.overrides.get(ilvl) or self._abstracts.get(instance.abstract_id, {}).get(ilvl)

    def _advance(self, num_id: str, instance: _Instance, ilvl: int) -> list[int | None]:
        counters = self._counters.setdefault(instance.abstract_id, [None] * _LEVELS)
        if num_id not in self._started:
            self._started.add(num_id)
            for level, start in instance.restarts.items():
                if 0 <= level < _LEVELS:
                    counters[level] = start - 1
        level = self._level(instance, ilvl)
        start = level.start if level else 1
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        return counters

    def _render(self, instance: _Instance, ilvl: int, counters: list[int | None]) -> str:
        level = self._level(instance, ilvl)
        # Bullets (「•」「」 in a symbol font) are not numbers the outline depends on.
        if level is None or level.text is None or level.fmt in ("bullet", "none"):
            return ""
        failed = False

        def number(match: re.Match) -> str:
            nonlocal failed
            k = int(match.group(1)) - 1
            shown_level = self._level(instance, k)
            if shown_level is None:
                failed = True
                return ""
            value = counters[k] if counters[k] is not None else shown_level.start
            text = format_number(value, shown_level.fmt)
            if text is None:
                failed = True
                return ""
            return text

        prefix = _PLACEHOLDER.sub(number, level.text)
        if failed or not prefix.strip():
            return ""
        # Word's default separator is a tab, which in this text would mean a table cell;
        # Chinese list texts end in punctuation (「一、」「（一）」「1.」) and need nothing.
        if level.suffix == "space" or prefix[-1].isalnum():
            prefix += " "
        return prefix


def _parse_level(lvl) -> _Level | None:
    fmt = _val(lvl, "numFmt") or "decimal"
    start = _val(lvl, "start")
    text = _val(lvl, "lvlText")
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=fmt,
        text=text,
        suffix=_val(lvl, "suff") or "tab",
    )


def format_number(value: int, fmt: str) -> str | None:
    """`value` in Word number format `fmt`, or None when the format is not rendered."""
    if value < 0:
        return None
    if fmt == "decimal":
        return str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[value - 1] if 1 <= value <= len(_CIRCLED) else None
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_numeral(value)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt == "ideographTraditional":
        return _STEMS[value - 1] if 1 <= value <= len(_STEMS) else None
    if fmt == "ideographZodiac":
        return _BRANCHES[value - 1] if 1 <= value <= len(_BRANCHES) else None
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letters(value)
        return None if letters is None else (letters if fmt == "lowerLetter" else letters.upper())
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return None if roman is None else (roman.lower() if fmt == "lowerRoman" else roman)
    return None     # bullet, none, ordinal text, other scripts: not rendered


def chinese_numeral(value: int) -> str | None:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一, 105 -> 一百零五 (up to 999)."""
    if value == 0:
        return "零"
    if not 0 < value < 1000:
        return None
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CHINESE_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _CHINESE_DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _CHINESE_DIGITS[tens]) + "十"
    if ones:
        out += _CHINESE_DIGITS[ones]
    return out


def _letters(value: int) -> str | None:
    # Word repeats the letter: a..z, aa..zz, aaa..
    if value < 1:
        return None
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str | None:
    if not 0 < value < 4000:
        return None
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for amount, numeral in numerals:
        while value >= amount:
            out += numeral
            value -= amount
    return out
