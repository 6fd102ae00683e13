"""The corpus folder scan: what a build reads, reports as an error, or lists as skipped."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.scan import scan_corpus

LIMIT = 1024 * 1024


def _make(folder: Path, rel: str, data: bytes = "整改情况报告".encode("utf-8")) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _errors(result) -> dict[str, str]:
    return {e["file"]: e["error"] for e in result.errors}


def _skipped(result) -> dict[str, str]:
    return {s["file"]: s["reason"] for s in result.skipped}


def test_supported_files_are_returned_sorted_by_path(tmp_path):
    for rel in ("b.txt", "a/z.docx", "a.md", "sub/ledger.xlsx"):
        _make(tmp_path, rel)
    assert [f.source for f in scan_corpus(tmp_path, LIMIT).files] == ["a/z.docx", "a.md", "b.txt", "sub/ledger.xlsx"]


@pytest.mark.parametrize("name, advice", [
    ("old.doc", ".doc 为旧版 Word 格式，请另存为 .docx 后放入"),
    ("draft.wps", "WPS"),
    ("ledger.xls", ".xlsx"),
    ("ledger.et", ".xlsx"),
    ("report.ofd", "OFD"),
    ("scan.png", "图片需先做文字识别（OCR）"),
    ("scan.JPG", "图片需先做文字识别（OCR）"),
    ("scan.tif", "图片需先做文字识别（OCR）"),
    ("bundle.zip", "压缩包需先解压"),
])
def test_known_unreadable_formats_are_errors_saying_what_to_do(tmp_path, name, advice):
    _make(tmp_path, name)
    result = scan_corpus(tmp_path, LIMIT)
    assert result.files == []
    assert advice in _errors(result)[name]


def test_unknown_file_types_are_listed_as_skipped(tmp_path):
    _make(tmp_path, "notes.xyz")
    result = scan_corpus(tmp_path, LIMIT)
    assert result.errors == [] and "不支持的文件类型：.xyz" in _skipped(result)["notes.xyz"]


def test_hidden_files_and_word_lock_files_are_skipped_with_reasons(tmp_path):
    _make(tmp_path, ".DS_Store")
    _make(tmp_path, "~$report.docx")
    _make(tmp_path, ".git/config.txt")
    result = scan_corpus(tmp_path, LIMIT)
    assert result.files == [] and result.errors == []
    assert set(_skipped(result)) == {".DS_Store", "~$report.docx", ".git/"}
    assert "锁定文件" in _skipped(result)["~$report.docx"]


def test_file_name_that_is_not_utf8_is_an_error_and_the_rest_is_scanned(tmp_path):
    _make(tmp_path, "good.txt")
    gbk_name = os.path.join(os.fsencode(tmp_path), "整改报告.txt".encode("gbk"))
    with open(gbk_name, "wb") as handle:
        handle.write("整改情况".encode("utf-8"))
    result = scan_corpus(tmp_path, LIMIT)
    assert [f.source for f in result.files] == ["good.txt"]
    [(shown, message)] = _errors(result).items()
    assert shown == "\\xd5\\xfb\\xb8\\xc4\\xb1\\xa8\\xb8\\xe6.txt"
    assert "UTF-8" in message and "整改报告.txt" in message


def test_symlink_leaving_the_folder_is_not_followed(tmp_path):
    corpus = tmp_path / "corpus"
    outside = _make(tmp_path, "secret.txt")
    corpus.mkdir()
    (corpus / "passwd.txt").symlink_to(outside)
    result = scan_corpus(corpus, LIMIT)
    assert result.files == []
    assert "报告目录之外" in _errors(result)["passwd.txt"]


def test_symlinked_folder_leaving_the_folder_is_not_entered(tmp_path):
    corpus = tmp_path / "corpus"
    _make(tmp_path, "elsewhere/report.txt")
    corpus.mkdir()
    (corpus / "linked").symlink_to(tmp_path / "elsewhere")
    result = scan_corpus(corpus, LIMIT)
    assert result.files == [] and "报告目录之外" in _errors(result)["linked/"]


def test_symlink_inside_the_folder_is_read(tmp_path):
    target = _make(tmp_path, "2024/report.txt")
    (tmp_path / "latest.txt").symlink_to(target)
    assert [f.source for f in scan_corpus(tmp_path, LIMIT).files] == ["2024/report.txt", "latest.txt"]


def test_broken_symlink_is_an_error(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert "不存在" in _errors(scan_corpus(tmp_path, LIMIT))["gone.txt"]


def test_oversized_file_is_an_error_and_not_returned(tmp_path):
    _make(tmp_path, "huge.pdf", b"%PDF" + b"0" * (2 * LIMIT))
    result = scan_corpus(tmp_path, LIMIT)
    assert result.files == []
    message = _errors(result)["huge.pdf"]
    assert message.startswith("文件过大（2.0 MB，超过 1 MB 的上限）") and "--max-file-mb" in message


def test_file_at_the_size_limit_is_read(tmp_path):
    _make(tmp_path, "report.txt", b"a" * LIMIT)
    assert [f.source for f in scan_corpus(tmp_path, LIMIT).files] == ["report.txt"]


def test_named_pipe_is_skipped_without_being_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    result = scan_corpus(tmp_path, LIMIT)
    assert result.files == [] and "不是普通文件" in _skipped(result)["pipe.txt"]
