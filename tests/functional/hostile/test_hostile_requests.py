"""Hostile requests against a real `pyserverless start` on the hostile fixture: nothing private or protected
is ever served, malformed HTTP is refused, floods and slow clients are bounded, and the server never dies."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.support.raw_http import raw_request
from tests.support.server_process import StartedServer, copy_project

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: Text found only in files that must never be served.
SECRETS = (b"env-secret-7f3a", b"outside-secret-91c2", b"private-asset-5d1e", b"protected-asset-2b8c")
SECRETS += (b"private-function-8e4d", b"AUTH_TOKEN", AUTH_TOKEN.encode())
NOT_FOUND = (404, b"Not Found")
BAD_PATH = (400, b"Bad Request: the path has an invalid percent-encoding.")
PRIVATE_ASSET = (
    403,
    b"Forbidden: /secret.txt is marked as private. Call it from a function through Runtime.get_assets().",
)
PRIVATE_FUNCTION = (
    403,
    b"Forbidden: /helper is marked as private. Call it from a function through Runtime.get_functions().",
)
UNAUTHORIZED = (401, b"Unauthorized: this route is protected and needs a valid X-Twilio-Signature.")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    project = copy_project("hostile", tmp_path_factory.mktemp("hostile"))
    with StartedServer(project, "--timeout", "2") as started:
        yield started
        assert started.process is not None and started.process.poll() is None
        assert "The server process died" not in started.stdout_text()


def assert_serving(server: StartedServer) -> None:
    response = httpx.get(server.url("/ok"), timeout=20)
    assert (response.status_code, response.text) == (200, "ok")


def exchange(port: int, data: bytes, timeout: float = 20) -> bytes:
    """Send `data` on a new connection and read until the server closes it (or a reset)."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    return received


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def sign(url: str, params: dict[str, str]) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(url, params)


TRAVERSALS = [
    ("/.env", NOT_FOUND),
    ("/../.env", NOT_FOUND),
    ("/%2e%2e/.env", NOT_FOUND),
    ("/%2E%2E/.env", NOT_FOUND),
    ("/..%2f.env", NOT_FOUND),
    ("/%2e%2e%2f.env", NOT_FOUND),
    ("/%252e%252e/.env", NOT_FOUND),
    ("/..%5c.env", NOT_FOUND),
    ("/.%2e/.env", NOT_FOUND),
    ("/%c0%ae%c0%ae/.env", BAD_PATH),  # overlong UTF-8 for "..": not UTF-8 at all
    ("/%c0%af.env", BAD_PATH),
    ("/%e0%80%ae%e0%80%ae/.env", BAD_PATH),
    ("/..%c0%af.env", BAD_PATH),
    ("/%2e%2e%5c%2e%2e%5csecret.txt", NOT_FOUND),
    ("/../secret.txt", NOT_FOUND),
    ("/%2e%2e/secret.txt", NOT_FOUND),
    ("/../../../../etc/passwd", NOT_FOUND),
    ("//etc/passwd", NOT_FOUND),
    ("/public.txt/../.env", NOT_FOUND),
    ("/public.txt/..", NOT_FOUND),
    ("/./public.txt", NOT_FOUND),
    ("/%00", NOT_FOUND),
    ("/ok%00.py", NOT_FOUND),
    ("/public.txt%00", NOT_FOUND),
    ("/functions/ok.py", NOT_FOUND),
    ("/functions/helper.private.py", NOT_FOUND),
    ("/assets/secret.private.txt", NOT_FOUND),
    ("/secret.private.txt", NOT_FOUND),
    ("/data.protected.json", NOT_FOUND),
    ("/helper.private", NOT_FOUND),
    ("/secret.txt", PRIVATE_ASSET),
    ("/%73ecret.txt", PRIVATE_ASSET),
    ("/secret%2etxt", PRIVATE_ASSET),
    ("/helper", PRIVATE_FUNCTION),
    ("/%68elper", PRIVATE_FUNCTION),
    ("/sms/reply", UNAUTHORIZED),
    ("/sms%2freply", UNAUTHORIZED),
    ("/data.json", UNAUTHORIZED),
    ("/SMS/reply", NOT_FOUND),
    ("/sms/reply/", NOT_FOUND),
    ("/sms//reply", NOT_FOUND),
]


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_traversal_in_every_encoding_serves_nothing_private_or_protected(
    server: StartedServer, method: str
) -> None:
    for target, (status, body) in TRAVERSALS:
        answer_status, _, answer_body = raw_request(server.port, method, target)
        expected_body = b"" if method == "HEAD" else body
        assert (target, answer_status, answer_body) == (target, status, expected_body)
        assert not any(secret in answer_body for secret in SECRETS)
    assert_serving(server)


