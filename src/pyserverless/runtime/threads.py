"""The worker threads that run sync handlers: a plain queue and a pool that grows on demand.

`submit` puts the call on a `queue.SimpleQueue` and starts one more daemon thread when every thread is busy
and the pool is below its size; each thread takes calls off the queue forever. This is the lean hand-off the
request path needs (cheaper per call than `concurrent.futures.ThreadPoolExecutor`, which builds a future per
call that nobody here reads). A call that outlives its execution limit keeps its thread until it returns.
`run_in_thread` awaits one call's result from the event loop, with a limit (dispatch imports a function
file with it, `on_loop.invoke` runs a sync handler with it).

The limits of the calls an event loop has in flight share one timer (`_Limits`), armed for the earliest
deadline still running: a timer per call (`call_later`, then `cancel`) cost uvloop about 1.6 µs, a third
of the hand-off. Every call of a dispatcher has the same limit, so deadlines arrive in order and wait in a
deque, whose finished head is dropped as calls are added (while a long call heads it, the calls behind it
stay queued until it ends or expires); a call whose limit is shorter than that of one queued before it gets
a timer of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

Call = tuple[Callable[..., Any], tuple[Any, ...]]
T = TypeVar("T")


class HandlerThreads:
    """Up to `size` daemon threads running submitted calls in order of arrival."""

    def __init__(self, size: int, name: str = "pyserverless-handler") -> None:
        self._size = size
        self._name = name
        self._calls: queue.SimpleQueue[Call | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        #: The limits of the calls in flight, for the event loop that submitted last.
        self.limits: _Limits | None = None

    def submit(self, function: Callable[..., Any], *arguments: Any) -> None:
        """Run `function(*arguments)` on a worker thread; it must not raise (it is the caller's wrapper)."""
        with self._lock:
            if self._idle == 0 and self._threads < self._size:
                self._threads += 1
                self._idle += 1
                threading.Thread(target=self._work, name=f"{self._name}-{self._threads}", daemon=True).start()
            self._idle -= 1
        self._calls.put((function, arguments))

    def shutdown(self) -> None:
        """Let every thread end once the calls queued before this one are done."""
        with self._lock:
            count = self._threads
        for _ in range(count):
            self._calls.put(None)

    def _work(self) -> None:
        while True:
            call = self._calls.get()
            if call is None:
                return
            function, arguments = call
            function(*arguments)
            with self._lock:
                self._idle += 1


async def run_in_thread(
    threads: HandlerThreads, function: Callable[..., T], *arguments: Any, timeout: float
) -> T:
    """`function(*arguments)` run on one of `threads` (in the caller's context); its result or its exception.

    Raises `TimeoutError` past `timeout` seconds (the call itself runs on until it returns).
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()
    limits = threads.limits
    if limits is None or limits.loop is not loop:
        limits = threads.limits = _Limits(loop)
    limits.watch(done, timeout)
    threads.submit(contextvars.copy_context().run, _call, loop, done, function, arguments)
    return await done


class _Limits:
    """The execution limits of one event loop's calls in flight: one timer, armed for the earliest deadline
    still running (see the module docstring)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._deadlines: deque[tuple[float, asyncio.Future[Any], float]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    def watch(self, done: asyncio.Future[Any], timeout: float) -> None:
        """Settle `done` with a `TimeoutError` `timeout` seconds from now, unless it is done by then."""
        deadline = self.loop.time() + timeout
        deadlines = self._deadlines
        while deadlines and deadlines[0][1].done():
            deadlines.popleft()
        if deadlines and deadline < deadlines[-1][0]:
            timer = self.loop.call_at(deadline, _expire, done, timeout)
            done.add_done_callback(lambda _: timer.cancel())
            return
        deadlines.append((deadline, done, timeout))
        if self._timer is None:
            self._timer = self.loop.call_at(deadline, self._expire_due)

    def _expire_due(self) -> None:
        self._timer = None
        # The loop's timers have millisecond resolution: a deadline within it is due now.
        due = self.loop.time() + 0.001
        deadlines = self._deadlines
        while deadlines:
            deadline, done, timeout = deadlines[0]
            if deadline > due and not done.done():
                self._timer = self.loop.call_at(deadline, self._expire_due)
                return
            deadlines.popleft()
            _expire(done, timeout)


def _call(
    loop: asyncio.AbstractEventLoop,
    done: asyncio.Future[T],
    function: Callable[..., T],
    arguments: tuple[Any, ...],
) -> None:
    try:
        value = function(*arguments)
    except BaseException as error:  # delivered to the awaiting coroutine, which decides
        _deliver(loop, done, None, error)
    else:
        _deliver(loop, done, value, None)


def _deliver(
    loop: asyncio.AbstractEventLoop, done: asyncio.Future[T], value: T | None, error: BaseException | None
) -> None:
    # A call abandoned at its limit may end after its event loop closed.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_settle, done, value, error)


def _expire(done: asyncio.Future[Any], timeout: float) -> None:
    _settle(done, None, TimeoutError(f"no answer within {timeout:g} s"))


def _settle(done: asyncio.Future[T], value: T | None, error: BaseException | None) -> None:
    if done.done():
        return
    if error is not None:
        done.set_exception(error)
    else:
        done.set_result(value)  # type: ignore[arg-type]
