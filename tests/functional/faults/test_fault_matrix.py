"""The fault matrix: every way a handler can misbehave, against a real `pyserverless start` (--timeout 1).

For each fault: the exact answer the client gets, the line the terminal log shows, and that the next request
to another route (/ok) is answered within NEXT_REQUEST_BOUND seconds (a bounded wait that retries, not a
timing assertion). A fault that kills the server process is survived by restarting it: the log says so.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import StartedServer, copy_project

#: How long the next request to another route may take to be answered after a fault (bounded wait).
NEXT_REQUEST_BOUND = 2.0
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
RESTARTED = "↻ restarted after the server process died → reloaded, ready in "


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    project = copy_project("faults", tmp_path_factory.mktemp("faults"))
    with StartedServer(project, "--timeout", "1") as started:
        yield started


def assert_next_request_succeeds(server: StartedServer) -> None:
    """GET /ok answers 200 "ok" within NEXT_REQUEST_BOUND seconds (retrying while the server restarts)."""
    deadline = time.monotonic() + NEXT_REQUEST_BOUND
    while True:
        remaining = max(deadline - time.monotonic(), 0.1)
        try:
            response = httpx.get(server.url("/ok"), timeout=remaining)
        except httpx.HTTPError as error:
            assert time.monotonic() < deadline, f"/ok was not answered within the bound: {error!r}"
            time.sleep(0.05)
            continue
        assert (response.status_code, response.text) == (200, "ok")
        return


@dataclass(frozen=True)
class Fault:
    """A misbehaving route, the answer it must get and the log line it must leave."""

    path: str
    status: int
    content_type: str
    body: bytes | None  # the exact body, or None when the JSON error carries a stack (see `error`)
    log: str
    error: tuple[str, str] | None = None  # (name, message) of a JSON error with a stack

    @property
    def id(self) -> str:
        return self.path.strip("/").split("?")[0]


def no_result(route: str) -> bytes:
    message = (
        f"{route} finished without a result: call callback(None, result) or return the result "
        "(return '' for an empty answer)."
    )
    return json.dumps({"message": message, "name": "NoResult"}).encode()


def too_late(route: str) -> bytes:
    return f"Gateway Timeout: {route} did not finish within the execution limit of 1 seconds.".encode()


FAULTS = [
    Fault(
        "/raise",
        500,
        JSON,
        None,
        "[/raise] /raise answered 500: RuntimeError: kaboom <b>\nTraceback (most recent call last):",
        ("RuntimeError", "kaboom <b>"),
    ),
    Fault(
        "/callback-exception",
        500,
        JSON,
        b'{"message": "bad value", "name": "ValueError"}',
        "[/callback-exception] /callback-exception answered 500: ValueError: bad value\n",
    ),
    Fault(
        "/callback-string",
        500,
        JSON,
        b'{"message": "something went wrong", "name": "Error"}',
        "[/callback-string] /callback-string answered 500: Error: something went wrong\n",
    ),
    Fault(
        "/callback-dict",
        500,
        JSON,
        b'{"message": "{\'code\': 42, \'reason\': \'nope\'}", "name": "Error"}',
        "[/callback-dict] /callback-dict answered 500: Error: {'code': 42, 'reason': 'nope'}\n",
    ),
    Fault(
        "/callback-twice",
        200,
        TEXT,
        b"first",
        "[/callback-twice] /callback-twice called callback more than once; the first result was sent, "
        "later ones are ignored.\n",
    ),
    Fault(
        "/never-callback",
        504,
        TEXT,
        b"Gateway Timeout: /never-callback returned without calling back, and no callback came within the "
        b"execution limit of 1 seconds.",
        "[/never-callback] /never-callback returned without calling back, and no callback came within the "
        "execution limit of 1 s; answered 504.\n",
    ),
    Fault(
        "/return-nothing",
        500,
        JSON,
        no_result("/return-nothing"),
        "[/return-nothing] /return-nothing answered 500: NoResult: /return-nothing finished without a result",
    ),
    Fault(
        "/sleep",
        504,
        TEXT,
        too_late("/sleep"),
        "[/sleep] /sleep did not finish within the execution limit of 1 s; answered 504.\n",
    ),
    Fault(
        "/cpu-spin",
        504,
        TEXT,
        too_late("/cpu-spin"),
        "[/cpu-spin] /cpu-spin did not finish within the execution limit of 1 s; answered 504.\n",
    ),
    Fault(
        "/async-block",
        504,
        TEXT,
        too_late("/async-block"),
        "[/async-block] /async-block blocked the event loop past the execution limit of 1 s (nothing else "
        "was served meanwhile); answered 504. Await instead: asyncio.sleep, "
        "asyncio.to_thread(blocking_call).\n",
    ),
    Fault(
        "/sys-exit",
        500,
        JSON,
        None,
        "[/sys-exit] /sys-exit answered 500: SystemExit: 3\n",
        ("SystemExit", "3"),
    ),
    Fault(
        "/not-serialisable",
        500,
        JSON,
        None,
        "[/not-serialisable] /not-serialisable answered 500: TypeError: Object of type object is not JSON "
        "serializable\n",
        ("TypeError", "Object of type object is not JSON serializable"),
    ),
    Fault(
        "/generator",
        500,
        JSON,
        None,
        "[/generator] /generator answered 500: TypeError: Object of type generator is not JSON "
        "serializable\n",
        ("TypeError", "Object of type generator is not JSON serializable"),
    ),
    Fault(
        "/generator-handler",
        500,
        JSON,
        None,
        "[/generator-handler] /generator-handler answered 500: TypeError: Object of type generator is not "
        "JSON serializable\n",
        ("TypeError", "Object of type generator is not JSON serializable"),
    ),
    Fault(
        "/status-42",
        500,
        JSON,
        None,
        "[/status-42] /status-42 answered 500: ValueError: invalid status code 42: use an integer from 100 "
        "to 599\n",
        ("ValueError", "invalid status code 42: use an integer from 100 to 599"),
    ),
    Fault(
        "/status-1000",
        500,
        JSON,
        None,
        "[/status-1000] /status-1000 answered 500: ValueError: invalid status code 1000: use an integer from "
        "100 to 599\n",
        ("ValueError", "invalid status code 1000: use an integer from 100 to 599"),
    ),
    Fault(
        "/header-line-break",
        500,
        JSON,
        None,
        "[/header-line-break] /header-line-break answered 500: ValueError: invalid value "
        "'a\\r\\nX-Injected: yes' for header 'X-Note': it contains a line break or control character\n",
        (
            "ValueError",
            "invalid value 'a\\r\\nX-Injected: yes' for header 'X-Note': it contains a line break or "
            "control character",
        ),
    ),
    Fault(
        "/header-bad-name",
        500,
        JSON,
        None,
        "[/header-bad-name] /header-bad-name answered 500: ValueError: invalid header name 'X Bad:Name': a "
        "header name must be a non-empty token\n",
        ("ValueError", "invalid header name 'X Bad:Name': a header name must be a non-empty token"),
    ),
    Fault(
        "/header-non-latin",
        500,
        TEXT,
        b"the header 'x-price' holds characters HTTP headers cannot carry\n",
        "/header-non-latin: the header 'x-price' holds characters HTTP headers cannot carry\n",
    ),
    Fault(
        "/unicode-cookie",
        500,
        TEXT,
        b"the header 'set-cookie' holds characters HTTP headers cannot carry\n",
        "/unicode-cookie: the header 'set-cookie' holds characters HTTP headers cannot carry\n",
    ),
    Fault(
        "/unicode-error",
        500,
        JSON,
        None,
        "[/unicode-error] /unicode-error answered 500: ValueError: échec ✗ 🎉 <script>\n",
        ("ValueError", "échec ✗ 🎉 <script>"),
    ),
    Fault(
        "/unicode-text?name=%E2%9C%93",
        200,
        TEXT,
        "héllo ✓ ✓ 🎉".encode(),
        "[/unicode-text] 日本語 ✓ 🎉\n",
    ),
    Fault(
        "/%C3%BCn%C3%AFcode-%E2%9C%93?name=%C3%A9t%C3%A9",
        200,
        JSON,
        '{"echo":"été","route":"/ünïcode-✓"}'.encode(),
        "[/ünïcode-✓] héllo ✓ été\n",
    ),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.id for fault in FAULTS])
def test_each_fault_gets_its_answer_and_log_line_and_the_server_keeps_serving(
    server: StartedServer, fault: Fault
) -> None:
    response = httpx.get(server.url(fault.path), timeout=30)

    assert response.status_code == fault.status
    assert response.headers["content-type"] == fault.content_type
    if fault.body is not None:
        assert response.content == fault.body
    else:
        assert fault.error is not None
        error = response.json()
        assert (error["name"], error["message"]) == fault.error
        assert error["stack"].startswith("Traceback (most recent call last):\n")
        assert error["stack"].endswith(f"{fault.error[0]}: {fault.error[1]}\n")
    server.wait_for_output(fault.log)
    request_path = fault.path.split("?")[0]
    server.wait_for_output(f" {fault.status} GET {request_path} ")
    assert_next_request_succeeds(server)


def test_a_browser_gets_the_error_as_an_escaped_html_page(server: StartedServer) -> None:
    response = httpx.get(server.url("/unicode-error"), headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>ValueError: échec ✗ 🎉 &lt;script&gt;</h1>" in response.text
    assert "<script>" not in response.text
    assert_next_request_succeeds(server)


def test_a_100_mb_body_is_refused_with_413_before_it_is_read(server: StartedServer) -> None:
    declared = 100 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            b"POST /size HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: %d\r\n\r\ndata=" % declared
        )
        sock.sendall(b"x" * 65536)  # then stop sending: the answer must come without the other ~100 MB
        received = b""
        while b"\r\n\r\n" not in received or not received.endswith(b"AWS Lambda.\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        try:  # closed: an orderly end, or a reset since the server never read what was sent
            closed = sock.recv(65536) == b""
        except ConnectionResetError:
            closed = True
    head, _, body = received.partition(b"\r\n\r\n")
    # the phrase is the running Python's: "Request Entity Too Large" up to 3.12, "Content Too Large" from 3.13
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 413 " + HTTPStatus.REQUEST_ENTITY_TOO_LARGE.phrase.encode()
    assert b"connection: close" in head.split(b"\r\n")
    assert body == b"Request body too large: the limit is 6 MB, as on AWS Lambda.\n"
    assert closed
    server.wait_for_output(" 413 POST /size ")
    assert_next_request_succeeds(server)


def test_a_fault_that_kills_the_process_is_survived_by_a_restart_and_logged(tmp_path: Path) -> None:
    project = copy_project("faults", tmp_path)
    with StartedServer(project, "--timeout", "1") as server:
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            httpx.get(server.url("/os-exit"), timeout=30)
        server.wait_for_output("✗ The server process died (exit code 7).\n", timeout=30)
        server.wait_for_output(RESTARTED, timeout=30)
        assert_next_request_succeeds(server)

        # A segfault right after the restart: restarted again, after a pause that prevents a busy loop.
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            httpx.get(server.url("/segfault"), timeout=30)
        output = server.wait_for_output("(exit code -11)", timeout=30)
        assert re.search(
            r"✗ The server process died (\(exit code -11\)\.|again \(exit code -11\) right after starting; "
            r"restarting in 1 s\.)\n",
            output,
        )
        wait_for_restarts(server, 2)
        assert_next_request_succeeds(server)

        # An async handler that never awaits holds the event loop for good: the worker ends itself.
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            httpx.get(server.url("/async-forever"), timeout=30)
        output = server.wait_for_output("✗ The server process died (exit code 70).\n", timeout=30)
        assert re.search(
            r"The event loop has been blocked for \d+ s, past the execution limit of 1 s: an async handler "
            r"runs without awaiting \(a loop, time\.sleep\)\. Restarting the server process\.\n",
            output,
        )
        wait_for_restarts(server, 3)
        assert_next_request_succeeds(server)
        assert server.process is not None and server.process.poll() is None


def wait_for_restarts(server: StartedServer, count: int) -> None:
    deadline = time.monotonic() + 30
    while server.stdout_text().count(RESTARTED) < count:
        assert time.monotonic() < deadline, server.stdout_text()
        time.sleep(0.05)
