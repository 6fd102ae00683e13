"""The chat page: a Gradio Blocks app over one `Assistant`.

    build_app(bot, store, corpus, config) -> gr.Blocks     layout and event wiring
    ChatPage                                               the event handlers

Per-browser-session state lives in `gr.State` (each session's turns and the store
generation its selector/overview/examples were built from); nothing about a
conversation is kept in module globals, so two people chatting keep separate
histories. Handlers take no global lock: the queue runs `ASK_CONCURRENCY` questions
at once, so one slow LLM answer never blocks other users.
"""
from __future__ import annotations

import html
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

# Set before gradio is imported: its import starts a version-check thread otherwise.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from assistant.boundary import check_request  # noqa: E402
from assistant.config import Config  # noqa: E402
from ingest.models import Status  # noqa: E402
from assistant.models import Answer  # noqa: E402
from assistant.page_corpus import (  # noqa: E402
    ALL_REPORTS,
    OVERVIEW_HEADERS,
    example_questions,
    overview_rows,
    report_choices,
    status_counts_long,
)
from assistant.page_script import PageScript, PageScriptMiddleware, zh_cn_translations  # noqa: E402
from assistant.page_render import render_answer, render_question  # noqa: E402
from assistant.page_style import CSS, make_theme  # noqa: E402
from assistant.uploads import MAX_UPLOAD_BYTES, UploadRejected, read_upload, save_upload, validate_upload  # noqa: E402
from ingest.readers import SUPPORTED_EXTENSIONS  # noqa: E402

logger = logging.getLogger(__name__)

# Questions answered at the same time. Extractive answers take ~0.3 s of CPU; the limit
# matters for LLM answers, which mostly wait on the endpoint.
ASK_CONCURRENCY = 8
MODE_EXTRACTIVE = "抽取式"
MODE_LLM = "大模型"
PAGE_TITLE = "整改问答"
CHART_ID = "status-chart"
UPLOAD_STATUS_ID = "upload-status"
# Attributes Gradio has no parameter for: the chart is kept from screen readers (its
# numbers are in the overview table), the upload result is announced when it arrives.
PAGE_ATTRIBUTES = {
    f"#{CHART_ID}": {"aria-hidden": "true"},
    f"#{UPLOAD_STATUS_ID}": {"role": "status", "aria-live": "polite"},
}
STATUS_COLORS = {"已完成": "#16a34a", "整改中": "#f59e0b", "未标明": "#9ca3af"}
# An upload that finds a command-line build running waits this long for it, polling,
# then builds again so the new file is indexed (a build of one report takes ~20 s).
BUILD_WAIT_S = 600.0
BUILD_POLL_S = 1.0
# After an answer arrives, show its start (Gradio's Chatbot would show the bottom of it).
SCROLL_TO_ANSWER_JS = """() => {
  const answers = document.querySelectorAll('#chat .rq-answer');
  const last = answers[answers.length - 1];
  if (last) { (last.closest('.message-row') || last).scrollIntoView({block: 'start'}); }
}"""


def llm_streamer(config: Config):
    """`assistant.llm.stream_answer` when an endpoint is configured and the module is
    there, else None (the 大模型 toggle then stays disabled)."""
    if not config.llm.base_url:
        return None
    try:
        from assistant import llm
    except ImportError as exc:
        logger.warning("LLM mode unavailable: %s", exc)
        return None
    return getattr(llm, "stream_answer", None)


