"""The content of one synthetic report, before it is laid out: its body, title, dates,
groups of issues and the status each issue is meant to have.

Which statuses a layout can state is the layout's business (`LAYOUT_STATUSES`): a report
laid out in status sections knows only finished and ongoing, a prose-area report none.
An issue keeps the status its source report gave it when the layout can state it; an
issue of unknown or unstatable status gets one drawn by the report's own generator.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.models import Status
from synthetic_pool import Body, PoolIssue, body_for

C, P, I, L, U = Status.COMPLETED, Status.PARTIAL, Status.IN_PROGRESS, Status.LONG_TERM, Status.UNKNOWN

# layout -> statuses it can state (UNKNOWN alone: the layout states none)
LAYOUT_STATUSES: dict[str, tuple[Status, ...]] = {
    "sections": (C, I),        # county sample: 已整改完成的问题 / 正在推进整改的问题 sections
    "notice": (U,),            # Chenzhou sample: numbered problems, no per-issue status
    "tags": (C, P, I, L),      # 【已完成】 tags closing each rectification
    "fields": (C, P, I, L),    # 问题：/整改措施：/整改时限：/责任部门：/完成情况： blocks
    "areas": (U,),             # prose areas with 一是/二是 measures, totals only
    "docx": (C, P, I),         # Word ledger table
    "xlsx": (C, P, I),         # Excel ledger
    "html": (C, I),            # saved web page, status sub-lists, numbering restarts per group
    "pdf": (C, P, I, L),       # PDF, 第N条、, 整改进展：<word>
    "gb18030": (C, I),         # GB18030 + CRLF, status only in prose, appended plan
}
# Shares of the layouts in a corpus (sum 1): plain text and web pages are what portals publish.
LAYOUT_WEIGHTS = {"sections": 0.14, "notice": 0.10, "tags": 0.14, "fields": 0.14, "areas": 0.05,
                  "docx": 0.08, "xlsx": 0.08, "html": 0.12, "pdf": 0.05, "gb18030": 0.10}
# Status of an issue whose own one the layout cannot state.
_DRAW_WEIGHTS = {C: 0.65, P: 0.1, I: 0.2, L: 0.05}

_GROUPS = (
    "贯彻落实党中央决策部署和上级工作要求", "落实全面从严治党“两个责任”", "落实中央八项规定精神",
    "领导班子和干部队伍建设", "基层党组织建设", "巡察、审计发现问题整改", "履行主责主业",
    "群众身边不正之风和腐败问题", "意识形态工作", "财务管理和资金使用",
)
_ORDINALS = "一二三四五六七八九十"


@dataclass
class PlannedIssue:
    problem: str
    rectification: str
    status: Status


@dataclass
class ReportPlan:
    """One report's content; `groups` are (heading, issues) in report order."""

    n: int
    layout: str
    body: Body
    title: str
    inspection: str            # 巡察 / 巡视 / 审计 / 督察
    superior: str              # 县委 / 市委 / 区委 / 省委
    round: int
    inspected: date            # inspection start
    feedback: date
    published: date
    groups: list[tuple[str, list[PlannedIssue]]]

    @property
    def issues(self) -> list[PlannedIssue]:
        return [i for _, members in self.groups for i in members]

    def count(self, status: Status) -> int:
        return sum(1 for i in self.issues if i.status is status)


def choose_layout(rng: random.Random) -> str:
    names = list(LAYOUT_WEIGHTS)
    return rng.choices(names, weights=[LAYOUT_WEIGHTS[n] for n in names])[0]


def plan_report(n: int, layout: str, chosen: list[PoolIssue], rng: random.Random) -> ReportPlan:
    """Report `n` in `layout` holding `chosen` issues."""
    body = body_for(n, rng)
    inspection = {"xlsx": "审计", "docx": rng.choice(("督察", "巡察"))}.get(
        layout, "巡视" if body.sector == "education" and rng.random() < 0.3 else "巡察")
    superior = {"县": "县委", "市": "市委", "区": "区委"}[body.place[-1]]
    if inspection == "巡视":
        superior = "省委"
    published = date(2023, 6, 1) + timedelta(days=rng.randrange(900))
    feedback = published - timedelta(days=rng.randrange(90, 200))
    inspected = feedback - timedelta(days=rng.randrange(40, 90))
    issues = [PlannedIssue(_problem(i.problem), i.rectification, _status(i.status, layout, rng)) for i in chosen]
    plan = ReportPlan(n, layout, body, "", inspection, superior, rng.randint(1, 9), inspected, feedback,
                      published, _group(issues, rng))
    plan.title = _title(plan, rng)
    return plan


def _problem(text: str) -> str:
    """The problem without the 关于……的问题 frame some reports put around it (layouts add
    their own)."""
    text = text.removeprefix("关于")
    for ending in ("的问题。", "的问题", "问题。"):
        if text.endswith(ending) and len(text) > len(ending) + 4:
            return text[: -len(ending)] + "。"
    return text


def _status(own: Status, layout: str, rng: random.Random) -> Status:
    allowed = LAYOUT_STATUSES[layout]
    if allowed == (U,):
        return U
    if own in allowed:
        return own
    if own in (P, L) and I in allowed:
        return I
    weights = [_DRAW_WEIGHTS[s] for s in allowed]
    return rng.choices(allowed, weights=weights)[0]


def _group(issues: list[PlannedIssue], rng: random.Random) -> list[tuple[str, list[PlannedIssue]]]:
    """Two to four groups (方面) of at least two issues each, each under a heading of its own."""
    count = max(1, min(len(issues) // 2, rng.randint(2, 4)))
    sizes = [2] * count
    for _ in range(len(issues) - 2 * count):
        sizes[rng.randrange(count)] += 1
    headings = rng.sample(_GROUPS, count)
    groups, begin = [], 0
    for heading, size in zip(headings, sizes):
        groups.append((heading, issues[begin:begin + size]))
        begin += size
    return groups


def _title(plan: ReportPlan, rng: random.Random) -> str:
    body, kind = plan.body, plan.inspection
    if plan.layout == "xlsx":
        return f"{body.name}{plan.feedback.year - 1}年度预算执行和其他财政收支审计发现问题整改台账"
    if kind == "督察":
        return f"{body.name}关于省级生态环境保护督察反馈问题整改落实情况的报告"
    forms = (f"{body.issuer}关于{plan.superior}{kind}整改情况的报告",
             f"{body.issuer}关于{plan.superior}第{_ORDINALS[plan.round - 1]}轮{kind}整改进展情况的通报",
             f"{body.issuer}关于{plan.superior}{kind}反馈意见整改情况的报告",
             f"{body.issuer}关于{plan.superior}{kind}反馈问题整改情况的报告")
    return rng.choice(forms)


def cn_number(k: int) -> str:
    """1..99 in Chinese numerals (十一, 二十三)."""
    if k <= 10:
        return "零一二三四五六七八九十"[k]
    tens, units = divmod(k, 10)
    return ("" if tens == 1 else _ORDINALS[tens - 1]) + "十" + ("" if not units else _ORDINALS[units - 1])


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
