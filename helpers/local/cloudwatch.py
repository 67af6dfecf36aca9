"""Write a process's output to a CloudWatch Logs stream, as SageMaker's log agent does."""

from __future__ import annotations

import queue
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
        """Ship every line of ``pipe`` from background threads, many lines per request;
        ``on_line`` sees each line first. Join the returned thread to wait for the last one."""
        lines: queue.SimpleQueue = queue.SimpleQueue()

        def read() -> None:
            for raw in iter(pipe.readline, b""):
                line = raw.decode("utf-8", errors="replace")
                if on_line is not None:
                    on_line(line)
                lines.put(line)
            pipe.close()
            lines.put(None)

        def send() -> None:
            finished = False
            while not finished:
                batch = [lines.get()]
                while len(batch) < 1000:
                    try:
                        batch.append(lines.get_nowait())
                    except queue.Empty:
                        break
                finished = batch[-1] is None
                batch = [line for line in batch if line is not None]
                try:
                    self.write(batch)
                except Exception:  # a lost log line must never stop the process it follows
                    pass

        threading.Thread(target=read, name=f"read:{self.stream}", daemon=True).start()
        sender = threading.Thread(target=send, name=f"logs:{self.stream}", daemon=True)
        sender.start()
        return sender