class ChatPage:
    """Event handlers of the page; holds the shared assistant, never per-user data."""

    def __init__(self, bot, store: str | Path, corpus: str | Path, config: Config,
                 admins: set[str] | None = None):
        """`corpus` is the data folder the page indexes and stores uploads in (never the
        shipped samples); `admins` are the accounts that may upload, None when the page
        has no login (local use: the operator's own machine)."""
        self.bot = bot
        self.store = Path(store)
        self.corpus = Path(corpus)
        self.config = config
        self.admins = admins
        self.streamer = llm_streamer(config)
        self._build_embedder = None

    # --- asking -----------------------------------------------------------------------

    def ask(self, question: str, mode: str, report_choice: str, turns: list[dict]) -> Iterator[tuple]:
        """Yields (chat messages, turns, input box, hint under the input) while the answer
        is produced. A question the boundary refuses is shown as a hint, stays in the
        input box to be corrected, and never enters the session's history."""
        report = None if report_choice in (None, "", ALL_REPORTS) else report_choice
        history = [m for t in turns for m in ({"role": "user", "content": t["question"]},
                                              {"role": "assistant", "content": t["answer"]})]
        request = check_request(question or "", history, report, self.config)
        if request.problem:
            yield gr.skip(), turns, gr.skip(), _hint(request.problem)
            return
        question = request.question
        # A store rebuilt from the command line is picked up here (one pointer read)
        self.bot.reload_if_changed()
        reports = self.bot.index.reports
        pending = {"question": question, "answer": "", "html": '<div class="rq-notice">正在检索…</div>'}

        # Stream partial answers (LLM mode), then the final one
        answer: Answer | None = None
        for answer, final in self._answers(question, mode, request.history, request.report):
            html = render_answer(answer, question, reports, streaming=not final)
            pending = {"question": question, "answer": answer.answer, "html": html}
            if not final:
                yield self.messages([*turns, pending]), turns, "", ""
        turns = [*turns, pending]
        yield self.messages(turns), turns, "", ""

    def _answers(self, question, mode, history, report) -> Iterator[tuple[Answer, bool]]:
        """(answer, is_final) pairs; the extractive path yields once."""
        if mode == MODE_LLM and self.streamer is not None:
            previous = None
            for partial in self.streamer(self.bot, question, history, report):
                if previous is not None:
                    yield previous, False
                previous = partial
            if previous is not None:
                yield previous, True
                return
        yield self.bot.ask(question, history=history, report=report), True

    @staticmethod
    def messages(turns: list[dict]) -> list[dict]:
        """Chatbot messages of a session's turns."""
        return [m for t in turns for m in ({"role": "user", "content": render_question(t["question"])},
                                           {"role": "assistant", "content": t["html"]})]

    @staticmethod
    def clear() -> tuple[list, list, str, str]:
        return [], [], "", ""

    @staticmethod
    def pick_example(sample) -> str:
        return sample[0] if sample else ""

    # --- corpus views -------------------------------------------------------------------

    def refresh_views(self, seen_generation: str, selected: str) -> tuple:
        """Selector, overview, chart and examples, rebuilt only when the store changed
        since this session last drew them."""
        self.bot.reload_if_changed()
        index = self.bot.index
        if seen_generation == index.generation:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), seen_generation
        reports = list(index.reports.values())
        choices = report_choices(reports)
        return (
            gr.Dropdown(choices=choices, value=selected if selected in choices else ALL_REPORTS),
            gr.Dataframe(value=overview_rows(reports)),
            # All of the plot's encodings again: its colour scale is fixed by the first data it saw
            gr.BarPlot(value=status_frame(reports), x="报告", y="问题数", color="状态", color_map=STATUS_COLORS),
            gr.Dataset(samples=[[q] for q in example_questions(reports)]),
            index.generation,
        )

    def may_upload(self, request: gr.Request | None) -> bool:
        """Without a login everyone may (local use); with one, only admin accounts."""
        if self.admins is None:
            return True
        return bool(request is not None and getattr(request, "username", None) in self.admins)

    def session_views(self, request: gr.Request = None):
        """The upload panel, shown only to those who may upload."""
        return gr.Accordion(visible=self.may_upload(request))

    # --- uploads ------------------------------------------------------------------------

    def upload(self, files: list[str] | None, overwrite: bool, request: gr.Request = None,
               progress=gr.Progress()) -> tuple:
        """Check, store and index uploaded reports. Returns (status Markdown, cleared files).

        Status marks are ✓ ✗ ○ ⚠ rather than emoji: servers without an emoji font show boxes."""
        if not self.may_upload(request):
            return "只有管理员账号可以上传报告。", None
        paths = [Path(f) for f in (files or [])]
        if not paths:
            return "请先选择要上传的报告文件。", None
        lines, stored = [], []

        # Check and store each file; a rejected file changes nothing
        for n, path in enumerate(paths):
            name = path.name      # Gradio keeps the browser's file name as the temp file's name
            progress(n / (len(paths) + 1), desc=f"正在检查 {name}")
            try:
                data = read_upload(path, name)
                report = validate_upload(name, data)
                saved = save_upload(self.corpus, name, data, overwrite=overwrite)
            except UploadRejected as exc:
                lines.append(f"- ✗ **{exc.filename}**：{exc.reason}")
                continue
            lines.append(f"- {_saved_line(saved, report)}")
            if saved.outcome != "unchanged":
                stored.append(saved.path.name)

        # Rebuild the index (only the new files are embedded) and swap it in
        if stored:
            lines += self._rebuild(stored, progress)
        return "\n".join(lines), None

    def _rebuild(self, stored: list[str], progress, sleep=time.sleep, clock=time.monotonic) -> list[str]:
        """Index the data folder. A build already running (from the command line) may have
        scanned the folder before the new files were there, so the page waits for it and
        builds again: the message then says so."""
        from index.build import build_index
        from index.generations import StoreLockedError

        def on_progress(done: int, total: int) -> None:
            progress(done / max(total, 1), desc=f"正在向量化 {done}/{total} 段")

        waited, deadline = False, clock() + BUILD_WAIT_S
        while True:
            progress(0.5, desc="正在更新索引")
            try:
                result = build_index(self.corpus, self.store, embedder=self._embedder_for_build(),
                                     progress=False, on_progress=on_progress)
                break
            except StoreLockedError:
                if clock() >= deadline:
                    return ["\n⚠ 另一个索引构建长时间未结束，文件已保存但尚未纳入索引；"
                            "请稍后再上传一次（内容相同的文件不会重复保存），或请管理员更新索引。"]
                waited = True
                progress(0.5, desc="另一个索引构建正在进行，等待其结束…")
                sleep(BUILD_POLL_S)
        lines = [f"- ✗ **{e['file']}**：{e['error']}" for e in result.errors
                 if Path(e["file"]).name in stored]
        self.bot.reload_if_changed()
        # A blank line first: otherwise Markdown folds the summary into the last list item
        before = "另一个索引构建正在进行，已等待其结束后重新构建。" if waited else ""
        lines.append(f"\n{before}索引已更新：共 {result.reports} 份报告、{result.issues} 个问题"
                     f"（新增 {result.added}，变更 {result.changed}），无需重启即可提问。")
        return lines

    def _embedder_for_build(self):
        """A second instance of the bot's model for builds: its tokenizer is not safe to
        share between a build and questions answered at the same moment."""
        if self._build_embedder is None:
            from index.embedding import Embedder

            self._build_embedder = Embedder(self.bot.embedder.settings)
        return self._build_embedder


