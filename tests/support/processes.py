"""Which processes a process started, read from Linux's /proc, and ending all of them: none outlives a test.

    process = subprocess.Popen([...], start_new_session=True)
    try:
        ...
    finally:
        stop_process_group(process)          # Ctrl-C, then SIGKILL to whatever it left behind

`ignoring_sigint(command)` runs a command the way a shell job started with `&` or `nohup` runs: with SIGINT
ignored from the start, which every child inherits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import suppress
from pathlib import Path
from typing import Any


def _stats() -> dict[int, list[str]]:
    """The fields of /proc/PID/stat after the command name, for every process: [state, ppid, pgrp, ...]."""
    stats: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError):
            stats[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
    return stats


def group_members(pgid: int) -> set[int]:
    """Every living process of the process group `pgid`."""
    return {pid for pid, fields in _stats().items() if fields[0] != "Z" and int(fields[2]) == pgid}


def stop_process_group(
    process: subprocess.Popen[Any], signum: int | None = signal.SIGINT, timeout: float = 10
) -> int:
    """End `process`, started with `start_new_session=True`, and every process it started; its exit code.

    `signum` first (None: none) and up to `timeout` seconds to exit on its own; then SIGKILL to whatever is
    left of its process group (an ngrok agent, a shell's child) and of its descendants that made groups of
    their own (reload workers end with their parent; past `timeout` they are killed too).
    """
    family = children_of(process.pid) if process.poll() is None else set()
    if signum is not None and process.poll() is None:
        process.send_signal(signum)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
    if group_members(process.pid):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    returncode = process.wait(timeout=10)
    for pid in wait_gone(family, timeout):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return returncode


def ignoring_sigint(command: list[str]) -> list[str]:
    """`command` run with SIGINT ignored, as `nohup` or a shell's `&` start it (`trap '' INT`, then exec)."""
    return ["sh", "-c", 'trap "" INT; exec "$@"', "sh", *command]


def children_of(pid: int) -> set[int]:
    """Every living descendant of `pid` (children, their children, ...)."""
    parents = {child: int(fields[1]) for child, fields in _stats().items()}
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: set[int], timeout: float = 10) -> set[int]:
    """Wait until every process of `pids` has ended; the ones still running after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return {pid for pid in pids if alive(pid)}
