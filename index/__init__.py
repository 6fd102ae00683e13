"""index: chunks -> vectors (FAISS), BM25 (jieba), manifest; persisted and rebuilt incrementally."""
import os

# OpenMP threads (torch's and faiss's) sleep when idle instead of spinning. By default they
# busy-wait after every parallel region, and on a 2-core machine the spinning threads of
# one query's embedding and FAISS search took the CPU from the Python code answering it:
# at 1,000 reports a question's embedding took 334 ms instead of 23 ms and answers were
# three times slower (bench/bench_index.py). Batch embedding throughput is unchanged. It
# must be set before the OpenMP runtimes load, which importing anything of `index`
# precedes; an operator's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
