"""Writes a planned synthetic report to a file in its layout's format.

Text layouts come from `synthetic_text`; this module adds the formats of the development
corpus: a Word ledger (one 7-column table, category rows merged across, one vertically
merged 整改时限 cell), an Excel ledger (title, 填报 row, header, rows with date cells, a 合计
row, notes, a second sheet with the covering note), a saved web page (portal furniture,
status sub-lists, numbering restarting per group) and a PDF with a text layer (running
header, page footer, 第N条、 items). Office files are zip archives whose entries carry the
time of writing; they are rewritten with a fixed time, so the same plan gives the same
bytes (a kept benchmark store then reuses every segment).
"""
from __future__ import annotations

import html
import io
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from synthetic_plan import C, I, L, P, ReportPlan, cn_number, zh_date
from synthetic_text import (TEXT_LAYOUTS, deadline, departments, headline, layout_text, next_steps, opening,
                            organisation, totals_sentence)

SUFFIXES = {"docx": ".docx", "xlsx": ".xlsx", "html": ".html", "pdf": ".pdf", "gb18030": ".txt"}
_FIXED_TIME = datetime(2025, 1, 1)
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
LEDGER_WORDS = {"docx": {C: "已完成整改", P: "基本完成", I: "已达到序时进度"},
                "xlsx": {C: "已完成", P: "部分完成", I: "正在整改"}}
PDF_WORDS = {C: "已完成", P: "基本完成", I: "持续整改", L: "长期坚持"}


def suffix(layout: str) -> str:
    return SUFFIXES.get(layout, ".txt")


def write_report(plan: ReportPlan, path: Path, rng: random.Random) -> None:
    if plan.layout in TEXT_LAYOUTS:
        encoding = "gb18030" if plan.layout == "gb18030" else "utf-8"
        path.write_bytes(layout_text(plan, rng).encode(encoding))
    else:
        path.write_bytes(_WRITERS[plan.layout](plan, rng))


# --- Word ledger -------------------------------------------------------------------------

def _docx(plan: ReportPlan, rng: random.Random) -> bytes:
    from docx import Document

    words = LEDGER_WORDS["docx"]
    doc = Document()
    doc.core_properties.title = plan.title
    doc.core_properties.author = plan.body.name
    doc.core_properties.created = doc.core_properties.modified = _FIXED_TIME
    doc.add_paragraph(plan.title)
    doc.add_paragraph(opening(plan))
    doc.add_paragraph(totals_sentence(plan) + "各问题整改进展情况如下表。")
    doc.add_paragraph(f"{plan.body.name}反馈问题整改落实情况表")
    header = ["序号", "反馈问题", "整改目标", "整改措施", "责任单位", "整改时限", "整改进展"]
    table = doc.add_table(rows=1 + len(plan.groups) + len(plan.issues), cols=len(header))
    for j, h in enumerate(header):
        table.cell(0, j).text = h
    row, k, merged_once = 1, 0, False
    for g, (heading, members) in enumerate(plan.groups):
        table.cell(row, 0).merge(table.cell(row, len(header) - 1)).text = f"{cn_number(g + 1)}、{heading}方面"
        row += 1
        term = None
        for m, issue in enumerate(members):
            k += 1
            cells = [str(k), issue.problem, "问题全部整改到位，建立长效机制。", issue.rectification,
                     departments(rng), deadline(plan, rng), f"{words[issue.status]}。相关工作按计划落实。"]
            for j, value in enumerate(cells):
                table.cell(row, j).text = value
            # One vertical merge per report: the second issue of a group shares the first's deadline
            if m == 1 and not merged_once:
                above = table.cell(row - 1, 5)
                above.merge(table.cell(row, 5)).text = term
                merged_once = True
            term = cells[5]
            row += 1
    for line in next_steps(plan) + [plan.body.name, zh_date(plan.published)]:
        doc.add_paragraph(line)
    return _zip_fixed(_saved(doc))


