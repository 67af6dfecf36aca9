"""Training jobs that fail inside the algorithm end Failed with the container's kind of
FailureReason, and ``fit`` raises; MaxRuntimeInSeconds and StopTrainingJob stop a job."""

from __future__ import annotations

import uuid

import pytest
from sagemaker.estimator import Estimator
from sagemaker.exceptions import UnexpectedStatusException
from sagemaker.inputs import TrainingInput

from tests.support import to_csv, wait_until_done, xgboost_image


@pytest.fixture(scope="module")
def sm(backend):
    return backend.boto_session.client("sagemaker")


def _estimator(backend, bucket, **hyperparameters):
    estimator = Estimator(xgboost_image(backend), backend.role, instance_count=1,
                          instance_type="ml.m5.large", output_path=f"s3://{bucket}/failures",
                          sagemaker_session=backend.session)
    estimator.set_hyperparameters(**hyperparameters)
    return estimator


def _fails(estimator, inputs) -> str:
    with pytest.raises(UnexpectedStatusException) as raised:
        estimator.fit(inputs, logs=False)
    description = estimator.latest_training_job.describe()
    assert description["TrainingJobStatus"] == "Failed"
    assert description["SecondaryStatusTransitions"][-1]["Status"] == "Failed"
    assert description["FailureReason"] in str(raised.value)
    return description["FailureReason"]


def _csv(channels, name="train"):
    return TrainingInput(channels[name], content_type="text/csv")


@pytest.mark.parametrize("hyperparameters, message", [
    ({"objective": "binary:logistic"}, "Missing required hyperparameter: num_round"),
    ({"num_round": 5, "max_dept": 5}, "Extraneous hyperparameter found: max_dept"),
    ({"num_round": 5, "eta": 2}, "Hyperparameter eta: 2.0 is not in [0, 1]"),
    ({"num_round": 5, "subsample": 0}, "Hyperparameter subsample: 0.0 is not in (0, 1]"),
    ({"num_round": "five"}, "Hyperparameter num_round: could not parse value"),
    ({"num_round": 5, "objective": "binary:logistc"},
     "Hyperparameter objective: binary:logistc is not in ['aft_loss_distribution'"),
    ({"num_round": 5, "objective": "multi:softmax"},
     "Require input for parameter 'num_class' for multi-classification"),
    ({"num_round": 5, "silent": 1}, "Extraneous hyperparameter found: silent"),
])
def test_bad_hyperparameters_fail_the_job(backend, bucket, channels, hyperparameters, message):
    reason = _fails(_estimator(backend, bucket, **hyperparameters), {"train": _csv(channels)})
    assert reason.startswith("AlgorithmError: framework error: \nUserError: ")
    assert message in reason


def test_aliases_are_accepted(backend, bucket, channels):
    estimator = _estimator(backend, bucket, num_round=3, learning_rate=0.3, reg_lambda=2,
                           objective="binary:logistic")
    estimator.fit({"train": _csv(channels)}, logs=False)
    assert estimator.latest_training_job.describe()["TrainingJobStatus"] == "Completed"


def test_a_missing_train_channel_fails(backend, bucket, channels):
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"validation": _csv(channels, "validation")})
    assert "Missing required channel: train" in reason


def test_an_extraneous_channel_fails(backend, bucket, channels):
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": _csv(channels), "test": _csv(channels, "validation")})
    assert "Extraneous channel found: test" in reason


def test_a_wrong_content_type_fails(backend, bucket, channels):
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": TrainingInput(channels["train"], content_type="application/json")})
    assert "Channel configuration for 'train' channel is not supported" in reason


def test_csv_without_a_content_type_is_read_as_libsvm_and_fails(backend, bucket, channels):
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": TrainingInput(channels["train"])})
    assert "Failed to load libsvm data with exception" in reason


def test_a_channel_of_empty_files_fails(backend, bucket):
    s3 = backend.boto_session.client("s3")
    s3.put_object(Bucket=bucket, Key="empty-channel/train.csv", Body=b"")
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": TrainingInput(f"s3://{bucket}/empty-channel", content_type="csv")})
    assert "No data in training channel path" in reason


def test_a_hidden_file_in_a_channel_fails(backend, bucket, channels):
    s3 = backend.boto_session.client("s3")
    s3.put_object(Bucket=bucket, Key="hidden/train.csv", Body=to_csv(channels["data"][:50]))
    s3.put_object(Bucket=bucket, Key="hidden/.DS_Store", Body=b"junk")
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": TrainingInput(f"s3://{bucket}/hidden", content_type="csv")})
    assert "Hidden file found in the data path!" in reason


def test_labels_outside_0_1_for_logistic_are_a_user_error(backend, bucket, channels):
    rows = channels["data"][:200].copy()
    rows[:, 0] = 3
    s3 = backend.boto_session.client("s3")
    s3.put_object(Bucket=bucket, Key="badlabel/train.csv", Body=to_csv(rows))
    reason = _fails(_estimator(backend, bucket, num_round=3, objective="binary:logistic"),
                    {"train": TrainingInput(f"s3://{bucket}/badlabel", content_type="csv")})
    assert "UserError: " in reason and "logistic" in reason and "Stack trace" not in reason


def test_an_s3_key_with_dot_dot_never_leaves_the_channel_folder(backend, bucket, channels, sm):
    s3 = backend.boto_session.client("s3")
    s3.put_object(Bucket=bucket, Key="escape/train/../../../../outside.csv",
                  Body=to_csv(channels["data"][:50]))
    reason = _fails(_estimator(backend, bucket, num_round=3),
                    {"train": TrainingInput(f"s3://{bucket}/escape/train", content_type="csv")})
    assert "would be written outside the channel folder" in reason
    from helpers.local import find

    state = find().state_dir
    assert not list(state.rglob("outside.csv"))


def _start_a_long_job(backend, bucket, channels, sm, max_runtime: int) -> str:
    """A job of a million rounds: it runs until something stops it."""
    name = f"long-{uuid.uuid4().hex[:8]}"
    sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": xgboost_image(backend),
                                "TrainingInputMode": "File"},
        RoleArn=backend.role,
        InputDataConfig=[{"ChannelName": "train", "ContentType": "csv", "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": channels["train"]}}}],
        OutputDataConfig={"S3OutputPath": f"s3://{bucket}/long"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        StoppingCondition={"MaxRuntimeInSeconds": max_runtime},
        HyperParameters={"num_round": "1000000", "max_depth": "12"},
    )
    return name


def test_max_runtime_stops_the_job(backend, bucket, channels, sm):
    name = _start_a_long_job(backend, bucket, channels, sm, max_runtime=1)
    description = wait_until_done(sm, name)
    assert description["TrainingJobStatus"] == "Stopped"
    assert description["SecondaryStatus"] == "MaxRuntimeExceeded"
    assert [t["Status"] for t in description["SecondaryStatusTransitions"]][-2:] == [
        "Stopping", "MaxRuntimeExceeded"]


def test_stop_training_job(backend, bucket, channels, sm):
    name = _start_a_long_job(backend, bucket, channels, sm, max_runtime=600)
    sm.stop_training_job(TrainingJobName=name)
    description = wait_until_done(sm, name)
    assert (description["TrainingJobStatus"], description["SecondaryStatus"]) == (
        "Stopped", "Stopped")
