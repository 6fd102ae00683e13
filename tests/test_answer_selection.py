"""Questions that pick among reports or among a status's labels, on a store of three small
reports of different sectors: 「哪家单位…」 names the report that says it, 「各…多少钱」 gives
every report's figure, 「标着“…”的」 lists the items the report labels so. Each with its
counter-example."""
from __future__ import annotations

import pytest

from assistant.understanding import understand

pytestmark = pytest.mark.slow

HOSPITAL = ("中共青禾市第一人民医院委员会关于巡察整改情况的报告\n"
            "一、整改工作组织情况\n"
            "成立巡察整改工作领导小组，由党委书记、院长任双组长，其他院领导为成员。\n"
            "二、反馈问题整改落实情况\n"
            "1.关于“公务用车管理不规范”的问题\n"
            "整改情况：对公车私用责任人进行诫勉谈话，追缴相关费用0.72万元。【已完成】\n"
            "2.关于“药品耗材采购不规范”的问题\n"
            "整改情况：修订采购管理办法。【已达到序时进度】\n"
            "3.关于“医疗废物分类不清”的问题\n"
            "整改情况：配置分类垃圾桶。【正在推进】\n"
            "4.关于“绩效分配不合理”的问题\n"
            "整改情况：修订绩效分配方案。【已达到序时进度】\n")
BUREAU = ("中共青禾县教育局党组关于巡察整改情况的报告\n"
          "一、整改工作组织情况\n"
          "成立巡察整改工作领导小组，由局党组书记、局长任组长，分管副局长任副组长。\n"
          "二、反馈问题整改落实情况\n"
          "1.关于“公务用车节假日私用”的问题\n"
          "整改情况：责令追缴相关费用0.86万元，对2名驾驶员进行诫勉谈话。【已完成】\n"
          "2.关于“课后服务收费不规范”的问题\n"
          "整改情况：清退违规收费。【正在推进】\n")
TOWN = ("中共青禾县柳溪镇委员会关于巡察整改情况的报告\n"
        "一、整改工作组织情况\n"
        "成立巡察整改工作领导小组，由镇党委书记任组长，镇长任常务副组长。\n"
        "二、反馈问题整改落实情况\n"
        "1.关于“村级财务管理不规范”的问题\n"
        "整改情况：规范村级财务审批，追回资金1.2万元。【已完成】\n")


@pytest.fixture(scope="module")
def three_bot(tmp_path_factory):
    from assistant.assistant import Assistant
    from assistant.config import Config
    from index.build import build_index

    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in (("hospital.txt", HOSPITAL), ("bureau.txt", BUREAU), ("town.txt", TOWN)):
        (corpus / name).write_text(text, encoding="utf-8")
    store = tmp_path_factory.mktemp("store")
    assert build_index(corpus, store, progress=False).reports == 3
    return Assistant.load(store, Config())


def _sources(answer) -> set[str]:
    return {c.source for c in answer.citations if not c.related_only}


def test_a_question_picking_a_body_names_the_report_that_says_it(three_bot):
    answer = three_bot.ask("哪家单位的整改领导小组是书记和院长当双组长？")
    assert answer.answered and "双组长" in answer.answer
    assert _sources(answer) == {"hospital.txt"}       # not every report with a 领导小组


def test_a_question_ranking_the_bodies_shows_each_of_them(three_bot):
    # counter-example: 「哪家多」 asks for the figures to be compared, not for one report
    answer = three_bot.ask("青禾市第一人民医院和青禾县教育局各自追缴了多少费用？哪家多？")
    assert "0.72" in answer.answer and "0.86" in answer.answer
    assert _sources(answer) == {"hospital.txt", "bureau.txt"}


def test_a_figure_asked_of_two_bodies_is_each_ones_figure_not_a_count_of_issues(three_bot):
    answer = three_bot.ask("一院和教育局都查出公车私用，两家各追缴了多少费用？")
    assert "0.72" in answer.answer and "0.86" in answer.answer
    assert "问题共" not in answer.answer              # not the number of issues of each


def test_a_status_label_quoted_from_the_report_lists_only_the_items_labelled_so(three_bot):
    answer = three_bot.ask("一院标着“已达到序时进度”的是哪几个？")
    assert "药品耗材采购" in answer.answer and "绩效分配" in answer.answer
    assert "医疗废物" not in answer.answer            # 正在推进: the same status, another label
    # counter-example: the status asked in general words keeps both labels
    general = three_bot.ask("一院还有哪些问题在整改？")
    assert all(t in general.answer for t in ("药品耗材采购", "绩效分配", "医疗废物"))


def test_a_quoted_status_is_a_filter_not_a_topic():
    query = understand("标着“已达到序时进度”的是哪几个？")
    assert query.quoted == [] and query.status_literal == "已达到序时进度"
    assert understand("还有哪些在整改？").status_literal == ""
    # counter-example: a quoted problem stays the topic
    assert understand("“课后服务”那个问题改完了吗").quoted == ["课后服务"]


