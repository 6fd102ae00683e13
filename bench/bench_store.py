"""Store benchmark with a stand-in encoder: writes, build and query times per backend.

    python bench/bench_store.py [--reports 20 50] [--work out/bench/store]

Vectors come from a hash of each text (`HashEncoder`, 512 dims like m3e-small), NOT from
the model: the figures are the index side only (parsing, chunking, jieba, segments,
FAISS/bm25s or Milvus Lite), so they can be measured on hundreds of reports on a 2-core
machine; embedding time is measured by bench/bench_index.py and adds to every build
figure here. For each corpus size and backend it prints: cold build, add / change /
remove one report (seconds and bytes written), store size, load time, peak RSS of this
process, and query p50/p95 for dense and BM25 search.

Bytes written are the `wchar` of /proc/self/io (bytes handed to write(2) by this process,
page cache included) around the build call; for Milvus Lite, the server runs in another
process, so its own writes are not counted (the store directory's growth is printed).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from make_synthetic_corpus import make_corpus, make_report  # noqa: E402

from index.build import BuildSettings, build_index  # noqa: E402
from index.loaded import load_store  # noqa: E402
from index.milvus_backend import BackendSettings  # noqa: E402

QUERIES = ["区域审方系统累计干预了多少张处方", "哪些问题仍在整改中", "结余药品是怎么整改的",
           "招投标方面存在什么问题", "医共体建设整改情况", "院感管理不到位如何整改",
           "公立医院绩效考核排名靠后", "紧缺人才招录"]


class HashEncoder:
    """Stand-in encoder: a unit vector from a hash of the text. No model, 512 dims."""

    model_id = "hash-stand-in-512"
    encoder = "torch"
    dim = 512

    def count_tokens(self, text: str) -> int:
        return len(text)   # m3e's BERT tokenizer makes about one word piece per Chinese character

    def embed(self, texts, on_batch=None):
        out = np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        if on_batch:
            on_batch(len(texts))
        return out

    def embed_query(self, text):
        return self._vector(text)

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).normal(size=self.dim).astype(np.float32)
        return v / np.linalg.norm(v)


def written_bytes() -> int:
    with open("/proc/self/io") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("wchar"))


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def timed_build(corpus: Path, store: Path, settings: BuildSettings) -> tuple[float, int, object]:
    before, started = written_bytes(), time.perf_counter()
    result = build_index(corpus, store, embedder=HashEncoder(), settings=settings, progress=False)
    return time.perf_counter() - started, written_bytes() - before, result


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def query_times(index, rounds: int = 5) -> dict[str, tuple[float, float]]:
    encoder, times = HashEncoder(), {"dense": [], "bm25": []}
    vectors = [encoder.embed_query(q) for q in QUERIES]
    for _ in range(rounds):
        for q, v in zip(QUERIES, vectors):
            started = time.perf_counter()
            index.dense.search(v, 30)
            times["dense"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.bm25.search(q, 30)
            times["bm25"].append((time.perf_counter() - started) * 1000)
    return {k: percentiles(v) for k, v in times.items()}


def run(n_reports: int, backend: str, work: Path) -> None:
    folder = work / f"{backend}-{n_reports}"
    shutil.rmtree(folder, ignore_errors=True)
    corpus, store = folder / "corpus", folder / "store"
    make_corpus(n_reports + 1, corpus)
    extra = sorted(corpus.iterdir())[-1]
    held = folder / extra.name
    shutil.move(extra, held)
    settings = BuildSettings(backend=BackendSettings(kind=backend, milvus_uri=str(folder / "milvus.db"))
                             if backend == "milvus" else BackendSettings())

    cold_s, cold_bytes, result = timed_build(corpus, store, settings)
    chunks = result.chunks
    shutil.move(held, corpus / extra.name)
    add_s, add_bytes, _ = timed_build(corpus, store, settings)
    # The change: another report of the same layout under the same name (appending text
    # would break a .docx, .xlsx or .pdf)
    layout = make_report(n_reports, folder / "original").layout
    shutil.copy(make_report(n_reports, folder / "changed", seed=8, layout=layout).path, corpus / extra.name)
    change_s, change_bytes, _ = timed_build(corpus, store, settings)
    (corpus / extra.name).unlink()
    remove_s, remove_bytes, _ = timed_build(corpus, store, settings)

    started = time.perf_counter()
    index = load_store(store)
    load_s = time.perf_counter() - started
    q = query_times(index)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"[{backend}] {n_reports} 份报告，{chunks} 个文本块，{len(index.sentences)} 个句子（替身编码器，未含向量化时间）")
    print(f"  冷构建 {cold_s:.1f} 秒，写入 {cold_bytes / 1e6:.1f} MB")
    print(f"  新增 1 份：{add_s:.2f} 秒，写入 {add_bytes / 1e3:.0f} KB；修改 1 份：{change_s:.2f} 秒，写入 "
          f"{change_bytes / 1e3:.0f} KB；删除 1 份：{remove_s:.2f} 秒，写入 {remove_bytes / 1e3:.0f} KB")
    extras = size_mb(corpus) + size_mb(folder / "original") + size_mb(folder / "changed")
    print(f"  索引目录 {size_mb(store):.1f} MB" + (f"，Milvus Lite 文件 {size_mb(folder) - size_mb(store) - extras:.1f} MB"
                                              if backend == "milvus" else "")
          + f"；加载 {load_s:.2f} 秒；本进程峰值内存 {rss:.0f} MB")
    print(f"  检索 p50/p95：向量 {q['dense'][0]:.2f}/{q['dense'][1]:.2f} 毫秒，BM25 {q['bm25'][0]:.2f}/{q['bm25'][1]:.2f} 毫秒")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="索引存储基准（替身编码器）")
    parser.add_argument("--reports", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--backends", nargs="+", default=["embedded", "milvus"])
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench" / "store")
    args = parser.parse_args(argv)
    for n in args.reports:
        for backend in args.backends:
            run(n, backend, args.work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
