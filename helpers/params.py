"""The suite's parameters: one schema for every notebook, the papermill runner and params/*.yaml.

A learner's typo should fail at once with the list of valid names, not three notebooks later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PARAMS_DIR = ROOT / "params"
TUTORIAL_HYPERPARAMETERS = {"max_depth": 5, "eta": 0.2, "gamma": 4, "min_child_weight": 6,
                            "subsample": 0.7, "objective": "binary:logistic", "num_round": 50}
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class ParameterError(ValueError):
    """A parameter is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Parameter:
    kind: type | tuple[type, ...]
    default: Any
    help: str
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive: bool = False
    extra: dict = field(default_factory=dict)


SCHEMA: dict[str, Parameter] = {
    "backend": Parameter(str, "local", "local (offline), aws, or auto (AWS only on a SageMaker "
                         "notebook instance or Studio)", choices=("local", "aws", "auto")),
    "region": Parameter(str, "us-east-1", "AWS region of every resource"),
    "run_dir": Parameter(str, "", "folder of the run state; empty: $TUTORIAL_RUN_DIR or "
                         "runs/manual"),
    "run_id": Parameter(str, "", "tag value that marks this run's resources; empty: from the "
                        "run folder's name"),
    "bucket_name": Parameter(str, "", "S3 bucket; empty: sagemaker-xgboost-tutorial-"
                             "<account>-<region>"),
    "prefix": Parameter(str, "sagemaker/DEMO-xgboost-dm", "S3 key prefix of this tutorial"),
    "data_source": Parameter(str, "", "path or URL of bank_clean.csv; empty: $BANK_CLEAN_CSV, "
                             "else the tutorial's address"),
    "train_fraction": Parameter(float, 0.7, "share of rows for training", minimum=0, maximum=1,
                                exclusive=True),
    "split_seed": Parameter(int, 1729, "random_state of the shuffle", minimum=0),
    "xgboost_version": Parameter(str, "3.0-5", "built-in XGBoost image version"),
    "train_instance_type": Parameter(str, "ml.m4.xlarge", "training instance type"),
    "train_instance_count": Parameter(int, 1, "training instances", minimum=1, maximum=20),
    "use_spot_instances": Parameter(bool, True, "managed spot training"),
    "max_run": Parameter(int, 300, "MaxRuntimeInSeconds", minimum=1, maximum=432000),
    "max_wait": Parameter(int, 600, "MaxWaitTimeInSeconds (spot only)", minimum=1,
                          maximum=432000),
    "hyperparameters": Parameter(dict, TUTORIAL_HYPERPARAMETERS, "the algorithm's "
                                 "hyperparameters"),
    "endpoint_instance_type": Parameter(str, "ml.m4.xlarge", "endpoint instance type"),
    "endpoint_instance_count": Parameter(int, 1, "endpoint instances", minimum=1, maximum=10),
    "create_notebook_instance": Parameter(bool, False, "01 on AWS: really create the IAM role "
                                          "and notebook instance"),
    "notebook_instance_type": Parameter(str, "ml.t3.medium", "01 on AWS: instance type"),
    "delete_bucket": Parameter(bool, True, "08: delete the bucket's objects and the bucket"),
}


def defaults() -> dict[str, Any]:
    return {name: p.default for name, p in SCHEMA.items()}


def _check_one(name: str, value: Any) -> Any:
    spec = SCHEMA[name]
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, spec.kind) or (spec.kind is int and isinstance(value, bool)):
        expected = spec.kind.__name__ if isinstance(spec.kind, type) else spec.kind
        raise ParameterError(f"parameter {name} must be {expected}, not "
                             f"{type(value).__name__} {value!r} ({spec.help})")
    if spec.choices and value not in spec.choices:
        raise ParameterError(f"parameter {name} must be one of {', '.join(spec.choices)}, "
                             f"not {value!r}")
    low, high = spec.minimum, spec.maximum
    if low is not None and (value <= low if spec.exclusive else value < low):
        raise ParameterError(f"parameter {name} must be {'above' if spec.exclusive else 'at least'}"
                             f" {low}, not {value}")
    if high is not None and (value >= high if spec.exclusive else value > high):
        raise ParameterError(f"parameter {name} must be {'below' if spec.exclusive else 'at most'}"
                             f" {high}, not {value}")
    return value


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Check names, types and ranges, then the rules that tie parameters together."""
    unknown = sorted(set(values) - set(SCHEMA))
    if unknown:
        raise ParameterError(f"unknown parameter{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(unknown)}; valid names: {', '.join(SCHEMA)}")
    checked = {name: _check_one(name, value) for name, value in values.items()}
    if "region" in checked and not _REGION.match(checked["region"]):
        raise ParameterError(f"parameter region {checked['region']!r} is not an AWS region "
                             "name such as us-east-1")
    bucket = checked.get("bucket_name")
    if bucket:
        problem = bucket_name_problem(bucket)
        if problem:
            raise ParameterError(f"parameter bucket_name {bucket!r}: {problem}")
    if checked.get("use_spot_instances", False) and "max_wait" in checked \
            and checked["max_wait"] < checked.get("max_run", 0):
        raise ParameterError(f"max_wait ({checked['max_wait']}) must be at least max_run "
                             f"({checked['max_run']}) for spot training")
    if "hyperparameters" in checked and "num_round" not in checked["hyperparameters"]:
        raise ParameterError("hyperparameters must include num_round (the built-in XGBoost "
                             "algorithm requires it)")
    return checked


def bucket_name_problem(name: str) -> str | None:
    """Why S3 would refuse this bucket name, or None."""
    if not 3 <= len(name) <= 63:
        return "a bucket name has 3 to 63 characters"
    if name != name.lower():
        return "a bucket name has no capital letters"
    if not _BUCKET.match(name):
        return ("a bucket name uses only a-z, 0-9, '.' and '-', and starts and ends with a "
                "letter or digit")
    if ".." in name or re.fullmatch(r"\d+\.\d+\.\d+\.\d+", name):
        return "a bucket name has no '..' and is not an IP address"
    if name.startswith(("xn--", "sthree-")) or name.endswith(("-s3alias", "--ol-s3")):
        return "that prefix or suffix is reserved by S3"
    return None


def load(path: str | Path | None = None, overrides: dict[str, Any] | None = None
         ) -> dict[str, Any]:
    """A parameter file merged over the defaults, with ``-p`` style overrides on top."""
    values = defaults()
    if path is not None:
        path = Path(path)
        try:
            loaded = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as error:
            raise ParameterError(f"{path} is not valid YAML: {error}") from None
        if not isinstance(loaded, dict):
            raise ParameterError(f"{path} must hold a mapping of parameter names to values")
        values.update(validate(loaded))
    if overrides:
        values.update(validate(overrides))
    return validate(values)


def parse_override(text: str) -> tuple[str, Any]:
    """``name=value`` from the command line, the value read as YAML (``5``, ``true``, ``a``)."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise ParameterError(f"-p takes name=value, not {text!r}")
    if raw == "":
        return name.strip(), ""
    try:
        return name.strip(), yaml.safe_load(raw)
    except yaml.YAMLError:
        return name.strip(), raw
