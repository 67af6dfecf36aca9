"""Requests are checked against botocore's model and reported in AWS's words."""

from __future__ import annotations

import pytest

from helpers.local.awserrors import SerializationException, ValidationException
from helpers.local.sagemaker.responses import service_model
from helpers.local.shapes import validate


def _shape(operation: str):
    return service_model().operation_model(operation).input_shape


def test_every_broken_constraint_is_listed():
    with pytest.raises(ValidationException) as raised:
        validate(_shape("CreateEndpoint"), {"EndpointName": "x" * 70})
    message = raised.value.message
    assert message.startswith("3 validation errors detected: ")  # length, pattern, null
    assert ("Value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' at "
            "'endpointName' failed to satisfy constraint: Member must have length less than "
            "or equal to 63") in message
    assert ("Value null at 'endpointConfigName' failed to satisfy constraint: Member must not "
            "be null") in message


def test_list_members_are_numbered_from_one():
    with pytest.raises(ValidationException) as raised:
        validate(_shape("CreateEndpointConfig"), {
            "EndpointConfigName": "c",
            "ProductionVariants": [{"VariantName": "a", "ModelName": "bad name!"}]})
    assert "at 'productionVariants.1.member.modelName'" in raised.value.message


def test_enums_list_their_values():
    with pytest.raises(ValidationException) as raised:
        validate(_shape("ListEndpoints"), {"SortOrder": "Sideways"})
    assert "Member must satisfy enum value set: [Ascending, Descending]" in raised.value.message


def test_wrong_types_are_a_serialization_error():
    with pytest.raises(SerializationException):
        validate(_shape("DescribeEndpoint"), {"EndpointName": 5})


def test_a_valid_request_passes():
    validate(_shape("DescribeEndpoint"), {"EndpointName": "ok-name"})
