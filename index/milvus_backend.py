"""Milvus as the chunk search backend: one collection with the dense vector and Milvus's
built-in BM25, report and record ids filtered inside the search.

    rectify index build CORPUS --store S --backend milvus --milvus-uri URI
      URI = a local file path (Milvus Lite, no server) or http://host:19530 (a server)

What lives where. The store directory keeps everything it keeps for the embedded backend
(segments with parsed reports, chunks, sentences and their vectors, the manifest): the
answers quote report bodies, sentence search runs on sentence vectors restricted to the
records in scope, and incremental builds reuse segments, none of which Milvus would do
better. Milvus holds one row per chunk: `chunk_id` (primary key), `report_id`,
`record_id`, `cache_key` (the report's segment key: per-report delete and upsert),
`dense` (FLOAT_VECTOR, FLAT index, inner product = cosine) and `tokens` -> `sparse` (a
BM25 Function). The manifest records `backend = "milvus"` and the URI, so loading a store
needs no flag.

Tokens. BM25 must see the same jieba tokens as the embedded backend (`index.tokenize`).
Milvus Lite 3.2.2 has no whitespace tokenizer: a real call with
`analyzer_params={"tokenizer": "whitespace"}` fails with "unknown tokenizer type:
'whitespace' (supported: 'standard', 'jieba')", and its own jieba would cut the text
with another dictionary and no stopwords. So each jieba token is written as an ASCII
surrogate (`t` + 12 hex digits of its SHA-1) and the `standard` tokenizer, which keeps a
run of letters and digits whole, sees exactly our tokens; queries are mapped the same way.

Why pymilvus and not LlamaIndex's MilvusVectorStore: its BM25BuiltInFunction indexes the
node text, which here would have to be the surrogate string, and its results come back as
node ids with LlamaIndex's own collection schema; the retriever needs row positions, the
two rankings apart (it fuses them itself) and per-report deletes by a scalar field —
a few direct pymilvus calls. Milvus Lite 3.2.2 also rejects `filter_params` templates
("unexpected character '{'"), so filters are literal expressions built here.

Consistency. A build syncs the collection (deletes and inserts per report) before the
generation swap; a reader still on the previous generation drops hits of chunks it does
not know, so it may briefly get fewer than k hits, never wrong ones. Keys being inserted
are listed in `milvus-pending.json` first, so a build killed half-way is repaired by the
next one. Milvus Lite opens a database file from one process at a time: do not run a
build while a chat page holds the same file (a server URI has no such limit).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.manifest import FileEntry, Manifest
from index.search import EMPTY_HITS, Hits, SearchFilters

logger = logging.getLogger(__name__)

BACKENDS = ("embedded", "milvus")
PENDING_NAME = "milvus-pending.json"
DEFAULT_COLLECTION = "rectify_chunks"
# Longest surrogate text of one chunk: 13 characters per token; chunks hold at most a few
# hundred tokens (384 model tokens), so 64 KiB (Milvus's VARCHAR maximum) is ample.
_TOKENS_MAX_LENGTH = 65535
_ID_MAX_LENGTH = 256
# Rows per insert call: one report is 10-40 chunks; batches of a few thousand rows keep each
# gRPC message well under Milvus's 64 MB limit (a row is ~2 KB of vector plus its tokens).
_INSERT_BATCH_ROWS = 2000


@dataclass(frozen=True)
class BackendSettings:
    """Where chunk search runs. `milvus_uri`: a local file (Milvus Lite) or a server URL."""

    kind: str = "embedded"
    milvus_uri: str = ""
    collection: str = DEFAULT_COLLECTION

    def __post_init__(self) -> None:
        if self.kind not in BACKENDS:
            raise ValueError(f"BackendSettings.kind must be one of {BACKENDS}, got {self.kind!r}")
        if self.kind == "milvus" and not self.milvus_uri.strip():
            raise ValueError("Milvus 后端需要 --milvus-uri（本地文件路径或 http://host:19530）")

    @property
    def uri(self) -> str:
        """The URI as recorded in the manifest: local files made absolute, so the store
        loads from any working directory."""
        if self.kind != "milvus":
            return ""
        if "://" in self.milvus_uri:
            return self.milvus_uri
        return str(Path(self.milvus_uri).expanduser().resolve())


def surrogate(token: str) -> str:
    """An ASCII word standing for one jieba token (see the module docstring)."""
    return "t" + hashlib.sha1(token.encode("utf-8")).hexdigest()[:12]


def surrogate_text(tokens: list[str]) -> str:
    return " ".join(surrogate(t) for t in tokens)


@lru_cache(maxsize=8)
def connect(uri: str):
    """One client per URI and process (Milvus Lite starts one local server per file)."""
    from pymilvus import MilvusClient

    if "://" not in uri:
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    return MilvusClient(uri)


# --- build ----------------------------------------------------------------------------

def sync_collection(settings: BackendSettings, store_dir: Path, entries: list[FileEntry],
                    previous: Manifest | None, read_segment, dim: int, bm25: dict) -> None:
    """Make the collection hold exactly the chunks of `entries`, touching only reports
    added, changed or removed since `previous`. `read_segment(segment_id)` returns the
    segment's data with its BM25 tokens."""
    client = connect(settings.uri)
    name = settings.collection
    same_place = (previous is not None and previous.backend == "milvus"
                  and previous.backend_uri == settings.uri and _exists_with_dim(client, name, dim))
    if not same_place:
        if client.has_collection(name):
            client.drop_collection(name)
        _create_collection(client, name, dim, bm25)
    present = {f.cache_key for f in previous.files} if same_place else set()
    pending_path = Path(store_dir) / PENDING_NAME
    pending = set(json.loads(pending_path.read_text(encoding="utf-8"))) if pending_path.exists() else set()

    # Reports to (re)insert: new ones and any a killed build may have left half-written
    wanted = {e.cache_key for e in entries}
    inserts = [e for e in entries if e.cache_key not in present or e.cache_key in pending]
    _write_pending(pending_path, {e.cache_key for e in inserts} | (pending - wanted))

    # Deletes first, so an insert is also an upsert of that report
    stale = ((present | pending) - wanted) | {e.cache_key for e in inserts}
    if stale:
        client.delete(name, filter=f"cache_key in {_literal(sorted(stale))}")
    # Each segment read once: after compaction most reports share one pack, and reading
    # the pack per report made a cold build quadratic (200 reports: 407 s)
    by_segment: dict[str, list[str]] = {}
    for entry in inserts:
        by_segment.setdefault(entry.segment, []).append(entry.cache_key)
    for segment, keys in by_segment.items():
        data = read_segment(segment)
        rows = [row for key in keys for row in _rows(data.entry(key))]
        for begin in range(0, len(rows), _INSERT_BATCH_ROWS):
            client.insert(name, rows[begin:begin + _INSERT_BATCH_ROWS])
    client.flush(name)
    logger.info("milvus %s: %d reports inserted, %d deleted", name, len(inserts), len(stale) - len(inserts))


