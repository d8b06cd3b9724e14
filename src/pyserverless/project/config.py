"""Project configuration: defaults for command-line flags kept in `[tool.pyserverless]` of pyproject.toml.

A value is chosen in this order: the flag when the user gave it (on the command line or through its
environment variable), then the project's config, then the built-in default; the CLI applies that order
through click's `default_map` (`pyserverless.cli.defaults`). Keys are the flag names without dashes in front
(`port`, `service-name`); unknown keys and values of the wrong type are reported, never silently ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyserverless.errors import UserError
from pyserverless.tomlcompat import tomllib

#: Every key `[tool.pyserverless]` may hold, with the type of its value.
KNOWN_KEYS: dict[str, type] = {
    "port": int,
    "host": str,
    "timeout": float,
    "env": str,
    "service-name": str,
    "environment": str,
    "region": str,
    "profile": str,
    "runtime": str,
    "arch": str,
    "memory": int,
    "ngrok": str,
    "ngrok-authtoken": str,
    "public-url": str,
    "reload": bool,
    "logs": bool,
    "signature-check": bool,
    "allowed-hosts": list,
    "record": bool,
}


def read_config(root: Path) -> tuple[dict[str, Any], list[str]]:
    """The `[tool.pyserverless]` table of the project's pyproject.toml, and warnings about unknown keys."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}, []
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path} is not valid TOML: {error}", hint="Fix the syntax of the file.") from error
    except OSError as error:
        raise UserError(
            f"Cannot read {path}: {error.strerror}.", hint="Check the file's permissions."
        ) from error
    tool = document.get("tool", {})
    table = tool.get("pyserverless", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise UserError(
            f"{path}: [tool.pyserverless] must be a table.", hint="Write it as [tool.pyserverless]."
        )
    warnings = [
        f"{path.name}: unknown key {key!r} in [tool.pyserverless] is ignored "
        f"(known keys: {', '.join(sorted(KNOWN_KEYS))})."
        for key in table
        if key not in KNOWN_KEYS
    ]
    for key, value in table.items():
        expected = KNOWN_KEYS.get(key)
        if expected is None:
            continue
        accepted = (int, float) if expected is float else (expected,)
        wrong_items = isinstance(value, list) and not all(isinstance(item, str) for item in value)
        if (
            (isinstance(value, bool) and expected is not bool)
            or not isinstance(value, accepted)
            or wrong_items
        ):
            raise UserError(
                f"{path.name}: [tool.pyserverless] {key} = {value!r} should be {_TYPE_NAMES[expected]}.",
                hint=f"Write for example {key} = {_example(expected)}.",
            )
    config = {
        key: float(value) if KNOWN_KEYS[key] is float else value
        for key, value in table.items()
        if key in KNOWN_KEYS
    }
    return config, warnings


_TYPE_NAMES: dict[type, str] = {
    int: "an integer",
    float: "a number",
    bool: "true or false",
    str: "a string",
    list: "a list of strings",
}


def _example(expected: type) -> str:
    return {int: "3000", float: "10", bool: "true", list: '["value"]'}.get(expected, '"value"')
