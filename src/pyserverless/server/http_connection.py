"""One HTTP/1.1 connection of `pyserverless start`: bytes in, parsed by httptools, answered by `ServerApp`.

How it works: uvicorn's `Server` still binds, accepts, shuts down and retires (`local_server`), but makes this
protocol for each connection instead of its own, so a request skips the ASGI layer (a scope dict, a
receive/send pair of coroutines, a message dict per write; measured, that layer cost more than the whole
Starlette app on top of it). The parser's callbacks collect the head; when it is complete, `ServerApp.refusal`
may answer at once (the body is not read and the connection closes); else the body is collected up to
`BODY_LIMIT` (past it, read and dropped, then 413) and, once complete, one task awaits `ServerApp.respond`
and writes the answer: its head (status line, the server's Date, the answer's headers) and its body (none
for HEAD, 204 and 304) in two writes, as uvicorn does. Requests on one connection are answered in order:
a request pipelined behind one still being answered waits in `_waiting`, and reading pauses until it is
answered.

Limits (http_limits): a head over `MAX_HEAD_BYTES` or `MAX_HEADERS` is a 431, past `MAX_CONNECTIONS` a
connection is a 503, and a malformed request a 400, each closing the connection. What is late is found by the
sweep once a second (`swept`), so a request without a body arms no timer: a head not complete within
`HEAD_READ_TIMEOUT` is a 408 and a kept-alive connection idle for `KEEP_ALIVE_TIMEOUT` is closed (each up to
the sweep's second later). A body has a timer of its own, to the second as before: not complete within
`BODY_READ_TIMEOUT` of its head, it is a 408.
"""

from __future__ import annotations

import asyncio
import http
import logging
import time
from collections import deque
from typing import Any, NamedTuple

import httptools

from pyserverless.runtime.http import HttpResponse
from pyserverless.server.app import (
    BODILESS_STATUSES,
    BODY_LIMIT,
    BODY_READ_TIMEOUT,
    Answer,
    RequestHead,
    ServerApp,
    body_too_large,
    body_too_slow,
    request_head,
)
from pyserverless.server.http_limits import (
    HEAD_TOO_SLOW,
    KEEP_ALIVE_TIMEOUT,
    MAX_CONNECTIONS,
    HeadTooLarge,
    HeadWatch,
    closing_answer,
    refuse_connection,
    refuse_head,
    sweeps,
)

logger = logging.getLogger("pyserverless.server")

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
INVALID_REQUEST = "Invalid HTTP request received."
NEVER = float("inf")


class _Received(NamedTuple):
    """A request to answer: its head, its body (None when over `BODY_LIMIT`), the `time.perf_counter()` its
    head was complete, and its answer when the connection knows it without the app (a refusal, a timeout)."""

    head: RequestHead
    body: bytes | None
    started: float
    answer: HttpResponse | None = None


def _status_line(status: int) -> bytes:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP/1.1 {status} {phrase}\r\n".encode()


_STATUS_LINES = {status: _status_line(status) for status in range(100, 600)}


