"""A ``sagemaker.Session`` for the offline backend: same calls, no minutes of sleeping.

The SDK sleeps 30 s before each endpoint status check and 5 to 30 s between training polls,
because AWS takes minutes. Offline a job takes seconds, so this subclass polls every fraction of
a second. It also prints progress deterministically (one ``-`` then ``!`` for an endpoint, the
log lines of a training job before the transitions that follow them), so recorded notebook
outputs can be compared. The notebook code does not change: ``Estimator(...).fit()`` and
``.deploy()`` call these methods through the session they were given.
"""

from __future__ import annotations

import functools
import json
import sys
import time

import sagemaker
import sagemaker.utils
from sagemaker.session import _check_job_status, _flush_log_streams, _logs_init
from sagemaker.utils import secondary_training_status_message

POLL_SECONDS = 0.1
TERMINAL = ("Completed", "Failed", "Stopped")
_BEFORE_LOGS = ("Starting", "Downloading", "Training")


def _validate_config_once() -> None:
    """Telemetry can only be turned off through the SDK's config, and the SDK re-validates that
    config against its JSON schema on every one of the ~20 lookups a ``deploy()`` makes (about
    3 s). Validating each distinct config once gives the same answers without the wait."""
    validate = sagemaker.utils.validate_sagemaker_config
    if getattr(validate, "cached", False):
        return

    @functools.lru_cache(maxsize=8)
    def validate_text(text: str) -> None:
        validate(json.loads(text))

    def validate_once(config: dict | None = None) -> None:
        validate_text(json.dumps(config, sort_keys=True, default=str))

    validate_once.cached = True
    sagemaker.utils.validate_sagemaker_config = validate_once


class OfflineSession(sagemaker.Session):
    """The SDK's Session with fast polls and STS calls that honour ``AWS_ENDPOINT_URL``."""

    def __init__(self, *args, execution_role: str, **kwargs) -> None:
        _validate_config_once()
        super().__init__(*args, **kwargs)
        self._execution_role = execution_role

    # The SDK builds these STS clients with an explicit regional endpoint, which would bypass
    # the local server; offline, the caller is the local account and its execution role.
    def account_id(self) -> str:
        return self.boto_session.client("sts").get_caller_identity()["Account"]

    def get_caller_identity_arn(self) -> str:
        return self._execution_role

    def default_bucket(self) -> str:
        if not self._default_bucket and not self._default_bucket_name_override:
            region = self.boto_session.region_name
            self._default_bucket_name_override = f"sagemaker-{region}-{self.account_id()}"
        return super().default_bucket()

    def wait_for_job(self, job: str, poll: float = POLL_SECONDS) -> dict:
        return self.logs_for_job(job, wait=True, log_type="None")

    def logs_for_job(self, job_name, wait=False, poll=POLL_SECONDS, log_type="All", timeout=None):
        """Stream a training job's status and CloudWatch log, as the SDK prints them.

        All of a job's log lines reach CloudWatch before it leaves ``Training``, so flushing the
        log before printing any later transition gives the same order on every run.
        """
        client = self.sagemaker_client
        description = client.describe_training_job(TrainingJobName=job_name)
        show_logs = log_type in ("All", "Training", True)
        instance_count, names, positions, logs, group, dot, color = _logs_init(
            self.boto_session, description, job="Training"
        )

        def flush() -> None:
            if show_logs:
                _flush_log_streams(names, instance_count, logs, group, job_name, positions,
                                   dot, color)

        deadline = time.time() + timeout if timeout else None
        printed = 0
        while True:
            transitions = description.get("SecondaryStatusTransitions", [])
            for transition in transitions[printed:]:
                if transition["Status"] not in _BEFORE_LOGS:
                    flush()
                one = {"SecondaryStatusTransitions": [transition],
                       "LastModifiedTime": description["LastModifiedTime"]}
                print(secondary_training_status_message(one, None))
                printed += 1
            if transitions and transitions[-1]["Status"] not in ("Starting", "Downloading"):
                flush()
            if not wait or description["TrainingJobStatus"] in TERMINAL:
                break
            if deadline and time.time() > deadline:
                print(f"Timeout Exceeded. {timeout} seconds elapsed.")
                break
            time.sleep(poll)
            description = client.describe_training_job(TrainingJobName=job_name)
        sys.stdout.flush()
        if wait:
            _check_job_status(job_name, description, "TrainingJobStatus")
            self._print_billing(description, instance_count)
        return description

    @staticmethod
    def _print_billing(description: dict, instance_count: int) -> None:
        training_time = description.get("TrainingTimeInSeconds")
        billable_time = description.get("BillableTimeInSeconds")
        if training_time is not None:
            print("Training seconds:", training_time * instance_count)
        if billable_time is not None:
            print("Billable seconds:", billable_time * instance_count)
            if description.get("EnableManagedSpotTraining"):
                saving = (1 - float(billable_time) / training_time) * 100
                print(f"Managed Spot Training savings: {saving:.1f}%")

    def wait_for_endpoint(self, endpoint, poll=POLL_SECONDS, live_logging=False):
        """Wait for InService, printing ``-`` once while it is being created, then ``!``."""
        shown = False
        while True:
            description = self.sagemaker_client.describe_endpoint(EndpointName=endpoint)
            status = description["EndpointStatus"]
            if status not in ("Creating", "Updating"):
                break
            if not shown:
                print("-", end="")
                sys.stdout.flush()
                shown = True
            time.sleep(poll)
        if status != "InService":
            print("*")
            reason = description.get("FailureReason")
            raise sagemaker.exceptions.UnexpectedStatusException(
                message=f"Error hosting endpoint {endpoint}: {status}. Reason: {reason}.",
                allowed_statuses=["InService"],
                actual_status=status,
            )
        print("!" if shown else "-!")
        return description
