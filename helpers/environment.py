"""Check that this machine can play the notebook instance (notebook 01)."""

from __future__ import annotations

import importlib.metadata
import sys

import pandas as pd

from .backend import Backend

REQUIRED = {"sagemaker": ("2.257", "3"), "boto3": ("1.35", None), "xgboost": ("2.1", "4"),
            "pandas": ("2.2", None), "matplotlib": ("3.8", None)}


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def checks(backend: Backend) -> pd.DataFrame:
    """One row per requirement, with ``ok`` or what is wrong."""
    rows = [("Python 3.10 or newer",
             "ok" if sys.version_info >= (3, 10) else f"found {sys.version.split()[0]}")]
    for package, (low, high) in REQUIRED.items():
        wanted = f"{package} >= {low}" + (f", < {high}" if high else "")
        try:
            found = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            rows.append((wanted, "missing: run make install"))
            continue
        ok = _version_tuple(found) >= _version_tuple(low) and (
            high is None or _version_tuple(found) < _version_tuple(high))
        rows.append((wanted, "ok" if ok else f"found {found}"))
    try:
        backend.boto_session.client("sts").get_caller_identity()
        reachable = "ok"
    except Exception as error:  # any failure here is what the learner needs to see
        reachable = f"failed: {error}"
    where = "the offline server" if backend.name == "local" else "AWS"
    rows.append((f"{where} answers (STS GetCallerIdentity)", reachable))
    return pd.DataFrame(rows, columns=["check", "result"])
