"""The chat page end to end in headless Chromium: `rectify chat` in a subprocess on a copy
of the sample corpus, driven through the page like a user would.

Needs Debian's Chromium (`make browser-deps`). Skipped with a reason when it is missing on
a developer machine; in CI (CI=true) a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "data" / "reports"
CITY_REPORT = ROOT / "tests" / "fixtures" / "other-layout-city-health.md"
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs"
PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium keeps calling Google services,
# which on a closed network only produces timeouts (and would fail the locality check).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SERVER_START_S = 90
ANSWER_MS = 30_000
UPLOAD_MS = 120_000
COUNTY_ONGOING = [f"二（二）{n}" for n in range(1, 7)]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{CHROMIUM} is missing in CI; install it with `make browser-deps`")
    pytest.skip(f"{CHROMIUM} not installed (run `make browser-deps`); the page is not tested in a browser")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"rectify chat exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"rectify chat did not answer on {url} within {SERVER_START_S}s:\n{log.read_text(errors='replace')}")


@contextmanager
def _serve(sample_store, work: Path, *options: str):
    """(url, data folder): `rectify chat` on a copy of the sample store, the samples read-only."""
    samples, corpus, store = work / "samples", work / "data", work / "store"
    shutil.copytree(SAMPLE_CORPUS, samples)
    shutil.copytree(sample_store, store)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"page-server-{work.name}.log"
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "chat", "--store", str(store), "--corpus", str(samples),
             "--data-dir", str(corpus), "--port", str(port), *options],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_serving(url, process, log)
        yield url, corpus
        assert sorted(p.name for p in samples.iterdir()) == sorted(p.name for p in SAMPLE_CORPUS.iterdir())
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def server(sample_store, tmp_path_factory):
    _require_chromium()
    with _serve(sample_store, tmp_path_factory.mktemp("page")) as served:
        yield served


@pytest.fixture(scope="module")
def auth_server(sample_store, tmp_path_factory):
    """The page behind a login (one asking account, one admin)."""
    _require_chromium()
    with _serve(sample_store, tmp_path_factory.mktemp("page-auth"), "--auth", "staff:ask-pass",
                "--admin", "boss:admin-pass") as served:
        yield served[0]


@pytest.fixture(scope="module")
def playwright():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def _ask(page, question: str):
    """Type a question, send it, and return the locator of its (final) answer."""
    answers = page.locator("#chat .rq-answer")
    before = answers.count()
    page.fill("#question textarea", question)
    page.click("#send")
    answer = answers.nth(before)
    answer.locator(".rq-mode").wait_for(timeout=ANSWER_MS)
    # The question box is cleared when the handler finishes
    page.wait_for_function("() => document.querySelector('#question textarea').value === ''", timeout=ANSWER_MS)
    return answer


def _shot(page, name: str, answer=None) -> None:
    """Full-page screenshot; `answer` is scrolled to the top of the chat first (the
    Chatbot scrolls to the bottom of a long answer by itself)."""
    if answer is not None:
        # Scroll the chat to the question this answer follows
        answer.evaluate("""el => {
            const asked = [...document.querySelectorAll('#chat .rq-question')]
                .filter(q => q.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
            (asked.pop() || el).scrollIntoView({block: 'start'});
        }""")
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _upload(page, path: Path) -> None:
    page.set_input_files("#upload input[type=file]", str(path))
    # The file list shows the stem and the extension in separate elements
    page.locator("#upload", has_text=path.stem).wait_for(timeout=ANSWER_MS)
    page.click("#upload-button")


@pytest.fixture
def broken_docx(tmp_path) -> Path:
    """A Word file cut in half, as an interrupted download leaves it."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于巡察整改情况的报告")
    path = tmp_path / "整改报告.docx"
    document.save(path)
    path.write_bytes(path.read_bytes()[:2000])
    return path


