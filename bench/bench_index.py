"""Index benchmark at corpus sizes: both backends, the assistant, and plain LlamaIndex.

    python bench/bench_index.py [--reports 200 1000] [--backends embedded milvus]
                                [--work out/bench/index] [--repeat 2] [--skip-llamaindex]

A script, not a timed test: it prints figures for this machine and writes them to
`<work>/results.json`. For every size N (a synthetic corpus of `bench/make_synthetic_corpus.py`)
and backend it measures, each part in a process of its own (so peak memory is that part's):

  store    cold build, add / change / remove one report (seconds, bytes written), a
           rebuild with nothing changed, store
           size, load, query p50/p95 of dense, BM25 and sentence search (whole corpus and
           one report), peak RSS
  answer   model + index load with where the time goes, answer p50/p95 over a fixed set
           of questions of several kinds (`synthetic_questions`), peak RSS while answering
  plain    the plain LlamaIndex pipeline (eval/baseline_llamaindex.py) on the same files:
           build and query

Encoders. The real encoder (m3e-small) is measured on a fixed sample (texts per second,
chunks and sentences apart) and on the texts of the report each size adds. Everything
else embeds with the stand-in `HashEncoder` of bench_store.py: a real cold build of 1,000
reports would take about an hour on 2 cores. Every figure says which encoder made it; a
real cold build is extrapolated from the measured rates and the text counts. The answer
part embeds each question with the real model (so its time is paid) and searches the
stand-in vectors, so which passages win differs from a real store; the work per answer
does not (see docs/scaling.md for the check on the ten-report store).

The machine's load average is recorded at the start and end of every part: other work
on the same 2 cores slows every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_store import QUERIES, HashEncoder, size_mb, written_bytes  # noqa: E402
from make_synthetic_corpus import make_report  # noqa: E402

STAND_IN = f"stand-in ({HashEncoder.model_id})"
REAL = "m3e-small"
# The fixed sample of the real encoder's throughput: every chunk and sentence of these
# synthetic reports (numbers 0-based), chosen to span text, ledger and web layouts.
_RATE_SAMPLE = (0, 1, 2)
_QUERY_ROUNDS = 5


# --- helpers ---------------------------------------------------------------------------

def load_average() -> str:
    """The 1, 5 and 15-minute load averages, as `uptime` shows them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def peak_rss_mb() -> float:
    """VmHWM of this process (ru_maxrss of a child would count the parent's pages)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "n": len(ordered)}


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - started, value


def corpus_dir(work: Path, n: int) -> Path:
    return work / f"corpus-{n}"


def generated_dir(work: Path) -> Path:
    return work / "generated"


def extra_report_path(work: Path, n: int) -> Path:
    """The report a store of `n` adds, changes and removes: number n (0-based)."""
    return next(generated_dir(work).glob(f"synthetic-{n + 1:04d}.*"))


# --- parent ----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="索引规模基准（两种后端、问答、LlamaIndex 对照）")
    parser.add_argument("--reports", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--backends", nargs="+", default=["embedded", "milvus"], choices=["embedded", "milvus"])
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench" / "index")
    parser.add_argument("--repeat", type=int, default=2, help="每个问题计时的轮数（另有一轮预热）")
    parser.add_argument("--skip-llamaindex", action="store_true")
    parser.add_argument("--skip-answer", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args.child, args.work, args.repeat)

    started_load = load_average()
    args.work.mkdir(parents=True, exist_ok=True)
    prepare_corpora(args.work, args.reports)
    results: dict = {"load_average_start": started_load, "sizes": {}}
    results["encoder"] = child(args.work, ["encoder", *map(str, args.reports)])
    print_encoder(results["encoder"])
    for n in args.reports:
        size: dict = {}
        for backend in args.backends:
            size[backend] = {"store": child(args.work, ["store", str(n), backend])}
            print_store(n, backend, size[backend]["store"], results["encoder"])
            if not args.skip_answer:
                size[backend]["answer"] = child(args.work, ["answer", str(n), backend])
                print_answer(n, backend, size[backend]["answer"])
        if not args.skip_llamaindex:
            size["llamaindex"] = child(args.work, ["llamaindex", str(n)])
            print_llamaindex(n, size["llamaindex"], results["encoder"])
        results["sizes"][str(n)] = size
    results["load_average_end"] = load_average()
    print(f"机器负载（1/5/15 分钟平均）：开始 {started_load}，结束 {results['load_average_end']}")
    out = args.work / "results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"结果已写入 {out}")
    return 0


def prepare_corpora(work: Path, sizes: list[int]) -> None:
    """Generate reports 1 … max+1 once (kept between runs), and a folder of the first N
    for each size (hard links)."""
    generated = generated_dir(work)
    needed = max(sizes) + 1
    stamp = generated / f".complete-{needed}"
    if not stamp.exists():
        shutil.rmtree(generated, ignore_errors=True)
        for n in range(needed):
            make_report(n, generated)
        stamp.write_text("")
    paths = sorted(p for p in generated.iterdir() if p.name.startswith("synthetic-"))
    for n in sizes:
        folder = corpus_dir(work, n)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for path in paths[:n]:
            os.link(path, folder / path.name)


def child(work: Path, part: list[str]) -> dict:
    """Run one part in a fresh interpreter; its last stdout line is its JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--work", str(work), "--child", *part]
    print(f"… {' '.join(part)}（负载 {load_average()}）", flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise RuntimeError(f"part {part} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- children --------------------------------------------------------------------------

def run_child(part: list[str], work: Path, repeat: int) -> int:
    kind, rest = part[0], part[1:]
    started = load_average()
    if kind == "encoder":
        figures = encoder_figures(work, [int(n) for n in rest])
    elif kind == "store":
        figures = store_figures(work, int(rest[0]), rest[1])
    elif kind == "answer":
        figures = answer_figures(store_path(work, int(rest[0]), rest[1]), repeat)
    elif kind == "answer-store":            # any store, with question files (eval sets)
        figures = answer_figures(Path(rest[0]), repeat, [Path(p) for p in rest[1:]] or None)
    elif kind == "llamaindex":
        figures = llamaindex_figures(corpus_dir(work, int(rest[0])))
    else:
        raise SystemExit(f"unknown part {kind}")
    figures.update(load_average_start=started, load_average_end=load_average(), peak_rss_mb=peak_rss_mb())
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def store_path(work: Path, n: int, backend: str) -> Path:
    return work / f"{backend}-{n}" / "store"


def encoder_figures(work: Path, sizes: list[int]) -> dict:
    """The real model: load time, texts per second on a fixed sample (chunks, sentences,
    LlamaIndex's 512-token chunks), and the texts of the report each size adds."""
    from eval.baseline_llamaindex import CHUNK_OVERLAP, CHUNK_SIZE
    from index.build import CHUNK_MAX_TOKENS
    from index.embedding import Embedder
    from index.sentence_refs import report_sentences
    from ingest.chunking import ChunkSettings, chunk_report
    from ingest.loader import load_report
    from ingest.readers import read_text
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    embedder = Embedder()
    load_s, _ = timed(embedder.embed_query, "预热")
    settings = ChunkSettings(max_tokens=CHUNK_MAX_TOKENS)

    def texts_of(path: Path) -> tuple[list[str], list[str]]:
        report = load_report(path)
        chunks = chunk_report(report, settings, count_tokens=embedder.count_tokens)
        return [c.text for c in chunks], [s.text for s in report_sentences(report)]

    sample = [extra_report_path(work, n) for n in _RATE_SAMPLE]
    chunks = [t for p in sample for t in texts_of(p)[0]]
    sentences = [t for p in sample for t in texts_of(p)[1]]
    splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    plain = [n.get_content() for n in splitter.get_nodes_from_documents([Document(text=read_text(p)) for p in sample])]
    figures = {"encoder": REAL, "model_load_s": load_s, "sample_reports": len(sample)}
    for name, texts in (("chunks", chunks), ("sentences", sentences), ("plain_chunks", plain)):
        seconds, _ = timed(embedder.embed, texts)
        figures[f"{name}_per_s"] = len(texts) / seconds
        figures[f"{name}_sample"] = len(texts)
    for n in sizes:
        added_chunks, added_sentences = texts_of(extra_report_path(work, n))
        seconds, _ = timed(embedder.embed, added_chunks + added_sentences)
        figures[f"added_report_{n}"] = {"texts": len(added_chunks) + len(added_sentences), "embed_s": seconds}
    return figures


def store_figures(work: Path, n: int, backend: str) -> dict:
    """Cold build, add / change / remove one report, size, load, query latency."""
    from index.build import BuildSettings, build_index
    from index.loaded import load_store
    from index.milvus_backend import BackendSettings

    folder = work / f"{backend}-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    corpus, store = corpus_dir(work, n), folder / "store"
    backend_settings = (BackendSettings(kind="milvus", milvus_uri=str(folder / "milvus.db")) if backend == "milvus"
                        else BackendSettings())
    settings = BuildSettings(backend=backend_settings)

    def build() -> dict:
        before = written_bytes()
        seconds, result = timed(build_index, corpus, store, embedder=HashEncoder(), settings=settings, progress=False)
        return {"s": seconds, "written_bytes": written_bytes() - before, "embed_and_parse_s": result.embed_seconds,
                "embedded_texts": result.embedded_texts, "segments_written": result.segments_written,
                "compacted": result.compacted, "chunks": result.chunks, "reports": result.reports}

    figures = {"encoder": STAND_IN, "backend": backend, "reports": n, "cold": build()}
    figures["cold"]["store_mb"] = size_mb(folder)

    extra = extra_report_path(work, n)
    shutil.copy(extra, corpus / extra.name)
    before_mb = size_mb(folder)
    figures["add"] = build()
    figures["add"]["store_growth_kb"] = (size_mb(folder) - before_mb) * 1000
    # The change: the same file name with another report of the same layout in it
    layout = make_report(n, folder / "original").layout
    other = make_report(n, folder / "changed", seed=8, layout=layout)
    shutil.copy(other.path, corpus / extra.name)
    figures["change"] = build()
    (corpus / extra.name).unlink()
    figures["remove"] = build()
    figures["no_change"] = build()          # every file hashed, nothing written
    # The same addition as a command of its own would pay it: a fresh interpreter, imports,
    # jieba's dictionary, then the build. Not for Milvus Lite, which this process holds open
    # (it opens a file from one process at a time).
    if backend == "embedded":
        shutil.copy(extra, corpus / extra.name)
        figures["add_fresh_process"] = _fresh_process_build(corpus, store, backend_settings)
        (corpus / extra.name).unlink()
        figures["remove_fresh_process"] = _fresh_process_build(corpus, store, backend_settings)
    figures["store_mb"] = size_mb(store)
    figures["backend_mb"] = size_mb(folder) - size_mb(store) - size_mb(folder / "changed") - size_mb(folder / "original")

    load_s, index = timed(load_store, store)
    figures.update(load_s=load_s, chunks=len(index.chunks), sentences=len(index.sentences),
                   load_parts=_load_parts(store, index))
    figures["queries"] = query_figures(index)
    return figures


_BUILD_IN_CHILD = """
import json, sys, time
started = time.perf_counter()
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
from bench_store import HashEncoder
from index.build import BuildSettings, build_index
from index.milvus_backend import BackendSettings
imported = time.perf_counter()
from index.tokenize import default_tokenizer
default_tokenizer()
tokenizer = time.perf_counter()
backend = BackendSettings(kind=sys.argv[4], milvus_uri=sys.argv[5])
result = build_index(sys.argv[2], sys.argv[3], embedder=HashEncoder(), settings=BuildSettings(backend=backend),
                     progress=False)
done = time.perf_counter()
print(json.dumps({"imports_s": imported - started, "tokenizer_s": tokenizer - imported, "build_s": done - tokenizer,
                  "added": result.added, "removed": result.removed}))
"""


def _fresh_process_build(corpus: Path, store: Path, backend) -> dict:
    """One build in a new interpreter, timed from outside (start-up included)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _BUILD_IN_CHILD, str(ROOT), str(corpus), str(store), backend.kind,
                           backend.milvus_uri], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"fresh-process build failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["s"] = time.perf_counter() - started
    return figures


def _load_parts(store: Path, index) -> dict:
    """Where a load's time goes: reading the segments, BM25, the rest (FAISS, scopes)."""
    from index.bm25 import Bm25Index, Bm25Settings
    from index.generations import current_generation, generation_dir
    from index.loaded import read_entries
    from index.manifest import read_manifest

    manifest = read_manifest(generation_dir(store, current_generation(store)))
    read_s, entries = timed(read_entries, store, manifest)
    parts = {"read_segments_s": read_s}
    if manifest.backend == "embedded":
        parts["bm25_build_s"], _ = timed(Bm25Index.build, [t for e in entries for t in e.chunk_tokens],
                                         Bm25Settings(**manifest.bm25))
    return parts


def query_figures(index) -> dict:
    """p50/p95 (ms) of each search, over the whole corpus and within one report."""
    from index.search import SearchFilters

    encoder = HashEncoder()
    vectors = [encoder.embed_query(q) for q in QUERIES]
    one = SearchFilters.of(report_ids=[next(iter(index.reports))])
    searches = {
        "dense": lambda q, v: index.dense.search(v, 30),
        "dense_one_report": lambda q, v: index.dense.search(v, 30, one),
        "bm25": lambda q, v: index.bm25.search(q, 30),
        "bm25_one_report": lambda q, v: index.bm25.search(q, 30, one),
        "sentences": lambda q, v: index.sentence_search(v, 200),
        "sentences_one_report": lambda q, v: index.sentence_search(v, 200, one),
    }
    for search in searches.values():          # warm (jieba, Milvus's first call)
        search(QUERIES[0], vectors[0])
    out = {}
    for name, search in searches.items():
        samples = []
        for _ in range(_QUERY_ROUNDS):
            for q, v in zip(QUERIES, vectors):
                seconds, _ = timed(search, q, v)
                samples.append(seconds * 1000)
        out[name] = percentiles(samples)
    return out


def answer_figures(store: Path, repeat: int, question_sets: list[Path] | None = None) -> dict:
    """The assistant on `store`: load with its parts, then answer latency per question."""
    parts = {}
    started = time.perf_counter()
    parts["imports_s"], _ = timed(_import_assistant)
    from assistant.answerability import AnswerabilityModel
    from assistant.assistant import Assistant
    from assistant.config import Config
    from assistant.retrieval import Retriever
    from assistant.scope import NameFinder
    from index.embedding import Embedder, EmbeddingSettings
    from index.loaded import load_store

    config = Config()
    parts["load_store_s"], index = timed(load_store, store)
    real = Embedder(EmbeddingSettings(model=config.embed_model))
    parts["model_s"], _ = timed(real.embed_query, "预热")
    embedder = real if index.model_id == real.model_id else _StandInQueries(real)
    answerability = AnswerabilityModel.for_model(real.model_id)
    parts["assistant_s"], bot = timed(Assistant, store, index, embedder, config, answerability)
    ready_s = time.perf_counter() - started
    # The assistant's own parts again, apart (each built once more, only to time it)
    parts["retriever_s"], _ = timed(Retriever, index, config.retrieval)
    parts["name_finder_s"], _ = timed(NameFinder, list(index.reports.values()))

    questions = _questions(index, question_sets)
    for q in questions:                       # warm: caches, the model's first calls
        q.ask(bot)
    latencies, by_kind = [], {}
    for _ in range(repeat):
        for q in questions:
            seconds, _ = timed(q.ask, bot)
            latencies.append(seconds * 1000)
            by_kind.setdefault(q.kind, []).append(seconds * 1000)
    embeds = getattr(embedder, "milliseconds", None)
    return {"encoder": REAL if embedder is real else f"{STAND_IN}, questions embedded by {REAL}",
            "query_embed_ms": percentiles(embeds) if embeds else None,
            "ready_s": ready_s, "load_parts": parts, "questions": len(questions), "repeat": repeat,
            "answer_ms": percentiles(latencies), "by_kind_ms": {k: percentiles(v) for k, v in sorted(by_kind.items())}}


def _import_assistant() -> None:
    import assistant.assistant  # noqa: F401


class _StandInQueries(HashEncoder):
    """Questions embedded by the real model (its time is paid), searched with the
    stand-in vector the store's vectors are comparable with."""

    def __init__(self, real):
        self.real = real
        self.milliseconds: list[float] = []

    def embed_query(self, text):
        seconds, _ = timed(self.real.embed_query, text)
        self.milliseconds.append(seconds * 1000)
        return super().embed_query(text)


def _questions(index, question_sets: list[Path] | None):
    from synthetic_questions import BenchQuestion, bench_questions

    if not question_sets:
        return bench_questions(index)
    items = [json.loads(line) for path in question_sets for line in open(path, encoding="utf-8") if line.strip()]
    return [BenchQuestion(i.get("kind", "?"), i["question"], tuple(i.get("history") or ()), i.get("report"))
            for i in items]


def llamaindex_figures(corpus: Path) -> dict:
    """The plain pipeline of eval/baseline_llamaindex.py on the same files, with the
    stand-in embedding (its real build is extrapolated from the 512-token chunk rate)."""
    from eval.baseline_llamaindex import CHUNK_OVERLAP, CHUNK_SIZE, TOP_K, _read_document
    from ingest.readers import SUPPORTED_EXTENSIONS
    from llama_index.core import VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter

    embed_model = _hash_llama_embedding()
    started = time.perf_counter()
    files = sorted(p for p in corpus.iterdir() if p.suffix.lower() in SUPPORTED_EXTENSIONS)
    documents = [d for d in (_read_document(p) for p in files) if d is not None]
    read_s = time.perf_counter() - started
    splitter = SentenceSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    index = VectorStoreIndex.from_documents(documents, embed_model=embed_model, transformations=[splitter])
    build_s = time.perf_counter() - started
    retriever = index.as_retriever(similarity_top_k=TOP_K)
    retriever.retrieve(QUERIES[0])
    samples = []
    for _ in range(2):
        for q in QUERIES:
            seconds, _ = timed(retriever.retrieve, q)
            samples.append(seconds * 1000)
    return {"encoder": STAND_IN, "files": len(files), "read_s": read_s, "build_s": build_s,
            "nodes": len(index.index_struct.nodes_dict), "query_ms": percentiles(samples)}


def _hash_llama_embedding():
    from llama_index.core.embeddings import BaseEmbedding

    encoder = HashEncoder()

    class HashLlamaEmbedding(BaseEmbedding):
        def _get_text_embedding(self, text: str) -> list[float]:
            return encoder.embed_query(text).tolist()

        def _get_query_embedding(self, query: str) -> list[float]:
            return encoder.embed_query(query).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return HashLlamaEmbedding(model_name=HashEncoder.model_id)


# --- printing --------------------------------------------------------------------------

def real_cold_build_s(store: dict, encoder: dict) -> float:
    """A real cold build, extrapolated: the stand-in build plus the measured time per
    chunk and per sentence of m3e-small on the sample."""
    chunks, texts = store["cold"]["chunks"], store["cold"]["embedded_texts"]
    return store["cold"]["s"] + chunks / encoder["chunks_per_s"] + (texts - chunks) / encoder["sentences_per_s"]


def print_encoder(e: dict) -> None:
    print(f"[{REAL}] 模型加载 {e['model_load_s']:.1f} 秒；样本 {e['sample_reports']} 份报告："
          f"文本块 {e['chunks_per_s']:.1f} 段/秒（{e['chunks_sample']} 段），句子 {e['sentences_per_s']:.0f} 句/秒"
          f"（{e['sentences_sample']} 句），LlamaIndex 512 词元块 {e['plain_chunks_per_s']:.1f} 段/秒")


def print_store(n: int, backend: str, s: dict, e: dict) -> None:
    q = s["queries"]
    added = e.get(f"added_report_{n}", {})
    print(f"[{backend} · {n} 份 · {s['encoder']}] {s['chunks']} 个文本块，{s['sentences']} 个句子")
    print(f"  冷构建 {s['cold']['s']:.0f} 秒（写入 {s['cold']['written_bytes'] / 1e6:.0f} MB）；"
          f"用 {REAL} 外推 {real_cold_build_s(s, e) / 60:.0f} 分钟")
    for step, label in (("add", "新增"), ("change", "修改"), ("remove", "删除")):
        f = s[step]
        print(f"  {label} 1 份：{f['s']:.2f} 秒（其中解析和替身向量化 {f['embed_and_parse_s']:.2f} 秒），"
              f"写入 {f['written_bytes'] / 1e3:.0f} KB，新段 {f['segments_written']}，合并 {f['compacted']}")
    print(f"  无变化重建 {s['no_change']['s']:.2f} 秒")
    for step, label in (("add_fresh_process", "新增"), ("remove_fresh_process", "删除")):
        if step not in s:
            continue
        f = s[step]
        print(f"  作为独立进程{label} 1 份：{f['s']:.2f} 秒（导入 {f['imports_s']:.2f}，jieba 词典 {f['tokenizer_s']:.2f}，"
              f"构建 {f['build_s']:.2f}）")
    if added:
        print(f"  该报告用 {REAL} 向量化 {added['texts']} 段需 {added['embed_s']:.1f} 秒（另计）")
    print(f"  索引目录 {s['store_mb']:.0f} MB" + (f"，Milvus Lite {s['backend_mb']:.0f} MB" if backend == "milvus" else "")
          + f"；加载 {s['load_s']:.2f} 秒 {_fmt(s['load_parts'])}；峰值内存 {s['peak_rss_mb']:.0f} MB")
    print("  检索 p50/p95 毫秒：" + "，".join(f"{k} {v['p50']:.2f}/{v['p95']:.2f}" for k, v in q.items()))


def print_answer(n: int, backend: str, a: dict) -> None:
    print(f"[{backend} · {n} 份 · 问答 · {a['encoder']}] 就绪 {a['ready_s']:.1f} 秒 {_fmt(a['load_parts'])}")
    embed = a.get("query_embed_ms")
    embedding = f"（其中问题向量化 p50 {embed['p50']:.0f} 毫秒）" if embed else ""
    print(f"  {a['questions']} 个问题 × {a['repeat']} 轮：p50 {a['answer_ms']['p50']:.0f} 毫秒，"
          f"p95 {a['answer_ms']['p95']:.0f} 毫秒{embedding}；峰值内存 {a['peak_rss_mb']:.0f} MB")
    print("  按类型 p50/p95：" + "，".join(f"{k} {v['p50']:.0f}/{v['p95']:.0f}" for k, v in a["by_kind_ms"].items()))


def print_llamaindex(n: int, p: dict, e: dict) -> None:
    real = p["build_s"] + p["nodes"] / e["plain_chunks_per_s"]
    print(f"[LlamaIndex 原生流程 · {n} 份 · {p['encoder']}] 构建 {p['build_s']:.0f} 秒（读文件 {p['read_s']:.0f} 秒），"
          f"{p['nodes']} 个块；用 {REAL} 外推 {real / 60:.0f} 分钟；检索 p50/p95 {p['query_ms']['p50']:.1f}/"
          f"{p['query_ms']['p95']:.1f} 毫秒；峰值内存 {p['peak_rss_mb']:.0f} MB")


def _fmt(parts: dict) -> str:
    return "（" + "，".join(f"{k.removesuffix('_s')} {v:.2f}" for k, v in parts.items()) + "）"


if __name__ == "__main__":
    sys.exit(main())
