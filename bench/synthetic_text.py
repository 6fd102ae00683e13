"""Plain-text layouts of a synthetic report (the layouts of the samples and of the
development corpus), one function per layout: `ReportPlan` -> the file's text.

    sections  county sample: status sections 已整改完成的问题 / 正在推进整改的问题, N. items
    notice    Chenzhou sample: (一)反馈问题: groups, N. headline, (N) problem, 整改情况:, no status
    tags      一、/（一）/1．/（1）, 关于“……”的问题, 整改情况：… 【已完成】
    fields    N、问题：/整改措施：/整改时限：/责任部门：/完成情况： blocks under 一、 groups
    areas     long prose: areas （一） with 一是/二是 measures; totals only, no status
    gb18030   N、关于……的问题。整改情况：… with the status in prose; appended plan 1、–3、

The HTML page and the text of the PDF are in `synthetic_files`, which writes the other
formats. Every layout states its totals in a sentence, as the real reports do.
"""
from __future__ import annotations

import random
import re

from ingest.models import Status
from synthetic_plan import C, I, L, P, ReportPlan, cn_number, zh_date

# The words each layout writes for a status.
TAG_WORDS = {C: "已完成", P: "基本完成", I: "持续推进", L: "长期坚持"}
FIELD_WORDS = {C: "已完成", P: "基本完成", I: "正在推进", L: "长期坚持"}
PROSE_ENDINGS = {C: "该问题已整改到位。", I: "目前正在推进，预计{deadline}前完成。"}
# How a totals sentence names each status (as the development reports do).
_TOTAL_WORDS = {C: "已完成整改{n}个", P: "基本完成整改{n}个", I: "正在推进{n}个", L: "需长期坚持{n}个"}

_DEPARTMENTS = ("办公室", "组织人事科", "财务科", "纪检监察室", "党群工作部", "综合科", "审计科",
                "规划发展科", "安全生产科", "法规科", "资产管理科", "工程管理部", "医务科", "教务处")


def layout_text(plan: ReportPlan, rng: random.Random) -> str:
    return _LAYOUTS[plan.layout](plan, rng)


def deadline(plan: ReportPlan, rng: random.Random) -> str:
    year = plan.published.year + rng.choice((0, 1))
    return f"{year}年{rng.choice((3, 6, 9, 12))}月底前"


def departments(rng: random.Random) -> str:
    return "、".join(rng.sample(_DEPARTMENTS, rng.randint(1, 2)))


def opening(plan: ReportPlan) -> str:
    unit = f"{plan.superior}第{cn_number(plan.round)}{plan.inspection}组"
    return (f"根据{plan.superior}统一部署，{zh_date(plan.inspected)}起，{unit}对{plan.body.name}开展了常规{plan.inspection}。"
            f"{zh_date(plan.feedback)}，{unit}向{plan.body.issuer}反馈了{plan.inspection}意见。"
            f"按照党务公开原则和{plan.inspection}工作有关要求，现将{plan.inspection}整改情况予以公布。")


def organisation(plan: ReportPlan) -> list[str]:
    n = len(plan.issues)
    return [
        f"（一）提高政治站位，压实整改责任。{plan.body.issuer}把{plan.inspection}整改作为重大政治任务，"
        f"成立整改工作领导小组，主要负责同志任组长，领导小组办公室设在办公室。",
        f"（二）细化整改方案，建立整改台账。对照反馈的{n}个问题，逐条研究制定整改措施，"
        f"明确责任领导、责任部门和整改时限，实行清单管理、销号管理。",
    ]


def next_steps(plan: ReportPlan) -> list[str]:
    return [f"下一步，{plan.body.issuer}将持续巩固整改成果，对已完成的整改事项适时开展“回头看”，"
            f"对尚未完成的事项紧盯不放，确保整改工作取得实效。",
            "欢迎广大干部群众对整改落实情况进行监督。"]


def totals_sentence(plan: ReportPlan) -> str:
    """截至……，反馈的N个问题，已完成整改c个，……。 (statuses with a count only)"""
    parts = [_TOTAL_WORDS[s].format(n=plan.count(s)) for s in (C, P, I, L) if plan.count(s)]
    return f"截至{zh_date(plan.published)}，反馈的{len(plan.issues)}个问题中，" + "，".join(parts) + "。"


