"""Index benchmark: build, embed, incremental add, no-change rebuild, size, memory, load.

    python bench/bench_index.py [--reports 200] [--work out/bench/index] [--fresh]

A script, not a timed test: it prints figures for this machine and writes them to
`<work>/results.json`. The synthetic store of `--reports` reports is kept in `--work`
between runs (the first run embeds them all, which takes minutes on a 2-core CPU); each
run then removes the extra report again, so its incremental add is measured afresh.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_synthetic_corpus import make_corpus  # noqa: E402

from index.build import build_index  # noqa: E402
from index.embedding import Embedder  # noqa: E402
from index.loaded import load_store  # noqa: E402

SAMPLE_CORPUS = ROOT / "data" / "reports"
QUERIES = [
    "区域审方系统累计干预了多少张处方",
    "哪些问题仍在整改中",
    "结余药品是怎么整改的",
    "招投标方面存在什么问题",
    "医共体建设整改情况",
    "院感管理不到位如何整改",
    "公立医院绩效考核排名靠后",
    "紧缺人才招录",
]

# Load a store in a fresh interpreter: what a chat page pays on start (imports included).
# Its peak memory is read from VmHWM: ru_maxrss of a child counts the parent's pages
# at fork time, so it would report the benchmark's own peak.
_LOAD_IN_CHILD = """
import sys, time
started = time.perf_counter()
from index.loaded import load_store
index = load_store(sys.argv[1])
elapsed = time.perf_counter() - started
hwm_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(elapsed, hwm_kb)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="索引基准测试")
    parser.add_argument("--reports", type=int, default=200, help="合成索引的报告份数（默认 200）")
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench" / "index", help="工作目录")
    parser.add_argument("--fresh", action="store_true", help="删除工作目录，从头构建合成索引")
    args = parser.parse_args(argv)
    if args.fresh:
        shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True, exist_ok=True)

    figures: dict[str, object] = {}
    embedder = Embedder()
    sample_figures(embedder, figures)
    synthetic_figures(embedder, args.reports, args.work, figures)
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"基准进程峰值内存：{figures['peak_rss_mb']:.0f} MB")
    (args.work / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"结果已写入 {args.work / 'results.json'}")
    return 0


def sample_figures(embedder: Embedder, figures: dict) -> None:
    """Cold build of the two sample reports, then raw embedding throughput."""
    with tempfile.TemporaryDirectory() as tmp:
        # Cold build: empty store, model not loaded yet
        started = time.perf_counter()
        result = build_index(SAMPLE_CORPUS, Path(tmp) / "store", embedder=embedder, progress=False)
        cold = time.perf_counter() - started
        index = load_store(Path(tmp) / "store")
    figures.update(sample_cold_build_s=cold, sample_model_load_s=embedder.load_seconds,
                   sample_chunks=result.chunks, sample_sentences=len(index.sentences))
    print(f"样例语料冷构建：{cold:.1f} 秒（其中加载模型 {embedder.load_seconds:.1f} 秒），"
          f"{result.reports} 份报告，{result.chunks} 个文本块，{len(index.sentences)} 个句子")

    # Throughput on the same texts, model already loaded
    for kind, texts in (("chunks", [c.text for c in index.chunks]), ("sentences", [s.text for s in index.sentences])):
        started = time.perf_counter()
        embedder.embed(texts)
        rate = len(texts) / (time.perf_counter() - started)
        figures[f"embed_{kind}_per_s"] = rate
        print(f"向量化吞吐：{rate:.0f} {'文本块' if kind == 'chunks' else '句子'}/秒")


