"""Answer latency in default (extractive) mode: model-and-index load time, then p50/p95
per question over the evaluation questions, after load. Prints figures; asserts nothing.

    python bench/bench_answer.py [--store DIR] [--sets eval/sets/samples.jsonl ...] [--repeat 3]

Without --store it builds the sample corpus into a temporary store first (not timed here;
bench/bench_index.py times builds).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default=None)
    parser.add_argument("--sets", nargs="+", default=[str(ROOT / "eval/sets/samples.jsonl"),
                                                      str(ROOT / "eval/sets/samples-dev.jsonl")])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from index.build import build_index

    store = args.store
    if store is None:
        store = tempfile.mkdtemp(prefix="rectify-bench-store-")
        build_index(ROOT / "data/reports", store, progress=False)

    started = time.perf_counter()
    from assistant.assistant import Assistant

    bot = Assistant.load(store)
    load_s = time.perf_counter() - started

    items = [json.loads(line) for path in args.sets for line in open(path, encoding="utf-8") if line.strip()]
    for item in items[:10]:                              # warm caches (jieba, tokenizer)
        bot.ask(item["question"], history=item.get("history"), report=item.get("report"))
    latencies, by_intent = [], defaultdict(list)
    for _ in range(args.repeat):
        for item in items:
            t0 = time.perf_counter()
            answer = bot.ask(item["question"], history=item.get("history"), report=item.get("report"))
            ms = (time.perf_counter() - t0) * 1000
            latencies.append(ms)
            by_intent[answer.intent].append(ms)

    print(f"store: {store}")
    print(f"model + index load: {load_s:.2f} s")
    print(f"questions: {len(items)} x {args.repeat} repeats")
    print(f"latency after load: p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
          f"mean {statistics.mean(latencies):.1f} ms, max {max(latencies):.1f} ms")
    for intent, values in sorted(by_intent.items()):
        print(f"  {intent:10s} n={len(values):4d} p50 {percentile(values, 0.5):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms")
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
