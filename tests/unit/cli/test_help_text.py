"""`--help` of every command: whole summaries, plain usage lines, readable metavars and defaults."""

from __future__ import annotations

import contextlib
import io

import pytest

from pyserverless.cli.lazy_group import build_cli
from pyserverless.cli.main import app, start


def help_of(*args: str, columns: int = 80) -> str:
    output = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(output):
        patch.setenv("COLUMNS", str(columns))
        assert build_cli(app)(args=[*args, "--help"], prog_name="pyserverless", standalone_mode=False) == 0
    return output.getvalue()


def command_lines() -> list[list[str]]:
    root = build_cli(app)
    lines = []
    for name in root.list_commands(None):  # type: ignore[arg-type]
        lines.append([name])
        group = root.get_command(None, name)  # type: ignore[arg-type]
        for sub in getattr(group, "commands", {}):
            lines.append([name, sub])
    return lines


def test_the_command_list_wraps_summaries_instead_of_cutting_them() -> None:
    listed = help_of().split("\nCommands:\n", 1)[1]
    assert "..." not in listed
    start_lines = listed[listed.index("  start ") :].splitlines()
    summary = " ".join(line.strip() for line in start_lines[:2]).removeprefix("start").strip()
    assert summary == (start.command.__doc__ or "").strip()


@pytest.mark.parametrize("command", command_lines(), ids=" ".join)
def test_usage_metavars_and_defaults_read_plainly(command: list[str]) -> None:
    text = help_of(*command, columns=200)
    assert text.startswith(f"Usage: pyserverless {' '.join(command)} [OPTIONS]")
    usage = text.splitlines()[0]
    assert "{" not in usage
    assert "<list[" not in text
    assert "(default)]" not in text


def test_required_and_optional_arguments_in_usage_lines() -> None:
    assert help_of("init").splitlines()[0] == "Usage: pyserverless init [OPTIONS] NAME"
    assert help_of("sms").splitlines()[0] == "Usage: pyserverless sms [OPTIONS] PATH [BODY]"
    assert "--sms-number <number[:path]>" in help_of("start", columns=200)
