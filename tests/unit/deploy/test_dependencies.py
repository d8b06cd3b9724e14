"""deploy's dependency step: uv when it is on PATH and names the target, pip otherwise, the same bytes."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from pyserverless.deploy.dependencies import CACHE_DIR, install_dependencies, uv_platform
from pyserverless.deploy.package import build_package
from pyserverless.deploy.target import LambdaTarget
from pyserverless.project.folder import load_project
from tests.support.lambda_wheelhouse import local_target, set_path_uv


def make_project(root: Path) -> Path:
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "hello.py").write_text("def handler(context, event, callback):\n    return 'hi'\n")
    (root / "requirements.txt").write_text("twilio>=9\n")
    return root


def test_uv_names_the_target_glibc_or_leaves_the_install_to_pip() -> None:
    assert uv_platform(LambdaTarget("python3.12", "x86_64")) == "x86_64-manylinux_2_34"
    assert uv_platform(LambdaTarget("python3.13", "arm64")) == "aarch64-manylinux_2_34"
    assert uv_platform(LambdaTarget("python3.11", "x86_64")) is None  # glibc 2.26: uv has no such platform
    assert uv_platform(LambdaTarget("python3.10", "arm64")) is None


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


# pip evaluates environment markers for the Python running it, not the target's (docs/deploy.md); twilio's
# dependencies carry markers at 3.11 (async-timeout, exceptiongroup) and 3.13 (typing-extensions), so only pip
# on 3.11 or 3.12 installs the distributions that Lambda's python3.12, and uv, take.
@pytest.mark.skipif(
    sys.version_info[:2] not in ((3, 11), (3, 12)),
    reason="pip resolves the target's dependencies with this Python's markers",
)
def test_pip_and_uv_build_byte_identical_packages_under_the_same_cache_key(
    tmp_path: Path, offline_pip: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    by_pip = make_project(tmp_path / "by-pip")
    log = set_path_uv(monkeypatch, tmp_path, with_uv=False)
    with_pip = build_package(load_project(by_pip), LambdaTarget())
    assert not log.exists()

    by_uv = tmp_path / "by-uv"
    shutil.copytree(by_pip, by_uv, ignore=shutil.ignore_patterns(".pyserverless"))
    set_path_uv(monkeypatch, tmp_path, with_uv=True)
    with_uv = build_package(load_project(by_uv), LambdaTarget())
    assert log.read_text().startswith("pip install --python ")
    assert "--python-platform x86_64-manylinux_2_34 " in log.read_text()

    # The file lists first: when they differ, the failure names the files at once.
    assert zip_names(with_uv.data) == zip_names(with_pip.data)
    assert with_uv.code_sha256 == with_pip.code_sha256
    assert [path.name for path in (by_pip / CACHE_DIR).iterdir() if path.is_dir()] == [
        path.name for path in (by_uv / CACHE_DIR).iterdir() if path.is_dir()
    ]
    installed = next(path for path in (by_uv / CACHE_DIR).iterdir() if path.is_dir())
    assert not list(installed.glob("*.dist-info/INSTALLER"))
    assert not list(installed.glob("*.dist-info/RECORD"))
    assert not (installed / ".lock").exists()
    assert (installed / "twilio" / "__init__.py").is_file()


def test_a_target_uv_cannot_name_is_installed_by_pip_even_with_uv_on_path(
    tmp_path: Path, offline_pip: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = local_target()
    if uv_platform(target) is not None:
        pytest.skip("the wheelhouse holds a glibc 2.26 target's wheels only when this Python is 3.10 or 3.11")
    log = set_path_uv(monkeypatch, tmp_path, with_uv=True)
    folder = install_dependencies(make_project(tmp_path / "project"), target)
    assert not log.exists()
    assert (folder / "twilio" / "__init__.py").is_file()
