"""Start, find, stop and inspect the offline server process."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import state

START_TIMEOUT = 60.0


class LocalServerError(RuntimeError):
    """The offline server cannot be started, reached or stopped."""


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int
    state_dir: Path
    token: str = ""


def code_version() -> str:
    """A fingerprint of the offline backend's source, so a server left running by an older
    checkout is noticed and replaced."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _health(url: str, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(f"{url}/_local/health", timeout=timeout) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def find(folder: Path | None = None) -> RunningServer | None:
    """The server this state folder started, if it is alive and really ours."""
    folder = folder or state.state_dir()
    record = state.read_server(folder)
    if not record:
        return None
    health = _health(record["url"])
    if not health or health.get("token") != record["token"]:
        return None  # dead, or another process now owns that port
    return RunningServer(record["url"], record["pid"], folder, record["token"])


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(port: int | None = None, folder: Path | None = None) -> RunningServer:
    """Start the server in the background unless it already runs; wait until it is healthy.

    ``port`` None lets the system pick a free port, so two users on one host never collide.
    A port that is asked for but busy is an error, never shared.
    """
    folder = folder or state.state_dir()
    with state.locked(folder):
        running = find(folder)
        if running and (_health(running.url) or {}).get("code") == code_version():
            return running
        if running:  # started from other code: replace it (its resources go with it)
            _stop(folder)
        if port is None:
            port = int(os.environ.get("LOCAL_AWS_PORT", "0"))
        if port and not _port_is_free(port):
            raise LocalServerError(
                f"port {port} on 127.0.0.1 is already in use by another process; "
                "pick another port or leave LOCAL_AWS_PORT unset to get a free one"
            )
        token = secrets.token_hex(16)
        log_path = folder / "server.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "helpers.local", "--state-dir", str(folder), "serve",
                 "--port", str(port), "--token", token],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, cwd=str(folder), env=_server_env(),
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            record = state.read_server(folder)
            if record and record.get("token") == token and _health(record["url"]):
                return RunningServer(record["url"], record["pid"], folder, token)
            if process.poll() is not None:
                break
            time.sleep(0.05)
        process.kill()
        raise LocalServerError(
            f"the local server did not start; the end of {log_path}:\n" + _tail(log_path)
        )


def _server_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def stop(folder: Path | None = None, timeout: float = 15.0) -> bool:
    """Stop the server and its model servers. True if one was running."""
    folder = folder or state.state_dir()
    with state.locked(folder):
        return _stop(folder, timeout)


def _stop(folder: Path, timeout: float = 15.0) -> bool:
    """Stop the recorded server; the caller holds the state folder's lock."""
    record = state.read_server(folder)
    if not record:
        return False
    running = find(folder)
    if running is None:  # stale record: never signal a pid we cannot prove is ours
        state.forget_server(folder, record["token"])
        return False
    os.kill(running.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(running.pid):
        time.sleep(0.05)
    if _alive(running.pid):
        os.kill(running.pid, signal.SIGKILL)
    state.forget_server(folder, record["token"])
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        waited, _ = os.waitpid(pid, os.WNOHANG)
        return waited == 0
    except ChildProcessError:
        return True
