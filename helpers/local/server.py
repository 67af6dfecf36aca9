"""The offline AWS server: one WSGI application on 127.0.0.1.

Requests are dispatched by service the way moto's own server does it: the SigV4 credential scope
names the service; SageMaker's control plane carries ``X-Amz-Target: SageMaker.<Op>`` and its
runtime posts to ``/endpoints/{name}/invocations``. SageMaker is served by this package; every
other service (S3, STS, IAM, CloudWatch Logs) by moto in server mode.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.wrappers import Request, Response

from . import state
from .awserrors import UnknownOperationException
from .lifecycle import code_version
from .loopback import Loopback
from .sagemaker.responses import SageMakerControlPlane
from .sagemaker.runtime import SageMakerRuntime
from .sagemaker.service import SageMakerService
from .wsgi import create_server

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")
_INVOKE = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")
log = logging.getLogger("helpers.local.server")


class LocalAWS:
    """The WSGI application: SageMaker is ours, everything else goes to moto."""

    def __init__(self, state_dir: Path, token: str) -> None:
        self.token = token
        self.code = code_version()
        self.loopback = Loopback()
        self.moto = DomainDispatcherApplication(create_backend_app)
        self.sagemaker = SageMakerService(state_dir, self.loopback)
        self.control_plane = SageMakerControlPlane(self.sagemaker)
        self.runtime = SageMakerRuntime(self.sagemaker)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_local/"):
            return self._admin(Request(environ))(environ, start_response)
        scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope and scope["service"] == "sagemaker":
            request = Request(environ)
            region = scope["region"]
            if environ.get("HTTP_X_AMZ_TARGET", "").startswith("SageMaker."):
                response = self.control_plane.handle(request, region)
            elif (match := _INVOKE.match(path)) and request.method == "POST":
                response = self.runtime.invoke(request, region, match["name"])
            else:
                response = UnknownOperationException(
                    f"No SageMaker operation answers {request.method} {path}"
                ).rest_json_response()
            return response(environ, start_response)
        return self.moto(environ, start_response)

    def _admin(self, request: Request) -> Response:
        if request.path == "/_local/health":
            body = {"service": "local-aws", "token": self.token, "pid": os.getpid(),
                    "code": self.code}
            return Response(json.dumps(body), content_type="application/json")
        if request.path == "/_local/status":
            body = {"pid": os.getpid(), **self.sagemaker.inventory()}
            return Response(json.dumps(body), content_type="application/json")
        return Response("not found", status=404)

    def shutdown(self) -> None:
        self.sagemaker.shutdown()


def serve(state_dir: Path, port: int = 0, token: str = "") -> None:
    """Run the server in the foreground until SIGTERM or SIGINT; record where it listens."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = LocalAWS(state_dir, token)
    server = create_server(app, threads=16, ident="local-aws", port=port)
    url = f"http://127.0.0.1:{server.effective_port}"
    app.loopback.bind(url)

    def stop(signum, _frame):
        log.info("signal %s: stopping model servers and training workers", signum)
        app.shutdown()
        state.forget_server(state_dir, token)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    state.record_server(state_dir, {"url": url, "port": server.effective_port,
                                    "pid": os.getpid(), "token": token, "started": time.time()})
    log.info("serving on %s (state in %s)", url, state_dir)
    try:
        server.run()
    finally:
        app.shutdown()
        sys.stdout.flush()
