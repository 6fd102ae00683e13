"""Where uploads go and how they are indexed: a data folder apart from the shipped samples,
readable files, admin-only uploads, a follow-up build after one already running."""
from __future__ import annotations

import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.config import Config
from assistant.uploads import FILE_MODE, prepare_data_dir, save_upload

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "reports"
CITY_REPORT = ROOT / "tests" / "fixtures" / "other-layout-city-health.md"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def samples(tmp_path) -> Path:
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    return copy


def test_data_folder_is_created_on_first_use_with_the_samples(samples, tmp_path):
    data = prepare_data_dir(tmp_path / "var" / "reports", samples)
    assert _snapshot(data) == _snapshot(samples)


def test_an_existing_data_folder_is_not_reseeded(samples, tmp_path):
    data = prepare_data_dir(tmp_path / "data", samples)
    removed = next(data.iterdir())
    removed.unlink()
    prepare_data_dir(data, samples)
    assert not removed.exists()


def test_data_folder_defaults_apart_from_the_samples_and_follows_the_environment():
    assert Config().data_dir == "var/reports" and Config().corpus == "data/reports"
    assert Config.from_env({"RECTIFY_DATA_DIR": "/srv/reports"}).data_dir == "/srv/reports"


def test_data_folder_is_ignored_by_git():
    assert "/var/" in (ROOT / ".gitignore").read_text().splitlines()


def test_chat_stores_uploads_in_the_data_folder_not_the_samples(samples, tmp_path, monkeypatch):
    import assistant.assistant
    import assistant.cli_chat as cli_chat
    import assistant.page
    from assistant.cli import build_parser

    seen = {}
    monkeypatch.setattr(cli_chat, "_build_at_start", lambda args, first: 0)
    monkeypatch.setattr(assistant.assistant.Assistant, "load", classmethod(lambda cls, store, config: object()))

    def fake_build_app(bot, store, corpus, config, admins=None):
        seen["corpus"] = Path(corpus)
        return SimpleNamespace(launch=lambda **kwargs: seen.setdefault("launch", kwargs))

    monkeypatch.setattr(assistant.page, "build_app", fake_build_app)
    before = _snapshot(samples)
    args = build_parser(Config()).parse_args(["chat", "--corpus", str(samples), "--data-dir", str(tmp_path / "data"),
                                              "--store", str(tmp_path / "store")])
    assert args.handler(args) == 0
    assert seen["corpus"] == tmp_path / "data" and seen["corpus"] != samples
    save_upload(seen["corpus"], "city.md", CITY_REPORT.read_bytes())
    assert _snapshot(samples) == before


def test_stored_uploads_are_readable_by_others(tmp_path):
    saved = save_upload(tmp_path, "city.md", CITY_REPORT.read_bytes())
    assert stat.S_IMODE(saved.path.stat().st_mode) == FILE_MODE == 0o644


# --- the page's upload handler ------------------------------------------------------------

class _Bot:
    def __init__(self):
        self.embedder = SimpleNamespace(settings=None)
        self.reloads = 0

    def reload_if_changed(self):
        self.reloads += 1


class _Progress:
    def __init__(self):
        self.descs = []

    def __call__(self, fraction, desc=""):
        self.descs.append(desc)


def _page(tmp_path, admins=None):
    from assistant.page import ChatPage

    page = ChatPage(_Bot(), tmp_path / "store", tmp_path / "data", Config(), admins=admins)
    page._embedder_for_build = lambda: None
    return page


def _result():
    from index.build import BuildResult

    return BuildResult(reports=3, added=1, issues=40)


def test_an_upload_during_another_build_is_indexed_by_a_follow_up_build(tmp_path, monkeypatch):
    import index.build
    from index.generations import StoreLockedError

    attempts = []

    def build_index(*args, **kwargs):
        attempts.append(kwargs)
        if len(attempts) < 3:
            raise StoreLockedError("另一个构建正在进行")
        return _result()

    monkeypatch.setattr(index.build, "build_index", build_index)
    lines = _page(tmp_path)._rebuild(["city.md"], _Progress(), sleep=lambda s: None)
    assert len(attempts) == 3
    assert "已等待其结束后重新构建" in lines[-1] and "索引已更新" in lines[-1]


