"""`.env` loading (`load_env`) and the env file `load_project` picks."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import load_env, load_project
from tests.support.project_files import write_files


def test_values_comments_quotes_and_empty_keys(tmp_path: Path) -> None:
    env = (
        write_files(
            tmp_path,
            {
                ".env": (
                    "# a comment\n"
                    "ACCOUNT_SID=AC123\n"
                    "AUTH_TOKEN=\n"
                    "BARE_KEY\n"
                    'QUOTED="two words # not a comment"\n'
                    "SINGLE='$NOT_EXPANDED'\n"
                    "export EXPORTED=yes\n"
                    "SPACED = padded \n"
                    "INLINE=value # comment\n"
                    'MULTILINE="line one\nline two"\n'
                )
            },
        )
        / ".env"
    )
    assert load_env(env) == {
        "ACCOUNT_SID": "AC123",
        "AUTH_TOKEN": "",
        "BARE_KEY": "",
        "QUOTED": "two words # not a comment",
        "SINGLE": "$NOT_EXPANDED",
        "EXPORTED": "yes",
        "SPACED": "padded",
        "INLINE": "value",
        "MULTILINE": "line one\nline two",
    }


def test_no_interpolation_of_other_variables(tmp_path: Path) -> None:
    env = write_files(tmp_path, {".env": "A=1\nB=${A}-x\nC=$HOME\n"}) / ".env"
    assert load_env(env) == {"A": "1", "B": "${A}-x", "C": "$HOME"}


def test_an_env_file_that_is_not_utf8_is_a_user_error(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_bytes(b"NAME=caf\xe9\n")
    with pytest.raises(UserError) as raised:
        load_env(env)
    assert raised.value.message.startswith(f"Cannot read {env}: ")
    assert raised.value.hint == "Check that the file is readable UTF-8 text."


def test_load_project_reads_the_default_env(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/a.py", {".env": "GREETING=hi\n"})
    project = load_project(tmp_path)
    assert project.env == {"GREETING": "hi"}
    assert project.env_file == tmp_path.resolve() / ".env"


def test_load_project_without_env(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/a.py")
    project = load_project(tmp_path)
    assert project.env == {}
    assert project.env_file is None


def test_an_env_file_given_relative_to_the_project_replaces_the_default(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/a.py", {".env": "WHO=default\n", "env/staging.env": "WHO=staging\n"})
    project = load_project(tmp_path, env_file=Path("env/staging.env"))
    assert project.env == {"WHO": "staging"}
    assert project.env_file == tmp_path.resolve() / "env" / "staging.env"


def test_an_absolute_env_file(tmp_path: Path) -> None:
    other = write_files(tmp_path / "elsewhere", {"prod.env": "WHO=prod\n"}) / "prod.env"
    write_files(tmp_path / "project", "functions/a.py")
    assert load_project(tmp_path / "project", env_file=other).env == {"WHO": "prod"}


def test_a_missing_env_file_is_a_user_error(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/a.py")
    with pytest.raises(UserError) as raised:
        load_project(tmp_path, env_file=Path("nope.env"))
    assert raised.value.message == f"The env file {tmp_path.resolve() / 'nope.env'} does not exist."
    assert raised.value.hint == "Check the path given with --env."


def test_load_project_gathers_routes_config_and_warnings(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        "functions/a.py",
        "assets/b.txt",
        {"pyproject.toml": "[tool.pyserverless]\nport = 4000\ncolour = 'red'\n"},
    )
    project = load_project(tmp_path)
    assert project.root == tmp_path.resolve()
    assert [route.path for route in project.routes] == ["/a", "/b.txt"]
    assert project.config == {"port": 4000}
    assert len(project.warnings) == 1
    assert project.warnings[0].startswith(
        "pyproject.toml: unknown key 'colour' in [tool.pyserverless] is ignored"
    )
