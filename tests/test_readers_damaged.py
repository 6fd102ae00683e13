"""Damaged files of every supported type: a reader either reads them or raises ReadError."""
from __future__ import annotations

import io
import random

import docx
import pytest
from openpyxl import Workbook
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.models import ReadError
from ingest.readers import read_bytes_as_text

TEXT = "关于巡察整改情况的报告。一、整改工作组织情况。"


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(TEXT)
    document.add_paragraph("第一项", style="List Number")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "一、大气污染防治方面"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["序号", "问题"])
    workbook.active.append([1, TEXT])
    workbook.active.merge_cells("A1:B1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("STSong-Light", 11)
    pdf.drawString(40, 800, TEXT)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _html() -> bytes:
    return f"<html><body><div class='content'><p>{TEXT}</p></div></body></html>".encode("utf-8")


def _damaged(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    kind = seed % 3
    if kind == 0:
        mangled = bytearray(data)
        for _ in range(12):
            mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        return bytes(mangled)
    if kind == 1:
        return data[: rng.randrange(1, len(data))]
    return data[rng.randrange(1, len(data)):]


@pytest.mark.parametrize("name, make", [("r.docx", _docx), ("r.xlsx", _xlsx), ("r.pdf", _pdf),
                                        ("r.html", _html), ("r.txt", lambda: TEXT.encode("gb18030"))])
def test_damaged_file_is_read_or_refused_with_a_read_error(name, make):
    data = make()
    for seed in range(30):
        try:
            text = read_bytes_as_text(_damaged(data, seed), name)
        except ReadError as error:
            assert error.message and error.source == name
        else:
            assert isinstance(text, str)
