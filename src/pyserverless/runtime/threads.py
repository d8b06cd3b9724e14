"""The worker threads that run sync handlers: one thread takes the calls in turn, others join when one blocks.

`submit` appends the call to a deque. A thread that is awake takes calls off it one after another and sleeps
only when it is empty; `submit` wakes a sleeping thread (or starts one, up to the pool's size) only when no
awake thread can take the call soon: none is between two calls or in a call younger than `TAKEOVER`. So a
stream of quick calls costs one wake per burst rather than one per call (a wake is a futex call, and the
woken thread then fights the event loop for the GIL: measured, waking a thread per call cost about 15% of
the local server's requests per second). A call that blocks (a Twilio API request, a sleep) does not hold
up the calls queued behind it: a call submitted later wakes another thread, and a watchdog thread, which
looks every `TAKEOVER` while calls wait, wakes one for calls queued just before the call blocked. A call
waits at most about twice `TAKEOVER` for a thread while fewer than `size` are busy. A call that outlives its
execution limit keeps its thread until it returns.

`run_in_thread` gives the event loop a future of one call's result, with a limit (dispatch imports a function
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
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

Call = tuple[Callable[..., Any], tuple[Any, ...]]
T = TypeVar("T")

#: Seconds a call runs before the calls queued behind it are taken by another thread.
TAKEOVER = 0.005


class _Worker:
    """One thread's state: the latch that wakes it, and when its current call began (0.0 between calls)."""

    __slots__ = ("call_started", "wake")

    def __init__(self) -> None:
        self.wake = threading.Lock()
        self.wake.acquire()
        self.call_started = 0.0


class HandlerThreads:
    """Up to `size` daemon threads running submitted calls in order of arrival (see the module docstring)."""

    def __init__(self, size: int, name: str = "pyserverless-handler") -> None:
        self._size = size
        self._name = name
        self._calls: deque[Call] = deque()
        self._lock = threading.Lock()
        self._awake: list[_Worker] = []
        self._asleep: list[_Worker] = []
        self._threads = 0
        self._closing = False
        #: Set while calls wait for an awake thread: the watchdog looks every TAKEOVER.
        self._waiting = threading.Event()
        self._watchdog: threading.Thread | None = None
        #: The limits of the calls in flight, for the event loop that submitted last.
        self.limits: _Limits | None = None

    def submit(self, function: Callable[..., Any], *arguments: Any) -> None:
        """Run `function(*arguments)` on a worker thread; it must not raise (it is the caller's wrapper)."""
        with self._lock:
            self._calls.append((function, arguments))
            if not self._taker(time.monotonic()):
                self._wake_one()
            elif not self._waiting.is_set():
                self._waiting.set()
                if self._watchdog is None:
                    self._watchdog = threading.Thread(
                        target=self._watch, name=f"{self._name}-watchdog", daemon=True
                    )
                    self._watchdog.start()

    def shutdown(self) -> None:
        """Let every thread end once the calls queued before this one are done."""
        with self._lock:
            self._closing = True
            while self._asleep:
                self._wake_one()
        self._waiting.set()

    def _taker(self, now: float) -> bool:
        """Whether an awake thread will take the next call soon: it is between calls, or in a young one."""
        young = now - TAKEOVER
        return any(worker.call_started > young or not worker.call_started for worker in self._awake)

    def _wake_one(self) -> None:
        """Wake a sleeping thread, or start one when none sleeps and the pool is not full (under the lock)."""
        if self._asleep:
            worker = self._asleep.pop()
            self._awake.append(worker)
            worker.wake.release()
        elif self._threads < self._size:
            self._threads += 1
            worker = _Worker()
            self._awake.append(worker)
            threading.Thread(
                target=self._work, args=(worker,), name=f"{self._name}-{self._threads}", daemon=True
            ).start()

    def _work(self, worker: _Worker) -> None:
        calls = self._calls
        while True:
            try:
                function, arguments = calls.popleft()  # atomic: no lock while calls keep coming
            except IndexError:
                with self._lock:
                    if calls:  # one came in meanwhile
                        continue
                    self._awake.remove(worker)
                    if self._closing:
                        return
                    self._asleep.append(worker)
                worker.wake.acquire()
                continue
            worker.call_started = time.monotonic()
            function(*arguments)
            worker.call_started = 0.0

    def _watch(self) -> None:
        """While calls wait, every TAKEOVER: wake a thread for them when each awake one is in an old call."""
        while True:
            self._waiting.wait()
            time.sleep(TAKEOVER)
            with self._lock:
                if self._closing:
                    return
                if not self._calls:
                    self._waiting.clear()
                elif not self._taker(time.monotonic()):
                    self._wake_one()


def run_in_thread(
    threads: HandlerThreads, function: Callable[..., T], *arguments: Any, timeout: float
) -> asyncio.Future[T]:
    """`function(*arguments)` run on one of `threads` (in the caller's context): a future of its result or its
    exception, awaited from the event loop (a future, not a coroutine: one frame less to resume per call).

    The future raises `TimeoutError` past `timeout` seconds (the call itself runs on until it returns).
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()
    limits = threads.limits
    if limits is None or limits.loop is not loop:
        limits = threads.limits = _Limits(loop)
    limits.watch(done, timeout)
    threads.submit(contextvars.copy_context().run, _call, loop, done, function, arguments)
    return done


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
