"""What synthetic reports are made of: issues taken from real reports, and invented bodies.

Issues come from the shipped samples (`data/reports`) and, when it is there, the
development corpus (`../shared/corpus-dev`), read through the project's own parser. Their
texts are flattened to one paragraph and stripped of every sentence holding a status word,
so the status a synthetic report states is only the one its layout writes. The prose-area
report (whose "issues" are whole areas of several problems) gives none.

Bodies are invented: a sector, a kind of body in it and a two-character place with its
level, e.g. 青川县卫生健康局, 中共石门市第一人民医院委员会, 中共南溪区城市建设投资集团有限公司委员会.
Everything is chosen by the caller's seeded `random.Random`.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.lexicon import load_lexicon
from ingest.loader import load_report
from ingest.models import Status

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "data" / "reports"
DEV_CORPUS = ROOT.parent / "shared" / "corpus-dev"
# Report files whose issues are not single problems (areas of several problems, no status).
_NOT_POOLED = ("meichuan-normal-college-2024.txt",)
_POOLED_SUFFIXES = (".txt", ".docx", ".xlsx", ".html", ".pdf")
# Longest problem and rectification kept (characters): a ledger cell or a heading line of a
# real report stays within a few hundred.
MAX_PROBLEM_CHARS = 160
MAX_RECTIFICATION_CHARS = 700


@dataclass(frozen=True)
class PoolIssue:
    """A problem and its rectification, as one paragraph each, with the status its report gave."""

    problem: str
    rectification: str
    status: Status
    source: str


@dataclass(frozen=True)
class Body:
    """An invented reporting body."""

    name: str          # 青川县卫生健康局
    issuer: str        # 中共青川县卫生健康局党组
    place: str         # 青川县
    sector: str        # health, education, enterprise, bureau, town
    kind: str          # 委员会 or 党组 (which party organ issues the report)


@cache
def issue_pool() -> tuple[PoolIssue, ...]:
    """Every usable issue of the samples and the development corpus, in file order."""
    folders = [SAMPLE_CORPUS] + ([DEV_CORPUS] if DEV_CORPUS.is_dir() else [])
    pool = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix not in _POOLED_SUFFIXES or path.name in _NOT_POOLED:
                continue
            for issue in load_report(path).issues:
                problem = _clean(issue.problem, MAX_PROBLEM_CHARS)
                rectification = _clean(issue.rectification, MAX_RECTIFICATION_CHARS)
                if problem and len(rectification) >= 20:
                    pool.append(PoolIssue(problem, rectification, issue.status, path.name))
    return tuple(pool)


def _clean(text: str, limit: int) -> str:
    """One paragraph: no line breaks, no sentence stating a status, no bracketed tag,
    cut at a sentence end within `limit` characters."""
    flat = re.sub(r"\s+", "", text.replace("\u3000", ""))
    flat = re.sub(r"【[^】]{0,12}】", "", flat)
    sentences = [s for s in re.findall(r"[^。；;]+[。；;]?", flat) if s.strip("。；;")]
    kept = [s for s in sentences if not _states_status(s)]
    out = ""
    for s in kept:
        if len(out) + len(s) > limit:
            break
        out += s
    out = out.rstrip("；;，,")
    if out and not out.endswith("。"):
        out += "。"
    return out if len(out) > 1 else ""


def _states_status(sentence: str) -> bool:
    # Any status word at all, or a future deadline the prose layout would read as open
    return bool(_lexicon().status_hits(sentence)) or "预计" in sentence or "力争" in sentence


@cache
def _lexicon():
    return load_lexicon()


# --- bodies --------------------------------------------------------------------------

_PLACE_FIRST = "青白金银云石清龙凤柳梅荷枫竹松桃杏兰桂安永长平宁泰和丰嘉瑞福寿新"
_PLACE_SECOND = "川山江河湖溪岭源州阳城林田泉水坪塘口桥渡关冈湾洲滨浦亭谷峰原台沙"
_LEVELS = ("县", "市", "区")

# (sector, body templates, party organ); {p} is the place with its level.
_SECTORS = (
    ("health", ("{p}卫生健康局", "{p}医疗保障局", "{p}疾病预防控制中心"), "党组"),
    ("health", ("{p}人民医院", "{p}第一人民医院", "{p}第二人民医院", "{p}中医医院", "{p}妇幼保健院"), "委员会"),
    ("education", ("{p}教育局",), "党组"),
    ("education", ("{p}第一中学", "{p}职业技术学校", "{p}实验小学"), "委员会"),
    ("enterprise", ("{p}城市建设投资集团有限公司", "{p}交通投资集团有限公司", "{p}水务集团有限公司",
                    "{p}国有资本投资运营有限公司"), "委员会"),
    ("bureau", ("{p}民政局", "{p}生态环境局", "{p}市场监督管理局", "{p}自然资源局", "{p}住房和城乡建设局",
                "{p}农业农村局", "{p}财政局", "{p}人力资源和社会保障局", "{p}交通运输局", "{p}应急管理局"), "党组"),
    ("town", ("{p}{t}镇", "{p}{t}街道"), "委员会"),
)
_TOWN_NAMES = "东西南北中上下前后大小"


def places() -> list[str]:
    """Every two-character place with a level, in a fixed order (1,200 of them)."""
    return [f"{a}{b}{_LEVELS[(i + j) % 3]}" for i, a in enumerate(_PLACE_FIRST)
            for j, b in enumerate(_PLACE_SECOND)]


def body_for(n: int, rng: random.Random) -> Body:
    """The body of report `n`: its place is the n-th of a fixed shuffle of `places()`, so
    every report of a corpus of up to 1,200 has a place of its own."""
    all_places = places()
    order = list(range(len(all_places)))
    random.Random("places").shuffle(order)
    place = all_places[order[n % len(order)]]
    sector, templates, organ = rng.choice(_SECTORS)
    name = rng.choice(templates).format(p=place, t=rng.choice(_TOWN_NAMES) + place[:1])
    if sector == "town":
        issuer = f"中共{name}委员会" if name.endswith("镇") else f"中共{name}工作委员会"
    else:
        issuer = f"中共{name}{organ}"
    return Body(name, issuer, place, sector, organ)
