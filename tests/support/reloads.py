"""Waiting for what a reloading `pyserverless start` prints: the n-th restart line, or any text n times."""

from __future__ import annotations

import time

from tests.support.server_process import StartedServer

#: What every restart line holds: "↻ functions/a.py modified → reloaded, ready in 38 ms".
RELOADED = "→ reloaded"


def wait_for_count(server: StartedServer, text: str, count: int, timeout: float = 20) -> str:
    """The server's stdout once `text` appears in it `count` times; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while server.stdout_text().count(text) < count:
        assert time.monotonic() < deadline, server.stdout_text() + server.stderr_text()
        time.sleep(0.005)
    return server.stdout_text()