# --- Excel ledger ------------------------------------------------------------------------

def _xlsx(plan: ReportPlan, rng: random.Random) -> bytes:
    from openpyxl import Workbook

    words = LEDGER_WORDS["xlsx"]
    wb = Workbook()
    wb.properties.creator = plan.body.name
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    ws = wb.active
    ws.title = "整改台账"
    ws.append([plan.title])
    ws.merge_cells("A1:G1")
    ws.append([f"填报单位：{plan.body.name}（盖章）　　　　填报日期：{zh_date(plan.published)}"])
    ws.merge_cells("A2:G2")
    ws.append(["序号", "审计发现问题", "整改措施", "责任科室", "完成时限", "完成情况", "备注"])
    for k, issue in enumerate(plan.issues, 1):
        due = date(plan.published.year, rng.choice((3, 6, 9, 12)), 28)
        ws.append([k, issue.problem, issue.rectification, departments(rng), due, words[issue.status], ""])
        ws.cell(ws.max_row, 5).number_format = 'yyyy"年"m"月"d"日"'
    counts = "，".join(f"{words[s]}{plan.count(s)}个" for s in (C, P, I) if plan.count(s))
    ws.append(["合计", f"共{len(plan.issues)}个问题：{counts}。", "", "", "", "", ""])
    for note in ("说明：1.完成情况分为“已完成”“部分完成”“正在整改”三类；", "2.联系人：财务科。"):
        ws.append([note])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    note = wb.create_sheet("整改情况说明")
    for line in [f"{plan.body.name}关于审计整改情况的说明", opening(plan), totals_sentence(plan),
                 plan.body.name, zh_date(plan.published)]:
        note.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return _zip_fixed(buffer.getvalue())


# --- saved web page ----------------------------------------------------------------------

_PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="SiteName" content="{site}">
<meta name="ArticleTitle" content="{title}">
<title>{title}_信息公开_{site}</title>
<style>.article-content p{{text-indent:2em;line-height:2}} .sub-title{{font-weight:bold}}</style>
</head>
<body>
<div class="topbar">您好，欢迎访问{site}门户网站！ <a href="/mobile/">手机版</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 信息公开</div>
<h1 class="article-title">{title}</h1>
<div class="meta">发布时间：{published} 10:21　来源：{source}　浏览次数：<span id="hits">0</span></div>
<div class="article-content" id="zoom">
"""
_PAGE_FOOT = """</div>
<div class="share">分享到：<a href="javascript:;">微信</a><a href="javascript:;">微博</a></div>
<div class="prev-next"><p>上一篇：<a href="/a.html">关于开展安全生产检查的通知</a></p></div>
<div class="footer"><p>版权所有：{site}　主办：{site}办公室</p><p>ICP备案号：备2021076153号-1</p></div>
<script>function setFont(s){{document.getElementById('zoom').style.fontSize=s+'px';}}
$(function(){{$('.share a').on('click',function(){{alert('请使用微信“扫一扫”分享本页');}});}});</script>
</body>
</html>
"""


def _html(plan: ReportPlan, rng: random.Random) -> bytes:
    site = f"{plan.body.place}人民政府"
    paras = [opening(plan), "<strong>一、整改工作开展情况</strong>", *organisation(plan),
             "<strong>二、巡察反馈问题整改落实情况</strong>", totals_sentence(plan)]
    for g, (heading, members) in enumerate(plan.groups):
        paras.append(f"<strong>（{cn_number(g + 1)}）关于{heading}方面</strong>")
        k = 0
        for label, status in (("已整改完成的问题：", C), ("正在整改的问题：", I)):
            listed = [i for i in members if i.status is status]
            if not listed:
                continue
            paras.append(("sub-title", label))
            for issue in listed:
                k += 1
                paras += [f"{k}. 关于{issue.problem.rstrip('。')}的问题。", f"整改情况：{issue.rectification}"]
    paras += ["<strong>三、下一步工作打算</strong>", *next_steps(plan), plan.body.issuer, zh_date(plan.published)]
    body = []
    for p in paras:
        if isinstance(p, tuple):
            body.append(f'<p class="{p[0]}">{html.escape(p[1])}</p>')
        elif p.startswith("<strong>"):
            body.append(f"<p>{p}</p>")
        else:
            body.append(f"<p>{html.escape(p)}</p>")
    page = (_PAGE_HEAD.format(site=site, title=html.escape(plan.title), published=plan.published.isoformat(),
                              source=html.escape(plan.body.name))
            + "\n".join(body) + "\n" + _PAGE_FOOT.format(site=site))
    return page.encode("utf-8")


# --- PDF ---------------------------------------------------------------------------------

def _pdf(plan: ReportPlan, rng: random.Random) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = _pdf_styles()
    blocks = [("title", plan.title), ("body", opening(plan)), ("head", "一、整改工作组织情况"),
              *(("body", p) for p in organisation(plan)), ("head", "二、巡察反馈问题整改落实情况"),
              ("body", totals_sentence(plan))]
    k = 0
    for g, (heading, members) in enumerate(plan.groups):
        blocks.append(("head", f"（{cn_number(g + 1)}）{heading}方面（共{len(members)}条）"))
        for issue in members:
            k += 1
            blocks += [("body", f"第{cn_number(k)}条、{issue.problem}"), ("body", f"整改措施：{issue.rectification}"),
                       ("body", f"整改进展：{PDF_WORDS[issue.status]}。{_progress_note(issue)}")]
    blocks += [("head", "三、下一步工作打算"), *(("body", p) for p in next_steps(plan)),
               ("right", plan.body.issuer), ("right", zh_date(plan.published))]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
                            bottomMargin=22 * mm, title=plan.title, author=plan.body.name, invariant=1)
    doc.build([Paragraph(html.escape(text), styles[kind]) for kind, text in blocks],
              canvasmaker=_furnished_canvas(f"{plan.body.name}党务公开", styles["font"]))
    return buffer.getvalue()


def _progress_note(issue) -> str:
    """A sentence of its own for each issue: a line repeated at the edges of many pages
    is a running header to the PDF reader, so every issue's progress must differ."""
    return f"针对“{headline(issue.problem)}”问题，相关整改措施已逐项落实，整改台账同步更新。"


def _furnished_canvas(header: str, font: str):
    """A canvas class drawing the running header and 「第 N 页 共 M 页」 on every page after
    its body, as the development PDF has them (so a text layer lists them after the body)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    class Furnished(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self._pages:
                self.__dict__.update(state)
                width, height = A4
                self.setFont(font, 9)
                self.drawCentredString(width / 2, height - 15 * mm, header)
                self.drawCentredString(width / 2, 12 * mm, f"第 {self._pageNumber} 页 共 {len(self._pages)} 页")
                super().showPage()
            super().save()

    return Furnished


def _pdf_styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    font = "STSong-Light"      # a CID font reportlab ships: no font file needed, text layer intact
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
    return {"font": font, "body": body,
            "head": ParagraphStyle("head", parent=body, firstLineIndent=0),
            "title": ParagraphStyle("title", parent=body, fontSize=18, leading=28, firstLineIndent=0,
                                    alignment=TA_CENTER),
            "right": ParagraphStyle("right", parent=body, firstLineIndent=0, alignment=TA_RIGHT)}


# --- helpers -----------------------------------------------------------------------------

def _saved(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _zip_fixed(data: bytes) -> bytes:
    """The same archive with every entry dated `_ZIP_TIME`, and the document's modified
    time (which openpyxl sets to the time of saving) fixed too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_WRITERS = {"docx": _docx, "xlsx": _xlsx, "html": _html, "pdf": _pdf}
