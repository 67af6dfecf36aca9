"""InvokeEndpoint: bad requests get what AWS gives, good ones what the container answers, and
the endpoint keeps serving after every one of them."""

from __future__ import annotations

import json
import uuid

import numpy as np
import pytest
from botocore.exceptions import ClientError
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.serializers import CSVSerializer

from tests.support import xgboost_image

MAX_PAYLOAD = 6 * 1024 * 1024


def _deploy(backend, bucket, channels, version):
    estimator = Estimator(xgboost_image(backend, version), backend.role, instance_count=1,
                          instance_type="ml.m5.large", output_path=f"s3://{bucket}/runtime",
                          sagemaker_session=backend.session)
    estimator.set_hyperparameters(num_round=5, objective="binary:logistic")
    estimator.fit({"train": TrainingInput(channels["train"], content_type="csv")}, logs=False)
    return estimator.deploy(1, "ml.m5.large", serializer=CSVSerializer(),
                            endpoint_name=f"runtime-{version.replace('.', '-')}-"
                                          f"{uuid.uuid4().hex[:6]}")


@pytest.fixture(scope="module")
def endpoint(backend, bucket, channels):
    predictor = _deploy(backend, bucket, channels, "3.0-5")
    yield predictor.endpoint_name
    predictor.delete_model()
    predictor.delete_endpoint()


@pytest.fixture(scope="module")
def runtime(backend):
    return backend.boto_session.client("sagemaker-runtime")


@pytest.fixture(scope="module")
def good_rows(channels) -> bytes:
    return "\n".join(",".join(f"{v:.4f}" for v in row)
                     for row in channels["data"][:4, 1:]).encode()


@pytest.fixture(autouse=True)
def still_serving(request, runtime, good_rows):
    yield
    if "endpoint" in request.fixturenames:
        name = request.getfixturevalue("endpoint")
        body = runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv",
                                       Body=good_rows)["Body"].read()
        assert len(body.decode().split()) == 4


def _invoke_error(runtime, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        runtime.invoke_endpoint(**kwargs)
    return raised.value.response


def test_scores_one_per_line_with_a_trailing_newline(runtime, endpoint, good_rows):
    response = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="text/csv",
                                       Body=good_rows)
    body = response["Body"].read().decode()
    assert body.endswith("\n") and len(body.splitlines()) == 4
    assert all(0 < float(v) < 1 for v in body.split())
    assert response["ContentType"].startswith("text/csv")
    assert response["InvokedProductionVariant"] == "AllTraffic"


def test_json_when_asked_for(runtime, endpoint, good_rows):
    response = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="text/csv",
                                       Accept="application/json", Body=good_rows)
    scores = json.loads(response["Body"].read())["predictions"]
    assert len(scores) == 4 and set(scores[0]) == {"score"}


def test_an_unparsable_body_is_a_model_error_with_the_original_415(runtime, endpoint):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Body=b"1,2,abc\n4,5,6")
    assert response["Error"]["Code"] == "ModelError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert response["OriginalStatusCode"] == 415
    assert "Loading csv data failed with Exception" in response["OriginalMessage"]
    assert response["Error"]["Message"].startswith("Received client error (415) from primary")
    assert f"/aws/sagemaker/Endpoints/{endpoint}" in response["LogStreamArn"]


def test_non_utf8_bytes_are_a_415(runtime, endpoint):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Body=b"\xff\xfe\x00garbage")
    assert response["OriginalStatusCode"] == 415
    assert "UnicodeDecodeError" in response["OriginalMessage"]


def test_an_unsupported_content_type_is_a_415(runtime, endpoint, good_rows):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="application/json",
                             Body=good_rows)
    assert response["OriginalStatusCode"] == 415
    assert response["OriginalMessage"].startswith(
        "application/json is not an accepted ContentType: csv, libsvm")


def test_rows_of_different_widths_are_a_415(runtime, endpoint):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Body=b"1,2,3,4,5,6\n1,2,3")
    assert response["OriginalStatusCode"] == 415


def test_too_many_features_is_a_400_from_the_model(runtime, endpoint):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Body=",".join(["1"] * 40).encode())
    assert response["OriginalStatusCode"] == 400
    assert response["OriginalMessage"].startswith("Unable to evaluate payload provided:")


def test_an_unsupported_accept_is_a_406(runtime, endpoint, good_rows):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Accept="text/html", Body=good_rows)
    assert response["OriginalStatusCode"] == 406


def test_an_empty_body_returns_no_scores(runtime, endpoint):
    response = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="text/csv", Body=b"")
    assert response["Body"].read() == b""


def test_a_body_over_6_mb_is_refused_before_the_model(runtime, endpoint):
    response = _invoke_error(runtime, EndpointName=endpoint, ContentType="text/csv",
                             Body=b"0" * (MAX_PAYLOAD + 1))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert response["Error"]["Message"] == f"HTTP content length exceeded {MAX_PAYLOAD} bytes."


def test_a_body_of_exactly_6_mb_reaches_the_model(runtime, endpoint):
    row = b"0.5,0.5,0.5,0.5,0.5,0.5\n"
    body = row * (MAX_PAYLOAD // len(row))
    body = body[:-1] + b"0" * (MAX_PAYLOAD - len(body)) + b"1"  # pad the last value's digits
    assert len(body) == MAX_PAYLOAD
    scores = runtime.invoke_endpoint(EndpointName=endpoint, ContentType="text/csv",
                                     Body=body)["Body"].read().split()
    assert len(scores) == MAX_PAYLOAD // len(row)


def test_an_unknown_endpoint_is_a_validation_error(runtime):
    response = _invoke_error(runtime, EndpointName="no-such-endpoint", ContentType="text/csv",
                             Body=b"1,2")
    assert response["Error"] == {
        "Code": "ValidationError",
        "Message": "Endpoint no-such-endpoint of account 123456789012 not found."}


def test_older_containers_answer_one_comma_separated_line(backend, bucket, channels, runtime,
                                                           good_rows):
    predictor = _deploy(backend, bucket, channels, "1.0-1")
    try:
        body = predictor.predict(np.loadtxt(good_rows.decode().splitlines(), delimiter=","))
        assert b"\n" not in body and len(body.split(b",")) == 4
        json_asked = runtime.invoke_endpoint(EndpointName=predictor.endpoint_name,
                                             ContentType="text/csv", Accept="application/json",
                                             Body=good_rows)["Body"].read()
        assert json_asked == body  # 1.0-1 ignores Accept
    finally:
        predictor.delete_model()
        predictor.delete_endpoint()
