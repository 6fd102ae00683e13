"""Word .docx as authors write them: list numbers, headings, merged table cells."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ingest.models import ReadError
from ingest.readers import read_bytes_as_text, read_text
from ingest.readers.word_numbering import chinese_numeral

ROOT = Path(__file__).resolve().parents[1]
DEV_DOCX = ROOT.parent / "shared" / "corpus-dev" / "yiling-ecology-inspection-2025.docx"


def _read(document) -> list[str]:
    buffer = io.BytesIO()
    document.save(buffer)
    return read_bytes_as_text(buffer.getvalue(), "report.docx").split("\n")


def _add_list(document, levels: list[tuple[str, str]], start: int = 1) -> str:
    """A numbering definition with (numFmt, lvlText) per level; returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = str(900 + len(numbering.findall(qn("w:abstractNum"))))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    # abstractNum elements must come before num elements
    numbering.insert(0, abstract)
    num_id = str(900 + len(numbering.findall(qn("w:num"))))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def _numbered(document, text: str, num_id: str, level: int = 0):
    paragraph = document.add_paragraph(text)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                          f'<w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


# --- list numbering ------------------------------------------------------------------

def test_chinese_counting_list_gets_its_numbers(tmp_path):
    document = docx.Document()
    num_id = _add_list(document, [("chineseCounting", "%1、")])
    for text in ("整改工作组织情况", "问题整改落实情况", "下一步工作打算"):
        _numbered(document, text, num_id)
    assert _read(document) == ["一、整改工作组织情况", "二、问题整改落实情况", "三、下一步工作打算"]


def test_second_level_in_full_width_parentheses_restarts_under_each_first_level():
    document = docx.Document()
    num_id = _add_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")])
    _numbered(document, "组织情况", num_id, 0)
    _numbered(document, "加强领导", num_id, 1)
    _numbered(document, "细化方案", num_id, 1)
    _numbered(document, "整改情况", num_id, 0)
    _numbered(document, "关于党建方面", num_id, 1)
    assert _read(document) == ["一、组织情况", "（一）加强领导", "（二）细化方案", "二、整改情况", "（一）关于党建方面"]


def test_decimal_list_with_a_start_value():
    document = docx.Document()
    num_id = _add_list(document, [("decimal", "%1.")], start=3)
    _numbered(document, "建立台账", num_id)
    _numbered(document, "定期通报", num_id)
    assert _read(document) == ["3.建立台账", "4.定期通报"]


def test_list_number_from_the_paragraph_style_is_rendered():
    document = docx.Document()
    document.add_paragraph("第一项措施", style="List Number")
    document.add_paragraph("第二项措施", style="List Number")
    assert _read(document) == ["1.第一项措施", "2.第二项措施"]


def test_bullets_and_unknown_formats_leave_the_text_as_it_is():
    document = docx.Document()
    bullets = _add_list(document, [("bullet", "•")])
    other = _add_list(document, [("hebrew1", "%1.")])
    _numbered(document, "要点一", bullets)
    _numbered(document, "要点二", other)
    assert _read(document) == ["要点一", "要点二"]


def test_number_switched_off_with_num_id_zero_is_not_rendered():
    document = docx.Document()
    document.add_paragraph("无编号", style="List Number")._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
    assert _read(document) == ["无编号"]


@pytest.mark.parametrize("value, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"),
                                         (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_numerals(value, text):
    assert chinese_numeral(value) == text


def test_heading_styled_paragraphs_are_lines_of_their_own():
    document = docx.Document()
    document.add_heading("一、整改工作组织情况", level=1)
    document.add_paragraph("正文段落。")
    document.add_heading("（一）加强组织领导", level=2)
    assert _read(document) == ["一、整改工作组织情况", "正文段落。", "（一）加强组织领导"]


# --- merged cells -----------------------------------------------------------------------

def _table(document, rows: int, cols: int):
    table = document.add_table(rows=rows, cols=cols)
    return table


def test_category_row_merged_across_the_table_is_bare_text():
    document = docx.Document()
    table = _table(document, 3, 4)
    for cell, text in zip(table.rows[0].cells, ("序号", "问题", "时限", "进展")):
        cell.text = text
    table.cell(1, 0).merge(table.cell(1, 3)).text = "一、大气污染防治方面"
    for cell, text in zip(table.rows[2].cells, ("1", "扬尘污染", "2025年底前", "已完成")):
        cell.text = text
    assert _read(document) == ["序号\t问题\t时限\t进展", "一、大气污染防治方面", "1\t扬尘污染\t2025年底前\t已完成"]


def test_cell_merged_over_part_of_a_row_is_followed_by_empty_cells():
    document = docx.Document()
    table = _table(document, 1, 4)
    table.cell(0, 0).text = "1"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "问题和措施"
    table.cell(0, 3).text = "已完成"
    assert _read(document) == ["1\t问题和措施\t\t已完成"]


def test_vertically_merged_continuation_cell_is_empty():
    document = docx.Document()
    table = _table(document, 2, 3)
    table.cell(0, 0).text, table.cell(1, 0).text = "5", "6"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "2025年12月底前"
    table.cell(0, 2).text, table.cell(1, 2).text = "已达到序时进度", "正在推进"
    assert _read(document) == ["5\t2025年12月底前\t已达到序时进度", "6\t\t正在推进"]


def test_a_cell_with_several_paragraphs_stays_on_one_line():
    document = docx.Document()
    table = _table(document, 1, 2)
    table.cell(0, 0).text = "1"
    cell = table.cell(0, 1)
    cell.text = "一是建立台账；"
    cell.add_paragraph("二是定期通报。")
    assert _read(document) == ["1\t一是建立台账； 二是定期通报。"]


def test_numbered_paragraphs_inside_a_cell_keep_their_numbers():
    document = docx.Document()
    num_id = _add_list(document, [("decimal", "%1.")])
    table = _table(document, 1, 2)
    table.cell(0, 0).text = "1"
    cell = table.cell(0, 1)
    first = cell.paragraphs[0]
    first.text = "建立台账；"
    first._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    assert _read(document) == ["1\t1.建立台账；"]


# --- damaged files --------------------------------------------------------------------

def test_encrypted_word_file_gets_a_specific_message():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    with pytest.raises(ReadError) as info:
        read_bytes_as_text(data, "report.docx")
    assert "已加密" in info.value.message


# --- the development corpus -----------------------------------------------------------

@pytest.fixture(scope="module")
def dev_lines() -> list[str]:
    if not DEV_DOCX.exists():
        pytest.skip(f"development corpus not found at {DEV_DOCX}")
    return read_text(DEV_DOCX).split("\n")


def test_dev_docx_category_rows_are_bare_lines(dev_lines):
    for category in ("一、大气污染防治方面", "二、水污染防治方面", "三、固体废物和土壤污染防治方面",
                     "四、生态保护和环境监管方面"):
        assert category in dev_lines


def test_dev_docx_problem_rows_have_seven_cells(dev_lines):
    header = dev_lines.index("序号\t反馈问题\t整改目标\t整改措施\t责任单位\t整改时限\t整改进展")
    rows = [line for line in dev_lines[header + 1:] if "\t" in line]
    assert [row.split("\t")[0] for row in rows] == [str(n) for n in range(1, 13)]
    assert all(len(row.split("\t")) == 7 for row in rows)


def test_dev_docx_vertical_merge_continuation_of_row_6_is_empty(dev_lines):
    row5 = next(line for line in dev_lines if line.startswith("5\t")).split("\t")
    row6 = next(line for line in dev_lines if line.startswith("6\t")).split("\t")
    assert row5[5] == "2025年12月底前" and row6[5] == ""