class HttpConnection(asyncio.Protocol):
    """One client connection; made by uvicorn's server (`Config(http=HttpConnection)`) with its arguments."""

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: Any = None,
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        if not config.loaded:
            config.load()
        app = config.loaded_app
        if not isinstance(app, ServerApp):
            raise TypeError(f"HttpConnection serves a ServerApp, not {type(app).__name__}")
        self._app = app
        self._loop = _loop or asyncio.get_running_loop()
        self._server_state = server_state
        #: uvicorn's `default_headers` (the Date, renewed every second), and as header lines.
        self._server_headers: list[tuple[bytes, bytes]] | None = None
        self._server_header_lines = b""
        self._connections: set[Any] = server_state.connections
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._client: str | None = None
        self._server: tuple[str, int] | None = None
        # The request being read.
        self._url = b""
        self._headers: list[tuple[bytes, bytes]] = []
        self._head: RequestHead | None = None
        self._head_watch = HeadWatch()
        self._head_complete_at = 0.0
        self._expects_continue = False
        self._body: list[bytes] = []
        self._body_size = 0
        #: Answers 408 when the body being read is not complete in time.
        self._body_timer: asyncio.TimerHandle | None = None
        #: Set when the request being read was answered from its head: the rest of it is ignored.
        self._refused = False
        # Answering.
        self._answering: asyncio.Task[None] | None = None
        self._waiting: deque[_Received] = deque()
        self._keep_alive = True
        self._read_paused = False
        self._write_paused = False
        #: The loop time of the last answer on a kept-alive connection (NEVER while one is read or answered).
        self._idle_since = NEVER

    # asyncio's protocol interface

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self._connections) >= MAX_CONNECTIONS:
            refuse_connection(transport, len(self._connections))
            return
        self._connections.add(self)
        self._transport = transport
        peer = transport.get_extra_info("peername")
        self._client = peer[0] if isinstance(peer, tuple) else None
        local = transport.get_extra_info("sockname")
        self._server = (str(local[0]), int(local[1])) if isinstance(local, tuple) else None
        self._head_watch.begin(self._loop)
        sweeps.watch(self._loop, self._connections)

    def connection_lost(self, exc: Exception | None) -> None:
        self._connections.discard(self)
        self._waiting.clear()
        self._head_watch.stop()
        self._idle_since = NEVER
        self._stop_body_timer()

    def data_received(self, data: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        self._idle_since = NEVER
        self._head_watch.reading(len(data))
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # the request itself is answered as HTTP; what follows an upgrade is not read
        except httptools.HttpParserError as error:
            # An exception raised in a parser callback comes out as the context of a parser error.
            if isinstance(error.__context__, HeadTooLarge):
                refuse_head(transport)
            else:
                logger.warning(INVALID_REQUEST)
                transport.write(closing_answer(b"400 Bad Request", INVALID_REQUEST, self._server_lines()))
                transport.close()
            return
        if not transport.is_closing() and self._head_watch.read():
            self._head_watch.stop()
            refuse_head(transport)

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._answer_next()

    # httptools' parser callbacks

    def on_message_begin(self) -> None:
        self._url = b""
        self._headers = []
        self._expects_continue = False
        self._refused = False
        self._head_watch.begin(self._loop)

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        # llhttp keeps a value's trailing whitespace, which is not part of it (RFC 9110, 5.5).
        value = value.rstrip(b" \t")
        if name == b"expect" and value.lower() == b"100-continue":
            self._expects_continue = True
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        if self._head_watch.complete(self._url, self._headers):
            raise HeadTooLarge
        parser = self._parser
        if parser.get_http_version() == "1.0" or not parser.should_keep_alive():
            self._keep_alive = False
        url = httptools.parse_url(self._url)
        head = request_head(
            parser.get_method().decode("ascii"),
            url.path.decode("latin-1"),
            (url.query or b"").decode("latin-1"),
            self._headers,
            scheme="http",
            client=self._client,
            server=self._server,
        )
        self._head = head
        self._head_complete_at = time.perf_counter()
        refusal = self._app.refusal(head)
        if refusal is not None:
            self._refuse(refusal)
            return
        self._body = []
        self._body_size = 0
        if head.declared_length or head.chunked:
            self._body_timer = self._loop.call_later(BODY_READ_TIMEOUT, self._refuse, body_too_slow())
            if self._expects_continue and self._idle() and self._transport is not None:
                self._transport.write(CONTINUE)

    def on_body(self, body: bytes) -> None:
        if self._refused:
            return
        self._body_size += len(body)
        if self._body_size <= BODY_LIMIT:
            self._body.append(body)

    def on_message_complete(self) -> None:
        if self._refused or self._head is None:
            return
        self._stop_body_timer()
        if self._body_size > BODY_LIMIT:
            body = None
        elif len(self._body) == 1:
            body = self._body[0]
        else:
            body = b"".join(self._body)
        self._body = []
        self._received(_Received(self._head, body, self._head_complete_at))

    # Answering

    def _received(self, received: _Received) -> None:
        """Answer `received` now, or after the requests before it (reading pauses meanwhile)."""
        self._waiting.append(received)
        if self._answering is not None and not self._read_paused and self._transport is not None:
            self._read_paused = True
            self._transport.pause_reading()
        self._answer_next()

    def _refuse(self, answer: HttpResponse) -> None:
        """Answer the request being read with `answer`, without the rest of it, and close the connection."""
        assert self._head is not None
        self._refused = True
        self._keep_alive = False
        self._stop_body_timer()
        self._received(_Received(self._head, b"", self._head_complete_at, answer))

    def _idle(self) -> bool:
        return self._answering is None and not self._waiting

    def _answer_next(self) -> None:
        while self._answering is None and self._waiting and not self._write_paused:
            received = self._waiting.popleft()
            if received.answer is not None:
                self._write(received, received.answer)
            else:
                self._answering = self._loop.create_task(self._answer(received))

    async def _answer(self, received: _Received) -> None:
        if received.body is None:
            response = body_too_large()
        else:
            response = await self._app.respond(received.head, received.body)
        self._answering = None
        self._write(received, response)
        self._answer_next()

    def _write(self, received: _Received, response: HttpResponse) -> None:
        """Write the answer to `received` (unless the client is gone), log it, then close or read on."""
        head = received.head
        answer: Answer = self._app.encode(response, head.path)
        transport = self._transport
        if transport is not None and not transport.is_closing():
            lines = [_STATUS_LINES.get(answer.status) or _status_line(answer.status), self._server_lines()]
            for name, value in answer.headers:
                lines += (name, b": ", value, b"\r\n")
            closes = answer.closes or not self._keep_alive
            if closes and not answer.closes:
                lines.append(b"connection: close\r\n")
            lines.append(b"\r\n")
            transport.write(b"".join(lines))
            if answer.body and head.method != "HEAD" and answer.status not in BODILESS_STATUSES:
                transport.write(answer.body)
            if closes:
                self._waiting.clear()
                transport.close()
            else:
                self._idle_since = self._loop.time()
                if self._read_paused and not self._waiting:
                    self._read_paused = False
                    transport.resume_reading()
        self._app.finished(head, response, answer, received.started)

    # Ending

    def shutdown(self) -> None:
        """uvicorn's graceful shutdown: close now when idle, else after the answer in progress."""
        self._keep_alive = False
        if self._answering is None and self._transport is not None:
            self._transport.close()

    def swept(self, now: float) -> None:
        """Once a second (`http_limits.sweeps`): end a late head, or an idle kept-alive connection."""
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        if self._head_watch.late(now):
            if self._answering is None:
                transport.write(HEAD_TOO_SLOW)
                transport.close()
            else:
                self._keep_alive = False
        elif self._idle_since < now - KEEP_ALIVE_TIMEOUT and self._idle():
            transport.close()

    def _server_lines(self) -> bytes:
        """The header lines the server adds to every answer (its Date), kept until uvicorn renews them."""
        default_headers = self._server_state.default_headers
        if default_headers is not self._server_headers:
            self._server_headers = default_headers
            self._server_header_lines = b"".join(
                name + b": " + value + b"\r\n" for name, value in default_headers
            )
        return self._server_header_lines

    def _stop_body_timer(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
