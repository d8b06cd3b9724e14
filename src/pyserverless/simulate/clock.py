"""Clocks for the simulator: the system clock, and a manual one tests move forward by hand.

Cookie lifetimes are measured in seconds since the epoch read from a clock, so a test can check that a
cookie expires after four hours without waiting four hours."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the time, in seconds since the epoch."""

    def now(self) -> float: ...


class SystemClock:
    """The real time."""

    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that stands still until `advance` (or `set`) moves it."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start

    def now(self) -> float:
        return self._now

    def set(self, timestamp: float) -> None:
        self._now = timestamp

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> float:
        """Move forward by the sum of the amounts given; returns the new time."""
        self._now += seconds + 60 * minutes + 3600 * hours + 86400 * days
        return self._now
