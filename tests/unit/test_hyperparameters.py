"""Hyperparameter checks worded as the built-in container words them."""

from __future__ import annotations

import pytest

from helpers.local.training.hyperparameters import UserError, validate

TUTORIAL = {"max_depth": "5", "eta": "0.2", "gamma": "4", "min_child_weight": "6",
            "subsample": "0.7", "objective": "binary:logistic", "num_round": "50"}


def test_the_tutorials_hyperparameters_parse_to_numbers():
    parsed = validate(TUTORIAL)
    assert parsed == {"max_depth": 5, "eta": 0.2, "gamma": 4.0, "min_child_weight": 6.0,
                      "subsample": 0.7, "objective": "binary:logistic", "num_round": 50}


def test_aliases_are_rewritten():
    parsed = validate({"num_round": "1", "learning_rate": "0.1", "min_split_loss": "1",
                       "reg_lambda": "2", "reg_alpha": "3"})
    assert (parsed["eta"], parsed["gamma"], parsed["lambda"], parsed["alpha"]) == (
        0.1, 1.0, 2.0, 3.0)


@pytest.mark.parametrize("raw, message", [
    ({}, "Missing required hyperparameter: num_round"),
    ({"num_round": "1", "colsample": "1"}, "Extraneous hyperparameter found: colsample"),
    ({"num_round": "1.5"}, "Hyperparameter num_round: could not parse value (caused by "
                           "ValueError)"),
    ({"num_round": "0"}, "Hyperparameter num_round: 0 is not in [1, +inf)"),
    ({"num_round": "1", "max_delta_step": "-1"},
     "Hyperparameter max_delta_step: -1.0 is not in [0, +inf)"),
    ({"num_round": "1", "sketch_eps": "1"}, "Hyperparameter sketch_eps: 1.0 is not in (0, 1)"),
    ({"num_round": "1", "booster": "gbm"},
     "Hyperparameter booster: gbm is not in ['gbtree', 'gblinear', 'dart']"),
    ({"num_round": "1", "eval_metric": "auc,foo"}, "Hyperparameter eval_metric: value "
                                                  "['auc', 'foo'] not in range ['accuracy'"),
    ({"num_round": "1", "eval_metric": "auc", "objective": "reg:squarederror"},
     "Metric 'auc' can only be applied for classification and ranking problems."),
    ({"num_round": "1", "eval_metric": "rmse@0.5"},
     "Metric 'rmse@0.5' is not supported. Parameter 'eval_metric' with customized threshold"),
    ({"num_round": "1", "monotone_constraints": "(1,0)"},
     "monotone_constraints can be used only when the tree_method parameter is set to either "
     "'exact' or 'hist'."),
])
def test_bad_values_are_refused_with_the_containers_words(raw, message):
    with pytest.raises(UserError) as raised:
        validate(raw)
    assert str(raised.value).startswith(message)


def test_silent_exists_only_before_1_2():
    assert validate({"num_round": "1", "silent": "1"}, version=(1, 0, 1))["silent"] == 1
    with pytest.raises(UserError, match="Extraneous hyperparameter found: silent"):
        validate({"num_round": "1", "silent": "1"}, version=(1, 7, 1))


def test_thresholded_metrics_are_accepted():
    assert validate({"num_round": "1", "eval_metric": "error@0.7,auc",
                     "objective": "binary:logistic"})["eval_metric"] == ["error@0.7", "auc"]