def test_the_part_asked_for_is_not_the_topic_of_the_issue():
    # 「时限定到」 is cut 时/限定 by jieba: the field words go before the topic is cut
    topic = understand("城投集团化解债务风险那一条，整改时限定到什么时候？").topic_terms
    assert "限定" not in topic and "时限" not in topic and "债务" in topic
    assert "责任" not in understand("公车私用那个问题责任单位是哪个？").topic_terms


def test_a_near_miss_lacks_the_most_specific_word_of_the_question(three_bot):
    from assistant.evidence import rarest_held

    retriever = three_bot.retriever
    index = next(i for i, ref in enumerate(retriever.index.sentences)
                 if "0.72万元" in retriever.sentence_body(i))
    best = next(s for s in retriever.sentences(["追缴", "费用"], "追缴费用", three_bot.embed_query("追缴费用"),
                                               set(retriever.index.reports), None, limit=50) if s.index == index)
    assert rarest_held(retriever, best, ["追缴", "费用"]) == 1.0
    # the common words are there, the specific one (asked, never written here) is not
    assert rarest_held(retriever, best, ["追缴", "费用", "资产负债率"]) == 0.0
    assert rarest_held(retriever, None, ["追缴"]) == 0.0


def test_a_list_across_the_store_names_only_the_reports_that_have_items(three_bot):
    answer = three_bot.ask("这批报告里，哪些单位的问题涉及公务用车？")
    assert "青禾市第一人民医院" in answer.answer and "青禾县教育局" in answer.answer
    assert "柳溪镇" not in answer.answer and "其余1份报告中没有找到" in answer.answer
    assert "这批" not in answer.answer                  # a demonstrative is no topic
    # counter-example: a report the question names is answered for, even with nothing
    named = three_bot.ask("一院和柳溪镇涉及公务用车的问题有哪些？")
    assert "柳溪镇" in named.answer and "没有找到" in named.answer


# The same labels, counted apart by the report itself (「已达到序时进度2个，正在推进1个」).
COUNTED = ("中共青禾市生态环境局党组关于督察整改情况的报告\n"
           "一、总体情况\n"
           "督察反馈的4个问题中，已完成整改1个，已达到序时进度2个，正在推进1个。\n"
           "二、反馈问题整改落实情况\n"
           "1.关于“扬尘污染管控不力”的问题\n整改情况：建立工地扬尘台账。【已达到序时进度】\n"
           "2.关于“黑臭水体治理滞后”的问题\n整改情况：实施截污控源。【正在推进】\n"
           "3.关于“入河排污口底数不清”的问题\n整改情况：完成排查。【已达到序时进度】\n"
           "4.关于“危废转移联单不全”的问题\n整改情况：补齐联单。【已完成】\n")


@pytest.fixture(scope="module")
def counted_bot(tmp_path_factory):
    from conftest import assistant_over

    return assistant_over(tmp_path_factory, {"ecology.txt": COUNTED})


def test_a_label_the_report_counts_apart_lists_only_its_items(counted_bot):
    answer = counted_bot.ask("生态环境局已达到序时进度的是哪几个？")
    assert "扬尘" in answer.answer and "入河排污口" in answer.answer
    assert "黑臭水体" not in answer.answer


def test_two_labels_asked_together_list_the_items_of_both(counted_bot):
    # counter-example: both labels named, so neither alone filters
    answer = counted_bot.ask("生态环境局哪些尚未完成整改（包括已达到序时进度和正在推进的）？")
    assert all(t in answer.answer for t in ("扬尘", "入河排污口", "黑臭水体"))
    assert "危废" not in answer.answer


TITLED = ("青禾市生态环境局关于督察反馈问题整改落实情况的报告\n"
          "青禾市生态环境局督察反馈问题整改落实情况表\n"
          "一、总体情况\n"
          "2023年11月，省第一生态环境保护督察组对青禾市开展了生态环境保护例行督察。\n"
          "二、反馈问题整改落实情况\n"
          "1.关于“扬尘污染管控不力”的问题\n整改情况：建立工地扬尘台账。【已完成】\n")


def test_a_title_or_caption_line_is_no_answer_when_a_sentence_is(tmp_path_factory):
    from conftest import assistant_over
    from assistant.handlers.fact import _a_bare_line

    bot = assistant_over(tmp_path_factory, {"ecology.txt": TITLED})
    answer = bot.ask("青禾这轮生态环境保护督察是哪个督察组来的？")
    assert answer.answered and "省第一生态环境保护督察组" in answer.answer
    assert "整改落实情况表" not in answer.citations[0].text
    retriever = bot.retriever
    bare = [i for i in range(len(retriever.index.sentences)) if _a_bare_line(retriever, i)]
    texts = [retriever.sentence_body(i) for i in bare]
    assert "青禾市生态环境局督察反馈问题整改落实情况表" in texts
    # counter-examples: a sentence with a figure, and an issue's own heading, are no bare lines
    assert not any("2023年11月" in t or "扬尘污染" in t for t in texts)
