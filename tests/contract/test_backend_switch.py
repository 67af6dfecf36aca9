"""The session seam: local sends every client to the local server with dummy credentials;
switching to AWS removes every local override, and back again."""

from __future__ import annotations

import os

import boto3

from helpers import backend as seam

SERVICES = ("s3", "sts", "iam", "logs", "sagemaker", "sagemaker-runtime")


def test_local_points_every_client_at_the_local_server(backend):
    session = boto3.session.Session()
    for service in SERVICES:
        assert session.client(service).meta.endpoint_url == backend.endpoint_url
    credentials = session.get_credentials()
    assert (credentials.access_key, credentials.secret_key) == ("testing", "testing")
    assert backend.session.sagemaker_client.meta.endpoint_url == backend.endpoint_url
    assert backend.account_id == "123456789012"
    assert backend.session.default_bucket() == f"sagemaker-{backend.region}-123456789012"


def test_switching_to_aws_and_back_removes_and_restores_the_overrides(backend, monkeypatch):
    monkeypatch.setitem(seam._saved_env, "AWS_ACCESS_KEY_ID", "AKIAEXAMPLEUSERKEY")
    monkeypatch.setitem(seam._saved_env, "AWS_SECRET_ACCESS_KEY", "example-secret")
    monkeypatch.setitem(seam._saved_env, "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1")
    try:
        aws = seam.open_backend("aws", region="eu-west-1",
                                role="arn:aws:iam::111122223333:role/example")
        assert not [k for k in os.environ if k.startswith("AWS_ENDPOINT_URL")]
        assert os.environ.get("AWS_ACCESS_KEY_ID") == "AKIAEXAMPLEUSERKEY"
        for service in SERVICES:
            url = aws.boto_session.client(service).meta.endpoint_url
            assert "127.0.0.1" not in url and url.endswith(".amazonaws.com"), url
        assert aws.session.sagemaker_client.meta.endpoint_url == \
            "https://api.sagemaker.eu-west-1.amazonaws.com"
        assert aws.endpoint_url is None
    finally:
        again = seam.open_backend("local")
    assert again.endpoint_url == backend.endpoint_url
    assert boto3.session.Session().client("s3").meta.endpoint_url == backend.endpoint_url


def test_auto_means_aws_only_on_a_notebook_instance(monkeypatch, tmp_path):
    monkeypatch.setattr(seam, "NOTEBOOK_METADATA", tmp_path / "resource-metadata.json")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALLOOKINGKEY")
    assert seam.resolve("auto") == "local"
    (tmp_path / "resource-metadata.json").write_text("{}")
    assert seam.resolve("auto") == "aws"
