"""`HandlerThreads`: calls run on at most `size` threads, the rest wait their turn, and a call that blocks
never holds up the calls queued behind it; `run_in_thread`: each call's result, or a `TimeoutError` at its
limit."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from pyserverless.runtime.threads import HandlerThreads, run_in_thread


def test_calls_beyond_the_pool_size_wait_for_a_free_thread() -> None:
    pool = HandlerThreads(2, name="test-pool")
    release = threading.Event()
    changed = threading.Condition()
    started: list[tuple[str, str]] = []
    finished: list[str] = []

    def blocked(label: str) -> None:
        with changed:
            started.append((label, threading.current_thread().name))
            changed.notify_all()
        release.wait(timeout=30)
        with changed:
            finished.append(label)
            changed.notify_all()

    for label in ("first", "second", "third"):
        pool.submit(blocked, label)
    with changed:
        assert changed.wait_for(lambda: len(started) == 2, timeout=30)
        assert sorted(label for label, _ in started) == ["first", "second"]
        assert sorted(name for _, name in started) == ["test-pool-1", "test-pool-2"]
    release.set()
    with changed:
        assert changed.wait_for(lambda: len(finished) == 3, timeout=30)
    assert started[2][0] == "third"
    assert started[2][1] in ("test-pool-1", "test-pool-2")
    pool.shutdown()


def test_calls_queued_behind_a_blocking_call_run_on_another_thread_meanwhile() -> None:
    """The calls are submitted at once, so the thread that takes the first one would take the others after
    it: the watchdog hands them to another thread while the first call blocks."""
    pool = HandlerThreads(4, name="takeover-pool")
    release = threading.Event()
    done: dict[str, str] = {}
    changed = threading.Condition()

    def record(label: str) -> None:
        with changed:
            done[label] = threading.current_thread().name
            changed.notify_all()

    def blocking(label: str) -> None:
        release.wait(timeout=30)
        record(label)

    pool.submit(blocking, "blocking")
    pool.submit(record, "queued 1")
    pool.submit(record, "queued 2")
    try:
        with changed:
            assert changed.wait_for(lambda: len(done) == 2, timeout=30)
        assert sorted(done) == ["queued 1", "queued 2"]
        assert not release.is_set()
    finally:
        release.set()
    with changed:
        assert changed.wait_for(lambda: len(done) == 3, timeout=30)
    assert done["blocking"] == "takeover-pool-1"
    assert done["queued 1"] != "takeover-pool-1"
    pool.shutdown()


def test_each_call_gets_its_result_or_its_limit_whatever_the_order_of_the_limits() -> None:
    """The calls of one event loop share one timer: a call behind a finished one still expires at its limit,
    and a shorter limit submitted after a longer one expires on its own, while the longer call runs on."""
    pool = HandlerThreads(8, name="limit-pool")
    short_expired = threading.Event()
    never = threading.Event()

    def quick(label: str) -> str:
        return label

    def blocked(label: str) -> str:
        never.wait(timeout=30)
        return label

    def until_the_short_limit_expired(label: str) -> str:
        return label if short_expired.wait(timeout=5) else f"{label}: the short limit had not expired"

    async def outcome(function: Callable[[str], str], label: str, timeout: float) -> str:
        try:
            return await run_in_thread(pool, function, label, timeout=timeout)
        except TimeoutError as error:
            if label == "short":
                short_expired.set()
            return f"{label}: {error}"

    async def calls() -> list[str]:
        return await asyncio.gather(
            outcome(quick, "quick", 0.1),
            outcome(blocked, "behind quick", 0.1),
            outcome(until_the_short_limit_expired, "long", 30),
            outcome(blocked, "short", 0.1),
        )

    try:
        assert asyncio.run(calls()) == [
            "quick",
            "behind quick: no answer within 0.1 s",
            "long",
            "short: no answer within 0.1 s",
        ]
    finally:
        never.set()
        pool.shutdown()
