"""Optional LLM mode: an OpenAI-compatible endpoint writes the answer from numbered,
verbatim passages; every [n] it writes is checked, unsupported sentences are flagged,
and any error or timeout falls back to the extractive answer, saying so.

List and count questions stay extractive: they are answered over the parsed records,
which an LLM given a handful of passages could only make less complete.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace

from assistant.config import LLMSettings
from assistant.models import Answer, Citation
from prompts import load_prompt

logger = logging.getLogger(__name__)

REFUSAL = "报告中未找到能回答该问题的内容"
_AGGREGATE_INTENTS = {"list", "count", "invalid"}
_MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
UNVERIFIED = "（⚠未核实）"


def make_llm(settings: LLMSettings):
    """A LlamaIndex OpenAILike client, configured explicitly (never from globals)."""
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=settings.model or "default",
        api_base=settings.base_url,
        api_key=settings.api_key or "not-needed",
        timeout=settings.timeout_s,
        max_retries=0,
        is_chat_model=True,
        context_window=8192,
    )


class LLMAnswerer:
    """Answers through an LLM, grounded in the assistant's passages."""

    def __init__(self, bot, settings: LLMSettings, llm=None):
        if not settings.base_url:
            raise ValueError("未配置大模型服务地址（RECTIFY_LLM_BASE_URL）")
        self.bot = bot
        self.settings = settings
        self.llm = llm or make_llm(settings)

    def answer(self, question: str, history=None, report=None) -> Answer:
        final = None
        for final in self.stream(question, history, report):
            pass
        return final

    def stream(self, question: str, history=None, report=None) -> Iterator[Answer]:
        """Partial answers while the LLM writes, then the checked final answer."""
        base = self.bot.ask(question, history=history, report=report)
        if base.intent in _AGGREGATE_INTENTS:
            yield replace(base, notice="列表和计数类问题按解析出的问题条目作答，未使用大模型。")
            return
        passages = self.bot.passages_for(question, base, self.settings.max_passages)
        if not passages:
            yield base
            return
        messages = self._messages(question, history, passages)
        text = ""
        try:
            for chunk in self.llm.stream_chat(messages):
                text += chunk.delta or ""
                yield Answer(text, True, passages, intent=base.intent, mode="llm")
        except Exception as exc:  # network, timeout, bad response: never fail the user
            logger.warning("LLM failed, falling back to extractive answer: %s", exc)
            yield replace(base, mode="llm-fallback",
                          notice=f"大模型服务不可用（{type(exc).__name__}），已改用抽取式回答。")
            return
        yield check_answer(text, passages, base)

    def _messages(self, question: str, history, passages: list[Citation]):
        from llama_index.core.llms import ChatMessage

        numbered = "\n".join(f"[{n}]（{c.report}；{c.issue or c.section}）{c.text}"
                             for n, c in enumerate(passages, 1))
        turns = "".join(f"{'用户' if t.get('role') == 'user' else '助手'}：{t.get('content', '')}\n"
                        for t in (history or [])[-4:])
        user = load_prompt("answer_user_zh").format(
            passages=numbered, history=f"此前的对话：\n{turns}\n" if turns else "", question=question)
        return [ChatMessage(role="system", content=load_prompt("answer_system_zh")),
                ChatMessage(role="user", content=user)]


def check_answer(text: str, passages: list[Citation], base: Answer) -> Answer:
    """Flag every sentence that cites nothing valid or states a number its passages lack."""
    text = text.strip()
    if not text:
        return replace(base, mode="llm-fallback", notice="大模型返回了空回答，已改用抽取式回答。")
    if text.startswith(REFUSAL):
        return Answer(text, False, [replace(c, related_only=True) for c in passages], intent="none", mode="llm")
    out, flagged = [], 0
    for sentence in _SENTENCE.findall(text):
        if not sentence.strip():
            continue
        if not _supported(sentence, passages):
            flagged += 1
            sentence = sentence.rstrip() + UNVERIFIED
        out.append(sentence)
    notice = f"有{flagged}句话未能在所给原文中核实，已标注“⚠未核实”。" if flagged else ""
    return Answer("".join(out), True, passages, intent=base.intent, mode="llm", notice=notice,
                  items=base.items, query_terms=base.query_terms)


def _supported(sentence: str, passages: list[Citation]) -> bool:
    cited = [int(n) for n in _MARKER.findall(sentence)]
    if not cited or any(not 1 <= n <= len(passages) for n in cited):
        return False
    sources = "".join(passages[n - 1].text for n in cited)
    return all(num in sources for num in _NUMBER.findall(_MARKER.sub("", sentence)))


def stream_answer(bot, question: str, history=None, report=None) -> Iterator[Answer]:
    """For the page: stream an LLM answer with the bot's configured endpoint."""
    yield from LLMAnswerer(bot, bot.config.llm).stream(question, history, report)
