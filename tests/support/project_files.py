"""Write a small project tree for a test: `write_files(tmp_path, "functions/a.py", "assets/b.txt")`.

Each path is created with its folders; a function file gets a minimal handler, any other file a line of text.
Pass a dict to choose the contents: `write_files(tmp_path, {"functions/a.py": "...", ".env": "A=1\\n"})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

MINIMAL_HANDLER = "def handler(context, event, callback):\n    callback(None, 'ok')\n"


def write_files(root: Path, *files: str | Mapping[str, str]) -> Path:
    """Create `files` (relative POSIX paths, or a mapping of path to text) below `root`; returns `root`."""
    for item in files:
        contents = item if isinstance(item, Mapping) else {item: _default_text(item)}
        for relative, text in contents.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def _default_text(relative: str) -> str:
    return MINIMAL_HANDLER if relative.endswith(".py") else f"contents of {relative}\n"
