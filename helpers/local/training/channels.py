"""Channel checks and data loading of the built-in XGBoost algorithm (File mode).

``train`` is required, ``validation`` optional; a channel without a ContentType is libsvm. CSV has
the label in column 0 and no header; its delimiter is sniffed from each file's first line.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import numpy as np

from .hyperparameters import UserError

log = logging.getLogger("xgboost-algorithm")

CSV_TYPES = ("csv", "text/csv")
LIBSVM_TYPES = ("libsvm", "text/libsvm", "text/x-libsvm")
PARQUET_TYPES = ("parquet", "application/x-parquet")
RECORDIO_TYPES = ("recordio-protobuf", "application/x-recordio-protobuf")
ACCEPTED = CSV_TYPES[:1] + LIBSVM_TYPES[:1] + PARQUET_TYPES[:1] + RECORDIO_TYPES[:1] + (
    CSV_TYPES[1], LIBSVM_TYPES[1], LIBSVM_TYPES[2], PARQUET_TYPES[1], RECORDIO_TYPES[1])
FILE_MODE_TYPES = set(ACCEPTED)
PIPE_MODE_TYPES = set(ACCEPTED) - set(LIBSVM_TYPES)
DEFAULT_CONTENT_TYPE = "text/libsvm"
CHANNELS = ("train", "validation", "code")


def not_accepted(content_type: str) -> str:
    return f"{content_type} is not an accepted ContentType: {', '.join(ACCEPTED)}."


def validate_channels(config: dict[str, dict]) -> dict[str, dict]:
    """Check channel names and configurations; fill in the default content type."""
    if "train" not in config:
        raise UserError("Missing required channel: train")
    for name, channel in config.items():
        if name not in CHANNELS:
            raise UserError(f"Extraneous channel found: {name}")
        channel.setdefault("ContentType", DEFAULT_CONTENT_TYPE)
        mode = channel.get("TrainingInputMode")
        distribution = channel.get("S3DistributionType")
        types = FILE_MODE_TYPES if mode == "File" else PIPE_MODE_TYPES if mode == "Pipe" else set()
        if name == "code":
            ok = (channel["ContentType"], mode) == ("text/python", "File")
        else:
            ok = channel["ContentType"] in types and distribution in (
                "FullyReplicated", "ShardedByS3Key")
        if not ok:
            raise UserError(
                f"Channel configuration for '{name}' channel is not supported: {channel}"
            )
    return config


def _data_files(path: Path) -> list[Path]:
    if not path.exists():
        log.info("Path %s does not exist!", path)
        return []
    files = sorted(p for p in path.rglob("*") if p.is_file())
    if any(p.name.startswith(".") for p in files):
        raise UserError("Hidden file found in the data path! Remove that before training.")
    return [p for p in files if not p.name.startswith("_")]


def _sniff(file: Path) -> str:
    with open(file, newline="", errors="replace") as handle:
        line = handle.readline()
    try:
        delimiter = csv.Sniffer().sniff(line).delimiter
    except csv.Error as error:
        raise UserError(f"Could not determine delimiter on line {line[:50]}:\n{error}") from None
    log.info("Determined delimiter of CSV input is '%s'", delimiter)
    return delimiter


def load(path: Path, content_type: str, input_mode: str, csv_weights: bool = False):
    """The channel's data as an ``xgboost.DMatrix``, or None if the channel holds no bytes."""
    import xgboost as xgb

    files = _data_files(path)
    if sum(f.stat().st_size for f in files) == 0:
        return None
    kind = content_type.split(";")[0].strip().lower()
    if input_mode == "Pipe":
        if kind in LIBSVM_TYPES:
            raise UserError("Pipe mode not supported for LibSVM.")
        raise UserError(
            f"Pipe mode for {_format_name(kind)} is no longer supported. Please use Fast File mode "
            "(default) instead. Set input_mode='File' in your SageMaker Estimator or TrainingInput."
        )
    if kind in CSV_TYPES:
        delimiters = [_sniff(f) for f in files]
        label, features, weights = _load_csv(files, delimiters, csv_weights)
    elif kind in LIBSVM_TYPES:
        label, features, weights = _load_libsvm(files)
    elif kind in PARQUET_TYPES + RECORDIO_TYPES:
        raise UserError(f"Failed to load {_format_name(kind).lower()} data with exception:\n"
                        f"{_format_name(kind)} input is not served by the offline backend; "
                        "use text/csv or text/libsvm")
    else:
        raise UserError(not_accepted(content_type))
    if label.size == 0:
        raise UserError(
            "Got input data without labels. Please check the input data set. If training job is "
            "running on multiple instances, please switch to using single instance if number of "
            "records in the data set is less than number of workers (16 * number of instance) in "
            "the cluster."
        )
    return xgb.DMatrix(features, label=label, weight=weights)


def _format_name(kind: str) -> str:
    if kind in CSV_TYPES:
        return "CSV"
    if kind in PARQUET_TYPES:
        return "Parquet"
    if kind in RECORDIO_TYPES:
        return "RecordIO-Protobuf"
    return "LibSVM"


def _load_csv(files: list[Path], delimiters: list[str], csv_weights: bool):
    """Every cell that is not a number is a missing value, as XGBoost's CSV parser reads it."""
    import pandas as pd

    frames = []
    try:
        for file, delimiter in zip(files, delimiters, strict=True):
            if file.stat().st_size == 0:
                continue
            try:  # the fast path: every cell is a number or empty
                frame = pd.read_csv(file, header=None, sep=delimiter, dtype=np.float32)
            except ValueError:
                frame = pd.read_csv(file, header=None, sep=delimiter, dtype=str,
                                    keep_default_na=False).apply(pd.to_numeric, errors="coerce")
            frames.append(frame)
        table = pd.concat(frames, ignore_index=True).to_numpy(dtype=np.float32)
    except (ValueError, pd.errors.ParserError) as error:
        raise UserError(f"Failed to load csv data with exception:\n{error}") from None
    label = np.nan_to_num(table[:, 0], nan=0.0)
    first_feature = 2 if csv_weights else 1
    weights = table[:, 1] if csv_weights else None
    return label, table[:, first_feature:], weights


def _load_libsvm(files: list[Path]):
    from sklearn.datasets import load_svmlight_files

    try:
        loaded = load_svmlight_files([str(f) for f in files if f.stat().st_size])
    except (ValueError, OSError) as error:
        raise UserError(f"Failed to load libsvm data with exception:\n{error}") from None
    from scipy.sparse import vstack  # the files share one feature count

    matrices, labels = loaded[0::2], loaded[1::2]
    return np.concatenate(labels), vstack(matrices).tocsr(), None
