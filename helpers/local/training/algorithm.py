"""The built-in XGBoost algorithm's training entry, run inside a container process.

It reads the container folder the platform laid out (``/opt/ml`` on AWS), validates the
hyperparameters and channels, trains with ``xgboost.train`` and saves ``model/xgboost-model``.
On failure it writes ``output/failure`` (the platform turns it into ``FailureReason``) and exits 1.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
from pathlib import Path

from ..sagemaker.images import version_key
from . import channels as data
from .hyperparameters import MAXIMIZE_METRICS, UserError, validate
from .layout import container_paths

log = logging.getLogger("xgboost-algorithm")

NOT_PASSED_TO_XGBOOST = ("num_round", "early_stopping_rounds", "csv_weights",
                         "save_model_on_termination", "_tuning_objective_metric", "_kfold",
                         "_num_cv_round", "use_dask_gpu_training", "silent",
                         "single_precision_histogram")
# Mistakes XGBoost reports while training that the container blames on the user's data.
CUSTOMER_ERRORS = (
    "label must be in [0,1] for logistic regression",
    "label must be in [0, num_class)",
    "Target is multiclass but average='binary'",
    "feature_names mismatch",
    "Check failed: preds.size() == info.labels_.size()",
    "Check failed: !auc_error AUC: the dataset only contains pos or neg samples",
    "base_score must be in (0,1) for",  # XGBoost 3 adds "the" before "logistic loss"
    "label must be nonnegative",
    "Parameter reg_lambda should be greater equal to 0",
)


class AlgorithmError(Exception):
    """A failure inside the algorithm that is not the request's fault."""


def configure_logging(version: tuple[int, ...]) -> None:
    """The container's log format: ``[2022-05-28:02:49:28:INFO] message`` from 1.2-2 on."""
    if version >= (1, 2, 2):
        fmt, datefmt = "[%(asctime)s:%(levelname)s] %(message)s", "%Y-%m-%d:%H:%M:%S"
    else:
        fmt, datefmt = "%(levelname)s:root:%(message)s", None
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format=fmt, datefmt=datefmt,
                        force=True)


def main(root: Path, image_version: str) -> int:
    version = version_key(image_version)
    configure_logging(version)
    paths = container_paths(root)
    try:
        _train(paths, version)
    except Exception as error:
        if isinstance(error, UserError):
            summary = f"UserError: {error}"
        elif isinstance(error, AlgorithmError):
            summary = f"AlgorithmError: {error}"
        else:
            summary = f"{type(error).__name__}: {error}"
        text = f"framework error: \n{summary}\n\n{error}"
        log.info("Reporting training FAILURE")
        log.error(text)
        paths["failure"].write_text(text)
        return 1
    (paths["output"] / "success").touch()
    log.info("Reporting training SUCCESS")
    return 0


def _train(paths: dict[str, Path], version: tuple[int, ...]) -> None:
    log.info("Running XGBoost Sagemaker in algorithm mode")
    raw = json.loads((paths["config"] / "hyperparameters.json").read_text())
    channels = json.loads((paths["config"] / "inputdataconfig.json").read_text())
    hyperparameters = validate(raw, version)
    channels = data.validate_channels(channels)
    if "_kfold" in hyperparameters:
        raise UserError("k-fold cross validation (_kfold) is not served by the offline backend")
    weights = hyperparameters.get("csv_weights") == 1
    train_path = paths["data"] / "train"
    dtrain = data.load(train_path, channels["train"]["ContentType"],
                       channels["train"]["TrainingInputMode"], weights)
    dval = None
    if "validation" in channels:
        val_path = paths["data"] / "validation"
        dval = data.load(val_path, channels["validation"]["ContentType"],
                         channels["validation"]["TrainingInputMode"], weights)
        if dval is None:
            raise UserError(f"No data in validation channel path {val_path}")
    if dtrain is None:
        raise UserError(f"No data in training channel path {train_path}")
    log.info("Single node training.")
    if version >= (1, 2):
        log.info("Train matrix has %d rows and %d columns", dtrain.num_row(), dtrain.num_col())
    else:
        log.info("Train matrix has %d rows", dtrain.num_row())
    if dval is not None:
        log.info("Validation matrix has %d rows", dval.num_row())
    booster = fit(hyperparameters, dtrain, dval)
    save(booster, paths["model"] / "xgboost-model", pickled=version < (1, 3))


