"""Read a training job's per-round metrics back from its CloudWatch log."""

from __future__ import annotations

import re

import pandas as pd

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
_ROUND = re.compile(r"^\[(\d+)\](?:#011|\t)(.+)$")


def metric_history(boto_session, job_name: str) -> pd.DataFrame:
    """One row per boosting round, one column per ``<channel>-<metric>`` the job printed."""
    logs = boto_session.client("logs")
    streams = logs.describe_log_streams(logGroupName=LOG_GROUP,
                                        logStreamNamePrefix=f"{job_name}/")["logStreams"]
    rows: dict[int, dict[str, float]] = {}
    for stream in streams:
        token = None
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = logs.get_log_events(logGroupName=LOG_GROUP,
                                       logStreamName=stream["logStreamName"],
                                       startFromHead=True, **kwargs)
            for event in page["events"]:
                match = _ROUND.match(event["message"])
                if match:
                    values = dict(item.split(":", 1)
                                  for item in re.split(r"#011|\t", match[2]))
                    rows[int(match[1])] = {k: float(v) for k, v in values.items()}
            if page.get("nextForwardToken") in (None, token):
                break
            token = page["nextForwardToken"]
    if not rows:
        raise ValueError(f"no per-round metrics in the log of {job_name}")
    return pd.DataFrame.from_dict(rows, orient="index").sort_index().rename_axis("round")


def plot_history(history: pd.DataFrame, metric: str = "logloss", ax=None):
    columns = [c for c in history.columns if c.endswith(f"-{metric}")]
    ax = history[columns].plot(ax=ax, marker=".")
    ax.set_xlabel("boosting round")
    ax.set_ylabel(metric)
    ax.set_title(f"{metric} per round")
    return ax
