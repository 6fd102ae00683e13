"""index: chunks -> vectors (FAISS), BM25 (jieba), manifest; persisted and rebuilt incrementally."""
