"""SageMaker resources and their state: training jobs, models, endpoint configs, endpoints, tags.

Request parsing lives in ``responses.py``; the work a resource triggers (running a training job,
hosting a model) lives in ``helpers.local.training`` and ``helpers.local.serving``.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from ...s3 import split_uri
from ..awserrors import (
    ResourceInUse,
    ResourceLimitExceeded,
    ResourceNotFound,
    ValidationException,
)
from ..loopback import ACCOUNT_ID, Loopback
from . import images

# What this laptop agrees to run at once, reported the way AWS reports an account quota.
TRAINING_INSTANCE_LIMIT = 4
ENDPOINT_INSTANCE_LIMIT = 8


def now() -> float:
    return time.time()


class TrainingJob:
    """A training job's record; ``helpers.local.training.platform`` moves it through its states."""

    def __init__(self, backend: SageMakerBackend, request: dict, image: images.XGBoostImage):
        self.backend = backend
        self.request = request
        self.image = image
        self.name: str = request["TrainingJobName"]
        self.arn = backend.arn("training-job", self.name)
        self.created = now()
        self.last_modified = self.created
        self.status = "InProgress"
        self.secondary_status = "Starting"
        self.transitions: list[dict] = []
        self.failure_reason: str | None = None
        self.model_artifact: str | None = None
        self.training_start: float | None = None
        self.training_end: float | None = None
        self.final_metrics: dict[str, float] = {}
        self.stop_requested = threading.Event()
        self.transition("Starting", "Preparing the instances for training")

    @property
    def instance_count(self) -> int:
        return self.request["ResourceConfig"].get("InstanceCount", 1)

    @property
    def running(self) -> bool:
        return self.status in ("InProgress", "Stopping")

    def transition(self, secondary: str, message: str) -> None:
        """Record a secondary status change (or a new message for the current one)."""
        with self.backend.lock:
            stamp = now()
            if self.transitions and self.transitions[-1]["Status"] == secondary:
                self.transitions[-1]["StatusMessage"] = message
            else:
                if self.transitions:
                    self.transitions[-1]["EndTime"] = stamp
                self.transitions.append(
                    {"Status": secondary, "StartTime": stamp, "StatusMessage": message}
                )
            self.secondary_status = secondary
            self.last_modified = stamp

    def begin_stopping(self) -> None:
        with self.backend.lock:
            self.status = "Stopping"
            self.transition("Stopping", "Stopping the training job")

    def finish(self, status: str, secondary: str, message: str, reason: str | None = None) -> None:
        with self.backend.lock:
            self.transition(secondary, message)
            self.transitions[-1]["EndTime"] = self.last_modified
            self.status = status
            self.failure_reason = reason
            if self.training_start is not None and self.training_end is None:
                self.training_end = self.last_modified

    def describe(self) -> dict:
        request = self.request
        desc: dict[str, Any] = {
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "ModelArtifacts": {"S3ModelArtifacts": self.model_artifact or ""},
            "TrainingJobStatus": self.status,
            "SecondaryStatus": self.secondary_status,
            "HyperParameters": request.get("HyperParameters", {}),
            # AWS answers with the defaults it filled in; the SDK's attach() reads them.
            "AlgorithmSpecification": {"TrainingInputMode": "File",
                                       **request["AlgorithmSpecification"]},
            "RoleArn": request["RoleArn"],
            "InputDataConfig": request.get("InputDataConfig", []),
            "OutputDataConfig": {"KmsKeyId": "", **request["OutputDataConfig"]},
            "ResourceConfig": {"VolumeSizeInGB": 30, **request["ResourceConfig"]},
            "StoppingCondition": request["StoppingCondition"],
            "CreationTime": self.created,
            "LastModifiedTime": self.last_modified,
            "SecondaryStatusTransitions": [dict(t) for t in self.transitions],
            "EnableNetworkIsolation": request.get("EnableNetworkIsolation", False),
            "EnableInterContainerTrafficEncryption": request.get(
                "EnableInterContainerTrafficEncryption", False
            ),
            "EnableManagedSpotTraining": request.get("EnableManagedSpotTraining", False),
        }
        if self.failure_reason:
            desc["FailureReason"] = self.failure_reason
        if self.training_start is not None:
            desc["TrainingStartTime"] = self.training_start
        if self.training_end is not None:
            desc["TrainingEndTime"] = self.training_end
            seconds = max(1, round(self.training_end - self.training_start))
            desc["TrainingTimeInSeconds"] = seconds
            desc["BillableTimeInSeconds"] = seconds
        if self.final_metrics:
            desc["FinalMetricDataList"] = [
                {"MetricName": name, "Value": value, "Timestamp": self.last_modified}
                for name, value in self.final_metrics.items()
            ]
        for optional in ("CheckpointConfig", "Environment", "VpcConfig"):
            if optional in request:
                desc[optional] = request[optional]
        return desc

    def summary(self) -> dict:
        out = {
            "TrainingJobName": self.name,
            "TrainingJobArn": self.arn,
            "CreationTime": self.created,
            "LastModifiedTime": self.last_modified,
            "TrainingJobStatus": self.status,
            "SecondaryStatus": self.secondary_status,
        }
        if self.training_end is not None:
            out["TrainingEndTime"] = self.training_end
        return out


