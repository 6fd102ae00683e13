"""`rectify index build|status`: output, exit codes, and builds killed half-way."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from assistant.cli import main  # noqa: E402
from index.build import build_index  # noqa: E402
from index.embedding import SLOW_EMBED_ENV  # noqa: E402
from index.generations import StoreLock, current_generation  # noqa: E402
from index.loaded import load_store  # noqa: E402
from test_index_build import (  # noqa: E402
    PRESCRIPTION_QUESTION,
    SAMPLE_CORPUS,
    generation_folders,
    shared_embedder,
)

ROOT = Path(__file__).resolve().parents[1]
SUMMARY_KEYS = {"reports", "added", "changed", "unchanged", "removed", "issues", "chunks", "errors", "skipped", "files"}


@pytest.fixture
def work(sample_store, tmp_path) -> tuple[Path, Path]:
    """(corpus, store): copies of the sample corpus and of the session's sample store."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    store = tmp_path / "store"
    shutil.copytree(sample_store, store)
    return corpus, store


def run_json(capsys, *argv) -> tuple[int, object]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


# --- build ---------------------------------------------------------------------------

def test_build_json_prints_exactly_the_summary_keys(work, capsys):
    corpus, store = work
    code, summary = run_json(capsys, "index", "build", str(corpus), "--store", str(store), "--json")
    assert code == 0
    assert set(summary) == SUMMARY_KEYS
    assert (summary["reports"], summary["unchanged"], summary["errors"]) == (2, 2, [])


def test_build_with_some_bad_files_lists_them_and_exits_0(work, capsys):
    corpus, store = work
    (corpus / "empty.txt").write_bytes(b"")
    code, summary = run_json(capsys, "index", "build", str(corpus), "--store", str(store), "--json")
    assert code == 0
    assert summary["errors"] == [{"file": "empty.txt", "error": summary["errors"][0]["error"]}]
    assert set(summary["errors"][0]) == {"file", "error"}


