"""`/_dev/project`: a dev server confirms the folder it serves to a direct local caller, to no one else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from pyserverless.project.folder import load_project
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.http import Headers, Request
from pyserverless.server.app import ServerApp
from pyserverless.server.dev_pages import dev_page
from tests.support.asgi_calls import asgi_get
from tests.support.server_process import copy_project

SERVES = (200, b'{"serves": true}')
DOES_NOT_SERVE = (200, b'{"serves": false}')


def page_request(
    root: str,
    *,
    method: str = "GET",
    host: str = "localhost:3000",
    extra: tuple[tuple[str, str], ...] = (),
    client: str = "127.0.0.1",
) -> Request:
    query = f"root={quote(root)}"
    headers = Headers([("host", host), *extra])
    url = f"http://{host}/_dev/project?{query}"
    return Request(method, "/_dev/project", query, headers, b"", url, client)


def answer(request: Request, root: Path) -> tuple[int, bytes] | None:
    page = dev_page(request, root)
    return None if page is None else (page.status, page.body)


def test_the_folder_served_is_confirmed_and_any_other_is_not(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "demo")
    root = tmp_path / "demo"
    assert answer(page_request(str(root)), root) == SERVES
    assert answer(page_request(str(tmp_path / "link")), root) == SERVES
    assert answer(page_request(f"{tmp_path}/other/../demo"), root) == SERVES
    assert answer(page_request(str(tmp_path / "other")), root) == DOES_NOT_SERVE
    assert answer(page_request("demo"), root) == DOES_NOT_SERVE  # relative: not a folder anyone can name
    assert answer(page_request(""), root) == DOES_NOT_SERVE
    assert answer(page_request(f"{root}\0"), root) == DOES_NOT_SERVE


@pytest.mark.parametrize(
    "host", ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "localhost", "LOCALHOST:3000"]
)
def test_loopback_hosts_are_answered(tmp_path: Path, host: str) -> None:
    assert answer(page_request(str(tmp_path), host=host), tmp_path) == SERVES


@pytest.mark.parametrize(
    "request_",
    [
        page_request("/x", client="192.0.2.7"),  # a peer on the network
        page_request("/x", host="evil.example:3000"),  # a DNS-rebound browser page
        page_request("/x", host=""),
        page_request("/x", extra=(("x-forwarded-for", "203.0.113.9"),)),  # through the tunnel
        page_request("/x", extra=(("X-Forwarded-Host", "abc.ngrok.app"),)),
        page_request("/x", extra=(("forwarded", "for=203.0.113.9"),)),
        page_request("/x", method="POST"),
    ],
)
def test_anyone_else_gets_no_page(request_: Request) -> None:
    assert dev_page(request_, Path("/x")) is None


def test_only_a_dev_server_answers_and_only_to_loopback_peers(tmp_path: Path) -> None:
    project = load_project(copy_project("server-payloads", tmp_path))
    settings = RuntimeSettings(root=project.root, routes=project.routes, env=project.env, export_env=False)
    dispatcher = Dispatcher(settings)
    page = f"/_dev/project?root={quote(str(project.root))}"
    try:
        dev_server = ServerApp(dispatcher, lambda line: None, dev_root=project.root)
        assert asgi_get(dev_server, page, "127.0.0.1") == SERVES
        assert asgi_get(dev_server, page, "10.1.2.3")[0] == 404
        container = ServerApp(dispatcher, lambda line: None)
        assert asgi_get(container, page, "127.0.0.1")[0] == 404
    finally:
        dispatcher.close()
