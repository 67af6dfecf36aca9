"""The built-in XGBoost algorithm's hyperparameters: names, types, ranges, aliases, checks.

Values arrive as strings (``hyperparameters.json``) and are parsed, checked and worded the way the
container does it (aws/sagemaker-xgboost-container, ``algorithm_mode/hyperparameter_validation``):
``num_round`` is required, an unknown name fails the job, aliases are rewritten first.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

INF = math.inf


class UserError(Exception):
    """A mistake in the job's request; the container reports it in its failure file."""


@dataclass(frozen=True)
class Interval:
    low: float = -INF
    high: float = INF
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if value != value:  # NaN compares false everywhere, so the container lets it pass
            return True
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def __str__(self) -> str:
        left = "(-inf" if self.low == -INF else ("(" if self.low_open else "[") + _num(self.low)
        right = "+inf)" if self.high == INF else _num(self.high) + (")" if self.high_open else "]")
        return f"{left}, {right}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Hyperparameter:
    kind: str  # integer | continuous | categorical | list | tuple | nested
    interval: Interval | None = None
    choices: tuple = ()
    required: bool = False

    def parse(self, name: str, raw: str):
        try:
            if self.kind == "integer":
                return int(raw)
            if self.kind == "continuous":
                return float(raw)
            if self.kind == "list":
                return raw.split(",")
            if self.kind == "tuple":
                return tuple(ast.literal_eval(raw))
            if self.kind == "nested":
                return ast.literal_eval(raw)
            return raw
        except (ValueError, SyntaxError, TypeError):
            raise UserError(
                f"Hyperparameter {name}: could not parse value (caused by ValueError)"
            ) from None

    def check(self, name: str, value) -> None:
        if self.kind in ("integer", "continuous"):
            if value not in self.interval:
                raise UserError(f"Hyperparameter {name}: {value} is not in {self.interval}")
        elif self.kind == "categorical":
            if value not in self.choices:
                raise UserError(f"Hyperparameter {name}: {value} is not in {list(self.choices)}")
        else:
            items = [v for inner in value for v in inner] if self.kind == "nested" else value
            allowed = self.choices or None
            for item in items:
                ok = item in allowed if allowed else item in self.interval
                if not ok and not (self.kind == "list" and _threshold_metric(item)):
                    shown = list(allowed) if allowed else str(self.interval)
                    raise UserError(f"Hyperparameter {name}: value {value} not in range {shown}")


def _threshold_metric(metric: str) -> bool:
    """``error@0.7``, ``ndcg@3``: a metric with a threshold, checked later."""
    return "@" in metric


def _int(low=-INF, high=INF, low_open=False, high_open=False, required=False):
    return Hyperparameter("integer", Interval(low, high, low_open, high_open), required=required)


def _float(low=-INF, high=INF, low_open=False, high_open=False):
    return Hyperparameter("continuous", Interval(low, high, low_open, high_open))


def _choice(*choices):
    return Hyperparameter("categorical", choices=choices)


TRUE_FALSE = ("true", "false")
MAXIMIZE_METRICS = ("accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary", "f1_macro",
                    "map", "ndcg", "precision", "r2", "recall", "precision_macro",
                    "precision_micro", "recall_macro", "recall_micro")
MINIMIZE_METRICS = ("aft-nloglik", "cox-nloglik", "error", "gamma-deviance", "gamma-nloglik",
                    "interval-regression-accuracy", "logloss", "mae", "mape", "merror",
                    "mlogloss", "mphe", "mse", "poisson-nloglik", "rmse", "rmsle",
                    "tweedie-nloglik")
OBJECTIVES = ("aft_loss_distribution", "binary:logistic", "binary:logitraw", "binary:hinge",
              "count:poisson", "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg",
              "rank:map", "reg:linear", "reg:squarederror", "reg:logistic", "reg:gamma",
              "reg:pseudohubererror", "reg:squaredlogerror", "reg:absoluteerror", "reg:tweedie",
              "survival:aft", "survival:cox")
UPDATERS = ("grow_colmaker", "distcol", "grow_histmaker", "grow_skmaker", "sync", "refresh",
            "prune", "grow_colmaker", "distcol", "grow_histmaker", "grow_colmaker", "shotgun",
            "coord_descent", "refresh", "prune")

