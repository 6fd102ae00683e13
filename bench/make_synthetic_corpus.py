"""Make N synthetic rectification reports by recombining the issues of real reports.

    python bench/make_synthetic_corpus.py N OUT_DIR [--seed 7] [--min-issues 8] [--max-issues 16]
                                          [--layout L] [--verify]

Each report takes a random selection of the issues of the shipped samples and of the
development corpus (`../shared/corpus-dev`, when present; see `synthetic_pool`), gives them
to an invented body of one of many sectors in one of 1,200 places, groups them, assigns
each the status it is meant to have, and lays the report out in one of ten layouts, with
the shares of `synthetic_plan.LAYOUT_WEIGHTS`:

    sections (county sample)  notice (Chenzhou sample)  tags 【已完成】  fields 问题：/完成情况：
    areas (prose, totals only)  docx (Word ledger)  xlsx (Excel ledger)  html (saved web page)
    pdf (第N条、, text layer)  gb18030 (GB18030 + CRLF, status in prose, appended plan)

Deterministic: report n depends only on the seed and n (not on N), and the same report is
the same bytes on every run. `--verify` parses every file and compares its issues and their
statuses with what the generator meant. Write corpora under out/ (ignored by git).
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest.loader import load_report  # noqa: E402
from ingest.models import Status  # noqa: E402
from synthetic_files import suffix, write_report  # noqa: E402
from synthetic_plan import LAYOUT_STATUSES, choose_layout, plan_report  # noqa: E402
from synthetic_pool import issue_pool  # noqa: E402

LAYOUTS = tuple(LAYOUT_STATUSES)


@dataclass(frozen=True)
class SyntheticReport:
    """A generated file and what a correct parse of it gives."""

    path: Path
    layout: str
    title: str
    statuses: tuple[Status, ...]      # of its issues, in report order

    def expected_counts(self) -> Counter:
        return Counter(self.statuses)


def make_report(n: int, out_dir: Path, seed: int = 7, min_issues: int = 8, max_issues: int = 16,
                layout: str | None = None) -> SyntheticReport:
    """Write report `n` (0-based) as `synthetic-<n+1>.<suffix>` into `out_dir`."""
    if not 1 <= min_issues <= max_issues:
        raise ValueError("need 1 <= min_issues <= max_issues")
    pool = issue_pool()
    # One generator per report: report n is the same whatever N is.
    rng = random.Random(f"{seed}-{n}")
    chosen_layout = choose_layout(rng)
    layout = layout or chosen_layout
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")
    chosen = rng.sample(pool, min(len(pool), rng.randint(min_issues, max_issues)))
    plan = plan_report(n, layout, chosen, rng)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / f"synthetic-{n + 1:04d}{suffix(layout)}"
    write_report(plan, path, rng)
    statuses = tuple(Status.UNKNOWN for _ in plan.groups) if layout == "areas" else tuple(i.status for i in plan.issues)
    return SyntheticReport(path, layout, plan.title, statuses)


def make_corpus(n_reports: int, out_dir: Path, seed: int = 7, min_issues: int = 8,
                max_issues: int = 16) -> list[Path]:
    """Write `n_reports` files `synthetic-0001.<suffix>` … into `out_dir`; returns their paths."""
    return [r.path for r in make_reports(n_reports, out_dir, seed, min_issues, max_issues)]


def make_reports(n_reports: int, out_dir: Path, seed: int = 7, min_issues: int = 8,
                 max_issues: int = 16, layout: str | None = None) -> list[SyntheticReport]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [make_report(n, out_dir, seed, min_issues, max_issues, layout) for n in range(n_reports)]


def parse_problems(report: SyntheticReport) -> list[str]:
    """Where the parse of `report`'s file differs from what was meant (empty: it matches)."""
    parsed = load_report(report.path)
    problems = []
    if len(parsed.issues) != len(report.statuses):
        problems.append(f"解析出 {len(parsed.issues)} 个问题，应为 {len(report.statuses)} 个")
    got = Counter(i.status for i in parsed.issues)
    if got != report.expected_counts():
        problems.append(f"状态 {_counts(got)}，应为 {_counts(report.expected_counts())}")
    if parsed.title != report.title:
        problems.append(f"标题解析为“{parsed.title}”")
    return problems


def _counts(counts: Counter) -> str:
    return "，".join(f"{s.value} {n}" for s, n in sorted(counts.items(), key=lambda kv: kv[0].value))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="由真实报告的问题重新组合生成合成报告")
    parser.add_argument("n", type=int, metavar="N", help="报告份数")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="输出目录")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-issues", type=int, default=8)
    parser.add_argument("--max-issues", type=int, default=16)
    parser.add_argument("--layout", choices=LAYOUTS, default=None, help="全部使用同一种版式")
    parser.add_argument("--verify", action="store_true", help="用解析器检查每份报告的问题数和状态")
    args = parser.parse_args(argv)
    reports = make_reports(args.n, args.out_dir, args.seed, args.min_issues, args.max_issues, args.layout)
    print(f"已生成 {len(reports)} 份报告：{args.out_dir}（版式：{_layout_counts(reports)}）")
    if not args.verify:
        return 0
    bad = 0
    for report in reports:
        problems = parse_problems(report)
        if problems:
            bad += 1
            print(f"  {report.path.name}（{report.layout}）：" + "；".join(problems))
    print("全部解析结果与生成意图一致。" if not bad else f"{bad} 份报告的解析结果与生成意图不一致。")
    return 1 if bad else 0


def _layout_counts(reports: list[SyntheticReport]) -> str:
    counts = Counter(r.layout for r in reports)
    return "，".join(f"{layout} {counts[layout]}" for layout in LAYOUTS if counts[layout])


if __name__ == "__main__":
    sys.exit(main())
