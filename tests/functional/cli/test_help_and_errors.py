"""The `pyserverless` console script: help, version, and how errors are shown (panel, exit 1, --debug)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pyserverless import __version__
from tests.support.cli_process import panel_lines, run_cli


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""
    listed = result.stdout.split("\nCommands:\n", 1)[1]
    commands = [
        line.split()[0] for line in listed.splitlines() if line.startswith("  ") and line[2:3].strip()
    ]
    for command in ["init", "new", "list-templates"]:
        assert command in commands
    assert "--version" in result.stdout
    assert "--install-completion" in result.stdout


def test_the_short_help_option(tmp_path: Path) -> None:
    assert run_cli("-h", cwd=tmp_path).stdout == run_cli("--help", cwd=tmp_path).stdout


def test_version(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"pyserverless {__version__}\n", "")


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pyserverless", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"pyserverless {__version__}\n")


def test_each_command_has_help(tmp_path: Path) -> None:
    for command, text in [
        ("init", "--empty"),
        ("new", "--template"),
        ("list-templates", "--json"),
    ]:
        result = run_cli(command, "--help", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert text in result.stdout


def test_a_user_error_is_a_red_panel_without_traceback(tmp_path: Path) -> None:
    result = run_cli("init", "bad_name", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == [
        'Invalid project name "bad_name": it must only include letters, numbers and hyphens.',
        "",
        "Use up to 32 letters, digits and hyphens, for example my-service.",
    ]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli("--debug", "init", "bad_name", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "check_name" in result.stderr
    assert 'Invalid project name "bad_name"' in result.stderr


def test_the_debug_environment_variable_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli("init", "bad_name", cwd=tmp_path, env={"PYSERVERLESS_DEBUG": "1"})
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def test_a_usage_error_shows_usage_and_exits_1(tmp_path: Path) -> None:
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 1
    assert "Usage: pyserverless init" in result.stderr
    assert "Missing argument 'NAME'." in result.stderr
    assert "unexpected error" not in result.stderr


def test_an_unknown_command(tmp_path: Path) -> None:
    result = run_cli("inti", cwd=tmp_path)
    assert result.returncode == 1
    assert "No such command 'inti'." in result.stderr
