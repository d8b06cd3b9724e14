"""The supervisor's pipe to a worker: whole messages both ways, poll, and the other end closing."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from pyserverless.dev.message_pipe import MessagePipe
from pyserverless.server.serving import ServerOptions


def pipes() -> tuple[MessagePipe, MessagePipe]:
    one, other = socket.socketpair()
    return MessagePipe(one), MessagePipe(other)


def test_messages_arrive_whole_and_in_order() -> None:
    parent, worker = pipes()
    options = ServerOptions(root=Path("/project"), port=0, allowed_hosts=("example.test",))
    parent.send(options)
    parent.send("serve")
    assert worker.recv() == options
    assert worker.recv() == "serve"
    worker.send(("ready", ""))
    assert parent.recv() == ("ready", "")
    parent.close()
    worker.close()


def test_a_message_larger_than_a_socket_buffer_arrives_whole() -> None:
    parent, worker = pipes()
    message = "x" * 4_000_000
    sender = threading.Thread(target=parent.send, args=(message,))
    sender.start()
    assert worker.recv() == message
    sender.join()
    parent.close()
    worker.close()


def test_poll_says_whether_a_message_is_there() -> None:
    parent, worker = pipes()
    assert parent.poll(0) is False
    worker.send(("load failed", "why"))
    assert parent.poll(1) is True
    assert parent.recv() == ("load failed", "why")
    assert parent.poll(0) is False
    parent.close()
    worker.close()


def test_the_other_end_closing_is_end_of_file() -> None:
    parent, worker = pipes()
    parent.close()
    assert worker.poll(1) is True
    with pytest.raises(EOFError):
        worker.recv()
    worker.close()


def test_an_inherited_descriptor_is_an_end() -> None:
    one, other = socket.socketpair()
    parent, worker = MessagePipe(one), MessagePipe.from_fd(other.detach())
    parent.send("retire")
    assert worker.recv() == "retire"
    parent.close()
    worker.close()
