"""Running a handler from an event loop: the local server's way, and Lambda's for an async handler.

`invoke` runs a sync handler on one of the dispatcher's worker threads (`threads.run_in_thread`: in a copy of
the caller's context, so output capture and `Runtime` follow it; the loop's timer is its limit) and awaits an
async handler with `asyncio.wait_for`. A callback that comes after the handler returned resolves a future
the call then waits on, through `call_soon_threadsafe` since it may come from any thread. An async handler
that blocks the event loop cannot be cancelled: when it ends past the limit, it is a timeout.

Only this module and `threads` import asyncio: Lambda's sync path (`invoke.invoke_on_caller`) never loads it,
which keeps asyncio, ssl and subprocess out of a cold start.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from pyserverless.runtime.invoke import (
    RUNTIME_LOGGER,
    Handler,
    Outcome,
    Settlement,
    call_sync,
    conclusion,
    no_callback,
)
from pyserverless.runtime.threads import HandlerThreads, run_in_thread


async def invoke(
    handler: Handler,
    context: Any,
    event: dict[str, Any],
    *,
    route: str,
    timeout: float,
    threads: HandlerThreads,
) -> Outcome:
    """Call `handler`, wait (at most `timeout` seconds) for it to finish, and return its outcome."""
    settlement = Settlement(route, handler.takes_callback)
    arguments = handler.arguments(context, event, settlement)
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
    else:
        try:
            await run_in_thread(threads, call_sync, handler.function, arguments, settlement, timeout=timeout)
            finished = True
        except TimeoutError:
            finished = False
    outcome = conclusion(finished, settlement, route, timeout)
    if outcome is None:
        loop = asyncio.get_running_loop()
        settled: asyncio.Future[None] = loop.create_future()
        settlement.when_settled(lambda: _wake(loop, settled))
        await asyncio.wait([settled], timeout=max(0.0, deadline - time.monotonic()))
        outcome = settlement.outcome or no_callback(route, timeout)
    return outcome


def _wake(loop: asyncio.AbstractEventLoop, settled: asyncio.Future[None]) -> None:
    # A callback may come after the call was abandoned and its event loop closed.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(_resolve, settled)


def _resolve(settled: asyncio.Future[None]) -> None:
    if not settled.done():
        settled.set_result(None)


async def _run_async(
    function: Callable[..., Any], arguments: tuple[Any, ...], settlement: Settlement
) -> None:
    try:
        settlement.returned(await function(*arguments))
    except (Exception, SystemExit) as error:
        settlement.raised(error)
