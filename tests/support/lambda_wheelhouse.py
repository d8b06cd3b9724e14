"""A local folder of Lambda-platform wheels, so package builds in tests install dependencies without an index.
With `installer_on_path`, a test runs once with uv on PATH and once without, so deploy's dependency step goes
through each of its two installers.

    # in a conftest.py: from tests.support.lambda_wheelhouse import offline_pip, wheelhouse

    def test_x(offline_pip: dict[str, str]) -> None:   # sets PIP_NO_INDEX=1, PIP_FIND_LINKS=<wheelhouse>
        build_package(...)                              # pip installs twilio & co from the wheelhouse only
        subprocess.run([...], env={**os.environ, **offline_pip})   # the same for a child process

`wheelhouse` (session) downloads, once per machine and kept in pytest's cache folder (`.pytest_cache/d/`), the
wheels of the runtime's requirements (twilio and its dependencies) for the Lambda platforms the tests build
for: the default runtime on x86_64, and this interpreter's version on this machine's architecture (so an
unzipped package can run here). It is the only step that reaches the package index, bounded by a timeout;
every build in the tests is then offline (`PIP_NO_INDEX`), exactly as pip's own configuration would make it.
"""

from __future__ import annotations

import fcntl
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pyserverless.deploy.dependencies import RUNTIME_REQUIREMENTS
from pyserverless.deploy.target import LambdaTarget

DOWNLOAD_TIMEOUT_SECONDS = 300


def local_target() -> LambdaTarget:
    """The Lambda target whose wheels run on this interpreter and machine."""
    arch = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    return LambdaTarget(runtime=f"python{sys.version_info.major}.{sys.version_info.minor}", arch=arch)


def download_wheels(folder: Path, target: LambdaTarget) -> None:
    marker = folder / f".complete-{target.python_version}-{target.machine}"
    if marker.exists():
        return
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--disable-pip-version-check",
        "--dest",
        str(folder),
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        target.python_version,
        *[argument for tag in target.platform_tags() for argument in ("--platform", tag)],
        *RUNTIME_REQUIREMENTS,
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=DOWNLOAD_TIMEOUT_SECONDS)
    marker.touch()


@pytest.fixture(scope="session")
def wheelhouse(request: pytest.FixtureRequest) -> Path:
    folder = Path(request.config.cache.mkdir("lambda-wheelhouse"))
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test run on this machine may be downloading right now
        for target in (LambdaTarget(), local_target()):
            download_wheels(folder, target)
    return folder


@pytest.fixture
def offline_pip(wheelhouse: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    variables = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return variables


def real_uv() -> str:
    """The uv binary of the test environment (the test extra installs it)."""
    from uv import find_uv_bin

    return str(find_uv_bin())


def set_path_uv(monkeypatch: pytest.MonkeyPatch, log_folder: Path, with_uv: bool) -> Path:
    """PATH without any uv, or starting with a `uv` that appends its arguments to the returned log file and
    runs the real uv, so a test can tell uv did the install."""
    log = log_folder / "uv-runs.txt"
    entries = [
        entry for entry in os.environ.get("PATH", "").split(os.pathsep) if not shutil.which("uv", path=entry)
    ]
    if with_uv:
        folder = log_folder / "uv-on-path"
        folder.mkdir(exist_ok=True)
        wrapper = folder / "uv"
        wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real_uv()} "$@"\n', encoding="utf-8")
        wrapper.chmod(0o755)
        entries = [str(folder), *entries]
    monkeypatch.setenv("PATH", os.pathsep.join(entries))
    return log


@pytest.fixture(params=["pip", "uv"])
def installer_on_path(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Runs the test once with PATH holding no uv, once with the logging uv first (see `set_path_uv`); gives
    the log file, which exists after an install only when uv did it."""
    return set_path_uv(monkeypatch, tmp_path, with_uv=request.param == "uv")
