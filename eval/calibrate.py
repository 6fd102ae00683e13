"""`rectify calibrate`: fit the answer/refuse decision on labelled questions.

Every question of the sets' tuning halves is asked; the features of its best evidence
and whether it is answerable (kind != none) fit the logistic regression of
assistant.answerability. The weights are written for the store's embedding model and the
decision is reported on the test halves, which the fit never saw.
"""
from __future__ import annotations

import sys

from assistant.config import Config

_PROVISIONAL = dict(weights={"dense": 3.0, "coverage": 3.0, "context": 1.0, "absent": -4.0, "has_unit": 0.5},
                    bias=-4.0, threshold=0.5)


def add_calibrate_command(commands, config: Config) -> None:
    cal = commands.add_parser(
        "calibrate", help="用评测集校准“回答/拒答”判定（逻辑回归）",
        description="在评测集的调参半上拟合回答/拒答判定，写入当前嵌入模型的校准文件，并在测试半上报告。",
    )
    cal.add_argument("datasets", nargs="+", metavar="DATASET", help="评测集（JSON Lines）")
    cal.add_argument("--store", default=config.store, help=f"索引目录（默认 {config.store}）")
    cal.add_argument("--out", default=None, help="校准文件路径（默认 assistant/calibration/<模型>.json）")
    cal.set_defaults(handler=run_calibrate_command)


def run_calibrate_command(args) -> int:
    from pathlib import Path

    from assistant.answerability import AnswerabilityModel, calibration_path, fit
    from assistant.assistant import Assistant
    from eval.dataset import load_eval_set
    from eval.split import select_split

    items = [i for path in args.datasets for i in load_eval_set(path)]
    bot = Assistant.load(args.store, args.config)
    bot.answerability = AnswerabilityModel(model_id=bot.embedder.model_id, **_PROVISIONAL)
    halves = {half: _features(bot, select_split(items, half)) for half in ("tune", "test")}
    evidence, labels = halves["tune"]
    model = fit(evidence, labels, bot.embedder.model_id,
                {"sets": [Path(p).name for p in args.datasets], "split": "tune"})
    test_evidence, test_labels = halves["test"]
    if test_labels:
        model.fitted_on["test_accuracy"] = sum(model.answerable(e) == y for e, y in zip(test_evidence, test_labels)) / len(test_labels)
        model.fitted_on["test_questions"] = len(test_labels)
    path = Path(args.out) if args.out else calibration_path(bot.embedder.model_id)
    model.save(path)
    print(f"已写入 {path}：调参半 {model.fitted_on['questions']} 题，判定准确率 {model.fitted_on['accuracy']:.3f}；"
          f"测试半 {model.fitted_on.get('test_questions', 0)} 题，判定准确率 {model.fitted_on.get('test_accuracy', 0):.3f}；"
          f"阈值 {model.threshold:.3f}")
    return 0


def _features(bot, items):
    """(evidence, answerable) of the questions whose answer was decided on evidence."""
    from eval.systems import _history

    evidence, labels = [], []
    for item in items:
        try:
            answer = bot.ask(item.question, history=_history(item), report=item.report)
        except Exception as exc:   # one broken question must not stop a calibration
            print(f"跳过 {item.id}：{exc}", file=sys.stderr)
            continue
        if answer.evidence is not None:
            evidence.append(answer.evidence)
            labels.append(item.kind != "none")
    return evidence, labels
