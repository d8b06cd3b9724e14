"""The server's application: HTTP requests in, the runtime's `Dispatcher`, HTTP responses out.

How it works: a transport reads the request's head into a `RequestHead`; `ServerApp.refusal` answers at once
what the head alone refuses (a Host name `start` does not answer, `host_check`; a declared body over 6 MB,
AWS Lambda's limit, so local behaves as deployed) and the connection closes. Otherwise the transport reads the
body (past 6 MB it answers 413, and 408 when it does not arrive within `BODY_READ_TIMEOUT`) and awaits
`respond`, which builds a transport-neutral `Request` (raw path and query; the public URL's scheme and host
are the tunnel's or `--public-url`'s when there is one, else the request's own: the Host header, and the
scheme the transport reports, which only proxies trusted with `serve --forwarded-allow-ips` can change; a
client's `X-Forwarded-*` headers never choose them) and awaits `Dispatcher.dispatch`. `encode` turns the
`HttpResponse` into what is written, refusing headers that could inject, and `finished` hands the request
line to a callback (the `LogPipeline` queue), so logging never touches the terminal on the request path.

Two transports: `__call__` is raw ASGI, no framework (measured faster than Starlette, docs/benchmarks.md),
for `pyserverless serve` and `pyserverless.asgi`; `http_connection.HttpConnection` speaks HTTP/1.1 itself
for `start`, without the ASGI layer.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit

from pyserverless.runtime.http import Headers, HttpResponse, Request, public_url
from pyserverless.server.dev_pages import DEV_PREFIX, LocalPages, dev_page, direct_local
from pyserverless.server.host_check import AllowedHosts, refusal
from pyserverless.server.recording import Recorder
from pyserverless.server.request_log import RequestLine

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: AWS Lambda's limit for a synchronous request or response payload; local matches deployed.
BODY_LIMIT = 6 * 1024 * 1024
TOO_LARGE = b"Request body too large: the limit is 6 MB, as on AWS Lambda.\n"
#: Seconds a request's body may take to arrive, once its headers have.
BODY_READ_TIMEOUT = 30.0
TOO_SLOW = f"Request Timeout: the body did not arrive within {BODY_READ_TIMEOUT:g} seconds.\n".encode()
TEXT = "text/plain; charset=utf-8"
#: Statuses that carry no body and no Content-Length of their own (RFC 9110: 204; 304 would state the 200's).
BODILESS_STATUSES = frozenset({204, 304})
_UNSAFE = re.compile(r"[\r\n\0]")

logger = logging.getLogger("pyserverless.server")


class Dispatching(Protocol):
    """What answers requests: the runtime's `Dispatcher`, or a `LoadFailure` while the project is broken."""

    async def dispatch(self, request: Request) -> HttpResponse: ...

    def close(self) -> None: ...


