"""File readers: encodings, Word, PDF text layers, HTML pages, and every way a file can be unreadable."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.models import ReadError
from ingest.readers import SUPPORTED_EXTENSIONS, read_bytes_as_text, read_text

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"

TITLE = "县委巡察组关于医疗服务领域专项巡察整改情况报告"
OPENING = "根据县委统一部署,县委X巡察组于2023年X月X日至X月X日对县人民医院"
PDF_LINES = [
    "中共郴州市第二人民医院委员会关于巡察整改进展情况的通报",
    "一、组织整改落实情况",
    "（一）党委扛牢主体责任。郴州市第二人民医院党委坚持把巡察整改工作作为当前重大政治任务。",
    "                    2025年9月15日",      # right-aligned, as dates are
]


@pytest.fixture(scope="module")
def county_text() -> str:
    return (REPORTS / "county-health-2024.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chenzhou_text() -> str:
    return (REPORTS / "chenzhou-second-hospital-2025.txt").read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _gbk_compatible(text: str) -> str:
    """The sample as a GBK file would hold it: GBK has no U+00A0, which the web copy has."""
    return text.replace("\xa0", " ")


def _read_error(path: Path) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_text(path)
    return info.value


# --- documents to read ------------------------------------------------------------

def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("一、整改工作组织情况")
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("序号", "问题", "整改状态"), ("1", "诊疗规范执行不到位", "已完成")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("二、下一步工作打算")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(lines_per_page: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose text layer uses the Adobe CID font STSong-Light (no font file needed).

    A line's leading spaces move it right by that many character widths (an indent).
    """
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setTitle(title)
    for lines in lines_per_page:
        pdf.setFont("STSong-Light", 11)
        for number, line in enumerate(lines):
            indent = len(line) - len(line.lstrip(" "))
            pdf.drawString(40 + 11 * indent, 800 - 20 * number, line.lstrip(" "))
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _stripped(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines]


def _scanned_pdf_bytes() -> bytes:
    """Pages of drawn shapes only, like a scan: there is no text layer at all."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for _ in range(2):
        pdf.rect(40, 400, 500, 380, fill=1)
        pdf.circle(300, 200, 80)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _encrypted_pdf_bytes(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes([PDF_LINES]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


NEWS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}_郴州市卫生健康委员会</title>
<style>.nav {{ color: red }}</style>
<script>var visits = 2915980; document.write("35 " + visits);</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/news">新闻中心</a></div>
<nav><ul><li>机构概况</li><li>政务公开</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 巡察整改</div>
<div class="main-content">
  <h1>{title}</h1>
  <div class="info">发布时间: 2025-09-30</div>
  <div class="share-bar">天天 分享 微博 微信</div>
  <div class="detail">
    <p>{opening}
       5家医院开展了医疗服务领域专项巡察。</p>
    <p>一、整改工作组织情况</p>
    <p>（一）抬高政治站位，迅速动员部署。<br>成立了县委巡察反馈意见整改工作领导小组。</p>
    <table><tr><td>序号</td><td>问题</td></tr><tr><td>1</td><td>诊疗规范执行不到位</td></tr></table>
  </div>
</div>
<aside class="sidebar"><h3>相关新闻</h3><ul><li>另一篇新闻标题</li></ul></aside>
<div class="footer">
  <p>Copyright © 2024 郴州市卫生健康委员会 版权所有 湘ICP备19026149号</p>
</div>
</body></html>
"""


def _news_page(charset: str = "utf-8", title: str = TITLE) -> str:
    return NEWS_PAGE.format(charset=charset, title=title, opening=OPENING)


# --- plain text encodings ------------------------------------------------------------

def test_utf8_text_reads_back_unchanged(tmp_path, county_text):
    path = _write(tmp_path, "report.txt", county_text.encode("utf-8"))
    assert read_text(path) == county_text