def _saved_line(saved, report) -> str:
    name = saved.path.name
    if saved.outcome == "unchanged":
        return f"○ **{name}**：与已有文件 {saved.same_as} 内容相同，无需更新"
    issues = len(report.issues)
    found = f"识别出 {issues} 个问题" if issues else "未识别出问题条目，可按全文检索"
    counts = report.status_counts()
    split = "，".join(f"{label}{counts[value]}个" for value, label in _STATUS_SHOWN if counts.get(value))
    verb = "已替换" if saved.outcome == "replaced" else "已添加"
    line = f"✓ **{name}**：{verb}《{report.title}》，{found}" + (f"（{split}）" if issues and split else "")
    # the parser's self-check: where the parse disagrees with what the report says of itself
    return line + "".join(f"\n  - ⚠ {w}，请核对" for w in report.warnings)


_STATUS_SHOWN = tuple((s.value, s.label_zh or "未标明状态") for s in Status)


def _hint(message: str) -> str:
    """A refusal of the input, shown under the input box (not as an answer)."""
    return f'<div class="rq-input-hint" role="alert">{html.escape(message)}</div>'


def legend_html() -> str:
    return "　".join(f'<span style="color:{color}">■</span> {name}' for name, color in STATUS_COLORS.items())


def status_frame(reports) -> pd.DataFrame:
    # Typed even when empty: the page starts with no reports (they load after login), and
    # an untyped empty count column makes the plot treat counts as categories for good
    return pd.DataFrame(status_counts_long(reports)).astype({"报告": str, "状态": str, "问题数": "int64"})


