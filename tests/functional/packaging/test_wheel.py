"""The wheel users get: built with `python -m build`, installed in a fresh venv, `init` + `sms` run from it.

The editable install the suite runs on reads the source tree, so it hides packaging mistakes (a template or a
runtime module left out of the wheel, a console script that points nowhere). Here the wheel is built offline
(`--no-isolation`, with the build backend of the test extra) and installed with `--no-deps` into a fresh venv
of the running Python; the dependencies come from this test run's environment through a path file, whose
own path files (the editable install's) are not read, so `pyserverless` can only come from the wheel.
`pip check` then proves the wheel's declared dependencies are all there.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.ports import free_port

# The build front end and backend come with the test extra; a venv installed before they joined it skips.
pytest.importorskip("build")
pytest.importorskip("hatchling")

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT_SECONDS = 300


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH would put a source tree before the installed wheel.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    environment["COLUMNS"] = "200"
    return subprocess.run(
        command,
        cwd=cwd,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)], ROOT)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = out.glob("pyserverless-*.whl")
    return wheel


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fresh") / "venv"
    created = run([sys.executable, "-m", "venv", str(folder)], folder.parent)
    assert created.returncode == 0, created.stderr
    python = folder / "bin" / "python"
    installed = run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], folder
    )
    assert installed.returncode == 0, installed.stderr
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], folder)
    outer = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()]
    lines = dict.fromkeys(path for path in outer if Path(path).is_dir())
    (Path(purelib.stdout.strip()) / "outer-dependencies.pth").write_text("\n".join(lines) + "\n")
    return folder


def test_the_wheel_holds_its_templates_and_its_dependencies_are_declared(venv: Path, tmp_path: Path) -> None:
    located = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import pyserverless, pathlib; print(pathlib.Path(pyserverless.__file__).parent)",
        ],
        tmp_path,
    )
    package = Path(located.stdout.strip())
    assert package.is_relative_to(venv), located.stdout + located.stderr
    assert (package / "templates").is_dir()
    assert (package / "runtime" / "lambda_entry.py").is_file()
    checked = run([str(venv / "bin" / "python"), "-m", "pip", "check"], tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_and_sms_run_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    script = str(venv / "bin" / "pyserverless")
    created = run([script, "init", "my-service"], tmp_path)
    assert created.returncode == 0, created.stdout + created.stderr
    project = tmp_path / "my-service"
    assert (project / "functions" / "sms" / "reply.protected.py").is_file()
    answered = run([script, "sms", "/sms/reply", "Hi there", "--port", str(free_port())], project)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout == "Hello World!\n"
