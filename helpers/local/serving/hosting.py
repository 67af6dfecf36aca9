"""The hosting platform: what SageMaker does between CreateEndpoint and InService.

For each production variant it downloads the model's ``model.tar.gz`` from S3, unpacks it safely
into a model folder (``/opt/ml/model`` in a container), starts one model-server process per
instance on a free loopback port and waits for ``GET /ping``. Invocations are forwarded to
``POST /invocations`` of one instance, round-robin.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import random
import secrets
import shutil
import signal
import subprocess
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import urllib3

from ...s3 import split_uri
from ..cloudwatch import LogStream
from ..loopback import Loopback
from ..warmpool import WarmPool

log = logging.getLogger("helpers.local.hosting")

PING_DEADLINE = 240.0  # the hosting contract: /ping must pass within 4 minutes of start
INVOCATION_TIMEOUT = 60.0  # the hosting contract: /invocations must answer within 60 s
STOP_GRACE = 30.0  # the hosting contract: SIGTERM, then SIGKILL after 30 s


class HostingError(Exception):
    """The endpoint cannot be brought into service; the message becomes its FailureReason."""


@dataclass
class InvokeResult:
    status: int
    body: bytes
    content_type: str
    variant: str
    log_stream_arn: str


def safe_extract(archive: bytes, destination: Path) -> None:
    """Unpack a model archive; members with ``..``, absolute paths or outside links are refused."""
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:*") as tar:
        tar.extractall(destination, filter="data")


class ModelServer:
    """One endpoint instance: a model-server process on its own loopback port."""

    def __init__(self, model_dir: Path, image_version: str, logs: LogStream,
                 containers: WarmPool) -> None:
        self.containers = containers
        self.model_dir = model_dir
        self.image_version = image_version
        self.logs = logs
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.pool: urllib3.HTTPConnectionPool | None = None
        self._port_known = threading.Event()

    def start(self, deadline: float) -> None:
        self.process = self.containers.launch({"role": "serve", "model_dir": str(self.model_dir),
                                               "image_version": self.image_version})
        self.logs.follow(self.process.stdout, on_line=self._watch_for_port)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HostingError("model server exited with code " f"{self.process.returncode}")
            if self._port_known.wait(0.02) and self.ping():
                return
        raise HostingError("model server did not pass the ping health check in time")

    def _watch_for_port(self, line: str) -> None:
        if self.port is None and line.startswith("{"):
            try:
                self.port = int(json.loads(line)["port"])
            except (ValueError, KeyError, TypeError):
                return
            self.pool = urllib3.HTTPConnectionPool(
                "127.0.0.1", self.port, maxsize=32, block=False, retries=False,
                timeout=urllib3.Timeout(connect=2.0, read=INVOCATION_TIMEOUT),
            )
            self._port_known.set()

    def ping(self) -> bool:
        try:
            return self.pool.request("GET", "/ping", timeout=2.0).status == 200
        except urllib3.exceptions.HTTPError:
            return False

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def invoke(self, body: bytes, headers: dict[str, str]) -> urllib3.BaseHTTPResponse:
        return self.pool.urlopen("POST", "/invocations", body=body, headers=headers)

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Variant:
    def __init__(self, config: dict, model_dir: Path) -> None:
        self.config = config
        self.name: str = config["VariantName"]
        self.servers: list[ModelServer] = []
        self.model_dir = model_dir
        self._turn = itertools.count()

    def pick(self) -> ModelServer:
        return self.servers[next(self._turn) % len(self.servers)]


class EndpointHosting:
    """Runs an endpoint's model servers and forwards its invocations."""

    def __init__(self, endpoint, workdir: Path, loopback: Loopback,
                 containers: WarmPool) -> None:
        self.containers = containers
        self.endpoint = endpoint
        self.workdir = workdir
        self.loopback = loopback
        self.variants: list[Variant] = []
        self._stopped = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._bring_up, name=f"endpoint:{self.endpoint.name}",
                         daemon=True).start()

    def _bring_up(self) -> None:
        endpoint = self.endpoint
        try:
            shutil.rmtree(self.workdir, ignore_errors=True)
            deadline = time.monotonic() + PING_DEADLINE
            for config in endpoint.config.variants:
                self._start_variant(config, deadline)
        except HostingError as error:
            self.stop()
            endpoint.set_status("Failed", str(error))
            return
        except Exception as error:  # a platform fault must still end in a clear status
            log.exception("hosting %s failed", endpoint.name)
            self.stop()
            endpoint.set_status("Failed", f"Internal failure while hosting the model: {error}")
            return
        if self._stopped.is_set():
            self.stop()
        else:
            endpoint.set_status("InService")

    def _start_variant(self, config: dict, deadline: float) -> None:
        backend = self.endpoint.backend
        with backend.lock:
            model = backend.models.get(config["ModelName"])
        if model is None:
            arn = backend.arn("model", config["ModelName"])
            raise HostingError(f'Could not find model "{arn}".')
        model_dir = self.workdir / config["VariantName"] / "model"
        url = model.container["ModelDataUrl"]
        archive = self._download(url)
        try:
            safe_extract(archive, model_dir)
        except (tarfile.TarError, OSError) as error:
            raise HostingError(
                f'Failed to extract model data archive from URL "{url}" for container of '
                f'production variant {config["VariantName"]}: {error}. Please ensure that the '
                "object is a tar.gz archive whose members stay inside the model folder."
            ) from None
        variant = Variant(config, model_dir)
        self.variants.append(variant)
        for _ in range(config.get("InitialInstanceCount", 1)):
            stream = f"{config['VariantName']}/i-{secrets.token_hex(9)[:17]}"
            logs = LogStream(self.loopback, backend.region,
                             f"/aws/sagemaker/Endpoints/{self.endpoint.name}", stream)
            server = ModelServer(model_dir, model.image.version, logs, self.containers)
            variant.servers.append(server)
            if self._stopped.is_set():
                break
            try:
                server.start(deadline)
            except HostingError as error:
                server.stop()
                raise HostingError(
                    f"The primary container for production variant {config['VariantName']} did "
                    f"not pass the ping health check ({error}). Please check CloudWatch logs for "
                    "this endpoint."
                ) from None

    def _download(self, url: str) -> bytes:
        bucket, key = split_uri(url)
        s3 = self.loopback.client("s3", self.endpoint.backend.region)
        try:
            return s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except Exception:
            raise HostingError(
                f'Failed to download model data for container "container_1" from URL: "{url}". '
                "Please ensure that there is an object located at the URL and that the role "
                "passed to CreateModel has permissions to download the object."
            ) from None

    def failure(self) -> str | None:
        """Why the endpoint can no longer serve, if one of its model servers has died."""
        for variant in self.variants:
            for number, server in enumerate(variant.servers, start=1):
                code = server.exit_code()
                if code is not None:
                    return (
                        f"The model server of production variant {variant.name} (instance "
                        f"{number}) exited unexpectedly with code {code}. Delete the endpoint "
                        "and deploy again."
                    )
        return None

    def variant_summaries(self) -> list[dict]:
        summaries = []
        for variant in self.variants:
            count = len(variant.servers)
            summaries.append({
                "VariantName": variant.name,
                "DeployedImages": [{"SpecifiedImage": self._image_of(variant),
                                    "ResolvedImage": self._image_of(variant)}],
                "CurrentWeight": float(variant.config.get("InitialVariantWeight", 1.0)),
                "DesiredWeight": float(variant.config.get("InitialVariantWeight", 1.0)),
                "CurrentInstanceCount": count,
                "DesiredInstanceCount": count,
            })
        return summaries

    def _image_of(self, variant: Variant) -> str:
        model = self.endpoint.backend.models.get(variant.config["ModelName"])
        return model.container["Image"] if model else ""

    def choose(self, target_variant: str | None) -> Variant | None:
        if target_variant:
            return next((v for v in self.variants if v.name == target_variant), None)
        weights = [float(v.config.get("InitialVariantWeight", 1.0)) for v in self.variants]
        if len(self.variants) == 1 or not any(weights):
            return self.variants[0]
        return random.choices(self.variants, weights=weights)[0]

    def invoke(self, variant: Variant, body: bytes, headers: dict[str, str]) -> InvokeResult:
        server = variant.pick()
        response = server.invoke(body, headers)
        return InvokeResult(
            status=response.status,
            body=response.data,
            content_type=response.headers.get("Content-Type", "application/octet-stream"),
            variant=variant.name,
            log_stream_arn=server.logs.arn,
        )

    def stop(self) -> None:
        self._stopped.set()
        servers = [s for v in self.variants for s in v.servers]
        threads = [threading.Thread(target=s.stop) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
