"""The script every HTML page of the chat server starts with (assistant.page_script)."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.page_script import PageScript, PageScriptMiddleware, with_script

SCRIPT = b"<script>first()</script>"
PAGE = "<!doctype html><html><head><script src='gradio.js'></script></head><body>页面</body></html>"


def _client(script: PageScript = PageScript()) -> TestClient:
    routes = [Route("/", lambda request: HTMLResponse(PAGE)),
              Route("/file=report.html", lambda request: HTMLResponse(PAGE)),
              Route("/config", lambda request: JSONResponse({"head": "<head>"}))]
    return TestClient(Starlette(routes=routes, middleware=[Middleware(PageScriptMiddleware, script=script)]))


def test_the_script_comes_before_everything_else_in_the_head():
    page = with_script(PAGE.encode(), SCRIPT)
    assert page.index(SCRIPT) == page.index(b"<head>") + len(b"<head>")
    assert page.replace(SCRIPT, b"") == PAGE.encode()


def test_a_page_without_a_head_is_left_as_it_is():
    assert with_script(b'{"a": 1}', SCRIPT) == b'{"a": 1}'


def test_html_responses_carry_the_script_and_their_new_length():
    response = _client().get("/")
    assert response.content == with_script(PAGE.encode(), PageScript().html())
    assert int(response.headers["content-length"]) == len(response.content)


def test_other_responses_pass_through_unchanged():
    response = _client().get("/config")
    assert response.json() == {"head": "<head>"}


def test_an_html_file_served_elsewhere_is_left_as_it_is():
    assert _client().get("/file=report.html").text == PAGE


def test_the_settings_cannot_end_the_script_element():
    script = PageScript(names={"Copy": "</script><img src=x onerror=alert(1)>"}).html().decode()
    assert script.count("</script>") == 1 and script.endswith("</script>")


def test_the_settings_reach_the_script():
    script = PageScript(locale="zh-CN", title="整改问答", attributes={"#chart": {"aria-hidden": "true"}}).html().decode()
    assert '"locale": "zh-CN"' in script and '"title": "整改问答"' in script
    assert '"#chart": {"aria-hidden": "true"}' in script
