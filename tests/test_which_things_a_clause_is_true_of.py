"""「哪些违规发的钱清退以后上交了财政专户」: which things a clause is true of. Every sentence
stating the clause about as fully as the best is quoted, though one of them leaves out a
common word of the question (违规); a sentence stating something else of the same money
(退还本人) is not."""
from __future__ import annotations

import pytest

from conftest import assistant_over

pytestmark = pytest.mark.slow

FIELDS = ("中共青禾县人民医院委员会关于巡察整改进展情况的通报\n"
          "一、巡察反馈问题整改情况\n"
          "问题1：违规发放评审劳务费，向本单位评审人员发放劳务费。\n"
          "整改措施：一是清退违规发放的评审劳务费并上交指定财政专户。二是修订评审管理办法。\n"
          "整改进展：已完成。\n"
          "问题2：违规发放授课费，向本单位职工发放授课费。\n"
          "整改措施：一是清退两个培训班发放的职工授课费并上交指定财政专户。二是规范培训费管理。\n"
          "整改进展：已完成。\n"
          "问题3：体检费用报销不规范，超标准报销职工体检费用。\n"
          "整改措施：一是超标准部分由个人退还本人账户以外的医院账户。二是修订体检管理规定。\n"
          "整改进展：已完成。\n")
PROSE = ("中共白溪县中医医院委员会关于巡察整改情况的报告\n"
         "一、巡察反馈问题整改落实情况\n"
         "（一）关于“违规发放评审劳务费”的问题\n"
         "整改情况：清退违规发放的评审劳务费并上交指定财政专户，修订评审管理办法。【已完成】\n"
         "（二）关于“违规发放授课费”的问题\n"
         "整改情况：清退两个培训班发放的职工授课费并上交指定财政专户，规范培训费管理。【已完成】\n"
         "（三）关于“体检费用报销不规范”的问题\n"
         "整改情况：超标准部分由个人退还本人账户以外的医院账户，修订体检管理规定。【已完成】\n")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return assistant_over(tmp_path_factory, {"qinghe.txt": FIELDS, "baixi.txt": PROSE})


@pytest.mark.parametrize("place", ["青禾县人民医院", "白溪县中医医院"])
@pytest.mark.parametrize("question", ["{}哪些违规发的钱清退以后上交了财政专户？",
                                      "{}清退后交到财政专户的违规款有哪几笔？"])
def test_every_sentence_stating_the_clause_is_quoted(bot, place, question):
    answer = bot.ask(question.format(place))
    assert answer.answered
    assert "评审劳务费" in answer.answer and "授课费" in answer.answer
    assert "体检" not in answer.answer          # counter-example: that money went elsewhere
    assert len(answer.citations) == 2
