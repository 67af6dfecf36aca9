"""boto3 clients from the offline server to itself.

The SageMaker platform code (downloading channels, uploading artifacts, writing CloudWatch
logs) talks to S3 and Logs over the real protocol, exactly as the service would, instead of
reaching into moto's internal objects.
"""

from __future__ import annotations

import functools
import threading

import boto3
from botocore.config import Config

ACCOUNT_ID = "123456789012"  # moto's default account: what STS reports offline
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class Loopback:
    """Thread-safe cache of clients pointed at this server's own URL."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._lock = threading.Lock()

    def bind(self, url: str) -> None:
        self.url = url
        self.client.cache_clear()

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one cache per server, lives as long as it
    def client(self, service: str, region: str):
        if self.url is None:
            raise RuntimeError("the local server has no URL yet")
        with self._lock:  # boto3's session set-up is not thread-safe; its clients are
            session = boto3.session.Session(region_name=region, **DUMMY_CREDENTIALS)
            return session.client(
                service,
                endpoint_url=self.url,
                config=Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"}),
            )
