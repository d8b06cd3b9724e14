"""Byte code in the deploy package: compiled for the target's Python, the same bytes on every build, and what
an unzipped package runs from when nothing can be written beside it (Lambda's read-only /var/task)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pyserverless.deploy import package as package_module
from pyserverless.deploy.bytecode import BytecodeCompiler
from pyserverless.deploy.package import build_package, bytecode_summary
from pyserverless.deploy.target import LambdaTarget
from pyserverless.project.folder import load_project
from tests.support.function_url_events import function_url_event
from tests.support.lambda_wheelhouse import local_target
from tests.unit.deploy.test_package import make_template_project, unzipped_template_package

TAG = sys.implementation.cache_tag


def test_a_package_for_this_python_has_byte_code_of_runtime_functions_and_dependencies_the_same_each_build(
    tmp_path: Path, offline_pip: dict[str, str]
) -> None:
    (tmp_path / "one").mkdir()
    first_root = make_template_project(tmp_path / "one")
    first = build_package(load_project(first_root), local_target())
    second_root = tmp_path / "two" / "elsewhere"
    shutil.copytree(first_root, second_root, ignore=shutil.ignore_patterns(".pyserverless"))
    second = build_package(load_project(second_root), local_target())  # installed and compiled afresh there
    assert (first.bytecode, first.dependency_bytecode) == (TAG, True)
    assert first.data == second.data

    names = zipfile.ZipFile(io.BytesIO(first.data)).namelist()
    for expected in (
        f"pyserverless/__pycache__/__init__.{TAG}.pyc",
        f"pyserverless/runtime/__pycache__/lambda_entry.{TAG}.pyc",
        f"project/functions/__pycache__/state.protected.{TAG}.pyc",
        f"project/functions/sms/__pycache__/reply.protected.{TAG}.pyc",
        f"twilio/__pycache__/__init__.{TAG}.pyc",
    ):
        assert expected in names
    compiled = [name for name in names if name.endswith(".pyc")]
    assert all(name.endswith(f".{TAG}.pyc") and Path(name).parent.name == "__pycache__" for name in compiled)
    assert {name.replace("__pycache__/", "").replace(f".{TAG}.pyc", ".py") for name in compiled} <= set(names)
    assert not [name for name in compiled if name.startswith("project/assets/")]


def test_the_unzipped_package_runs_its_byte_code_and_never_reads_the_sources_back(
    tmp_path: Path, offline_pip: dict[str, str]
) -> None:
    task = unzipped_template_package(tmp_path)
    for source in (task / "pyserverless/runtime/lambda_entry.py", task / "project/functions/hello-world.py"):
        source.write_text("raise SystemExit('the source was compiled, not the byte code loaded')\n")
    script = (
        "import json, sys\n"
        "sys.path.insert(0, '.')\n"
        "from pyserverless.runtime.lambda_entry import handler\n"
        "result = handler(json.loads(sys.stdin.read()), None)\n"
        "print(result['statusCode'], result['body'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", script],
        input=json.dumps(function_url_event("GET", "/hello-world")),
        capture_output=True,
        text=True,
        check=False,
        cwd=task,
        env={"PATH": os.environ.get("PATH", ""), "LAMBDA_TASK_ROOT": str(task), "PYSERVERLESS_ENV_KEYS": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("200 ")


def test_without_an_interpreter_of_the_target_version_there_is_no_compiler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = "3.10" if sys.version_info[:2] != (3, 10) else "3.11"
    monkeypatch.setenv("PATH", str(tmp_path))
    assert BytecodeCompiler.find(LambdaTarget(f"python{other}")) is None

    shim = tmp_path / f"python{other}"  # as pyenv's shim for a version installed but not selected
    shim.write_text(f"#!/bin/sh\necho 'pyenv: python{other}: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    assert BytecodeCompiler.find(LambdaTarget(f"python{other}")) is None

    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # runs, but another version
    assert BytecodeCompiler.find(LambdaTarget(f"python{other}")) is None

    assert BytecodeCompiler.find(local_target()) == BytecodeCompiler(sys.executable, TAG)


def test_the_dependencies_byte_code_is_left_out_when_only_it_would_break_lambdas_limits(
    tmp_path: Path, offline_pip: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_template_project(tmp_path)
    whole = build_package(load_project(root), local_target())
    monkeypatch.setattr(package_module, "MAX_UNZIPPED_BYTES", whole.unzipped_size - 1)
    lean = build_package(load_project(root), local_target())
    assert (lean.bytecode, lean.dependency_bytecode) == (TAG, False)
    names = zipfile.ZipFile(io.BytesIO(lean.data)).namelist()
    compiled = [name for name in names if name.endswith(".pyc")]
    assert f"pyserverless/runtime/__pycache__/lambda_entry.{TAG}.pyc" in compiled
    assert not [name for name in compiled if not name.startswith(("pyserverless/", "project/functions/"))]
    assert lean.unzipped_size < whole.unzipped_size
    assert bytecode_summary(lean, local_target()) == (
        f"byte code for {local_target().runtime}, but not the dependencies' (it would pass Lambda's limits)"
    )
    assert bytecode_summary(whole, local_target()) == f"byte code for {local_target().runtime}"
