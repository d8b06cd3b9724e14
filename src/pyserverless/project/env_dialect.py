"""Lines of a `.env` file that python-dotenv and Twilio's Node tooling read differently.

pyserverless reads `.env` with python-dotenv, the Python convention. Twilio's Node tooling (twilio-run's
`start` and `deploy`, dotenv 6) reads the same file another way in two cases, so a project shared between
both would silently get two values:
- `export NAME=value`: python-dotenv drops `export`; dotenv 6 ignores the whole line.
- `NAME=value # note`: python-dotenv ends the value at an unquoted ` #`; dotenv 6 keeps ` # note` in it (and
  keeps the quotes too when a comment follows a quoted value).
Each such line gets a one-line warning naming the file, the line and the variable (never its value), with
the spelling both read alike. python-dotenv's own parser finds the lines, so multi-line quoted values and
comment lines count exactly as they do when the file is loaded.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

_EXPORT = re.compile(r"\s*export\s")
_QUOTES = ("'", '"')


def env_dialect_warnings(path: Path) -> list[str]:
    """One warning per line of the `.env` at `path` that Twilio's Node tooling reads differently."""
    from dotenv.parser import parse_stream

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # reading the values reports it
    warnings = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is None or binding.error:
            continue
        where = f"{path} line {binding.original.line}"
        written = binding.original.string.strip()
        if _EXPORT.match(written):
            warnings.append(
                f"{where}: `export {binding.key}=...` is read here, but Twilio's Node tooling ignores the "
                f"whole line; write `{binding.key}=...` without `export`."
            )
        if _has_comment(written, binding.value or ""):
            warnings.append(
                f"{where}: the ` #` after the value of {binding.key} starts a comment here, but Twilio's "
                "Node tooling keeps it in the value; quote the value if the # is part of it "
                f'({binding.key}="... # ..."), or move the comment onto a line of its own.'
            )
    return warnings


def _has_comment(written: str, value: str) -> bool:
    """Whether python-dotenv dropped a comment from the line `written`, whose value it read as `value`."""
    assigned = written.partition("=")[2].strip()
    if assigned[:1] in _QUOTES:
        return assigned[-1:] != assigned[:1] or len(assigned) == 1
    return assigned != value
