from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import cli_process
from tests.support.ports import free_port
from tests.support.server_process import copy_project

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
    return free_port()


@pytest.fixture
def run_cli() -> RunCli:
    """`run_cli(project, "sms", "/state", "hi")`: the installed `pyserverless` run in the project folder (see
    tests.support.cli_process: no terminal on stdin unless `input` is given)."""

    def run(project: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return cli_process.run_cli(*args, cwd=project, input=input)

    return run
