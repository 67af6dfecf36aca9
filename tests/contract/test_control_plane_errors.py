"""Bad control-plane requests get AWS's error codes and messages; the server keeps serving and
nothing already stored is lost."""

from __future__ import annotations

import uuid

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support import wait_for_idle, wait_until_done, xgboost_image


def _name(prefix: str = "neg") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def sm(backend):
    return backend.boto_session.client("sagemaker")


@pytest.fixture(scope="module")
def job_request(backend, bucket, channels):
    def build(**overrides):
        request = {
            "TrainingJobName": _name("job"),
            "AlgorithmSpecification": {"TrainingImage": xgboost_image(backend),
                                       "TrainingInputMode": "File"},
            "RoleArn": backend.role,
            "InputDataConfig": [{"ChannelName": "train", "ContentType": "text/csv",
                                 "DataSource": {"S3DataSource": {
                                     "S3DataType": "S3Prefix", "S3Uri": channels["train"],
                                     "S3DataDistributionType": "FullyReplicated"}}}],
            "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/neg-output"},
            "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1,
                               "VolumeSizeInGB": 5},
            "StoppingCondition": {"MaxRuntimeInSeconds": 300},
            "HyperParameters": {"num_round": "3", "objective": "binary:logistic"},
        }
        request.update(overrides)
        return request

    return build