def test_utf8_bom_is_stripped(tmp_path, county_text):
    path = _write(tmp_path, "report.txt", b"\xef\xbb\xbf" + county_text.encode("utf-8"))
    text = read_text(path)
    assert text == county_text
    assert not text.startswith("\ufeff")


def test_gbk_text_is_detected_and_decoded(tmp_path, county_text):
    gbk_text = _gbk_compatible(county_text)
    path = _write(tmp_path, "report.txt", gbk_text.encode("gbk"))
    assert read_text(path) == gbk_text


def test_gb18030_text_with_characters_outside_gbk_is_decoded(tmp_path, chenzhou_text):
    # The Chenzhou report indents with U+2002, which GBK cannot encode and GB18030 can.
    with pytest.raises(UnicodeEncodeError):
        chenzhou_text.encode("gbk")
    path = _write(tmp_path, "report.md", chenzhou_text.encode("gb18030"))
    assert read_text(path) == chenzhou_text


def test_utf16_with_bom_is_decoded_despite_its_nul_bytes(tmp_path, county_text):
    path = _write(tmp_path, "report.txt", county_text.encode("utf-16"))
    assert read_text(path) == county_text


def test_big5_text_is_not_misread_as_gbk(tmp_path):
    # Big5 bytes are also valid GB18030, so only the plausibility check catches this.
    text = "縣委巡察組關於醫療服務領域專項巡察整改情況報告。根據縣委統一部署，現將巡察整改情況報告如下。\n"
    path = _write(tmp_path, "report.txt", text.encode("big5"))
    assert read_text(path) == text


def test_windows_and_old_mac_line_breaks_become_newlines(tmp_path):
    path = _write(tmp_path, "report.txt", "第一行\r\n第二行\r第三行\n".encode("gbk"))
    assert read_text(path) == "第一行\n第二行\n第三行\n"


def test_characters_are_not_normalised(tmp_path):
    # Full-width punctuation, half-width commas, U+2002 and U+00A0 must survive as they are.
    original = "（一）党委扛牢主体责任,按照“清单式管理”。\u2002\u2002２０２５年\xa09月\n"
    path = _write(tmp_path, "report.txt", original.encode("utf-8"))
    assert read_text(path) == original


# --- Word ------------------------------------------------------------------------------

def test_docx_paragraphs_and_table_rows_come_in_body_order(tmp_path):
    path = _write(tmp_path, "report.docx", _docx_bytes())
    assert read_text(path).split("\n") == [
        TITLE,
        "一、整改工作组织情况",
        "序号\t问题\t整改状态",
        "1\t诊疗规范执行不到位\t已完成",
        "二、下一步工作打算",
    ]


def test_docx_merged_cell_text_is_written_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "已整改完成的问题"
    table.cell(1, 0).text = "1"
    buffer = io.BytesIO()
    document.save(buffer)
    path = _write(tmp_path, "report.docx", buffer.getvalue())
    assert read_text(path).split("\n") == ["已整改完成的问题", "1\t\t"]


# --- PDF -------------------------------------------------------------------------------

def test_pdf_chinese_text_layer_of_every_page_is_extracted(tmp_path):
    second_page = ["二、下一步工作打算", "欢迎广大干部群众对我院巡察整改落实情况进行监督。"]
    path = _write(tmp_path, "report.pdf", _pdf_bytes([PDF_LINES, second_page]))
    assert read_text(path).split("\n") == _stripped(PDF_LINES + second_page)


def test_pdf_protected_only_by_an_owner_password_is_read(tmp_path):
    path = _write(tmp_path, "report.pdf", _encrypted_pdf_bytes(user_password=""))
    assert read_text(path).split("\n") == _stripped(PDF_LINES)


def test_pdf_that_needs_a_password_is_refused(tmp_path):
    path = _write(tmp_path, "report.pdf", _encrypted_pdf_bytes(user_password="secret"))
    assert _read_error(path).message == "PDF 已加密，需要密码才能打开，请上传未加密的文件"


