"""Keep-alive clients across reloads: a retiring worker answers `connection: close` and lets such connections
end, so a client's next request never races the close (it goes on a new connection to the new worker)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from tests.support.server_process import StartedServer

RELOADED = "→ reloaded"
CLIENTS = 8


def answer(text: str) -> str:
    return f"def handler(context, event, callback):\n    callback(None, {text!r})\n"


def test_keep_alive_clients_see_no_error_across_reloads(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    function = tmp_path / "functions" / "a.py"
    function.write_text(answer("v0"))
    errors: list[str] = []
    answers: list[int] = []
    stop = threading.Event()

    def client(base_url: str) -> None:
        with httpx.Client(base_url=base_url, timeout=20) as http:  # keeps its connection alive
            while not stop.is_set():
                try:
                    answers.append(http.get("/a").status_code)
                except httpx.HTTPError as error:
                    errors.append(f"{type(error).__name__}: {error}")

    with StartedServer(tmp_path, "--no-logs") as server:
        threads = [threading.Thread(target=client, args=(server.base_url,)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        try:
            for version in range(1, 4):
                time.sleep(0.3)
                function.write_text(answer(f"v{version}"))
                deadline = time.monotonic() + 30
                while server.stdout_text().count(RELOADED) < version:
                    assert time.monotonic() < deadline, server.stdout_text()
                    time.sleep(0.02)
            time.sleep(0.3)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)

    assert errors == []
    assert set(answers) == {200}
    assert len(answers) > 100
