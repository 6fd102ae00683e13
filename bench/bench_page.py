"""Load on the chat page's API, on 127.0.0.1 only: N clients each asking M questions at
once, then the same with one client whose session carries a long history. Prints
questions/s, p50/p95 latency, errors, and whether the long-history client moved the other
clients' p95 by more than the goal (20 %). Asserts nothing; bounded in count and time.

    python bench/bench_page.py [--clients 8] [--questions 20] [--history-turns 60] [--store DIR]

Starts `rectify chat` in a subprocess on a free loopback port (building the sample
reports into a temporary store first when no --store is given) and stops it at the end.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"          # never anything else: this is a load test
GOAL_P95_SHIFT = 0.20       # issue 9: the long-history client may move others' p95 by at most 20 %
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 600         # the whole load phase stops by itself after this
QUESTIONS = ["哪些问题仍在整改中", "区域审方系统累计干预了多少张处方", "二院被反馈了多少个问题",
             "医共体建设未能达到预期目标是怎么整改的", "县里已经整改完成的是哪几个问题",
             "二院的招投标问题怎么整改的", "第3个是怎么整改的？", "停车场有几个车位"]
# A long question that still passes the boundary: the long history is made of these
LONG_QUESTION = "请详细说明" + "医共体建设和药品耗材管理方面" * 30 + "的问题是怎么整改的"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_page(store: Path, data: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--store", str(store),
                                    "--corpus", str(ROOT / "data" / "reports"), "--data-dir", str(data),
                                    "--host", HOST, "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"rectify chat exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("rectify chat did not start in time")


class Client(threading.Thread):
    """One browser session: its own gradio_client session, so its own history."""

    def __init__(self, url: str, questions: list[str], prefill: int, start: threading.Barrier, stop_at: float):
        super().__init__(daemon=True)
        from gradio_client import Client as GradioClient

        self.client = GradioClient(url, verbose=False)
        self.questions, self.prefill, self.start_barrier, self.stop_at = questions, prefill, start, stop_at
        self.latencies: list[float] = []
        self.errors = 0

    def ask(self, question: str) -> None:
        self.client.predict(question, "抽取式", "全部报告", api_name="/ask")

    def run(self) -> None:
        for n in range(self.prefill):           # a long history, built before the timed part
            try:
                self.ask(LONG_QUESTION if n % 2 else QUESTIONS[n % len(QUESTIONS)])
            except Exception:  # noqa: BLE001 (counted, not fatal: this is a load test)
                self.errors += 1
        self.start_barrier.wait()
        for question in self.questions:
            if time.monotonic() > self.stop_at:
                break
            started = time.perf_counter()
            try:
                self.ask(question)
                self.latencies.append(time.perf_counter() - started)
            except Exception:  # noqa: BLE001
                self.errors += 1


def run_phase(url: str, clients: int, questions: int, long_history: int) -> dict:
    start = threading.Barrier(clients + 1)
    stop_at = time.monotonic() + RUN_TIMEOUT_S
    workers = [Client(url, [QUESTIONS[(i + k) % len(QUESTIONS)] for k in range(questions)],
                      long_history if i == 0 else 0, start, stop_at) for i in range(clients)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join(RUN_TIMEOUT_S)
    elapsed = time.perf_counter() - began
    others = [x for w in (workers[1:] if long_history else workers) for x in w.latencies]
    every = [x for w in workers for x in w.latencies]
    return {"elapsed": elapsed, "qps": len(every) / elapsed, "answered": len(every),
            "errors": sum(w.errors for w in workers), "p50": percentile(others, 0.5),
            "p95": percentile(others, 0.95), "long_p95": percentile(workers[0].latencies, 0.95)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--history-turns", type=int, default=60, help="questions the long-history client asks first")
    parser.add_argument("--store", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    work = Path(tempfile.mkdtemp(prefix="bench-page-"))
    try:
        store = Path(args.store) if args.store else work / "store"
        if not args.store:
            from index.build import build_index

            print("building the sample reports into a temporary store …", flush=True)
            build_index(ROOT / "data" / "reports", store, progress=False)
        port = free_port()
        process = start_page(store, work / "data", port, work / "page.log")
        url = f"http://{HOST}:{port}/"
        try:
            run_phase(url, 2, 3, 0)                          # warm-up, not reported
            base = run_phase(url, args.clients, args.questions, 0)
            loaded = run_phase(url, args.clients, args.questions, args.history_turns)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.clients} clients × {args.questions} questions, extractive mode, {HOST}")
    for name, r in (("all clients alike", base), (f"client 0 with {args.history_turns} earlier turns", loaded)):
        print(f"  {name:34s} {r['qps']:5.1f} questions/s  p50 {r['p50'] * 1000:6.0f} ms  "
              f"p95 {r['p95'] * 1000:6.0f} ms  (others)  errors {r['errors']}  answered {r['answered']}")
    print(f"  long-history client itself: p95 {loaded['long_p95'] * 1000:.0f} ms")
    shift = loaded["p95"] / base["p95"] - 1
    verdict = "holds" if shift <= GOAL_P95_SHIFT else "does NOT hold"
    print(f"  others' p95 moved by {shift * 100:+.1f} % (goal ≤ {GOAL_P95_SHIFT * 100:.0f} %): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
