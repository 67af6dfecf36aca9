"""SageMaker's runtime on the wire: ``POST /endpoints/{name}/invocations`` (``restJson1``).

The request is checked the way the service checks it before the model sees it: the endpoint
must exist and be InService, the body must fit in 6 MB. A 4xx or 5xx from the model server
reaches the caller as ``ModelError`` (424) carrying the original status and message.
"""

from __future__ import annotations

import json
import logging
import uuid

import urllib3
from werkzeug.wrappers import Request, Response

from ..awserrors import AWSError, InternalFailure, ModelError, ValidationError
from ..loopback import ACCOUNT_ID
from .service import SageMakerService

log = logging.getLogger("helpers.local.runtime")

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # 6,291,456: InvokeEndpoint's documented limit
_FORWARDED = ("Content-Type", "Accept", "X-Amzn-SageMaker-Custom-Attributes")


class PayloadTooLarge(AWSError):
    """The service front end refuses it with a bare HTTP 413 and no error type."""

    status = 413

    def rest_json_response(self) -> Response:
        return Response(json.dumps({"message": self.message}), status=413,
                        content_type="application/json",
                        headers={"x-amzn-RequestId": str(uuid.uuid4())})


class SageMakerRuntime:
    def __init__(self, service: SageMakerService) -> None:
        self.service = service

    def invoke(self, request: Request, region: str, name: str) -> Response:
        try:
            return self._invoke(request, region, name)
        except AWSError as error:
            return error.rest_json_response()
        except Exception as error:  # never let one request take the server down
            log.exception("InvokeEndpoint %s failed", name)
            return InternalFailure(f"{type(error).__name__}: {error}").rest_json_response()

    def _invoke(self, request: Request, region: str, name: str) -> Response:
        length = request.content_length
        if length is not None and length > MAX_PAYLOAD_BYTES:
            raise PayloadTooLarge(f"HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes.")
        body = request.get_data()
        if len(body) > MAX_PAYLOAD_BYTES:  # chunked uploads carry no Content-Length
            raise PayloadTooLarge(f"HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes.")
        backend = self.service.backend(region)
        with backend.lock:
            endpoint = backend.endpoints.get(name)
        if endpoint is None:
            raise ValidationError(f"Endpoint {name} of account {ACCOUNT_ID} not found.")
        endpoint.check_health()
        if endpoint.status != "InService":
            reason = f" Reason: {endpoint.failure_reason}" if endpoint.failure_reason else ""
            raise ValidationError(
                f"Endpoint {name} of account {ACCOUNT_ID} is in status {endpoint.status}, "
                f"not InService.{reason}"
            )
        hosting = endpoint.hosting
        target = request.headers.get("X-Amzn-SageMaker-Target-Variant")
        variant = hosting.choose(target)
        if variant is None:
            raise ValidationError(
                f"The variant {target} of endpoint {name} of account {ACCOUNT_ID} does not exist."
            )
        headers = {h: request.headers[h] for h in _FORWARDED if h in request.headers}
        try:
            result = hosting.invoke(variant, body, headers)
        except urllib3.exceptions.ReadTimeoutError:
            raise self._model_error(region, name, 0, (
                "Your invocation timed out while waiting for a response from container primary. "
                "Review the latency metrics for each container in Amazon CloudWatch, resolve "
                "the issue, and try again."), "", timed_out=True) from None
        except urllib3.exceptions.HTTPError:
            endpoint.check_health()
            raise ValidationError(
                f"Endpoint {name} of account {ACCOUNT_ID} is in status {endpoint.status}, not "
                f"InService. Reason: {endpoint.failure_reason or 'its model server is unreachable'}"
            ) from None
        if result.status >= 400:
            text = result.body.decode("utf-8", errors="replace")
            raise self._model_error(region, name, result.status, text, result.log_stream_arn)
        response_headers = {"x-Amzn-Invoked-Production-Variant": result.variant,
                            "x-amzn-RequestId": str(uuid.uuid4())}
        return Response(result.body, status=200, content_type=result.content_type,
                        headers=response_headers)

    @staticmethod
    def _model_error(region: str, name: str, status: int, text: str, stream_arn: str,
                     timed_out: bool = False) -> ModelError:
        group_url = (f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                     f"#logEventViewer:group=/aws/sagemaker/Endpoints/{name}")
        kind = "client" if 400 <= status < 500 else "server"
        if timed_out:
            message = text
        else:
            message = (f'Received {kind} error ({status}) from primary with message "{text}". '
                       f"See {group_url} in account {ACCOUNT_ID} for more information.")
        return ModelError(
            message,
            ErrorCode=f"{kind.upper()}_ERROR_FROM_MODEL",
            LogStreamArn=stream_arn,
            OriginalMessage=text,
            OriginalStatusCode=status,
        )
