"""Layout strategies on small reports of other sectors, their counter-examples, and
metamorphic checks: renumbering, a label synonym or another institution name must not
change the issues or their statuses. Also: no text is lost on any report."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.loader import load_report, load_report_bytes
from ingest.models import RecordKind, Status, StatusSource
from ingest.parser import parse_report

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
DEV = ROOT.parent / "shared" / "corpus-dev"
DEV_REPORTS = sorted(p for p in DEV.glob("*") if p.suffix in {".txt", ".docx", ".pdf", ".html", ".xlsx"}) if DEV.exists() else []
SAMPLES = sorted((ROOT / "data" / "reports").glob("*.txt"))


def parse(text: str, name: str = "r.txt"):
    return parse_report(text, name, "0")


def statuses(report) -> list[str]:
    return [i.status.value for i in report.issues]


# --- each strategy on a report of its layout ----------------------------------------------

def test_school_report_with_status_tags_reads_each_tag():
    report = load_report(LAYOUTS / "school-tags.txt")
    assert report.layout == "heading_tree"
    assert statuses(report) == ["completed", "partial", "completed", "completed", "in_progress"]
    assert {i.status_source for i in report.issues} == {StatusSource.TAG}


def test_quoted_problem_heading_gives_the_problem_as_title():
    report = load_report(LAYOUTS / "school-tags.txt")
    assert report.issues[0].title == "课后服务质量不高"


def test_problem_describing_group_heading_with_still_needs_is_not_a_status():
    # 「基层党组织建设仍需加强方面」 names a group; its issues keep their own tags
    report = load_report(LAYOUTS / "school-tags.txt")
    in_group = [i for i in report.issues if "仍需" in i.group]
    assert [i.status.value for i in in_group] == ["completed", "completed", "in_progress"]


def test_numbered_next_steps_are_not_issues():
    report = load_report(LAYOUTS / "school-tags.txt")
    assert len(report.issues) == 5
    assert not any("回头看" in i.text for i in report.issues)


def test_unnumbered_field_blocks_are_issues_with_their_field_status():
    report = load_report(LAYOUTS / "soe-fields.txt")
    assert report.layout == "field_blocks"
    assert statuses(report) == ["completed", "completed", "in_progress"]
    assert all(i.status_source is StatusSource.FIELD for i in report.issues)
    assert report.issues[2].title.startswith("闲置资产盘活不力")


def test_field_blocks_do_not_join_an_organisation_section_as_their_group():
    report = load_report(LAYOUTS / "soe-fields.txt")
    assert {i.group for i in report.issues} == {""}


def test_ledger_rows_are_issues_and_total_and_note_rows_are_not():
    report = load_report(LAYOUTS / "bureau-ledger.txt")
    assert report.layout == "ledger"
    assert statuses(report) == ["completed", "partial", "in_progress"]
    assert all(i.status_source is StatusSource.COLUMN for i in report.issues)
    assert not any("合计" in i.text or "说明" in i.text for i in report.issues)


def test_ledger_total_row_gives_stated_totals():
    report = load_report(LAYOUTS / "bureau-ledger.txt")
    assert report.totals == {"problems": 3, "completed": 1, "partial": 1, "in_progress": 1}


def test_prose_areas_are_the_issues_of_a_prose_report():
    report = load_report(LAYOUTS / "street-prose.txt")
    assert report.layout == "prose_areas"
    assert [i.label for i in report.issues] == ["（一）", "（二）"]
    assert all(i.status is Status.UNKNOWN for i in report.issues)
    assert report.issues[0].rectification.startswith("一是")


def test_enumerated_organisation_paragraphs_are_not_prose_areas():
    report = load_report(LAYOUTS / "street-prose.txt")
    assert not any("提高政治站位" in i.text for i in report.issues)


def test_measures_counted_in_xiang_are_not_problems():
    # 「制定整改措施24条……已完成20项，其余4项需长期推进」: 20 and 4 count measures
    report = load_report(LAYOUTS / "street-prose.txt")
    assert report.totals["measures_completed"] == 20 and report.totals["measures_open"] == 4
    assert "completed" not in report.totals


def test_prose_report_warns_that_areas_are_not_the_stated_problems():
    report = load_report(LAYOUTS / "street-prose.txt")
    assert "解析出2个方面，报告自述9个问题" in report.warnings


def test_totals_sentence_numbered_like_an_item_is_not_an_item():
    text = ("某区统计局关于巡察整改情况的报告\n1.共反馈问题2个，已整改完成2个。\n"
            "2.关于“统计数据审核不严”的问题\n整改情况：建立复核制度。【已完成】\n"
            "3.关于“档案管理不规范”的问题\n整改情况：开展档案整理。【已完成】\n")
    report = parse(text)
    assert [i.title for i in report.issues] == ["统计数据审核不严", "档案管理不规范"]
    assert report.totals == {"problems": 2, "completed": 2}


def test_totals_never_become_an_issue_status():
    text = ("某区统计局关于巡察整改情况的报告\n截至目前，共计2个问题已整改完成。\n"
            "1.关于“统计数据审核不严”的问题\n整改情况：建立复核制度。\n"
            "2.关于“档案管理不规范”的问题\n整改情况：开展档案整理。\n")
    assert statuses(parse(text)) == ["unknown", "unknown"]


def test_status_section_lines_sort_issues_of_a_group():
    text = ("某乡关于巡察整改情况的报告\n（一）关于财务管理方面\n已整改完成的问题：\n"
            "1.白条入账。\n整改情况：全面清理。\n正在整改的问题：\n2.债务化解缓慢。\n整改情况：制定化解计划。\n")
    report = parse(text)
    assert statuses(report) == ["completed", "in_progress"]
    assert {i.group for i in report.issues} == {"关于财务管理方面"}
    assert all(i.status_source is StatusSource.SECTION for i in report.issues)


def test_negated_completion_is_not_completed():
    text = ("某县关于整改情况的报告\n1.问题：资金未拨付。\n整改措施：督促拨付。\n完成情况：未完成。\n"
            "2.问题：台账缺失。\n整改措施：补建台账。\n完成情况：已完成。\n")
    assert statuses(parse(text)) == ["in_progress", "completed"]


def test_prose_status_needs_a_cue_and_a_closing_status_word():
    text = ("某县关于整改情况的报告\n1.问题：资金未拨付。\n整改情况：目前已完成全部38家单位的排查，正在追缴资金。\n"
            "2.问题：台账缺失。\n整改情况：补建台账，该问题已整改到位。\n")
    assert statuses(parse(text)) == ["unknown", "completed"]


# --- metamorphic: the same report written differently parses the same -------------------

def _signature(report):
    return [(i.status.value, re.sub(r"\s", "", i.problem)[:12]) for i in report.issues]


RENUMBERINGS = [
    (re.compile(r"(?m)^(\d{1,2})\."), r"\1、"),
    (re.compile(r"(?m)^(\d{1,2})\."), r"（\1）"),
]


@pytest.mark.parametrize("pattern,replacement", RENUMBERINGS)
@pytest.mark.parametrize("name", ["school-tags.txt"])
def test_renumbering_issues_keeps_issues_and_statuses(name, pattern, replacement):
    text = (LAYOUTS / name).read_text(encoding="utf-8")
    assert _signature(parse(pattern.sub(replacement, text))) == _signature(parse(text))


@pytest.mark.parametrize("old,new", [("整改措施", "整改举措"), ("整改情况", "整改落实情况"), ("完成情况", "整改进展")])
@pytest.mark.parametrize("name", ["school-tags.txt", "soe-fields.txt"])
def test_swapping_a_label_synonym_keeps_issues_and_statuses(name, old, new):
    text = (LAYOUTS / name).read_text(encoding="utf-8")
    if old not in text:
        pytest.skip(f"{name} has no {old}")
    assert _signature(parse(text.replace(old, new))) == _signature(parse(text))


@pytest.mark.parametrize("old,new", [("青禾市第一中学", "滨江县实验小学"), ("青禾市交通投资集团有限公司", "滨江县水务集团有限公司")])
def test_renaming_the_institution_keeps_issues_and_statuses(old, new):
    for path in LAYOUTS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        if old in text:
            assert _signature(parse(text.replace(old, new))) == _signature(parse(text))


DEV_TEXT = {p.name: p for p in DEV_REPORTS if p.suffix == ".txt"}


@pytest.mark.skipif(not DEV_TEXT, reason="../shared/corpus-dev is not beside this checkout")
@pytest.mark.parametrize("old,new", [("整改情况：", "整改举措："), ("完成情况：", "整改进展："), ("．", "、")])
def test_development_reports_survive_a_label_swap(old, new):
    for name, path in DEV_TEXT.items():
        report = load_report(path)
        text = report.body
        if old in text:
            assert _signature(parse(text.replace(old, new), name)) == _signature(report), name


@pytest.mark.skipif(not DEV_TEXT, reason="../shared/corpus-dev is not beside this checkout")
def test_development_reports_survive_renaming_their_issuer():
    for name, path in DEV_TEXT.items():
        report = load_report(path)
        core = re.sub(r"^(?:中共)|(?:党组|委员会)$", "", report.issuer)
        if len(core) >= 4:
            renamed = parse(report.body.replace(core, "滨江县某某单位"), name)
            assert _signature(renamed) == _signature(report), name


# --- no text lost, on every report ---------------------------------------------------------

def _uncovered(report) -> str:
    covered = [False] * len(report.body)
    for record in report.records:
        assert report.body[record.start:record.end] == record.text
        for i in range(record.start, record.end):
            covered[i] = True
    return "".join(ch for i, ch in enumerate(report.body) if not covered[i] and not ch.isspace())


@pytest.mark.parametrize("path", SAMPLES + DEV_REPORTS + sorted(LAYOUTS.glob("*")), ids=lambda p: p.name)
def test_every_character_of_every_report_lands_in_one_record(path):
    report = load_report(path)
    assert _uncovered(report) == ""
    spans = sorted((r.start, r.end) for r in report.records)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_a_title_wrapped_over_two_lines_is_kept_whole():
    text = "中共青禾市第一中学委员会关于巡察整改情况\n的报告\n\n一、整改工作组织情况\n成立领导小组。\n"
    assert parse(text).title == "中共青禾市第一中学委员会关于巡察整改情况的报告"


def test_a_one_line_title_does_not_swallow_the_next_line():
    text = "中共青禾市第一中学委员会关于巡察整改情况的报告\n（2025年3月31日）\n一、整改工作组织情况\n成立领导小组。\n"
    assert parse(text).title == "中共青禾市第一中学委员会关于巡察整改情况的报告"


@pytest.mark.parametrize("issuer,expected", [
    ("中共青禾市第一中学委员会", {"一中", "青禾一中", "第一中学", "青禾市第一中学"}),
    ("中共滨江县第二人民医院委员会", {"二院", "县二院", "滨江二院", "第二人民医院"}),
    ("青禾市交通投资集团有限公司党委", {"交投", "青禾交投", "交通投资集团"}),
    ("滨江县民政局党组", {"民政局", "县民政局", "滨江民政局"}),
    ("中共东湖街道工作委员会", {"东湖街道", "东湖"}),
    # one long form with two customary short forms (市场监管局, 市监局): both are names
    ("滨江县市场监督管理局", {"市场监管局", "市监局", "滨江市监局", "县市监局", "滨江县市场监督管理局"}),
    ("滨江县生态环境局", {"生态环境局", "环保局", "生态局", "滨江生态局"}),
])
def test_body_names_are_derived_for_every_sector(issuer, expected):
    from ingest.lexicon import load_lexicon
    from ingest.names import body_names

    names = body_names("", issuer, load_lexicon())
    assert expected <= set(names.aliases)
    assert not any(n.startswith(("中共", "中国共产党")) or n.endswith(("委员会", "党组")) for n in names.aliases)


def test_a_district_body_is_not_named_after_its_city():
    from ingest.lexicon import load_lexicon
    from ingest.names import body_names

    names = body_names("", "泓州市鹭洲区市场监督管理局", load_lexicon())
    assert "鹭洲区市场监管局" in names.aliases and "泓州市市场监管局" not in names.aliases
    assert names.places == ["泓州市", "泓州", "鹭洲区", "鹭洲"] and names.level == "区"


def test_an_inspection_team_is_not_the_body_of_a_report():
    from ingest.lexicon import load_lexicon
    from ingest.names import body_names

    assert body_names("县委巡察组关于专项巡察整改情况报告", "县委巡察组", load_lexicon()).aliases == []


# --- labelled parts of an issue ---------------------------------------------------------------

def _field(report, issue, part):
    start, end = issue.fields[part]
    return report.body[start:end]


def test_field_block_parts_are_kept_as_spans_of_the_body():
    report = load_report(LAYOUTS / "soe-fields.txt")
    assert [_field(report, i, "responsible") for i in report.issues] == ["工程管理部", "综合办公室", "资产经营部"]
    assert "deadline" not in report.issues[0].fields


def test_ledger_columns_give_each_row_its_deadline_and_responsible_unit():
    report = load_report(LAYOUTS / "bureau-ledger.txt")
    assert [_field(report, i, "deadline") for i in report.issues] == ["2025年6月30日", "2025年6月30日", "2025年12月31日"]
    assert _field(report, report.issues[2], "responsible") == "监察大队"


def test_an_empty_ledger_cell_continues_the_merged_cell_above():
    text = ("某县水务局整改台账\n序号\t存在问题\t整改措施\t完成时限\t完成情况\n"
            "1\t水费征收不及时\t清理欠费\t2025年6月底前\t已完成\n"
            "2\t工程验收不规范\t修订验收办法\t\t正在整改\n")
    report = parse(text)
    assert [_field(report, i, "deadline") for i in report.issues] == ["2025年6月底前", "2025年6月底前"]


def test_a_report_naming_only_its_inspection_team_is_named_by_how_it_calls_itself():
    from ingest.lexicon import load_lexicon
    from ingest.names import self_named

    lexicon = load_lexicon()
    education = ("我局党组高度重视巡察反馈意见整改。全市教育系统开展专项整治，市教育系统各学校建立台账。"
                 "我局将持续推进。建成学籍信息系统。")
    names = self_named(education, "市", lexicon)
    assert {"教育局", "市教育局"} <= set(names.aliases)
    health = "我委党委召开专题会议。全县卫健系统开展警示教育，县卫健系统紧缺人才招聘。"
    assert {"卫健委", "县卫健委", "卫生健康委员会"} <= set(self_named(health, "县", lexicon).aliases)
    # counter-examples: a system that is no sector (信息系统), or no 我X, names nothing
    assert self_named("建成区域审方信息系统，接入监控系统。我局推进整改。", "县", lexicon).aliases == []
    assert self_named("全县卫健系统开展警示教育。", "县", lexicon).aliases == []


def test_a_self_named_report_is_scoped_by_that_name_and_a_named_issuer_keeps_its_own():
    text = ("县委巡察组关于教育领域专项巡察整改情况报告\n"
            "一、整改工作组织情况\n我局党组高度重视，全县教育系统迅速部署。\n"
            "二、问题整改情况\n（一）已整改完成的问题\n1.关于“课后服务收费不规范”的问题。整改落实情况：清退费用12万元。\n")
    report = parse(text)
    assert "县教育局" in report.aliases and "教育局" in report.aliases
    named = parse("中共青禾市第一中学委员会关于巡察整改情况的报告\n一、整改情况\n我局……全市教育系统……\n")
    assert "教育局" not in named.aliases and "一中" in named.aliases
