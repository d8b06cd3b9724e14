"""`ServerApp` called in-process as ASGI over a real `Dispatcher`: what a peer may claim, and the log."""

from __future__ import annotations

import json
from pathlib import Path

from pyserverless.project.folder import load_project
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.http import Headers, HttpResponse
from pyserverless.server.app import Answer, RequestHead, ServerApp, request_head
from pyserverless.server.host_check import AllowedHosts
from pyserverless.server.load_failure import LoadFailure
from pyserverless.server.request_log import RequestLine
from pyserverless.server.serving import ServerOptions, startup_warnings
from tests.support.asgi_calls import asgi_get
from tests.support.server_process import copy_project


def test_forwarded_headers_are_never_trusted_and_the_public_origin_decides(tmp_path: Path) -> None:
    project = load_project(copy_project("server-payloads", tmp_path))
    settings = RuntimeSettings(root=project.root, routes=project.routes, env=project.env, export_env=False)
    dispatcher = Dispatcher(settings)
    lines: list[RequestLine] = []
    app = ServerApp(dispatcher, lines.append)
    tunnelled = ServerApp(dispatcher, lines.append, "https://abc.ngrok.app")
    forwarded = [(b"x-forwarded-proto", b"https"), (b"x-forwarded-host", b"other-host.example")]
    try:
        status, body = asgi_get(app, "/echo", "127.0.0.1", forwarded)
        assert (status, json.loads(body)["domain"]) == (200, "localhost:3000")
        status, body = asgi_get(tunnelled, "/echo", "127.0.0.1", forwarded)
        assert (status, json.loads(body)["domain"]) == (200, "abc.ngrok.app")
    finally:
        dispatcher.close()
    assert [(line.status, line.method, line.path, line.content_type) for line in lines] == [
        (200, "GET", "/echo", "application/json; charset=utf-8"),
        (200, "GET", "/echo", "application/json; charset=utf-8"),
    ]


def test_reserved_variables_are_named_even_when_the_project_path_holds_braces(tmp_path: Path) -> None:
    root = copy_project("server-payloads", tmp_path / "{odd}")
    env_file = root / "reserved.env"
    project = load_project(root, env_file)
    assert startup_warnings(project, ServerOptions(root=root)) == [
        f"{env_file}: PATH is set by the runtime for each function (context.PATH); "
        "the value in the env file is ignored.",
        f"{env_file}: DOMAIN_NAME is set by the runtime for each function (context.DOMAIN_NAME); "
        "the value in the env file is ignored.",
    ]


def test_host_names_that_could_be_rebound_are_refused_unless_allowed() -> None:
    allowed = AllowedHosts(["dev.internal", "abc.ngrok.app"])
    for host in (
        None,
        "localhost",
        "Localhost:3000",
        "a.localhost",
        "10.0.0.8:3000",
        "[::1]:3000",
        "127.0.0.1",
    ):
        assert allowed.allows(host), host
    for host in ("dev.internal:8080", "abc.ngrok.app", "DEV.INTERNAL.", "abc.ngrok.app:443"):
        assert allowed.allows(host), host
    for host in (
        "evil.example",
        "localhost.evil.example",
        "127.0.0.1.nip.io",
        "",
        "[bad",
        "dev.internal.evil",
    ):
        assert not allowed.allows(host), host


def test_the_head_is_read_in_one_pass_first_host_and_length_kept() -> None:
    head = request_head(
        "POST",
        "/a%20b",
        "x=1",
        [
            (b"host", b"example.test:3000"),
            (b"content-length", b"12"),
            (b"x-twilio-signature", b"abc="),
            (b"host", b"second.test"),
            (b"content-length", b"99"),
        ],
        scheme="https",
        client="10.0.0.1",
        server=("127.0.0.1", 3000),
    )
    assert head == RequestHead(
        "POST",
        "/a%20b",
        "x=1",
        Headers(
            [
                ("host", "example.test:3000"),
                ("content-length", "12"),
                ("x-twilio-signature", "abc="),
                ("host", "second.test"),
                ("content-length", "99"),
            ]
        ),
        "example.test:3000",
        12,
        False,
        "https",
        "10.0.0.1",
        ("127.0.0.1", 3000),
    )
    chunked = request_head(
        "POST", "/", "", [(b"transfer-encoding", b"chunked")], scheme="http", client=None, server=None
    )
    assert (chunked.host, chunked.declared_length, chunked.chunked) == (None, 0, True)


def test_an_answer_is_encoded_with_its_length_and_says_whether_it_closes() -> None:
    app = ServerApp(LoadFailure("not needed: nothing is dispatched"), print)
    plain = app.encode(HttpResponse(200, [("Content-Type", "text/plain")], b"hi"), "/a")
    assert plain == Answer(
        200, [(b"Content-Type", b"text/plain"), (b"content-length", b"2")], b"hi", "text/plain", False
    )
    closing = app.encode(HttpResponse(200, [("Connection", "keep-alive, Close")], b""), "/a")
    assert closing == Answer(
        200, [(b"Connection", b"keep-alive, Close"), (b"content-length", b"0")], b"", None, True
    )
    injected = app.encode(HttpResponse(200, [("x-a", "1\r\nset-cookie: b=2")], b"x"), "/a")
    assert injected == Answer(
        500,
        [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"60")],
        b"the header 'x-a' holds a line break or NUL and was not sent\n",
        "text/plain; charset=utf-8",
        False,
    )
    app.closing = True
    assert app.encode(HttpResponse(204, [], b""), "/a") == Answer(
        204, [(b"connection", b"close")], b"", None, True
    )
