"""PDF text layers: hard-wrapped lines rejoined, running headers/footers removed, wrapped title joined."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.readers import read_bytes_as_text, read_text
from ingest.readers.pdf_layout import join_lines, pdf_paragraphs, remove_furniture

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"
DEV_PDF = DEV / "jiayu-first-hospital-2025.pdf"
DEV_SRC = DEV / "build" / "jiayu-first-hospital-2025.src"


# --- joining wrapped lines -----------------------------------------------------------

def test_line_break_inside_a_paragraph_is_removed():
    lines = [" 医院党委坚持把巡察整改作为重大政治任务，作为推动医院高质量发展的重要",
             "契机，以严的标准、实的举措推动整改落实，整改期间召开会议。10月15日",
             "，医院党委召开巡察整改专题民主生活会。"]
    assert join_lines(lines) == ["医院党委坚持把巡察整改作为重大政治任务，作为推动医院高质量发展的重要"
                                 "契机，以严的标准、实的举措推动整改落实，整改期间召开会议。10月15日，"
                                 "医院党委召开巡察整改专题民主生活会。"]


def test_number_wrapped_mid_phrase_is_rejoined_without_a_space():
    lines = [" 通过整改，清退违规发放的津补贴及报销费用等资金共计人民币37.4",
             "万元，新建和修订制度34项。"]
    assert join_lines(lines) == ["通过整改，清退违规发放的津补贴及报销费用等资金共计人民币37.4万元，新建和修订制度34项。"]


def test_indented_line_starts_a_paragraph():
    lines = [" 第一段的第一行文字第一段的第一行文字第一段的第一行文字第一段",
             "的结尾。第一段的第一行文字第一段的第一行文字第一段的第一行文字",
             " 第二段开始。"]
    assert len(join_lines(lines)) == 2


def test_heading_marker_after_a_sentence_end_starts_a_paragraph():
    lines = [" 现将巡察整改情况报告如下现将巡察整改情况报告如下现将巡察整改情况报",
             "告如下现将巡察整改情况报告如下现将巡察整改情况报告如下现将巡察。",
             "一、整改工作组织情况"]
    assert join_lines(lines)[-1] == "一、整改工作组织情况"


def test_parenthesised_number_after_a_mid_sentence_wrap_is_not_a_paragraph():
    lines = [" 对照反馈问题逐项制定整改措施，其中涉及财务报销的问题共两类，即",
             "（2）类问题中的差旅费报销不规范和会议费列支不规范问题，已全部整改",
             "到位并建立台账。"]
    assert len(join_lines(lines)) == 1


def test_short_line_ends_its_paragraph():
    lines = ["二、巡察反馈问题整改落实情况",
             "（一）落实党的路线方针政策和党中央重大决策部署方面（共4条）",
             " 第一条、执行公立医院党委领导下的院长负责制不够到位，部分“三重一大”事项"]
    assert join_lines(lines)[:2] == ["二、巡察反馈问题整改落实情况", "（一）落实党的路线方针政策和党中央重大决策部署方面（共4条）"]


def test_english_words_wrapped_at_a_line_end_keep_a_space():
    lines = [" The rectification report of the hospital party committee was",
             "published on the website of the hospital in January of this year."]
    assert join_lines(lines) == ["The rectification report of the hospital party committee was published on "
                                 "the website of the hospital in January of this year."]


def test_title_wrapped_over_two_lines_is_joined_by_the_metadata_title():
    title = "中共嘉屿市第一人民医院委员会关于市委巡察整改情况的报告"
    lines = ["中共嘉屿市第一人民医院委员会关于市委巡察整改情况", " 的报告", " （2025年1月20日）"]
    assert join_lines(lines, title) == [title, "（2025年1月20日）"]


def test_title_lines_are_not_joined_without_a_matching_metadata_title():
    lines = ["中共嘉屿市第一人民医院委员会关于市委巡察整改情况", " 的报告"]
    assert join_lines(lines, "Microsoft Word - 文档1") == ["中共嘉屿市第一人民医院委员会关于市委巡察整改情况", "的报告"]


# --- running headers, footers, page numbers ---------------------------------------------

def _page(body: list[str], number: int, total: int) -> str:
    # pypdf's order for canvas-drawn furniture: body first, then header and footer.
    return "\n".join(body + ["嘉屿市第一人民医院党务公开", f"第 {number} 页 共 {total} 页"])


def test_running_header_and_page_footer_after_the_body_are_removed():
    pages = [_page([" 第一页正文。"], 1, 3), _page([" 第二页正文。"], 2, 3), _page([" 第三页正文。"], 3, 3)]
    assert [line.strip() for page in remove_furniture(pages) for line in page] == ["第一页正文。", "第二页正文。", "第三页正文。"]


def test_paragraph_running_across_a_page_break_is_joined_over_the_furniture():
    first = [" 整改进展：已完成。2024年第四季度受理12345热线工单和患者投诉386件，",
             "按期办结率由87.1%提升至100%，满意率由82.4%提升至96.5%；院领导接访包案"]
    second = ["化解信访积案6件。", "三、下一步工作打算"]
    paragraphs = pdf_paragraphs([_page(first, 1, 2), _page(second, 2, 2)])
    assert paragraphs == ["整改进展：已完成。2024年第四季度受理12345热线工单和患者投诉386件，按期办结率由87.1%提升至"
                          "100%，满意率由82.4%提升至96.5%；院领导接访包案化解信访积案6件。", "三、下一步工作打算"]


@pytest.mark.parametrize("footer", ["- 2 -", "— 2 —", "2", "第2页", "2/5"])
def test_page_number_lines_are_removed(footer):
    pages = ["\n".join([" 正文第一页。", footer.replace("2", "1")]), "\n".join([footer, " 正文第二页。"])]
    assert [line.strip() for page in remove_furniture(pages) for line in page] == ["正文第一页。", "正文第二页。"]


def test_header_at_the_top_of_each_page_is_removed():
    pages = ["\n".join(["某某局文件", f" 第{n}页的正文内容。"]) for n in "一二三"]
    assert all(page[0].strip().startswith("第") for page in remove_furniture(pages))


def test_a_line_that_is_only_on_one_page_is_kept():
    pages = ["\n".join([" 正文。", "附件：整改台账"]), "\n".join([" 第二页正文。", "某某"])]
    assert "附件：整改台账" in [line for page in remove_furniture(pages) for line in page]


# --- real PDFs ---------------------------------------------------------------------------

def _pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if title:
        pdf.setTitle(title)
    for number, lines in enumerate(pages, start=1):
        pdf.setFont("STSong-Light", 11)
        for row, line in enumerate(lines):
            indent = len(line) - len(line.lstrip(" "))
            pdf.drawString(40 + 11 * indent, 780 - 18 * row, line.lstrip(" "))
        pdf.setFont("STSong-Light", 9)
        pdf.drawCentredString(300, 810, "某某医院党务公开")
        pdf.drawCentredString(300, 30, f"第 {number} 页 共 {len(pages)} 页")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_with_header_footer_and_wrapped_title_reads_as_paragraphs():
    title = "中共某某医院委员会关于市委巡察反馈意见整改情况的报告"
    pages = [["中共某某医院委员会关于市委巡察反馈", "  意见整改情况的报告",
              "  根据市委统一部署，市委第三巡察组对医院党委开展了常规巡察，并反馈",
              "了巡察意见。现将整改情况报告如下。"],
             ["一、整改工作组织情况", "  医院党委成立整改工作领导小组。"]]
    text = read_bytes_as_text(_pdf(pages, title), "report.pdf")
    assert text.split("\n") == [title, "根据市委统一部署，市委第三巡察组对医院党委开展了常规巡察，并反馈了巡察意见。现将整改情况报告如下。",
                                "一、整改工作组织情况", "医院党委成立整改工作领导小组。"]


# --- the development corpus -----------------------------------------------------------

def _src_paragraphs(src: str) -> list[str]:
    """Paragraphs of the .src markup (see build/build_pdf.py): one block per paragraph,
    markers "# " "## " "= " dropped, each "> " line a paragraph of its own."""
    paragraphs = []
    for block in src.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("> "):
            paragraphs.extend(line[2:] for line in lines)
            continue
        first = lines[0]
        for marker in ("# ", "## ", "= "):
            if first.startswith(marker):
                first = first[len(marker):]
                break
        paragraphs.append("".join([first] + lines[1:]))
    return paragraphs


@pytest.fixture(scope="module")
def dev_pdf_paragraphs() -> list[str]:
    if not DEV_PDF.exists() or not DEV_SRC.exists():
        pytest.skip(f"development corpus not found at {DEV}")
    return read_text(DEV_PDF).split("\n")


def test_dev_pdf_paragraph_starts_match_the_source(dev_pdf_paragraphs):
    expected = _src_paragraphs(DEV_SRC.read_text(encoding="utf-8"))
    assert [p[:12] for p in dev_pdf_paragraphs] == [p[:12] for p in expected]


def test_dev_pdf_paragraphs_are_the_source_paragraphs(dev_pdf_paragraphs):
    assert dev_pdf_paragraphs == _src_paragraphs(DEV_SRC.read_text(encoding="utf-8"))


def test_dev_pdf_has_no_running_header_or_footer(dev_pdf_paragraphs):
    text = "\n".join(dev_pdf_paragraphs)
    assert "嘉屿市第一人民医院党务公开" not in text and "共 6 页" not in text