def fit(hyperparameters: dict, dtrain, dval):
    """``xgboost.train`` as the container calls it: one evaluation line per round."""
    import xgboost as xgb

    params = {k: v for k, v in hyperparameters.items() if k not in NOT_PASSED_TO_XGBOOST}
    if "updater" in params:
        params["updater"] = ",".join(params["updater"])
    metrics = list(params.pop("eval_metric", []))
    tuning = hyperparameters.get("_tuning_objective_metric")
    if tuning:
        metrics = sorted(set(metrics) | {tuning.split(":", 1)[1]})
    custom = [m for m in metrics if m in CUSTOM_METRICS]
    native = [m for m in metrics if m not in CUSTOM_METRICS]
    if native:
        params["eval_metric"] = native
    evals = [(dtrain, "train")] + ([(dval, "validation")] if dval is not None else [])
    callbacks = [xgb.callback.EvaluationMonitor()]
    rounds = hyperparameters.get("early_stopping_rounds")
    if rounds and dval is not None and metrics:
        callbacks.append(xgb.callback.EarlyStopping(
            rounds, data_name="validation", metric_name=metrics[-1],
            maximize=metrics[-1] in MAXIMIZE_METRICS, save_best=True))
    try:
        return xgb.train(params, dtrain, num_boost_round=hyperparameters["num_round"],
                         evals=evals, custom_metric=_custom_metric(custom) if custom else None,
                         callbacks=callbacks, verbose_eval=False)
    except xgb.core.XGBoostError as error:
        text = str(error).split("\nStack trace:")[0]  # the C++ frames say nothing to a learner
        if any(known in text for known in CUSTOMER_ERRORS):
            raise UserError(text) from None
        raise AlgorithmError(f"XGB train call failed with exception:\n {text}") from None


def save(booster, path: Path, pickled: bool) -> None:
    """Containers before 1.3-1 pickled the Booster; newer ones call ``save_model``."""
    if pickled:
        with open(path, "wb") as handle:
            pickle.dump(booster, handle, protocol=4)
        return
    staged = path.with_name(path.name + ".ubj")  # the format XGBoost picks for a bare name
    booster.save_model(str(staged))
    os.replace(staged, path)


def _classes(predictions):
    return (predictions > 0.5).astype(int) if predictions.ndim == 1 else predictions.argmax(1)


def _sklearn_metric(name: str):
    from sklearn import metrics as m

    def f1(average):
        return lambda y, p: m.f1_score(y, _classes(p), average=average)

    return {
        "accuracy": lambda y, p: m.accuracy_score(y, _classes(p)),
        "balanced_accuracy": lambda y, p: m.balanced_accuracy_score(y, _classes(p)),
        "f1": f1("binary"), "f1_binary": f1("binary"), "f1_macro": f1("macro"),
        "precision": lambda y, p: m.precision_score(y, _classes(p)),
        "precision_macro": lambda y, p: m.precision_score(y, _classes(p), average="macro"),
        "precision_micro": lambda y, p: m.precision_score(y, _classes(p), average="micro"),
        "recall": lambda y, p: m.recall_score(y, _classes(p)),
        "recall_macro": lambda y, p: m.recall_score(y, _classes(p), average="macro"),
        "recall_micro": lambda y, p: m.recall_score(y, _classes(p), average="micro"),
        "mse": m.mean_squared_error,
        "rmse": lambda y, p: m.mean_squared_error(y, p) ** 0.5,
        "mae": m.mean_absolute_error,
        "r2": m.r2_score,
    }[name]


CUSTOM_METRICS = ("accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "rmse",
                  "mae", "precision", "precision_macro", "precision_micro", "r2", "recall",
                  "recall_macro", "recall_micro")


def _custom_metric(names: list[str]):
    """Metrics the container computes with scikit-learn rather than XGBoost."""
    functions = {name: _sklearn_metric(name) for name in names}

    def evaluate(predictions, dmatrix):
        labels = dmatrix.get_label()
        return [(name, float(f(labels, predictions))) for name, f in functions.items()]

    return evaluate
