"""The `rectify` command: `rectify index build|status` (ask, chat, eval register alongside).

Each command is one `add_*_command(subparsers)` function that adds its parser and sets
`handler` to a function `(args) -> exit code`; `COMMANDS` lists the top-level ones, so a
new command is one function plus one line there. Output for users is Chinese; `--json`
output is for scripts and keeps fixed keys.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable

# Command modules import only argparse-level things at the top (handlers import the heavy
# parts when run), so registering every command keeps `rectify index build` fast.
from assistant.cli_ask import add_ask_command
from assistant.cli_chat import add_chat_command
from assistant.config import Config
from index.embedding import ENCODERS
from ingest.models import Status
from eval.calibrate import add_calibrate_command
from eval.cli_eval import add_eval_command

# Status values in the order and words users see them.
_STATUS_LABELS = tuple((s.value, s.label_zh or "未标明") for s in Status)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rectify` script; returns the process exit code."""
    # Nothing is ever downloaded at run time, and library progress bars (model weights)
    # are noise on a terminal; set before anything imports huggingface_hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # 「rectify ask … | head」: the reader stopped; nothing is wrong with the answer
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def build_parser(config: Config | None = None) -> argparse.ArgumentParser:
    """The full parser; `config` supplies defaults (from the environment when omitted)."""
    config = config or Config.from_env()
    parser = argparse.ArgumentParser(prog="rectify", description="整改问答：巡察整改情况报告问答助手")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示运行日志")
    parser.set_defaults(config=config)
    commands = parser.add_subparsers(title="命令", metavar="COMMAND")
    for add_command in COMMANDS:
        add_command(commands, config)
    return parser


# --- rectify index ----------------------------------------------------------------------

def add_index_command(commands, config: Config) -> None:
    """`rectify index …`: a group of subcommands about the store."""
    index = commands.add_parser("index", help="构建或查看索引", description="构建或查看索引")
    subcommands = index.add_subparsers(title="子命令", metavar="SUBCOMMAND", required=True)
    add_index_build_command(subcommands, config)
    add_index_status_command(subcommands, config)


def add_index_build_command(subcommands, config: Config) -> None:
    build = subcommands.add_parser(
        "build", help="为报告目录构建（或增量更新）索引",
        description="为报告目录构建索引；未变化的文件不会重新解析和向量化。同一时间只允许一个构建，"
                    "另一个构建正在进行时立即报错退出。",
    )
    build.add_argument("source_dir", metavar="SOURCE_DIR", nargs="?", default=config.corpus,
                       help=f"报告目录（默认 {config.corpus}）")
    build.add_argument("--store", default=config.store, help=f"索引目录（默认 {config.store}）")
    build.add_argument("--model", default=config.embed_model,
                       help=f"向量模型的目录或名称（默认 {config.embed_model}）")
    build.add_argument("--encoder", choices=ENCODERS, default=config.embed_encoder,
                       help=f"运行模型的编码器：torch、onnx 或 onnx-int8（int8 量化，更快；默认 {config.embed_encoder}）。"
                            "查询时须使用相同的编码器（RECTIFY_EMBED_ENCODER）")
    build.add_argument("--max-file-mb", type=_positive_mb, default=None, metavar="MB",
                       help="单个文件的大小上限，超过的文件报错且不读取（默认 50）")
    build.add_argument("--backend", choices=("embedded", "milvus"), default="embedded",
                       help="检索后端：embedded（FAISS + BM25，默认）或 milvus")
    build.add_argument("--milvus-uri", default="", help="Milvus 地址：本地文件路径（Milvus Lite）或 http://host:19530")
    build.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    build.set_defaults(handler=run_index_build)


def _positive_mb(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"应为正数（MB）：{value}")
    return number


