"""SageMaker's control plane on the wire: ``awsJson1_1`` requests in, JSON out.

Each request is checked against botocore's own model of the operation before the backend sees it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import uuid

import botocore.session
from botocore.model import OperationNotFoundError, ServiceModel
from werkzeug.wrappers import Request, Response

from .. import shapes
from ..awserrors import (
    AWSError,
    InternalFailure,
    SerializationException,
    UnknownOperationException,
)
from .service import SageMakerService

log = logging.getLogger("helpers.local.sagemaker")


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("sagemaker")


def _snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


class SageMakerControlPlane:
    def __init__(self, service: SageMakerService) -> None:
        self.service = service

    def handle(self, request: Request, region: str) -> Response:
        operation = request.headers.get("X-Amz-Target", "").split(".", 1)[-1]
        try:
            backend = self.service.backend(region)
            handler = getattr(backend, _snake(operation), None)
            try:
                model = service_model().operation_model(operation)
            except OperationNotFoundError:
                handler = None
            if handler is None:
                raise UnknownOperationException(
                    f"The offline SageMaker does not serve the operation {operation!r}."
                )
            try:
                params = json.loads(request.get_data() or b"{}")
            except ValueError:
                raise SerializationException("The request body is not valid JSON.") from None
            shapes.validate(model.input_shape, params)
            body = handler(params)
        except AWSError as error:
            return error.json_response()
        except Exception as error:  # never let one request take the server down
            log.exception("%s failed", operation)
            return InternalFailure(f"{type(error).__name__}: {error}").json_response()
        return Response(
            json.dumps(body),
            content_type="application/x-amz-json-1.1",
            headers={"x-amzn-RequestId": str(uuid.uuid4())},
        )
