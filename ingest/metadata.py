"""Report-level metadata read from the text: title, issuing body, date, and the names
users call a report by (二院, 市二医院, 县里 …), derived from the title and issuer."""
from __future__ import annotations

import re

from ingest.headings import cn_to_int

_TITLE_MAX = 80


def report_title(body: str) -> str:
    """The first non-empty line, or its first sentence when the line is long."""
    for line in body.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= _TITLE_MAX else line[:_TITLE_MAX] + "…"
    return ""


_SIGNATURE_ORG = re.compile(r"^\s*(?P<org>[^\s，。,:：]{4,40}(?:委员会|党委|党组|委|局|院|中心|办公室|组|厅|部))\s*$")
_CN_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_PUBLISHED = re.compile(r"(?:发布|发文|印发|成文)(?:时间|日期)\s*[:：]\s*")


def report_issuer(body: str, title: str) -> str:
    """The signing body at the end of the report, else the part of the title before 关于."""
    lines = [l.strip() for l in body.splitlines() if l.strip()]
    for i in range(len(lines) - 1, max(len(lines) - 6, 0) - 1, -1):
        match = _SIGNATURE_ORG.match(lines[i])
        if match and i + 1 < len(lines) and _CN_DATE.search(lines[i + 1]):
            return match.group("org")
    head = title.split("关于", 1)[0]
    return head if head and head != title else ""


def report_date(body: str) -> str | None:
    """ISO date of the report: the signature date near the end, else a 发布时间 line."""
    tail_lines = [l.strip() for l in body.splitlines() if l.strip()][-6:]
    for line in reversed(tail_lines):
        match = _CN_DATE.fullmatch(line) or _ISO_DATE.fullmatch(line)
        if match:
            return _iso(match)
    published = _PUBLISHED.search(body[:2000])
    if published:
        rest = body[published.end():published.end() + 20]
        match = _ISO_DATE.match(rest) or _CN_DATE.match(rest)
        if match:
            return _iso(match)
    return None


def _iso(match: re.Match) -> str:
    return f"{int(match['y']):04d}-{int(match['m']):02d}-{int(match['d']):02d}"


# Institution names: optional place with its administrative level, optional ordinal, type.
_INSTITUTION = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{0,6}?(?P<level>省|市|县|区|旗))?"
    r"(?P<ord>第[一二三四五六七八九十]{1,3})?"
    r"(?P<type>中西医结合医院|中医医院|中医院|人民医院|妇幼保健院|专科医院|医院|卫生院|"
    r"卫生健康委员会|卫生健康委|卫健委|卫生健康局|卫健局|疾病预防控制中心|疾控中心)"
)
_COMMISSION_TYPES = {"卫生健康委员会", "卫生健康委", "卫健委", "卫生健康局", "卫健局"}
_SHORT_TYPE = {"人民医院": "院", "医院": "院", "中医医院": "中医院", "中医院": "中医院"}


def report_aliases(title: str, issuer: str) -> list[str]:
    """Names of the institution a report is about, derived from its title and issuer.

    "中共郴州市第二人民医院委员会" gives 郴州市第二人民医院, 第二人民医院, 郴州二院, 市二院,
    二院, 市二医院 …; "某市卫生健康委员会" gives 市卫生健康委员会, 市卫健委 ….
    """
    aliases: list[str] = []
    for text in (issuer, title):
        text = re.sub(r"^(?:中共|中国共产党)", "", text)
        for match in _INSTITUTION.finditer(text):
            aliases += _institution_aliases(match)
    return list(dict.fromkeys(aliases))


def report_level(title: str, issuer: str) -> str:
    """The administrative level a report's title or issuer starts with (县委… -> 县)."""
    return _leading_level(issuer or title) or _leading_level(title) or ""


def _institution_aliases(match: re.Match) -> list[str]:
    place, level, ordinal, kind = match["place"] or "", match["level"] or "", match["ord"], match["type"]
    full = match.group(0)
    names = [full]
    core = place[:-1] if place else ""          # 郴州市 -> 郴州
    if ordinal:
        num = ordinal[1:]                       # 第二 -> 二
        short = _SHORT_TYPE.get(kind, "院")
        names += [f"{ordinal}{kind}", f"{level}{ordinal}{kind}", f"{num}{short}", f"{num}医院",
                  f"{level}{num}{short}", f"{level}{num}医院"]
        if core:
            names += [f"{core}{num}{short}", f"{place}{num}{short}", f"{core}{ordinal}{kind}",
                      f"{core}市{num}医院" if level == "市" else f"{core}{num}医院"]
    elif core:
        names += [f"{core}{kind}", f"{level}{kind}"]
    if kind in _COMMISSION_TYPES:
        names += [f"{level}卫健委", f"{level}卫生健康委员会"] + ([f"{core}卫健委"] if core else [])
    # "某市…" is a placeholder in published samples, not a name anyone would type
    return [n for n in names if cn_to_int(n) is None and len(n) >= 2 and not n.startswith("某")]


def _leading_level(text: str) -> str | None:
    """The administrative level a title or issuer starts with: 县委… / X市… / X县卫健委…"""
    match = re.match(r"(?:中共)?[\u4e00-\u9fff]{0,6}?(省|市|县|区|旗)", text)
    return match.group(1) if match else None
