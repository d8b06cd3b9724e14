"""HTTP/1.1 limits for the local and container servers: what a hostile or slow client may cost.

The limits trusted servers set and uvicorn lacks, which both of this project's HTTP protocols enforce
(`http_connection.HttpConnection` for `start`, `uvicorn_limits.LimitedHttpProtocol` for `serve`):
- The request line and headers together may take `MAX_HEAD_BYTES`, in at most `MAX_HEADERS` fields. After
  each read (at most 256 kB) that leaves the request's head incomplete, the bytes read for it so far are
  compared with the limit, so an endless header is cut off early instead of being buffered (and re-copied)
  whole; a head that arrives complete is measured when it is complete, unless the bytes read since it began
  are within the limit already (`HeadWatch`, which each protocol tells what it reads). Over a limit, the
  answer is 431 and the connection closes (`refuse_head`).
- The head must arrive within `HEAD_READ_TIMEOUT` seconds of the connection (or of the request's first byte
  on a kept-alive connection), else 408 and the connection closes. One sweep a second per event loop
  (`sweeps`) lets each connection end what is late, which costs the request path nothing but a clock read.
  (The body's limit is `ServerApp`'s.)
- At most `MAX_CONNECTIONS` connections per server process: one more is answered 503 and closed at once
  (`refuse_connection`), and a warning says so (at most once a second, with how many were refused
  meanwhile).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Set
from typing import Protocol

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
    """Raised from a parser callback when the request's head is over a limit: the parser stops with an error,
    which the protocol answers with 431 (`refuse_head`)."""


def closing_answer(status: bytes, message: str, server_lines: bytes = b"") -> bytes:
    """A plain-text answer after which the connection closes: `status` (`400 Bad Request`), the header lines
    the server adds to every answer (`server_lines`, its Date), then `message`."""
    body = message.encode()
    return (
        b"HTTP/1.1 " + status + b"\r\n" + server_lines + b"content-type: text/plain; charset=utf-8\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
    )


TOO_MANY_CONNECTIONS = closing_answer(
    b"503 Service Unavailable",
    f"Service Unavailable: this server keeps at most {MAX_CONNECTIONS} connections.\n",
)
HEAD_TOO_LARGE = closing_answer(
    b"431 Request Header Fields Too Large",
    f"Request Header Fields Too Large: the limit is {MAX_HEAD_BYTES // 1024} kB and {MAX_HEADERS} fields.\n",
)
HEAD_TOO_SLOW = closing_answer(
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


class Swept(Protocol):
    """A connection the sweep looks at once a second."""

    def swept(self, now: float) -> None:
        """End what is late at `now` (the event loop's time)."""


class _Sweeps:
    """Once a second while an event loop has connections, lets each one end what is late (`Swept`)."""

    def __init__(self) -> None:
        self._sweeping: set[asyncio.AbstractEventLoop] = set()

    def watch(self, loop: asyncio.AbstractEventLoop, connections: Set[Swept]) -> None:
        if loop not in self._sweeping:
            self._sweeping.add(loop)
            loop.call_later(1.0, self._sweep, loop, connections)

    def _sweep(self, loop: asyncio.AbstractEventLoop, connections: Set[Swept]) -> None:
        now = loop.time()
        for connection in list(connections):
            connection.swept(now)
        if connections:
            loop.call_later(1.0, self._sweep, loop, connections)
        else:
            self._sweeping.discard(loop)


def refuse_connection(transport: asyncio.Transport, open_connections: int) -> None:
    """Answer 503 and close: the server has `open_connections`, the most it keeps (logged, at most once a
    second)."""
    _refusals.refused(open_connections)
    transport.write(TOO_MANY_CONNECTIONS)
    transport.close()


def refuse_head(transport: asyncio.Transport) -> None:
    """Answer 431 and close: the head is over a limit (logged)."""
    logger.warning(
        "Answered 431 to a request whose headers are over %d kB or %d fields.",
        MAX_HEAD_BYTES // 1024,
        MAX_HEADERS,
    )
    transport.write(HEAD_TOO_LARGE)
    transport.close()


def _head_size(url: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """The request line's target and the header lines, in bytes (each line's separators counted as 4)."""
    return len(url) + sum(len(name) + len(value) + 4 for name, value in headers)


#: A `HeadWatch`'s start while no head is being read.
_NOT_READING = float("inf")


class HeadWatch:
    """One connection's head limits, as its protocol reports what it reads: when the head being read began
    (infinity while none is) and the bytes read since (module docstring). A connection's first head begins
    when the connection is made (`begin`)."""

    __slots__ = ("_bytes", "_read_size", "_started")

    def __init__(self) -> None:
        self._started = _NOT_READING
        self._bytes = 0
        #: The size of the read being parsed.
        self._read_size = 0

    def reading(self, size: int) -> None:
        """A read of `size` bytes is about to be parsed."""
        self._read_size = size

    def read(self) -> bool:
        """The read is parsed: whether the head still being read is now over `MAX_HEAD_BYTES`."""
        if self._started == _NOT_READING:
            return False
        self._bytes += self._read_size
        return self._bytes > MAX_HEAD_BYTES

    def begin(self, loop: asyncio.AbstractEventLoop) -> None:
        """A connection is made, or a request's first byte is parsed (a head's time runs from the first of
        the two, by `loop`'s clock, read only then)."""
        self._bytes = 0
        if self._started == _NOT_READING:
            self._started = loop.time()

    def complete(self, url: bytes, headers: list[tuple[bytes, bytes]]) -> bool:
        """The head is complete: whether it is over a limit. The bytes read since it began, with the read
        that completed it, bound its size: only a head that may be over is measured."""
        self._started = _NOT_READING
        return len(headers) > MAX_HEADERS or (
            self._bytes + self._read_size > MAX_HEAD_BYTES and _head_size(url, headers) > MAX_HEAD_BYTES
        )

    def late(self, now: float) -> bool:
        """Whether the head being read has taken more than `HEAD_READ_TIMEOUT` at `now` (then it is no longer
        watched)."""
        if self._started >= now - HEAD_READ_TIMEOUT:
            return False
        self._started = _NOT_READING
        return True

    def stop(self) -> None:
        """No head is read any more (the connection refused it, or ended)."""
        self._started = _NOT_READING


_refusals = _RefusalReport()
sweeps = _Sweeps()
