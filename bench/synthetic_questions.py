"""A fixed set of questions of several kinds about a synthetic corpus, for answer latency.

The questions name the bodies of the first synthetic reports (synthetic-0001 …), which are
the same in a corpus of any size, so the same questions are asked of 200 and of 1,000
reports. Half of them name no report, so they search the whole corpus: that is where
latency would grow with the corpus. Correctness is not scored here (the corpus has no
gold answers); the kinds cover every answer path of the assistant.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchQuestion:
    kind: str
    question: str
    history: tuple[dict, ...] = ()
    report: str | None = None       # the page's report selector (a title substring)

    def ask(self, bot):
        return bot.ask(self.question, history=list(self.history) or None, report=self.report)


# Asked of the whole corpus (no report named).
_UNSCOPED = (
    ("how", "结余药品是怎么整改的？"),
    ("list", "哪些单位存在公务用车管理不规范的问题？"),
    ("count", "有多少份报告提到意识形态工作责任制落实不到位？"),
    ("fact", "区域审方系统累计干预了多少张处方？"),
    ("none", "哪个单位新建了航天发射场？"),
    ("how", "院感管理不到位如何整改？"),
    ("list", "招投标方面存在哪些问题？"),
    ("fact", "紧缺人才招录情况怎么样？"),
)


def bench_questions(index, first_reports: int = 4) -> list[BenchQuestion]:
    """The questions for a loaded synthetic store (its reports synthetic-0001 … must exist)."""
    by_source = {r.source: r for r in index.reports.values()}
    named = [by_source[s] for s in sorted(by_source) if s.startswith("synthetic-")][:first_reports]
    questions = [BenchQuestion(kind, q) for kind, q in _UNSCOPED]
    for k, report in enumerate(named):
        name = report.aliases[0] if report.aliases else report.issuer
        issue = next((i for i in report.issues if i.title), None)
        topic = (issue.title if issue else "公务用车")[:16]
        other = named[(k + 1) % len(named)]
        other_name = other.aliases[0] if other.aliases else other.issuer
        questions += [
            BenchQuestion("list", f"{name}还有哪些问题正在整改？"),
            BenchQuestion("count", f"{name}一共反馈了多少个问题？"),
            BenchQuestion("how", f"{name}{topic}是怎么整改的？"),
            BenchQuestion("fact", f"{name}追回了多少资金？"),
            BenchQuestion("none", f"{name}新建了几座航天发射场？"),
            BenchQuestion("date", f"{name}的报告是什么时候发布的？"),
            BenchQuestion("compare", f"{name}和{other_name}哪个已完成的问题多？"),
            BenchQuestion("selector", "公务用车问题是怎么整改的？", report=report.title[-20:]),
            BenchQuestion("followup", "第一个是怎么整改的？", history=(
                {"role": "user", "content": f"{name}有哪些问题？"},
                {"role": "assistant", "content": "、".join(i.title for i in report.issues[:3])})),
        ]
    return questions
