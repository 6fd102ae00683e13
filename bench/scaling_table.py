"""The tables of docs/scaling.md, from the results of bench/bench_index.py.

    python bench/scaling_table.py [out/bench/index/results.json]

Prints Markdown: the measured figures per size and backend, and each figure carried to
10,000 reports along the straight line through the two measured sizes (marked as
extrapolated). Nothing is measured here.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 10_000


def rows(results: dict) -> list[tuple[str, callable, str]]:
    """(label, figure of one size and backend, format)."""
    e = results["encoder"]

    def real_cold_min(s):
        st = s["store"]
        chunks, texts = st["cold"]["chunks"], st["cold"]["embedded_texts"]
        return (st["cold"]["s"] + chunks / e["chunks_per_s"] + (texts - chunks) / e["sentences_per_s"]) / 60

    def q(name, p):
        return lambda s: s["store"]["queries"][name][p]

    return [
        ("chunks / sentences", lambda s: f"{s['store']['chunks']:,} / {s['store']['sentences']:,}", "s"),
        ("cold build, stand-in encoder (s)", lambda s: s["store"]["cold"]["s"], ".0f"),
        ("cold build with m3e-small, extrapolated (min)", real_cold_min, ".0f"),
        ("add one report, in process (s)", lambda s: s["store"]["add"]["s"], ".2f"),
        ("add one report, own process (s)", lambda s: s["store"].get("add_fresh_process", {}).get("s"), ".2f"),
        ("bytes written by the addition (KB)", lambda s: s["store"]["add"]["written_bytes"] / 1e3, ".0f"),
        ("change one report (s / KB)", lambda s: f"{s['store']['change']['s']:.2f} / "
                                                 f"{s['store']['change']['written_bytes'] / 1e3:.0f}", "s"),
        ("remove one report (s / KB)", lambda s: f"{s['store']['remove']['s']:.2f} / "
                                                 f"{s['store']['remove']['written_bytes'] / 1e3:.0f}", "s"),
        ("rebuild, nothing changed (s)", lambda s: s["store"]["no_change"]["s"], ".2f"),
        ("store size (MB)", lambda s: s["store"]["store_mb"] + s["store"]["backend_mb"], ".0f"),
        ("open the store, load_store (s)", lambda s: s["store"]["load_s"], ".2f"),
        ("model + index + assistant ready (s)", lambda s: s["answer"]["ready_s"], ".1f"),
        ("dense p50 / p95, whole corpus (ms)", lambda s: f"{q('dense', 'p50')(s):.1f} / {q('dense', 'p95')(s):.1f}", "s"),
        ("dense p50, one report (ms)", q("dense_one_report", "p50"), ".2f"),
        ("BM25 p50 / p95, whole corpus (ms)", lambda s: f"{q('bm25', 'p50')(s):.1f} / {q('bm25', 'p95')(s):.1f}", "s"),
        ("sentences p50 / p95, whole corpus (ms)",
         lambda s: f"{q('sentences', 'p50')(s):.1f} / {q('sentences', 'p95')(s):.1f}", "s"),
        ("full answer p50 (ms)", lambda s: s["answer"]["answer_ms"]["p50"], ".0f"),
        ("full answer p95 (ms)", lambda s: s["answer"]["answer_ms"]["p95"], ".0f"),
        ("peak RSS, build + load (MB)", lambda s: s["store"]["peak_rss_mb"], ".0f"),
        ("peak RSS, answering (MB)", lambda s: s["answer"]["peak_rss_mb"], ".0f"),
    ]


def _cell(value, fmt: str) -> str:
    if value is None:
        return "–"
    return value if fmt == "s" else format(value, fmt)


def measured_table(results: dict) -> str:
    sizes = sorted(results["sizes"], key=int)
    backends = [b for b in ("embedded", "milvus") if b in results["sizes"][sizes[0]]]
    head = [f"{b} {int(n):,}" for b in backends for n in sizes]
    lines = ["| figure | " + " | ".join(head) + " |", "|---" * (len(head) + 1) + "|"]
    for label, figure, fmt in rows(results):
        cells = []
        for b in backends:
            for n in sizes:
                try:
                    cells.append(_cell(figure(results["sizes"][n][b]), fmt))
                except KeyError:
                    cells.append("–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def extrapolated_table(results: dict, backend: str = "embedded") -> str:
    """Numeric figures on the line through the two measured sizes, at `TARGET` reports."""
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) < 2:
        return ""
    (a, b) = (int(sizes[0]), int(sizes[-1]))
    lines = [f"| figure | {a:,} (measured) | {b:,} (measured) | per 1,000 reports | {TARGET:,} (extrapolated) |",
             "|---|---|---|---|---|"]
    for label, figure, fmt in rows(results):
        if fmt == "s":
            continue
        try:
            fa, fb = figure(results["sizes"][sizes[0]][backend]), figure(results["sizes"][sizes[-1]][backend])
        except KeyError:
            continue
        if fa is None or fb is None:
            continue
        slope = (fb - fa) / (b - a)
        lines.append(f"| {label} | {format(fa, fmt)} | {format(fb, fmt)} | {format(slope * 1000, fmt)} | "
                     f"{format(fb + slope * (TARGET - b), fmt)} |")
    return "\n".join(lines)


def llamaindex_table(results: dict) -> str:
    e = results["encoder"]
    lines = ["| plain LlamaIndex pipeline | " + " | ".join(f"{int(n):,}" for n in sorted(results["sizes"], key=int)) + " |",
             "|---" * (1 + len(results["sizes"])) + "|"]
    sizes = [results["sizes"][n].get("llamaindex") for n in sorted(results["sizes"], key=int)]
    for label, fn in (
            ("files / chunks (512 tokens)", lambda p: f"{p['files']:,} / {p['nodes']:,}"),
            ("build, stand-in encoder (s)", lambda p: f"{p['build_s']:.0f} (reading files {p['read_s']:.0f})"),
            ("build with m3e-small, extrapolated (min)", lambda p: f"{(p['build_s'] + p['nodes'] / e['plain_chunks_per_s']) / 60:.0f}"),
            ("query p50 / p95 (ms)", lambda p: f"{p['query_ms']['p50']:.0f} / {p['query_ms']['p95']:.0f}"),
            ("peak RSS (MB)", lambda p: f"{p['peak_rss_mb']:.0f}")):
        lines.append(f"| {label} | " + " | ".join(fn(p) if p else "–" for p in sizes) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else ROOT / "out" / "bench" / "index" / "results.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    e = results["encoder"]
    print(f"Encoder m3e-small on the fixed sample: {e['chunks_per_s']:.1f} chunks/s, {e['sentences_per_s']:.0f} "
          f"sentences/s, {e['plain_chunks_per_s']:.1f} 512-token chunks/s; model load after imports {e['model_load_s']:.1f} s. "
          f"Load average {results['load_average_start']} at the start, {results['load_average_end']} at the end.\n")
    for n in sorted(results["sizes"], key=int):
        added = e.get(f"added_report_{n}")
        if added:
            print(f"Report added to {int(n):,}: {added['texts']} texts, {added['embed_s']:.1f} s with m3e-small.")
    print()
    print(measured_table(results))
    print()
    print(extrapolated_table(results))
    print()
    print(llamaindex_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