class Model:
    def __init__(self, backend: SageMakerBackend, request: dict, image: images.XGBoostImage):
        self.name: str = request["ModelName"]
        self.arn = backend.arn("model", self.name)
        self.request = request
        self.image = image
        self.created = now()

    @property
    def container(self) -> dict:
        return self.request.get("PrimaryContainer") or self.request["Containers"][0]

    def describe(self) -> dict:
        desc = {
            "ModelName": self.name,
            "ModelArn": self.arn,
            "CreationTime": self.created,
            "ExecutionRoleArn": self.request.get("ExecutionRoleArn", ""),
            "EnableNetworkIsolation": self.request.get("EnableNetworkIsolation", False),
        }
        for key in ("PrimaryContainer", "Containers", "VpcConfig"):
            if key in self.request:
                desc[key] = self.request[key]
        return desc

    def summary(self) -> dict:
        return {"ModelName": self.name, "ModelArn": self.arn, "CreationTime": self.created}


class EndpointConfig:
    def __init__(self, backend: SageMakerBackend, request: dict):
        self.name: str = request["EndpointConfigName"]
        self.arn = backend.arn("endpoint-config", self.name)
        self.request = request
        self.created = now()

    @property
    def variants(self) -> list[dict]:
        return self.request["ProductionVariants"]

    def describe(self) -> dict:
        desc = {
            "EndpointConfigName": self.name,
            "EndpointConfigArn": self.arn,
            "ProductionVariants": self.variants,
            "CreationTime": self.created,
        }
        for key in ("DataCaptureConfig", "KmsKeyId", "AsyncInferenceConfig"):
            if key in self.request:
                desc[key] = self.request[key]
        return desc

    def summary(self) -> dict:
        return {"EndpointConfigName": self.name, "EndpointConfigArn": self.arn,
                "CreationTime": self.created}


class Endpoint:
    """An endpoint's record; ``helpers.local.serving.hosting`` runs its model servers."""

    def __init__(self, backend: SageMakerBackend, name: str, config: EndpointConfig):
        self.backend = backend
        self.name = name
        self.arn = backend.arn("endpoint", name)
        self.config = config
        self.status = "Creating"
        self.failure_reason: str | None = None
        self.created = now()
        self.last_modified = self.created
        self.hosting = None  # a serving.hosting.EndpointHosting once created

    @property
    def instance_count(self) -> int:
        return sum(v.get("InitialInstanceCount", 1) for v in self.config.variants)

    def set_status(self, status: str, reason: str | None = None) -> None:
        with self.backend.lock:
            self.status = status
            self.failure_reason = reason
            self.last_modified = now()

    def check_health(self) -> None:
        """An InService endpoint whose model server died becomes Failed, as on AWS."""
        if self.status == "InService" and self.hosting is not None:
            reason = self.hosting.failure()
            if reason:
                self.set_status("Failed", reason)

    def describe(self) -> dict:
        self.check_health()
        desc: dict[str, Any] = {
            "EndpointName": self.name,
            "EndpointArn": self.arn,
            "EndpointConfigName": self.config.name,
            "EndpointStatus": self.status,
            "CreationTime": self.created,
            "LastModifiedTime": self.last_modified,
        }
        if self.status == "InService" and self.hosting is not None:
            desc["ProductionVariants"] = self.hosting.variant_summaries()
        if self.failure_reason:
            desc["FailureReason"] = self.failure_reason
        return desc

    def summary(self) -> dict:
        self.check_health()
        return {"EndpointName": self.name, "EndpointArn": self.arn, "CreationTime": self.created,
                "LastModifiedTime": self.last_modified, "EndpointStatus": self.status}


