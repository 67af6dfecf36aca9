"""What every notebook does first: check its parameters, open the backend, load the run state,
and make its output the same on every run (display options, plot size, no stray warnings)."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

from . import params as parameters
from .backend import Backend, open_backend
from .runstate import RunState, StepOrderError, run_folder

SUITE = "sagemaker-xgboost-notebooks"
RUN_ID_TAG = "tutorial-run-id"
SUITE_TAG = "tutorial-suite"
# Steps that need nothing from earlier ones, or must work whatever is left of them.
STARTS_A_RUN = ("01_notebook_instance", "02_jupyter_and_sdk", "03_s3_bucket")
CLEANS_UP = ("08_cleanup",)


def quiet_and_deterministic() -> None:
    """Fix what would otherwise vary between runs or clutter a cell's output."""
    import matplotlib
    import numpy as np
    import pandas as pd

    for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", message=".*Unknown file format.*")
    pd.set_option("display.max_columns", 12)
    pd.set_option("display.width", 110)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.precision", 4)
    matplotlib.rcParams.update({"figure.figsize": (6.4, 4.8), "figure.dpi": 100})
    np.random.seed(1729)
    logging.getLogger("botocore").setLevel(logging.WARNING)


def plain_tracebacks() -> None:
    """Importing the SDK installs rich's traceback renderer in IPython, which turns a cell's
    error into an HTML picture with no exception name: papermill and nbval then cannot say what
    failed. Restore IPython's own traceback, which shows the same message as plain text."""
    import sys

    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        for name in ("_showtraceback", "showtraceback", "showsyntaxerror"):
            shell.__dict__.pop(name, None)
    sys.excepthook = sys.__excepthook__


@dataclass
class Step:
    """One notebook's context: its name, parameters, backend and the run state."""

    name: str
    params: dict[str, Any]
    backend: Backend
    state: RunState

    @property
    def session(self):
        return self.backend.session

    @property
    def role(self) -> str:
        return self.backend.role

    @property
    def region(self) -> str:
        return self.backend.region

    @property
    def run_id(self) -> str:
        return self.params.get("run_id") or self.state.run_id

    @property
    def tags(self) -> list[dict[str, str]]:
        """On every resource the suite makes, so cleanup and audits can find it."""
        return [{"Key": SUITE_TAG, "Value": SUITE}, {"Key": RUN_ID_TAG, "Value": self.run_id}]

    def require(self, *keys: str) -> list[Any]:
        return self.state.require(self.name, *keys)

    def record(self, **values: Any) -> None:
        self.state.record(self.name, **values)


def begin(step: str, **values: Any) -> Step:
    """Start a notebook: ``begin("05_train", backend=backend, region=region, ...)``."""
    quiet_and_deterministic()
    checked = parameters.validate(values)
    state = RunState(run_folder(checked.get("run_dir", "")))
    backend = open_backend(checked.get("backend", "local"), checked.get("region"))
    plain_tracebacks()
    if step not in STARTS_A_RUN + CLEANS_UP:
        _check_same_world(step, state, backend)
    return Step(step, checked, backend, state)


def _check_same_world(step: str, state: RunState, backend: Backend) -> None:
    """Resources recorded by earlier notebooks must still be reachable from this backend."""
    recorded = state.get("backend")
    if recorded and recorded != backend.name:
        raise StepOrderError(
            f"the earlier notebooks of this run used the {recorded} backend and {step} uses "
            f"{backend.name}; use the same backend, or start a new run folder from 03_s3_bucket"
        )
    if recorded and state.get("region") != backend.region:
        raise StepOrderError(
            f"the earlier notebooks of this run used region {state.get('region')} and {step} "
            f"uses {backend.region}; use the same region"
        )
    server = state.get("offline_server")
    if backend.name == "local" and server and server != backend.server_id:
        raise StepOrderError(
            "the offline server was restarted after 03_s3_bucket ran (it was stopped, or the "
            "machine slept or rebooted), so the bucket, data, model and endpoint it held are "
            "gone. Re-run the notebooks from 03_s3_bucket; python -m helpers.local status "
            "shows what the server holds now"
        )
