"""One answer-or-refuse decision: a calibrated probability that the reports answer the
question, from features of the best evidence found for it.

The weights are a logistic regression fitted on labelled questions (answerable vs `none`)
of the tuning halves of the evaluation sets (`rectify calibrate`), saved with the
embedding model they belong to: cosines of another model mean something else, so another
model is recalibrated with the same command.
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

CALIBRATION_DIR = Path(__file__).with_name("calibration")

# The features, in the order of the weights.
FEATURES = ("dense", "coverage", "context", "absent", "has_unit", "wants_figure", "scope_named",
            "terms", "issue_stage", "figure_clause", "rarest")


# The direction each feature must push the decision, where it is known: more of the
# question found must never make an answer less likely. A fitted weight against its
# direction learns how an evaluation set was written (its `none` questions reuse report
# words), not how reports answer questions, so that feature is dropped and the rest refit.
FEATURE_SIGNS = {"dense": 1, "coverage": 1, "context": 1, "absent": -1, "has_unit": 1, "figure_clause": 1,
                 "rarest": 1}

# Features kept out of the fit: whether a labelled question names its report is how its
# set was written (nearly every answerable item comes with a report selected), so a weight
# on it would refuse users who ask the whole store the same question.
NOT_FITTED = ("scope_named",)


@dataclass(frozen=True)
class Evidence:
    """Features of the best evidence for one question (all in [0, 1] but `terms`)."""

    dense: float = 0.0          # cosine of the best passage to the question
    coverage: float = 0.0       # IDF-weighted share of question terms in the passage
    context: float = 0.0        # … in the passage's whole record
    absent: float = 0.0         # share of question terms found nowhere in the reports in scope
    has_unit: float = 0.0       # the passage holds the kind of figure asked for
    wants_figure: float = 0.0   # the question asks for a figure, date, name …
    scope_named: float = 0.0    # the question (or selector) named the report
    terms: float = 0.0          # log(1 + number of question terms)
    issue_stage: float = 0.0    # the evidence is an issue matched by its problem (how/status)
    figure_clause: float = 0.0  # share of question terms in the clause holding the figure asked for
    rarest: float = 0.0         # the question's most specific term (highest IDF) is in the passage's record

    def vector(self) -> list[float]:
        return [float(getattr(self, f)) for f in FEATURES]


@dataclass
class AnswerabilityModel:
    """Logistic regression weights, the decision threshold and what they were fitted on."""

    weights: dict[str, float]
    bias: float
    threshold: float
    model_id: str
    fitted_on: dict = field(default_factory=dict)   # sets, split, counts, accuracy

    def probability(self, evidence: Evidence) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) * v for f, v in zip(FEATURES, evidence.vector()))
        return 1.0 / (1.0 + math.exp(-z))

    def answerable(self, evidence: Evidence) -> bool:
        return self.probability(evidence) >= self.threshold

    # --- persistence ------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "AnswerabilityModel":
        return cls(**json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def for_model(cls, model_id: str, folder: Path = CALIBRATION_DIR) -> "AnswerabilityModel":
        """The calibration of `model_id`; another model's, with a warning, when it has none."""
        path = calibration_path(model_id, folder)
        if path.exists():
            return cls.load(path)
        fallback = sorted(folder.glob("*.json"))
        if not fallback:
            raise FileNotFoundError(f"没有回答判定的校准文件：{path}（请运行 rectify calibrate）")
        logger.warning("no answerability calibration for %s; using %s until `rectify calibrate` is run",
                       model_id, fallback[0].name)
        return cls.load(fallback[0])


def calibration_path(model_id: str, folder: Path = CALIBRATION_DIR) -> Path:
    slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)[-80:]
    return folder / f"{slug}.json"


def _balanced_accuracy(probabilities: list[float], answerable: list[bool], threshold: float) -> float:
    """Mean of the share of answerable questions answered and of `none` ones refused: both
    are targets, and the sets hold more of the first, which plain accuracy would favour."""
    yes = [p >= threshold for p, y in zip(probabilities, answerable) if y]
    no = [p < threshold for p, y in zip(probabilities, answerable) if not y]
    return (sum(yes) / max(len(yes), 1) + sum(no) / max(len(no), 1)) / 2


def fit(evidence: list[Evidence], answerable: list[bool], model_id: str, fitted_on: dict) -> AnswerabilityModel:
    """Fit the regression and pick the threshold with the best balanced accuracy on the
    same questions (ties: the lowest, as a refusal of an answerable question costs a user
    more than a hedged answer), set in the middle of the gap below it."""
    from sklearn.linear_model import LogisticRegression

    if len(set(answerable)) < 2:
        raise ValueError("校准需要既有可回答、也有不可回答（none）的问题")
    import numpy as np

    X = np.array([e.vector() for e in evidence])
    # standardised so the penalty treats features alike (cosines vary by hundredths, shares
    # by tenths); the scaling is folded back into the weights, so using them needs no scaler
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1.0
    used = [i for i, f in enumerate(FEATURES) if f not in NOT_FITTED]
    while True:
        regression = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(
            ((X - mean) / std)[:, used], answerable)
        wrong = [i for i, w in zip(used, regression.coef_[0]) if FEATURE_SIGNS.get(FEATURES[i], 0) * w < 0]
        if not wrong:
            break
        used = [i for i in used if i not in wrong]
    weights = np.zeros(len(FEATURES))
    weights[used] = regression.coef_[0] / std[used]
    bias = float(regression.intercept_[0] - (weights * mean).sum())
    fitted_on = dict(fitted_on, dropped=[f for i, f in enumerate(FEATURES) if i not in used])
    model = AnswerabilityModel(dict(zip(FEATURES, map(float, weights))), bias, 0.5, model_id, fitted_on)
    probabilities = [model.probability(e) for e in evidence]
    levels = sorted(set(probabilities))
    best = max(levels, key=lambda t: (_balanced_accuracy(probabilities, answerable, t), -t))
    # every threshold between the probability just below `best` and `best` classifies the
    # questions alike: the middle of that gap, not the edge at a fitted question's own score
    below = [t for t in levels if t < best]
    best = (below[-1] + best) / 2 if below else best
    model.threshold = float(best)
    model.fitted_on["accuracy"] = sum((p >= best) == y for p, y in zip(probabilities, answerable)) / len(answerable)
    model.fitted_on["questions"] = len(answerable)
    return model
