"""Defaults for a command's options from the project's `[tool.pyserverless]` table, through click's
`default_map`.

How it works: a command class made by `configured(*keys)` first parses its arguments leniently, only to learn
which project they are about (`DIR` or `--cwd`, else the current folder or the nearest above), reads that
project's config, and puts the values of `keys` in the context's `default_map`. Then it parses for real, and
click takes each option from the command line, else its environment variable, else the `default_map`, else
the built-in default: the precedence of every pyserverless flag, decided by click, which also records where
each value came from (`given`). A folder that is no project gives no defaults (the command reports that
itself when it needs a project); a config file that cannot be read is reported after parsing, so `--help`
still works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import typer

from pyserverless.cli.help_text import PlainHelpCommand
from pyserverless.errors import UserError

#: Config keys whose option has another name; every other key `a-b` is the option `--a-b` (parameter `a_b`).
OPTION_OF_KEY = {"ngrok": "ngrok_domain", "allowed-hosts": "allowed_host"}


class ConfiguredCommand(PlainHelpCommand):
    """A command whose options default to the values of `config_keys` in the project's config."""

    config_keys: ClassVar[tuple[str, ...]] = ()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        unreadable: UserError | None = None
        if ctx.default_map is None:
            try:
                ctx.default_map = self._config_defaults(ctx, args)
            except UserError as error:
                unreadable = error
        rest: list[str] = super().parse_args(ctx, args)
        if unreadable is not None:
            raise unreadable
        return rest

    def _config_defaults(self, ctx: Any, args: list[str]) -> dict[str, Any]:
        from pyserverless.project.config import read_config
        from pyserverless.project.folder import find_root

        probe = self.context_class(self, info_name=ctx.info_name, parent=ctx.parent, resilient_parsing=True)
        with probe.scope(cleanup=False):
            super().parse_args(probe, list(args))
        # A str with Typer 0.28 (it converts to Path when it calls the command), a Path with later ones.
        folder = probe.params.get("directory") or probe.params.get("cwd")
        try:
            root = find_root(Path(folder) if folder else Path.cwd())
        except UserError:
            return {}
        config, _ = read_config(root)
        return {
            OPTION_OF_KEY.get(key, key.replace("-", "_")): config[key]
            for key in self.config_keys
            if key in config
        }


def configured(*keys: str) -> type[ConfiguredCommand]:
    """A command class taking the defaults of its options named by `keys` from `[tool.pyserverless]`."""
    from pyserverless.project.config import KNOWN_KEYS

    unknown = [key for key in keys if key not in KNOWN_KEYS]
    if unknown:
        raise ValueError(f"not [tool.pyserverless] keys: {', '.join(unknown)}")
    return type("ConfiguredCommand", (ConfiguredCommand,), {"config_keys": keys})


def given(ctx: typer.Context, name: str) -> bool:
    """True when the parameter `name` came from the command line or its environment variable.

    Compared by name: Typer 0.26+ runs its own copy of click, whose `ParameterSource` is not
    `click.core.ParameterSource`.
    """
    return getattr(ctx.get_parameter_source(name), "name", None) in ("COMMANDLINE", "ENVIRONMENT")
