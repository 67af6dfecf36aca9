"""The run state: what one notebook made that a later one needs, in ``<run folder>/state.json``.

Run out of order, a notebook stops at once and names the notebook to run first.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from .params import ROOT

RUN_DIR_ENV = "TUTORIAL_RUN_DIR"
STEPS = ("01_notebook_instance", "02_jupyter_and_sdk", "03_s3_bucket", "04_prepare_data",
         "05_train", "06_deploy", "07_evaluate", "08_cleanup")
PRODUCED_BY = {
    "backend": "03_s3_bucket", "region": "03_s3_bucket", "bucket": "03_s3_bucket",
    "output_path": "03_s3_bucket", "offline_server": "03_s3_bucket",
    "train_uri": "04_prepare_data", "test_uri": "04_prepare_data",
    "test_rows": "04_prepare_data",
    "job_name": "05_train", "model_data": "05_train", "image_uri": "05_train",
    "endpoint_name": "06_deploy", "model_name": "06_deploy",
    "endpoint_config_name": "06_deploy",
    "accuracy": "07_evaluate", "confusion": "07_evaluate",
}


class StepOrderError(RuntimeError):
    """A notebook needs something an earlier notebook makes, and it is not there."""


def run_folder(run_dir: str | os.PathLike = "") -> Path:
    """The parameter, else ``$TUTORIAL_RUN_DIR``, else ``runs/manual`` in the project."""
    chosen = str(run_dir) or os.environ.get(RUN_DIR_ENV) or str(ROOT / "runs" / "manual")
    folder = Path(chosen).expanduser()
    if not folder.is_absolute():
        folder = ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class RunState:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "state.json"
        try:
            self.values: dict[str, Any] = json.loads(self.path.read_text())
        except FileNotFoundError:
            self.values = {}
        except json.JSONDecodeError as error:
            raise StepOrderError(f"{self.path} is damaged ({error}); delete it and run the "
                                 "notebooks again from 03_s3_bucket") from None

    @property
    def run_id(self) -> str:
        return self.values.get("run_id") or self.folder.name

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def require(self, step: str, *keys: str) -> list[Any]:
        """The values, or a StepOrderError naming the notebook that makes the first missing one."""
        for key in keys:
            if self.values.get(key) in (None, ""):
                producer = PRODUCED_BY.get(key, "an earlier notebook")
                raise StepOrderError(
                    f"{step} needs the {key.replace('_', ' ')} that {producer} records, and "
                    f"{self.path} has none: run notebooks/{producer}.ipynb first (the "
                    f"notebooks run in order, 01 to 08)"
                )
        return [self.values[k] for k in keys]

    def record(self, step: str, **values: Any) -> None:
        """Store values and mark the step done."""
        self.values.update(values)
        self.values.setdefault("steps", {})[step] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        self._save()

    def update(self, **values: Any) -> None:
        """Store values that belong to the run rather than to one step (its run id)."""
        self.values.update(values)
        self._save()

    def forget(self, *keys: str) -> None:
        """Drop values whose resources no longer exist (after cleanup)."""
        for key in keys:
            self.values.pop(key, None)
        self._save()

    def _save(self) -> None:
        """Written atomically: a crash never leaves half a state file."""
        handle, tmp = tempfile.mkstemp(dir=self.folder, suffix=".json")
        with os.fdopen(handle, "w") as out:
            json.dump(self.values, out, indent=2, sort_keys=True, default=str)
        os.replace(tmp, self.path)
