"""Keep one container process warm, so jobs and endpoints start without importing XGBoost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


def _container_env() -> dict[str, str]:
    """A container sees no AWS settings and no credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PROJECT_ROOT, env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    # OpenMP threads that spin while waiting lose several times their speed as soon as another
    # process takes a core (a spare container importing, the server itself); sleeping does not.
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    return env


class WarmPool:
    def __init__(self, spares: int = 1) -> None:
        self.spares = spares
        self._ready: list[subprocess.Popen] = []
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "helpers.local.container"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=_container_env(), start_new_session=True,
        )

    def fill(self) -> None:
        """Start spares in the background until there are enough."""

        def top_up() -> None:
            while True:
                with self._lock:
                    self._ready = [p for p in self._ready if p.poll() is None]
                    if self._closed or len(self._ready) >= self.spares:
                        return
                process = self._spawn()
                with self._lock:
                    if self._closed:
                        process.stdin.close()
                        return
                    self._ready.append(process)

        threading.Thread(target=top_up, name="warm-pool", daemon=True).start()

    def launch(self, command: dict) -> subprocess.Popen:
        """A container process running ``command``; its stdout carries the container's log."""
        with self._lock:
            live = [p for p in self._ready if p.poll() is None]
            process = live.pop(0) if live else None
            self._ready = live
        if process is None:
            process = self._spawn()
        process.stdin.write(json.dumps(command).encode() + b"\n")
        process.stdin.flush()
        self.fill()
        return process

    def close(self) -> None:
        with self._lock:
            self._closed = True
            spares, self._ready = self._ready, []
        for process in spares:
            process.stdin.close()