def clear_pending(store_dir: Path) -> None:
    """After the generation naming the synced reports is live."""
    (Path(store_dir) / PENDING_NAME).unlink(missing_ok=True)


def _write_pending(path: Path, keys: set[str]) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(sorted(keys)), encoding="utf-8")
    os.replace(tmp, path)


def _exists_with_dim(client, name: str, dim: int) -> bool:
    if not client.has_collection(name):
        return False
    fields = {f["name"]: f for f in client.describe_collection(name)["fields"]}
    return "dense" in fields and int(fields["dense"]["params"].get("dim", -1)) == dim


def _create_collection(client, name: str, dim: int, bm25: dict) -> None:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False)
    schema.add_field("chunk_id", DataType.VARCHAR, is_primary=True, max_length=_ID_MAX_LENGTH)
    schema.add_field("report_id", DataType.VARCHAR, max_length=_ID_MAX_LENGTH)
    schema.add_field("record_id", DataType.VARCHAR, max_length=_ID_MAX_LENGTH)
    schema.add_field("cache_key", DataType.VARCHAR, max_length=_ID_MAX_LENGTH)
    schema.add_field("tokens", DataType.VARCHAR, max_length=_TOKENS_MAX_LENGTH,
                     enable_analyzer=True, analyzer_params={"tokenizer": "standard"})
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                 input_field_names=["tokens"], output_field_names=["sparse"]))
    index_params = client.prepare_index_params()
    index_params.add_index("dense", index_type="FLAT", metric_type="IP")
    index_params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                           params={"bm25_k1": bm25["k1"], "bm25_b": bm25["b"]})
    client.create_collection(name, schema=schema, index_params=index_params)


def _rows(entry) -> list[dict]:
    return [
        {"chunk_id": c.chunk_id, "report_id": c.report_id, "record_id": c.record_id,
         "cache_key": entry.key, "tokens": surrogate_text(tokens), "dense": vector.tolist()}
        for c, tokens, vector in zip(entry.chunks, entry.chunk_tokens, entry.chunk_vectors)
    ]


