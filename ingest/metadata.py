"""Report-level metadata read from the text: title, issuing body, date, level (the names
users call a report's body by are derived in ingest.names)."""
from __future__ import annotations

import re


_TITLE_MAX = 80


# What a title ends with; a first line that does not, followed by a short line that does,
# is a title wrapped over two lines (「……巡察整改情况」 / 「的报告」).
_TITLE_END = re.compile(r"(?:报告|通报|台账|情况|说明|公告|清单)$")
_TITLE_TAIL_MAX = 16


def report_title(body: str) -> str:
    """The first non-empty line (joined with a wrapped second line), cut when long."""
    lines = [l.strip().lstrip("#").strip() for l in body.splitlines()]
    lines = [l for l in lines if l]
    if not lines:
        return ""
    title = lines[0]
    wrapped = not _TITLE_END.search(title) or lines[1].startswith("的") if len(lines) > 1 else False
    if wrapped and len(lines[1]) <= _TITLE_TAIL_MAX and _TITLE_END.search(lines[1]):
        title += lines[1]
    return title if len(title) <= _TITLE_MAX else title[:_TITLE_MAX] + "…"


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


def report_level(title: str, issuer: str) -> str:
    """The administrative level a report's title or issuer starts with (县委… -> 县)."""
    return _leading_level(issuer or title) or _leading_level(title) or ""


def _leading_level(text: str) -> str | None:
    """The administrative level a title or issuer starts with: 县委… / X市… / X县卫健委…"""
    match = re.match(r"(?:中共)?[\u4e00-\u9fff]{0,6}?(省|市|县|区|旗)", text)
    return match.group(1) if match else None
