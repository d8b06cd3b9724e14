"""The local server's terminal log, kept off the request path.

Everything the runtime and the handlers log goes through stdlib logging: `LogPipeline.start()` attaches one
`QueueLogHandler` to the `pyserverless` and `uvicorn.error` loggers, whose `emit` only formats the message and
puts the record on a queue. The server puts one `RequestLine` per finished request on the same queue
(`log_request`), skipping logging's record machinery. A background thread wakes every `FLUSH_INTERVAL`, takes
whatever is waiting, renders the batch and writes it to the console's file in one write. Nobody blocks on the
queue, so a put never has to wake a thread: a burst of requests costs the event loop one cheap put each and
never a terminal write.

Rendering: rich decides the colours (it knows whether the output is a terminal and what it supports); the ANSI
codes of each style are worked out once with the console, then every line is plain string concatenation, cheap
enough for tens of thousands of lines a second. What an item becomes:
- a `RequestLine`: time, coloured status, method, path, duration and content type (all but the time and the
  duration rendered once per kind of request and kept, `Styles.request_parts`);
- handler output (logger `pyserverless.handler`, or a record with `extra={"route": ...}`): tagged with its
  route;
- anything else (runtime and server events, uvicorn errors): the message coloured by level, and its traceback.
Every text that comes from a request or a handler is shown with its control characters escaped (`ESC` as
`\\x1b`, C1 controls, carriage returns; line breaks and tabs stay), so nothing logged can drive the terminal.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from typing import NamedTuple

from rich.console import Console
from rich.text import Text

from pyserverless.runtime.output import HANDLER_LOGGER

#: The loggers rendered, with the least level shown (uvicorn's start and stop notices are left out).
LOGGERS = {"pyserverless": logging.INFO, "uvicorn.error": logging.WARNING}
#: How often the render thread looks for new lines (seconds): well below what a reader notices.
FLUSH_INTERVAL = 0.05
#: The most lines rendered into one write.
MAX_BATCH = 2000
#: How many kinds of request line (status, method, path, content type) keep their rendered parts, and the
#: longest path kept (a path may be 64 kB: a thousand of those would hold 128 MB).
REQUEST_PARTS_KEPT = 1000
REQUEST_PARTS_PATH_LIMIT = 256

_traceback_formatter = logging.Formatter()
#: C0 controls but line feed and tab, DEL and the C1 controls, each to its `\xNN` escape.
_CONTROLS = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\n\t"}


_ANY_CONTROL = re.compile("[" + "".join(map(chr, _CONTROLS)) + "]")


def escape_controls(text: str) -> str:
    """`text` with every control character but line feed and tab written as a `\\xNN` escape."""
    if text.isascii() and text.isprintable():  # plain text, nearly always: 0.14 -> 0.07 µs for a short line
        return text
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text


class RequestLine(NamedTuple):
    """What the log shows of one finished request; `duration` in seconds, `created` a time.time()."""

    status: int
    method: str
    path: str
    duration: float
    content_type: str | None
    created: float
    #: Appended to the project's recordings (`start --record`).
    recorded: bool = False


Item = logging.LogRecord | RequestLine


class QueueLogHandler(logging.Handler):
    """Puts records on the render queue; never blocks and never writes to the terminal."""

    def __init__(self, items: queue.SimpleQueue[Item]) -> None:
        super().__init__()
        self._items = items

    def handle(self, record: logging.LogRecord) -> bool:
        # No handler lock: SimpleQueue.put is thread-safe and emit touches nothing shared.
        if self.filter(record):
            self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        # Format now, in the caller's thread: the arguments may change once the call returns.
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = _traceback_formatter.formatException(record.exc_info)
            record.exc_info = None
        self._items.put(record)


class Styles:
    """ANSI start/end codes of each style for one console (empty when it shows no colour), computed once;
    also the styled clock of the current second, each styled status, and what a request line holds around
    its duration, which repeat from line to line."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._codes: dict[str, tuple[str, str]] = {}
        self._statuses: dict[int, str] = {}
        self._second = -1
        self._clock = ""
        self._request_parts: dict[tuple[int, str, str, str | None, bool], tuple[str, str]] = {}

    def codes(self, style: str) -> tuple[str, str]:
        codes = self._codes.get(style)
        if codes is None:
            with self._console.capture() as captured:
                self._console.print(Text("|", style=style), end="", soft_wrap=True)
            start, _, end = captured.get().partition("|")
            codes = self._codes[style] = (start, end)
        return codes

    def __call__(self, text: str, style: str) -> str:
        start, end = self.codes(style)
        return f"{start}{text}{end}"

    def clock(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._second = second
            self._clock = self(time.strftime("%H:%M:%S", time.localtime(second)), "dim")
        return self._clock

    def status(self, status: int) -> str:
        styled = self._statuses.get(status)
        if styled is None:
            styled = self._statuses[status] = self(str(status), status_style(status))
        return styled

    def request_parts(self, line: RequestLine) -> tuple[str, str]:
        """What a request line shows between the clock and the duration, and after the duration: the same
        for every request of one kind (kept for up to `REQUEST_PARTS_KEPT` kinds with a path of at most
        `REQUEST_PARTS_PATH_LIMIT` characters, then forgotten at once; rendering a line from them takes half
        the time, 1.40 -> 0.72 µs)."""
        key = (line.status, line.method, line.path, line.content_type, line.recorded)
        parts = self._request_parts.get(key)
        if parts is None:
            dim, end = self.codes("dim")
            request = escape_controls(f"{line.method} {line.path}")
            content_type = escape_controls(f" {line.content_type}") if line.content_type else ""
            recorded = " (recorded)" if line.recorded else ""
            parts = f" {self.status(line.status)} {request} {dim}", f" ms{content_type}{recorded}{end}"
            # A client chooses the path: only short ones are kept, so what is kept stays small.
            if len(line.path) <= REQUEST_PARTS_PATH_LIMIT:
                if len(self._request_parts) >= REQUEST_PARTS_KEPT:
                    self._request_parts.clear()
                self._request_parts[key] = parts
        return parts


def status_style(status: int) -> str:
    if status >= 500:
        return "bold red"
    if status >= 400:
        return "bold yellow"
    if status >= 300:
        return "bold cyan"
    return "bold green"


_LEVEL_STYLES = {logging.WARNING: "yellow", logging.ERROR: "red", logging.CRITICAL: "bold red"}


def render(item: logging.LogRecord | RequestLine, styles: Styles) -> str:
    """The terminal text of one item, without the final newline."""
    clock = styles.clock(item.created)
    if isinstance(item, RequestLine):
        head, tail = styles.request_parts(item)
        return f"{clock}{head}{item.duration * 1000:.1f}{tail}"
    route: str | None = getattr(item, "route", None)
    level_style = _LEVEL_STYLES.get(item.levelno, "")
    message = escape_controls(item.getMessage())
    if item.name == HANDLER_LOGGER.name or route is not None:
        tag = styles(escape_controls(f"[{route or '?'}]"), "magenta")
        text = f"{clock} {tag} {styles(message, level_style)}"
    else:
        text = f"{clock} {styles(message, level_style or 'bold')}"
    if item.exc_text:
        text += "\n" + styles(escape_controls(item.exc_text), "dim")
    return text


class LogPipeline:
    """The queue, its render thread and the handler that feeds it: `start()` before serving, `stop()` after.

    `show_requests=False` (`--no-logs`) drops request lines; handler output and warnings still show.
    """

    def __init__(self, console: Console, show_requests: bool = True) -> None:
        self._file = console.file  # the real stream, before handler output capture replaces sys.stdout
        self._styles = Styles(console)
        self._items: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._handler = QueueLogHandler(self._items)
        self._saved: dict[str, tuple[int, bool]] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._drain, name="pyserverless-log", daemon=True)
        self.log_request = self._items.put if show_requests else _drop

    def start(self) -> None:
        """Route the server's loggers to the queue and start rendering."""
        for name, level in LOGGERS.items():
            logger = logging.getLogger(name)
            self._saved[name] = (logger.level, logger.propagate)
            logger.addHandler(self._handler)
            logger.setLevel(level)
            logger.propagate = False
        self._thread.start()

    def stop(self) -> None:
        """Detach from the loggers (as they were before), render what is still queued, and end the thread."""
        for name, (level, propagate) in self._saved.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self._handler)
            logger.setLevel(level)
            logger.propagate = propagate
        self._stopping.set()
        self._thread.join(timeout=5)

    def _drain(self) -> None:
        while not self._stopping.wait(FLUSH_INTERVAL):
            self._flush()
        self._flush()

    def _flush(self) -> None:
        while True:
            lines: list[str] = []
            try:
                while len(lines) < MAX_BATCH:
                    lines.append(render(self._items.get_nowait(), self._styles))
            except queue.Empty:
                pass
            if lines:
                self._file.write("\n".join(lines) + "\n")
                self._file.flush()
            if len(lines) < MAX_BATCH:
                return


def _drop(line: RequestLine) -> None:
    """`log_request` when request lines are off."""
