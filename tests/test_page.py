"""The chat page without a browser: upload checks, answer rendering, corpus-derived
examples and overview, and the refusal to serve a public address without a password."""
from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from assistant.models import Answer, Citation
from assistant.page_auth import AuthConfigError, is_loopback, load_credentials, refusal_reason
from assistant.page_corpus import (
    ALL_REPORTS,
    OVERVIEW_HEADERS,
    example_questions,
    overview_rows,
    report_choices,
    short_name,
    status_counts_long,
)
from assistant.page_render import highlight, highlight_terms, render_answer
from assistant.uploads import (
    UploadRejected,
    read_upload,
    sanitize_filename,
    save_upload,
    validate_upload,
)
from ingest.loader import load_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "reports"
CITY_REPORT = ROOT / "tests" / "fixtures" / "other-layout-city-health.md"
COUNTY = SAMPLES / "county-health-2024.txt"


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- sanitize_filename -------------------------------------------------------------------

def test_traversal_is_reduced_to_the_bare_name():
    assert sanitize_filename("../../x.txt") == "x.txt"


def test_absolute_path_is_reduced_to_the_bare_name():
    assert sanitize_filename("/etc/cron.d/x.txt") == "x.txt"


def test_windows_path_is_reduced_to_the_bare_name():
    assert sanitize_filename("..\\..\\x.txt") == "x.txt"
    assert sanitize_filename("C:\\Users\\a\\报告.docx") == "报告.docx"


def test_chinese_name_is_kept_and_unsafe_characters_replaced():
    assert sanitize_filename("县卫健委 整改报告(2024)?.TXT") == "县卫健委_整改报告(2024).txt"
    assert sanitize_filename('a<b>|c"*.md') == "a_b_c.md"


def test_hidden_name_loses_its_leading_dot():
    assert sanitize_filename(".hidden.md") == "hidden.md"


@pytest.mark.parametrize("name", ["", "   ", ".", "..", "../..", "/", ".txt", "???"])
def test_empty_or_meaningless_names_are_rejected(name):
    with pytest.raises(UploadRejected, match="文件名无效"):
        sanitize_filename(name)


def test_control_characters_are_dropped():
    assert sanitize_filename("re\x00po\nrt.txt") == "report.txt"


# --- validate_upload ---------------------------------------------------------------------

def test_a_sample_report_validates_to_a_parsed_report():
    report = validate_upload("county.txt", COUNTY.read_bytes())
    assert len(report.issues) == 14 and report.source == "county.txt"


def test_empty_file_is_rejected():
    with pytest.raises(UploadRejected) as info:
        validate_upload("a.txt", b"")
    assert info.value.reason == "文件为空"


def test_binary_file_is_rejected_with_the_reader_reason():
    with pytest.raises(UploadRejected) as info:
        validate_upload("a.txt", bytes(range(256)) * 40)
    assert "二进制" in info.value.reason


def test_unsupported_extension_is_rejected():
    with pytest.raises(UploadRejected) as info:
        validate_upload("setup.exe", b"MZ\x90\x00")
    assert "不支持的文件类型：.exe" in info.value.reason


def test_oversize_file_is_rejected():
    with pytest.raises(UploadRejected) as info:
        validate_upload("big.txt", "整改".encode() * 100, max_bytes=100)
    assert "文件过大" in info.value.reason


def test_oversize_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 200)
    with pytest.raises(UploadRejected, match="文件过大"):
        read_upload(big, "big.txt", max_bytes=100)


