"""The tutorial's SDK calls, unmodified, against the offline backend (synthetic data)."""

from __future__ import annotations

import numpy as np
import pytest
import xgboost as xgb
from botocore.exceptions import ClientError
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.predictor import Predictor
from sagemaker.serializers import CSVSerializer

from helpers.artifacts import load_booster
from tests.support import xgboost_image

HYPERPARAMETERS = dict(max_depth=5, eta=0.2, gamma=4, min_child_weight=6, subsample=0.7,
                       objective="binary:logistic", num_round=20)


@pytest.fixture(scope="module")
def trained(backend, bucket, channels):
    estimator = Estimator(xgboost_image(backend), backend.role, instance_count=1,
                          instance_type="ml.m4.xlarge", output_path=f"s3://{bucket}/output",
                          sagemaker_session=backend.session, use_spot_instances=True,
                          max_run=300, max_wait=600)
    estimator.set_hyperparameters(**HYPERPARAMETERS)
    return estimator


def test_fit_streams_the_container_log_and_writes_the_artifact(trained, channels, backend,
                                                                capsys):
    trained.fit({"train": TrainingInput(channels["train"], content_type="csv"),
                 "validation": TrainingInput(channels["validation"], content_type="csv")},
                logs=True)
    printed = capsys.readouterr().out
    assert "Train matrix has 1000 rows and 6 columns" in printed
    assert "[0]#011train-logloss:" in printed and "#011validation-logloss:" in printed
    assert "[19]#011train-logloss:" in printed and "[20]#011" not in printed
    assert printed.index("Reporting training SUCCESS") < printed.index("Completed - Training")
    assert "Managed Spot Training savings" in printed
    description = trained.latest_training_job.describe()
    assert description["TrainingJobStatus"] == "Completed"
    assert [t["Status"] for t in description["SecondaryStatusTransitions"]] == [
        "Starting", "Downloading", "Training", "Uploading", "Completed"]
    assert description["BillableTimeInSeconds"] >= 1
    metrics = {m["MetricName"] for m in description["FinalMetricDataList"]}
    assert metrics == {"train:logloss", "validation:logloss"}
    assert trained.model_data.endswith(f"/output/{trained.latest_training_job.name}"
                                       "/output/model.tar.gz")
    booster = load_booster(trained.model_data, backend.boto_session)
    assert booster.num_boosted_rounds() == 20


def test_training_log_is_in_cloudwatch(trained, backend):
    logs = backend.boto_session.client("logs")
    job = trained.latest_training_job.name
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs",
                                        logStreamNamePrefix=f"{job}/")["logStreams"]
    assert len(streams) == 1 and streams[0]["logStreamName"].startswith(f"{job}/algo-1-")
    events = logs.get_log_events(logGroupName="/aws/sagemaker/TrainingJobs",
                                 logStreamName=streams[0]["logStreamName"],
                                 startFromHead=True)["events"]
    rounds = [e["message"] for e in events if e["message"].startswith("[")
              and "#011train-logloss" in e["message"]]
    assert len(rounds) == 20


def test_deploy_predict_reattach_and_delete(trained, channels, backend):
    predictor = trained.deploy(initial_instance_count=1, instance_type="ml.m4.xlarge",
                               serializer=CSVSerializer())
    name = predictor.endpoint_name
    features = channels["data"][1000:, 1:]
    scores = np.array(predictor.predict(features).decode().split(), dtype=float)

    booster = load_booster(trained.model_data, backend.boto_session)
    expected = booster.predict(xgb.DMatrix(features))
    assert scores.shape == expected.shape
    assert np.max(np.abs(scores - expected)) <= 1e-6

    again = Predictor(endpoint_name=name, sagemaker_session=backend.session,
                      serializer=CSVSerializer())
    assert again.predict(features[:3]).decode() == predictor.predict(features[:3]).decode()

    again.delete_model()
    again.delete_endpoint()
    client = backend.session.sagemaker_client
    for call, kwargs in ((client.describe_endpoint, {"EndpointName": name}),
                         (client.describe_endpoint_config, {"EndpointConfigName": name}),
                         (client.describe_model, {"ModelName": name})):
        with pytest.raises(ClientError) as error:
            call(**kwargs)
        assert error.value.response["Error"]["Code"] == "ValidationException"
        assert "Could not find" in error.value.response["Error"]["Message"]
