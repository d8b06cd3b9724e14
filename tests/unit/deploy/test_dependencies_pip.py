"""deploy's dependency step with the pip of the running environment (a fresh venv's own pip in CI), no uv on
PATH."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pyserverless.deploy.dependencies import PIP_JUDGING_TARGET_PYTHON, install_dependencies
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from tests.support.lambda_wheelhouse import set_path_uv


def pip_version() -> tuple[int, ...]:
    return tuple(int(part) for part in importlib.metadata.version("pip").split(".")[:2])


def write_wheel(folder: Path, name: str, version: str, requires_python: str) -> None:
    """A pure-Python wheel with this Requires-Python, of a module `name` saying `OK = True`."""
    info = f"{name}-{version}.dist-info"
    metadata = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nRequires-Python: {requires_python}\n"
    )
    files = {
        f"{name}.py": "OK = True\n",
        f"{info}/METADATA": metadata,
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)


@pytest.fixture
def project_needing_python_314(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose dependency requires Python 3.14, installed from a local wheel folder only (with a
    stand-in for twilio, which the runtime always adds)."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, "newdep", "1.0", ">=3.14")
    write_wheel(wheels, "twilio", "9.0", ">=3.7")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheels))
    set_path_uv(monkeypatch, tmp_path, with_uv=False)
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("newdep==1.0\n")
    return root


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="the running Python must be older than the target")
def test_find_links_wheels_are_judged_for_the_target_python_or_pip_is_named(
    project_needing_python_314: Path,
) -> None:
    target = LambdaTarget("python3.14")
    running = ".".join(map(str, sys.version_info[:3]))
    if pip_version() >= tuple(int(part) for part in PIP_JUDGING_TARGET_PYTHON.split(".")):
        folder = install_dependencies(project_needing_python_314, target)
        assert (folder / "newdep.py").read_text() == "OK = True\n"
        return
    with pytest.raises(UserError) as raised:
        install_dependencies(project_needing_python_314, target)
    assert raised.value.message == (
        f"pip {importlib.metadata.version('pip')} judged newdep (Requires-Python >=3.14) for this Python "
        f"{running} instead of Lambda's Python 3.14: pip before 24.2 does so for wheels from a --find-links "
        "folder (PIP_FIND_LINKS)."
    )
    assert (
        raised.value.hint
        == f"Upgrade pip, then deploy again: {sys.executable} -m pip install --upgrade 'pip>=24.2'"
    )
    assert list((project_needing_python_314 / ".pyserverless" / "deps").iterdir()) == []


def test_the_running_pip_is_the_one_deploy_uses() -> None:
    reported = subprocess.run(
        [sys.executable, "-m", "pip", "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert reported.startswith(f"pip {importlib.metadata.version('pip')} ")


def test_the_default_target_installs_from_the_package_index_as_users_run_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pip's configuration of this machine (its index or mirror), as a user's deploy has it; bounded by pip's
    # own timeout in deploy.
    monkeypatch.delenv("PIP_NO_INDEX", raising=False)
    set_path_uv(monkeypatch, tmp_path, with_uv=False)
    root = tmp_path / "project"
    root.mkdir()
    folder = install_dependencies(root, LambdaTarget())
    assert (folder / "twilio" / "__init__.py").is_file()
    extensions = {path.name.split(".")[-2] for path in folder.glob("**/*.so")}
    assert extensions == {f"cpython-312-{os.uname().machine}-linux-gnu"}  # built for Lambda's 3.12 only
