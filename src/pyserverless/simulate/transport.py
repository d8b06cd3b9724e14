"""How simulated webhooks reach the functions: over HTTP to a running dev server, or in-process with no port.

Both transports take the same fully built request (method, URL, headers, body) and give back the runtime's
`HttpResponse`, so the simulator signs and walks answers the same way whichever carries them.

- `HttpTransport` sends it with httpx to the URL as written (a `pyserverless start` server, a tunnel, a
  deployed function URL).
- `InProcessTransport` hands a `Request` built from it to the project's `Dispatcher`, the very core the dev
  server and Lambda run. The dispatcher's coroutines run on one event loop owned by a background thread, so
  the simulator can be used from plain code, from pytest, and from inside an already running event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from pyserverless.errors import UserError
from pyserverless.runtime.http import Headers, HttpResponse, Request
from pyserverless.server.dev_pages import PROJECT_PAGE
from pyserverless.server.sockets import is_listening

if TYPE_CHECKING:
    import httpx

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
    """Requests over the network with httpx. Redirects are not followed, and httpx keeps no cookies of its
    own: which cookies go with a request is the simulator's decision (per conversation or call)."""

    def __init__(self) -> None:
        import httpx

        self.description = "over HTTP"
        refuse_all = DefaultCookiePolicy(allowed_domains=[])
        self._client: httpx.Client = httpx.Client(
            timeout=HTTP_TIMEOUT, follow_redirects=False, cookies=CookieJar(policy=refuse_all)
        )

    def send(self, request: OutgoingRequest) -> HttpResponse:
        import httpx

        try:
            answer = self._client.request(
                request.method, request.url, headers=request.headers, content=request.body
            )
        except httpx.HTTPError as error:
            raise UserError(
                f"Cannot reach {request.url}: {error}",
                hint="Start the dev server with `pyserverless start`, check --url, or leave --url out to run "
                "the project in-process.",
            ) from error
        return HttpResponse(
            status=answer.status_code, headers=list(answer.headers.multi_items()), body=answer.content
        )

    def close(self) -> None:
        self._client.close()


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
    import httpx

    try:
        answer = httpx.get(f"{url.rstrip('/')}{PROJECT_PAGE}", params={"root": str(root)}, timeout=timeout)
        return answer.status_code == 200 and answer.json() == {"serves": True}
    except (httpx.HTTPError, ValueError):
        return False