def test_chat_follow_up_upload_and_locality(server, browser, broken_docx):
    url, corpus = server
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="zh-CN")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=ANSWER_MS)

    # The ongoing county issues, each with a source card
    listing = _ask(page, "哪些问题仍在整改中")
    _assert_answer_start_visible(page, listing)       # the answer's start, not its end
    text = listing.locator(".rq-text").inner_text()
    for label in COUNTY_ONGOING:
        assert label in text
    # Cards name each issue's place in words; after three they fold into one line
    listing.locator("details.rq-more > summary").click()
    card_labels = listing.locator(".rq-card .rq-label").all_inner_texts()
    assert all(any(label.startswith(f"第二部分（二）第{n}项：") for label in card_labels) for n in range(1, 7))
    assert listing.locator(".rq-card .rq-badge", has_text="整改中").count() >= 6
    _shot(page, "page-1-list.png", listing)

    # A card expands to the whole issue
    third = listing.locator(".rq-card", has=page.locator(".rq-raw-label", has_text="二（二）3"))
    third.locator("details.rq-full summary").click()
    assert "传染病防控责任清单" in third.locator(".rq-full-text").inner_text()

    # Follow-up on the list: the third item is 二（二）3
    how = _ask(page, "第3个是怎么整改的？")
    _assert_answer_start_visible(page, how)
    assert "二（二）3" in how.locator(".rq-text").inner_text()
    assert "传染病防控责任清单" in how.inner_text()
    assert how.locator(".rq-card", has=page.locator(".rq-raw-label", has_text="二（二）3")).count() >= 1
    _shot(page, "page-2-follow-up.png", how)
    page.screenshot(path=str(DOCS / "screenshot-chat.png"))

    # An input problem is a hint under the input box, not an answer
    page.fill("#question textarea", "a")
    page.click("#send")
    page.locator("#question-hint .rq-input-hint").wait_for(timeout=ANSWER_MS)
    assert page.locator("#chat .rq-answer").count() == 2
    assert page.locator("#question textarea").input_value() == "a"

    # Before the upload, the new report's fact is not in the corpus
    assert "132" not in _ask(page, "智能称重设备配置了多少台").locator(".rq-text").inner_text()

    # A broken file is refused with its reason and changes nothing
    before = sorted(p.name for p in corpus.iterdir())
    _upload(page, broken_docx)
    page.locator("#upload-status", has_text="Word 文件已损坏或不完整").wait_for(timeout=ANSWER_MS)
    assert sorted(p.name for p in corpus.iterdir()) == before

    # Upload a report in a new layout; the index is rebuilt while the page runs
    _upload(page, CITY_REPORT)
    page.locator("#upload-status", has_text="索引已更新").wait_for(timeout=UPLOAD_MS)
    assert "✗" not in page.locator("#upload-status").inner_text()
    assert (corpus / CITY_REPORT.name).read_bytes() == CITY_REPORT.read_bytes()
    page.locator("#overview", has_text="某市卫生健康委员会").wait_for(timeout=ANSWER_MS)
    _shot(page, "page-3-uploaded.png")

    # ... and answerable at once, without a restart
    weighing = _ask(page, "智能称重设备配置了多少台")
    assert "132" in weighing.locator(".rq-text").inner_text()
    assert weighing.locator(".rq-card .rq-report", has_text="某市卫生健康委员会").count() >= 1
    _shot(page, "page-4-new-report.png", weighing)

    # A second browser session starts with an empty conversation but the new report
    other = context.browser.new_context(locale="zh-CN")
    other.on("request", lambda request: requested.append(request.url))
    second = other.new_page()
    second.goto(url)
    second.locator("#overview", has_text="某市卫生健康委员会").wait_for(timeout=ANSWER_MS)
    assert second.locator("#chat .rq-answer").count() == 0
    assert page.locator("#chat .rq-answer").count() == 4
    other.close()

    # Nothing left the machine
    outside = sorted({u for u in requested if not _is_local(u)})
    assert outside == [], outside
    context.close()


def test_phone_width_keeps_tables_readable_and_the_scope_above_the_chat(server, browser):
    url, _ = server
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(url)
    page.locator("#overview", has_text="县委巡察组").wait_for(timeout=ANSWER_MS)

    # The report selector comes before the chat
    selector, chat = page.locator("#report-selector").bounding_box(), page.locator("#chat").bounding_box()
    assert selector["y"] + selector["height"] <= chat["y"]

    # 清空对话 looks like a button: a visible border or background
    clear = page.locator("#clear")
    look = clear.evaluate("el => { const s = getComputedStyle(el); return [s.borderTopWidth, s.backgroundColor]; }")
    assert look[0] != "0px" or look[1] not in ("rgba(0, 0, 0, 0)", "transparent")

    # No overview cell so narrow that it shows a character per line, no split number or date
    cells = page.locator("#overview td, #overview th")
    for i in range(cells.count()):
        cell = cells.nth(i)
        text = cell.inner_text().strip()
        if not text:
            continue
        box = cell.bounding_box()
        assert box["width"] >= 40, (text, box)
        if re.fullmatch(r"[\d-]+", text):
            assert _lines(cell) == 1, text

    answer = _ask(page, "哪些问题仍在整改中")
    _assert_answer_start_visible(page, answer)
    page.screenshot(path=str(DOCS / "screenshot-phone.png"), full_page=True)
    context.close()


