"""`pyserverless list-templates`: the bundled templates that `init --template` and `new --template` take."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    *,
    json_output: Annotated[bool, typer.Option("--json", help="Print the templates as JSON.")] = False,
) -> None:
    """List the bundled templates."""
    from pyserverless.cli.output import console, print_json
    from pyserverless.scaffold.catalog import list_templates

    templates = list_templates()
    if json_output:
        print_json([{"name": template.name, "description": template.description} for template in templates])
        return
    from rich.table import Table

    table = Table(title="Templates", title_justify="left", show_lines=False)
    table.add_column("Name", style="cyan", no_wrap=True)
    table.add_column("Description")
    for template in templates:
        table.add_row(template.name, template.description)
    console.print(table)
    console.print(
        "Use one with [cyan]pyserverless init NAME --template T[/cyan] "
        "or [cyan]pyserverless new NAME --template T[/cyan]."
    )