def test_an_upload_says_when_it_could_not_be_indexed_yet(tmp_path, monkeypatch):
    import index.build
    from index.generations import StoreLockedError

    def locked(*args, **kwargs):
        raise StoreLockedError("另一个构建正在进行")

    monkeypatch.setattr(index.build, "build_index", locked)
    clock = iter(range(0, 10_000, 100))
    lines = _page(tmp_path)._rebuild(["city.md"], _Progress(), sleep=lambda s: None, clock=lambda: next(clock))
    assert "尚未纳入索引" in lines[-1] and "索引已更新" not in lines[-1]


def test_build_progress_is_shown_in_chinese_segments(tmp_path, monkeypatch):
    import index.build

    def build_index(*args, on_progress=None, **kwargs):
        on_progress(12, 52)
        return _result()

    monkeypatch.setattr(index.build, "build_index", build_index)
    progress = _Progress()
    _page(tmp_path)._rebuild(["city.md"], progress)
    assert "正在向量化 12/52 段" in progress.descs
    assert not any("Batches" in d or "steps" in d or "%" in d for d in progress.descs)


def test_only_admin_accounts_may_upload(tmp_path, monkeypatch):
    import index.build

    monkeypatch.setattr(index.build, "build_index", lambda *a, **k: _result())
    page = _page(tmp_path, admins={"admin"})
    upload = tmp_path / "city.md"
    upload.write_bytes(CITY_REPORT.read_bytes())
    refused, _ = page.upload([str(upload)], False, SimpleNamespace(username="reader"), progress=_Progress())
    assert refused == "只有管理员账号可以上传报告。" and not (tmp_path / "data").exists()
    accepted, _ = page.upload([str(upload)], False, SimpleNamespace(username="admin"), progress=_Progress())
    assert "已添加" in accepted and (tmp_path / "data" / "city.md").exists()


def test_the_upload_panel_is_shown_only_to_admins(tmp_path):
    page = _page(tmp_path, admins={"admin"})
    assert page.session_views(SimpleNamespace(username="admin")).visible is True
    assert page.session_views(SimpleNamespace(username="reader")).visible is False
    assert _page(tmp_path).session_views(None).visible is True        # no login: the local operator


def test_the_upload_result_says_the_parsers_warnings_in_chinese():
    from assistant.page import _saved_line
    from ingest.parser import parse_report

    report = parse_report("某区水务局关于巡察整改情况的报告\n共反馈问题3个，已整改完成1个。\n"
                          "1.关于“水费征收不及时”的问题\n整改情况：清理欠费。【已完成】\n"
                          "2.关于“工程验收不规范”的问题\n整改情况：修订验收办法。\n", "water.txt", "0")
    saved = SimpleNamespace(path=Path("water.txt"), outcome="added", same_as=None)
    line = _saved_line(saved, report)
    assert "识别出 2 个问题（已完成1个，未标明状态1个）" in line
    assert "⚠ 解析出2个问题，报告自述3个问题，请核对" in line
    assert "⚠ 1个问题未标明整改状态，请核对" in line


def test_an_upload_that_agrees_with_its_totals_has_no_warning():
    from assistant.page import _saved_line
    from ingest.parser import parse_report

    report = parse_report("某区水务局关于巡察整改情况的报告\n共反馈问题1个，已整改完成1个。\n"
                          "1.关于“水费征收不及时”的问题\n整改情况：清理欠费。【已完成】\n", "water.txt", "0")
    saved = SimpleNamespace(path=Path("water.txt"), outcome="added", same_as=None)
    assert "⚠" not in _saved_line(saved, report)
