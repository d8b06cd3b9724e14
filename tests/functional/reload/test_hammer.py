"""Reload under load: a request every ~10 ms while functions are edited, added, removed, broken and fixed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.reloads import RELOADED, wait_for_count
from tests.support.server_process import StartedServer

PATHS = ["/a", "/b", "/other", "/c"]


def handler_source(answer: str) -> str:
    return f"import twilio.rest\n\n\ndef handler(context, event, callback):\n    callback(None, {answer!r})\n"


@dataclass
class Outcome:
    sent: float
    path: str
    status: int | None
    body: str
    error: str | None


class Hammer:
    """Requests `paths` in turn, one every ~10 ms, each on a fresh connection (as Twilio's webhooks come)."""

    def __init__(self, base_url: str, paths: list[str]) -> None:
        self._base_url = base_url
        self._paths = paths
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Hammer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        limits = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=self._base_url, limits=limits, timeout=15) as client:
            turn = 0
            while not self._stop.is_set():
                path = self._paths[turn % len(self._paths)]
                turn += 1
                sent = time.monotonic()
                try:
                    response = client.get(path)
                    self.outcomes.append(Outcome(sent, path, response.status_code, response.text, None))
                except httpx.HTTPError as error:
                    self.outcomes.append(Outcome(sent, path, None, "", f"{type(error).__name__}: {error}"))
                time.sleep(0.01)


@dataclass
class Step:
    changed: float  # when the file was changed
    reloaded: float  # when the reload line was seen


def reload_step(server: StartedServer, steps: list[Step], change: Callable[[], object]) -> None:
    """Let the hammer run a while, make a change, and wait for the reload line it causes."""
    time.sleep(0.3)
    seen = server.stdout_text().count(RELOADED)
    changed = time.monotonic()
    change()
    wait_for_count(server, RELOADED, seen + 1)
    steps.append(Step(changed, time.monotonic()))


def test_no_request_fails_and_no_stale_code_answers_across_reloads(tmp_path: Path) -> None:
    project = tmp_path / "hammered"
    functions = project / "functions"
    functions.mkdir(parents=True)
    (functions / "a.py").write_text(handler_source("a1"))
    (functions / "b.py").write_text(handler_source("b1"))
    (functions / "other.py").write_text(handler_source("other"))
    steps: list[Step] = []

    with StartedServer(project, "--no-logs") as server, Hammer(server.base_url, PATHS) as hammer:
        reload_step(server, steps, lambda: (functions / "a.py").write_text(handler_source("a2")))
        reload_step(server, steps, lambda: (functions / "c.py").write_text(handler_source("c1")))
        reload_step(server, steps, (functions / "b.py").unlink)
        reload_step(server, steps, lambda: (functions / "a.py").write_text("def handler(:\n"))
        reload_step(server, steps, lambda: (functions / "a.py").write_text(handler_source("a3")))
        time.sleep(0.3)

    assert [outcome for outcome in hammer.outcomes if outcome.error] == []
    assert len(hammer.outcomes) > 50

    def answers(step: int, path: str) -> set[tuple[int | None, str]]:
        """What `path` answered from reload line `step` until the next change."""
        until = steps[step + 1].changed if step + 1 < len(steps) else float("inf")
        return {
            (o.status, o.body)
            for o in hammer.outcomes
            if steps[step].reloaded <= o.sent < until and o.path == path
        }

    edited, added, removed, broken, fixed = range(5)
    assert answers(edited, "/a") == {(200, "a2")}
    assert answers(added, "/c") == {(200, "c1")}
    assert {status for status, _ in answers(removed, "/b")} == {404}
    assert {status for status, _ in answers(broken, "/a")} == {500}
    assert answers(broken, "/other") == {(200, "other")}
    assert answers(broken, "/c") == {(200, "c1")}
    assert answers(fixed, "/a") == {(200, "a3")}
    assert {(o.status, o.body) for o in hammer.outcomes if o.path == "/other"} == {(200, "other")}