def synthetic_figures(embedder: Embedder, n_reports: int, work: Path, figures: dict) -> None:
    """A store of `n_reports` synthetic reports: add one, rebuild unchanged, size, load."""
    generated, corpus, store = work / "generated", work / "corpus", work / "store"
    paths = make_corpus(n_reports + 1, generated)
    base, extra = paths[:n_reports], paths[n_reports]

    # Base store of n reports (built once; later runs only drop the extra report again)
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for path in base:
        shutil.copy(path, corpus / path.name)
    started = time.perf_counter()
    result = build_index(corpus, store, embedder=embedder, progress=True)
    figures.update(base_build_s=time.perf_counter() - started, base_embedded=result.embedded_texts,
                   base_chunks=result.chunks, base_reports=result.reports)
    print(f"{n_reports} 份合成报告的索引：{result.chunks} 个文本块；本次构建 {figures['base_build_s']:.1f} 秒，"
          f"向量化 {result.embedded_texts} 段")

    # Incremental add of one report
    shutil.copy(extra, corpus / extra.name)
    started = time.perf_counter()
    result = build_index(corpus, store, embedder=embedder, progress=False)
    add = time.perf_counter() - started
    figures.update(add_one_s=add, add_one_embed_s=result.embed_seconds, add_one_embedded=result.embedded_texts,
                   add_one_added=result.added)
    print(f"增量添加 1 份报告：{add:.2f} 秒（其中解析和向量化 {result.embed_seconds:.2f} 秒，"
          f"写出清单并发布新一代 {add - result.embed_seconds:.2f} 秒），向量化 {result.embedded_texts} 段"
          f"（新增 {result.added}，未变 {result.unchanged}）")

    # No-change rebuild, in process and as the CLI (a fresh embedder must stay unloaded)
    fresh = Embedder()
    started = time.perf_counter()
    result = build_index(corpus, store, embedder=fresh, progress=False)
    figures.update(no_change_s=time.perf_counter() - started, no_change_model_loaded=fresh.is_loaded)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "index", "build", str(corpus), "--store", str(store),
                    "--json"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    figures["no_change_cli_s"] = time.perf_counter() - started
    print(f"无变化重建：{figures['no_change_s'] * 1000:.0f} 毫秒（模型未加载：{not fresh.is_loaded}）；"
          f"作为命令行进程 {figures['no_change_cli_s']:.2f} 秒")

    # Size on disk
    generation = store / (store / "CURRENT").read_text().strip()
    sizes = {"store_mb": _size_mb(store), "generation_mb": _size_mb(generation),
             "segments_mb": _size_mb(store / "segments")}
    figures.update(sizes)
    print(f"磁盘占用：共 {sizes['store_mb']:.1f} MB（当前一代清单 {sizes['generation_mb']:.2f} MB，"
          f"报告分段 {sizes['segments_mb']:.1f} MB）")

    # Load time, in this process and in a fresh one (with its peak memory)
    started = time.perf_counter()
    index = load_store(store, model_id=embedder.model_id)
    figures["load_s"] = time.perf_counter() - started
    child = subprocess.run([sys.executable, "-c", _LOAD_IN_CHILD, str(store)], cwd=ROOT, check=True,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    figures["load_cold_process_s"] = float(child.stdout.split()[0])
    figures["load_process_peak_rss_mb"] = int(child.stdout.split()[1]) / 1024
    print(f"加载索引：{figures['load_s']:.2f} 秒（新进程含导入 {figures['load_cold_process_s']:.2f} 秒，"
          f"该进程峰值内存 {figures['load_process_peak_rss_mb']:.0f} MB）；"
          f"{len(index.chunks)} 个文本块，{len(index.sentences)} 个句子")

    # Search latency on the large store
    vectors = [embedder.embed_query(q) for q in QUERIES]
    started = time.perf_counter()
    for q in QUERIES:
        embedder.embed_query(q)
    figures["embed_query_ms"] = (time.perf_counter() - started) / len(QUERIES) * 1000
    started = time.perf_counter()
    for v in vectors:
        index.dense_search(v, 30)
    figures["dense_search_ms"] = (time.perf_counter() - started) / len(QUERIES) * 1000
    started = time.perf_counter()
    for q in QUERIES:
        index.bm25_search(q, 30)
    figures["bm25_search_ms"] = (time.perf_counter() - started) / len(QUERIES) * 1000
    print(f"检索延迟（{len(index.chunks)} 个文本块）：问题向量化 {figures['embed_query_ms']:.1f} 毫秒，"
          f"FAISS {figures['dense_search_ms']:.2f} 毫秒，BM25 {figures['bm25_search_ms']:.2f} 毫秒")


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


if __name__ == "__main__":
    sys.exit(main())
