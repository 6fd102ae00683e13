"""Encoder benchmark: torch fp32, ONNX fp32 and ONNX int8 on the same texts.

    python bench/bench_encoder.py [--corpus out/corpus-all] [--rounds 1] [--sample 1]

A script, not a timed test. The texts are those a build embeds (every chunk and sentence
of the corpus, chunked with the build's settings); the questions are those of the
evaluation sets. It prints, per encoder: load time, texts embedded per second (each
round runs the encoders one after the other, so a change of machine load hits all of
them), one question's embedding time; then the agreement of each ONNX encoder with torch
fp32: cosine of the same text's vectors (mean, 1st percentile, min), and the overlap of
the top-k chunks and sentences each question retrieves. Figures go to `--out` as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from eval.dataset import load_eval_set  # noqa: E402
from index.build import BuildSettings  # noqa: E402
from index.embedding import ENCODERS, Embedder, EmbeddingSettings  # noqa: E402
from index.scan import scan_corpus  # noqa: E402
from index.sentence_refs import report_sentences  # noqa: E402
from ingest.chunking import chunk_report  # noqa: E402
from ingest.loader import load_report  # noqa: E402

QUESTION_SETS = [ROOT / "eval" / "sets" / "samples.jsonl", ROOT / "eval" / "sets" / "paraphrase.jsonl",
                 ROOT.parent / "shared" / "corpus-dev" / "dev-questions.jsonl"]
TOP_K = 10
QUERY_REPEATS = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="编码器基准：torch / onnx / onnx-int8")
    parser.add_argument("--corpus", type=Path, default=ROOT / "out" / "corpus-all", help="报告目录")
    parser.add_argument("--export-dir", default=str(ROOT / "var" / "models"), help="ONNX 导出缓存目录")
    parser.add_argument("--rounds", type=int, default=1, help="吞吐量测量轮数（默认 1）")
    parser.add_argument("--sample", type=int, default=1, help="每 N 段取 1 段（默认 1：全部）")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench" / "encoder.json")
    args = parser.parse_args(argv)

    # Encoders, loaded (and exported when first used) before anything is timed
    embedders, figures = {}, {"load_seconds": {}, "texts_per_second": {}, "query_ms": {}}
    for encoder in ENCODERS:
        embedders[encoder] = Embedder(EmbeddingSettings(encoder=encoder, export_dir=args.export_dir))
        started = time.perf_counter()
        embedders[encoder].embed_query("预热")
        figures["load_seconds"][encoder] = round(time.perf_counter() - started, 2)
    texts = corpus_texts(args.corpus, embedders["torch"])[:: args.sample]
    chunk_count = sum(1 for kind, _ in texts if kind == "chunk")
    questions = [item.question for path in QUESTION_SETS if path.exists() for item in load_eval_set(path)]
    figures.update(texts=len(texts), chunks=chunk_count, questions=len(questions), load_average=os.getloadavg())
    print(f"文本 {len(texts)} 段（文本块 {chunk_count}），问题 {len(questions)} 个；"
          f"负载 {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # Throughput, encoders interleaved within each round
    vectors = {}
    plain = [text for _, text in texts]
    for round_no in range(args.rounds):
        for encoder, embedder in embedders.items():
            started = time.perf_counter()
            vectors[encoder] = embedder.embed(plain)
            rate = len(plain) / (time.perf_counter() - started)
            figures["texts_per_second"].setdefault(encoder, []).append(round(rate, 1))
            print(f"第 {round_no + 1} 轮 {encoder:10s} {rate:6.1f} 段/秒", flush=True)
    for encoder, embedder in embedders.items():
        figures["query_ms"][encoder] = round(query_ms(embedder, questions[:QUERY_REPEATS]), 1)
    figures["load_average_after"] = os.getloadavg()

    # Agreement with torch fp32
    figures["agreement"] = {}
    question_vectors = {e: embedders[e].embed(questions) for e in embedders}
    is_chunk = np.array([kind == "chunk" for kind, _ in texts])
    for encoder in ENCODERS[1:]:
        figures["agreement"][encoder] = agreement(vectors["torch"], vectors[encoder], question_vectors["torch"],
                                                  question_vectors[encoder], is_chunk)
    print_figures(figures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"结果已写入 {args.out}")
    return 0


def corpus_texts(corpus: Path, embedder: Embedder) -> list[tuple[str, str]]:
    """("chunk" | "sentence", text) of every report, as a build cuts them."""
    settings = BuildSettings()
    texts = []
    for found in scan_corpus(corpus, settings.max_file_bytes).files:
        report = load_report(found.path)
        texts += [("chunk", c.text) for c in chunk_report(report, settings.chunking, count_tokens=embedder.count_tokens)]
        texts += [("sentence", s.text) for s in report_sentences(report)]
    return texts


def query_ms(embedder: Embedder, questions: list[str]) -> float:
    """Median time to embed one question (what an answer pays)."""
    times = []
    for question in questions:
        started = time.perf_counter()
        embedder.embed_query(question)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def agreement(reference: np.ndarray, other: np.ndarray, ref_questions: np.ndarray,
              other_questions: np.ndarray, is_chunk: np.ndarray) -> dict:
    """Cosine of the same texts, and top-k overlap of what each question retrieves."""
    cosine = (reference * other).sum(axis=1)
    result = {"cosine_mean": float(cosine.mean()), "cosine_p1": float(np.percentile(cosine, 1)),
              "cosine_min": float(cosine.min())}
    for name, rows in (("chunks", is_chunk), ("sentences", ~is_chunk)):
        ref_top = _top_k(ref_questions, reference[rows])
        other_top = _top_k(other_questions, other[rows])
        overlaps = [len(set(a) & set(b)) / TOP_K for a, b in zip(ref_top, other_top)]
        same_first = [a[0] == b[0] for a, b in zip(ref_top, other_top)]
        result[f"top{TOP_K}_overlap_{name}"] = float(np.mean(overlaps))
        result[f"top1_same_{name}"] = float(np.mean(same_first))
    question_cosine = (ref_questions * other_questions).sum(axis=1)
    result["question_cosine_min"] = float(question_cosine.min())
    return result


def _top_k(queries: np.ndarray, rows: np.ndarray) -> list[list[int]]:
    scores = queries @ rows.T
    return [list(np.argsort(-row, kind="stable")[:TOP_K]) for row in scores]


def print_figures(figures: dict) -> None:
    print("\n编码器        加载(秒)  段/秒(各轮)        单个问题(毫秒)")
    for encoder in ENCODERS:
        rates = " / ".join(f"{r:.1f}" for r in figures["texts_per_second"][encoder])
        print(f"{encoder:12s} {figures['load_seconds'][encoder]:7.2f}   {rates:18s} {figures['query_ms'][encoder]:6.1f}")
    print(f"\n与 torch fp32 的一致性（相同文本的余弦；{figures['questions']} 个评测问题的前 {TOP_K} 名重合率）")
    for encoder, a in figures["agreement"].items():
        print(f"{encoder:10s} 余弦 均值 {a['cosine_mean']:.5f} 1% 分位 {a['cosine_p1']:.5f} 最小 {a['cosine_min']:.5f}；"
              f"文本块 top{TOP_K} {a[f'top{TOP_K}_overlap_chunks']:.3f}（top1 相同 {a['top1_same_chunks']:.3f}），"
              f"句子 top{TOP_K} {a[f'top{TOP_K}_overlap_sentences']:.3f}（top1 相同 {a['top1_same_sentences']:.3f}）")


if __name__ == "__main__":
    sys.exit(main())
