"""The one seam between AWS and the offline backend: a ready boto3 and SageMaker session.

Everything a notebook does after ``open_backend`` is the real SDK and boto3 code. Offline, boto3's
standard ``AWS_ENDPOINT_URL`` sends every client (s3, sts, iam, logs, sagemaker,
sagemaker-runtime) to the local server, with dummy credentials, so no call can reach AWS; on AWS
those overrides are removed again, so no call can reach the local server.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

BACKENDS = ("local", "aws", "auto")
DEFAULT_REGION = "us-east-1"
OFFLINE_ROLE_NAME = "AmazonSageMaker-ExecutionRole-offline"
ROLE_ENV = "SAGEMAKER_EXECUTION_ROLE"
NOTEBOOK_METADATA = Path("/opt/ml/metadata/resource-metadata.json")
_TELEMETRY_OFF = {
    "SchemaVersion": "1.0",
    "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
}
_LOCAL_ENV = {  # what the offline backend sets; None means removed
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": None,
    "AWS_SECURITY_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_DEFAULT_PROFILE": None,
    "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
}
_saved_env: dict[str, str | None] = {}


@dataclass
class Backend:
    """What a notebook needs to talk to SageMaker, whichever world it runs in."""

    name: str
    region: str
    role: str
    boto_session: boto3.session.Session
    session: Any  # sagemaker.Session (imported lazily: the import reads the environment)
    endpoint_url: str | None = None
    server_id: str | None = None  # changes when the offline server is restarted

    @property
    def account_id(self) -> str:
        return self.boto_session.client("sts").get_caller_identity()["Account"]


def resolve(name: str) -> str:
    """``auto`` means AWS on a SageMaker notebook instance or Studio, never merely because
    credentials happen to exist; everywhere else it means the offline backend."""
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "auto":
        return "aws" if NOTEBOOK_METADATA.is_file() else "local"
    return name


def open_backend(name: str = "local", region: str | None = None,
                 role: str | None = None) -> Backend:
    """A ready backend: ``local`` starts the offline server if needed; ``aws`` uses the
    default credential chain (the notebook instance's role on SageMaker)."""
    name = resolve(name)
    if name == "local":
        return _open_local(region or DEFAULT_REGION)
    return _open_aws(region, role)


def _apply_local_env(url: str, region: str) -> None:
    for key, value in {**_LOCAL_ENV, "AWS_ENDPOINT_URL": url, "AWS_DEFAULT_REGION": region,
                       "AWS_REGION": region}.items():
        if key not in _saved_env:
            _saved_env[key] = os.environ.get(key)
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    for key in [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL_")]:
        _saved_env.setdefault(key, os.environ[key])
        del os.environ[key]


def clear_local_env() -> None:
    """Undo every override the offline backend made, restoring what was there before."""
    for key, value in _saved_env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    _saved_env.clear()
    for key in [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL")]:
        del os.environ[key]


def quiet_sdk() -> None:
    """Keep SDK start-up chatter (config-file INFO lines) out of notebook output."""
    for name in ("sagemaker.config", "sagemaker.telemetry", "botocore.credentials",
                 "botocore.configprovider"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _open_local(region: str) -> Backend:
    from .local import start

    server = start()
    _apply_local_env(server.url, region)
    quiet_sdk()
    from .local.sdk_session import OfflineSession

    boto_session = boto3.session.Session(region_name=region)
    role = _offline_role(boto_session)
    session = OfflineSession(boto_session=boto_session, sagemaker_config=_TELEMETRY_OFF,
                             execution_role=role)
    return Backend("local", region, role, boto_session, session, server.url, server.token)


def _offline_role(boto_session: boto3.session.Session) -> str:
    """The execution role SageMaker assumes, created once in the local IAM."""
    iam = boto_session.client("iam")
    try:
        return iam.get_role(RoleName=OFFLINE_ROLE_NAME)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        pass
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName=OFFLINE_ROLE_NAME, Path="/service-role/",
                           AssumeRolePolicyDocument=json.dumps(trust),
                           Description="SageMaker execution role of the offline backend")
    access = {  # what the tutorial's role needs: its data in S3, its logs, SageMaker itself
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:*", "logs:*", "sagemaker:*"],
                       "Resource": "*"}],
    }
    iam.put_role_policy(RoleName=OFFLINE_ROLE_NAME, PolicyName="offline-tutorial-access",
                        PolicyDocument=json.dumps(access))
    return role["Role"]["Arn"]


def _open_aws(region: str | None, role: str | None) -> Backend:
    clear_local_env()
    quiet_sdk()
    import sagemaker

    boto_session = boto3.session.Session(region_name=region) if region else boto3.session.Session()
    if boto_session.region_name is None:
        raise ValueError("no AWS region: set region in the parameters or AWS_DEFAULT_REGION")
    session = sagemaker.Session(boto_session=boto_session)
    # On a notebook instance the SDK finds the role; elsewhere name it in the environment.
    role = role or os.environ.get(ROLE_ENV) or sagemaker.get_execution_role(
        sagemaker_session=session)
    return Backend("aws", boto_session.region_name, role, boto_session, session, None)
