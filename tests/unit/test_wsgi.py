"""The loopback WSGI server answers ``Expect: 100-continue`` with and without a body."""

from __future__ import annotations

import socket
import threading

import pytest

from helpers.local.wsgi import create_server


def _echo(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Length", str(len(body) + 3))])
    return [b"ok:" + body]


@pytest.fixture(scope="module")
def port():
    server = create_server(_echo, threads=2, ident="test")
    threading.Thread(target=server.run, daemon=True).start()
    yield server.effective_port
    server.close()


@pytest.mark.parametrize("body", [b"", b"payload"])
def test_expect_continue_never_hangs(port, body):
    with socket.create_connection(("127.0.0.1", port), timeout=3) as connection:
        connection.sendall(b"PUT /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(body))
        received = connection.recv(4096)
        if body:
            assert received.startswith(b"HTTP/1.1 100 Continue")
            connection.sendall(body)
        while not received.endswith(b"ok:" + body):
            received += connection.recv(4096)
    assert b"200 OK" in received


def test_it_listens_on_loopback_only(port):
    server = create_server(_echo, threads=1, ident="test")
    try:
        assert server.socket.getsockname()[0] == "127.0.0.1"
    finally:
        server.close()
