"""The HTTP limits of a real `pyserverless start` (server/http_limits.py, server/app.py): heads over 64 kB or
256 fields are a 431, a head or body that does not arrive in time ends the connection, idle kept-alive
connections close, and past 512 open connections a new one is answered 503 with a log line; meanwhile the
server keeps answering everyone else."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.support.server_process import StartedServer, copy_project


def plain(status: str, message: str) -> bytes:
    """A plain-text answer that closes the connection, as the server writes it (its date line left out)."""
    body = message.encode()
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    ).encode() + body


HEAD_TOO_LARGE = plain(
    "431 Request Header Fields Too Large",
    "Request Header Fields Too Large: the limit is 64 kB and 256 fields.\n",
)
HEAD_TOO_SLOW = plain(
    "408 Request Timeout", "Request Timeout: the headers did not arrive within 10 seconds.\n"
)
TOO_MANY_CONNECTIONS = plain(
    "503 Service Unavailable", "Service Unavailable: this server keeps at most 512 connections.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    project = copy_project("hostile", tmp_path_factory.mktemp("limits"))
    with StartedServer(project) as started:
        yield started
        assert started.process is not None and started.process.poll() is None
        assert "The server process died" not in started.stdout_text()


def assert_serving(server: StartedServer) -> None:
    response = httpx.get(server.url("/ok"), timeout=20)
    assert (response.status_code, response.text) == (200, "ok")


def connect(server: StartedServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a reset ends it too)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        pass
    return received


def read_answer(sock: socket.socket) -> bytes:
    """One answer of /ok on a kept-alive connection (its head and body may come in two reads)."""
    received = b""
    while not received.endswith(b"\r\n\r\nok"):
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    return received


def exchange(server: StartedServer, data: bytes) -> bytes:
    with connect(server) as sock:
        sock.sendall(data)
        return read_all(sock)


def without_date(answer: bytes) -> bytes:
    return b"".join(line for line in answer.splitlines(keepends=True) if not line.startswith(b"date: "))


def request_with(headers: list[tuple[str, str]]) -> bytes:
    lines = ["GET /echo HTTP/1.1", "Host: localhost", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_a_head_over_64_kb_is_a_431(server: StartedServer) -> None:
    answer = exchange(server, request_with([("X-Big", "v" * 70_000)]))
    assert without_date(answer) == HEAD_TOO_LARGE
    answer = exchange(server, request_with([("X-Big", "v" * 60_000)]))
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    server.wait_for_output("Answered 431 to a request whose headers are over 64 kB or 256 fields.")
    assert_serving(server)


def test_more_than_256_header_fields_is_a_431(server: StartedServer) -> None:
    fields = [(f"X-H{index}", str(index)) for index in range(256 - 3)]  # with Host, Connection, X-Last
    answer = exchange(server, request_with([*fields, ("X-Last", "1")]))
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"x-headers-seen: 255\r\n" in answer  # all 256 but Connection, which handlers never see
    answer = exchange(server, request_with([*fields, ("X-Last", "1"), ("X-One-More", "1")]))
    assert without_date(answer) == HEAD_TOO_LARGE
    assert_serving(server)


def test_an_endless_header_is_cut_off_early_and_others_keep_being_served(server: StartedServer) -> None:
    sent = 0
    with connect(server) as sock:
        sock.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Endless: ")
        try:
            while sent < 300 * 1024 * 1024:
                sock.sendall(b"v" * 65536)
                sent += 65536
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = read_all(sock)
    assert sent < 8 * 1024 * 1024  # the server closed the connection long before 300 MB
    assert answer in (b"", HEAD_TOO_LARGE) or without_date(answer) == HEAD_TOO_LARGE
    assert_serving(server)


def test_slow_heads_time_out_idle_connections_close_and_others_keep_being_served(
    server: StartedServer,
) -> None:
    silent = connect(server)
    partial = connect(server)
    kept_alive = connect(server)
    try:
        partial.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n")
        kept_alive.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        first = read_answer(kept_alive)
        assert first.startswith(b"HTTP/1.1 200 OK\r\n") and first.endswith(b"\r\n\r\nok")
        assert_serving(server)
        assert read_all(kept_alive) == b""  # closed by the server after 5 idle seconds
        assert without_date(read_all(partial)) == HEAD_TOO_SLOW
        assert without_date(read_all(silent)) == HEAD_TOO_SLOW
    finally:
        for sock in (silent, partial, kept_alive):
            sock.close()
    assert_serving(server)


def test_a_body_that_does_not_arrive_in_time_is_a_408(server: StartedServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nBody="
        )
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert answer.endswith(b"\r\n\r\nRequest Timeout: the body did not arrive within 30 seconds.\n")


def test_past_512_connections_a_new_one_is_a_503_with_a_log_line(server: StartedServer) -> None:
    held: list[socket.socket] = []
    try:
        for _ in range(512):
            held.append(connect(server))
        for sock in held[:1]:  # the server has taken every connection once one has been answered
            sock.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert read_answer(sock).endswith(b"\r\n\r\nok")
        answer = exchange(server, b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert answer == TOO_MANY_CONNECTIONS
        server.wait_for_output("connection(s) with a 503: 512 are open, the most this server keeps.")
    finally:
        for sock in held:
            sock.close()
    assert_serving(server)