def _empty_chart() -> pd.DataFrame:
    """Zero bars of every status: the plot fixes its colour scale from its first data, so
    it must see all three statuses before the reports are loaded (after login)."""
    names = list(STATUS_COLORS)
    return pd.DataFrame({"报告": [""] * len(names), "状态": names, "问题数": [0] * len(names)})


class ChatBlocks(gr.Blocks):
    """Blocks whose `launch()` defaults keep the page local: system-font theme (no Google
    Fonts), no analytics, no run history, no footer links, no SSR node server; and keep it
    Chinese: Gradio's built-in strings do not follow the browser's language."""

    def launch(self, *args, **kwargs):
        defaults = {
            "theme": make_theme(), "css": CSS, "footer_links": [], "run_history": False,
            "ssr_mode": False, "enable_monitoring": False, "mcp_server": False,
            # Twice the page's own limit: files in between get the page's Chinese message
            "max_file_size": 2 * MAX_UPLOAD_BYTES,
        }
        for key, value in defaults.items():
            kwargs.setdefault(key, value)
        # Gradio's own strings in Chinese whatever the browser's language (page_script)
        kwargs.setdefault("i18n", zh_cn_translations())
        app_kwargs = dict(kwargs.get("app_kwargs") or {})
        script = Middleware(PageScriptMiddleware, script=PageScript(title=self.title, attributes=PAGE_ATTRIBUTES))
        app_kwargs["middleware"] = [script, *app_kwargs.get("middleware", [])]
        kwargs["app_kwargs"] = app_kwargs
        return super().launch(*args, **kwargs)


