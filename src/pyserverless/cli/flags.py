"""Whether the user gave a flag, the question every `[tool.pyserverless]` default is decided by, and the
`--env` file chosen that way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from pyserverless.config import choose, was_given


def given(ctx: typer.Context, name: str) -> bool:
    """True when the parameter `name` came from the command line or its environment variable."""
    return was_given(ctx.get_parameter_source(name))


def chosen_env_file(ctx: typer.Context, env: Path | None, config: dict[str, Any]) -> Path | None:
    """The `--env` file given, else the config's `env`, else None (the project's `.env`)."""
    env_name = choose(given(ctx, "env"), str(env) if env else None, config, "env")
    return Path(env_name) if env_name else None
