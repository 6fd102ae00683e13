"""LLM mode against a small OpenAI-compatible server on 127.0.0.1: real HTTP through the
real LlamaIndex client, citation checking, and the fallback on errors and timeouts."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.config import LLMSettings
from assistant.llm import UNVERIFIED, LLMAnswerer, check_answer
from assistant.models import Answer, Citation


class FakeOpenAI(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions with `server.reply`, streamed or not."""

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        if self.server.mode == "error":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "boom"}}')
            return
        if self.server.mode == "slow":
            time.sleep(3)
        if body.get("stream"):
            self._stream(self.server.reply)
        else:
            self._json({"id": "x", "object": "chat.completion", "created": 0, "model": "fake",
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": self.server.reply}}]})

    def _stream(self, text):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i in range(0, len(text), 8):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "fake",
                     "choices": [{"index": 0, "delta": {"role": "assistant", "content": text[i:i + 8]},
                                  "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def _json(self, data):
        payload = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.requests, server.mode, server.reply = [], "ok", ""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def answerer(bot, server, timeout=10.0):
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    return LLMAnswerer(bot, LLMSettings(base_url=url, model="fake", timeout_s=timeout))


QUESTION = "区域审方系统累计干预了多少张处方"


def test_llm_answer_cites_the_passages_it_was_given(bot, fake_server):
    fake_server.reply = "区域审方信息系统累计干预不合理处方17906张[1]。"
    answer = answerer(bot, fake_server).answer(QUESTION)
    assert answer.mode == "llm" and answer.answered
    assert "17906" in answer.answer and UNVERIFIED not in answer.answer
    assert "累计干预不合理处方17906张" in answer.citations[0].text
    prompt = fake_server.requests[0]["messages"][-1]["content"]
    assert "[1]" in prompt and "17906" in prompt
    assert "只能依据下面编号的报告原文段落回答" in fake_server.requests[0]["messages"][0]["content"]


def test_llm_stream_yields_partial_answers(bot, fake_server):
    fake_server.reply = "区域审方信息系统累计干预不合理处方17906张[1]。"
    parts = list(answerer(bot, fake_server).stream(QUESTION))
    assert len(parts) > 2
    assert all(p.mode == "llm" for p in parts)
    assert fake_server.requests[0]["stream"] is True


def test_unsupported_claims_and_unknown_markers_are_flagged(bot, fake_server):
    fake_server.reply = "累计干预不合理处方17906张[1]。全县共有99家医院参与[1]。另外还有新院区[9]。"
    answer = answerer(bot, fake_server).answer(QUESTION)
    assert answer.answer.count(UNVERIFIED) == 2
    assert "17906张[1]。" in answer.answer
    assert "未能在所给原文中核实" in answer.notice


def test_server_error_falls_back_to_the_extractive_answer(bot, fake_server):
    fake_server.mode = "error"
    answer = answerer(bot, fake_server).answer(QUESTION)
    assert answer.mode == "llm-fallback"
    assert "已改用抽取式回答" in answer.notice
    assert "17906" in answer.answer and answer.answered


def test_timeout_falls_back_to_the_extractive_answer(bot, fake_server):
    fake_server.mode = "slow"
    started = time.perf_counter()
    answer = answerer(bot, fake_server, timeout=0.5).answer(QUESTION)
    assert time.perf_counter() - started < 3
    assert answer.mode == "llm-fallback" and "17906" in answer.answer


def test_list_questions_stay_extractive(bot, fake_server):
    answer = answerer(bot, fake_server).answer("哪些问题仍在整改中")
    assert fake_server.requests == []
    assert "二（二）6" in answer.answer and "未使用大模型" in answer.notice


def test_llm_refusal_is_not_an_answer():
    passages = [Citation("r", "s", "", "", None, "原文")]
    result = check_answer("报告中未找到能回答该问题的内容。", passages, Answer("x", True))
    assert not result.answered and all(c.related_only for c in result.citations)


def test_no_endpoint_configured_is_a_clear_error(bot):
    with pytest.raises(ValueError, match="未配置大模型服务地址"):
        LLMAnswerer(bot, LLMSettings())
