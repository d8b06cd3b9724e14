"""`pyserverless init` as a user runs it: trees, output, every error, and the generated project's tests."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pyserverless.scaffold.catalog import list_templates
from tests.support.cli_process import panel_lines, panel_title, run_cli, run_cli_in_terminal
from tests.support.init_trees import DEFAULT_TREE, EMPTY_TREE, SID, TOKEN, tree
from tests.support.processes import stop_process_group


def folders(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir())


def test_init_creates_the_default_project(tmp_path: Path) -> None:
    result = run_cli("init", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "demo"
    assert tree(root) == DEFAULT_TREE
    assert folders(root) == ["assets", "functions", "functions/sms", "tests"]
    assert sorted(os.listdir(tmp_path)) == ["demo"]
    assert panel_title(result.stdout) == 'Created demo from the "default" template'
    lines = panel_lines(result.stdout)
    assert lines[0] == "demo/"
    for line in ["├── functions/", "│   ├── sms/", "│   │   └── reply.protected.py", "└── pyproject.toml"]:
        assert line in lines
    assert lines[lines.index("Next:") :] == [
        "Next:",
        "cd demo",
        "pyserverless start",
        "",
        "ACCOUNT_SID and AUTH_TOKEN in .env: empty. Fill them in before you call protected functions or the "
        "Twilio API.",
    ]
    assert (root / ".env").read_text(encoding="utf-8").endswith("ACCOUNT_SID=\nAUTH_TOKEN=\n")


def test_init_empty_creates_the_bare_project(tmp_path: Path) -> None:
    result = run_cli("init", "bare", "--empty", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = tmp_path / "bare"
    assert tree(root) == EMPTY_TREE
    assert folders(root) == ["assets", "functions", "tests"]
    assert panel_title(result.stdout) == "Created bare from an empty project"


def test_init_with_a_template_and_a_path(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    result = run_cli("init", "ivr", "--template", "voice-ivr", "--path", "work", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree(tmp_path / "work" / "ivr") == [
        ".env",
        ".gitignore",
        "README.md",
        "functions/ivr.protected.py",
        "pyproject.toml",
        "tests/conftest.py",
        "tests/test_functions.py",
    ]
    assert "cd work/ivr" in panel_lines(result.stdout)


def test_init_json(tmp_path: Path) -> None:
    result = run_cli("init", "demo", "--json", "--account-sid", SID, "--auth-token", TOKEN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "files": DEFAULT_TREE,
        "missing_credentials": [],
        "root": str((tmp_path / "demo").resolve()),
        "template": "default",
    }


def test_credentials_from_flags(tmp_path: Path) -> None:
    result = run_cli("init", "demo", "--account-sid", SID, "--auth-token", TOKEN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    env = (tmp_path / "demo" / ".env").read_text(encoding="utf-8")
    assert env.endswith(f"ACCOUNT_SID={SID}\nAUTH_TOKEN={TOKEN}\n")
    assert TOKEN not in result.stdout + result.stderr
    assert "Fill them in" not in result.stdout


def test_credentials_from_the_twilio_environment_variables(tmp_path: Path) -> None:
    result = run_cli(
        "init", "demo", cwd=tmp_path, env={"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}
    )
    assert result.returncode == 0, result.stderr
    assert (
        (tmp_path / "demo" / ".env")
        .read_text(encoding="utf-8")
        .endswith(f"ACCOUNT_SID={SID}\nAUTH_TOKEN={TOKEN}\n")
    )


def test_credentials_typed_at_the_prompt_of_a_terminal(tmp_path: Path) -> None:
    result = run_cli_in_terminal(
        "init",
        "demo",
        cwd=tmp_path,
        dialogue=[("Twilio Account SID", SID, False), ("Twilio Auth Token", TOKEN, True)],
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        (tmp_path / "demo" / ".env")
        .read_text(encoding="utf-8")
        .endswith(f"ACCOUNT_SID={SID}\nAUTH_TOKEN={TOKEN}\n")
    )
    assert TOKEN not in result.stdout + result.stderr


def test_no_prompt_without_a_terminal(tmp_path: Path) -> None:
    result = run_cli("init", "demo", cwd=tmp_path, input="")
    assert result.returncode == 0, result.stderr
    assert "Twilio Account SID" not in result.stdout + result.stderr


def assert_fails(
    tmp_path: Path, args: list[str], message: str, hint: str, env: dict[str, str] | None = None
) -> None:
    before = sorted(os.listdir(tmp_path))
    result = run_cli(*args, cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_title(result.stderr) == "Error"
    assert panel_lines(result.stderr) == [message, "", hint]
    assert "Traceback" not in result.stderr
    assert sorted(os.listdir(tmp_path)) == before


NAME_HINT = "Use up to 32 letters, digits and hyphens, for example my-service."
CONSOLE = "The account SID and auth token are on the Twilio Console home page: https://console.twilio.com"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my_app", 'Invalid project name "my_app": it must only include letters, numbers and hyphens.'),
        ("-app", 'Invalid project name "-app": it must not start with a hyphen.'),
        ("app-", 'Invalid project name "app-": it must not end with a hyphen.'),
        ("a" * 33, f'Invalid project name "{"a" * 33}": it must be at most 32 characters long (it has 33).'),
    ],
)
def test_a_bad_name(tmp_path: Path, name: str, message: str) -> None:
    assert_fails(
        tmp_path, ["init", "--", name] if name.startswith("-") else ["init", name], message, NAME_HINT
    )


def test_an_existing_folder(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "mine.txt").write_text("keep me", encoding="utf-8")
    assert_fails(
        tmp_path,
        ["init", "demo"],
        f"{tmp_path.resolve() / 'demo'} already exists.",
        "Choose another name, or create the project in another folder with --path.",
    )
    assert tree(tmp_path / "demo") == ["mine.txt"]


def test_a_bad_account_sid(tmp_path: Path) -> None:
    assert_fails(
        tmp_path,
        ["init", "demo", "--account-sid", "AC42"],
        "--account-sid is not an account SID: it should be AC followed by 32 hexadecimal digits "
        "(it has 4 characters).",
        CONSOLE,
    )


def test_an_api_key_given_as_account_sid(tmp_path: Path) -> None:
    assert_fails(
        tmp_path,
        ["init", "demo"],
        "TWILIO_ACCOUNT_SID holds an API key SID (SK…), not an account SID.",
        f"The account SID starts with AC. {CONSOLE}",
        env={"TWILIO_ACCOUNT_SID": "SK" + "0" * 32},
    )


def test_a_bad_auth_token(tmp_path: Path) -> None:
    assert_fails(
        tmp_path,
        ["init", "demo", "--account-sid", SID, "--auth-token", "not-a-token"],
        "--auth-token does not look like an auth token: it should be 32 letters and digits "
        "(it has 11 characters).",
        f"Copy it again from the Twilio Console, without quotes or spaces. {CONSOLE}",
    )


def test_empty_with_template(tmp_path: Path) -> None:
    assert_fails(
        tmp_path,
        ["init", "demo", "--empty", "--template", "hello-world"],
        "--empty and --template cannot be used together.",
        "--empty creates a project without functions; --template NAME fills it from a template. Pick one.",
    )


def test_an_unknown_template(tmp_path: Path) -> None:
    names = ", ".join(template.name for template in list_templates())
    assert_fails(
        tmp_path,
        ["init", "demo", "--template", "nope"],
        'There is no template called "nope".',
        f"Known templates: {names}. Run `pyserverless list-templates` to see them.",
    )


# A generated project's own pytest run; the hypothesis plugin (there for pyserverless's tests, not the
# project's) would double its start-up time.
PYTEST_OPTIONS = ["-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest"]


def run_pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_the_default_projects_own_tests_pass(tmp_path: Path) -> None:
    assert run_cli("init", "demo", cwd=tmp_path).returncode == 0
    result = run_pytest(tmp_path / "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ passed in [\d.]+s", result.stdout.splitlines()[-1])


def test_every_templates_project_passes_its_own_tests(tmp_path: Path) -> None:
    projects = ["empty", *[template.name for template in list_templates() if template.name != "default"]]
    for name in projects:
        args = ["--empty"] if name == "empty" else ["--template", name]
        assert run_cli("init", name, *args, "--json", cwd=tmp_path).returncode == 0
    # Each project runs `pytest` in its own folder, as its user would; side by side, to use both cores.
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "pytest", *PYTEST_OPTIONS],
            cwd=tmp_path / name,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            start_new_session=True,
        )
        for name in projects
    }
    outputs: dict[str, tuple[int, str]] = {}
    try:
        for name, process in runs.items():
            output, _ = process.communicate(timeout=180)
            outputs[name] = (process.returncode, output)
    finally:
        for process in runs.values():
            stop_process_group(process, signum=None)
    for name, (returncode, output) in outputs.items():
        assert returncode == 0, f"{name}:\n{output}"
        assert re.fullmatch(r"\d+ passed in [\d.]+s", output.splitlines()[-1]), f"{name}:\n{output}"
