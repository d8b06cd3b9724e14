"""The root command group, with each command's options built only when that command is used.

Typer turns every registered command into a click command up front, reading each function's signature and
evaluating its annotations; with a dozen commands that is most of the time of `pyserverless --help`.
`build_cli` builds the root group (its own options, shell completion) without them, and `LazyGroup` builds a
command the first time click looks it up to run it or complete it. The command list of `--help` is written
from each command's docstring, without building anything.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

from pyserverless.cli.help_text import first_paragraph

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter


class LazyGroup(TyperGroup):
    """A `TyperGroup` whose commands may be given as builders (`defer`), run on first lookup."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._builders: dict[str, Callable[[], Command]] = {}
        self._summaries: dict[str, Command] = {}
        self._listing = False

    def defer(self, name: str, build: Callable[[], Command], summary: Command) -> None:
        """Register command `name`: `build()` makes it when needed; `summary` stands in for it in --help."""
        self._builders[name] = build
        self._summaries[name] = summary

    def list_commands(self, ctx: Context) -> list[str]:
        return [*self.commands, *(name for name in self._builders if name not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name in self._builders and cmd_name not in self.commands:
            if self._listing:
                return self._summaries[cmd_name]
            self.commands[cmd_name] = self._builders[cmd_name]()
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False


def build_cli(app: typer.Typer) -> LazyGroup:
    """The click command of `app` (made with `cls=LazyGroup`), its commands and sub-apps built on demand."""
    commands, groups = app.registered_commands, app.registered_groups
    app.registered_commands, app.registered_groups = [], []
    try:
        root = typer.main.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    if not isinstance(root, LazyGroup):
        raise TypeError("build_cli needs a Typer app made with cls=LazyGroup")
    options: dict[str, Any] = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    for command in commands:
        _defer_command(root, command, options)
    for group in groups:
        _defer_group(root, group, {**options, "suggest_commands": app.suggest_commands})
    return root


def _defer_command(root: LazyGroup, info: CommandInfo, options: dict[str, Any]) -> None:
    if info.callback is None:
        raise TypeError("a command needs a callback")
    name = info.name or typer.main.get_command_name(info.callback.__name__)
    help_text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
    summary = TyperCommand(
        name=name,
        help=help_text,
        short_help=info.short_help or first_paragraph(help_text),
        hidden=info.hidden,
        deprecated=info.deprecated,
    )
    root.defer(name, lambda: typer.main.get_command_from_info(info, **options), summary)


def _defer_group(root: LazyGroup, info: TyperInfo, options: dict[str, Any]) -> None:
    solved = typer.main.solve_typer_info_defaults(info)
    if not solved.name:
        raise TypeError("sub-apps of pyserverless are added with a name")
    help_text = typer.main.solve_typer_info_help(info)
    summary = TyperCommand(
        name=solved.name, help=help_text, short_help=first_paragraph(help_text), hidden=solved.hidden
    )
    root.defer(solved.name, lambda: typer.main.get_group_from_info(info, **options), summary)