def _error(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response


@pytest.fixture(autouse=True)
def still_serving(sm):
    """After every bad request the server still answers."""
    yield
    assert "TrainingJobSummaries" in sm.list_training_jobs(MaxResults=1)
    wait_for_idle(sm)


def test_missing_training_job_is_a_validation_exception(sm):
    response = _error(sm.describe_training_job, TrainingJobName=_name())
    assert response["Error"] == {"Code": "ValidationException",
                                 "Message": "Requested resource not found."}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_invalid_name_and_runtime_are_all_reported_in_aws_words(backend, job_request):
    unchecked = backend.boto_session.client(  # what a client without botocore's checks sends
        "sagemaker", config=Config(parameter_validation=False))
    request = job_request(TrainingJobName="bad_name!")
    request["StoppingCondition"]["MaxRuntimeInSeconds"] = 0
    response = _error(unchecked.create_training_job, **request)
    message = response["Error"]["Message"]
    assert response["Error"]["Code"] == "ValidationException"
    assert message.startswith("2 validation errors detected: ")
    assert ("Value 'bad_name!' at 'trainingJobName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}") in message
    assert ("Value '0' at 'stoppingCondition.maxRuntimeInSeconds' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1") in message


def test_unknown_instance_type_lists_the_enum(sm, job_request):
    request = job_request()
    request["ResourceConfig"]["InstanceType"] = "ml.t2.medium"
    message = _error(sm.create_training_job, **request)["Error"]["Message"]
    assert "at 'resourceConfig.instanceType' failed to satisfy constraint: Member must " \
           "satisfy enum value set: [" in message


def test_duplicate_job_name_is_resource_in_use_and_the_first_job_survives(sm, job_request):
    request = job_request()
    sm.create_training_job(**request)
    response = _error(sm.create_training_job, **request)
    assert response["Error"]["Code"] == "ResourceInUse"
    assert "a training job with this name already exists" in response["Error"]["Message"]
    first = sm.describe_training_job(TrainingJobName=request["TrainingJobName"])
    assert first["HyperParameters"] == request["HyperParameters"]


def test_an_image_other_than_xgboost_is_refused(sm, job_request):
    other = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-algorithm:latest"
    response = _error(sm.create_training_job, **job_request(
        AlgorithmSpecification={"TrainingImage": other, "TrainingInputMode": "File"}))
    assert response["Error"]["Code"] == "ValidationException"
    assert "Access denied for repository: my-algorithm" in response["Error"]["Message"]
    assert "only the built-in XGBoost images are served" in response["Error"]["Message"]
    response = _error(sm.create_training_job, **job_request(
        AlgorithmSpecification={"TrainingImage": "xgboost", "TrainingInputMode": "File"}))
    assert response["Error"]["Message"].startswith("Invalid training image.")


def test_every_known_xgboost_image_is_accepted(sm, job_request, backend):
    from helpers.local.sagemaker.images import known_versions

    for version in known_versions():
        request = job_request(AlgorithmSpecification={
            "TrainingImage": xgboost_image(backend, version), "TrainingInputMode": "File"})
        request["HyperParameters"] = {"num_round": "1"}
        assert sm.create_training_job(**request)["TrainingJobArn"]
        wait_until_done(sm, request["TrainingJobName"])


def test_a_role_that_does_not_exist_cannot_be_assumed(sm, job_request):
    role = "arn:aws:iam::123456789012:role/nobody"
    response = _error(sm.create_training_job, **job_request(RoleArn=role))
    assert response["Error"] == {
        "Code": "ValidationException",
        "Message": f"Could not assume role {role}. Please ensure that the role exists and "
                   "allows principal 'sagemaker.amazonaws.com' to assume the role."}


def test_spot_training_needs_max_wait_at_least_max_run(sm, job_request):
    response = _error(sm.create_training_job, **job_request(
        EnableManagedSpotTraining=True,
        StoppingCondition={"MaxRuntimeInSeconds": 600, "MaxWaitTimeInSeconds": 300}))
    assert "It must be present and be greater than or equal to MaxRuntimeInSeconds" in \
        response["Error"]["Message"]
    response = _error(sm.create_training_job, **job_request(
        StoppingCondition={"MaxRuntimeInSeconds": 600, "MaxWaitTimeInSeconds": 900}))
    assert "only supported when EnableManagedSpotTraining is set to true" in \
        response["Error"]["Message"]


def test_an_empty_s3_prefix_is_refused_at_once(sm, job_request, bucket):
    request = job_request()
    request["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = \
        f"s3://{bucket}/nothing-here"
    message = _error(sm.create_training_job, **request)["Error"]["Message"]
    assert message.startswith(f'No S3 objects found under S3 URL "s3://{bucket}/nothing-here"')


def test_more_instances_than_the_laptop_allows_is_a_limit(sm, job_request):
    request = job_request()
    request["ResourceConfig"]["InstanceCount"] = 50
    response = _error(sm.create_training_job, **request)
    assert response["Error"]["Code"] == "ResourceLimitExceeded"
    assert response["Error"]["Message"].startswith(
        "The account-level service limit 'ml.m5.xlarge for training job usage' is ")


def test_models_configs_and_endpoints_that_do_not_exist(sm, backend):
    name = _name()
    arn = f"arn:aws:sagemaker:{backend.region}:123456789012"
    cases = [
        (sm.describe_model, {"ModelName": name}, f'Could not find model "{arn}:model/{name}".'),
        (sm.delete_model, {"ModelName": name}, f'Could not find model "{arn}:model/{name}".'),
        (sm.describe_endpoint_config, {"EndpointConfigName": name},
         f'Could not find endpoint configuration "{arn}:endpoint-config/{name}".'),
        (sm.delete_endpoint, {"EndpointName": name},
         f'Could not find endpoint "{arn}:endpoint/{name}".'),
        (sm.create_endpoint, {"EndpointName": name, "EndpointConfigName": name},
         f'Could not find endpoint configuration "{arn}:endpoint-config/{name}".'),
        (sm.create_endpoint_config, {"EndpointConfigName": name, "ProductionVariants": [
            {"VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 1,
             "InstanceType": "ml.m5.large"}]}, f'Could not find model "{arn}:model/{name}".'),
    ]
    for call, kwargs, message in cases:
        assert _error(call, **kwargs)["Error"] == {"Code": "ValidationException",
                                                   "Message": message}


def test_duplicate_model_name_keeps_the_first_model(sm, backend, channels):
    name = _name()
    container = {"Image": xgboost_image(backend), "ModelDataUrl": "s3://somewhere/model.tar.gz"}
    sm.create_model(ModelName=name, PrimaryContainer=container, ExecutionRoleArn=backend.role)
    other = dict(container, ModelDataUrl="s3://elsewhere/model.tar.gz")
    response = _error(sm.create_model, ModelName=name, PrimaryContainer=other,
                      ExecutionRoleArn=backend.role)
    assert response["Error"]["Message"].startswith("Cannot create already existing model")
    kept = sm.describe_model(ModelName=name)["PrimaryContainer"]["ModelDataUrl"]
    assert kept == "s3://somewhere/model.tar.gz"
    sm.delete_model(ModelName=name)


def test_stopping_a_finished_job_is_refused(sm, job_request):
    request = job_request()
    sm.create_training_job(**request)
    assert wait_until_done(sm, request["TrainingJobName"])["TrainingJobStatus"] == "Completed"
    response = _error(sm.stop_training_job, TrainingJobName=request["TrainingJobName"])
    assert response["Error"]["Message"] == \
        "The request was rejected because the training job is in status Completed."


def test_unknown_operation_is_named(backend):
    import botocore.session

    session = botocore.session.get_session()
    client = session.create_client("sagemaker", region_name=backend.region,
                                   endpoint_url=backend.endpoint_url,
                                   aws_access_key_id="testing", aws_secret_access_key="testing")
    response = _error(client.list_notebook_instances)
    assert response["Error"]["Code"] == "UnknownOperationException"
    assert "ListNotebookInstances" in response["Error"]["Message"]


def test_tags_are_kept_listed_and_removed(sm, backend, job_request):
    request = job_request(Tags=[{"Key": "run-id", "Value": "r1"}])
    arn = sm.create_training_job(**request)["TrainingJobArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "suite", "Value": "tests"}])
    tags = {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}
    assert tags == {"run-id": "r1", "suite": "tests"}
    sm.delete_tags(ResourceArn=arn, TagKeys=["suite"])
    assert sm.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "run-id", "Value": "r1"}]
    missing = f"arn:aws:sagemaker:{backend.region}:123456789012:model/{_name()}"
    assert _error(sm.list_tags, ResourceArn=missing)["Error"]["Code"] == "ResourceNotFound"


def test_listing_pages_and_filters(sm, job_request):
    marker = _name("page")
    for index in range(3):
        sm.create_training_job(**job_request(TrainingJobName=f"{marker}-{index}"))
    first = sm.list_training_jobs(NameContains=marker, MaxResults=2, SortBy="Name",
                                  SortOrder="Ascending")
    names = [j["TrainingJobName"] for j in first["TrainingJobSummaries"]]
    assert names == [f"{marker}-0", f"{marker}-1"] and "NextToken" in first
    rest = sm.list_training_jobs(NameContains=marker, MaxResults=2, SortBy="Name",
                                 SortOrder="Ascending", NextToken=first["NextToken"])
    assert [j["TrainingJobName"] for j in rest["TrainingJobSummaries"]] == [f"{marker}-2"]
    assert "NextToken" not in rest
