"""A sync call on the main thread, stopped at its execution limit by SIGALRM (Lambda: one request at a time).

`call_with_limit(function, *arguments, timeout=s)` arms a one-shot `ITIMER_REAL` timer; when it fires while
the call runs, the signal handler raises `ExecutionLimit` in the main thread, which ends the call there (a
`BaseException`, so a handler's `except Exception` does not swallow it). The timer is disarmed and the
previous SIGALRM handler put back however the call ends. Only the main thread receives signals:
`on_main_thread()` says whether this way is open; elsewhere a call runs on a worker thread
(`threads.run_in_thread`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


class ExecutionLimit(BaseException):
    """Raised into a call that outlived its execution limit."""


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def call_with_limit(function: Callable[..., Any], *arguments: Any, timeout: float) -> bool:
    """Run `function(*arguments)`: True when it returned, False when the limit stopped it."""
    running = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if running:
            raise ExecutionLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        function(*arguments)
    except ExecutionLimit:
        return False
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return True
