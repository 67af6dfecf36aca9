"""Find and delete what a run made: endpoints, endpoint configs, models, its bucket.

Every resource the suite creates carries the tags ``tutorial-suite`` and ``tutorial-run-id``,
so a run can be cleaned up even when its run state is lost, and an audit can list everything
the suite left behind. Deleting twice is harmless.

    python -m helpers.cleanup --run-id ID [--backend local|aws] [--region R] [--bucket B]
    python -m helpers.cleanup --audit [--backend aws]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timezone

import pandas as pd
from botocore.exceptions import ClientError

from . import s3 as s3_helpers
from .notebook import RUN_ID_TAG, SUITE, SUITE_TAG

_KINDS = (  # deletion order: the endpoint first, then what it used
    ("endpoint", "list_endpoints", "Endpoints", "EndpointName", "EndpointArn", "delete_endpoint"),
    ("endpoint-config", "list_endpoint_configs", "EndpointConfigs", "EndpointConfigName",
     "EndpointConfigArn", "delete_endpoint_config"),
    ("model", "list_models", "Models", "ModelName", "ModelArn", "delete_model"),
)


@dataclass
class Resource:
    kind: str
    name: str
    run_id: str
    created: datetime

    def age(self, now: datetime | None = None) -> str:
        seconds = int(((now or datetime.now(timezone.utc)) - self.created).total_seconds())
        hours, rest = divmod(max(seconds, 0), 3600)
        return f"{hours}h {rest // 60:02d}m"


def _tags(sagemaker_client, arn: str) -> dict[str, str]:
    try:
        tags = sagemaker_client.list_tags(ResourceArn=arn)["Tags"]
    except ClientError:
        return {}
    return {t["Key"]: t["Value"] for t in tags}


def suite_resources(boto_session, run_id: str | None = None,
                    buckets: list[str] | None = None) -> list[Resource]:
    """Every endpoint, endpoint config and model the suite made (of one run, if given), and
    the named buckets that still exist with the suite's tags."""
    sagemaker_client = boto_session.client("sagemaker")
    found = []
    for kind, lister, key, name_key, arn_key, _ in _KINDS:
        for page in sagemaker_client.get_paginator(lister).paginate():
            for item in page[key]:
                tags = _tags(sagemaker_client, item[arn_key])
                if tags.get(SUITE_TAG) != SUITE:
                    continue
                if run_id and tags.get(RUN_ID_TAG) != run_id:
                    continue
                found.append(Resource(kind, item[name_key], tags.get(RUN_ID_TAG, ""),
                                      item["CreationTime"]))
    s3 = boto_session.client("s3")
    listed = {b["Name"]: b["CreationDate"] for b in s3.list_buckets().get("Buckets", [])}
    for bucket in (buckets if buckets is not None else listed):
        tags = _bucket_tags(s3, bucket) if bucket in listed else None
        if tags is None or tags.get(SUITE_TAG) != SUITE:
            continue
        if run_id and tags.get(RUN_ID_TAG) != run_id:
            continue
        found.append(Resource("bucket", bucket, tags.get(RUN_ID_TAG, ""), listed[bucket]))
    return found


def _bucket_tags(s3_client, bucket: str) -> dict[str, str] | None:
    """The bucket's tags; None if it does not exist or is not readable."""
    try:
        return s3_helpers.tags_of(s3_client, bucket)
    except ClientError:
        return None


def delete(boto_session, resources: list[Resource]) -> list[str]:
    """Delete in dependency order; returns one line per resource deleted."""
    sagemaker_client = boto_session.client("sagemaker")
    s3_resource = boto_session.resource("s3")
    order = {kind: index for index, (kind, *_rest) in enumerate(_KINDS)}
    done = []
    for resource in sorted(resources, key=lambda r: order.get(r.kind, len(order))):
        if resource.kind == "bucket":
            if s3_helpers.empty_and_delete(s3_resource, resource.name):
                done.append(f"deleted bucket {resource.name} and its objects")
            continue
        deleter, name_key = next((d, n) for k, _, _, n, _, d in _KINDS if k == resource.kind)
        try:
            getattr(sagemaker_client, deleter)(**{name_key: resource.name})
            done.append(f"deleted {resource.kind} {resource.name}")
        except ClientError as error:
            if "Could not find" not in error.response["Error"]["Message"]:
                raise
    return done


def as_table(resources: list[Resource]) -> pd.DataFrame:
    now = datetime.now(timezone.utc)
    return pd.DataFrame([{"kind": r.kind, "name": r.name, "run id": r.run_id,
                          "age": r.age(now)} for r in resources],
                        columns=["kind", "name", "run id", "age"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.cleanup", description=__doc__)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--run-id", help="delete what this run made")
    which.add_argument("--audit", action="store_true",
                       help="list everything the suite made that still exists, with its age")
    parser.add_argument("--backend", default="local", choices=("local", "aws"))
    parser.add_argument("--region", default=None)
    parser.add_argument("--bucket", action="append",
                        help="a bucket to check (default: every bucket the account lists)")
    args = parser.parse_args(argv)
    from .backend import open_backend

    backend = open_backend(args.backend, args.region)
    found = suite_resources(backend.boto_session, None if args.audit else args.run_id,
                            args.bucket)
    if args.audit:
        print(as_table(found).to_string(index=False) if found else
              "nothing made by the suite is left")
        return 0
    for line in delete(backend.boto_session, found) or ["nothing to delete"]:
        print(line)
    left = suite_resources(backend.boto_session, args.run_id, args.bucket)
    if left:
        print(as_table(left).to_string(index=False), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
