"""The offline server's state folder: where it listens, its log, its job and model folders.

One folder per project checkout (``.local-aws/`` at its root) unless ``LOCAL_AWS_STATE_DIR``
names another, so two users on one host never share a server by accident.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

STATE_ENV = "LOCAL_AWS_STATE_DIR"
_RECORD = "server.json"


def state_dir() -> Path:
    """The state folder in use, created if needed."""
    configured = os.environ.get(STATE_ENV)
    if configured:
        path = Path(configured).expanduser()
    else:
        root = Path(__file__).resolve().parents[2]
        if (root / "pyproject.toml").is_file():
            path = root / ".local-aws"
        else:  # installed as a package: a per-user folder
            base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
            path = Path(base) / "sagemaker-xgboost-offline"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Serialise start and stop between processes of the same user."""
    with open(folder / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def record_server(folder: Path, record: dict) -> None:
    tmp = folder / f".{_RECORD}.{os.getpid()}"
    tmp.write_text(json.dumps(record, indent=2))
    os.replace(tmp, folder / _RECORD)


def read_server(folder: Path) -> dict | None:
    try:
        return json.loads((folder / _RECORD).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def forget_server(folder: Path, token: str) -> None:
    """Remove the record, but only if it is still this server's."""
    record = read_server(folder)
    if record and record.get("token") == token:
        with contextlib.suppress(FileNotFoundError):
            (folder / _RECORD).unlink()
