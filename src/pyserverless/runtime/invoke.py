"""Run one handler call to its outcome: a result, an error, no result at all, or the execution limit.

A `Handler` is made once per loaded function: whether it is `async` and whether it takes a `callback`. The
outcome of a call is whatever comes first: the callback (from any thread), the handler returning a result, or
the handler raising; the answer is sent when the handler has finished. A handler that takes a callback and
returns None without having called it may call it later (a timer, a thread, an asyncio task: the promise
shape of JavaScript), so the call waits for the callback until the limit, as Twilio does; at the limit the
outcome is "no_callback". Sync handlers run in a worker thread (in a copy of the caller's context, so output
capture and `Runtime` follow them), or, where one request at a time runs on the main thread (Lambda), on the
caller's thread with SIGALRM as their limit (`alarm`); async handlers are awaited on the event loop. Past
the limit the call is abandoned (a thread cannot be killed; an async handler is cancelled; a call on the
main thread is interrupted): the outcome is a timeout, unless the handler had called back already, whose
result is then sent.
An async handler that blocks the event loop cannot be cancelled: when it ends past the limit, it is a timeout.
A second callback is ignored with a warning, as on Twilio.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from pyserverless.runtime.alarm import ExecutionLimit, call_with_limit, on_main_thread
from pyserverless.runtime.threads import HandlerThreads, run_in_thread

RUNTIME_LOGGER = logging.getLogger("pyserverless.runtime")

OutcomeKind = Literal["result", "error", "no_result", "timeout", "no_callback"]


class Outcome(NamedTuple):
    """How a call ended: `value` is the payload ("result") or the error ("error"). (A named tuple: one is
    made per request, in a third of a frozen dataclass's time.)"""

    kind: OutcomeKind
    value: Any = None


class NotAHandler(TypeError):
    """A function file's `handler` is missing or not callable."""


@dataclass(frozen=True)
class Handler:
    """A function file's `handler`, with how to call it."""

    function: Callable[..., Any]
    is_async: bool
    takes_callback: bool

    @classmethod
    def of(cls, module: Any, source: str) -> Handler:
        function = getattr(module, "handler", None)
        if function is None or not callable(function):
            raise NotAHandler(
                f"{source} defines no handler: add `def handler(context, event, callback):` "
                "(or `def handler(context, event)` returning the result)."
            )
        return cls(
            function=function,
            is_async=inspect.iscoroutinefunction(function),
            takes_callback=_takes_three(function),
        )


def _takes_three(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = 0
    for parameter in parameters:
        if parameter.kind is parameter.VAR_POSITIONAL:
            return True
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional += 1
    return positional >= 3


class _Settlement:
    """The outcome of one call: the first of callback / return / raise, recorded from any thread.

    A caller waiting for a callback that comes after the handler returned takes a `waiter`, resolved on its
    event loop when the outcome is recorded; without a waiter (a handler that called back before returning,
    the usual case) recording the outcome wakes nothing.
    """

    def __init__(self, route: str, awaits_callback: bool) -> None:
        self._route = route
        self._awaits_callback = awaits_callback
        self._lock = threading.Lock()
        self._called_back = False
        self.outcome: Outcome | None = None
        self._loop = asyncio.get_running_loop()
        self._waiter: asyncio.Future[None] | None = None

    def waiter(self) -> asyncio.Future[None]:
        """A future of the caller's event loop, resolved once an outcome is recorded (at once if it is)."""
        waiter = self._loop.create_future()
        with self._lock:
            if self.outcome is None:
                self._waiter = waiter
                return waiter
        waiter.set_result(None)
        return waiter

    def callback(self, error: Any = None, payload: Any = None) -> None:
        with self._lock:
            if self._called_back:
                RUNTIME_LOGGER.warning(
                    "%s called callback more than once; the first result was sent, later ones are ignored.",
                    self._route,
                    extra={"route": self._route},
                )
                return
            self._called_back = True
        self._record(Outcome("error", error) if error is not None else Outcome("result", payload))

    def returned(self, value: Any) -> None:
        if value is not None:
            self._record(Outcome("result", value))
        elif not self._awaits_callback:
            self._record(Outcome("no_result"))

    def raised(self, error: BaseException) -> None:
        self._record(Outcome("error", error))

    def _record(self, outcome: Outcome) -> None:
        with self._lock:
            first = self.outcome is None
            if first:
                self.outcome = outcome
            waiter, self._waiter = self._waiter, None
        if waiter is not None:
            # A callback may come after the call was abandoned and its event loop closed.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(_resolve, waiter)
        if not first and outcome.kind == "error" and isinstance(outcome.value, BaseException):
            RUNTIME_LOGGER.warning(
                "%s raised %r after calling back; the callback's result was sent.",
                self._route,
                outcome.value,
                extra={"route": self._route},
            )


async def invoke(
    handler: Handler,
    context: Any,
    event: dict[str, Any],
    *,
    route: str,
    timeout: float,
    threads: HandlerThreads,
    sync_on_caller: bool = False,
) -> Outcome:
    """Call `handler`, wait (at most `timeout` seconds) for it to finish, and return its outcome.

    `sync_on_caller` runs a sync handler on the calling thread when it is the main thread (see `alarm`)."""
    settlement = _Settlement(route, awaits_callback=handler.takes_callback)
    arguments = (context, event, settlement.callback) if handler.takes_callback else (context, event)
    deadline = time.monotonic() + timeout
    if handler.is_async:
        try:
            await asyncio.wait_for(_run_async(handler.function, arguments, settlement), timeout)
            finished = True
        except asyncio.TimeoutError:
            finished = False
        if finished and time.monotonic() > deadline:  # it blocked the event loop: no timer could fire
            RUNTIME_LOGGER.error(
                "%s blocked the event loop past the execution limit of %g s (nothing else was served "
                "meanwhile); answered 504. Await instead: asyncio.sleep, asyncio.to_thread(blocking_call).",
                route,
                timeout,
                extra={"route": route},
            )
            return Outcome("timeout")
    elif sync_on_caller and on_main_thread():
        finished = call_with_limit(_run_sync, handler.function, arguments, settlement, timeout=timeout)
    else:
        try:
            await run_in_thread(threads, _run_sync, handler.function, arguments, settlement, timeout=timeout)
            finished = True
        except TimeoutError:
            finished = False
    if finished:
        return settlement.outcome or await _callback_before(deadline, settlement, route, timeout)
    if settlement.outcome is not None:
        RUNTIME_LOGGER.warning(
            "%s kept running past the execution limit of %g s after calling back; its result was sent.",
            route,
            timeout,
            extra={"route": route},
        )
        return settlement.outcome
    RUNTIME_LOGGER.error(
        "%s did not finish within the execution limit of %g s; answered 504.",
        route,
        timeout,
        extra={"route": route},
    )
    return Outcome("timeout")


async def _callback_before(deadline: float, settlement: _Settlement, route: str, timeout: float) -> Outcome:
    """The outcome of a handler that returned without calling back: its callback, if it comes in time."""
    await asyncio.wait([settlement.waiter()], timeout=max(0.0, deadline - time.monotonic()))
    if settlement.outcome is not None:
        return settlement.outcome
    RUNTIME_LOGGER.error(
        "%s returned without calling back, and no callback came within the execution limit of %g s; "
        "answered 504.",
        route,
        timeout,
        extra={"route": route},
    )
    return Outcome("no_callback")


def _resolve(settled: asyncio.Future[None]) -> None:
    if not settled.done():
        settled.set_result(None)


def _run_sync(function: Callable[..., Any], arguments: tuple[Any, ...], settlement: _Settlement) -> None:
    try:
        settlement.returned(function(*arguments))
    except ExecutionLimit:
        raise
    except BaseException as error:  # sys.exit() and KeyboardInterrupt too: answer, never stop the server
        settlement.raised(error)


async def _run_async(
    function: Callable[..., Any], arguments: tuple[Any, ...], settlement: _Settlement
) -> None:
    try:
        settlement.returned(await function(*arguments))
    except (Exception, SystemExit) as error:
        settlement.raised(error)