def test_scanned_pdf_without_text_layer_asks_for_ocr(tmp_path):
    path = _write(tmp_path, "scan.pdf", _scanned_pdf_bytes())
    assert _read_error(path).message == "该 PDF 没有可提取的文字层（可能是扫描件），需要先进行 OCR 识别"


@pytest.mark.parametrize("part", ["first half", "second half"])
def test_truncated_pdf_is_refused(tmp_path, part):
    data = _pdf_bytes([PDF_LINES])
    half = data[: len(data) // 2] if part == "first half" else data[len(data) // 2:]
    path = _write(tmp_path, "report.pdf", half)
    assert _read_error(path).message == "PDF 文件已损坏或不完整，无法读取"


# --- HTML ------------------------------------------------------------------------------

def test_html_keeps_article_text_and_drops_page_furniture(tmp_path):
    path = _write(tmp_path, "report.html", _news_page().encode("utf-8"))
    text = read_text(path)
    for kept in (TITLE, "发布时间: 2025-09-30", OPENING, "一、整改工作组织情况",
                 "成立了县委巡察反馈意见整改工作领导小组。", "诊疗规范执行不到位"):
        assert kept in text
    for dropped in ("首页", "机构概况", "当前位置", "分享", "2915980", "document.write", "color: red",
                    "相关新闻", "Copyright", "ICP备", "郴州市卫生健康委员会"):
        assert dropped not in text


def test_html_title_is_the_first_line_and_appears_once(tmp_path):
    path = _write(tmp_path, "report.html", _news_page().encode("utf-8"))
    text = read_text(path)
    assert text.split("\n")[0] == TITLE
    assert text.count(TITLE) == 1


def test_html_blocks_and_line_breaks_start_new_lines(tmp_path):
    path = _write(tmp_path, "report.html", _news_page().encode("utf-8"))
    lines = read_text(path).split("\n")
    assert "（一）抬高政治站位，迅速动员部署。" in lines
    assert "序号\t问题" in lines
    # Table rows follow each other on consecutive lines.
    assert lines[lines.index("序号\t问题") + 1] == "1\t诊疗规范执行不到位"
    # Source line wrapping inside a paragraph is HTML whitespace, not a line break.
    assert any(line.startswith(OPENING) and line.endswith("专项巡察。") for line in lines)
    assert "\n\n\n" not in "\n".join(lines)


def test_html_page_title_is_added_when_the_page_has_no_h1(tmp_path):
    page = _news_page().replace(f"<h1>{TITLE}</h1>", "")
    path = _write(tmp_path, "report.htm", page.encode("utf-8"))
    assert read_text(path).split("\n")[0] == f"{TITLE}_郴州市卫生健康委员会"


def test_html_declared_gb2312_charset_is_used(tmp_path):
    # Declared gb2312 pages often hold GBK-only characters, so GB18030 is used to decode.
    title = TITLE + "（镕）"
    path = _write(tmp_path, "report.html", _news_page(charset="gb2312", title=title).encode("gb18030"))
    assert read_text(path).split("\n")[0] == title


def test_html_article_header_with_headline_and_date_is_kept(tmp_path):
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head><body>
    <header><div class="logo">郴州市卫生健康委员会</div></header>
    <article><header><h1>{TITLE}</h1><p>发布时间: 2025-09-30</p></header>
    <p>{OPENING}。</p></article></body></html>"""
    path = _write(tmp_path, "report.html", page.encode("gbk"))
    assert read_text(path).split("\n") == [TITLE, "", "发布时间: 2025-09-30", "", OPENING + "。"]


def test_html_wrapper_whose_class_mentions_a_sidebar_is_not_dropped(tmp_path):
    # The class marks the page layout, but the element holds the whole article.
    page = f"""<html><body><div class="layout-with-sidebar"><h1>{TITLE}</h1><p>{OPENING}。</p>
    <div class="sidebar">相关新闻</div></div></body></html>"""
    path = _write(tmp_path, "report.html", page.encode("utf-8"))
    assert read_text(path).split("\n") == [TITLE, "", OPENING + "。"]


# --- unreadable files ------------------------------------------------------------------

def test_empty_file_is_refused(tmp_path):
    assert _read_error(_write(tmp_path, "report.txt", b"")).message == "文件为空"


def test_whitespace_only_file_is_refused(tmp_path):
    assert _read_error(_write(tmp_path, "report.txt", b" \r\n\t\n  ")).message == "文件为空（只有空白字符）"


def test_ideographic_spaces_only_file_is_refused(tmp_path):
    path = _write(tmp_path, "report.txt", "\u3000\u3000\n".encode("gbk"))
    assert _read_error(path).message == "文件为空（只有空白字符）"


def test_binary_file_with_nul_bytes_is_refused(tmp_path):
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16
    assert _read_error(_write(tmp_path, "report.txt", data)).message == "不是文本文件（检测到二进制内容）"


def test_binary_file_without_nul_bytes_is_refused(tmp_path):
    # Valid UTF-8, but made of control characters: no one wrote this as text.
    data = bytes(range(1, 32)) * 64 + "整改".encode("utf-8")
    assert _read_error(_write(tmp_path, "report.txt", data)).message == "不是文本文件（检测到二进制内容）"


def test_truncated_docx_is_refused(tmp_path):
    data = _docx_bytes()
    path = _write(tmp_path, "report.docx", data[: len(data) // 2])
    assert _read_error(path).message == "Word 文件已损坏或不完整，无法读取"


def test_docx_without_text_is_refused(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    path = _write(tmp_path, "report.docx", buffer.getvalue())
    assert _read_error(path).message == "Word 文件中没有文字内容"


def test_legacy_doc_renamed_to_docx_gets_a_specific_message(tmp_path):
    path = _write(tmp_path, "report.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "旧版 Word（.doc）" in _read_error(path).message


@pytest.mark.parametrize("name", ["report.xls", "report.doc", "report"])
def test_unsupported_extension_is_refused_with_the_supported_list(tmp_path, name):
    error = _read_error(_write(tmp_path, name, "整改情况".encode("utf-8")))
    assert error.message.startswith("不支持的文件类型：")
    assert "支持 .txt .md .docx .xlsx .pdf .html .htm" in error.message
    assert error.source == name


def test_unsupported_extension_message_names_the_extension(tmp_path):
    error = _read_error(_write(tmp_path, "report.XYZ", b"data"))
    assert error.message == "不支持的文件类型：.xyz（支持 .txt .md .docx .xlsx .pdf .html .htm）"


@pytest.mark.parametrize("name, advice", [
    ("report.doc", ".doc 为旧版 Word 格式，请另存为 .docx 后放入"),
    ("ledger.XLS", ".xls 为旧版 Excel 格式，请另存为 .xlsx 后放入"),
    ("scan.jpg", "图片需先做文字识别（OCR）"),
    ("reports.zip", "压缩包需先解压"),
])
def test_known_unreadable_format_message_says_what_to_do(tmp_path, name, advice):
    assert advice in _read_error(_write(tmp_path, name, b"data")).message


def test_missing_file_is_a_read_error(tmp_path):
    assert _read_error(tmp_path / "missing.txt").message == "文件不存在"


# --- bytes path (uploads) ---------------------------------------------------------------

def test_extension_is_matched_case_insensitively(tmp_path, county_text):
    gbk_text = _gbk_compatible(county_text)
    path = _write(tmp_path, "REPORT.TXT", gbk_text.encode("gbk"))
    assert read_text(path) == gbk_text


@pytest.mark.parametrize("name, make", [
    ("report.txt", lambda: (REPORTS / "county-health-2024.txt").read_text(encoding="utf-8").encode("gb18030")),
    ("report.docx", _docx_bytes),
    ("report.pdf", lambda: _pdf_bytes([PDF_LINES])),
    ("report.html", lambda: _news_page().encode("utf-8")),
])
def test_read_bytes_as_text_agrees_with_read_text(tmp_path, name, make):
    data = make()
    assert read_bytes_as_text(data, name) == read_text(_write(tmp_path, name, data))


def test_read_bytes_as_text_refuses_what_read_text_refuses():
    with pytest.raises(ReadError) as info:
        read_bytes_as_text(b"", "upload.txt")
    assert info.value.message == "文件为空"
    assert info.value.source == "upload.txt"


def test_every_supported_extension_has_a_reader(tmp_path):
    for suffix in SUPPORTED_EXTENSIONS:
        # A reader that exists refuses garbage with its own message, not "unsupported".
        with pytest.raises(ReadError) as info:
            read_bytes_as_text(b"\x00\x01\x02" * 10, "x" + suffix)
        assert not info.value.message.startswith("不支持的文件类型")


# --- plain text without BOM, and the development corpus ----------------------------------

DEV = ROOT.parent / "shared" / "corpus-dev"


def _dev_file(name: str) -> Path:
    path = DEV / name
    if not path.exists():
        pytest.skip(f"development corpus not found at {path}")
    return path


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_as_text(tmp_path, county_text, encoding):
    path = _write(tmp_path, "report.txt", county_text.encode(encoding))
    assert read_text(path) == county_text


def test_binary_with_nul_bytes_at_both_positions_is_not_taken_for_utf16(tmp_path):
    data = bytes([0, 1, 2, 0, 0, 5, 6, 0] * 256)
    assert _read_error(_write(tmp_path, "report.txt", data)).message == "不是文本文件（检测到二进制内容）"


def test_gb18030_file_with_crlf_reads_as_its_source(tmp_path):
    path = _dev_file("tongjiang-civil-affairs-2025.txt")
    source = (DEV / "build" / "tongjiang-civil-affairs-2025.src").read_text(encoding="utf-8")
    assert read_text(path).strip("\n") == source.replace("\r\n", "\n").strip("\n")


def test_dev_html_reads_to_the_article_body_one_line_per_paragraph():
    from bs4 import BeautifulSoup

    path = _dev_file("liutang-town-inspection-2025.html")
    lines = [line for line in read_text(path).split("\n") if line]
    paragraphs = [p.get_text().strip() for p in BeautifulSoup(path.read_bytes(), "lxml").select("#zoom p")]
    assert lines[0] == "中共柳塘镇委员会关于县委巡察反馈问题整改情况的报告"
    assert lines[1].startswith("发布时间：2025-03-14")
    assert lines[2:] == paragraphs


def test_dev_html_has_no_page_furniture():
    text = read_text(_dev_file("liutang-town-inspection-2025.html"))
    for furniture in ("首页", "当前位置", "分享到", "QQ空间", "打印本页", "关闭窗口", "上一篇", "下一篇",
                      "版权所有", "ICP", "网站标识码", "浏览次数", "字体", "setFont", "alert"):
        assert furniture not in text


def test_html_tool_bar_and_prev_next_links_are_dropped(tmp_path):
    page = f"""<html><body><div class="article"><h1>{TITLE}</h1>
    <div class="info"><span>发布时间：2025-03-14</span> <span>浏览次数：<em>321</em></span></div>
    <div class="content"><p>{OPENING}。</p><p>一、整改工作组织情况</p></div>
    <div class="article-tools"><a>【打印本页】</a> <a>【关闭窗口】</a></div>
    <div class="prev-next"><p>上一篇：另一篇文章</p><p>下一篇：又一篇文章</p></div>
    </div></body></html>"""
    lines = [line for line in read_text(_write(tmp_path, "report.html", page.encode("utf-8"))).split("\n") if line]
    assert lines == [TITLE, "发布时间：2025-03-14", OPENING + "。", "一、整改工作组织情况"]


def test_loading_a_missing_file_is_a_read_error(tmp_path):
    from ingest.loader import load_report

    with pytest.raises(ReadError) as info:
        load_report(tmp_path / "gone.txt")
    assert info.value.message == "文件不存在"
