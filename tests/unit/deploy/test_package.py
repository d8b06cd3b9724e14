"""The deploy package: contents, determinism, size, dependency installs, and running it unzipped."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pyserverless.deploy.dependencies import project_requirements
from pyserverless.deploy.package import MAX_ZIPPED_BYTES, Package, build_package, check_size
from pyserverless.deploy.target import LambdaTarget
from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.scaffold.new_project import init_project
from tests.support.counter_story import COUNTER_STORY
from tests.support.function_url_events import function_url_event
from tests.support.lambda_wheelhouse import local_target

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "abcdef0123456789" * 2
HOST_SCRIPT = Path(__file__).resolve().parents[2] / "support" / "lambda_invoke_host.py"
MAX_TEMPLATE_ZIP = 8 * 1024 * 1024
#: With byte code for the dependencies too (a python3.12 here to compile it): twilio's doubles the zip.
MAX_TEMPLATE_ZIP_WITH_BYTECODE = 16 * 1024 * 1024


def make_template_project(parent: Path, name: str = "counter") -> Path:
    created = init_project(
        name,
        parent,
        template_name=None,
        empty=False,
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        environ={},
        ask=None,
    )
    return created.root


def unzipped_template_package(parent: Path) -> Path:
    """The deploy package of a new template project under `parent`, built for this Python and unzipped into
    `parent/task` as Lambda unzips it into /var/task."""
    root = make_template_project(parent)
    package = build_package(load_project(root), local_target())
    task = parent / "task"
    zipfile.ZipFile(io.BytesIO(package.data)).extractall(task)
    return task


def test_template_package_is_byte_identical_small_and_complete(
    tmp_path: Path, offline_pip: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "one").mkdir()
    first_root = make_template_project(tmp_path / "one")
    first = build_package(load_project(first_root), LambdaTarget())
    second_root = tmp_path / "two" / "elsewhere"
    shutil.copytree(first_root, second_root, ignore=shutil.ignore_patterns(".pyserverless"))
    second = build_package(load_project(second_root), LambdaTarget())
    assert first.data == second.data
    assert first.code_sha256 == second.code_sha256
    assert first.size <= (MAX_TEMPLATE_ZIP_WITH_BYTECODE if first.dependency_bytecode else MAX_TEMPLATE_ZIP)

    monkeypatch.delenv("PIP_FIND_LINKS")  # pip can no longer find anything: the cached install must be used
    assert build_package(load_project(first_root), LambdaTarget()).data == first.data

    archive = zipfile.ZipFile(io.BytesIO(first.data))
    names = archive.namelist()
    own = names.index("project/assets/index.html")
    assert names[:own] == sorted(names[:own])  # the dependency layer
    assert names[own:] == sorted(names[own:])  # the project and the runtime
    assert not [name for name in names[:own] if name.startswith(("project/", "pyserverless/"))]
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}
    for expected in (
        "pyserverless/__init__.py",
        "pyserverless/types.py",
        "pyserverless/runtime/lambda_entry.py",
        "pyserverless/runtime/dispatch.py",
        "project/pyserverless.json",
        "project/functions/state.protected.py",
        "project/functions/sms/reply.protected.py",
        "project/assets/message.private.txt",
        "twilio/__init__.py",
    ):
        assert expected in names
    assert not [name for name in names if name.startswith(("pyserverless/cli", "bin/", "project/tests"))]
    assert not [name for name in names if name.endswith(".env")]
    compiled = f".{first.bytecode}.pyc" if first.bytecode else ".no-bytecode"  # a python3.12 here compiles it
    assert not [name for name in names if name.endswith(".pyc") and not name.endswith(compiled)]
    assert "pyserverless/project/folder.py" not in names
    manifest = json.loads(archive.read("project/pyserverless.json"))
    assert manifest["format"] == 1
    assert [route["path"] for route in manifest["routes"]] == [
        "/hello-world",
        "/index.html",
        "/message.txt",
        "/private-message",
        "/sms/reply",
        "/state",
        "/style.css",
    ]
    assert manifest["routes"][5] == {
        "kind": "function",
        "path": "/state",
        "source": "functions/state.protected.py",
        "visibility": "protected",
    }


def test_unzipped_package_serves_the_counter_conversation_without_pyserverless_installed(
    tmp_path: Path, offline_pip: dict[str, str]
) -> None:
    task = unzipped_template_package(tmp_path)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN",
        "ACCOUNT_SID": ACCOUNT_SID,
        "AUTH_TOKEN": AUTH_TOKEN,
    }
    pair = [("From", "+15551110000"), ("To", "+15552220000"), ("MessageSid", "SM" + "0" * 32)]
    cookies: dict[str, str] = {}
    events: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-I", "-S", str(HOST_SCRIPT), str(task)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    ) as host:
        try:
            assert host.stdout is not None and host.stdin is not None
            started = json.loads(host.stdout.readline() or "null")
            assert started is not None, host.stderr.read() if host.stderr else ""
            assert started["entry"] == str(task / "pyserverless" / "runtime" / "lambda_entry.py")
            assert started["cli_importable"] is False
            assert not [entry for entry in started["sys_path"] if "site-packages" in entry]
            replies = []
            for number in range(8):
                form = [*pair, ("Body", f"message {number}")]
                cookie_list = [f"{name}={value}" for name, value in cookies.items()]
                event = function_url_event(
                    "POST", "/state", form=form, cookies=cookie_list, signed_with=AUTH_TOKEN
                )
                events.append(json.dumps(event))
                host.stdin.write(events[-1] + "\n")
                host.stdin.flush()
                result = json.loads(host.stdout.readline())
                assert result["statusCode"] == 200
                assert result["headers"]["content-type"].startswith("text/xml")
                replies.append(ElementTree.fromstring(result["body"]).findtext("Message"))
                for line in result["cookies"]:
                    name, _, rest = line.partition("=")
                    value, _, attributes = rest.partition(";")
                    if "Max-Age=0" in attributes.split(";"):
                        cookies.pop(name, None)
                    else:
                        cookies[name] = value
            unsigned = function_url_event("POST", "/state", form=pair)
            host.stdin.write(json.dumps(unsigned) + "\n")
            host.stdin.flush()
            assert json.loads(host.stdout.readline())["statusCode"] == 401
        finally:
            host.stdin.close() if host.stdin else None
            host.wait(timeout=30)
    assert replies == COUNTER_STORY


def test_a_dependency_without_wheels_fails_naming_it(
    tmp_path: Path, wheelhouse: Path, monkeypatch: pytest.MonkeyPatch, installer_on_path: Path
) -> None:
    sdists = tmp_path / "sdists"
    sdists.mkdir()
    (sdists / "tinydep-1.0.tar.gz").write_bytes(b"an sdist: pip never opens it with --only-binary=:all:")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", f"{wheelhouse} {sdists}")
    root = tmp_path / "project"
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "hello.py").write_text("def handler(context, event, callback):\n    return 'hi'\n")
    (root / "requirements.txt").write_text("tinydep==1.0\n")
    with pytest.raises(UserError) as raised:
        build_package(load_project(root), LambdaTarget())
    assert raised.value.message == (
        "The dependency tinydep==1.0 has no wheel for AWS Lambda "
        "(CPython 3.12, manylinux x86_64 (glibc 2.34)). pyserverless installs only wheels: a package built "
        "from source here would be built for this machine, not for Lambda."
    )
    assert list((root / ".pyserverless" / "deps").iterdir()) == []
    assert installer_on_path.exists() == ("uv-on-path" in os.environ["PATH"])


def test_requirements_come_from_requirements_txt_without_pyserverless(tmp_path: Path) -> None:
    (tmp_path / "constraints.txt").write_text("requests<3\n")
    (tmp_path / "requirements.txt").write_text(
        "# deps\nrequests==2.32.3  # http\npyserverless[aws]>=0.1\nPyServerless\n\n-c constraints.txt\n"
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["ignored"]\n')
    assert project_requirements(tmp_path) == [
        "requests==2.32.3",
        f"-c {(tmp_path / 'constraints.txt').resolve()}",
        "twilio>=9",
    ]


def test_requirements_come_from_pyproject_without_pyserverless(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["twilio>=9", "py_serverless", "pyserverless>=0.1", "attrs"]\n'
    )
    assert project_requirements(tmp_path) == ["twilio>=9", "py_serverless", "attrs", "twilio>=9"]
    (tmp_path / "pyproject.toml").unlink()
    assert project_requirements(tmp_path) == ["twilio>=9"]


def test_platform_tags_reach_the_runtime_glibc() -> None:
    tags = LambdaTarget("python3.12", "x86_64").platform_tags()
    assert tags[0] == "manylinux_2_34_x86_64"
    assert "manylinux_2_17_x86_64" in tags
    assert tags[-3:] == ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
    assert "manylinux_2_35_x86_64" not in tags
    arm = LambdaTarget("python3.11", "arm64").platform_tags()
    assert arm[0] == "manylinux_2_26_aarch64"
    assert arm[-2:] == ["manylinux_2_17_aarch64", "manylinux2014_aarch64"]
    assert len(arm) == 11


def test_unknown_runtime_and_arch_are_refused() -> None:
    with pytest.raises(UserError, match=r"Unsupported runtime 'python2\.7'\."):
        LambdaTarget("python2.7")
    with pytest.raises(UserError, match=r"Unsupported architecture 'sparc'\."):
        LambdaTarget("python3.12", "sparc")


def test_size_check_lists_the_largest_packages() -> None:
    package = Package(
        data=b"\0" * (MAX_ZIPPED_BYTES + 1),
        code_sha256="",
        unzipped_size=60 * 1024 * 1024,
        file_count=1,
        largest=[("numpy", 40 * 1024 * 1024), ("twilio", 22 * 1024 * 1024)],
    )
    with pytest.raises(UserError) as raised:
        check_size(package)
    assert raised.value.message == (
        "The package is 50.0 MB zipped; AWS Lambda takes at most 50.0 MB in a direct upload. "
        "Largest dependencies: numpy 40.0 MB, twilio 22.0 MB."
    )
    unzipped = Package(b"", "", 300 * 1024 * 1024, 1, [("torch", 290 * 1024 * 1024)])
    with pytest.raises(UserError) as raised:
        check_size(unzipped)
    assert raised.value.message == (
        "The package is 300.0 MB unzipped; AWS Lambda takes at most 250.0 MB. "
        "Largest dependencies: torch 290.0 MB."
    )


def test_dotfiles_and_dot_folders_are_never_packaged(tmp_path: Path, offline_pip: dict[str, str]) -> None:
    root = tmp_path / "project"
    files = {
        "functions/hello.py": "def handler(context, event, callback):\n    return 'hi'\n",
        "functions/_helpers.py": "GREETING = 'hi'\n",
        "functions/.env": "AUTH_TOKEN=secret\n",
        "functions/sms/.secrets.json": "{}\n",
        "assets/index.html": "<p>hi</p>\n",
        "assets/.git/config": "[remote]\n",
        "assets/.DS_Store": "x",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    package = build_package(load_project(root), LambdaTarget())
    names = [
        name
        for name in zipfile.ZipFile(io.BytesIO(package.data)).namelist()
        if name.startswith("project/") and not name.endswith(".pyc")  # byte code: test_bytecode.py
    ]
    assert names == [
        "project/assets/index.html",
        "project/functions/_helpers.py",
        "project/functions/hello.py",
        "project/pyserverless.json",
    ]