def test_truncated_docx_is_rejected_with_the_chinese_reason():
    data = _docx_bytes("关于巡察整改情况的报告")
    with pytest.raises(UploadRejected) as info:
        validate_upload("报告.docx", data[: len(data) // 2])
    assert "Word 文件已损坏或不完整" in info.value.reason


def test_zip_renamed_to_docx_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "not a word file")
    with pytest.raises(UploadRejected):
        validate_upload("报告.docx", buffer.getvalue())


# --- save_upload -------------------------------------------------------------------------

def test_new_file_is_stored_under_the_corpus_folder(tmp_path):
    corpus = tmp_path / "corpus"
    saved = save_upload(corpus, "../../escape.md", CITY_REPORT.read_bytes())
    assert saved.outcome == "added"
    assert saved.path == (corpus / "escape.md").resolve()
    assert not (tmp_path / "escape.md").exists()
    assert [p.name for p in corpus.iterdir()] == ["escape.md"]


def test_same_content_again_is_a_no_op(tmp_path):
    data = CITY_REPORT.read_bytes()
    save_upload(tmp_path, "city.md", data)
    again = save_upload(tmp_path, "another-name.md", data)
    assert again.outcome == "unchanged" and again.same_as == "city.md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["city.md"]


def test_different_content_under_an_existing_name_is_refused(tmp_path):
    save_upload(tmp_path, "city.md", CITY_REPORT.read_bytes())
    with pytest.raises(UploadRejected, match="覆盖同名文件"):
        save_upload(tmp_path, "city.md", COUNTY.read_bytes())
    assert (tmp_path / "city.md").read_bytes() == CITY_REPORT.read_bytes()


def test_overwrite_flag_replaces_a_different_file(tmp_path):
    save_upload(tmp_path, "city.md", CITY_REPORT.read_bytes())
    saved = save_upload(tmp_path, "city.md", COUNTY.read_bytes(), overwrite=True)
    assert saved.outcome == "replaced"
    assert (tmp_path / "city.md").read_bytes() == COUNTY.read_bytes()


def test_no_temporary_files_are_left_behind(tmp_path):
    save_upload(tmp_path, "city.md", CITY_REPORT.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["city.md"]


# --- rendering ---------------------------------------------------------------------------

def _citation(text="县人民医院洗消中心建设<已完成>", **kw) -> Citation:
    fields = dict(report="县委巡察组关于医疗服务领域专项巡察整改情况报告", source="county.txt",
                  section="二、整改任务 > （二）正在推进整改的问题", issue="二（二）3", status="整改中", text=text)
    fields.update(kw)
    return Citation(**fields)


def test_answer_keeps_its_citation_markers():
    html = render_answer(Answer("共6个问题[1]，详见[2]。", True, [_citation(), _citation()]), "问题", {})
    assert "[1]" in html and "[2]" in html


def test_citation_card_shows_report_label_status_and_escaped_verbatim_text():
    html = render_answer(Answer("见[1]。", True, [_citation()]), "洗消中心什么时候建成", {})
    assert "县委巡察组关于医疗服务领域专项巡察整改情况报告" in html
    assert "二（二）3" in html and "整改中" in html
    assert "&lt;已完成&gt;" in html and "<已完成>" not in html
    assert "<mark>洗消中心</mark>" in html


def test_status_badge_says_unmarked_when_the_report_does_not_state_it():
    html = render_answer(Answer("见[1]。", True, [_citation(status=None)]), "问题", {})
    assert "未标明" in html


def test_highlight_escapes_before_marking_and_never_marks_inside_markup():
    assert highlight('<b>mark</b> 传染病防控', ["mark", "传染病防控"]) == \
        '&lt;b&gt;<mark>mark</mark>&lt;/b&gt; <mark>传染病防控</mark>'


def test_highlight_matches_full_width_text_by_its_folded_form():
    assert highlight("配置设备１３２台", ["132"]) == "配置设备<mark>１３２</mark>台"


def test_highlight_terms_drop_single_characters_and_report_boilerplate():
    terms = highlight_terms("县里医共体的问题是怎么整改的", ["医共体"])
    assert "医共体" in terms and "整改" not in terms and "县" not in terms


def test_refused_answer_is_marked_and_offers_related_passages():
    refused = Answer("报告中未找到能回答该问题的内容。", False, [_citation(related_only=True)], intent="none")
    html = render_answer(refused, "停车场有几个车位", {})
    answered = render_answer(Answer("见[1]。", True, [_citation()]), "停车场有几个车位", {})
    assert "rq-refused" in html and "未找到答案" in html and "可能相关" in html
    assert "rq-refused" not in answered and "未找到答案" not in answered


def test_card_expands_to_the_whole_issue_text(bot):
    # A list answer quotes only each issue's headline; the card holds the whole issue
    answer = bot.ask("哪些问题仍在整改中")
    cited = next(c for c in answer.citations if c.issue == "二（二）3")
    assert "传染病防控责任清单" not in cited.text
    html = render_answer(answer, "哪些问题仍在整改中", bot.index.reports)
    card = html[html.index('data-cite="%d"' % (answer.citations.index(cited) + 1)):]
    card = card[: card.index("</details>")]
    assert "展开整条问题原文" in card and "传染病防控责任清单" in card
    assert '<span class="rq-cited">' in card


def test_real_answer_card_text_is_the_verbatim_passage(bot):
    import html as html_lib

    answer = bot.ask("哪些问题仍在整改中")
    rendered = render_answer(answer, "哪些问题仍在整改中", bot.index.reports)
    for citation in answer.citations:
        # the page writes line breaks as <br> (a blank line would end the raw-HTML block)
        plain = rendered.replace("<mark>", "").replace("</mark>", "").replace("<br>", "\n")
        assert html_lib.escape(citation.text) in plain


# --- corpus views ------------------------------------------------------------------------

def test_examples_come_from_the_sample_corpus(bot):
    questions = example_questions(bot.index.reports.values())
    assert "哪些问题仍在整改中" in questions          # the county report splits by status
    assert "二院被反馈了多少个问题" in questions        # the hospital's short alias
    assert any(q.endswith("是怎么整改的") for q in questions)
    assert any("这一类包括哪些问题" in q for q in questions)


def test_examples_follow_an_added_report(bot):
    reports = [*bot.index.reports.values(), load_report(CITY_REPORT)]
    questions = example_questions(reports)
    city = next(r for r in reports if r.source == CITY_REPORT.name)
    assert f"{short_name(city)}被反馈了多少个问题" in questions


def test_examples_skip_the_status_question_without_a_status_split(bot):
    hospital = [r for r in bot.index.reports.values() if not r.has_status_split()]
    assert "哪些问题仍在整改中" not in example_questions(hospital)


def test_example_questions_are_answered(bot):
    for question in example_questions(bot.index.reports.values()):
        assert bot.ask(question).answered, question


def test_overview_counts_issues_by_status(bot):
    rows = {row[0]: dict(zip(OVERVIEW_HEADERS, row)) for row in overview_rows(bot.index.reports.values())}
    county = rows["县委巡察组关于医疗服务领域专项巡察整改情况报告"]
    assert (county["问题数"], county["已完成"], county["整改中"], county["未标明"]) == (14, 8, 6, 0)
    chart = status_counts_long(bot.index.reports.values())
    assert len(chart["报告"]) == 3 * len(rows)


def test_selector_offers_all_reports_then_each_title(bot):
    choices = report_choices(bot.index.reports.values())
    assert choices[0] == ALL_REPORTS and len(choices) == 3


# --- authentication ----------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_addresses_need_no_password(host):
    assert is_loopback(host) and refusal_reason(host, []) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_other_addresses_are_refused_without_credentials(host):
    reason = refusal_reason(host, [])
    assert reason and "必须设置登录认证" in reason
    assert refusal_reason(host, [("admin", "secret")]) is None


def test_auth_file_has_one_user_password_per_line(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("# 账号\nadmin:s3cr:et\n\nreader:pw\n", encoding="utf-8")
    assert load_credentials(None, path) == [("admin", "s3cr:et"), ("reader", "pw")]


@pytest.mark.parametrize("auth", ["admin", ":pw", "admin:"])
def test_malformed_auth_is_an_error(auth):
    with pytest.raises(AuthConfigError, match="用户名:密码"):
        load_credentials(auth)


def test_chat_on_a_public_address_without_auth_exits_2_before_loading_anything(tmp_path):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "chat", "--host", "0.0.0.0",
                           "--store", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "拒绝启动" in done.stderr and "--auth" in done.stderr
    assert time.perf_counter() - started < 10       # no model, no gradio import
    assert not (tmp_path / "none").exists()


# --- page handlers -----------------------------------------------------------------------

@pytest.fixture
def page(bot, sample_store, tmp_path):
    from assistant.config import Config
    from assistant.page import ChatPage

    return ChatPage(bot, sample_store, tmp_path / "corpus", Config())


def _final(steps):
    *_, last = steps
    return last


def test_llm_toggle_needs_an_endpoint():
    from assistant.config import Config, LLMSettings
    from assistant.page import llm_streamer

    assert llm_streamer(Config()) is None
    assert llm_streamer(Config(llm=LLMSettings(base_url="http://127.0.0.1:9/v1"))) is not None


def test_each_session_keeps_its_own_history(page):
    from assistant.page import MODE_EXTRACTIVE

    # Two sessions, each with its own list; "the third one" means a different issue in each
    _, ongoing, cleared, _ = _final(page.ask("哪些问题仍在整改中", MODE_EXTRACTIVE, ALL_REPORTS, []))
    _, completed, _, _ = _final(page.ask("县里已经整改完成的是哪几个问题", MODE_EXTRACTIVE, ALL_REPORTS, []))
    assert cleared == "" and len(ongoing) == len(completed) == 1
    _, a, _, _ = _final(page.ask("第3个是怎么整改的？", MODE_EXTRACTIVE, ALL_REPORTS, ongoing))
    _, b, _, _ = _final(page.ask("第3个是怎么整改的？", MODE_EXTRACTIVE, ALL_REPORTS, completed))
    assert len(ongoing) == 1                          # the handler never mutates a session's state
    assert "【二（二）3】" in a[-1]["answer"] and "【二（一）3】" in b[-1]["answer"]


def test_llm_mode_streams_partial_answers_then_the_final_one(page):
    from assistant.page import MODE_LLM

    def fake_stream(bot, question, history, report):
        yield Answer("二院", True, mode="llm")
        yield Answer("二院共40个问题[1]。", True, [_citation()], mode="llm")

    page.streamer = fake_stream
    steps = list(page.ask("二院有多少个问题", MODE_LLM, ALL_REPORTS, []))
    partial_chat, partial_turns, _, _ = steps[0]
    final_chat, final_turns, _, _ = steps[-1]
    assert "正在生成" in partial_chat[-1]["content"] and partial_turns == []
    assert "正在生成" not in final_chat[-1]["content"] and "大模型" in final_chat[-1]["content"]
    assert final_turns[-1]["answer"] == "二院共40个问题[1]。"


def test_corpus_views_are_redrawn_only_when_the_store_changed(page, bot):
    import gradio as gr

    unchanged = page.refresh_views(bot.index.generation, ALL_REPORTS)
    assert all(v == gr.skip() for v in unchanged[:4]) and unchanged[4] == bot.index.generation
    redrawn = page.refresh_views("", "no longer there")
    assert redrawn[0].value == ALL_REPORTS and redrawn[4] == bot.index.generation
