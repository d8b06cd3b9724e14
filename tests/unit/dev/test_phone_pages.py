"""The dev phone over HTTP: its static files come from the package, acting needs JSON from this machine, and
paths it does not know fall through to the 404 of an unknown route."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.dev.phone_pages import PhonePages
from pyserverless.project.folder import load_project
from pyserverless.runtime.http import Headers, HttpResponse, Request
from tests.support.server_process import copy_project


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[PhonePages]:
    served = PhonePages(load_project(copy_project("simulate-counter", tmp_path)), "http://localhost:3000")
    yield served
    served.close()


def ask(
    pages: PhonePages, method: str, path: str, body: bytes = b"", *headers: tuple[str, str]
) -> HttpResponse | None:
    request = Request(
        method,
        path,
        "",
        Headers([("host", "localhost:3000"), *headers]),
        body,
        f"http://localhost:3000{path}",
        None,
    )
    return asyncio.run(pages.answer(request))


@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [
        ("/_dev/phone", "text/html; charset=utf-8", b"<!doctype html>"),
        ("/_dev/phone/phone.css", "text/css; charset=utf-8", b":root {"),
        ("/_dev/phone/phone.js", "text/javascript; charset=utf-8", b"// The dev phone page"),
    ],
)
def test_the_page_is_served_from_the_package(
    pages: PhonePages, path: str, content_type: str, start: bytes
) -> None:
    page = ask(pages, "GET", path)
    assert page is not None and page.status == 200
    assert page.body.startswith(start)
    assert page.headers == [
        ("content-type", content_type),
        ("cache-control", "no-store"),
        ("content-security-policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
        ("x-content-type-options", "nosniff"),
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/_dev/phone"), ("GET", "/_dev/api/messages"), ("GET", "/_dev/api/other"), ("GET", "/_dev/x")],
)
def test_what_the_phone_does_not_serve_falls_through(pages: PhonePages, method: str, path: str) -> None:
    assert ask(pages, method, path) is None


def test_acting_needs_json_from_a_page_of_this_machine(pages: PhonePages) -> None:
    body = json.dumps({"path": "/echo", "body": "hi"}).encode()
    json_type = ("content-type", "application/json")
    foreign = ask(pages, "POST", "/_dev/api/messages", body, json_type, ("origin", "http://evil.example"))
    assert foreign is not None
    assert (foreign.status, foreign.body) == (
        403,
        b'{"error": "The dev phone answers pages of this machine only."}',
    )
    form = ask(pages, "POST", "/_dev/api/messages", body, ("content-type", "text/plain"))
    assert form is not None
    assert (form.status, json.loads(form.body)) == (
        400,
        {"error": "The dev phone API takes JSON.", "hint": "Send Content-Type: application/json."},
    )
    local = ask(pages, "POST", "/_dev/api/messages", body, json_type, ("origin", "http://127.0.0.1:3000"))
    assert local is not None and local.status == 200
    assert json.loads(local.body)["requests"][0]["status"] == 200


def test_no_project_file_can_take_a_route_under_dev(tmp_path: Path) -> None:
    """`/_dev/` is pyserverless' own: a file or folder named with a leading `_` is never a route."""
    root = tmp_path / "project"
    for relative in (
        "functions/_dev/phone.py",
        "functions/_dev.py",
        "assets/_dev/phone",
        "functions/hello.py",
    ):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("def handler(context, event, callback):\n    callback(None, 'x')\n")
    assert [route.path for route in load_project(root).routes] == ["/hello"]
