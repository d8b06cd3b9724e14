"""The one exception type for errors a user can fix.

Core code raises `UserError(message, hint=...)`; the CLI renders it as a panel and exits with code 1. Anything
else that escapes a command is a bug in pyserverless and is reported as such.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: what is wrong (`message`) and how to fix it (`hint`)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"