def headline(problem: str) -> str:
    """The first clause of a problem, as a short heading."""
    for mark in ("。", "，", "；"):
        if mark in problem[:-1]:
            return problem[: problem.index(mark)]
    return problem.rstrip("。")


def _sections(plan: ReportPlan, rng: random.Random) -> str:
    """The county sample's layout: issues listed under two status sections."""
    marker = rng.choice(("{k}.", "{k}．", "{k}、"))
    lines = [plan.title, f"发布时间: {plan.published.isoformat()}", opening(plan), "一、整改工作组织情况",
             *organisation(plan), "二、整改任务和责任分工"]
    sections = [("已整改完成的问题", C, "个问题已整改完成"), ("正在推进整改的问题", I, "个问题正在整改过程中，仍需深化整改")]
    for g, (heading, status, stated) in enumerate(s for s in sections if plan.count(s[1])):
        members = [i for i in plan.issues if i.status is status]
        lines += [f"（{cn_number(g + 1)}）{heading}", f"截至目前，共计{len(members)}{stated}。"]
        for k, issue in enumerate(members, 1):
            lines += [marker.format(k=k) + f"关于“{issue.problem.rstrip('。')}”问题的整改。",
                      f"整改落实情况:{issue.rectification}"]
    lines += ["三、下一步全面推进整改计划", *next_steps(plan)]
    return "\n\n".join(lines) + "\n"


def _notice(plan: ReportPlan, rng: random.Random) -> str:
    """The Chenzhou sample's layout: half-width marks, indented paragraphs, (N) problems
    numbered through the report, no per-issue status."""
    indent = "    "
    lines = [plan.title, f"发布时间: {plan.published.isoformat()}", indent + opening(plan).replace("，", ","),
             indent + "一、组织整改落实情况", *(indent + p.replace("（", "(").replace("）", ")") for p in organisation(plan)),
             indent + "二、巡察反馈问题整改进展情况"]
    k = 0
    for g, (heading, members) in enumerate(plan.groups):
        lines.append(f"{indent}({cn_number(g + 1)})反馈问题:在{heading}方面存在差距。")
        for issue in members:
            k += 1
            lines += [f"{indent}{k}.{headline(issue.problem)}。", f"{indent}({k}){issue.problem}",
                      f"{indent}整改情况:{issue.rectification}"]
    lines += [indent + "三、下一步工作打算", *(indent + p for p in next_steps(plan))]
    return "\n\n".join(lines) + "\n"


def _tags(plan: ReportPlan, rng: random.Random) -> str:
    """The county education bureau's layout: four numbering levels, a status tag per item."""
    stated = f"{len(plan.issues)}个问题"
    lines = [plan.title, f"发布时间：{plan.published.isoformat()} 10:{rng.randrange(60):02d}　　来源：{plan.body.name}",
             opening(plan), "一、整改工作组织开展情况", *organisation(plan), "二、巡察反馈问题整改落实情况",
             totals_sentence(plan)]
    k = 0
    for g, (heading, members) in enumerate(plan.groups):
        lines.append(f"（{cn_number(g + 1)}）在{heading}方面")
        for issue in members:
            k += 1
            lines += [f"{k}．关于“{issue.problem.rstrip('。')}”的问题",
                      f"整改情况：{issue.rectification}【{TAG_WORDS[issue.status]}】"]
    lines += ["三、下一步工作打算", f"（一）对尚未完成整改的问题，逐项明确时限，确保{stated}全部整改到位。",
              "（二）健全长效机制，巩固整改成果。"]
    return "\n\n".join(lines) + "\n"


