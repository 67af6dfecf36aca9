"""AWS error classes and their wire form.

The offline server answers bad requests with the same error codes, HTTP statuses and body shapes
as AWS, so botocore raises the same ``ClientError`` subclasses a learner would see on AWS.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from werkzeug.wrappers import Response


class AWSError(Exception):
    """An error AWS defines: a code, an HTTP status, a message and optional modelled fields."""

    code = "InternalFailure"
    status = 400

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def json_response(self) -> Response:
        """The ``awsJson1_1`` protocol: the code travels in the body's ``__type``."""
        body = {"__type": self.code, "message": self.message, **self.fields}
        return _response(body, self.status, "application/x-amz-json-1.1", {})

    def rest_json_response(self) -> Response:
        """The ``restJson1`` protocol: the code travels in the ``x-amzn-ErrorType`` header."""
        body = {"Message": self.message, **self.fields}
        return _response(body, self.status, "application/json", {"x-amzn-ErrorType": self.code})


def _response(body: dict, status: int, content_type: str, headers: dict[str, str]) -> Response:
    headers = {"x-amzn-RequestId": str(uuid.uuid4()), **headers}
    return Response(json.dumps(body), status=status, content_type=content_type, headers=headers)


class ValidationException(AWSError):
    code = "ValidationException"


class SerializationException(AWSError):
    code = "SerializationException"


class UnknownOperationException(AWSError):
    code = "UnknownOperationException"


class ResourceNotFound(AWSError):
    code = "ResourceNotFound"


class ResourceInUse(AWSError):
    code = "ResourceInUse"


class ResourceLimitExceeded(AWSError):
    code = "ResourceLimitExceeded"


class InternalFailure(AWSError):
    code = "InternalFailure"
    status = 500


# sagemaker-runtime
class ValidationError(AWSError):
    code = "ValidationError"


class ModelError(AWSError):
    code = "ModelError"
    status = 424


class ServiceUnavailable(AWSError):
    code = "ServiceUnavailable"
    status = 503
