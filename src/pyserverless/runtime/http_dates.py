"""HTTP dates (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), written and read without locales.

Kept to the one format servers send and clients echo back in `If-Modified-Since`, so the runtime does not load
the `email` package for it (every import counts at a Lambda cold start).
"""

from __future__ import annotations

import calendar
import time

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_http_date(timestamp: float) -> str:
    """Seconds since the epoch -> `Sun, 06 Nov 1994 08:49:37 GMT`."""
    t = time.gmtime(timestamp)
    return (
        f"{DAYS[t.tm_wday]}, {t.tm_mday:02d} {MONTHS[t.tm_mon - 1]} {t.tm_year:04d} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT"
    )


def parse_http_date(text: str) -> int | None:
    """`Sun, 06 Nov 1994 08:49:37 GMT` -> seconds since the epoch; None for anything else."""
    parts = text.strip().split(" ")
    if len(parts) != 6 or parts[5] != "GMT" or parts[2] not in MONTHS:
        return None
    day, year, clock = parts[1], parts[3], parts[4].split(":")
    if len(clock) != 3 or not all(part.isdigit() for part in (day, year, *clock)):
        return None
    try:
        moment = (
            int(year),
            MONTHS.index(parts[2]) + 1,
            int(day),
            int(clock[0]),
            int(clock[1]),
            int(clock[2]),
        )
        if not (1 <= moment[2] <= 31 and moment[3] < 24 and moment[4] < 60 and moment[5] < 61):
            return None
        return calendar.timegm((*moment, 0, 0, 0))
    except (OverflowError, ValueError):
        return None