def _fields(plan: ReportPlan, rng: random.Random) -> str:
    """The state company's layout: labelled field blocks, numbered through the report."""
    lines = [plan.title, f"（{zh_date(plan.published)}）", opening(plan), "整改工作基本情况",
             f"{plan.body.issuer}坚持把{plan.inspection}整改作为重大政治任务，第一时间召开会议研究部署。",
             totals_sentence(plan)]
    k = 0
    for g, (heading, members) in enumerate(plan.groups):
        lines.append(f"{cn_number(g + 1)}、关于{heading}方面的问题")
        for issue in members:
            k += 1
            status = issue.status
            progress = FIELD_WORDS[status] + "。" + ("相关工作已按期完成。" if status is C else "相关工作按计划推进。")
            term = "长期" if status is L else deadline(plan, rng)
            lines.append("\n".join([f"{k}、问题：{issue.problem}", f"整改措施：{issue.rectification}",
                                    f"整改时限：{term}", f"责任部门：{departments(rng)}", f"完成情况：{progress}"]))
    lines += ["下一步工作打算", "一是持续巩固整改成果。二是建立健全长效机制。三是强化整改成果运用。"]
    return "\n\n".join(lines) + "\n"


def _areas(plan: ReportPlan, rng: random.Random) -> str:
    """The college's prose layout: each group is one area (an issue of unknown status)
    naming its problems, followed by 一是/二是 measures; only measures are counted."""
    measures = sum(min(4, len(m)) for _, m in plan.groups)
    lines = [plan.title, f"{zh_date(plan.published)} 09:15　　来源：{plan.body.name}", opening(plan),
             f"一、{plan.body.issuer}履行{plan.inspection}整改主体责任情况",
             "一是提高政治站位，强化组织领导。第一时间召开会议专题学习反馈意见。",
             f"二是细化整改方案，建立整改台账。对照反馈的{len(plan.groups)}个方面意见，共梳理问题{len(plan.issues)}个，"
             f"制定整改措施{measures}条。", f"二、{plan.inspection}反馈问题整改落实情况"]
    for g, (heading, members) in enumerate(plan.groups):
        named = "、".join(headline(i.problem) for i in members)
        lines += [f"（{cn_number(g + 1)}）关于{heading}方面",
                  f"针对{plan.inspection}指出的{named}等问题，{plan.body.issuer}逐项研究整改。"]
        for e, issue in enumerate(members[:4]):
            lines.append(f"{cn_number(e + 1)}是{_without_enumerator(issue.rectification)}")
    lines += ["三、下一步工作打算", "坚持标准不降、力度不减，持续推进整改，巩固整改成效。"]
    return "\n\n".join(lines) + "\n"


def _gb18030(plan: ReportPlan, rng: random.Random) -> str:
    """The civil-affairs bureau's layout: one paragraph per issue, status only in prose,
    fullwidth digits in the date line, and an appended plan numbered 1、 again."""
    lines = [plan.title, f"发布日期：{_fullwidth(zh_date(plan.published))}　　信息来源：{plan.body.name}办公室",
             opening(plan), "整改工作组织情况", organisation(plan)[1].removeprefix("（二）"),
             "反馈问题整改落实情况", totals_sentence(plan)]
    for k, issue in enumerate(plan.issues, 1):
        ending = PROSE_ENDINGS[issue.status].format(deadline=deadline(plan, rng))
        lines.append(f"{k}、关于{issue.problem.rstrip('。')}的问题。整改情况：{issue.rectification}{ending}")
    lines += [f"欢迎广大干部群众对{plan.inspection}整改落实情况进行监督。", f"附件：{plan.body.name}整改工作下一步计划",
              plan.body.issuer, zh_date(plan.published), "附件", f"{plan.body.name}整改工作下一步计划",
              "1、持续推进未完成问题整改。对正在推进的问题逐项明确时间表。",
              "2、健全长效监管机制。对整改中新建的制度开展执行情况评估。",
              "3、加强整改成果运用和监督。适时组织开展一次“回头看”。"]
    return "\r\n\r\n".join(lines) + "\r\n"


def _without_enumerator(text: str) -> str:
    """A measure without its own leading 一是 / 1. / （1）, which the area's 一是 replaces."""
    return re.sub(r"^(?:[一二三四五六七八九十]是|\d{1,2}[.．、]|[（(]\d{1,2}[）)])", "", text)


def _fullwidth(text: str) -> str:
    return text.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


_LAYOUTS = {"sections": _sections, "notice": _notice, "tags": _tags, "fields": _fields,
            "areas": _areas, "gb18030": _gb18030}
TEXT_LAYOUTS = tuple(_LAYOUTS)


def status_word(status: Status) -> str:
    return FIELD_WORDS.get(status, "")
