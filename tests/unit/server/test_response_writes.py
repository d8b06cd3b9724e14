"""Each response leaves `LimitedHttpProtocol` (uvicorn's httptools protocol) in one transport write, counted
at the transport: the head and the body of a complete answer together, a HEAD answer's head alone, a streamed
body's later chunks after, and a `100 Continue` at once, before the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import uvicorn
from uvicorn.server import ServerState

from pyserverless.server.http_limits import LimitedHttpProtocol

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
App = Callable[[Message, Receive, Callable[[Message], Awaitable[None]]], Awaitable[None]]


class RecordingTransport(asyncio.Transport):
    """A connection's transport that keeps what each `write` or `writelines` call sent (one send each)."""

    def __init__(self) -> None:
        super().__init__()
        self.sends: list[bytes] = []
        self.closed = False

    def write(self, data: Any) -> None:
        self.sends.append(bytes(data))

    def writelines(self, list_of_data: Iterable[Any]) -> None:
        self.sends.append(b"".join(bytes(data) for data in list_of_data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 3000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def hello(body: bytes = b"Hello World!") -> App:
    async def app(scope: Message, receive: Receive, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    return app


async def streamed(scope: Message, receive: Receive, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"first", "more_body": True})
    await asyncio.sleep(0)
    await send({"type": "http.response.body", "body": b"second"})


def sends_for(app: App, *requests: bytes) -> tuple[list[bytes], bool]:
    """What the protocol sent for `requests` (each given once the previous answer is out), and whether it
    closed the connection."""

    async def exchange() -> tuple[list[bytes], bool]:
        config = uvicorn.Config(app, lifespan="off", ws="none", log_config=None, access_log=False)
        protocol = LimitedHttpProtocol(config, ServerState(), {}, _loop=asyncio.get_running_loop())
        transport = RecordingTransport()
        protocol.connection_made(transport)
        for request in requests:
            protocol.data_received(request)
            while protocol.cycle is None or not protocol.cycle.response_complete:
                await asyncio.sleep(0)
        closed = transport.closed
        protocol.connection_lost(None)
        return transport.sends, closed

    return asyncio.run(exchange())


HELLO_ANSWER = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\nHello World!"


def test_a_complete_answer_is_one_write_of_its_head_and_body() -> None:
    request = b"GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"
    assert sends_for(hello(), request, request) == ([HELLO_ANSWER, HELLO_ANSWER], False)


def test_an_answer_that_closes_the_connection_is_written_before_the_close() -> None:
    sends, closed = sends_for(hello(), b"GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert (sends, closed) == (
        [
            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: close\r\n\r\n"
            b"Hello World!"
        ],
        True,
    )


def test_a_head_answer_is_its_head_alone_once_complete() -> None:
    request = b"HEAD /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\n"
    assert sends_for(hello(), request, request) == ([head, head], False)


def test_a_streamed_body_goes_out_with_the_head_then_chunk_by_chunk() -> None:
    sends, _ = sends_for(streamed, b"GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert sends == [
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n",
        b"6\r\nsecond\r\n0\r\n\r\n",
    ]


def test_a_100_continue_is_written_at_once_and_the_answer_after_it() -> None:
    head = b"POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
    sends, _ = sends_for(hello(), head + b"data")
    assert sends == [b"HTTP/1.1 100 Continue\r\n\r\n", HELLO_ANSWER]
