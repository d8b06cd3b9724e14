from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.server_process import child_env, copy_project

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def counter_project(tmp_path: Path) -> Path:
    return copy_project("simulate-counter", tmp_path)


@pytest.fixture
def ivr_project(tmp_path: Path) -> Path:
    return copy_project("simulate-ivr", tmp_path)


@pytest.fixture
def idle_port() -> int:
    """A loopback port nothing listens on, so the CLI finds no dev server and runs the project in-process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def run_cli() -> RunCli:
    """`run_cli(project, "sms", "/state", "hi")`: `pyserverless ...` run in the project folder, with
    `input` (default: nothing) as its stdin, so no prompt ever waits for a terminal."""

    def run(project: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pyserverless", *args],
            cwd=project,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(),
            check=False,
        )

    return run
