"""Make N synthetic rectification reports by recombining the sample reports' issues.

    python bench/make_synthetic_corpus.py N OUT_DIR [--seed 7] [--min-issues 8] [--max-issues 16] [--verify]

Each report takes a random selection of the issues of both sample reports (problem and
rectification text verbatim), renumbers them, and lays them out like the county sample,
whose layout the parser reads completely: a title and date, an opening paragraph, the
organisation section, 已整改完成的问题 and 正在推进整改的问题 groups with stated totals, and
a next-steps section. Titles are distinct, so every file is a different report.
"""
from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.loader import load_report  # noqa: E402
from ingest.models import Issue, Status  # noqa: E402

SAMPLE_CORPUS = ROOT / "data" / "reports"

_PLACES = ("东江", "西山", "南湖", "北岭", "青石", "白河", "金沙", "银杏", "桃源", "松林",
           "云台", "石门", "清溪", "龙泉", "凤凰", "柳江", "梅岭", "荷塘", "枫林", "竹山")
_UNITS = ("县人民医院", "县中医医院", "县妇幼保健院", "县疾病预防控制中心", "县卫生健康局",
          "市第一人民医院", "市中心医院", "市精神卫生中心", "县第二人民医院", "县医疗保障局")
_CN_NUMBERS = "一二三四五六七八九十"


def sample_issues() -> list[Issue]:
    """Every issue of the sample reports that has both a problem and a rectification."""
    issues = []
    for path in sorted(SAMPLE_CORPUS.iterdir()):
        issues += [i for i in load_report(path).issues if i.problem and i.rectification]
    return issues


def report_text(n: int, issues: list[Issue], rng: random.Random) -> str:
    """One synthetic report holding `issues`, in the county sample's layout."""
    place = _PLACES[n % len(_PLACES)]
    unit = _UNITS[(n // len(_PLACES)) % len(_UNITS)]
    batch = n // (len(_PLACES) * len(_UNITS)) + 1
    title = f"中共{place}{unit}委员会关于第{batch}轮巡察整改情况的报告（第{n + 1:04d}号）"
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(600))

    # Issues whose status the sample states keep it; the others are assigned at random.
    completed, ongoing = [], []
    for issue in issues:
        done = issue.status is Status.COMPLETED or (issue.status is Status.UNKNOWN and rng.random() < 0.6)
        (completed if done else ongoing).append(issue)

    lines = [
        title,
        f"发布时间: {published.isoformat()}",
        f"根据上级党委统一部署，巡察组于{published.year - 1}年对{place}{unit}开展了巡察，并反馈了巡察意见。"
        f"根据党务公开原则和巡察工作有关要求，现将巡察整改情况报告如下。",
        "一、整改工作组织情况",
        f"（一）提高政治站位，迅速动员部署。{place}{unit}党委把巡察整改作为重大政治任务，成立整改工作领导小组，"
        f"研究制定整改方案，明确责任分工和整改时限。",
        f"（二）强化责任落实，扎实推进整改。党委主要负责同志履行第一责任人责任，针对反馈的{len(issues)}个问题"
        f"逐项建立台账，定期调度整改进展。",
        "二、整改任务和责任分工",
    ]
    groups = [("已整改完成的问题", completed, "个问题已整改完成"),
              ("正在推进整改的问题", ongoing, "个问题正在整改过程中，仍需深化整改")]
    for g, (heading, members, stated) in enumerate(g for g in groups if g[1]):
        lines.append(f"（{_CN_NUMBERS[g]}）{heading}")
        lines.append(f"截至目前，共计{len(members)}{stated}。")
        for k, issue in enumerate(members, 1):
            lines.append(f"{k}.关于“{issue.problem}”问题的整改。")
            lines.append(f"整改落实情况:{issue.rectification}")
    lines += [
        "三、下一步全面推进整改计划",
        "下一步，党委将持续巩固整改成果，对已完成的整改事项适时开展“回头看”，对正在推进的整改事项紧盯不放、"
        "加快推进，确保整改工作取得实效。",
    ]
    return "\n\n".join(lines) + "\n"


def make_corpus(n_reports: int, out_dir: Path, seed: int = 7, min_issues: int = 8,
                max_issues: int = 16) -> list[Path]:
    """Write `n_reports` files `synthetic-0001.txt` … into `out_dir`; returns their paths."""
    if not 1 <= min_issues <= max_issues:
        raise ValueError("need 1 <= min_issues <= max_issues")
    pool = sample_issues()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(n_reports):
        # One generator per report: report n is the same whatever N is.
        rng = random.Random(f"{seed}-{n}")
        chosen = rng.sample(pool, min(len(pool), rng.randint(min_issues, max_issues)))
        path = out_dir / f"synthetic-{n + 1:04d}.txt"
        path.write_text(report_text(n, chosen, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="由样例报告的问题重新组合生成合成报告")
    parser.add_argument("n", type=int, metavar="N", help="报告份数")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="输出目录")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-issues", type=int, default=8)
    parser.add_argument("--max-issues", type=int, default=16)
    parser.add_argument("--verify", action="store_true", help="用解析器检查每份报告的问题数")
    args = parser.parse_args(argv)
    paths = make_corpus(args.n, args.out_dir, args.seed, args.min_issues, args.max_issues)
    print(f"已生成 {len(paths)} 份报告：{args.out_dir}")
    if args.verify:
        bad = 0
        for path in paths:
            report = load_report(path)
            stated = sum(int(s.value) for s in report.stated if s.what in ("completed", "in_progress"))
            if len(report.issues) != stated:
                bad += 1
                print(f"  {path.name}：解析出 {len(report.issues)} 个问题，报告写明 {stated} 个")
        print("全部可正确解析。" if not bad else f"{bad} 份报告解析结果与写明的数量不一致。")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
