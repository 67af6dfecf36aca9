"""Serve a WSGI application with waitress on a free loopback port.

waitress 3.0 answers ``Expect: 100-continue`` on a request whose body is empty
(``Content-Length: 0``) with ``100 Continue`` and then waits for a body that never comes, so
the request hangs. botocore sends exactly that for an empty S3 ``PutObject``. The channel below
skips the interim response when there is no body to wait for, which HTTP/1.1 allows.
"""

from __future__ import annotations

import waitress
from waitress.channel import HTTPChannel


class _Channel(HTTPChannel):
    def send_continue(self) -> None:
        request = self.request
        if request is not None and request.content_length == 0 and not request.chunked:
            request.expect_continue = False  # the request is complete: answer it directly
            return
        super().send_continue()


def create_server(app, threads: int, ident: str, port: int = 0):
    """A waitress server bound to 127.0.0.1 only; ``server.effective_port`` is its port."""
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=threads,
                                    ident=ident, channel_timeout=300)
    server.channel_class = _Channel
    return server
