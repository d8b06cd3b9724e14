"""A sync call on the main thread, stopped at its execution limit by SIGALRM (Lambda: one request at a time).

`call_with_limit(function, *arguments, timeout=s)` arms a one-shot `ITIMER_REAL` timer; when it fires while
the call runs, the SIGALRM handler raises `ExecutionLimit` in the main thread, which ends the call there (a
`BaseException`, so a handler's `except Exception` does not swallow it). The timer is disarmed however the
call ends. The handler is installed by the first call and left in place (a Lambda process is the runtime's
own; swapping it in and out cost about 4 µs per call, a check costs one `getsignal`): between calls it does
nothing, so a stray SIGALRM no longer ends the process. Only the main thread receives signals:
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


class _Limit:
    """Whether a limited call is running: what the SIGALRM handler reads (set and read on the main thread)."""

    running = False


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def call_with_limit(function: Callable[..., Any], *arguments: Any, timeout: float) -> bool:
    """Run `function(*arguments)`: True when it returned, False when the limit stopped it."""
    if signal.getsignal(signal.SIGALRM) is not _expire:
        signal.signal(signal.SIGALRM, _expire)
    _Limit.running = True
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        function(*arguments)
    except ExecutionLimit:
        return False
    finally:
        _Limit.running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
    return True


def _expire(signum: int, frame: FrameType | None) -> None:
    if _Limit.running:
        raise ExecutionLimit
