"""Run `pyserverless start` in a real subprocess, on a free port, for functional tests.

How to use it:

    from tests.support.server_process import StartedServer, copy_project, run_start

    project = copy_project("server-payloads", tmp_path)          # a fixture project copied into tmp_path
    with StartedServer(project, "--timeout", "2") as server:     # `pyserverless start PROJECT --port 0 ...`
        response = httpx.get(server.url("/hello"))
        server.wait_for_output("GET /hello")                     # stdout line (request log, handler output)
        assert "Warning" in server.stderr_text()

    result = run_start(project, "--port", "3000")                 # a start that should fail: CompletedProcess

- `StartedServer(project, *args, env=None, ready_timeout=60)` starts
  `python -m pyserverless start PROJECT --port 0 *ARGS` (a later `--port` in ARGS wins), reads stdout and
  stderr in background threads, and waits for the "Server running at http://HOST:PORT" line; from then on the
  socket is listening, so requests never race the start. `server.base_url`, `server.port`, `server.url(path)`.
  Leaving the `with` block sends SIGINT, waits, then kills what is left (`processes.stop_process_group`):
  neither the process nor anything it started outlives the test.
- `server.stdout_text()` / `server.stderr_text()`: everything printed so far;
  `server.wait_for_output(text, timeout=10, stream="stdout")` waits until `text` has been printed (log lines
  are written by a background thread, so a line may arrive just after the response).
- `run_start(project, *args, timeout=30, env=None)`: run `pyserverless start` to completion (failing starts).
- `copy_project(name, tmp_path)`: copy `tests/fixtures/projects/NAME` into `tmp_path/NAME` (tests never write
  into the source tree: handler imports create `__pycache__`).
The child gets `COLUMNS=200` (rich tables are not wrapped), `PYTHONUNBUFFERED=1`, and no `PORT` variable
unless `env` sets one; `env` adds or overrides variables (a value of None removes one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, TypeVar

from tests.support.processes import stop_process_group

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
T = TypeVar("T")
READY_LINE = re.compile(r"Server running at (http://(?:\[[^\]]+\]|[^\s:/,]+)):(\d+)")


def copy_project(name: str, tmp_path: Path) -> Path:
    """A copy of the fixture project `name` in `tmp_path`, to run and modify freely."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


def child_env(env: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a `pyserverless` child process (see the module docstring)."""
    variables = {name: value for name, value in os.environ.items() if name != "PORT"}
    variables.update({"COLUMNS": "200", "PYTHONUNBUFFERED": "1"})
    for name, value in (env or {}).items():
        if value is None:
            variables.pop(name, None)
        else:
            variables[name] = value
    return variables


def run_start(
    project: Path, *args: str, timeout: float = 30, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `pyserverless start PROJECT ARGS` to completion and return its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "pyserverless", "start", str(project), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(env),
        check=False,
    )


class StartedServer:
    """`pyserverless start` in a subprocess: a context manager that waits until it listens, then stops it."""

    def __init__(
        self,
        project: Path,
        *args: str,
        env: Mapping[str, str | None] | None = None,
        ready_timeout: float = 60,
    ) -> None:
        self.command = [sys.executable, "-m", "pyserverless", "start", str(project), "--port", "0", *args]
        self._env = child_env(env)
        self._ready_timeout = ready_timeout
        self._lines: dict[str, list[str]] = {"stdout": [], "stderr": []}
        self._changed = threading.Condition()
        self._readers: list[threading.Thread] = []
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.port = 0

    def __enter__(self) -> StartedServer:
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self._env,
            start_new_session=True,
        )
        streams = (("stdout", self.process.stdout), ("stderr", self.process.stderr))
        for stream_name, stream in streams:
            reader = threading.Thread(target=self._read, args=(stream_name, stream), daemon=True)
            reader.start()
            self._readers.append(reader)
        try:
            match = self._wait(lambda: READY_LINE.search(self.stdout_text()), self._ready_timeout)
        except BaseException:
            self.stop()
            raise
        self.base_url = f"{match.group(1)}:{match.group(2)}"
        self.port = int(match.group(2))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.base_url + path

    def stdout_text(self) -> str:
        with self._changed:
            return "".join(self._lines["stdout"])

    def stderr_text(self) -> str:
        with self._changed:
            return "".join(self._lines["stderr"])

    def wait_for_output(self, text: str, timeout: float = 10, stream: str = "stdout") -> str:
        """All output of `stream` once it contains `text`; fails the test after `timeout` seconds."""
        read = self.stdout_text if stream == "stdout" else self.stderr_text
        return self._wait(lambda: read() if text in read() else None, timeout)

    def stop(self) -> int | None:
        """Ctrl-C the server (then kill it and all it started if it lingers); its exit code."""
        if self.process is None:
            return None
        stop_process_group(self.process)
        for reader in self._readers:
            reader.join(timeout=5)
        return self.process.returncode

    def _read(self, stream_name: str, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self._lines[stream_name].append(line)
                self._changed.notify_all()

    def _wait(self, condition: Callable[[], T | None], timeout: float) -> T:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = condition()
                if result:
                    return result
                assert self.process is not None
                if self.process.poll() is not None and all(not r.is_alive() for r in self._readers):
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(min(remaining, 0.2))
        raise AssertionError(
            f"`{' '.join(self.command)}` did not produce what was expected within {timeout:g} s "
            f"(exit code {self.process.poll()}).\n--- stdout ---\n{self.stdout_text()}\n"
            f"--- stderr ---\n{self.stderr_text()}"
        )