def test_a_signature_replayed_on_another_path_is_refused_and_the_url_checked_is_logged(
    server: StartedServer,
) -> None:
    params = {"Body": "hello", "From": "+15550001111"}
    signature = sign(server.url("/sms/reply"), params)
    headers = {**FORM, "X-Twilio-Signature": signature}
    with httpx.Client(base_url=server.base_url, timeout=20) as client:
        signed = client.post("/sms/reply", content=urlencode(params), headers=headers)
        assert (signed.status_code, signed.json()) == (200, {"signed": True, "Body": "hello"})
        for path in ("/data.json", "/sms/reply?Body=other", "/sms%2freply"):
            replayed = client.post(path, content=urlencode(params), headers=headers)
            assert (replayed.status_code, replayed.content) == UNAUTHORIZED
            route = "/data.json" if path == "/data.json" else "/sms/reply"
            server.wait_for_output(
                f"[{route}] 401 for protected {route}: X-Twilio-Signature does not match "
                f"(URL checked: {server.url(path)})."
            )
        tampered = client.post("/sms/reply", content=urlencode({**params, "Body": "evil"}), headers=headers)
        assert (tampered.status_code, tampered.content) == UNAUTHORIZED


def test_a_signature_with_the_port_removed_passes_and_another_port_fails(server: StartedServer) -> None:
    params = {"Body": "port"}
    without_port = "http://127.0.0.1/sms/reply"
    other_port = f"http://127.0.0.1:{server.port % 65535 + 1}/sms/reply"
    with httpx.Client(base_url=server.base_url, timeout=20) as client:
        for url, status in ((without_port, 200), (other_port, 401)):
            headers = {**FORM, "X-Twilio-Signature": sign(url, params)}
            response = client.post("/sms/reply", content=urlencode(params), headers=headers)
            assert (url, response.status_code) == (url, status)


