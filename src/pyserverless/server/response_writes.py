"""One socket write per response: uvicorn's protocol writes a response's head and its body separately.

How it works: `join_head_to_body` gives one request's `RequestResponseCycle` (uvicorn's httptools protocol)
a `HeadWithBody` view of the connection's transport. The first write the cycle makes once its response has
started is the head: the view holds it, and the cycle's next write (the body, or a streamed body's first
chunk) goes out together with it in one `writelines`, which uvloop sends with one `writev` (asyncio's own
loop joins the two). A response that completes without writing a body (a HEAD answer) sends its head when it
completes, and closing the connection sends a held head first, so nothing written is ever dropped or
reordered. Writes before the response starts (`100 Continue`) and after the first body write go straight
through. Saving the second `send` halves the write syscalls of a small answer, which were the largest single
cost of the event loop under load (docs/benchmarks.md, "Throughput").
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

if TYPE_CHECKING:
    Buffer = bytes | bytearray | memoryview[Any]  # what asyncio's `Transport.write` takes


class HeadWithBody(asyncio.Transport):
    """One response's view of its connection's transport; see the module docstring."""

    def __init__(self, transport: asyncio.Transport, cycle: RequestResponseCycle) -> None:
        super().__init__()
        self._transport = transport
        self._cycle = cycle
        self._on_response: Callable[..., None] = cycle.on_response
        self._head_written = False
        self._head: Buffer | None = None

    def write(self, data: Buffer) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.writelines((head, data))
        elif not self._head_written and self._cycle.response_started:
            self._head_written = True
            self._head = data
        else:
            self._transport.write(data)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self._send_head()
        self._transport.close()

    def response_complete(self) -> None:
        """The cycle's `on_response`: a head still held (no body was written) goes out, then uvicorn's."""
        self._send_head()
        self._on_response()

    def _send_head(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head)


def join_head_to_body(cycle: RequestResponseCycle) -> None:
    """Make `cycle` (just created, not yet run) send its response's head and body in one write."""
    view = HeadWithBody(cycle.transport, cycle)
    cycle.transport = view
    cycle.on_response = view.response_complete
