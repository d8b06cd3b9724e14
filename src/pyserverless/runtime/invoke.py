"""Run one handler call to its outcome: a result, an error, no result at all, or the execution limit.

A `Handler` is made once per loaded function: whether it is `async` and whether it takes a `callback`. The
outcome of a call is whatever comes first: the callback (from any thread), the handler returning a result, or
the handler raising; the answer is sent when the handler has finished. A handler that takes a callback and
returns None without having called it may call it later (a timer, a thread, an asyncio task: the promise
shape of JavaScript), so the call waits for the callback until the limit, as Twilio does; at the limit the
outcome is "no_callback". A `Settlement` records that outcome from any thread and tells a waiting host.

Where a call runs is the host's choice. `invoke_on_caller` (here) runs a sync handler on the calling main
thread with SIGALRM as its limit (`alarm`): Lambda, one request at a time, no event loop. `on_loop.invoke`
runs a call from an event loop: a sync handler on a worker thread, an async one awaited. Past the limit the
call is abandoned (a thread cannot be killed; an async handler is cancelled; a call on the main thread is
interrupted): the outcome is a timeout, unless the handler had called back already, whose result is then sent.
A second callback is ignored with a warning, as on Twilio.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from pyserverless.runtime.alarm import ExecutionLimit, call_with_limit

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

    def arguments(self, context: Any, event: dict[str, Any], settlement: Settlement) -> tuple[Any, ...]:
        """What the handler is called with: `(context, event, callback)` or `(context, event)`."""
        return (context, event, settlement.callback) if self.takes_callback else (context, event)


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


class Settlement:
    """The outcome of one call: the first of callback / return / raise, recorded from any thread.

    A host that waits for a callback coming after the handler returned asks to be told (`when_settled`);
    in the usual case, a handler that called back before returning, recording the outcome wakes nothing.
    """

    def __init__(self, route: str, awaits_callback: bool) -> None:
        self._route = route
        self._awaits_callback = awaits_callback
        self._lock = threading.Lock()
        self._called_back = False
        self._notify: Callable[[], None] | None = None
        self.outcome: Outcome | None = None

    def when_settled(self, notify: Callable[[], None]) -> None:
        """Call `notify` once an outcome is recorded: now if it is, else from the thread that records it."""
        with self._lock:
            if self.outcome is None:
                self._notify = notify
                return
        notify()

    def callback(self, error: Any = None, payload: Any = None) -> None:
        outcome = Outcome("error", error) if error is not None else Outcome("result", payload)
        if not self._record(outcome, from_callback=True):
            RUNTIME_LOGGER.warning(
                "%s called callback more than once; the first result was sent, later ones are ignored.",
                self._route,
                extra={"route": self._route},
            )

    def returned(self, value: Any) -> None:
        if value is not None:
            self._record(Outcome("result", value))
        elif not self._awaits_callback:
            self._record(Outcome("no_result"))

    def raised(self, error: BaseException) -> None:
        self._record(Outcome("error", error))

    def _record(self, outcome: Outcome, from_callback: bool = False) -> bool:
        """Keep `outcome` if it is the first; False for a second callback, which is ignored. (A callback
        is checked and recorded under one lock, not one lock each: a call that calls back, from `Settlement`
        to its return, 1.4 -> 1.2 µs.)"""
        with self._lock:
            if from_callback:
                if self._called_back:
                    return False
                self._called_back = True
            first = self.outcome is None
            if first:
                self.outcome = outcome
                notify, self._notify = self._notify, None
        if first:
            if notify is not None:
                notify()
        elif outcome.kind == "error" and isinstance(outcome.value, BaseException):
            RUNTIME_LOGGER.warning(
                "%s raised %r after calling back; the callback's result was sent.",
                self._route,
                outcome.value,
                extra={"route": self._route},
            )
        return True


def invoke_on_caller(
    handler: Handler, context: Any, event: dict[str, Any], *, route: str, timeout: float
) -> Outcome:
    """Run a sync `handler` on this thread, the main one, and return its outcome (see `alarm`)."""
    settlement = Settlement(route, handler.takes_callback)
    deadline = time.monotonic() + timeout
    arguments = handler.arguments(context, event, settlement)
    finished = call_with_limit(call_sync, handler.function, arguments, settlement, timeout=timeout)
    outcome = conclusion(finished, settlement, route, timeout)
    if outcome is None:
        settled = threading.Lock()  # a one-shot latch, released when the callback comes
        settled.acquire()
        settlement.when_settled(settled.release)
        settled.acquire(timeout=max(0.0, deadline - time.monotonic()))
        outcome = settlement.outcome or no_callback(route, timeout)
    return outcome


def conclusion(finished: bool, settlement: Settlement, route: str, timeout: float) -> Outcome | None:
    """The outcome of a call that `finished` or was stopped at the limit; None when it returned without
    calling back, so the host waits for the callback until the limit (then `no_callback`)."""
    if finished:
        return settlement.outcome
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


def no_callback(route: str, timeout: float) -> Outcome:
    """The outcome of a handler that returned without calling back, and whose callback never came."""
    RUNTIME_LOGGER.error(
        "%s returned without calling back, and no callback came within the execution limit of %g s; "
        "answered 504.",
        route,
        timeout,
        extra={"route": route},
    )
    return Outcome("no_callback")


def call_sync(function: Callable[..., Any], arguments: tuple[Any, ...], settlement: Settlement) -> None:
    """Call a sync handler and record how it ended (the limit's `ExecutionLimit` passes through)."""
    try:
        settlement.returned(function(*arguments))
    except ExecutionLimit:
        raise
    except BaseException as error:  # sys.exit() and KeyboardInterrupt too: answer, never stop the server
        settlement.raised(error)
