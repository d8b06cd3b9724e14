"""How simulated webhooks reach the functions: over HTTP to a running dev server, or in-process with no port.

Both transports take the same fully built request (method, URL, headers, body) and give back the runtime's
`HttpResponse`, so the simulator signs and walks answers the same way whichever carries them.

- `HttpTransport` sends it with the standard library's `http.client` to the URL as written (a `pyserverless
  start` server, a tunnel, a deployed function URL): one connection per request, no redirect followed, no
  cookie kept, every response header kept in order (repeated `Set-Cookie` lines stay apart).
- `InProcessTransport` hands a `Request` built from it to the project's `Dispatcher`, the very core the dev
  server and Lambda run. The dispatcher's coroutines run on one event loop owned by a background thread, so
  the simulator can be used from plain code, from pytest, and from inside an already running event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import ssl
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlencode, urlsplit

from pyserverless.errors import UserError
from pyserverless.runtime.http import Headers, HttpResponse, Request
from pyserverless.server.dev_pages import PROJECT_PAGE
from pyserverless.server.sockets import is_listening

if TYPE_CHECKING:
    from pyserverless.project.folder import Project
    from pyserverless.runtime.dispatch import Dispatcher

T = TypeVar("T")

HTTP_TIMEOUT = 60.0
#: How much longer than a function's execution limit an in-process request may take.
DISPATCH_MARGIN = 30.0


@dataclass(frozen=True)
class OutgoingRequest:
    """A webhook request exactly as it will be sent."""

    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes


class Transport(Protocol):
    #: How requests travel, for the user: "over HTTP" or "in-process".
    description: str

    def send(self, request: OutgoingRequest) -> HttpResponse: ...

    def close(self) -> None: ...


class HttpTransport:
    """Requests over the network, exactly as built: the simulator decides which cookies go with a request (per
    conversation or call), so the transport keeps none and follows no redirect."""

    description = "over HTTP"

    def send(self, request: OutgoingRequest) -> HttpResponse:
        try:
            return http_request(request, HTTP_TIMEOUT)
        except (OSError, http.client.HTTPException) as error:
            raise UserError(
                f"Cannot reach {request.url}: {error}",
                hint="Start the dev server with `pyserverless start`, check --url, or leave --url out to run "
                "the project in-process.",
            ) from error

    def close(self) -> None:
        """Nothing to close: each request has its own connection."""


def http_request(request: OutgoingRequest, timeout: float) -> HttpResponse:
    """Send `request` on a new connection and read the whole answer; raises OSError or HTTPException."""
    parts = urlsplit(request.url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.netloc, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
    names = {name.lower() for name, _ in request.headers}
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.putrequest(request.method, target, skip_host="host" in names, skip_accept_encoding=True)
        for name, value in request.headers:
            connection.putheader(name, value)
        if "content-length" not in names and (request.body or request.method in ("POST", "PUT", "PATCH")):
            connection.putheader("Content-Length", str(len(request.body)))
        connection.endheaders(request.body or None)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    headers = [(name.lower(), value) for name, value in answer.getheaders()]
    return HttpResponse(status=answer.status, headers=headers, body=body)


class InProcessTransport:
    """Requests handed straight to the project's `Dispatcher`, on a private event loop thread."""

    description = "in-process"

    def __init__(
        self, project: Project, env: dict[str, str] | None = None, timeout: float | None = None
    ) -> None:
        from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings

        settings = RuntimeSettings(
            root=project.root, routes=project.routes, env=dict(project.env if env is None else env)
        )
        if timeout is not None:  # a dev server's --timeout
            settings = replace(settings, timeout=timeout)
        self._dispatcher: Dispatcher = Dispatcher(settings)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pyserverless-simulator", daemon=True
        )
        self._thread.start()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run on the loop thread; the dispatcher answers 504 past its own limit, so waiting longer than that
        plus a margin means the runtime itself is stuck."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        limit = self._dispatcher.settings.timeout + DISPATCH_MARGIN
        try:
            return future.result(timeout=limit)
        except concurrent.futures.TimeoutError as error:
            future.cancel()
            raise UserError(
                f"The project did not answer within {limit:g} s.",
                hint="Run it with `pyserverless start` and look at its log.",
            ) from error

    def send(self, request: OutgoingRequest) -> HttpResponse:
        parts = urlsplit(request.url)
        headers = Headers(request.headers)
        if "host" not in headers:
            headers = Headers([("host", parts.netloc), *request.headers])
        runtime_request = Request(
            method=request.method,
            path=parts.path or "/",
            query_string=parts.query,
            headers=headers,
            body=request.body,
            public_url=request.url,
            client="127.0.0.1",
        )
        return self._run(self._dispatcher.dispatch(runtime_request))

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._dispatcher.close()


def server_listening(url: str, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections at the host and port of `url`."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return is_listening(parts.hostname or "localhost", port, timeout)


def serves_project(url: str, root: Path, timeout: float = 2.0) -> bool:
    """Whether the server at `url` is a `pyserverless start` serving the project folder `root` (it says so on
    its `/_dev/project` page, see `server.dev_pages`)."""
    query = urlencode({"root": str(root)})
    probe = OutgoingRequest("GET", f"{url.rstrip('/')}{PROJECT_PAGE}?{query}", [], b"")
    try:
        answer = http_request(probe, timeout)
        return answer.status == 200 and json.loads(answer.body) == {"serves": True}
    except (OSError, http.client.HTTPException, ValueError):
        return False
