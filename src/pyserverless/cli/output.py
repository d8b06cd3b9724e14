"""Terminal output shared by the commands: rich consoles, the error panel and warnings.

`--json` documents and the output of `init`, `new` and `list-templates` are written by `plain_output`.
"""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from pyserverless.errors import UserError

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def render_error(error: UserError) -> None:
    """Show a user-fixable error as a red panel on stderr: what is wrong, then how to fix it."""
    body = Text(error.message)
    if error.hint:
        body.append("\n\n")
        body.append(error.hint, style="dim")
    err_console.print(Panel(body, title="Error", title_align="left", border_style="red", expand=False))


def warn(message: str) -> None:
    err_console.print(Text("Warning: ", style="bold yellow") + Text(message))
