"""What the offline server holds (for ``python -m helpers.local status``)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone


def fetch(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/_local/status", timeout=5) as response:
        return json.loads(response.read())


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe_everything(url: str) -> Iterator[str]:
    status = fetch(url)
    jobs, endpoints = status["TrainingJobs"], status["Endpoints"]
    yield f"training jobs ({len(jobs)}):"
    for job in jobs:
        yield (f"  {job['TrainingJobName']}  {job['TrainingJobStatus']}/{job['SecondaryStatus']}"
               f"  {job['region']}  created {_when(job['CreationTime'])}")
    yield f"endpoints ({len(endpoints)}):"
    for endpoint in endpoints:
        pids = ", ".join(str(s["pid"]) for s in endpoint["ModelServers"]) or "-"
        yield (f"  {endpoint['EndpointName']}  {endpoint['EndpointStatus']}  {endpoint['region']}"
               f"  model server pid {pids}")