def test_behind_a_public_url_a_signature_with_or_without_443_passes_and_forwarded_headers_change_nothing(
    tmp_path: Path,
) -> None:
    """Behind a tunnel the public URL is https without a port; Twilio may sign it with :443 added. A client's
    X-Forwarded-* headers cannot make another URL the one checked."""
    params = {"Body": "port"}
    project = copy_project("hostile", tmp_path)
    with (
        StartedServer(project, "--public-url", "https://abc.ngrok.app") as server,
        httpx.Client(base_url=server.base_url, timeout=20) as client,
    ):
        for url in ("https://abc.ngrok.app/sms/reply", "https://abc.ngrok.app:443/sms/reply"):
            headers = {**FORM, "X-Twilio-Signature": sign(url, params)}
            response = client.post("/sms/reply", content=urlencode(params), headers=headers)
            assert (url, response.status_code) == (url, 200)
        spoofed = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "other-host.example"}
        headers = {
            **FORM,
            **spoofed,
            "X-Twilio-Signature": sign("http://other-host.example/sms/reply", params),
        }
        response = client.post("/sms/reply", content=urlencode(params), headers=headers)
        assert (response.status_code, response.content) == UNAUTHORIZED
        server.wait_for_output("(URL checked: https://abc.ngrok.app/sms/reply).")


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("LOCALHOST:3000", 200),
        ("app.localhost:3000", 200),
        ("127.0.0.1", 200),
        ("192.168.1.20:3000", 200),
        ("[::1]:3000", 200),
        ("evil.example", 403),
        ("evil.example:3000", 403),
        ("localhost.evil.example", 403),
        ("127.0.0.1.nip.io", 403),
    ],
)
def test_only_host_names_that_cannot_be_rebound_are_answered(
    server: StartedServer, host: str, status: int
) -> None:
    answer = exchange(server.port, f"GET /ok HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    assert status_of(answer) == status
    if status == 403:
        name = host.rpartition(":")[0] if host.count(":") == 1 else host
        assert answer.endswith(
            f"\r\n\r\nForbidden: this server does not answer for the host {name.lower()!r} (a defence "
            "against DNS rebinding). Call it as localhost or by IP address, or start it with "
            "--allowed-host NAME (or --public-url) to answer that name.\n".encode()
        )
    else:
        assert answer.endswith(b"\r\n\r\nok")


def test_allowed_host_config_and_the_public_url_host_are_answered(tmp_path: Path) -> None:
    project = copy_project("hostile", tmp_path)
    (project / "pyproject.toml").write_text('[tool.pyserverless]\nallowed-hosts = ["from-config.internal"]\n')
    args = ("--allowed-host", "dev.internal", "--public-url", "https://abc.ngrok.app")
    with StartedServer(project, *args) as server:
        answers = [("dev.internal:8080", 200), ("abc.ngrok.app", 200), ("evil.example", 403)]
        for host, status in [*answers, ("from-config.internal", 403)]:  # the flag replaces the config
            answer = exchange(server.port, f"GET /ok HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert (host, status_of(answer)) == (host, status)
    with StartedServer(project) as server:
        for host, status in (("from-config.internal", 200), ("dev.internal", 403)):
            answer = exchange(server.port, f"GET /ok HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            assert (host, status_of(answer)) == (host, status)


def test_more_than_a_thousand_query_or_form_parameters_are_refused_unparsed(server: StartedServer) -> None:
    query = "&".join(f"{index:x}=" for index in range(10_000))  # 10,000 keys in 56 kB: under the URL limit
    status, _, body = raw_request(server.port, "GET", f"/echo?{query}")
    assert (status, body) == (400, b"Bad Request: the query holds more than 1,000 parameters.")
    form = "&".join(f"p{index}={index}" for index in range(10_000))
    response = httpx.post(server.url("/echo"), content=form, headers=FORM, timeout=30)
    assert (response.status_code, response.text) == (
        413,
        "Payload Too Large: the form body holds more than 1,000 parameters.",
    )
    form = "&".join(f"p{index}={index}" for index in range(1_000))
    response = httpx.post(server.url("/echo"), content=form, headers=FORM, timeout=30)
    assert response.json() == {"keys": 1_000, "sample": {"p0": "0", "p1": "1", "p10": "10"}}


def test_a_flood_of_large_unsigned_or_badly_signed_posts_is_refused_and_others_keep_answering(
    server: StartedServer,
) -> None:
    """Each 6 MB form body to a protected route is a 401 (the unsigned ones unparsed); /ok still answers."""
    body = ("&".join(f"p{index}={'v' * 6_000}" for index in range(1_000)))[: 6 * 1024 * 1024].encode()
    well_shaped = sign(server.url("/sms/reply"), {"p0": "other"})
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        for signature in (None, "bogus", well_shaped):
            headers = {**FORM, **({"X-Twilio-Signature": signature} if signature else {})}
            response = client.post("/sms/reply", content=body, headers=headers)
            assert (response.status_code, response.content) == UNAUTHORIZED
            assert_serving(server)


def test_json_nested_100000_deep_is_a_400(server: StartedServer) -> None:
    for body in (b"[" * 100_000, b'{"a":' * 100_000):
        response = httpx.post(
            server.url("/echo"), content=body, headers={"Content-Type": "application/json"}, timeout=30
        )
        assert (response.status_code, response.text) == (
            400,
            "Bad Request: the JSON body is nested too deeply.",
        )
    assert_serving(server)


def test_invalid_utf8_anywhere_is_refused_or_replaced_never_a_crash(server: StartedServer) -> None:
    status, _, body = raw_request(server.port, "GET", "/%ff%fe")
    assert (status, body) == BAD_PATH
    response = httpx.post(server.url("/echo"), content=b"Body=\xff\xfe", headers=FORM, timeout=20)
    assert response.status_code == 400
    assert response.text.startswith("Bad Request: the form body is not valid UTF-8 (")
    response = httpx.post(
        server.url("/echo"), content=b'{"Body": "\xff"}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.text.startswith("Bad Request: the body is not valid JSON (")
    response = httpx.get(server.url("/echo?Body=%ff"), timeout=20)
    assert response.json() == {"keys": 1, "sample": {"Body": "\ufffd"}}
    answer = exchange(server.port, b"GET /ok\xff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 400  # a raw non-ASCII byte in the request line: the HTTP parser refuses it
    answer = exchange(
        server.port, b"GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Bin: \xff\xfe\r\nConnection: close\r\n\r\n"
    )
    assert answer.endswith(b"\r\n\r\nok")
    assert_serving(server)


@pytest.mark.parametrize(
    "head",
    [
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\na=b",
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\na=b",
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1e3\r\n\r\n",
        b"GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Split: a\nInjected: b\r\n\r\n",
        b"GET /ok HTTP/1.1\r\nHo st: x\r\n\r\n",
        b"GET /ok HTTP/9.9\r\nHost: localhost\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello on the plain HTTP port
    ],
    ids=[
        "duplicate-content-length",
        "conflicting-content-length",
        "content-length-and-chunked",
        "negative-length",
        "non-numeric-length",
        "bare-lf-in-header",
        "space-in-header-name",
        "unknown-http-version",
        "tls-hello",
    ],
)
def test_malformed_framing_is_a_400_and_the_server_keeps_serving(server: StartedServer, head: bytes) -> None:
    answer = exchange(server.port, head)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:200]
    assert answer.endswith(b"\r\n\r\nInvalid HTTP request received.")
    assert_serving(server)


def test_overlong_paths_are_answered_without_harm(server: StartedServer) -> None:
    status, _, body = raw_request(server.port, "GET", "/" + "a" * 60_000)
    assert (status, body) == NOT_FOUND
    status, _, body = raw_request(server.port, "GET", "/" + "%2e%2e/" * 8_000 + ".env")
    assert (status, body) == NOT_FOUND
    status, _, body = raw_request(server.port, "GET", "/" + "a" * 100_000)  # past the 64 kB head limit
    assert (status, body) == (
        431,
        b"Request Header Fields Too Large: the limit is 64 kB and 256 fields.\n",
    )
    assert_serving(server)


@pytest.mark.parametrize(
    ("query", "header"),
    [
        ({"header": "a\r\nX-Injected: yes"}, "x-echo"),
        ({"header": "a\nX-Injected: yes"}, "x-echo"),
        ({"header": "a\x00b"}, "x-echo"),
        ({"cookie": "a\r\nX-Injected: yes"}, "set-cookie"),
        ({"cookie": "a;Domain=evil.example"}, "set-cookie"),
    ],
)
def test_request_values_cannot_inject_headers_through_a_response(
    server: StartedServer, query: dict[str, str], header: str
) -> None:
    response = httpx.get(server.url("/echo"), params=query, timeout=20)
    assert response.status_code == 500
    assert "x-injected" not in response.headers
    assert header not in response.headers
    assert response.json()["name"] == "ValueError"


def test_slow_clients_are_bounded_and_do_not_stop_other_requests(server: StartedServer) -> None:
    """Slowloris: 50 connections trickle their headers and one its body; /ok keeps answering meanwhile."""
    trickling = []
    try:
        for _ in range(50):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
            sock.sendall(b"GET /ok HTTP/1.1\r\nHost: localhost\r\n")
            trickling.append(sock)
        slow_body = socket.create_connection(("127.0.0.1", server.port), timeout=20)
        trickling.append(slow_body)
        body = b"Body=" + b"s" * 15
        slow_body.sendall(
            b"POST /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        for index, byte in enumerate(body):
            slow_body.sendall(bytes([byte]))
            for sock in trickling[:-1]:
                sock.sendall(b"X-Slow-%d: 1\r\n" % index)
            if index % 5 == 0:
                assert_serving(server)
            time.sleep(0.02)
        received = b""
        while chunk := slow_body.recv(65536):
            received += chunk
        assert status_of(received) == 200
        assert json.loads(received.partition(b"\r\n\r\n")[2]) == {"keys": 1, "sample": {"Body": "s" * 15}}
        for sock in trickling[:-1]:  # each finishes its request at last and is answered
            sock.sendall(b"Connection: close\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
            assert answer.endswith(b"\r\n\r\nok")
    finally:
        for sock in trickling:
            sock.close()
    assert_serving(server)


def test_escape_sequences_in_handler_output_reach_the_terminal_escaped(server: StartedServer) -> None:
    text = "\x1b]0;owned\x07\x1b[2J\x9b31m\rend"
    response = httpx.get(server.url("/say"), params={"text": text}, timeout=20)
    assert (response.status_code, response.text) == (200, "said")
    escaped = "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x0dend"
    output = server.wait_for_output(f"[/say] logged: {escaped}")
    assert f"[/say] {escaped}" in output
    assert not any(character in output for character in "\x1b\x07\x9b\r")
