"""A container process: the stand-in for the built-in XGBoost image on this machine.

It imports XGBoost first (seconds), then waits on stdin for one command: train a job folder or
serve a model folder. The platform keeps one such process warm, so a training job or an endpoint
starts in milliseconds. When the server that launched it goes away its stdin closes, and the
process exits, so no model server outlives the offline server.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path


def _exit_when_stdin_closes() -> None:
    def wait() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)

    threading.Thread(target=wait, name="parent-watch", daemon=True).start()


def main() -> int:
    import numpy  # noqa: F401 - imported ahead of the command, that is the point
    import pandas  # noqa: F401
    import xgboost  # noqa: F401

    line = sys.stdin.buffer.readline()
    if not line:
        return 0
    command = json.loads(line)
    _exit_when_stdin_closes()
    if command["role"] == "train":
        from .training.algorithm import main as train

        return train(Path(command["root"]), command["image_version"])
    if command["role"] == "serve":
        from .serving.model_server import serve

        return serve(Path(command["model_dir"]), command["image_version"])
    print(f"unknown container command {command!r}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the stdin watcher is still blocked in a read; do not wait for it
