"""A reload worker's event-loop watchdog: a handler that blocks the loop for good is ended by a restart.

An async handler that never awaits (a busy loop, `time.sleep(600)`) holds the event loop: no other request is
served and no timer fires, so its execution limit cannot be enforced from inside the loop. `watch_event_loop`
runs in a daemon thread of the worker: once its `LocalServer` serves, it asks the loop every PULSE seconds to
note the time. When the last note is older than the execution limit plus GRACE seconds, it logs why and ends
the process with BLOCKED_EXIT_CODE; the supervisor (`pyserverless.dev.supervisor`) restarts the worker, as for
any other death, and says so. Only reload workers run it: with --no-reload there is nobody to restart the
server.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyserverless.server.local_server import LocalServer

PULSE = 0.25
#: Seconds past the execution limit a blocked loop is given before the worker ends.
GRACE = 2.0
BLOCKED_EXIT_CODE = 70
#: Seconds the render thread of the log is given to show the reason before the process ends.
LOG_FLUSH = 0.3

logger = logging.getLogger("pyserverless.server")


def watch_event_loop(server: LocalServer, limit: float) -> None:
    """Watch the loop `server` runs on forever; end the process when it stays blocked (see above)."""
    while server.loop is None:
        time.sleep(PULSE)
    loop = server.loop
    last_pulse = [time.monotonic()]

    def pulse() -> None:
        last_pulse[0] = time.monotonic()

    while True:
        with suppress(RuntimeError):  # the loop closed: the worker is ending anyway
            loop.call_soon_threadsafe(pulse)
        time.sleep(PULSE)
        blocked = time.monotonic() - last_pulse[0]
        if blocked > limit + GRACE:
            logger.error(
                "The event loop has been blocked for %.0f s, past the execution limit of %g s: an async "
                "handler runs without awaiting (a loop, time.sleep). Restarting the server process.",
                blocked,
                limit,
            )
            time.sleep(LOG_FLUSH)
            os._exit(BLOCKED_EXIT_CODE)