def test_build_with_nothing_indexable_exits_1(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")
    code, summary = run_json(capsys, "index", "build", str(tmp_path / "corpus"),
                             "--store", str(tmp_path / "store"), "--json")
    assert code == 1
    assert summary["reports"] == 0 and [e["file"] for e in summary["errors"]] == ["empty.txt"]
    assert current_generation(tmp_path / "store") is None


def test_build_of_a_missing_folder_exits_1(tmp_path, capsys):
    assert main(["index", "build", str(tmp_path / "nope"), "--store", str(tmp_path / "store")]) == 1
    assert "找不到报告目录" in capsys.readouterr().err


def test_build_json_lists_skipped_files_with_reasons(work, capsys):
    corpus, store = work
    (corpus / ".hidden.txt").write_text("整改", encoding="utf-8")
    code, summary = run_json(capsys, "index", "build", str(corpus), "--store", str(store), "--json")
    assert code == 0
    assert summary["skipped"] == [{"file": ".hidden.txt", "reason": summary["skipped"][0]["reason"]}]
    assert summary["skipped"][0]["reason"]


def test_build_max_file_mb_flag_sets_the_size_limit(work, capsys):
    corpus, store = work
    (corpus / "big.txt").write_bytes(b"a" * 300_000)
    code, summary = run_json(capsys, "index", "build", str(corpus), "--store", str(store),
                             "--max-file-mb", "0.2", "--json")
    assert code == 0
    assert [e["file"] for e in summary["errors"]] == ["big.txt"]
    assert "文件过大" in summary["errors"][0]["error"]


def test_build_summary_for_people_is_in_chinese(work, capsys):
    corpus, store = work
    assert main(["index", "build", str(corpus), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "报告没有变化" in out and "报告 2 份" in out


def test_build_while_another_build_runs_fails_fast(work, capsys):
    corpus, store = work
    with StoreLock(store):
        assert main(["index", "build", str(corpus), "--store", str(store)]) == 1
    assert "另一个索引构建正在进行" in capsys.readouterr().err


# --- status --------------------------------------------------------------------------

def test_status_json_lists_both_reports_with_issue_counts(sample_store, capsys):
    code, reports = run_json(capsys, "index", "status", "--store", str(sample_store), "--json")
    assert code == 0
    assert sorted(r["source"] for r in reports) == sorted(p.name for p in SAMPLE_CORPUS.iterdir())
    for report in reports:
        counts = report["issues"]
        assert counts["total"] == counts["completed"] + counts["in_progress"] + counts["unknown"] > 0
        assert report["title"] and report["chunks"] > 0 and report["model"]


def test_status_text_names_the_status_labels(sample_store, capsys):
    assert main(["index", "status", "--store", str(sample_store)]) == 0
    out = capsys.readouterr().out
    assert "共 2 份报告" in out
    assert all(label in out for label in ("已完成", "整改中", "未标明"))


def test_status_of_an_unbuilt_store_exits_1(tmp_path, capsys):
    assert main(["index", "status", "--store", str(tmp_path / "store")]) == 1
    assert "rectify index build" in capsys.readouterr().out


# --- builds that die half-way --------------------------------------------------------

def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_slow_build(corpus: Path, store: Path, log: Path) -> subprocess.Popen:
    """`rectify index build` in a child process that sleeps after each embedding batch,
    returned once it has started embedding."""
    env = {**os.environ, SLOW_EMBED_ENV: "0.5", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", "build", str(corpus), "--store", str(store)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
        # A pytest started with SIGINT ignored (nohup, some CI runners) passes that on to
        # its children, and Python then never raises KeyboardInterrupt: restore it.
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 120
    while "向量化" not in log.read_text(encoding="utf-8", errors="replace"):
        assert child.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, "build never started embedding"
        time.sleep(0.2)
    time.sleep(1.0)   # well inside the embedding of the new report
    return child


def add_new_report(corpus: Path) -> None:
    text = (corpus / "county-health-2024.txt").read_text(encoding="utf-8")
    (corpus / "county-health-2024-copy.txt").write_text(text + "\n附：本报告为副本。\n", encoding="utf-8")


def assert_store_answers(store: Path, generation: str) -> None:
    index = load_store(store, model_id=shared_embedder().model_id)
    assert index.generation == generation
    dense = index.dense_search(shared_embedder().embed_query(PRESCRIPTION_QUESTION), 3)
    lexical = index.bm25_search(PRESCRIPTION_QUESTION, 3)
    assert any("17906" in index.chunks[i].text for i, _ in dense)
    assert any("17906" in index.chunks[i].text for i, _ in lexical)


@pytest.mark.slow
def test_build_killed_while_embedding_leaves_the_previous_store_answering(work, tmp_path):
    corpus, store = work
    before = current_generation(store)
    add_new_report(corpus)
    child = start_slow_build(corpus, store, tmp_path / "build.log")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    assert current_generation(store) == before
    assert_store_answers(store, before)

    result = build_index(corpus, store, embedder=shared_embedder(), progress=False)
    assert result.published and (result.reports, result.added) == (3, 1)
    assert generation_folders(store) == [current_generation(store)]


@pytest.mark.slow
def test_build_interrupted_with_ctrl_c_exits_130_and_leaves_the_previous_store_answering(work, tmp_path):
    corpus, store = work
    before = current_generation(store)
    add_new_report(corpus)
    log = tmp_path / "build.log"
    child = start_slow_build(corpus, store, log)
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=60) == 130
    assert "已中断" in log.read_text(encoding="utf-8")

    assert current_generation(store) == before
    assert generation_folders(store) == [before]
    assert_store_answers(store, before)

    result = build_index(corpus, store, embedder=shared_embedder(), progress=False)
    assert result.published and result.reports == 3


def test_build_json_gives_each_file_its_issues_statuses_totals_and_warnings(tmp_path, capsys):
    """The parser's self-check reaches the operator: per file, issues by status, the
    totals the report states, and a warning where they disagree."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "agrees.txt").write_text(
        "某区统计局关于巡察整改情况的报告\n共反馈问题2个，已整改完成2个。\n"
        "1.关于“数据审核不严”的问题\n整改情况：建立复核制度。【已完成】\n"
        "2.关于“档案管理不规范”的问题\n整改情况：开展档案整理。【已完成】\n", encoding="utf-8")
    (corpus / "disagrees.txt").write_text(
        "某区水务局关于巡察整改情况的报告\n共反馈问题3个，已整改完成1个。\n"
        "1.关于“水费征收不及时”的问题\n整改情况：清理欠费。【已完成】\n"
        "2.关于“工程验收不规范”的问题\n整改情况：修订验收办法。\n", encoding="utf-8")
    code, summary = run_json(capsys, "index", "build", str(corpus), "--store", str(tmp_path / "store"), "--json")
    files = {f["file"]: f for f in summary["files"]}
    assert code == 0
    assert files["agrees.txt"]["issues"] == 2 and files["agrees.txt"]["warnings"] == []
    assert files["agrees.txt"]["by_status"]["completed"] == 2
    assert files["agrees.txt"]["stated"] == {"problems": 2, "completed": 2}
    assert "解析出2个问题，报告自述3个问题" in files["disagrees.txt"]["warnings"]
    assert "1个问题未标明整改状态" in files["disagrees.txt"]["warnings"]


def test_an_answer_piped_into_a_reader_that_stopped_exits_0(sample_store):
    # 「rectify ask … | head」: the reader (here one that reads nothing) has gone by the time
    # the answer is written; a closed pipe is no error of the answer
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    reader.wait(timeout=30)
    asker = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "--store", str(sample_store),
                            "哪些问题还在整改中"], stdout=reader.stdin, stderr=subprocess.PIPE, timeout=120,
                           env={**os.environ, "HF_HUB_OFFLINE": "1"})
    reader.stdin.close()
    assert asker.returncode == 0, asker.stderr.decode()
    assert b"Traceback" not in asker.stderr
