"""`rectify eval` on another corpus and another set in the shared format, end to end."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from assistant.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "other-layout-city-health.md"

QUESTIONS = [
    {"id": "weighing-devices", "question": "智能称重设备配置了多少台？", "kind": "number",
     "must_include": ["132"], "evidence": ["配置智能称重设备132台"]},
    {"id": "still-open", "question": "哪些问题还在整改？", "kind": "list",
     "list_items": [["家庭医生签约"], ["干部队伍建设"]],
     "must_not_include": ["医疗废物处置台账不规范"]},
    {"id": "absent-hospital", "question": "北京协和医院的整改情况怎么样？", "kind": "none"},
]


def test_eval_runs_on_another_corpus_and_scores_it(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURE, corpus / FIXTURE.name)
    dataset = tmp_path / "city.jsonl"
    dataset.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    out = tmp_path / "out"

    code = main(["eval", str(dataset), "--corpus", str(corpus), "--store", str(tmp_path / "store"),
                 "--out", str(out), "--config", "bm25", "rectify"])

    assert code == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rectify = next(s for s in results["systems"] if s["name"] == "rectify")
    assert rectify["metrics"]["overall"]["answer_accuracy"] == 1.0
    assert (out / "report.md").exists() and (out / "comparison.png").exists()


def test_a_setting_overridden_for_a_sweep_is_typed_and_an_unknown_one_refused():
    from assistant.config import Config
    from eval.cli_eval import with_overrides

    config = with_overrides(Config(), ["answer.part_share=0.67", "answer.mention_max_sentences=4"])
    assert config.answer.part_share == 0.67 and config.answer.mention_max_sentences == 4
    assert Config().answer.part_share != 0.67          # the default is untouched
    for wrong in ("answer.no_such_setting=1", "nosection.part_share=1", "answer.part_share="):
        try:
            with_overrides(Config(), [wrong])
        except ValueError as exc:
            assert "未知的设置" in str(exc)
        else:
            raise AssertionError(f"{wrong} was accepted")


def test_eval_with_an_unknown_setting_exits_with_a_message(tmp_path, capsys):
    dataset = tmp_path / "one.jsonl"
    dataset.write_text(json.dumps(QUESTIONS[0], ensure_ascii=False), encoding="utf-8")
    code = main(["eval", str(dataset), "--store", str(tmp_path / "none"), "--set", "answer.nothing=1"])
    assert code == 2
    assert "设置有误" in capsys.readouterr().err
