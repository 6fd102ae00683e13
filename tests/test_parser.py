"""The parser on the real sample reports, and on a report in another layout."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.chunking import ChunkSettings, approx_token_count, chunk_report
from ingest.loader import load_report
from ingest.models import RecordKind, Status

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def county():
    return load_report(REPORTS / "county-health-2024.txt")


@pytest.fixture(scope="module")
def chenzhou():
    return load_report(REPORTS / "chenzhou-second-hospital-2025.txt")


@pytest.fixture(scope="module")
def other_layout():
    return load_report(FIXTURES / "other-layout-city-health.md")


def by_label(report, label):
    matches = [i for i in report.issues if i.label == label]
    assert len(matches) == 1, f"{label}: {[i.label for i in report.issues]}"
    return matches[0]


# --- county report --------------------------------------------------------------------

def test_county_report_has_fourteen_issues(county):
    assert len(county.issues) == 14


def test_county_report_has_eight_completed_and_six_ongoing_issues(county):
    assert county.status_counts() == {"completed": 8, "partial": 0, "in_progress": 6, "long_term": 0, "unknown": 0}


def test_county_labels_carry_the_section_path_because_numbering_restarts(county):
    labels = [i.label for i in county.issues]
    assert labels[:3] == ["二（一）1", "二（一）2", "二（一）3"]
    assert labels[8:10] == ["二（二）1", "二（二）2"]
    assert labels[-1] == "二（二）6"


def test_county_problem_statement_is_the_quoted_text(county):
    issue = by_label(county, "二（一）3")
    assert issue.problem.startswith("诊疗规范执行不到位。在执行医疗核心制度方面")
    assert issue.problem.endswith("有的还存在收费用药不合理情况。")
    assert issue.title == "诊疗规范执行不到位"
    assert issue.status is Status.COMPLETED


def test_county_rectification_text_follows_its_label(county):
    issue = by_label(county, "二（一）3")
    assert issue.rectification.startswith("一是狠抓医疗质量管理")
    assert "累计干预不合理处方17906张" in issue.rectification


def test_county_ongoing_issue_sits_in_the_ongoing_group(county):
    issue = by_label(county, "二（二）6")
    assert issue.title == "整体财务运转压力较大"
    assert issue.group == "正在推进整改的问题"
    assert issue.status is Status.IN_PROGRESS


def test_county_non_issue_sections_are_records_of_their_own(county):
    sections = [r for r in county.records if r.kind is RecordKind.SECTION]
    titles = [r.title for r in sections]
    assert "统筹谋划研究,及时制定方案" in titles
    assert "全面用好巡察成果" in titles
    assert county.records[0].kind is RecordKind.PREAMBLE


def test_county_stated_totals_are_read_from_the_text(county):
    stated = {(s.what, s.value) for s in county.stated}
    assert {("problems", 14), ("completed", 8), ("in_progress", 6), ("measures", 39)} <= stated
    # an issue's own sub-findings (共发现问题19个) are not the report's totals
    assert ("total", 19) not in stated


def test_county_title_and_level(county):
    assert county.title == "县委巡察组关于医疗服务领域专项巡察整改情况报告"
    assert county.level == "县"


def test_commission_report_is_called_by_its_short_name(other_layout):
    assert "市卫健委" in other_layout.aliases and other_layout.level == "市"


# --- Chenzhou notice ------------------------------------------------------------------

def test_chenzhou_notice_has_forty_problems(chenzhou):
    assert len(chenzhou.issues) == 40
    assert [i.label for i in chenzhou.issues] == [f"（{n}）" for n in range(1, 41)]


def test_chenzhou_problems_sit_under_thirteen_feedback_groups(chenzhou):
    groups = {i.group for i in chenzhou.issues}
    assert len(groups) == 13
    assert "党建工作虚化弱化" in groups


def test_chenzhou_notice_does_not_split_by_status(chenzhou):
    assert all(i.status is Status.UNKNOWN for i in chenzhou.issues)
    assert not chenzhou.has_status_split()


def test_chenzhou_problem_joins_both_numbered_headings(chenzhou):
    issue = by_label(chenzhou, "（23）")
    assert issue.title == "招投标程序不规范"
    assert issue.problem == "招投标程序不规范。招投标廉政风险防控有差距。"
    assert issue.group == "招投标程序流于形式,采购领域存在廉政风险"
    assert issue.rectification.startswith("一是开展招投标领域问题全面自查自纠")


def test_chenzhou_group_twelve_holds_problems_36_and_37(chenzhou):
    labels = [i.label for i in chenzhou.issues if i.group == "党建工作虚化弱化"]
    assert labels == ["（36）", "（37）"]


def test_chenzhou_metadata(chenzhou):
    assert chenzhou.title == "中共郴州市第二人民医院委员会关于巡察整改进展情况的通报"
    assert chenzhou.issuer == "中共郴州市第二人民医院委员会"
    assert chenzhou.date == "2025-09-15"
    for alias in ("二院", "市二医院", "郴州市第二人民医院", "郴州二院"):
        assert alias in chenzhou.aliases


def test_web_boilerplate_is_not_in_any_record(county, chenzhou):
    assert "天天 分享" not in county.body
    assert "2915980" not in county.body
    assert "ICP备" not in chenzhou.body


# --- another layout -------------------------------------------------------------------

def test_other_layout_issues_are_found_by_problem_numbering(other_layout):
    assert [i.label for i in other_layout.issues] == ["问题一", "问题二", "问题三", "问题四"]
    assert other_layout.issues[1].title == "医疗废物处置台账不规范"


def test_other_layout_status_comes_from_explicit_progress_wording(other_layout):
    statuses = [i.status for i in other_layout.issues]
    assert statuses == [Status.COMPLETED, Status.COMPLETED, Status.IN_PROGRESS, Status.IN_PROGRESS]


def test_other_layout_stated_task_totals(other_layout):
    stated = {(s.what, s.value) for s in other_layout.stated}
    assert {("measures", 12), ("measures_completed", 9), ("measures_open", 3), ("problems", 4)} <= stated


def test_other_layout_title_drops_markdown_marker(other_layout):
    assert other_layout.title.startswith("某市卫生健康委员会关于")
    assert other_layout.date == "2025-12-01"


UNSEEN_LAYOUTS = {
    "arabic-only.txt": "关于整改情况的报告\n\n1.总体情况\n今年共完成整改。\n\n2.存在问题\n"
                       "（1）制度不健全。\n（2）执行不到位。\n\n3.下一步\n继续推进。\n",
    "no-headings.txt": "一份没有任何编号的报告。\n只有几段文字，说明整改已经完成。\n",
    "yishi-only.txt": "整改报告\n一是加强学习。二是完善制度。三是强化监督。\n",
    "deep-mixed.txt": "标题\n第一条 总则\n一、组织\n（一）领导\n1.书记负责\n（1）亲自部署\n①召开会议\n"
                      "整改情况：已召开。\n②印发方案\n整改情况：已印发。\n第二条 附则\n本报告自发布之日起施行。\n",
}


@pytest.mark.parametrize("name", sorted(UNSEEN_LAYOUTS))
def test_unseen_layouts_parse_without_losing_text(tmp_path, name):
    path = tmp_path / name
    path.write_text(UNSEEN_LAYOUTS[name], encoding="utf-8")
    report = load_report(path)
    assert report.records
    assert_every_character_in_a_record(report)


# --- no text lost, and chunks ---------------------------------------------------------

def assert_every_character_in_a_record(report):
    covered = [False] * len(report.body)
    for record in report.records:
        assert report.body[record.start:record.end] == record.text
        for i in range(record.start, record.end):
            covered[i] = True
    lost = "".join(ch for i, ch in enumerate(report.body) if not covered[i] and not ch.isspace())
    assert lost == ""


@pytest.mark.parametrize("name", ["county-health-2024.txt", "chenzhou-second-hospital-2025.txt"])
def test_every_character_of_a_sample_report_lands_in_a_record(name):
    assert_every_character_in_a_record(load_report(REPORTS / name))


def test_every_character_of_the_other_layout_lands_in_a_record(other_layout):
    assert_every_character_in_a_record(other_layout)


def test_records_do_not_overlap(county, chenzhou):
    for report in (county, chenzhou):
        spans = sorted((r.start, r.end) for r in report.records)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_one_chunk_per_issue_with_a_header_that_stands_alone(county):
    chunks = chunk_report(county)
    issue = by_label(county, "二（一）4")   # short enough for one 512-token window
    own = [c for c in chunks if c.record_id == issue.record_id]
    assert len(own) == 1
    assert own[0].text.startswith("报告：县委巡察组关于医疗服务领域专项巡察整改情况报告\n")
    assert "编号：二（一）4" in own[0].text and "状态：已完成" in own[0].text
    assert own[0].passage == county.body[own[0].start:own[0].end]
    assert "source" in own[0].metadata


def test_long_issue_is_split_on_sentence_boundaries_with_header_repeated(county):
    chunks = chunk_report(county, ChunkSettings(max_tokens=200))
    issue = by_label(county, "二（一）1")
    parts = [c for c in chunks if c.record_id == issue.record_id]
    assert len(parts) > 1
    header = parts[0].text[: len(parts[0].text) - len(parts[0].passage)]
    for part in parts:
        assert part.text.startswith(header)
        assert approx_token_count(part.passage) <= 200 or not re.search(r"[。；]", part.passage[:-1])
        assert part.passage[-1] in "。；;！？\n" or part.end == issue.end
    joined = "".join(p.passage for p in parts)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", issue.text)


def test_ledger_table_rows_in_a_docx_become_issues_with_their_status(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某区卫生健康局关于区委巡察反馈问题整改情况的报告")
    document.add_paragraph("一、整改台账")
    rows = [["序号", "存在问题", "整改措施", "责任单位", "完成情况"],
            ["1", "疫苗冷链管理不规范，温度记录缺失。", "为12家接种单位配备冷链温度自动监测设备。", "疾控中心", "已完成"],
            ["2", "基层医务人员培训不足。", "制定年度培训计划，全年培训1200人次。", "基层科", "正在推进"]]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("二、下一步工作")
    document.add_paragraph("持续巩固整改成果。")
    path = tmp_path / "ledger.docx"
    document.save(path)
    report = load_report(path)
    assert [(i.title, i.status) for i in report.issues] == [
        ("疫苗冷链管理不规范，温度记录缺失", Status.COMPLETED), ("基层医务人员培训不足", Status.IN_PROGRESS)]
    # a row's progress cell is part of what was done
    assert report.issues[1].rectification == "制定年度培训计划，全年培训1200人次。\n正在推进"
    assert_every_character_in_a_record(report)


# --- one group under one part ------------------------------------------------------

_ONE_GROUP = ("中共青禾市中心医院委员会关于市委巡察整改情况的报告\n"
              "一、反馈问题整改情况\n"
              "（一）医院管理方面（共3条）\n"
              "第一条、绩效分配制度改革滞后。\n整改措施：制定绩效考核方案。\n整改进展：基本完成。方案已审议通过。\n"
              "第二条、合理用药监管不到位。\n整改措施：建立处方点评制度。\n整改进展：基本完成。点评覆盖全部科室。\n"
              "第三条、干部监督管理不严。\n整改措施：开展专项核查。\n整改进展：已完成。核查报告事项135份。\n")


@pytest.mark.parametrize("wrapper", ["一、反馈问题整改情况\n", "", "一、反馈问题整改情况\n二、具体整改情况\n"])
def test_a_part_holding_one_group_is_no_issue(wrapper):
    # 「一、…」 whose only child is the group 「（一）…（共3条）」 carries the text only through
    # it: the three 第N条 are the issues, however many wrappers stand above the group
    from ingest.parser import parse_report
    text = _ONE_GROUP.replace("一、反馈问题整改情况\n", wrapper)
    report = parse_report(text, "one-group.txt", "x")
    assert [i.label for i in report.issues] == ["第一", "第二", "第三"]
    assert [i.status for i in report.issues] == [Status.PARTIAL, Status.PARTIAL, Status.COMPLETED]


def test_an_issue_whose_text_sits_under_one_sub_heading_stays_one_issue():
    # the counter-example: 「1.…」 with its rectification under one 「（1）整改情况」 is one issue
    from ingest.parser import parse_report
    text = ("中共青禾县水利局党组关于巡察整改情况的报告\n一、反馈问题整改情况\n"
            "1.河道采砂监管不严。\n（1）整改情况\n整改措施：开展专项整治，查处非法采砂3起。【已完成】\n"
            "2.水利工程质量监督不到位。\n（1）整改情况\n整改措施：抽查在建工程12个。【正在推进】\n"
            "3.水资源费征收不足。\n（1）整改情况\n整改措施：追缴水资源费46万元。【已完成】\n")
    report = parse_report(text, "sub-heading.txt", "x")
    assert len(report.issues) == 3
    assert "河道采砂" in report.issues[0].title
