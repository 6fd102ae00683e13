"""`rectify eval`: score evaluation sets against the assistant and its baselines."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from assistant.config import Config


def add_eval_command(commands, config: Config) -> None:
    ev = commands.add_parser(
        "eval", help="用评测集评估回答质量，并与基线对比",
        description="逐题提问并按 shared/eval-format.md 评分；同一索引上并排运行各配置。",
    )
    ev.add_argument("datasets", nargs="+", metavar="DATASET", help="评测集（JSON Lines）")
    ev.add_argument("--store", default=None, help="索引目录（已构建则复用；与 --corpus 同用时增量更新它）")
    ev.add_argument("--corpus", default=None, help="报告目录：先（增量）构建索引再评测")
    ev.add_argument("--out", default="out/eval", help="输出目录（report.md, results.json, comparison.png）")
    ev.add_argument("--config", nargs="+", dest="configs", default=None, metavar="NAME",
                    help="要运行的配置：bm25 dense hybrid llamaindex rectify rectify-noscope（默认前五个）")
    ev.add_argument("--split", choices=["tune", "test", "all"], default="all",
                    help="只评测调参半（tune）或测试半（test）；按题目 id 的哈希固定划分")
    ev.add_argument("--no-report-field", action="store_true",
                    help="不把评测题的 report 字段作为报告范围传给助手（让助手自己判断范围）")
    ev.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.NAME=VALUE",
                    help="临时改一个设置（如 answer.part_share=0.67），用于在调参半上拟合阈值")
    ev.set_defaults(handler=run_eval_command)


def with_overrides(config: Config, overrides: list[str]) -> Config:
    """The config with `section.name=value` settings replaced (answer.part_share=0.67), each
    value read as the type of the field it replaces; a name no section has is an error."""
    from dataclasses import fields, replace

    for override in overrides:
        key, _, value = override.partition("=")
        section, _, name = key.partition(".")
        part = getattr(config, section, None)
        known = {f.name: f for f in fields(part)} if part is not None and hasattr(part, "__dataclass_fields__") else {}
        if name not in known or not value:
            raise ValueError(f"未知的设置：{override}")
        current = getattr(part, name)
        typed = value.lower() in ("1", "true", "yes") if isinstance(current, bool) else type(current)(value)
        config = replace(config, **{section: replace(part, **{name: typed})})
    return config


def run_eval_command(args) -> int:
    from assistant.assistant import Assistant
    from eval.dataset import EvalSetError, load_eval_set
    from eval.runner import run_eval, write_outputs
    from eval.systems import build_systems
    from index.build import build_index
    from index.embedding import Embedder

    from eval.split import select_split

    try:
        items = select_split([item for path in args.datasets for item in load_eval_set(path)], args.split)
    except (EvalSetError, OSError) as exc:
        print(f"评测集有误：{exc}", file=sys.stderr)
        return 2
    try:
        config: Config = with_overrides(args.config, args.overrides)
    except ValueError as exc:
        print(f"设置有误：{exc}", file=sys.stderr)
        return 2
    store = args.store or config.store
    corpus = args.corpus or config.corpus
    if args.corpus or not Path(store, "CURRENT").exists():
        store = args.store or tempfile.mkdtemp(prefix="rectify-eval-store-")
        # The configured model and encoder, which Assistant.load below insists on
        result = build_index(corpus, store, embedder=Embedder(config.embedding_settings()))
        if result.errors:
            for err in result.errors:
                print(f"跳过 {err['file']}：{err['error']}", file=sys.stderr)
    bot = Assistant.load(store, config)
    systems = build_systems(bot, corpus, args.configs, use_report_field=not args.no_report_field)
    source_texts = {r.title: r.body for r in bot.index.reports.values()}
    run = run_eval(items, systems, source_texts=source_texts)
    paths = write_outputs(run, args.out)
    for system in run.systems:
        m = system.metrics["overall"]
        print(f"{system.name:18s} accuracy={_fmt(m.get('answer_accuracy'))} list_recall={_fmt(m.get('list_recall'))} "
              f"evidence_hit={_fmt(m.get('evidence_hit'))} citation_precision={_fmt(m.get('citation_precision'))} "
              f"refusal={_fmt(m.get('refusal_accuracy'))} p50={system.latency.get('p50_ms', 0):.0f}ms")
    print(f"报告：{paths['report']}")
    return 0


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.3f}"
