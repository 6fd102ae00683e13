"""The names people call a report's body by, derived from its title and issuer at index
time, for any sector: 「中共嘉屿市第一人民医院委员会」 gives 嘉屿市第一人民医院, 第一人民医院,
市第一人民医院, 嘉屿一院, 一院 …; 「中共泓州市城市建设投资集团有限公司委员会」 gives 城投,
泓州城投, 城投集团 …; the places it sits in (嘉屿, 泓州) are kept apart as weaker names.

Body types, party prefixes and suffixes, levels and short forms come from the genre
vocabulary; nothing here knows a particular report.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.lexicon import Lexicon

# Lower levels may follow a higher one in a place chain (泓州市鹭洲区, 鹤川县柳塘镇).
_LEVEL_RANK = {"省": 0, "自治区": 0, "市": 1, "州": 1, "盟": 1, "县": 2, "区": 2, "旗": 2,
               "镇": 3, "乡": 3, "街道": 3}
_PLACE_CORE = r"[\u4e00-\u9fff]{2,4}?"
_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司)$")
_MIN_ALIAS = 2


@dataclass
class BodyNames:
    """What a report's body is called: its full name, aliases, places and level."""

    full: str = ""
    aliases: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    level: str = ""


def body_names(title: str, issuer: str, lexicon: Lexicon) -> BodyNames:
    """Names of the body a report is about, from its issuer, else its title before 关于."""
    name = strip_party(issuer or _title_name(title, lexicon), lexicon)
    if not name or name == title or name.endswith(tuple(lexicon.institutions("inspection_teams"))):
        return BodyNames()
    places, body = split_places(name, lexicon.institutions("placeholder_places"))
    names = BodyNames(full=name, places=_place_names(places), level=_level_of(places[-1]) if places else "")
    names.aliases = _aliases(places, body, lexicon) if body else _town_aliases(places)
    return names


def self_named(body: str, level: str, lexicon: Lexicon) -> BodyNames:
    """The body a report calls itself, when its title and issuer name only the inspection
    team: 「我委党委…」 and 「全县卫健系统…」 make 卫健委 (县卫健委, 卫生健康委员会). It takes
    the body type the report says 我 of most often, and the sector heading the most frequent
    「…系统」; without both, nothing."""
    kinds = "|".join(map(re.escape, sorted(lexicon.institutions("self_reference"), key=len, reverse=True)))
    word = re.escape(lexicon.data["institutions"].get("sector_word", "系统"))
    own = Counter(re.findall(rf"我({kinds})", body))
    # a sector is the administration's: 全县卫健系统 / 市教育系统, never 信息系统 / 监控系统
    sectors = Counter(re.findall(rf"(?:全|本)?[省市县区]([\u4e00-\u9fff]{{2}}){word}", body))
    if not own or not sectors:
        return BodyNames()
    kind, sector = own.most_common(1)[0][0], sectors.most_common(1)[0][0]
    name = sector + kind
    names = [name] + [long for long, short in lexicon.institutions("short_forms") if short == name]
    names += [level + n for n in names] if level else []
    return BodyNames(full=(level + name) if level else name, aliases=list(dict.fromkeys(names)), level=level)


def strip_party(name: str, lexicon: Lexicon) -> str:
    """「中共X委员会」「X党组」 -> X: the body, not its party organisation."""
    name = name.strip()
    for prefix in lexicon.institutions("party_prefixes"):
        name = name.removeprefix(prefix)
    for suffix in sorted(lexicon.institutions("party_suffixes"), key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return name


def _title_name(title: str, lexicon: Lexicon) -> str:
    """The body's name at the head of a title, before 关于 / a year / the inspection."""
    stops = "|".join(map(re.escape, lexicon.institutions("title_name_stops")))
    return re.split(rf"{stops}|\d", title, maxsplit=1)[0]


def split_places(name: str, placeholders: list[str] = ()) -> tuple[list[str], str]:
    """「泓州市鹭洲区市场监督管理局」 -> (["泓州市", "鹭洲区"], "市场监督管理局")."""
    places, rest, rank = [], name, -1
    levels = "|".join(sorted(_LEVEL_RANK, key=len, reverse=True))
    core = "|".join([_PLACE_CORE] + [re.escape(p) for p in placeholders])
    while True:
        match = re.match(rf"({core})({levels})", rest)
        if not match or _LEVEL_RANK[match.group(2)] <= rank:
            break
        places.append(match.group(0))
        rank = _LEVEL_RANK[match.group(2)]
        rest = rest[match.end():]
    return places, rest


def _level_of(place: str) -> str:
    return next(level for level in sorted(_LEVEL_RANK, key=len, reverse=True) if place.endswith(level))


def _place_names(places: list[str]) -> list[str]:
    out = []
    for place in places:
        core = place[: -len(_level_of(place))]
        if len(core) >= _MIN_ALIAS:        # 某市 / X县 name no place anyone would type
            out += [place, core]
    return out


def _aliases(places: list[str], body: str, lexicon: Lexicon) -> list[str]:
    bodies = [body]
    bare = _COMPANY_SUFFIX.sub("", body)
    if bare != body and len(bare) >= _MIN_ALIAS:
        bodies.append(bare)
    for long, short in lexicon.institutions("short_forms"):
        for b in list(bodies):
            if long in b:
                bodies.append(b.replace(long, short))
                if b.startswith(long) or b.endswith(long):
                    bodies.append(short)
    bodies = list(dict.fromkeys(b for b in bodies if len(b) >= _MIN_ALIAS))
    names = list(bodies)
    # only the nearest place combines with the body: 泓州市鹭洲区市场监管局 is 鹭洲区's, and
    # 泓州市市场监管局 would name another body
    for place in places[-1:]:
        level = _level_of(place)
        core = place[: -len(level)]
        for b in bodies:
            names += [place + b, level + b] + ([core + b] if len(core) >= _MIN_ALIAS else [])
    if len(places) > 1:
        names += ["".join(places) + b for b in bodies]
    return list(dict.fromkeys(n for n in names if len(n) >= _MIN_ALIAS))


def _town_aliases(places: list[str]) -> list[str]:
    """A body that is a place's own government (中共柳塘镇委员会): the place names it."""
    last = places[-1]
    core = last[: -len(_level_of(last))]
    return list(dict.fromkeys([last] + ([core] if len(core) >= _MIN_ALIAS else [])))
