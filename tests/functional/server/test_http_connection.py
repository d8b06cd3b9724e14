"""HTTP/1.1 as a real `pyserverless start` speaks it (server/http_connection.py), byte for byte: kept-alive
and pipelined requests answered in order, HEAD without a body, `Connection: close` and HTTP/1.0 closing
after the answer, `Expect: 100-continue`, chunked bodies, and a handler that blocks holding up no other
connection."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import StartedServer, copy_project

OK = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\n\r\nok"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    project = copy_project("hostile", tmp_path_factory.mktemp("connection"))
    (project / "functions" / "slow.py").write_text(
        "import os\nimport time\n\n\ndef handler(context, event, callback):\n"
        "    print('blocking')\n    deadline = time.monotonic() + 8\n"
        "    while not os.path.exists(event['until']) and time.monotonic() < deadline:\n"
        "        time.sleep(0.01)\n    callback(None, 'unblocked')\n"
    )
    (project / "functions" / "repeat.py").write_text(
        "def handler(context, event, callback):\n    callback(None, event['text'])\n"
    )
    with StartedServer(project) as started:
        yield started


def connect(server: StartedServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=20)


def without_date(answer: bytes) -> bytes:
    return b"".join(line for line in answer.splitlines(keepends=True) if not line.startswith(b"date: "))


def read_until(sock: socket.socket, count: int, end: bytes) -> bytes:
    """What the server sends until `end` has come `count` times (the connection kept open)."""
    received = b""
    while received.count(end) < count:
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    return received


def read_all(sock: socket.socket) -> bytes:
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def test_requests_on_one_kept_alive_connection_are_answered_one_by_one(server: StartedServer) -> None:
    with connect(server) as sock:
        for _ in range(3):
            sock.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert without_date(read_until(sock, 1, b"\r\n\r\nok")) == OK


def test_pipelined_requests_are_answered_in_order(server: StartedServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"GET /repeat?text=first HTTP/1.1\r\nHost: localhost\r\n\r\n"
            b"GET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"
            b"GET /repeat?text=third HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        answers = without_date(read_until(sock, 1, b"\r\n\r\nthird"))
    first, second, third = answers.split(b"HTTP/1.1 200 OK")[1:]
    assert first.endswith(b"\r\n\r\nfirst")
    assert second == OK.removeprefix(b"HTTP/1.1 200 OK")
    assert third.endswith(b"\r\n\r\nthird")


def test_head_is_answered_with_the_length_of_get_and_no_body(server: StartedServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"HEAD /ok HTTP/1.1\r\nHost: localhost\r\n\r\nGET /ok HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        answers = without_date(read_until(sock, 1, b"\r\n\r\nok"))
    assert answers == OK.removesuffix(b"ok") + OK


def test_connection_close_and_http_1_0_close_after_the_answer(server: StartedServer) -> None:
    closing = OK.replace(b"\r\n\r\n", b"\r\nconnection: close\r\n\r\n")
    for request in (
        b"GET /ok HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        b"GET /ok HTTP/1.0\r\nHost: localhost\r\n\r\n",
    ):
        with connect(server) as sock:
            sock.sendall(request)
            assert without_date(read_all(sock)) == closing


def test_expect_100_continue_is_answered_before_the_body_is_sent(server: StartedServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /repeat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 10\r\nExpect: 100-continue\r\n\r\n"
        )
        assert read_until(sock, 1, b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"text=hello")
        answer = without_date(read_until(sock, 1, b"hello"))
    assert answer == (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 5\r\n\r\nhello"
    )


def test_a_chunked_body_is_read_whole(server: StartedServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /repeat HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\ntext=\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n"
        )
        answer = without_date(read_until(sock, 1, b"hello"))
    assert answer.endswith(b"content-length: 5\r\n\r\nhello")


def test_a_handler_that_blocks_holds_up_no_other_connection(server: StartedServer, tmp_path: Path) -> None:
    flag = tmp_path / "unblock"
    slow: list[httpx.Response] = []
    blocker = threading.Thread(
        target=lambda: slow.append(httpx.get(server.url(f"/slow?until={flag}"), timeout=30)), daemon=True
    )
    blocker.start()
    server.wait_for_output("[/slow] blocking")
    answers = [httpx.get(server.url("/ok"), timeout=30) for _ in range(20)]
    assert [(answer.status_code, answer.text) for answer in answers] == [(200, "ok")] * 20
    assert not slow, "the blocking handler was released before the other requests were answered"
    flag.touch()
    blocker.join(timeout=30)
    assert (slow[0].status_code, slow[0].text) == (200, "unblocked")
