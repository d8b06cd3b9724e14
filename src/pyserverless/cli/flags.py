"""Whether the user gave a flag, the question every `[tool.pyserverless]` default is decided by."""

from __future__ import annotations

import typer

from pyserverless.config import was_given


def given(ctx: typer.Context, name: str) -> bool:
    """True when the parameter `name` came from the command line or its environment variable."""
    return was_given(ctx.get_parameter_source(name))
