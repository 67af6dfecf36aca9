"""The tutorial's data set: find or download ``bank_clean.csv``, check it, split it, write channels.

The file is the UCI Bank Marketing data prepared by the tutorial's recipe: numeric columns, two
derived flags, one 0/1 column per category level and the label pair ``y_no`` / ``y_yes``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd

TUTORIAL_URL = (
    "https://d1.awsstatic.com/tmt/build-train-deploy-machine-learning-model-sagemaker/"
    "bank_clean.27f01fbbdf43271788427f3682996ae29ceca05d.csv"
)
SOURCE_ENV = "BANK_CLEAN_CSV"
EXPECTED_ROWS = 41188
LABEL = "y_yes"
LABEL_COLUMNS = ["y_no", "y_yes"]
SPLIT_SEED = 1729
TRAIN_FRACTION = 0.7

# The recipe's columns, from the UCI data description (bank-additional-names.txt).
NUMERIC = ["age", "campaign", "pdays", "previous"]
DERIVED = ["no_previous_contact", "not_working"]
CATEGORY_LEVELS = {
    "job": ["admin.", "blue-collar", "entrepreneur", "housemaid", "management", "retired",
            "self-employed", "services", "student", "technician", "unemployed", "unknown"],
    "marital": ["divorced", "married", "single", "unknown"],
    "education": ["basic.4y", "basic.6y", "basic.9y", "high.school", "illiterate",
                  "professional.course", "university.degree", "unknown"],
    "default": ["no", "unknown", "yes"],
    "housing": ["no", "unknown", "yes"],
    "loan": ["no", "unknown", "yes"],
    "contact": ["cellular", "telephone"],
    "month": ["apr", "aug", "dec", "jul", "jun", "mar", "may", "nov", "oct", "sep"],
    "day_of_week": ["fri", "mon", "thu", "tue", "wed"],
    "poutcome": ["failure", "nonexistent", "success"],
}


class DataError(ValueError):
    """The data file is missing, truncated or not the tutorial's ``bank_clean.csv``."""


def expected_columns() -> list[str]:
    dummies = [f"{name}_{level}" for name, levels in CATEGORY_LEVELS.items() for level in levels]
    return NUMERIC + DERIVED + dummies + LABEL_COLUMNS


def locate(source: str | os.PathLike | None = None, cache_dir: Path | None = None) -> Path:
    """A local copy of the data: ``source`` (a path or URL), else ``$BANK_CLEAN_CSV``, else the
    tutorial's public address, downloaded once into ``cache_dir``."""
    source = source or os.environ.get(SOURCE_ENV) or TUTORIAL_URL
    text = str(source)
    if not text.startswith(("http://", "https://")):
        path = Path(text).expanduser()
        if not path.is_absolute():  # relative to the project, wherever the kernel runs
            path = Path(__file__).resolve().parents[1] / path
        if not path.is_file():
            raise DataError(f"no data file at {path}; set {SOURCE_ENV} or the data_source "
                            "parameter to the path of bank_clean.csv")
        return path
    cache_dir = Path(cache_dir or Path(__file__).resolve().parents[1] / "data")
    cached = cache_dir / "bank_clean.csv"
    if not cached.is_file():
        download(text, cached)
    return cached


def download(url: str, destination: Path, timeout: float = 60.0) -> None:
    """Fetch ``url`` to ``destination`` atomically: a failed download leaves no file behind."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=destination.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as rsp:
            shutil.copyfileobj(rsp, out)
        os.replace(partial, destination)
    except (urllib.error.URLError, OSError) as error:
        raise DataError(f"could not download {url}: {error}. Without network access, set "
                        f"{SOURCE_ENV} to a local copy of bank_clean.csv") from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def load(path: str | os.PathLike) -> pd.DataFrame:
    """Read the file as the tutorial does (``index_col=0``) and check it is the right one."""
    path = Path(path)
    head = path.read_bytes()[:512].lstrip().lower()
    if not head:
        raise DataError(f"{path} is empty")
    if head.startswith((b"<!doctype", b"<html", b"<?xml")):
        raise DataError(f"{path} is an HTML or XML page, not CSV: the download probably "
                        "returned an error page. Delete it and download again")
    try:
        frame = pd.read_csv(path, index_col=0, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise DataError(f"{path} cannot be read as CSV: {error}") from None
    validate(frame, source=str(path))
    return frame


def validate(frame: pd.DataFrame, source: str = "the data") -> None:
    """Shape, column names, numbers only, no gaps, 0/1 dummies and one label per row."""
    expected = expected_columns()
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    if missing or extra:
        raise DataError(f"{source} does not have the columns of bank_clean.csv: "
                        f"missing {missing or 'none'}, unexpected {extra or 'none'}")
    if len(frame) != EXPECTED_ROWS:
        raise DataError(f"{source} has {len(frame):,} rows, bank_clean.csv has "
                        f"{EXPECTED_ROWS:,}: the file is truncated or not the tutorial's")
    non_numeric = [c for c in expected if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        repeated = (frame[expected].astype(str) == pd.Index(expected)).all(axis=1)
        if repeated.any():
            raise DataError(f"{source} repeats its header row inside the data (at index "
                            f"{repeated.idxmax()}): remove it, the file has one header line")
        raise DataError(f"{source} has non-numeric values in {non_numeric[:5]}")
    gaps = [c for c in expected if frame[c].isna().any()]
    if gaps:
        raise DataError(f"{source} has missing values in {gaps[:5]}")
    flags = [c for c in expected if c not in NUMERIC]
    not_binary = [c for c in flags if not frame[c].isin([0, 1]).all()]
    if not_binary:
        raise DataError(f"{source} has values other than 0 and 1 in {not_binary[:5]}")
    if not (frame["y_no"] + frame["y_yes"] == 1).all():
        raise DataError(f"{source}: every row must have exactly one of y_no and y_yes set")


def split(frame: pd.DataFrame, train_fraction: float = TRAIN_FRACTION,
          seed: int = SPLIT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tutorial's shuffle and cut. (Its ``np.split`` on a DataFrame returns numpy arrays
    under pandas 3, so the cut is made with ``iloc``.)"""
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be between 0 and 1, not {train_fraction}")
    shuffled = frame.sample(frac=1, random_state=seed)
    cut = int(train_fraction * len(shuffled))
    return shuffled.iloc[:cut], shuffled.iloc[cut:]


def label_first(frame: pd.DataFrame) -> pd.DataFrame:
    """The built-in algorithm's CSV layout: the label, then the features."""
    return pd.concat([frame[LABEL], frame.drop(columns=LABEL_COLUMNS)], axis=1)


def features(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=LABEL_COLUMNS)


def write_channel(frame: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write label-first, header-less CSV, as the algorithm reads it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    label_first(frame).to_csv(path, index=False, header=False)
    return path
