"""A GET through an ASGI app in-process, handed over as uvicorn hands a request: what it answered."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from pyserverless.server.app import ServerApp


def asgi_get(
    app: ServerApp, path: str, client: str = "127.0.0.1", headers: Sequence[tuple[bytes, bytes]] = ()
) -> tuple[int, bytes]:
    """GET `path` (a query after `?`) from `client`, Host localhost:3000, and `headers`: status and body."""
    raw_path, _, query = path.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "scheme": "http",
        "headers": [(b"host", b"localhost:3000"), *headers],
        "client": (client, 50000),
        "server": ("127.0.0.1", 3000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], sent[1]["body"]