def _lines(cell) -> int:
    """Rendered lines of a table cell's text."""
    return cell.evaluate("""el => {
        const range = document.createRange(); range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        return tops.size; }""")


def _assert_answer_start_visible(page, answer) -> None:
    """The start of the new answer is in view, in the chat and in the window."""
    chat = page.locator("#chat").bounding_box()
    box = answer.bounding_box()
    view = page.viewport_size
    assert chat["y"] - 2 <= box["y"] <= chat["y"] + chat["height"] - 40, (box, chat)
    assert -2 <= box["y"] <= view["height"] - 40, (box, view)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


# --- an English browser and a screen reader ---------------------------------------------

AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
ENGLISH = "en-US"
# Serious or critical axe findings inside Gradio's own components, which the page cannot
# change: rule id -> (CSS selector of the elements, why they are Gradio's).
GRADIO_INTERNAL = {
    "nested-interactive": (
        "#upload button.icon-button",
        "gr.File's own 'upload more' icon button wraps Gradio's hidden file input button",
    ),
}
# Words that are not English in a Chinese page: the file types and size units the page names.
FILE_WORDS = {"txt", "md", "docx", "xlsx", "pdf", "html", "htm", "MB", "KB"}
# Every text and accessible name a user meets, outside what the page itself writes (answers,
# questions, report titles and file names in the overview).
UI_STRINGS_JS = """() => {
  const ours = '.rq-answer, .rq-question, #overview .body-cell, #overview td';
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('[aria-hidden="true"]') || el.closest(ours)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    for (const node of el.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.nodeValue.trim()) out.push(node.nodeValue.trim());
    }
  }
  return out;
}"""
# axe's serious and critical findings, less the allowed Gradio-internal ones
AXE_RUN_JS = """async (allowed) => {
  document.getAnimations().forEach(a => a.finish());
  const result = await axe.run(document, {resultTypes: ['violations']});
  const found = [];
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    for (const node of v.nodes) {
      const el = document.querySelector(node.target[0]);
      if (allowed[v.id] && el && el.matches(allowed[v.id])) continue;
      found.push(`${v.id} (${v.impact}): ${node.target.join(' ')} ${node.failureSummary}`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def english_browser(playwright):
    """Chromium whose own language is English, as on a staff member's English system."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--lang={ENGLISH}"])
    yield chromium
    chromium.close()


def _english_page(browser, url: str, **options):
    context = browser.new_context(locale=ENGLISH, **({"viewport": {"width": 1400, "height": 1100}} | options))
    page = context.new_page()
    page.goto(url)
    assert page.evaluate("navigator.language") == "zh-CN"      # what Gradio reads, whatever the browser says
    return page


def _require_axe() -> None:
    if AXE_JS.exists():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{AXE_JS} is missing in CI; install it with `make browser-deps`")
    pytest.skip(f"axe-core not installed (run `make browser-deps`, which needs npm); the page is not audited")


def _axe(page, state: str) -> list[str]:
    """Serious and critical accessibility findings on the page as it is, not Gradio's own."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    allowed = {rule: selector for rule, (selector, _why) in GRADIO_INTERNAL.items()}
    return [f"[{state}] {finding}" for finding in page.evaluate(AXE_RUN_JS, allowed)]


def _english_words(page, allowed: set[str] = FILE_WORDS) -> set[str]:
    words = {w for text in page.evaluate(UI_STRINGS_JS) for w in re.findall(r"[A-Za-z]{2,}", text)}
    return words - allowed


def test_gradio_own_strings_are_chinese_in_an_english_browser(server, english_browser):
    url, _ = server
    page = _english_page(english_browser, url)
    page.wait_for_selector("#question textarea", timeout=ANSWER_MS)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    upload = page.locator("#upload").inner_text()
    assert "将文件拖放到此处" in upload and "点击上传" in upload
    _ask(page, "哪些问题仍在整改中")
    assert page.locator("#chat button[aria-label='复制消息']").count() >= 1
    assert _english_words(page) == set()
    page.context.close()


def test_gradio_progress_words_are_chinese(server, english_browser):
    """Gradio's progress overlay writes 'processing |' outside its translations."""
    url, _ = server
    page = _english_page(english_browser, url)
    page.wait_for_selector("#question textarea", timeout=ANSWER_MS)
    page.evaluate("""() => { const el = document.createElement('span'); el.id = 'probe';
        el.textContent = 'processing | 1.0s'; document.body.appendChild(el); }""")
    page.wait_for_function("() => document.getElementById('probe').textContent === '处理中 | 1.0s'",
                           timeout=ANSWER_MS)
    page.context.close()