SPEC: dict[str, Hyperparameter] = {
    "num_round": _int(1, required=True),
    "csv_weights": _int(0, 1),
    "early_stopping_rounds": _int(1),
    "booster": _choice("gbtree", "gblinear", "dart"),
    "verbosity": _int(0, 3),
    "nthread": _int(1),
    "eta": _float(0, 1),
    "gamma": _float(0),
    "max_depth": _int(0),
    "min_child_weight": _float(0),
    "max_delta_step": _float(0),
    "subsample": _float(0, 1, low_open=True),
    "colsample_bytree": _float(0, 1, low_open=True),
    "colsample_bylevel": _float(0, 1, low_open=True),
    "colsample_bynode": _float(0, 1, low_open=True),
    "lambda": _float(0),
    "alpha": _float(0),
    "tree_method": _choice("auto", "exact", "approx", "hist", "gpu_hist"),
    "sketch_eps": _float(0, 1, low_open=True, high_open=True),
    "scale_pos_weight": _float(0, low_open=True),
    "updater": Hyperparameter("list", choices=UPDATERS),
    "dsplit": _choice("row", "col"),
    "refresh_leaf": _int(0, 1),
    "process_type": _choice("default", "update"),
    "grow_policy": _choice("depthwise", "lossguide"),
    "max_leaves": _int(0),
    "max_bin": _int(0),
    "predictor": _choice("auto", "cpu_predictor", "gpu_predictor"),
    "monotone_constraints": Hyperparameter("tuple", choices=(-1, 0, 1)),
    "interaction_constraints": Hyperparameter("nested", Interval(1)),
    "sample_type": _choice("uniform", "weighted"),
    "normalize_type": _choice("tree", "forest"),
    "rate_drop": _float(0, 1),
    "one_drop": _int(0, 1),
    "skip_drop": _float(0, 1),
    "lambda_bias": _float(0, 1),
    "tweedie_variance_power": _float(1, 2, low_open=True, high_open=True),
    "objective": _choice(*OBJECTIVES),
    "num_class": _int(2),
    "base_score": _float(0),
    "_kfold": _int(2),
    "_num_cv_round": _int(1),
    "_tuning_objective_metric": _choice(*(f"validation:{m}"
                                          for m in MAXIMIZE_METRICS + MINIMIZE_METRICS)),
    "eval_metric": Hyperparameter("list", choices=MAXIMIZE_METRICS + MINIMIZE_METRICS),
    "seed": _int(-2147483648, 2147483647, low_open=True, high_open=True),
    "num_parallel_tree": _int(1),
    "save_model_on_termination": _choice(*TRUE_FALSE),
    "aft_loss_distribution": _choice("normal", "logistic", "extreme"),
    "aft_loss_distribution_scale": _float(0),
    "deterministic_histogram": _choice(*TRUE_FALSE),
    "sampling_method": _choice("uniform", "gradient_based"),
    "prob_buffer_row": _int(1, low_open=True),
    "use_dask_gpu_training": _choice(*TRUE_FALSE),
}
ALIASES = {"learning_rate": "eta", "min_split_loss": "gamma", "reg_lambda": "lambda",
           "reg_alpha": "alpha"}
# Names that only some container versions know.
_ONLY_BEFORE_1_2 = {"silent": _int(0, 1)}
_ONLY_1_2_TO_1_5 = {"single_precision_histogram": _choice(*TRUE_FALSE)}


def spec_for(version: tuple[int, ...]) -> dict[str, Hyperparameter]:
    spec = dict(SPEC)
    if version < (1, 2):
        spec.update(_ONLY_BEFORE_1_2)
    if (1, 2) <= version < (1, 7):
        spec.update(_ONLY_1_2_TO_1_5)
    return spec


def validate(raw: dict[str, str], version: tuple[int, ...] = (3, 0, 5)) -> dict:
    """Parse and check the job's hyperparameters; raise ``UserError`` as the container words it."""
    spec = spec_for(version)
    values = {ALIASES.get(name, name): value for name, value in raw.items()}
    for name, definition in spec.items():
        if definition.required and name not in values:
            raise UserError(f"Missing required hyperparameter: {name}")
    parsed = {}
    for name, value in values.items():
        if name not in spec:
            raise UserError(f"Extraneous hyperparameter found: {name}")
        parsed[name] = spec[name].parse(name, str(value))
    for name, value in parsed.items():
        spec[name].check(name, value)
    _check_dependencies(parsed)
    return parsed


def _check_dependencies(values: dict) -> None:
    objective = values.get("objective", "reg:squarederror")
    if objective.startswith("multi:") and "num_class" not in values:
        raise UserError("Require input for parameter 'num_class' for multi-classification")
    for metric in values.get("eval_metric", []):
        name, _, threshold = metric.partition("@")
        if threshold:
            if name not in ("error", "ndcg", "map"):
                raise UserError(
                    f"Metric '{metric}' is not supported. Parameter 'eval_metric' with customized "
                    "threshold should be one of these options: 'error', 'ndcg', 'map'."
                )
            try:
                float(threshold)
            except ValueError:
                raise UserError(
                    f"Threshold value '{threshold}' in '{name}@{threshold}' expects float input."
                ) from None
        if name == "auc" and not objective.startswith(("binary:", "rank:")):
            raise UserError(
                "Metric 'auc' can only be applied for classification and ranking problems."
            )
        if name == "aft-nloglik" and objective != "survival:aft":
            raise UserError(
                "Metric 'aft-nloglik' can only be applied for 'survival:aft' objective."
            )
    method = values.get("tree_method")
    if "monotone_constraints" in values and method not in ("exact", "hist"):
        raise UserError("monotone_constraints can be used only when the tree_method parameter is "
                        "set to either 'exact' or 'hist'.")
    if "interaction_constraints" in values and method not in ("exact", "hist", "approx"):
        raise UserError("interaction_constraints can be used only when the tree_method parameter "
                        "is set to either 'exact', 'hist' or 'approx'.")
    if values.get("process_type") == "update" and any(
        u not in ("refresh", "prune") for u in values.get("updater", [])
    ):
        raise UserError("process_type 'update' can only be used with updater 'refresh' and "
                        "'prune'")
