"""`ServerApp` called in-process as ASGI over a real `Dispatcher`: what a peer may claim, and the log."""

from __future__ import annotations

import json
from pathlib import Path

from pyserverless.project.folder import load_project
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.server.app import ServerApp
from pyserverless.server.host_check import AllowedHosts
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
