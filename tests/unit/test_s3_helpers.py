"""What S3's refusals mean for a learner (S3's answers played by botocore's Stubber)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from helpers import s3 as s3_helpers


@pytest.fixture
def s3():
    client = boto3.session.Session(region_name="eu-west-1", aws_access_key_id="x",
                                   aws_secret_access_key="y").client("s3")
    with Stubber(client) as stubber:
        yield client, stubber


def test_a_bucket_of_another_account_is_named_as_such(s3):
    client, stubber = s3
    stubber.add_client_error("head_bucket", "403", http_status_code=403)
    with pytest.raises(s3_helpers.BucketError, match="belongs to another AWS account"):
        s3_helpers.exists(client, "someone-elses-bucket")


def test_a_missing_bucket_does_not_exist(s3):
    client, stubber = s3
    stubber.add_client_error("head_bucket", "404", http_status_code=404)
    assert s3_helpers.exists(client, "free-name") is False


@pytest.mark.parametrize("code, words", [
    ("BucketAlreadyExists", "taken by another AWS account"),
    ("InvalidBucketName", "is not valid"),
    ("IllegalLocationConstraintException", "takes no LocationConstraint"),
])
def test_create_bucket_refusals_are_explained(s3, code, words):
    client, stubber = s3
    stubber.add_client_error("create_bucket", code)
    with pytest.raises(Exception) as raised:
        client.create_bucket(Bucket="b-name", CreateBucketConfiguration={
            "LocationConstraint": "eu-west-1"})
    with pytest.raises(s3_helpers.BucketError, match=words):
        s3_helpers.explain(raised.value, "b-name", "eu-west-1")


def test_a_bucket_already_owned_is_used(s3):
    client, stubber = s3
    stubber.add_client_error("create_bucket", "BucketAlreadyOwnedByYou")
    with pytest.raises(Exception) as raised:
        client.create_bucket(Bucket="mine")
    assert "already exists and is yours" in s3_helpers.explain(raised.value, "mine", "us-east-1")


def test_tags_are_added_to_the_ones_already_there(s3):
    client, stubber = s3
    stubber.add_response("get_bucket_tagging", {"TagSet": [{"Key": "team", "Value": "ml"}]})
    stubber.add_response("put_bucket_tagging", {}, {"Bucket": "b", "Tagging": {"TagSet": [
        {"Key": "team", "Value": "ml"}, {"Key": "tutorial-run-id", "Value": "r"}]}})
    s3_helpers.add_tags(client, "b", [{"Key": "tutorial-run-id", "Value": "r"}])
    stubber.assert_no_pending_responses()
