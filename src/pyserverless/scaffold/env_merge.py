"""Adding a template's variables to a project's `.env` text without touching the variables already there, and
writing a `.env` that only its owner can read.

Each assignment line of the addition (`KEY=value`) is kept when the project does not define KEY yet and is
turned into a comment (`# KEY=value`) when it does, so a template never overwrites a value and the user still
sees what the template expected. Comment lines of the addition are kept as they are.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

_ASSIGNMENT = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
#: A new .env holds secrets: only its owner reads it, from the moment it exists.
ENV_FILE_MODE = 0o600


@dataclass(frozen=True)
class MergedEnv:
    """The new `.env` text, the keys it added and the keys it left commented out because they existed."""

    text: str
    added: list[str]
    commented: list[str]


def env_keys(text: str) -> set[str]:
    """The variable names a `.env` text defines."""
    from dotenv import dotenv_values

    return set(dotenv_values(stream=io.StringIO(text), interpolate=False))


def merge_env(current: str, addition: str, header: str) -> MergedEnv:
    """`current` followed by a `# header` comment and the lines of `addition`, existing keys commented out."""
    existing = env_keys(current)
    added: list[str] = []
    commented: list[str] = []
    lines: list[str] = []
    for line in addition.splitlines():
        match = _ASSIGNMENT.match(line)
        if match is None:
            lines.append(line)
        elif match.group(1) in existing:
            commented.append(match.group(1))
            lines.append(f"# {line}")
        else:
            added.append(match.group(1))
            existing.add(match.group(1))
            lines.append(line)
    separator = (
        "" if not current or current.endswith("\n\n") else ("\n" if current.endswith("\n") else "\n\n")
    )
    text = f"{current}{separator}# {header}\n" + "\n".join(lines).strip("\n") + "\n"
    return MergedEnv(text=text, added=added, commented=commented)


def write_env_file(path: Path, text: str) -> None:
    """Write `text` to the `.env` at `path`: a missing file is created with mode 0600 (never readable by
    others, not even for a moment); an existing one keeps the mode its owner gave it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, ENV_FILE_MODE)
    with open(descriptor, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
