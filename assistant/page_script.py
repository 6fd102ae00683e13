"""Gradio's own strings in Chinese whatever the browser's language, and read as text.

Gradio 6.31's frontend chooses its locale once, as the page starts, from
`navigator.language` (`setupi18n`: the exact tag, else its language part, else English);
no launch option, query parameter or `gr.I18n` fixes it. A `head` script comes too late
(Gradio inserts it after the locale is chosen) and is not part of the login page. So
`PageScriptMiddleware` puts one small script (page_script.js) at the very start of the
page (Gradio serves the app and its login page at "/"), before Gradio's own. It

- makes `navigator.language` report `PAGE_LOCALE` and sets the document's `lang` (so a
  screen reader reads the page as Chinese, not with an English voice), and gives the
  login page a title (Gradio sets one only on the app page);
- replaces the few accessible names and status words Gradio writes in English whatever
  the locale (`HARD_CODED_NAMES`, `HARD_CODED_TEXTS`);
- removes the name Gradio gives each chat message, which is the message's raw HTML (a
  screen reader would read out the markup), so the message's own text is read;
- sets attributes Gradio gives no parameter for (`attributes`): the page uses it to hide
  the chart from screen readers (its numbers are in the overview table, its generated
  description is English) and to make the upload result a live region.

Keys Gradio translates but its zh-CN file lacks go through the supported way instead:
`zh_cn_translations()` for `launch(i18n=...)`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

# The one locale of the page: every user-facing text of the project is Chinese.
PAGE_LOCALE = "zh-CN"

# Gradio keys (6.31) with an English text and none in its zh-CN file, for the components
# this page uses.
MISSING_ZH_CN = {
    "chatbot.copy_message": "复制消息",
    "chatbot.copied_message": "已复制消息",
    "chatbot.complete": "完成",
    "common.progress": "进度",
    "common.download_all": "全部下载",
    "status.queue_position": "排队中：第 {position} 位，共 {size} 位",
    "dataframe.filter": "筛选",
    "dataframe.clear_filter": "清除筛选",
    # in neither language: Gradio shows (or announces) the key itself
    "common.upload": "上传",
    "common.complete": "完成",
}

# Accessible names (aria-label, title) Gradio 6.31 writes in English, not through i18n.
HARD_CODED_NAMES = {
    "chatbot conversation": "对话记录",
    "Scroll down": "滚动到底部",
    # the upload area's name includes its visible text (将文件拖放到此处 - 或 - 点击上传)
    "Click to upload or drop files": "将文件拖放到此处或点击上传",
    "File upload": "上传文件",
    "Open cell menu": "打开单元格菜单",
    "Dataframe": "表格",
    "Vega visualization": "图表",
}
# Status words of Gradio's progress overlay and start screen, also not through i18n.
HARD_CODED_TEXTS = (
    ("processing |", "处理中 |"),
    ("queue: ", "排队："),
    ("Loading...", "加载中…"),
)
_HEAD = b"<head>"


@dataclass(frozen=True)
class PageScript:
    """What the start-of-page script fixes; `attributes` maps a CSS selector to the
    attributes every element it matches gets."""

    locale: str = PAGE_LOCALE
    title: str = "整改问答"
    names: Mapping[str, str] = field(default_factory=lambda: dict(HARD_CODED_NAMES))
    texts: Sequence[tuple[str, str]] = HARD_CODED_TEXTS
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def html(self) -> bytes:
        settings = {"locale": self.locale, "title": self.title, "names": dict(self.names), "texts": [list(t) for t in self.texts],
                    "attributes": {k: dict(v) for k, v in self.attributes.items()}}
        source = resources.files("assistant").joinpath("page_script.js").read_text(encoding="utf-8")
        # "</" never appears inside the script element, whatever the settings hold
        code = source.replace("/*SETTINGS*/{}", json.dumps(settings, ensure_ascii=False)).replace("</", "<\\/")
        return f"<script>{code}</script>".encode()


def zh_cn_translations():
    """`gr.I18n` with Gradio's own keys its zh-CN file lacks (see MISSING_ZH_CN)."""
    import gradio as gr

    return gr.I18n(**{PAGE_LOCALE: dict(MISSING_ZH_CN)})


def with_script(page: bytes, script: bytes) -> bytes:
    """`page` with `script` right after its <head>; unchanged without one."""
    at = page.find(_HEAD)
    if at < 0:
        return page
    at += len(_HEAD)
    return page[:at] + script + page[at:]


class PageScriptMiddleware:
    """ASGI middleware: the HTML page at `paths` (Gradio serves the app and its login page
    at "/") starts with the page script. Everything else, uploaded HTML reports served as
    files included, passes through untouched and unbuffered."""

    def __init__(self, app, script: PageScript = PageScript(), paths: Sequence[str] = ("/",)):
        self.app = app
        self.script = script.html()
        self.paths = frozenset(paths)

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        state: dict = {}
        body: list[bytes] = []

        async def send_with_script(message):
            if message["type"] == "http.response.start":
                if _is_plain_html(message):
                    state["start"] = message        # sent with the page's new length
                    return
                state["pass"] = True
            if message["type"] != "http.response.body" or state.get("pass"):
                await send(message)
                return
            # An HTML page is small: collect it, then send it whole
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = with_script(b"".join(body), self.script)
            await send(_with_length(state["start"], len(page)))
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, send_with_script)


def _is_plain_html(start: dict) -> bool:
    headers = dict(start.get("headers") or [])
    encoding = headers.get(b"content-encoding", b"identity")
    return headers.get(b"content-type", b"").startswith(b"text/html") and encoding in (b"", b"identity")


def _with_length(start: dict, length: int) -> dict:
    headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() != b"content-length"]
    return {**start, "headers": [*headers, (b"content-length", str(length).encode())]}
