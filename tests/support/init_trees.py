"""What `pyserverless init` must create: the files of the default and of an `--empty` project, and valid
credentials to create them with."""

from __future__ import annotations

from pathlib import Path

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "0123456789abcdef" * 2
DEFAULT_TREE = [
    ".env",
    ".gitignore",
    "README.md",
    "assets/index.html",
    "assets/message.private.txt",
    "assets/style.css",
    "functions/hello-world.py",
    "functions/private-message.py",
    "functions/sms/reply.protected.py",
    "functions/state.protected.py",
    "pyproject.toml",
    "tests/conftest.py",
    "tests/test_functions.py",
]
EMPTY_TREE = [
    ".env",
    ".gitignore",
    "README.md",
    "pyproject.toml",
    "tests/conftest.py",
    "tests/test_functions.py",
]


def tree(root: Path) -> list[str]:
    """Every file below `root`, relative and sorted."""
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
