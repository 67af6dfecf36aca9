"""Only the built-in XGBoost images the SDK knows are served."""

from __future__ import annotations

import pytest
from sagemaker import image_uris

from helpers.local.sagemaker.images import known_versions, recognise, version_key


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-northeast-1", "cn-north-1"])
def test_every_version_the_sdk_retrieves_is_recognised(region):
    for version in known_versions():
        uri = image_uris.retrieve("xgboost", region, version)
        image = recognise(uri)
        assert image is not None and (image.region, image.version) == (region, version), uri


@pytest.mark.parametrize("uri", [
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:9.9-9",
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    "683313688378.dkr.ecr.us-east-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1",
    "xgboost:latest",
    "",
])
def test_anything_else_is_not(uri):
    assert recognise(uri) is None


def test_versions_compare_in_release_order():
    assert version_key("1.0-1") < version_key("1.2-1") < version_key("1.2-2") < \
        version_key("1.3-1") < version_key("3.0-5")
    assert version_key("1") < version_key("1.2-2")