def test_a_new_answer_is_announced_as_text_not_markup(server, english_browser):
    url, _ = server
    page = _english_page(english_browser, url)
    page.wait_for_selector("#question textarea", timeout=ANSWER_MS)
    answer = _ask(page, "哪些问题仍在整改中")
    # Gradio's chat log is a polite live region: what is added to it is read out
    log = page.locator("#chat [role=log][aria-live=polite]")
    assert log.count() == 1 and log.locator(".rq-answer").count() == 1
    # ... by its text: no message is named by its raw HTML
    names = page.locator("#chat [aria-label]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert not [name for name in names if "<" in name], names
    assert "整改中" in answer.inner_text()
    page.context.close()


def test_the_chart_is_left_to_the_table_for_screen_readers(server, english_browser):
    url, _ = server
    page = _english_page(english_browser, url)
    page.locator("#overview", has_text="县委巡察组").wait_for(timeout=ANSWER_MS)
    assert page.locator("#status-chart").get_attribute("aria-hidden") == "true"
    page.context.close()


def test_no_serious_accessibility_findings_on_the_page(server, english_browser, broken_docx):
    _require_axe()
    url, _ = server
    page = _english_page(english_browser, url)
    page.locator("#overview", has_text="县委巡察组").wait_for(timeout=ANSWER_MS)
    findings = _axe(page, "empty")

    listing = _ask(page, "哪些问题仍在整改中")
    listing.locator("details.rq-more > summary").click()
    listing.locator("details.rq-full > summary").first.click()
    findings += _axe(page, "answer with cards")
    refusal = _ask(page, "二院院长叫什么名字")
    assert refusal.locator(".rq-refused-title").count() == 1
    findings += _axe(page, "refusal")
    page.fill("#question textarea", "a")
    page.click("#send")
    page.locator("#question-hint .rq-input-hint").wait_for(timeout=ANSWER_MS)
    findings += _axe(page, "input hint")

    page.set_input_files("#upload input[type=file]", str(broken_docx))
    page.locator("#upload", has_text=broken_docx.stem).wait_for(timeout=ANSWER_MS)
    findings += _axe(page, "file chosen")
    page.click("#upload-button")
    page.locator("#upload-status", has_text="Word 文件已损坏或不完整").wait_for(timeout=ANSWER_MS)
    findings += _axe(page, "upload refused")
    assert findings == []
    page.context.close()


def test_no_serious_accessibility_findings_at_phone_width(server, english_browser):
    _require_axe()
    url, _ = server
    page = _english_page(english_browser, url, viewport=PHONE, device_scale_factor=2, is_mobile=True,
                         has_touch=True)
    page.locator("#overview", has_text="县委巡察组").wait_for(timeout=ANSWER_MS)
    findings = _axe(page, "phone")
    _ask(page, "哪些问题仍在整改中")
    assert findings + _axe(page, "phone answer") == []
    page.context.close()


def test_login_page_is_chinese_in_an_english_browser(auth_server, english_browser):
    page = _english_page(english_browser, auth_server)
    page.wait_for_selector("input[type=password]", timeout=ANSWER_MS)
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.title() == "整改问答"
    assert _english_words(page) == set()
    page.fill("input[type=text]", "staff")
    page.fill("input[type=password]", "wrong")
    page.keyboard.press("Enter")
    page.get_by_text("凭据不正确").wait_for(timeout=ANSWER_MS)
    page.context.close()


def test_no_serious_accessibility_findings_on_the_login_page(auth_server, english_browser):
    _require_axe()
    page = _english_page(english_browser, auth_server)
    page.wait_for_selector("input[type=password]", timeout=ANSWER_MS)
    assert _axe(page, "login") == []
    page.context.close()
