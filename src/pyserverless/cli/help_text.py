"""How `--help` reads where Typer's plain help falls short of click's conventions.

Typer writes a required argument as `{NAME}` in the usage line, and cuts each command's summary in a command
list at about 45 characters ("Serve the project locally, enforcing..."). `PlainHelpCommand` writes the
usage line as click does (`NAME`, `[DIRECTORY]`, `PATH...`), and `first_paragraph` gives a command list the
whole first paragraph of a command's help, which the list wraps instead of cutting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typer.core import TyperCommand

if TYPE_CHECKING:
    from typer._click import Context


class PlainHelpCommand(TyperCommand):
    """A command whose usage line names its arguments as click does."""

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