class SageMakerBackend:
    """One region's SageMaker state. Methods take and return the API's own dictionaries."""

    def __init__(self, region: str, workdir: Path, loopback: Loopback,
                 start_training: Callable[[TrainingJob], None],
                 start_hosting: Callable[[Endpoint], None]) -> None:
        self.region = region
        self.workdir = workdir
        self.loopback = loopback
        self._start_training = start_training
        self._start_hosting = start_hosting
        self.lock = threading.RLock()
        self.training_jobs: dict[str, TrainingJob] = {}
        self.models: dict[str, Model] = {}
        self.endpoint_configs: dict[str, EndpointConfig] = {}
        self.endpoints: dict[str, Endpoint] = {}
        self.tags: dict[str, dict[str, str]] = {}

    def arn(self, kind: str, name: str) -> str:
        return f"arn:aws:sagemaker:{self.region}:{ACCOUNT_ID}:{kind}/{name.lower()}"

    # -- checks shared by the create calls ---------------------------------------------------
    def _image(self, uri: str, scope: str, role_arn: str) -> images.XGBoostImage:
        image = images.recognise(uri, scope)
        if image is not None:
            return image
        ecr = images.parse(uri)
        if ecr is None:
            raise ValidationException(
                "Invalid training image. Please provide a valid Amazon Elastic Container "
                "Registry path of the Docker image to run."
                if scope == "training" else f"Invalid image URI {uri!r}."
            )
        versions = ", ".join(images.known_versions(scope))
        raise ValidationException(
            f"Access denied for repository: {ecr['repository']} in registry ID: {ecr['account']}. "
            f"Please check if your ECR repository and image exist and role {role_arn} has proper "
            "pull permissions for SageMaker: ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, "
            "ecr:GetDownloadUrlForLayer (offline, only the built-in XGBoost images are served: "
            "sagemaker.image_uris.retrieve('xgboost', region, version) with a version of "
            f"{versions})"
        )

    def _check_role(self, role_arn: str) -> None:
        role_name = role_arn.rsplit("/", 1)[-1]
        iam = self.loopback.client("iam", self.region)
        try:
            role = iam.get_role(RoleName=role_name)["Role"]
        except iam.exceptions.NoSuchEntityException:
            role = None
        policy = str(role.get("AssumeRolePolicyDocument", "")) if role else ""
        if role is None or role["Arn"] != role_arn or "sagemaker.amazonaws.com" not in policy:
            raise ValidationException(
                f"Could not assume role {role_arn}. Please ensure that the role exists and allows "
                "principal 'sagemaker.amazonaws.com' to assume the role."
            )

    def _check_channel_source(self, channel: dict, role_arn: str) -> None:
        """An S3 prefix with no objects is refused at once, as AWS does."""
        source = channel["DataSource"].get("S3DataSource")
        if source is None or source.get("S3DataType", "S3Prefix") != "S3Prefix":
            return  # the job itself fails with a clear reason
        uri = source["S3Uri"]
        bucket, prefix = split_uri(uri)
        s3 = self.loopback.client("s3", self.region)
        try:
            found = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1).get("KeyCount", 0)
        except s3.exceptions.NoSuchBucket:
            found = 0
        if not found:
            raise ValidationException(no_objects_message(uri, self.region, role_arn))

    def _instances_in_use(self) -> tuple[int, int]:
        training = sum(j.instance_count for j in self.training_jobs.values() if j.running)
        hosting = sum(e.instance_count for e in self.endpoints.values()
                      if e.status in ("Creating", "InService", "Updating"))
        return training, hosting

    @staticmethod
    def _limit(instance_type: str, usage: str, limit: int, current: int, delta: int) -> None:
        if current + delta > limit:
            raise ResourceLimitExceeded(
                f"The account-level service limit '{instance_type} for {usage} usage' is {limit} "
                f"Instances, with current utilization of {current} Instances and a request delta "
                f"of {delta} Instances. Please use AWS Service Quotas to request an increase for "
                "this quota."
            )

    # -- training jobs -------------------------------------------------------------------------
    def create_training_job(self, request: dict) -> dict:
        name = request["TrainingJobName"]
        stopping = request["StoppingCondition"]
        if request.get("EnableManagedSpotTraining"):
            wait, run = stopping.get("MaxWaitTimeInSeconds"), stopping.get("MaxRuntimeInSeconds")
            if wait is None or (run is not None and wait < run):
                raise ValidationException(
                    "Invalid MaxWaitTimeInSeconds. It must be present and be greater than or "
                    "equal to MaxRuntimeInSeconds"
                )
        elif "MaxWaitTimeInSeconds" in stopping:
            raise ValidationException(
                "Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining "
                "is set to true"
            )
        image = self._image(request["AlgorithmSpecification"].get("TrainingImage", ""),
                            "training", request["RoleArn"])
        self._check_role(request["RoleArn"])
        for channel in request.get("InputDataConfig", []):
            self._check_channel_source(channel, request["RoleArn"])
        with self.lock:
            if name in self.training_jobs:
                raise ResourceInUse(
                    "Training job names must be unique within an AWS account and region, and a "
                    f"training job with this name already exists ({self.arn('training-job', name)})"
                )
            resource = request["ResourceConfig"]
            training, _ = self._instances_in_use()
            self._limit(resource["InstanceType"], "training job", TRAINING_INSTANCE_LIMIT,
                        training, resource.get("InstanceCount", 1))
            job = TrainingJob(self, request, image)
            self.training_jobs[name] = job
            self._set_tags(job.arn, request.get("Tags", []))
        self._start_training(job)
        return {"TrainingJobArn": job.arn}

    def _training_job(self, name: str) -> TrainingJob:
        job = self.training_jobs.get(name)
        if job is None:
            raise ValidationException("Requested resource not found.")
        return job

    def describe_training_job(self, request: dict) -> dict:
        return self._training_job(request["TrainingJobName"]).describe()

    def list_training_jobs(self, request: dict) -> dict:
        jobs = self._filter(self.training_jobs.values(), request, "TrainingJobStatus")
        page, token = self._page(jobs, request)
        return self._with_token({"TrainingJobSummaries": [j.summary() for j in page]}, token)

    def stop_training_job(self, request: dict) -> dict:
        job = self._training_job(request["TrainingJobName"])
        with self.lock:
            if job.status != "InProgress":
                raise ValidationException(
                    f"The request was rejected because the training job is in status {job.status}."
                )
            job.begin_stopping()
            job.stop_requested.set()
        return {}

    # -- models --------------------------------------------------------------------------------
    def create_model(self, request: dict) -> dict:
        container = request.get("PrimaryContainer") or (request.get("Containers") or [None])[0]
        if container is None:
            raise ValidationException("Either PrimaryContainer or Containers must be provided.")
        if request.get("Containers") and len(request["Containers"]) > 1:
            raise ValidationException(
                "Inference pipelines (more than one container) are not served offline."
            )
        image = self._image(container.get("Image", ""), "inference",
                            request.get("ExecutionRoleArn", ""))
        if "ModelDataUrl" not in container:
            raise ValidationException(
                "The built-in XGBoost image needs ModelDataUrl: the model.tar.gz of a training job."
            )
        self._check_role(request.get("ExecutionRoleArn", ""))
        with self.lock:
            name = request["ModelName"]
            if name in self.models:
                raise ValidationException(
                    f'Cannot create already existing model "{self.arn("model", name)}".'
                )
            model = self.models[name] = Model(self, request, image)
            self._set_tags(model.arn, request.get("Tags", []))
        return {"ModelArn": model.arn}

    def _model(self, name: str) -> Model:
        model = self.models.get(name)
        if model is None:
            raise ValidationException(f'Could not find model "{self.arn("model", name)}".')
        return model

    def describe_model(self, request: dict) -> dict:
        return self._model(request["ModelName"]).describe()

    def list_models(self, request: dict) -> dict:
        models = self._filter(self.models.values(), request)
        page, token = self._page(models, request)
        return self._with_token({"Models": [m.summary() for m in page]}, token)

    def delete_model(self, request: dict) -> dict:
        with self.lock:
            model = self._model(request["ModelName"])
            del self.models[model.name]
            self.tags.pop(model.arn, None)
        return {}

    # -- endpoint configs ----------------------------------------------------------------------
    def create_endpoint_config(self, request: dict) -> dict:
        with self.lock:
            name = request["EndpointConfigName"]
            if name in self.endpoint_configs:
                arn = self.arn("endpoint-config", name)
                raise ValidationException(
                    f'Cannot create already existing endpoint configuration "{arn}".'
                )
            variants = request["ProductionVariants"]
            names = [v["VariantName"] for v in variants]
            if len(set(names)) != len(names):
                raise ValidationException("ProductionVariant names must be unique.")
            for variant in variants:
                self._model(variant["ModelName"])
                if "ServerlessConfig" in variant or "InstanceType" not in variant:
                    raise ValidationException(
                        "Serverless endpoints are not served offline: give each production "
                        "variant an InstanceType and InitialInstanceCount."
                    )
            config = self.endpoint_configs[name] = EndpointConfig(self, request)
            self._set_tags(config.arn, request.get("Tags", []))
        return {"EndpointConfigArn": config.arn}

    def _endpoint_config(self, name: str) -> EndpointConfig:
        config = self.endpoint_configs.get(name)
        if config is None:
            arn = self.arn("endpoint-config", name)
            raise ValidationException(f'Could not find endpoint configuration "{arn}".')
        return config

    def describe_endpoint_config(self, request: dict) -> dict:
        return self._endpoint_config(request["EndpointConfigName"]).describe()

    def list_endpoint_configs(self, request: dict) -> dict:
        configs = self._filter(self.endpoint_configs.values(), request)
        page, token = self._page(configs, request)
        return self._with_token({"EndpointConfigs": [c.summary() for c in page]}, token)

    def delete_endpoint_config(self, request: dict) -> dict:
        with self.lock:
            config = self._endpoint_config(request["EndpointConfigName"])
            del self.endpoint_configs[config.name]
            self.tags.pop(config.arn, None)
        return {}

    # -- endpoints -----------------------------------------------------------------------------
    def create_endpoint(self, request: dict) -> dict:
        with self.lock:
            name = request["EndpointName"]
            if name in self.endpoints:
                raise ValidationException(
                    f'Cannot create already existing endpoint "{self.arn("endpoint", name)}".'
                )
            config = self._endpoint_config(request["EndpointConfigName"])
            for variant in config.variants:  # the models must still exist when hosting starts
                self._model(variant["ModelName"])
            _, hosting = self._instances_in_use()
            wanted = sum(v.get("InitialInstanceCount", 1) for v in config.variants)
            self._limit(config.variants[0]["InstanceType"], "endpoint", ENDPOINT_INSTANCE_LIMIT,
                        hosting, wanted)
            endpoint = self.endpoints[name] = Endpoint(self, name, config)
            self._set_tags(endpoint.arn, request.get("Tags", []))
        self._start_hosting(endpoint)
        return {"EndpointArn": endpoint.arn}

    def endpoint(self, name: str) -> Endpoint:
        endpoint = self.endpoints.get(name)
        if endpoint is None:
            raise ValidationException(f'Could not find endpoint "{self.arn("endpoint", name)}".')
        return endpoint

    def describe_endpoint(self, request: dict) -> dict:
        return self.endpoint(request["EndpointName"]).describe()

    def list_endpoints(self, request: dict) -> dict:
        endpoints = self._filter(self.endpoints.values(), request, "EndpointStatus")
        page, token = self._page(endpoints, request)
        return self._with_token({"Endpoints": [e.summary() for e in page]}, token)

    def delete_endpoint(self, request: dict) -> dict:
        with self.lock:
            endpoint = self.endpoint(request["EndpointName"])
            del self.endpoints[endpoint.name]
            self.tags.pop(endpoint.arn, None)
        endpoint.set_status("Deleting")
        if endpoint.hosting is not None:
            endpoint.hosting.stop()
        return {}

    # -- tags ----------------------------------------------------------------------------------
    def _set_tags(self, arn: str, tags: Iterable[dict]) -> None:
        self.tags.setdefault(arn, {}).update({t["Key"]: t.get("Value", "") for t in tags})

    def _resource_for(self, arn: str) -> None:
        with self.lock:
            if arn not in self.tags:
                raise ResourceNotFound(f"Could not find resource {arn}.")

    def add_tags(self, request: dict) -> dict:
        self._resource_for(request["ResourceArn"])
        with self.lock:
            self._set_tags(request["ResourceArn"], request["Tags"])
        return {"Tags": request["Tags"]}

    def list_tags(self, request: dict) -> dict:
        self._resource_for(request["ResourceArn"])
        tags = [{"Key": k, "Value": v} for k, v in self.tags[request["ResourceArn"]].items()]
        page, token = self._page(tags, request)
        return self._with_token({"Tags": page}, token)

    def delete_tags(self, request: dict) -> dict:
        self._resource_for(request["ResourceArn"])
        with self.lock:
            for key in request["TagKeys"]:
                self.tags[request["ResourceArn"]].pop(key, None)
        return {}

    # -- listing helpers -----------------------------------------------------------------------
    @staticmethod
    def _filter(items: Iterable, request: dict, status_attr: str | None = None) -> list:
        items = list(items)
        if "NameContains" in request:
            items = [i for i in items if request["NameContains"] in i.name]
        if status_attr and "StatusEquals" in request:
            items = [i for i in items if i.summary()[status_attr] == request["StatusEquals"]]
        for key, keep in (("CreationTimeAfter", lambda c, t: c > t),
                          ("CreationTimeBefore", lambda c, t: c < t)):
            if key in request:
                limit = _epoch(request[key])
                items = [i for i in items if keep(i.created, limit)]
        by_name = request.get("SortBy") == "Name"
        items.sort(key=(lambda i: i.name) if by_name else (lambda i: i.created),
                   reverse=request.get("SortOrder", "Descending") == "Descending")
        return items

    @staticmethod
    def _page(items: list, request: dict) -> tuple[list, str | None]:
        start = 0
        if request.get("NextToken"):
            try:
                start = int(base64.b64decode(request["NextToken"]).decode())
            except ValueError:
                raise ValidationException("Invalid pagination token") from None
        size = request.get("MaxResults", 100)
        end = start + size
        token = base64.b64encode(str(end).encode()).decode() if end < len(items) else None
        return items[start:end], token

    @staticmethod
    def _with_token(body: dict, token: str | None) -> dict:
        if token:
            body["NextToken"] = token
        return body

    def shutdown(self) -> None:
        with self.lock:
            endpoints = list(self.endpoints.values())
            jobs = list(self.training_jobs.values())
        for job in jobs:
            job.stop_requested.set()
        for endpoint in endpoints:
            if endpoint.hosting is not None:
                endpoint.hosting.stop()


def no_objects_message(uri: str, region: str, role_arn: str) -> str:
    bucket = split_uri(uri)[0]
    return (
        f'No S3 objects found under S3 URL "{uri}" given in input data source. Please ensure '
        f"that the bucket exists in the selected region ({region}), that objects exist under "
        f'that S3 prefix, and that the role "{role_arn}" has "s3:ListBucket" permissions on '
        f'bucket "{bucket}".'
    )


def _epoch(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
