"""`pyserverless list-templates`: the bundled templates that `init --template` and `new --template` take."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    *,
    json_output: Annotated[bool, typer.Option("--json", help="Print the templates as JSON.")] = False,
) -> None:
    """List the bundled templates, by group (messaging, voice, other), with what each needs."""
    from pyserverless.cli.output import console, print_json
    from pyserverless.scaffold.catalog import by_group, list_templates

    templates = list_templates()
    if json_output:
        print_json(
            [
                {
                    "name": template.name,
                    "description": template.description,
                    "group": template.group,
                    "needs": list(template.needs),
                }
                for template in templates
            ]
        )
        return
    from rich.table import Table

    name_width = max(len(template.name) for template in templates)
    for group, members in by_group(templates).items():
        table = Table(title=group.capitalize(), title_justify="left", show_lines=False)
        table.add_column("Name", style="cyan", no_wrap=True, min_width=name_width)
        table.add_column("Description")
        table.add_column("Needs")
        for template in members:
            table.add_row(template.name, template.description, "\n".join(template.needs) or "nothing")
        console.print(table)
    console.print(
        "Use one with [cyan]pyserverless init NAME --template T[/cyan] "
        "or [cyan]pyserverless new NAME --template T[/cyan]."
    )
