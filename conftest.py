"""Test-session settings shared by the unit, contract and notebook (nbval) tests: one offline
server and one run folder in temporary places, never a learner's own; the shared data set."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SHARED_CSV = Path(__file__).resolve().parent.parent / "shared" / "data" / "bank_clean.csv"


def pytest_configure(config):
    os.environ["SAGEMAKER_SUPPRESS_V2_WARNING"] = "1"
    if SHARED_CSV.is_file():
        os.environ.setdefault("BANK_CLEAN_CSV", str(SHARED_CSV))
    if "LOCAL_AWS_STATE_DIR" not in os.environ:
        os.environ["LOCAL_AWS_STATE_DIR"] = tempfile.mkdtemp(prefix="local-aws-tests-")
        config._local_aws_owned = True
    os.environ.setdefault("TUTORIAL_RUN_DIR", tempfile.mkdtemp(prefix="tutorial-run-tests-"))


def pytest_unconfigure(config):
    if getattr(config, "_local_aws_owned", False):
        from helpers.local import stop

        stop(Path(os.environ["LOCAL_AWS_STATE_DIR"]))
