"""Route handlers' `print` and `logging` output to the logger "pyserverless.handler", tagged with their route.

`install_output_capture()` (called once by the local server) replaces `sys.stdout`/`sys.stderr` with proxies
and adds a forwarding handler to the root logger. While a handler runs, dispatch sets `current_output` (a
context variable, so it follows the handler into its worker thread and stays apart from concurrent requests)
to a `HandlerOutput` for its route: the proxies cut what the handler writes into lines and log each one with
`extra={"route": route}` (stdout at INFO, stderr at WARNING); the forwarder re-emits the handler's own log
records under "pyserverless.handler" with the route added. Outside a handler everything passes through
unchanged. Without `install_output_capture()` (e.g. on Lambda) handler output goes straight to the process
streams.
"""

from __future__ import annotations

import logging
import sys
import threading
from contextvars import ContextVar
from typing import Any, TextIO

HANDLER_LOGGER = logging.getLogger("pyserverless.handler")
_OWN_LOGGERS = ("pyserverless.", "twilio.")


#: Guards every `HandlerOutput`'s partial lines: one lock for all (writes are rare and brief), so a run that
#: prints nothing makes no lock and no dict (making and flushing an output: 0.68 -> 0.19 µs).
_PENDING_LOCK = threading.Lock()


class HandlerOutput:
    """The output of one handler run: partial lines per level until a newline (or `flush`) completes them."""

    __slots__ = ("_pending", "route")

    def __init__(self, route: str) -> None:
        self.route = route
        self._pending: dict[int, str] | None = None  # made on the first partial line

    def write(self, level: int, text: str) -> None:
        with _PENDING_LOCK:
            pending = self._pending
            if pending:
                text = pending.pop(level, "") + text
            *lines, rest = text.split("\n")
            if rest:
                if pending is None:
                    pending = self._pending = {}
                pending[level] = rest
        for line in lines:
            HANDLER_LOGGER.log(level, "%s", line, extra={"route": self.route})

    def flush(self) -> None:
        if not self._pending:  # nothing partial (nearly always): no lock to take
            return
        with _PENDING_LOCK:
            pending, self._pending = self._pending, None
        for level, line in (pending or {}).items():
            HANDLER_LOGGER.log(level, "%s", line, extra={"route": self.route})


current_output: ContextVar[HandlerOutput | None] = ContextVar("pyserverless_handler_output", default=None)


class _StreamProxy:
    """Stands in for sys.stdout/sys.stderr: in a handler run, writes become log lines; else pass through."""

    def __init__(self, original: TextIO, level: int) -> None:
        self._original = original
        self._level = level

    def write(self, text: str) -> int:
        output = current_output.get()
        if output is None:
            return self._original.write(text)
        output.write(self._level, text)
        return len(text)

    def flush(self) -> None:
        self._original.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


class _HandlerLogForwarder(logging.Handler):
    """On the root logger: re-emits records logged during a handler run under "pyserverless.handler"."""

    def emit(self, record: logging.LogRecord) -> None:
        output = current_output.get()
        if output is None or record.name.startswith(_OWN_LOGGERS) or record.name == HANDLER_LOGGER.name:
            # When nobody else configured logging, behave as if this handler were not here.
            last_resort = logging.lastResort
            alone = len(logging.getLogger().handlers) == 1
            if alone and last_resort is not None and record.levelno >= last_resort.level:
                last_resort.handle(record)
            return
        fields = dict(
            record.__dict__, name=HANDLER_LOGGER.name, route=output.route, handler_logger=record.name
        )
        HANDLER_LOGGER.handle(logging.makeLogRecord(fields))


def install_output_capture() -> None:
    """Capture handlers' print and logging output (idempotent); see the module docstring.

    When nobody configured logging (root at its default WARNING, no handlers), the root level becomes INFO so
    a handler's `logging.info` shows as `console.log` would on Twilio; the chatty "twilio" logger stays at
    WARNING.
    """
    if sys.stdout is not None and not isinstance(sys.stdout, _StreamProxy):
        sys.stdout = _StreamProxy(sys.stdout, logging.INFO)
    if sys.stderr is not None and not isinstance(sys.stderr, _StreamProxy):
        sys.stderr = _StreamProxy(sys.stderr, logging.WARNING)
    root = logging.getLogger()
    if any(isinstance(handler, _HandlerLogForwarder) for handler in root.handlers):
        return
    if not root.handlers and root.level == logging.WARNING:
        root.setLevel(logging.INFO)
        twilio_logger = logging.getLogger("twilio")
        if twilio_logger.level == logging.NOTSET:
            twilio_logger.setLevel(logging.WARNING)
    root.addHandler(_HandlerLogForwarder())
