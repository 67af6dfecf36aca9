"""Endpoints that cannot serve: a model server that dies, model data that is missing or unsafe."""

from __future__ import annotations

import io
import os
import signal
import tarfile
import time
import uuid

import pytest
from botocore.exceptions import ClientError
from sagemaker.estimator import Estimator
from sagemaker.exceptions import UnexpectedStatusException
from sagemaker.inputs import TrainingInput
from sagemaker.model import Model
from sagemaker.serializers import CSVSerializer

from helpers.local import find
from helpers.local.inventory import fetch
from tests.support import xgboost_image


@pytest.fixture(scope="module")
def model_data(backend, bucket, channels) -> str:
    estimator = Estimator(xgboost_image(backend), backend.role, instance_count=1,
                          instance_type="ml.m5.large", output_path=f"s3://{bucket}/faults",
                          sagemaker_session=backend.session)
    estimator.set_hyperparameters(num_round=3, objective="binary:logistic")
    estimator.fit({"train": TrainingInput(channels["train"], content_type="csv")}, logs=False)
    return estimator.model_data


def _wait(sm, name: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        description = sm.describe_endpoint(EndpointName=name)
        if description["EndpointStatus"] != "Creating":
            return description
        time.sleep(0.05)
    raise TimeoutError(name)


def _model_servers(name: str) -> list[int]:
    status = fetch(find().url)
    return [s["pid"] for e in status["Endpoints"] if e["EndpointName"] == name
            for s in e["ModelServers"]]


def test_a_dead_model_server_fails_the_endpoint_which_can_be_deleted_and_recreated(
        backend, model_data, channels):
    sm = backend.boto_session.client("sagemaker")
    runtime = backend.boto_session.client("sagemaker-runtime")
    name = f"fault-{uuid.uuid4().hex[:8]}"
    model = Model(xgboost_image(backend), model_data=model_data, role=backend.role, name=name,
                  sagemaker_session=backend.session)
    model.deploy(1, "ml.m5.large", endpoint_name=name, serializer=CSVSerializer())
    row = ",".join(str(v) for v in channels["data"][0, 1:]).encode()
    assert runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv", Body=row)

    [pid] = _model_servers(name)
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    description = sm.describe_endpoint(EndpointName=name)
    assert description["EndpointStatus"] == "Failed"
    assert "exited unexpectedly" in description["FailureReason"]
    with pytest.raises(ClientError) as raised:
        runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv", Body=row)
    assert raised.value.response["Error"]["Code"] == "ValidationError"
    assert "is in status Failed" in raised.value.response["Error"]["Message"]

    sm.delete_endpoint(EndpointName=name)
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    assert _wait(sm, name)["EndpointStatus"] == "InService"
    assert runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv", Body=row)
    sm.delete_endpoint(EndpointName=name)
    sm.delete_endpoint_config(EndpointConfigName=name)
    sm.delete_model(ModelName=name)


def test_missing_model_data_fails_the_deploy(backend, bucket):
    model = Model(xgboost_image(backend), model_data=f"s3://{bucket}/nothing/model.tar.gz",
                  role=backend.role, sagemaker_session=backend.session)
    with pytest.raises(UnexpectedStatusException) as raised:
        model.deploy(1, "ml.m5.large")
    assert "Failed to download model data" in str(raised.value)
    model.sagemaker_session.delete_endpoint(model.endpoint_name)


def test_a_model_archive_with_dot_dot_members_is_refused(backend, bucket, tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        payload = b"not a model"
        member = tarfile.TarInfo("../../escaped-model-file")
        member.size = len(payload)
        tar.addfile(member, io.BytesIO(payload))
    backend.boto_session.client("s3").put_object(Bucket=bucket, Key="evil/model.tar.gz",
                                                 Body=buffer.getvalue())
    model = Model(xgboost_image(backend), model_data=f"s3://{bucket}/evil/model.tar.gz",
                  role=backend.role, sagemaker_session=backend.session)
    with pytest.raises(UnexpectedStatusException) as raised:
        model.deploy(1, "ml.m5.large")
    assert "Failed to extract model data archive" in str(raised.value)
    assert not list(find().state_dir.rglob("escaped-model-file"))
    model.sagemaker_session.delete_endpoint(model.endpoint_name)
