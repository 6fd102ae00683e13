"""Fit one named setting on the tuning halves: run `rectify eval --split tune` once per value
and print the accuracy and citation precision of each, so a value in assistant/config.py is chosen on data.

    python -m eval.sweep answer.part_share 0.34 0.5 0.67 1.0

The sets are the Makefile's tuning halves (SETS_HALF); the store is out/store-all
(`make corpus-all`). The test halves are never run here.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

DEV = "../shared/corpus-dev/dev-questions.jsonl"
SETS = [DEV, *(f"eval/sets/{name}.jsonl" for name in
               ("paraphrase", "offtopic", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "paraphrase2", "fresh6", "paraphrase3", "fresh7", "fresh8", "paraphrase4"))]


def accuracy(setting: str, value: str, store: str) -> tuple[int, int, float]:
    """Questions right and asked on the tuning halves with `setting` at `value`, and the
    share of citations holding an evidence passage (over questions with evidence)."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "assistant.cli", "eval", *SETS, "--split", "tune",
                        "--store", store, "--out", out, "--config", "rectify", "--set", f"{setting}={value}"],
                       check=True, capture_output=True)
        questions = json.loads(Path(out, "results.json").read_text(encoding="utf-8"))["systems"][0]["questions"]
    with_evidence = [q for q in questions if q["citations_supported"] is not None]
    cited = sum(q["citations_total"] for q in with_evidence)
    precision = sum(q["citations_supported"] for q in with_evidence) / cited if cited else 0.0
    return sum(q["correct"] for q in questions), len(questions), precision


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    setting, values = argv[0], argv[1:]
    for value in values:
        right, asked, precision = accuracy(setting, value, "out/store-all")
        print(f"{setting}={value}: {right}/{asked} = {right / asked:.3f}, citation precision {precision:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
