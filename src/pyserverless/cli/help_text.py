"""How `--help` reads where Typer's plain help falls short of click's conventions.

Typer writes a required argument as `{NAME}` in the usage line, and cuts each command's summary in a command
list at about 45 characters ("Serve the project locally, enforcing..."). `PlainHelpCommand` writes the
usage line as click does (`NAME`, `[DIRECTORY]`, `PATH...`), and `first_paragraph` gives a command list the
whole first paragraph of a command's help, which the list wraps instead of cutting. A repeated argument's
type reads as one item's (`FILE <path>`), as an option's metavar does, not as `<list[Path]>`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from typer.core import TyperArgument, TyperCommand

if TYPE_CHECKING:
    from typer._click import Context


class RepeatedArgument(TyperArgument):
    """An argument given any number of times (`list[...]`): its help names the type of one."""

    def display_type(self, ctx: Context) -> str:
        (item,) = get_args(self.type_descriptor.annotation)
        return "<path>" if item is Path else f"<{self._bare_type(item)}>"


class PlainHelpCommand(TyperCommand):
    """A command whose usage line names its arguments as click does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument and param.nargs != 1:
                param.__class__ = RepeatedArgument

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                continue
            name = param.metavar or (param.name or "").upper()
            name = name if param.required else f"[{name}]"
            pieces.append(name + ("..." if param.nargs != 1 else ""))
        return pieces


def first_paragraph(help_text: str | None) -> str | None:
    """The first paragraph of a help text, on one line (None for no help)."""
    if not help_text:
        return None
    return " ".join(help_text.strip().split("\n\n")[0].split())
