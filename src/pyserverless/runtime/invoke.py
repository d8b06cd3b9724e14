"""Run one handler call to its outcome: a result, an error, no result at all, or the execution limit.

A `Handler` is made once per loaded function: whether it is `async` and whether it takes a `callback`. A
call settles a future exactly once, with whatever comes first: the callback (from any thread), the handler
returning, or the handler raising. Sync handlers run in a worker thread (in a copy of the caller's context, so
output capture and `Runtime` follow them); async handlers run as a task on the event loop. Past the limit the
call is abandoned (a thread cannot be killed; its late callback is ignored) and the outcome is a timeout. A
second callback is ignored with a warning, as on Twilio.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Literal

RUNTIME_LOGGER = logging.getLogger("pyserverless.runtime")

OutcomeKind = Literal["result", "error", "no_result", "timeout"]


@dataclass(frozen=True)
class Outcome:
    """How a call ended: `value` is the payload ("result") or the error ("error")."""

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
    """The first of callback / return / raise, delivered to an event-loop future from any thread.

    Made on the event loop's thread.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, route: str) -> None:
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._route = route
        self.future: asyncio.Future[Outcome] = loop.create_future()
        self._lock = threading.Lock()
        self._called_back = False

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
        self.settle(Outcome("error", error) if error is not None else Outcome("result", payload))

    def returned(self, value: Any) -> None:
        self.settle(Outcome("no_result") if value is None else Outcome("result", value))

    def raised(self, error: BaseException) -> None:
        self.settle(Outcome("error", error))

    def settle(self, outcome: Outcome) -> None:
        if threading.get_ident() == self._loop_thread:
            self._set(outcome)
        else:
            self._loop.call_soon_threadsafe(self._set, outcome)

    def _set(self, outcome: Outcome) -> None:
        if not self.future.done():
            self.future.set_result(outcome)
        elif outcome.kind == "error" and isinstance(outcome.value, BaseException):
            RUNTIME_LOGGER.warning(
                "%s raised %r after its result was sent.",
                self._route,
                outcome.value,
                extra={"route": self._route},
            )


_background: set[asyncio.Task[None]] = set()


async def invoke(
    handler: Handler, context: Any, event: dict[str, Any], *, route: str, timeout: float, executor: Executor
) -> Outcome:
    """Call `handler` and wait (at most `timeout` seconds) for its outcome."""
    loop = asyncio.get_running_loop()
    settlement = _Settlement(loop, route)
    arguments = (context, event, settlement.callback) if handler.takes_callback else (context, event)
    if handler.is_async:
        task = loop.create_task(_run_async(handler.function, arguments, settlement))
        _background.add(task)
        task.add_done_callback(_background.discard)
    else:
        call = contextvars.copy_context().run
        executor.submit(call, _run_sync, handler.function, arguments, settlement)
        task = None
    try:
        return await asyncio.wait_for(settlement.future, timeout)
    except asyncio.TimeoutError:
        if task is not None:
            task.cancel()
        RUNTIME_LOGGER.error(
            "%s did not finish within the execution limit of %g s; answered 504.",
            route,
            timeout,
            extra={"route": route},
        )
        return Outcome("timeout")


def _run_sync(function: Callable[..., Any], arguments: tuple[Any, ...], settlement: _Settlement) -> None:
    try:
        value = function(*arguments)
    except (Exception, SystemExit) as error:  # a handler calling sys.exit() must not stop the server
        settlement.raised(error)
    else:
        settlement.returned(value)


async def _run_async(
    function: Callable[..., Any], arguments: tuple[Any, ...], settlement: _Settlement
) -> None:
    try:
        value = await function(*arguments)
    except asyncio.CancelledError:
        raise
    except (Exception, SystemExit) as error:
        settlement.raised(error)
    else:
        settlement.returned(value)
