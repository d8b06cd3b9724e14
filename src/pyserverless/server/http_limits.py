"""HTTP/1.1 limits for the local and container servers: what a hostile or slow client may cost.

How it works: `LimitedHttpProtocol` is uvicorn's httptools protocol with the limits trusted servers set and
uvicorn lacks (uvicorn's own keep-alive timeout is used as is, `KEEP_ALIVE_TIMEOUT`):
- The request line and headers together may take `MAX_HEAD_BYTES`, in at most `MAX_HEADERS` fields: the
  parser's callbacks add up the target and each header as they come, and after each chunk read (at most
  256 kB) that leaves the head incomplete the bytes read so far are compared too, so an endless header is
  cut off early instead of being buffered (and re-copied) whole. Over a limit, the answer is 431 and the
  connection closes.
- The head must arrive within `HEAD_READ_TIMEOUT` seconds of the connection (or of the request's first byte
  on a kept-alive connection): else 408 and the connection closes. (The body's limit is `ServerApp`'s.)
- At most `MAX_CONNECTIONS` connections per server process: one more is answered 503 and closed at once,
  and a warning says so (at most once a second, with how many were refused meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: The request line and headers, in bytes (as Go's net/http default; Node's is 16 kB).
MAX_HEAD_BYTES = 64 * 1024
#: Header fields per request (Twilio sends about 15).
MAX_HEADERS = 256
#: Seconds for a request's line and headers to arrive.
HEAD_READ_TIMEOUT = 10.0
#: Seconds an idle kept-alive connection stays open (uvicorn's default, stated).
KEEP_ALIVE_TIMEOUT = 5
#: Open connections per server process.
MAX_CONNECTIONS = 512

logger = logging.getLogger("pyserverless.server")


class HeadTooLarge(Exception):
    """Raised from a parser callback when the request's head is over a limit (uvicorn then calls
    `send_400_response`, which answers 431 instead)."""


def _answer(status: bytes, message: str) -> bytes:
    body = message.encode()
    return (
        b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
    )


TOO_MANY_CONNECTIONS = _answer(
    b"503 Service Unavailable",
    f"Service Unavailable: this server keeps at most {MAX_CONNECTIONS} connections.\n",
)
HEAD_TOO_LARGE = _answer(
    b"431 Request Header Fields Too Large",
    f"Request Header Fields Too Large: the limit is {MAX_HEAD_BYTES // 1024} kB and {MAX_HEADERS} fields.\n",
)
HEAD_TOO_SLOW = _answer(
    b"408 Request Timeout",
    f"Request Timeout: the headers did not arrive within {HEAD_READ_TIMEOUT:g} seconds.\n",
)


class _RefusalReport:
    """Logs refused connections at most once a second, with the count refused since the last line."""

    def __init__(self) -> None:
        self._last = 0.0
        self._unreported = 0

    def refused(self, open_connections: int) -> None:
        self._unreported += 1
        now = time.monotonic()
        if now - self._last >= 1.0:
            logger.warning(
                "Refused %d connection(s) with a 503: %d are open, the most this server keeps. Slow or idle "
                "clients hold them; they are closed after %g s without a complete request.",
                self._unreported,
                open_connections,
                HEAD_READ_TIMEOUT,
            )
            self._last = now
            self._unreported = 0


_refusals = _RefusalReport()


class LimitedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._over_cap = False
        self._reading_head = True
        self._head_bytes = 0
        self._head_size = 0
        self._header_count = 0
        self._head_refused = False
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= MAX_CONNECTIONS:
            self._over_cap = True
            _refusals.refused(len(self.connections))
            transport.write(TOO_MANY_CONNECTIONS)
            transport.close()
            return
        super().connection_made(transport)
        self._head_timer = self.loop.call_later(HEAD_READ_TIMEOUT, self._head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._over_cap:  # never counted among the connections
            return
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._reading_head and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading_head = True
        self._head_bytes = 0
        self._head_size = 0
        self._header_count = 0
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(HEAD_READ_TIMEOUT, self._head_timed_out)

    def on_url(self, url: bytes) -> None:
        self._add_to_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        self._add_to_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _add_to_head(self, size: int) -> None:
        self._head_size += size
        if self._head_size > MAX_HEAD_BYTES or self._header_count > MAX_HEADERS:
            self._head_refused = True
            raise HeadTooLarge

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a parser error; 431 when the error is a head over a limit."""
        if self._head_refused:
            self._refuse_head()
        else:
            super().send_400_response(msg)

    def _refuse_head(self) -> None:
        self._cancel_head_timer()
        logger.warning(
            "Answered 431 to a request whose headers are over %d kB or %d fields.",
            MAX_HEAD_BYTES // 1024,
            MAX_HEADERS,
        )
        self.transport.write(HEAD_TOO_LARGE)
        self.transport.close()

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(HEAD_TOO_SLOW)
            self.transport.close()
        else:  # a response is on its way: end the connection after it
            self.cycle.keep_alive = False

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
