"""Status citations quote the place the report states the status, in every layout."""
from __future__ import annotations

from assistant.citations import cite_status
from ingest.models import Status
from ingest.parser import parse_report

FIELD_BLOCKS = (
    "中共青川县交通运输局党组关于巡察整改情况的报告\n"
    "截至2024年12月20日，3个问题中已完成整改2个，需长期坚持1个。\n"
    "1、问题：道路养护资金拨付滞后。\n整改措施：建立资金拨付台账。\n责任单位：财务股\n"
    "完成情况：已完成。已拨付养护资金320万元。\n"
    "2、问题：安全生产检查不到位。\n整改措施：开展专项检查。\n责任单位：安监股\n"
    "完成情况：已完成。检查企业46家。\n"
    "3、问题：专业技术人才短缺。\n整改措施：引进专业人才。\n责任单位：人事股\n"
    "完成情况：长期坚持。2024年引进专业技术人才12名。此项工作将长期坚持。\n"
)
STATUS_TAGS = (
    "中共青川县文旅局党组关于巡察整改进展情况的通报\n"
    "截至2024年10月20日，反馈的2个问题，已完成整改1个，持续推进1个。\n"
    "1．关于“文物保护经费使用不规范”的问题\n整改情况：已完成经费清理。【已完成】\n"
    "2．关于“乡村文化站建设滞后”的问题\n"
    "整改情况：新建文化站5个，按照持续推进的要求，其余3个正在建设。此项工作需持续推进。【持续推进】\n"
)


def _issue(text: str, status: Status):
    report = parse_report(text, "r.txt", "0")
    return report, next(r for r in report.records if r.status is status)


def test_a_field_status_is_quoted_from_its_label_not_from_a_later_sentence_repeating_it():
    report, issue = _issue(FIELD_BLOCKS, Status.LONG_TERM)
    text = cite_status(report, issue).text
    assert text.startswith("完成情况：长期坚持。")
    assert "引进专业技术人才12名" in text
    assert "此项工作将长期坚持" not in text


def test_a_status_tag_is_quoted_where_it_closes_the_issue():
    # counter-example: a tag is the last mention; the words earlier in the prose are no status
    report, issue = _issue(STATUS_TAGS, Status.IN_PROGRESS)
    text = cite_status(report, issue).text
    assert text.endswith("【持续推进】")
    assert "按照持续推进的要求" not in text
    assert report.body[report.body.find(text):].startswith(text)    # verbatim
