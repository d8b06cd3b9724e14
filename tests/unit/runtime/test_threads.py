"""`HandlerThreads`: calls run on at most `size` threads, the rest wait their turn."""

from __future__ import annotations

import threading

from pyserverless.runtime.threads import HandlerThreads


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
