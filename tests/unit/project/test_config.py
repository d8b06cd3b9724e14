"""`[tool.pyserverless]` config: reading, unknown keys and type errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyserverless.errors import UserError
from pyserverless.project.config import KNOWN_KEYS, read_config
from tests.support.project_files import write_files


def config_of(tmp_path: Path, text: str) -> tuple[dict[str, Any], list[str]]:
    write_files(tmp_path, {"pyproject.toml": text})
    return read_config(tmp_path)


def test_no_pyproject_means_no_config(tmp_path: Path) -> None:
    assert read_config(tmp_path) == ({}, [])


def test_a_pyproject_without_the_table(tmp_path: Path) -> None:
    assert config_of(tmp_path, '[project]\nname = "demo"\n[tool.ruff]\nline-length = 100\n') == ({}, [])


def test_known_keys_are_read_with_their_types(tmp_path: Path) -> None:
    config, warnings = config_of(
        tmp_path,
        "[tool.pyserverless]\n"
        'port = 4000\nservice-name = "my-service"\nenvironment = "staging"\nregion = "eu-west-1"\n'
        'timeout = 2.5\nlogs = false\nmemory = 512\nallowed-hosts = ["dev.internal"]\n',
    )
    assert config == {
        "port": 4000,
        "service-name": "my-service",
        "environment": "staging",
        "region": "eu-west-1",
        "timeout": 2.5,
        "logs": False,
        "memory": 512,
        "allowed-hosts": ["dev.internal"],
    }
    assert warnings == []


def test_an_integer_for_a_number_is_a_float(tmp_path: Path) -> None:
    config, _ = config_of(tmp_path, "[tool.pyserverless]\ntimeout = 3\n")
    assert config == {"timeout": 3.0}
    assert isinstance(config["timeout"], float)


def test_unknown_keys_are_warned_about_and_left_out(tmp_path: Path) -> None:
    config, warnings = config_of(tmp_path, '[tool.pyserverless]\nport = 4000\nprot = 5000\nregoin = "x"\n')
    assert config == {"port": 4000}
    known = ", ".join(sorted(KNOWN_KEYS))
    assert warnings == [
        f"pyproject.toml: unknown key 'prot' in [tool.pyserverless] is ignored (known keys: {known}).",
        f"pyproject.toml: unknown key 'regoin' in [tool.pyserverless] is ignored (known keys: {known}).",
    ]


@pytest.mark.parametrize(
    ("line", "message", "hint"),
    [
        (
            'port = "3000"',
            "pyproject.toml: [tool.pyserverless] port = '3000' should be an integer.",
            "Write for example port = 3000.",
        ),
        (
            "port = 3000.5",
            "pyproject.toml: [tool.pyserverless] port = 3000.5 should be an integer.",
            "Write for example port = 3000.",
        ),
        (
            "port = true",
            "pyproject.toml: [tool.pyserverless] port = True should be an integer.",
            "Write for example port = 3000.",
        ),
        (
            'timeout = "10"',
            "pyproject.toml: [tool.pyserverless] timeout = '10' should be a number.",
            "Write for example timeout = 10.",
        ),
        (
            "timeout = false",
            "pyproject.toml: [tool.pyserverless] timeout = False should be a number.",
            "Write for example timeout = 10.",
        ),
        (
            'logs = "yes"',
            "pyproject.toml: [tool.pyserverless] logs = 'yes' should be true or false.",
            "Write for example logs = true.",
        ),
        (
            "region = 1",
            "pyproject.toml: [tool.pyserverless] region = 1 should be a string.",
            'Write for example region = "value".',
        ),
        (
            'allowed-hosts = "dev.internal"',
            "pyproject.toml: [tool.pyserverless] allowed-hosts = 'dev.internal' should be a list of strings.",
            'Write for example allowed-hosts = ["value"].',
        ),
        (
            "allowed-hosts = [1]",
            "pyproject.toml: [tool.pyserverless] allowed-hosts = [1] should be a list of strings.",
            'Write for example allowed-hosts = ["value"].',
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_a_user_error(
    tmp_path: Path, line: str, message: str, hint: str
) -> None:
    with pytest.raises(UserError) as raised:
        config_of(tmp_path, f"[tool.pyserverless]\n{line}\n")
    assert raised.value.message == message
    assert raised.value.hint == hint


def test_invalid_toml_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        config_of(tmp_path, "[tool.pyserverless\nport = 1\n")
    assert raised.value.message.startswith(f"{tmp_path / 'pyproject.toml'} is not valid TOML: ")
    assert raised.value.hint == "Fix the syntax of the file."


def test_a_table_that_is_not_a_table(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        config_of(tmp_path, '[tool]\npyserverless = "port=3000"\n')
    assert raised.value.message == f"{tmp_path / 'pyproject.toml'}: [tool.pyserverless] must be a table."


def test_a_tool_key_that_is_not_a_table_holds_no_config(tmp_path: Path) -> None:
    assert config_of(tmp_path, 'tool = "nothing"\n') == ({}, [])
