"""What the offline server holds, read through the real APIs (for ``status``)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3

from .loopback import DUMMY_CREDENTIALS


def describe_everything(url: str, region: str = "us-east-1") -> Iterator[str]:
    session = boto3.session.Session(region_name=region, **DUMMY_CREDENTIALS)
    sagemaker = session.client("sagemaker", endpoint_url=url)
    s3 = session.client("s3", endpoint_url=url)
    jobs = sagemaker.list_training_jobs(MaxResults=100)["TrainingJobSummaries"]
    yield f"training jobs ({len(jobs)}):"
    for job in jobs:
        yield f"  {job['TrainingJobName']}  {job['TrainingJobStatus']}/{job['SecondaryStatus']}"
    endpoints = sagemaker.list_endpoints(MaxResults=100)["Endpoints"]
    yield f"endpoints ({len(endpoints)}):"
    for endpoint in endpoints:
        yield f"  {endpoint['EndpointName']}  {endpoint['EndpointStatus']}"
    buckets = s3.list_buckets().get("Buckets", [])
    yield f"buckets ({len(buckets)}):"
    for bucket in buckets:
        yield f"  {bucket['Name']}"
