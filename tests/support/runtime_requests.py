"""Build runtime `Request`s and run them through a `Dispatcher` synchronously, for runtime unit tests."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from pyserverless.project.folder import scan_routes
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.http import Headers, HttpResponse, Request

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
HOST = "example.test"


def copy_project(name: str, destination: Path) -> Path:
    """A copy of fixture project `name` at `destination` (so tests never write into the repository)."""
    shutil.copytree(FIXTURES / name, destination, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def make_dispatcher(root: Path, env: dict[str, str] | None = None, **options: object) -> Dispatcher:
    settings = RuntimeSettings(root=root, routes=scan_routes(root), env=dict(env or {}), export_env=False)
    for name, value in options.items():
        setattr(settings, name, value)
    return Dispatcher(settings)


def make_request(
    path: str,
    *,
    method: str = "GET",
    query: str = "",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    url: str | None = None,
) -> Request:
    """A request as an adapter would build it; `url` defaults to http://example.test + path + query."""
    if url is None:
        url = f"http://{HOST}{path}" + (f"?{query}" if query else "")
    return Request(
        method=method,
        path=path,
        query_string=query,
        headers=Headers([("host", HOST), *(headers or [])]),
        body=body,
        public_url=url,
        client="127.0.0.1",
    )


def call(dispatcher: Dispatcher, path: str, **request: object) -> HttpResponse:
    """Dispatch one request on a fresh event loop and return the answer."""
    return asyncio.run(dispatcher.dispatch(make_request(path, **request)))  # type: ignore[arg-type]
