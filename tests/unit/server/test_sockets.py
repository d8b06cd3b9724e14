"""The local server's socket: bound before anything serves, its URL, and whether a port answers."""

from __future__ import annotations

import socket

import pytest

from pyserverless.errors import UserError
from pyserverless.server.sockets import base_url, bind_socket, is_listening


def test_is_listening() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert is_listening("127.0.0.1", port, timeout=1.0)
    assert not is_listening("127.0.0.1", port, timeout=1.0)


def test_bind_socket_listens_and_a_port_in_use_is_a_user_error() -> None:
    sock = bind_socket("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert is_listening("127.0.0.1", port, timeout=1.0)
        with pytest.raises(UserError) as caught:
            bind_socket("127.0.0.1", port)
    finally:
        sock.close()
    assert caught.value.message == f"Port {port} is already in use on 127.0.0.1."
    assert caught.value.hint == (
        "Stop the program that uses it, or pick another port: --port 0 picks a free one."
    )


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 3000, "http://127.0.0.1:3000"),
        ("0.0.0.0", 3000, "http://localhost:3000"),
        ("", 8080, "http://localhost:8080"),
        ("::", 3000, "http://localhost:3000"),
        ("::1", 3000, "http://[::1]:3000"),
    ],
)
def test_base_url(host: str, port: int, url: str) -> None:
    assert base_url(host, port) == url
