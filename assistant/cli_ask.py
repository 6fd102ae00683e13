"""`rectify ask`: one question from the command line, or one per line from stdin."""
from __future__ import annotations

import json
import sys

from assistant.config import Config


def add_ask_command(commands, config: Config) -> None:
    ask = commands.add_parser(
        "ask", help="提问（不给问题时从标准输入逐行读取）",
        description="向索引中的报告提问。不给问题时，从标准输入每行读一个问题，模型只加载一次。",
    )
    ask.add_argument("question", nargs="?", help="问题，例如：哪些问题仍在整改中")
    ask.add_argument("--store", default=config.store, help=f"索引目录（默认 {config.store}）")
    ask.add_argument("--report", default=None, help="只在标题包含该片段的报告中回答")
    ask.add_argument("--json", action="store_true", help="以评测格式的 JSON 输出答案")
    ask.set_defaults(handler=run_ask)


def run_ask(args) -> int:
    from assistant.assistant import Assistant
    from index.loaded import ModelMismatchError, StoreNotFoundError

    try:
        bot = Assistant.load(args.store, args.config)
    except (StoreNotFoundError, FileNotFoundError) as exc:
        print(f"无法加载索引：{exc}。请先运行 rectify index build。", file=sys.stderr)
        return 1
    except ModelMismatchError as exc:     # another model or encoder built the store
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    questions = [args.question] if args.question else (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        answer = bot.ask(question, report=args.report)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_answer(question, answer), flush=True)
    return 0


def format_answer(question: str, answer) -> str:
    """An answer with its numbered citations, for a terminal."""
    lines = [f"问：{question}", answer.answer]
    if answer.citations:
        lines.append("可能相关的段落：" if not answer.answered else "引用：")
        for n, c in enumerate(answer.citations, 1):
            where = "；".join(p for p in (c.report, c.section, c.issue, c.status or "") if p)
            lines.append(f"[{n}] {where}\n    {c.text}")
    return "\n".join(lines) + "\n"
