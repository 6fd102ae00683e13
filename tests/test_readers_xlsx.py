"""Excel .xlsx ledgers: sheets, rows, merged ranges, dates and numbers as the sheet shows them."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.models import ReadError
from ingest.readers import read_bytes_as_text, read_text

ROOT = Path(__file__).resolve().parents[1]
DEV_XLSX = ROOT.parent / "shared" / "corpus-dev" / "luzhou-district-amr-audit-2024.xlsx"
HEADER = ["序号", "审计发现问题", "完成时限", "完成情况"]


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(workbook: Workbook) -> list[str]:
    return read_bytes_as_text(_bytes(workbook), "ledger.xlsx").split("\n")


def _ledger() -> Workbook:
    """Title merged across the table, header, two problems, a merged note."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    sheet.append(["某局审计发现问题整改台账"])
    sheet.merge_cells("A1:D1")
    sheet.append(HEADER)
    sheet.append([1, "预算执行率偏低", dt.datetime(2024, 12, 31), "已完成"])
    sheet.append([2, "往来款项长期挂账", "2024年12月底前", "部分完成"])
    sheet.append(["说明：完成情况分为三类。"])
    sheet.merge_cells("A5:D5")
    return workbook


def _error(data: bytes) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_bytes_as_text(data, "ledger.xlsx")
    return info.value


def test_rows_become_tab_separated_lines_with_merged_title_and_note_bare():
    assert _read(_ledger()) == [
        "某局审计发现问题整改台账",
        "序号\t审计发现问题\t完成时限\t完成情况",
        "1\t预算执行率偏低\t2024年12月31日\t已完成",
        "2\t往来款项长期挂账\t2024年12月底前\t部分完成",
        "说明：完成情况分为三类。",
    ]


def test_date_cell_is_written_as_a_chinese_date():
    workbook = Workbook()
    workbook.active.append(["完成时限", dt.date(2024, 6, 5)])
    assert _read(workbook) == ["完成时限\t2024年6月5日"]


def test_whole_number_stored_as_float_has_no_trailing_zero():
    workbook = Workbook()
    workbook.active.append([13.0, 127.36, 0.1 + 0.2])
    assert _read(workbook) == ["13\t127.36\t0.3"]


def test_percent_and_thousands_formats_are_shown_as_in_the_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([0.614, 8426])
    sheet["A1"].number_format = "0.0%"
    sheet["B1"].number_format = "#,##0"
    assert _read(workbook) == ["61.4%\t8,426"]


def test_cell_merged_over_part_of_a_row_keeps_later_cells_in_their_columns():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([1, "问题与时限合并", None, "已完成"])
    sheet.merge_cells("B2:C2")
    assert _read(workbook)[1] == "1\t问题与时限合并\t\t已完成"


def test_vertically_merged_cell_leaves_the_lower_row_empty():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([5, "污水处理能力不足", "2025年12月底前", "正在推进"])
    sheet.append([6, "断面水质不稳定", None, "已达到序时进度"])
    sheet.merge_cells("C2:C3")
    assert _read(workbook)[2] == "6\t断面水质不稳定\t\t已达到序时进度"


def test_line_breaks_inside_a_cell_stay_on_the_row_line():
    workbook = Workbook()
    workbook.active.append([1, "1.建立台账；\n2.定期通报。"])
    assert _read(workbook) == ["1\t1.建立台账； 2.定期通报。"]


def test_sheets_come_in_order_separated_by_a_blank_line():
    workbook = _ledger()
    note = workbook.create_sheet("整改情况说明")
    note.append(["关于审计整改情况的说明"])
    note.append(["截至2024年11月29日，13个问题中已完成整改10个。"])
    lines = _read(workbook)
    assert lines[-3:] == ["", "关于审计整改情况的说明", "截至2024年11月29日，13个问题中已完成整改10个。"]
    assert lines[0] == "某局审计发现问题整改台账"


def test_hidden_sheet_of_drop_down_values_is_not_read():
    workbook = _ledger()
    lists = workbook.create_sheet("选项")
    lists.append(["已完成"])
    lists.append(["部分完成"])
    lists.sheet_state = "hidden"
    assert _read(workbook) == _read(_ledger())


def test_empty_rows_are_left_out():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["第一行"])
    sheet.append([])
    sheet.append(["第三行"])
    assert _read(workbook) == ["第一行", "第三行"]


def test_workbook_without_text_is_refused():
    assert _error(_bytes(Workbook())).message == "Excel 文件中没有文字内容"


def test_truncated_workbook_is_refused():
    data = _bytes(_ledger())
    assert _error(data[: len(data) // 2]).message == "Excel 文件已损坏或不完整，无法读取"


def test_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "整改")
    assert _error(buffer.getvalue()).message == "Excel 文件已损坏或不完整，无法读取"


def test_encrypted_workbook_asks_for_the_password_to_be_removed():
    # Encrypted OOXML is an OLE container with an EncryptionInfo stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
    assert "已加密" in _error(data).message


def test_legacy_xls_renamed_to_xlsx_gets_a_specific_message():
    assert "旧版 Excel（.xls）" in _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512).message


# --- the development corpus -----------------------------------------------------------

@pytest.fixture(scope="module")
def dev_lines() -> list[str]:
    if not DEV_XLSX.exists():
        pytest.skip(f"development corpus not found at {DEV_XLSX}")
    return read_text(DEV_XLSX).split("\n")


def test_dev_ledger_starts_with_the_merged_title_then_the_header(dev_lines):
    assert dev_lines[0] == "泓州市鹭洲区市场监督管理局2023年度预算执行和其他财政收支审计发现问题整改台账"
    assert dev_lines[2] == "序号\t审计发现问题\t整改措施\t责任科室\t完成时限\t完成情况\t备注"


def test_dev_ledger_problem_rows_have_integer_numbers_and_chinese_dates(dev_lines):
    rows = [line.split("\t") for line in dev_lines[3:16]]
    assert [row[0] for row in rows] == [str(n) for n in range(1, 14)]
    assert all(len(row) == 7 for row in rows)
    assert rows[0][4] == "2024年12月31日"
    assert rows[12][4] == "2024年12月底前"


def test_dev_ledger_notes_are_bare_lines_and_the_second_sheet_follows_a_blank_line(dev_lines):
    assert dev_lines[16].startswith("合计\t")
    assert dev_lines[17].startswith("说明：") and "\t" not in dev_lines[17]
    blank = dev_lines.index("")
    assert dev_lines[blank + 1] == "鹭洲区市场监督管理局关于2023年度预算执行审计整改情况的说明"
