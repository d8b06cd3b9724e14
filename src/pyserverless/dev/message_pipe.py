"""The pipe between `start`'s supervisor and a worker: pickled messages over one end of a socket pair.

How it works: each message is pickled and sent after its length (4 bytes, big-endian); `recv` reads exactly
that many bytes back, straight from the socket with no buffer of its own, so `poll` (a `select` on the socket)
is true exactly when a message has begun to arrive. The other end closing is `EOFError`. It does what
`multiprocessing.connection.Connection` did here without importing the multiprocessing package (about 0.35 MB
in each of `start`'s three processes). Both ends are our own processes: nothing else writes to the pipe.
"""

from __future__ import annotations

import pickle
import select
import socket
import struct
from typing import Any

_LENGTH = struct.Struct("!I")


class MessagePipe:
    """One end of a socket pair carrying pickled messages."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    @classmethod
    def from_fd(cls, fd: int) -> MessagePipe:
        """The end inherited as file descriptor `fd`."""
        return cls(socket.socket(fileno=fd))

    def send(self, message: object) -> None:
        data = pickle.dumps(message)
        self._sock.sendall(_LENGTH.pack(len(data)) + data)

    def recv(self) -> Any:
        """The next message (blocks until it has come whole); EOFError once the other end is closed."""
        (length,) = _LENGTH.unpack(self._read(_LENGTH.size))
        return pickle.loads(self._read(length))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the other end's closing) is there to read, waiting at most `timeout` s."""
        readable, _, _ = select.select([self._sock], [], [], timeout)
        return bool(readable)

    def close(self) -> None:
        self._sock.close()

    def _read(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = self._sock.recv(size - len(data))
            if not chunk:
                raise EOFError("the other end of the pipe is closed")
            data += chunk
        return bytes(data)
