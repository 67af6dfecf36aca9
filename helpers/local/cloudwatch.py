"""Write a process's output to a CloudWatch Logs stream, as SageMaker's log agent does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from .loopback import ACCOUNT_ID, Loopback


class LogStream:
    """One CloudWatch Logs stream, created on first write. Tabs become ``#011`` as on AWS."""

    def __init__(self, loopback: Loopback, region: str, group: str, stream: str) -> None:
        self.loopback = loopback
        self.region = region
        self.group = group
        self.stream = stream
        self._created = False
        self._lock = threading.Lock()

    @property
    def arn(self) -> str:
        group = f"arn:aws:logs:{self.region}:{ACCOUNT_ID}:log-group:{self.group}"
        return f"{group}:log-stream:{self.stream}"

    def open(self) -> None:
        """Create the group and stream now, before anything is written to them."""
        with self._lock:
            if not self._created:
                self._create(self.loopback.client("logs", self.region))

    def _create(self, logs) -> None:
        for call, kwargs in ((logs.create_log_group, {}),
                             (logs.create_log_stream, {"logStreamName": self.stream})):
            try:
                call(logGroupName=self.group, **kwargs)
            except logs.exceptions.ResourceAlreadyExistsException:
                pass
        self._created = True

    def write(self, lines: Iterable[str]) -> None:
        stamp = int(time.time() * 1000)
        events = [{"timestamp": stamp, "message": line.rstrip("\n").replace("\t", "#011")}
                  for line in lines]
        if not events:
            return
        logs = self.loopback.client("logs", self.region)
        with self._lock:
            if not self._created:
                self._create(logs)
            logs.put_log_events(logGroupName=self.group, logStreamName=self.stream,
                                logEvents=events)

    def follow(self, pipe, on_line=None) -> threading.Thread:
        """Ship every line of ``pipe`` in a background thread; ``on_line`` sees each first."""

        def pump() -> None:
            for raw in iter(pipe.readline, b""):
                line = raw.decode("utf-8", errors="replace")
                if on_line is not None:
                    on_line(line)
                try:
                    self.write([line])
                except Exception:  # a lost log line must never stop the process it follows
                    pass
            pipe.close()

        thread = threading.Thread(target=pump, name=f"logs:{self.stream}", daemon=True)
        thread.start()
        return thread
