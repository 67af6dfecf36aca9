"""Score the test set through an endpoint and report it the way the tutorial does."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # InvokeEndpoint refuses larger bodies
# The result the AWS tutorial publishes for its own run.
PUBLISHED = {"accuracy": 89.5, "tn": 10769, "fp": 167, "fn": 1133, "tp": 288}


def batches(features: np.ndarray, limit: int = MAX_PAYLOAD_BYTES) -> Iterator[np.ndarray]:
    """Consecutive row blocks whose CSV body (as ``CSVSerializer`` writes it) stays under
    ``limit`` bytes."""
    from sagemaker.serializers import CSVSerializer

    lines = CSVSerializer().serialize(features).split("\n")
    start, size = 0, 0
    for index, line in enumerate(lines):
        needed = len(line.encode()) + (1 if index > start else 0)
        if needed > limit:
            raise ValueError(f"row {index} alone is {needed:,} bytes, over the {limit:,} limit")
        if size + needed > limit:
            yield features[start:index]
            start, size = index, len(line.encode())
        else:
            size += needed
    if start < len(lines):
        yield features[start:]


def parse_scores(body: bytes | str) -> np.ndarray:
    """Scores from any of the container's answers: one comma-separated line (1.2 and older),
    one score per line (newer), or JSON (``{"predictions": [{"score": ...}]}``). The tutorial's
    ``np.fromstring(text, sep=",")`` is deprecated and misreads the newline form."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    text = text.strip()
    if not text:
        raise ValueError("the endpoint returned no scores: was the request body empty?")
    if text.startswith("{"):
        return np.array([p["score"] for p in json.loads(text)["predictions"]], dtype=float)
    return np.array(re.split(r"[,\n]", text), dtype=float)


def score(predictor, features: np.ndarray, limit: int = MAX_PAYLOAD_BYTES) -> np.ndarray:
    """All rows' scores, sent in as many requests as the payload limit needs."""
    return np.concatenate([parse_scores(predictor.predict(block))
                           for block in batches(features, limit)])


def confusion(observed: np.ndarray, predicted: np.ndarray) -> dict[str, int]:
    """The tutorial's crosstab as counts: TN, FP, FN, TP."""
    table = pd.crosstab(index=observed, columns=predicted).reindex(
        index=[0, 1], columns=[0, 1], fill_value=0)
    return {"tn": int(table.iloc[0, 0]), "fp": int(table.iloc[0, 1]),
            "fn": int(table.iloc[1, 0]), "tp": int(table.iloc[1, 1])}


def classification_rate_report(counts: dict[str, int]) -> str:
    """The tutorial's printout: the overall rate, then each cell as a share of its column."""
    tn, fp, fn, tp = counts["tn"], counts["fp"], counts["fn"], counts["tp"]
    rate = (tp + tn) / (tp + tn + fp + fn) * 100
    no_purchase, purchase = max(tn + fn, 1), max(tp + fp, 1)
    return "\n".join([
        "",
        "{:<20}{:<4.1f}%".format("Overall Classification Rate: ", rate),
        "",
        "{:<15}{:<15}{:>8}".format("Predicted", "No Purchase", "Purchase"),
        "Observed",
        "{:<15}{:<2.0f}% ({:<}){:>6.0f}% ({:<})".format(
            "No Purchase", tn / no_purchase * 100, tn, fp / purchase * 100, fp),
        "{:<16}{:<1.0f}% ({:<}){:>7.0f}% ({:<}) ".format(
            "Purchase", fn / no_purchase * 100, fn, tp / purchase * 100, tp),
    ])


def accuracy(counts: dict[str, int]) -> float:
    total = sum(counts.values())
    return (counts["tn"] + counts["tp"]) / total * 100 if total else float("nan")


def compare_with_published(counts: dict[str, int]) -> pd.DataFrame:
    ours = {"accuracy": round(accuracy(counts), 1), **counts}
    table = pd.DataFrame([ours, PUBLISHED], index=["this run", "AWS tutorial"])
    return table[["accuracy", "tn", "fp", "fn", "tp"]].rename(columns={
        "accuracy": "accuracy %", "tn": "TN", "fp": "FP", "fn": "FN", "tp": "TP"})


def plot_confusion(counts: dict[str, int], ax=None):
    from sklearn.metrics import ConfusionMatrixDisplay

    matrix = np.array([[counts["tn"], counts["fp"]], [counts["fn"], counts["tp"]]])
    display = ConfusionMatrixDisplay(matrix, display_labels=["No Purchase", "Purchase"])
    display.plot(ax=ax, colorbar=False, values_format="d", cmap="Blues")
    display.ax_.set_xlabel("Predicted")
    display.ax_.set_ylabel("Observed")
    return display.ax_


def plot_roc(observed: np.ndarray, scores: np.ndarray, ax=None) -> float:
    """The ROC curve on ``ax``; returns the area under it."""
    from sklearn.metrics import RocCurveDisplay, roc_auc_score

    area = float(roc_auc_score(observed, scores))
    RocCurveDisplay.from_predictions(observed, scores, ax=ax, name="XGBoost endpoint",
                                     plot_chance_level=True)
    return area