def build_app(bot, store: str | Path, corpus: str | Path, config: Config,
              admins: set[str] | None = None) -> gr.Blocks:
    """The page for `bot`; uploads are stored in the data folder `corpus` and indexed into
    `store`. Nothing about the reports is part of the page itself: selector, overview,
    chart and examples are filled by the first event of a (logged-in) session."""
    page = ChatPage(bot, store, corpus, config, admins)
    llm_ready = page.streamer is not None

    with ChatBlocks(title=PAGE_TITLE, analytics_enabled=False) as app:
        turns = gr.State([])
        generation = gr.State("")       # nothing drawn yet: the load event draws it all
        gr.Markdown(f"# {PAGE_TITLE}\n就巡察整改情况报告提问，回答均附报告原文出处。")
        # Above the chat, so on a phone the scope is chosen before asking
        with gr.Row(elem_id="scope-row"):
            selector = gr.Dropdown([ALL_REPORTS], value=ALL_REPORTS, label="提问范围", scale=3,
                                   elem_id="report-selector", min_width=200)
            mode = gr.Radio([MODE_EXTRACTIVE, MODE_LLM], value=MODE_EXTRACTIVE, label="回答方式", scale=2,
                            interactive=llm_ready, elem_id="mode", min_width=200,
                            info="大模型：据引用原文组织回答" if llm_ready
                            else "未配置大模型服务，仅可用抽取式回答")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="对话", height=560, elem_id="chat", buttons=["copy"],
                                     autoscroll=False, feedback_options=None,
                                     placeholder="请在下方输入问题，或点选示例问题。")
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(placeholder="例如：哪些问题仍在整改中", show_label=False,
                                          label="问题", scale=5, elem_id="question", max_lines=4)
                    send = gr.Button("提问", variant="primary", scale=1, elem_id="send", min_width=80)
                hint = gr.HTML("", elem_id="question-hint")
                examples = gr.Dataset(label="示例问题（点击提问）", components=[question], elem_id="examples",
                                      samples=[])
                clear = gr.Button("清空对话", variant="secondary", elem_id="clear")
            with gr.Column(scale=1, min_width=280, elem_id="upload-column"):
                with gr.Accordion("上传新报告", open=True, visible=admins is None) as upload_panel:
                    files = gr.File(label="报告文件（可多选）", file_count="multiple", height=150,
                                    file_types=list(SUPPORTED_EXTENSIONS), elem_id="upload")
                    gr.Markdown(f"支持 {' '.join(SUPPORTED_EXTENSIONS)}，单个文件不超过 "
                                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB；上传后自动更新索引。",
                                elem_classes=["rq-hint"])
                    overwrite = gr.Checkbox(label="覆盖同名文件", value=False, elem_id="overwrite")
                    upload = gr.Button("上传并更新索引", elem_id="upload-button")
                    upload_status = gr.Markdown(elem_id=UPLOAD_STATUS_ID)
        with gr.Accordion("报告概览", open=True):
            with gr.Row():
                overview = gr.Dataframe(value=None, headers=OVERVIEW_HEADERS,
                                        interactive=False, wrap=True, elem_id="overview", scale=3,
                                        min_width=320, buttons=[],
                                        column_widths=["200px", "100px", "64px", "64px", "64px", "64px", "170px"])
                with gr.Column(scale=2, min_width=320):
                    chart = gr.BarPlot(_empty_chart(), x="报告", y="问题数", color="状态",
                                       color_map=STATUS_COLORS, label="各报告问题整改状态", height=260,
                                       colors_in_legend=[], elem_id=CHART_ID, buttons=[])
                    # Gradio's BarPlot clips its own legend at this size; a plain one instead
                    gr.HTML(legend_html(), elem_classes=["rq-hint"])

        # Asking: the answer, its start scrolled into view, then the corpus views if the store changed
        views = [selector, overview, chart, examples, generation]
        ask_inputs = [question, mode, selector, turns]
        ask_outputs = [chatbot, turns, question, hint]
        # Gradio queues each event function separately unless they share a concurrency id:
        # the three ways of asking share one pool of ASK_CONCURRENCY workers.
        ask = {"fn": page.ask, "inputs": ask_inputs, "outputs": ask_outputs,
               "concurrency_limit": ASK_CONCURRENCY, "concurrency_id": "ask"}
        for trigger in (send.click, question.submit):
            trigger(**ask).then(None, js=SCROLL_TO_ANSWER_JS).then(
                page.refresh_views, [generation, selector], views)
        examples.click(page.pick_example, examples, question).then(**ask).then(
            None, js=SCROLL_TO_ANSWER_JS).then(page.refresh_views, [generation, selector], views)
        clear.click(page.clear, None, [chatbot, turns, question, hint])

        # Uploading: one build at a time across all sessions
        upload.click(page.upload, [files, overwrite], [upload_status, files],
                     concurrency_limit=1, concurrency_id="build").then(
            page.refresh_views, [generation, selector], views)

        # Each session, once logged in, draws the current reports and its upload panel
        app.load(page.refresh_views, [generation, selector], views).then(
            page.session_views, None, [upload_panel])

    app.queue(default_concurrency_limit=ASK_CONCURRENCY)
    return app