class ServerApp:
    """HTTP requests in, `Dispatcher.dispatch`, HTTP responses out; see the module docstring.

    A transport calls `refusal` once the head is read, `respond` with the body, `encode`, writes the `Answer`
    and calls `finished`; `__call__` is the ASGI transport (`pyserverless serve`, `pyserverless.asgi`),
    `http_connection.HttpConnection` the one of `pyserverless start`.
    """

    def __init__(
        self,
        dispatcher: Dispatching,
        log_request: Callable[[RequestLine], None],
        public_origin: str | None = None,
        allowed_hosts: AllowedHosts | None = None,
        dev_root: Path | None = None,
        *,
        pages: LocalPages | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self._dispatcher = dispatcher
        #: `start --record`: what reaches a function is appended to the project's recordings.
        self._recorder = recorder
        #: The project folder of a dev server, which then answers its `/_dev/` pages (`dev_pages`).
        self._dev_root = dev_root
        #: The dev server's other `/_dev/` pages (the dev phone).
        self.pages = pages
        self._log_request = log_request
        self._public_origin = urlsplit(public_origin) if public_origin else None
        #: None: every Host is answered (a container behind its platform's proxy).
        self._allowed_hosts = allowed_hosts
        #: Set when this server retires: every answer then says `connection: close`, so a keep-alive client
        #: sends its next request on a new connection (to the next server) instead of racing the close.
        self.closing = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        head = _read_head(scope)
        response = self.refusal(head)
        if response is None:
            response = await self._read_and_respond(head, receive)
        answer = self.encode(response, head.path)
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        await send({"type": "http.response.body", "body": answer.body})
        self.finished(head, response, answer, started)

    def refusal(self, head: RequestHead) -> HttpResponse | None:
        """The answer to a request refused on its head alone (its body is not read; the connection closes
        after it), or None."""
        if self._allowed_hosts is not None and not self._allowed_hosts.allows(head.host):
            return _closing(403, refusal(head.host or "").encode())
        # A declared length over the limit is answered at once: nothing is read.
        if head.declared_length > BODY_LIMIT:
            return body_too_large()
        return None

    async def _read_and_respond(self, head: RequestHead, receive: Receive) -> HttpResponse:
        if head.declared_length == 0 and not head.chunked:
            body = await _read_body(receive)  # nothing to wait for: the empty body is there already
        else:
            try:
                body = await asyncio.wait_for(_read_body(receive), BODY_READ_TIMEOUT)
            except asyncio.TimeoutError:
                return body_too_slow()
        if body is None:
            return body_too_large()
        return await self.respond(head, body)

    async def respond(self, head: RequestHead, body: bytes) -> HttpResponse:
        """The answer to a request whose head passed `refusal`, with its body (within `BODY_LIMIT`); a 500
        when pyserverless itself fails (logged as a bug)."""
        path = head.path
        origin = self._public_origin
        if origin is None:
            url = public_url(head.scheme, head.host or _server_host(head.server), path, head.query_string)
        else:
            url = public_url(origin.scheme, origin.netloc, path, head.query_string)
        request = Request(head.method, path, head.query_string, head.headers, body, url, head.client)
        try:
            if self._dev_root is not None and path.startswith(DEV_PREFIX):
                page = dev_page(request, self._dev_root)
                if page is None and self.pages is not None and direct_local(request):
                    page = await self.pages.answer(request)
                if page is not None:
                    return page
            response = await self._dispatcher.dispatch(request)
        except Exception:
            logger.exception("pyserverless failed on %s %s (a bug: please report it)", head.method, path)
            return HttpResponse(500, [("content-type", TEXT)], b"Internal error in pyserverless.\n")
        if self._recorder is not None and self._recorder.records(head.method, response):
            self._recorder.record(request, response, time.time())
        return response

    def encode(self, response: HttpResponse, path: str) -> Answer:
        """What to write for `response` (a 500 instead when a header could not be sent as is)."""
        try:
            headers, content_type, closes = _encode_headers(response)
        except ValueError as error:
            logger.error("%s: %s", response.route or path, error)
            response = HttpResponse(500, [("content-type", TEXT)], f"{error}\n".encode())
            headers, content_type, closes = _encode_headers(response)
        if len(response.body) > BODY_LIMIT:
            logger.warning(
                "%s answered %.1f MB: deployed on AWS Lambda this response would fail (the limit is 6 MB).",
                response.route or path,
                len(response.body) / 1024 / 1024,
            )
        if self.closing and not closes:
            headers.append((b"connection", b"close"))
            closes = True
        return Answer(response.status, headers, response.body, content_type, closes)

    def finished(self, head: RequestHead, response: HttpResponse, answer: Answer, started: float) -> None:
        """Log the request line of an answered request; `started` is its `time.perf_counter()`."""
        recorded = self._recorder is not None and self._recorder.records(head.method, response)
        self._log_request(
            RequestLine(
                answer.status,
                head.method,
                head.path,
                time.perf_counter() - started,
                answer.content_type,
                time.time(),
                recorded,
            )
        )


class Answer(NamedTuple):
    """What a transport writes: the status, the header pairs (with a Content-Length), the body; and what the
    log shows and the connection does: the content type, and whether the answer says `connection: close`."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    content_type: str | None
    closes: bool


def body_too_large() -> HttpResponse:
    """The answer to a body over `BODY_LIMIT`."""
    return _closing(413, TOO_LARGE)


def body_too_slow() -> HttpResponse:
    """The answer to a body that did not arrive within `BODY_READ_TIMEOUT`."""
    return _closing(408, TOO_SLOW)


def _closing(status: int, body: bytes) -> HttpResponse:
    """An answer given before the body is read: the connection closes after it."""
    return HttpResponse(status, [("content-type", TEXT), ("connection", "close")], body)


class RequestHead(NamedTuple):
    """A request as its line and headers say, read before its body: the method, the raw path and query, the
    headers, and what is checked before the body: its first Host, its first Content-Length (0 when absent;
    the HTTP parser has refused malformed ones), whether it is chunked. Then the connection: the scheme the
    client used, the client's address, the server's address (for a request without a Host)."""

    method: str
    path: str
    query_string: str
    headers: Headers
    host: str | None
    declared_length: int
    chunked: bool
    scheme: str
    client: str | None
    server: tuple[str, int] | None


def request_head(
    method: str,
    path: str,
    query_string: str,
    header_lines: Iterable[tuple[bytes, bytes]],
    *,
    scheme: str,
    client: str | None,
    server: tuple[str, int] | None,
) -> RequestHead:
    """The `RequestHead` of a request, from one pass over its header lines (names lower-cased, as HTTP
    parsers and ASGI give them)."""
    pairs: list[tuple[str, str]] = []
    host: str | None = None
    declared_length: int | None = None
    chunked = False
    for name, value in header_lines:
        text = value.decode("latin-1")
        pairs.append((name.decode("latin-1"), text))
        if name == b"host":
            host = text if host is None else host
        elif name == b"content-length":
            if declared_length is None:
                declared_length = int(value) if value.isdigit() else 0
        elif name == b"transfer-encoding":
            chunked = True
    return RequestHead(
        method,
        path,
        query_string,
        Headers.lowered(pairs),
        host,
        declared_length or 0,
        chunked,
        scheme,
        client,
        server,
    )


def _read_head(scope: Scope) -> RequestHead:
    """The `RequestHead` of an ASGI request."""
    raw_path: bytes | None = scope.get("raw_path")
    client = scope.get("client")
    server = scope.get("server")
    return request_head(
        scope["method"],
        raw_path.decode("latin-1") if raw_path else scope["path"],
        scope["query_string"].decode("latin-1"),
        scope["headers"],
        scheme=scope["scheme"],
        client=client[0] if client else None,
        server=(server[0], server[1]) if server else None,
    )


async def _read_body(receive: Receive) -> bytes | None:
    """The request body, or None when it is over `BODY_LIMIT` (then the rest is read and dropped)."""
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False):
        return body if len(body) <= BODY_LIMIT else None
    chunks = [body]
    size = len(body)
    while message.get("more_body", False):
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size <= BODY_LIMIT:
            chunks.append(chunk)
    return b"".join(chunks) if size <= BODY_LIMIT else None


def _encode_headers(response: HttpResponse) -> tuple[list[tuple[bytes, bytes]], str | None, bool]:
    """The header pairs as bytes plus a Content-Length, the content type, and whether a Connection header
    says `close`; refuses what could inject."""
    encoded: list[tuple[bytes, bytes]] = []
    has_length = False
    content_type = None
    closes = False
    for name, value in response.headers:
        if not name or _UNSAFE.search(name + value):
            raise ValueError(f"the header {name!r} holds a line break or NUL and was not sent")
        try:
            encoded.append((name.encode("latin-1"), value.encode("latin-1")))
        except UnicodeEncodeError as error:
            raise ValueError(f"the header {name!r} holds characters HTTP headers cannot carry") from error
        lowered = name.lower()
        if lowered == "content-type":
            content_type = value
        elif lowered == "content-length":
            has_length = True
        elif lowered == "connection":
            closes = closes or "close" in (token.strip().lower() for token in value.split(","))
    if not has_length and response.status not in BODILESS_STATUSES:
        encoded.append((b"content-length", str(len(response.body)).encode()))
    return encoded, content_type, closes


def _server_host(server: tuple[str, int] | None) -> str:
    if server is None:
        return "localhost"
    host, port = server
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
