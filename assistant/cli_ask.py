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
    ask.add_argument("--llm", action="store_true",
                     help="经大模型服务组织回答（据引用原文作答并逐句核对；服务地址见 README）")
    ask.add_argument("--llm-url", default=None, help="OpenAI 兼容服务地址，覆盖配置中的地址")
    ask.add_argument("--llm-model", default=None, help="大模型名称，覆盖配置中的名称")
    ask.set_defaults(handler=run_ask)


def _answerer(args, bot):
    """The composer the question goes through: the extractive assistant, or an LLM that
    writes from the assistant's passages (and falls back to it on any error)."""
    if not args.llm:
        return bot.ask
    from dataclasses import replace

    from assistant.llm import LLMAnswerer

    settings = replace(args.config.llm, **{k: v for k, v in
                                           (("base_url", args.llm_url), ("model", args.llm_model)) if v})
    return LLMAnswerer(bot, settings).answer


def run_ask(args) -> int:
    from assistant.assistant import Assistant
    from index.loaded import ModelMismatchError, StoreNotFoundError

    if args.llm and not (args.llm_url or args.config.llm.base_url):
        print("无法使用大模型：未配置大模型服务地址（用 --llm-url 指定，或见 README 的配置说明）。", file=sys.stderr)
        return 2
    try:
        bot = Assistant.load(args.store, args.config)
    except (StoreNotFoundError, FileNotFoundError) as exc:
        print(f"无法加载索引：{exc}。请先运行 rectify index build。", file=sys.stderr)
        return 1
    except ModelMismatchError as exc:     # another model or encoder built the store
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    answer_of = _answerer(args, bot)
    questions = [args.question] if args.question else (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        answer = answer_of(question, report=args.report)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        else:
            print(format_answer(question, answer), flush=True)
    return 0


def format_answer(question: str, answer) -> str:
    """An answer with its numbered citations, for a terminal."""
    lines = [f"问：{question}", answer.answer] + ([f"（{answer.notice}）"] if answer.notice else [])
    if answer.citations:
        lines.append("可能相关的段落：" if not answer.answered else "引用：")
        for n, c in enumerate(answer.citations, 1):
            where = "；".join(p for p in (c.report, c.section, c.issue, c.status or "") if p)
            lines.append(f"[{n}] {where}\n    {c.text}")
    return "\n".join(lines) + "\n"