def run_index_build(args) -> int:
    from dataclasses import replace

    from index.embedding import Embedder
    from index.build import BuildSettings, build_index
    from index.generations import StoreLockedError

    from index.milvus_backend import BackendSettings

    try:
        settings = BuildSettings(backend=BackendSettings(kind=args.backend, milvus_uri=args.milvus_uri))
        if args.max_file_mb is not None:
            settings = replace(settings, max_file_bytes=int(args.max_file_mb * 1024 * 1024))
        embedder = Embedder(args.config.embedding_settings(model=args.model, encoder=args.encoder))
        result = build_index(args.source_dir, args.store, embedder=embedder, settings=settings, progress=True)
    except (FileNotFoundError, StoreLockedError, ValueError, ImportError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.summary(), ensure_ascii=False))
    else:
        _print_build_summary(result, args.store)
    return 0 if result.reports else 1


def _print_build_summary(result, store: str) -> None:
    if result.reports == 0:
        print(f"没有可索引的报告，原索引保持不变（{store}）。")
    elif result.published:
        print(f"索引已更新：{store}（{result.generation}）")
    else:
        print(f"报告没有变化，索引保持不变：{store}（{result.generation}）")
    if result.reports:
        print(f"报告 {result.reports} 份：新增 {result.added}，变更 {result.changed}，"
              f"未变 {result.unchanged}，移除 {result.removed}")
        print(f"问题 {result.issues} 个，文本块 {result.chunks} 个；"
              f"本次向量化 {result.embedded_texts} 段，用时 {result.seconds:.1f} 秒")
    warned = [f for f in result.files if f.warnings]
    if warned:
        print(f"{len(warned)} 份报告的解析结果与报告自述不完全一致，请核对：")
        for entry in warned:
            print(f"  {entry.source}：" + "；".join(entry.warnings))
    if result.errors:
        print(f"{len(result.errors)} 个文件未能索引：")
        for error in result.errors:
            print(f"  {error['file']}：{error['error']}")
    if result.skipped:
        print(f"{len(result.skipped)} 个文件不是报告，已跳过：")
        for skipped in result.skipped:
            print(f"  {skipped['file']}：{skipped['reason']}")


def add_index_status_command(subcommands, config: Config) -> None:
    status = subcommands.add_parser("status", help="列出索引中的报告", description="列出索引中的报告")
    status.add_argument("--store", default=config.store, help=f"索引目录（默认 {config.store}）")
    status.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    status.set_defaults(handler=run_index_status)


def run_index_status(args) -> int:
    from index.generations import current_generation
    from index.manifest import StoreFormatError
    from index.status import index_status

    try:
        reports = index_status(args.store)
    except StoreFormatError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([_status_dict(r) for r in reports], ensure_ascii=False, indent=1))
        return 0 if reports else 1
    if not reports:
        print(f"索引为空或尚未构建（{args.store}），请先运行 rectify index build。")
        return 1
    print(f"索引：{args.store}（{current_generation(args.store)}），共 {len(reports)} 份报告")
    for n, report in enumerate(reports, 1):
        counts = "，".join(f"{label} {report.status_counts.get(value, 0)}" for value, label in _STATUS_LABELS)
        print(f"{n}. {report.title}")
        print(f"   日期：{report.date or '未标明'}　发布：{report.issuer or '未标明'}　文件：{report.source}")
        print(f"   问题 {report.issues} 个（{counts}），文本块 {report.chunks} 个，模型 {report.model}")
        for warning in report.warnings or []:
            print(f"   ⚠ {warning}")
    return 0


def _status_dict(report) -> dict:
    return {
        "title": report.title,
        "date": report.date,
        "issuer": report.issuer,
        "source": report.source,
        "issues": {"total": report.issues, **{v: report.status_counts.get(v, 0) for v, _ in _STATUS_LABELS}},
        "chunks": report.chunks,
        "sentences": report.sentences,
        "model": report.model,
        "built_at": report.built_at,
        "stated": report.stated or {},
        "warnings": report.warnings or [],
    }


# Top-level commands, in the order `rectify --help` lists them.
COMMANDS: list[Callable[[argparse._SubParsersAction, Config], None]] = [
    add_index_command,
    add_ask_command,
    add_chat_command,
    add_eval_command,
    add_calibrate_command,
]


if __name__ == "__main__":
    sys.exit(main())