# --- search ---------------------------------------------------------------------------

class MilvusChunkSearch:
    """`SearchIndex` over the collection: `field="dense"` takes a query vector,
    `field="sparse"` the query text (BM25). Hits are rows of the loaded generation."""

    def __init__(self, client, collection: str, field: str, rows: dict[str, int],
                 report_ids: frozenset[str] = frozenset()):
        if field not in ("dense", "sparse"):
            raise ValueError(f"field must be 'dense' or 'sparse', got {field!r}")
        self.client = client
        self.collection = collection
        self.field = field
        self.rows = rows      # chunk_id -> row
        self.report_ids = report_ids      # every report of the loaded generation

    def search(self, query: str | np.ndarray, k: int, filters: SearchFilters | None = None) -> Hits:
        data = self._query_data(query)
        if filters is not None and self.report_ids and filters.allows_all_of(self.report_ids):
            filters = None      # no expression listing every report id (1,000 of them at 1,000 reports)
        expression = filter_expression(filters)
        if k <= 0 or data is None or expression == _NOTHING:
            return EMPTY_HITS
        params = {"metric_type": "IP"} if self.field == "dense" else {"metric_type": "BM25"}
        result = self.client.search(self.collection, data=[data], anns_field=self.field, limit=k,
                                    filter=expression or "", search_params=params, output_fields=[])
        ids, scores = [], []
        for hit in result[0]:
            row = self.rows.get(hit["chunk_id"])
            if row is None:          # a chunk of another generation (see the module docstring)
                continue
            ids.append(row)
            # Milvus Lite returns BM25 as a negated distance; the protocol wants higher = better
            scores.append(abs(float(hit["distance"])) if self.field == "sparse" else float(hit["distance"]))
        return Hits(ids, scores)

    def _query_data(self, query):
        if self.field == "dense":
            if isinstance(query, str):
                raise TypeError("dense search needs the query vector (embed the question first)")
            return np.asarray(query, dtype=np.float32).ravel().tolist()
        if not isinstance(query, str):
            raise TypeError("BM25 search needs the query text")
        from index.tokenize import tokenize

        tokens = tokenize(query)
        return surrogate_text(tokens) if tokens else None


_NOTHING = "__nothing__"


def filter_expression(filters: SearchFilters | None) -> str | None:
    """A Milvus boolean expression for `filters`; None for no filter, `_NOTHING` when
    the filters allow no row at all."""
    if filters is None or filters.is_unrestricted:
        return None
    parts = []
    for field_name, values in (("report_id", filters.report_ids), ("record_id", filters.record_ids)):
        if values is None:
            continue
        if not values:
            return _NOTHING
        parts.append(f"{field_name} in {_literal(sorted(values))}")
    return " and ".join(parts)


def _literal(values: list[str]) -> str:
    """A list of string literals for a Milvus expression (ids are ASCII; quotes escaped anyway)."""
    escaped = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "[" + ", ".join(f'"{v}"' for v in escaped) + "]"


# --- load -----------------------------------------------------------------------------

def load_milvus_generation(store_dir: Path, generation: str, manifest: Manifest):
    """A `LoadedIndex` whose dense and BM25 searches run in Milvus."""
    from index.loaded import LoadedIndex, read_entries, sentence_document_frequencies

    entries = read_entries(store_dir, manifest)
    reports = {e.report.report_id: e.report for e in entries}
    chunks = [c for e in entries for c in e.chunks]
    sentences = [s for e in entries for s in e.sentences]
    chunk_vectors = np.concatenate([e.chunk_vectors for e in entries]).astype(np.float32, copy=False)
    sentence_vectors = np.concatenate([e.sentence_vectors for e in entries])

    client = connect(manifest.backend_uri)
    collection = manifest.backend_collection or DEFAULT_COLLECTION
    client.load_collection(collection)
    rows = {c.chunk_id: i for i, c in enumerate(chunks)}
    dense = MilvusChunkSearch(client, collection, "dense", rows, frozenset(reports))
    bm25 = MilvusChunkSearch(client, collection, "sparse", rows, frozenset(reports))
    return LoadedIndex(generation, manifest, reports, chunks, chunk_vectors, sentences,
                       sentence_vectors, vector_store=None, bm25=bm25, dense=dense,
                       sentence_df=sentence_document_frequencies(entries))
