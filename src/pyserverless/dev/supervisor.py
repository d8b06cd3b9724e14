"""The reload supervisor of `pyserverless start`: a warm spare worker takes over on every change, so no
request is dropped.

How it works:
- The parent process (`session.start`) has bound the listening socket, opened the tunnel and printed the route
  table; from then on it only supervises here: it never serves a request and never imports user code, so
  nothing a user writes can make it exit.
- A worker process (`dev.worker`, a fresh interpreter started with subprocess, so neither the CLI nor a
  multiprocessing resource tracker comes with it) inherits the socket and one end of a pipe, loads the project
  and serves it with a `LocalServer`. It starts in a process group of its own, so Ctrl-C reaches only the
  parent, and it exits when the parent disappears (its pipe to the parent closes).
- One spare worker is always started in advance and waits, with uvicorn, the runtime and twilio already
  imported, for the word to serve. A restart tells the spare to serve and waits until it reports ready over
  its pipe; then the old worker retires (`LocalServer.retire`: it stops accepting and finishes the requests
  it has, for at most `STOP_GRACE` seconds, then is killed) and the next spare starts. Connections that arrive
  meanwhile wait in the socket's backlog: none is refused, and once the restart line is printed (after the old
  worker is gone) no response can come from the old code.
- `ProjectWatcher` reports changes under `functions/`, assets added or removed, the env file and
  `pyproject.toml`. Each restart prints one line (what changed, time to ready) and the route table again when
  the routes changed. A worker that cannot load the project reports why and serves anyway, answering
  every request 503 with that error (`server.load_failure`) until the next change tries again, so requests
  never hang on a broken project; a worker that dies while serving is restarted, and the line says so (one
  that dies again at once, after a pause).
  A worker whose event loop a handler blocks for good ends itself (`watchdog`) and is restarted too.
- SIGINT and SIGTERM stop the workers and the watcher, and `Supervisor.run` returns normally. Stopping is
  not a hand-over: the workers are terminated at once (uvicorn closes their connections) and killed after
  `SHUTDOWN_GRACE`, so Ctrl-C takes a fraction of a second even with browsers' keep-alive connections open.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from pyserverless.dev.message_pipe import MessagePipe
from pyserverless.errors import UserError
from pyserverless.project.folder import scan_routes
from pyserverless.project.watch import ProjectChange, ProjectWatcher
from pyserverless.server.load_failure import FIX
from pyserverless.signals import handling_signals

if TYPE_CHECKING:
    from rich.console import Console

    from pyserverless.runtime.routes import RouteTable
    from pyserverless.server.serving import ServerOptions

#: Seconds a retiring worker has to finish the requests it is serving before it is killed.
STOP_GRACE = 2.0
#: Seconds a worker has to exit when `start` stops (Ctrl-C, SIGTERM) before it is killed.
SHUTDOWN_GRACE = 0.5
#: A worker started after a death that dies again this soon is restarted after this pause (no busy loop).
MIN_LIFETIME = 1.0
DIED = "restarted after the server process died"


class Worker:
    """One server process: started warm, told to serve, and watched until it exits."""

    def __init__(
        self, sock: socket.socket, options: ServerOptions, on_exit: Callable[[Worker], None]
    ) -> None:
        parent_end, child_end = socket.socketpair()
        with child_end:
            fds = (sock.fileno(), child_end.fileno())
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pyserverless.dev.worker", *map(str, fds)], pass_fds=fds
            )
        self._pipe = MessagePipe(parent_end)
        self._pipe.send(options)
        self._on_exit = on_exit
        self.retired = False
        self.activated = False
        #: Serving, but only the 503 of a project that failed to load.
        self.answers_load_failure = False
        self.ready_at = 0.0
        self.after_death = False
        threading.Thread(target=self._wait, name="worker-exit", daemon=True).start()

    def _wait(self) -> None:
        self.process.wait()
        if not self.retired:
            self._on_exit(self)

    def activate(self, stopping: threading.Event) -> str | None:
        """Tell the worker to serve and wait until it is ready: None, or why it could not start."""
        self.activated = True
        try:
            self._pipe.send("serve")
            while not stopping.is_set():
                if self._pipe.poll(0.05):
                    message: tuple[str, str] = self._pipe.recv()
                    if message[0] in ("ready", "load failed"):
                        self.ready_at = time.monotonic()
                        self.answers_load_failure = message[0] == "load failed"
                    return message[1] or None
        except (EOFError, OSError):
            self._join(STOP_GRACE)
            return f"the server process exited (exit code {self.process.returncode}) before it was ready."
        return "stopped."

    def stop(self, hand_over: bool = True) -> None:
        """A serving worker retires (stops accepting, finishes what it has) when it hands over to another; a
        spare, or any worker when `start` stops, is terminated. Killed if late."""
        self.retired = True
        if self.activated and hand_over:
            with suppress(OSError):
                self._pipe.send("retire")
            self._join(STOP_GRACE)
        if self.process.poll() is None:
            self.process.terminate()
            self._join(STOP_GRACE if hand_over else SHUTDOWN_GRACE)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._pipe.close()

    def _join(self, timeout: float) -> None:
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)


class Supervisor:
    """The parent's loop: a serving worker, a warm spare, restarts on changes, until SIGINT or SIGTERM."""

    def __init__(
        self, sock: socket.socket, options: ServerOptions, console: Console, url: str, routes: RouteTable
    ) -> None:
        self._sock = sock
        self._options = options
        self._console = console
        self._url = url
        self._routes = routes
        self._events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._current: Worker | None = None
        self._spare: Worker | None = None

    def run(self) -> None:
        watcher = ProjectWatcher(
            self._options.root, self._options.env_file, lambda batch: self._events.put(("changed", batch))
        )
        # The handlers stay until every worker is stopped: a second Ctrl-C cannot cut the shutdown short.
        with handling_signals(self._on_signal):
            try:
                watcher.start()
                self._spare = self._spawn()
                self._restart(None)
                self._loop()
            finally:
                self._stopping.set()
                for worker in (self._current, self._spare):
                    if worker is not None:
                        worker.stop(hand_over=False)
                watcher.stop()

    def _on_signal(self, signum: int, frame: object) -> None:
        self._stopping.set()
        self._events.put(("stop", None))

    def _spawn(self) -> Worker:
        return Worker(self._sock, self._options, lambda worker: self._events.put(("exited", worker)))

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                kind, value = self._events.get(timeout=0.5)
            except queue.Empty:
                continue
            changes: list[ProjectChange] = []
            died: Worker | None = None
            while True:  # take every event already waiting: one restart covers them all
                if kind == "stop":
                    return
                if kind == "changed":
                    changes.extend(value)
                elif kind == "exited" and value is self._current:
                    died = value
                try:
                    kind, value = self._events.get_nowait()
                except queue.Empty:
                    break
            if changes:
                self._restart(describe(changes))
            elif died is not None:
                self._current = None
                code = died.process.returncode
                if died.after_death and time.monotonic() - died.ready_at < MIN_LIFETIME:
                    # Requests kill it (a handler that crashes the process): keep serving the other routes,
                    # but restart at most once per MIN_LIFETIME.
                    self._say(
                        f"[red]✗ The server process died again (exit code {code}) right after starting;[/] "
                        f"restarting in {MIN_LIFETIME:g} s."
                    )
                    if self._stopping.wait(MIN_LIFETIME):
                        return
                else:
                    self._say(f"[red]✗ The server process died (exit code {code}).[/]")
                self._restart(DIED)

    def _restart(self, reason: str | None) -> None:
        """Replace the serving worker by the spare; `reason` None is the first start.

        The spare serves first, then the old worker retires: the new code answers as soon as it can, and the
        restart line comes once the old worker is gone, so no answer after it comes from the old code.
        """
        started = time.monotonic()
        try:
            routes: RouteTable | None = scan_routes(self._options.root)
        except UserError:
            routes = None  # the worker reports it
        worker = self._spare or self._spawn()
        self._spare = None
        error = worker.activate(self._stopping)
        elapsed = (time.monotonic() - started) * 1000
        if self._current is not None:
            self._current.stop()
            self._current = None
        if self._stopping.is_set():
            worker.stop()
            return
        self._spare = self._spawn()
        if error is not None:
            if worker.answers_load_failure:
                self._current = worker
            else:
                worker.stop()
            self._say(f"[red]✗ The server could not start{f' after {reason}' if reason else ''}:[/] {error}")
            answered = " Until then every request gets 503 with this error."
            self._say(f"  {FIX}{answered if worker.answers_load_failure else ''}")
            return
        self._current = worker
        worker.after_death = reason == DIED
        if reason is not None:
            self._say(f"[cyan]↻[/] {reason} → reloaded, ready in {elapsed:.0f} ms")
        if routes is not None and routes != self._routes:
            from pyserverless.dev.route_table import route_table

            self._routes = routes
            self._console.print(route_table(routes, self._url), crop=False)

    def _say(self, markup: str) -> None:
        self._console.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {markup}", highlight=False)


def describe(changes: list[ProjectChange]) -> str:
    """What a batch changed: "functions/a.py modified", "2 files changed: functions/a.py, .env"."""
    kinds: dict[str, set[str]] = {}
    for kind, path in changes:
        kinds.setdefault(path, set()).add(kind)
    paths = sorted(kinds)
    if len(paths) == 1:
        return f"{paths[0]} {'/'.join(sorted(kinds[paths[0]]))}"
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return f"{len(paths)} files changed: {shown}"
