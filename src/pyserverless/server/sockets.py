"""The local server's socket: bound once and listening before anything serves, its URL, and whether a port
answers."""

from __future__ import annotations

import errno
import socket

from pyserverless.errors import UserError


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host:port` and listening; port 0 picks a free port (see `getsockname()`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise UserError(
                f"Port {port} is already in use on {host}.",
                hint="Stop the program that uses it, or pick another port: --port 0 picks a free one.",
            ) from error
        raise UserError(
            f"Cannot listen on {host}:{port}: {error.strerror or error}.",
            hint="Check --host and --port (ports below 1024 need privileges; --port 0 picks a free one).",
        ) from error
    sock.set_inheritable(True)
    return sock


def base_url(host: str, port: int) -> str:
    """The URL to reach a server listening on `host:port` from this machine."""
    if host in ("", "0.0.0.0", "::"):
        host = "localhost"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def is_listening(host: str, port: int, timeout: float) -> bool:
    """Whether something accepts TCP connections on `host:port` within `timeout` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
