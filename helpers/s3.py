"""S3 for the tutorial: the bucket's name, what S3's refusals mean, emptying and deleting it."""

from __future__ import annotations

from botocore.exceptions import ClientError

from .params import bucket_name_problem


class BucketError(RuntimeError):
    """The bucket cannot be used; the message says why and what to do."""


def split_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/key`` -> ``("bucket", "some/key")``."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def default_bucket_name(account_id: str, region: str) -> str:
    """Unique per account and region, as S3 bucket names are global."""
    return f"sagemaker-xgboost-tutorial-{account_id}-{region}"


def explain(error: ClientError, bucket: str, region: str) -> str:
    """What a CreateBucket refusal means for a learner, or raise BucketError if it is fatal."""
    code = error.response["Error"]["Code"]
    if code == "BucketAlreadyOwnedByYou":
        return f"The bucket {bucket} already exists and is yours: it will be used."
    if code == "BucketAlreadyExists":
        raise BucketError(
            f"The bucket name {bucket} is taken by another AWS account (bucket names are global "
            "across all accounts). Choose another bucket_name, for example with your account "
            "id in it."
        ) from None
    if code == "InvalidBucketName":
        reason = bucket_name_problem(bucket) or "S3 does not accept it"
        raise BucketError(f"The bucket name {bucket} is not valid: {reason}.") from None
    if code in ("IllegalLocationConstraintException", "InvalidLocationConstraint"):
        raise BucketError(
            f"S3 refused the location of {bucket} for region {region}: in us-east-1 a bucket "
            "takes no LocationConstraint, everywhere else it needs one equal to the region."
        ) from None
    raise BucketError(f"S3 refused to create {bucket}: {code}: "
                      f"{error.response['Error'].get('Message', '')}") from None


def empty_and_delete(s3_resource, bucket: str) -> bool:
    """Delete every object (and version) and the bucket. False if it was already gone."""
    target = s3_resource.Bucket(bucket)
    try:
        target.object_versions.delete()
        target.objects.all().delete()
        target.delete()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchBucket", "404"):
            return False
        raise
    return True


def exists(s3_client, bucket: str) -> bool:
    """Whether the bucket exists and is this account's; a bucket of another account is an
    error, since this account can never use it."""
    try:
        s3_client.head_bucket(Bucket=bucket)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in ("404", "NoSuchBucket", "NotFound"):
            return False
        if code in ("403", "AccessDenied", "Forbidden"):
            raise BucketError(
                f"The bucket {bucket} exists but belongs to another AWS account (bucket names "
                "are global). Choose another bucket_name."
            ) from None
        raise
    return True


def tags_of(s3_client, bucket: str) -> dict[str, str]:
    try:
        tag_set = s3_client.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchTagSet":
            return {}
        raise
    return {t["Key"]: t["Value"] for t in tag_set}


def add_tags(s3_client, bucket: str, tags: list[dict[str, str]]) -> None:
    """Add tags, keeping the ones the bucket already has (S3 replaces the whole set)."""
    merged = {**tags_of(s3_client, bucket), **{t["Key"]: t["Value"] for t in tags}}
    s3_client.put_bucket_tagging(Bucket=bucket, Tagging={
        "TagSet": [{"Key": k, "Value": v} for k, v in merged.items()]})
