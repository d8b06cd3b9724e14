"""The two adapters `bench/adapter.py` compares, over one `Dispatcher` serving throughput-projects/python.

`raw()` is pyserverless's own `ServerApp` (raw ASGI); `starlette()` does the same translation through a
Starlette catch-all route. Both skip the request log, so only the adapter differs.
Served by `uvicorn --factory`.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from pyserverless.project.folder import load_project
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.http import Headers, Request, public_url
from pyserverless.server.app import ServerApp
from pyserverless.server.request_log import RequestLine

PROJECT = Path(__file__).resolve().parent / "throughput-projects" / "python"


def _dispatcher() -> Dispatcher:
    project = load_project(PROJECT)
    return Dispatcher(RuntimeSettings(root=project.root, routes=project.routes, env=project.env))


def _no_log(line: RequestLine) -> None:
    """Request lines are dropped in this comparison."""


def raw() -> ServerApp:
    return ServerApp(_dispatcher(), _no_log)


def starlette() -> Starlette:
    dispatcher = _dispatcher()

    async def endpoint(request: StarletteRequest) -> StarletteResponse:
        body = await request.body()
        path = request.scope["raw_path"].decode("latin-1")
        query = request.scope["query_string"].decode("latin-1")
        headers = Headers(request.headers.items())
        peer = request.client.host if request.client else None
        url = public_url(
            request.url.scheme, request.headers.get("host", ""), path, query, headers, peer == "127.0.0.1"
        )
        answer = await dispatcher.dispatch(Request(request.method, path, query, headers, body, url, peer))
        response = StarletteResponse(answer.body, status_code=answer.status)
        response.raw_headers = [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers
        ]
        response.raw_headers.append((b"content-length", str(len(answer.body)).encode()))
        return response

    methods = ["GET", "POST", "HEAD", "OPTIONS"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])
