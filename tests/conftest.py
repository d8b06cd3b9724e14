"""The suite's guard: no process a test started outlives the run, however the run was started.

How it works: on Linux pytest makes itself a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`), so a process a
test orphaned (an ngrok agent whose parent was killed, a worker whose server died) is re-parented to pytest
instead of init and can be found. At the end of the session every descendant still running, given a few
seconds to finish exiting, is killed and named, and the run fails: the helper that let it escape must stop it
(`tests.support.processes.stop_process_group`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from contextlib import suppress
from pathlib import Path

import pytest

from tests.support.processes import alive, children_of, wait_gone

PR_SET_CHILD_SUBREAPER = 36
#: Helpers the interpreter itself keeps until it exits: multiprocessing's resource tracker.
INTERPRETER_HELPERS = ("multiprocessing.resource_tracker",)


def pytest_sessionstart(session: pytest.Session) -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if sys.platform != "linux":
        return
    running = {pid for pid in children_of(os.getpid()) if alive(pid) and not _interpreter_helper(pid)}
    left = wait_gone(running, timeout=5)
    if not left:
        return
    described = [f"  {pid}: {_command_line(pid)}" for pid in sorted(left)]
    for pid in left:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
        reporter.write_sep("=", "processes the tests left running (now killed)", red=True)
        for line in described:
            reporter.write_line(line, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "(gone)"


def _interpreter_helper(pid: int) -> bool:
    return any(helper in _command_line(pid) for helper in INTERPRETER_HELPERS)
