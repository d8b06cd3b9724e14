"""SIGINT and SIGTERM handlers installed for a block and put back after it: the one place where pyserverless
changes how a signal is handled.

`handling_signals(handler)` installs `handler` for the stop signals (or the ones named) when the block starts
and restores the previous handlers when it ends, however it ends. Python only lets the main thread install
handlers, and only runs them there, so off the main thread (a server run from a test's thread) it changes
nothing. `StopSignal` turns the stop signals into a flag to wait on; `raise_keyboard_interrupt` makes SIGTERM
end a command the way Ctrl-C does.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

#: What `signal.signal` accepts: a function of (signal number, frame), or SIG_IGN / SIG_DFL.
Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def handling_signals(handler: Handler, signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Handle `signals` with `handler` inside the block (main thread only), then put the old handlers back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in signals}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def raise_keyboard_interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    """A handler that ends what runs as Ctrl-C does (for SIGTERM)."""
    raise KeyboardInterrupt


class StopSignal:
    """Ctrl-C (SIGINT) and SIGTERM as a flag to wait on, instead of an exception at a random point."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._handlers = handling_signals(lambda signum, frame: self._event.set())

    def __enter__(self) -> StopSignal:
        self._handlers.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._handlers.__exit__(None, None, None)

    def wait(self) -> None:
        self._event.wait()
