"""uvicorn's httptools protocol with this project's HTTP limits (`http_limits`), for `pyserverless serve`.

`serve` runs the ASGI app (`pyserverless.asgi`) on uvicorn as a container would, with uvicorn's proxy headers
for the platform's proxy; `start` answers through `http_connection` instead. The hooks: the connection cap
when a connection is made, the head's size after each read and when it is complete, the late head when the
sweep comes (uvicorn's own keep-alive timeout closes idle connections, `KEEP_ALIVE_TIMEOUT`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from pyserverless.server.http_limits import (
    HEAD_TOO_SLOW,
    MAX_CONNECTIONS,
    HeadTooLarge,
    HeadWatch,
    refuse_connection,
    refuse_head,
    sweeps,
)


class LimitedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits of `http_limits`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._over_cap = False
        self._head_refused = False
        self._head_watch = HeadWatch()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= MAX_CONNECTIONS:
            self._over_cap = True
            refuse_connection(transport, len(self.connections))
            return
        super().connection_made(transport)
        self._head_watch.begin(self.loop)
        sweeps.watch(self.loop, self.connections)  # type: ignore[arg-type]  # uvicorn types its set loosely

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._over_cap:  # a refused connection was never counted among the connections
            super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._head_watch.reading(len(data))
        super().data_received(data)
        if not self.transport.is_closing() and self._head_watch.read():
            self._refuse_head()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_watch.begin(self.loop)

    def on_headers_complete(self) -> None:
        if self._head_watch.complete(self.url, self.headers):
            self._head_refused = True
            raise HeadTooLarge
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a parser error; 431 when the error is a head over a limit."""
        if self._head_refused:
            self._refuse_head()
        else:
            super().send_400_response(msg)

    def _refuse_head(self) -> None:
        self._head_watch.stop()
        refuse_head(self.transport)

    def swept(self, now: float) -> None:
        """408 and close when the head is late, or, when an answer is on its way, close after it."""
        if not self._head_watch.late(now) or self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(HEAD_TOO_SLOW)
            self.transport.close()
        else:
            self.cycle.keep_alive = False
