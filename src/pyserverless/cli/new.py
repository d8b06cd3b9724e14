"""`pyserverless new NAME --template T`: add a template's functions and assets to the current project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def command(
    name: Annotated[
        str,
        typer.Argument(help="Namespace folder for the template's files: functions/NAME/ and assets/NAME/."),
    ],
    *,
    template: Annotated[
        str, typer.Option("--template", "-t", help="A bundled template (see list-templates).")
    ],
    cwd: Annotated[
        Path | None,
        typer.Option(
            "--cwd", help="The project folder.", show_default="the project around the current folder"
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print what was added as JSON.")] = False,
) -> None:
    """Add a template's functions and assets to the project under NAME/ and its variables to .env."""
    from pyserverless.cli.file_tree import file_tree
    from pyserverless.cli.plain_output import (
        GREEN,
        YELLOW,
        Line,
        panel,
        print_json,
        print_lines,
        terminal_width,
    )
    from pyserverless.scaffold.add_template import add_template

    added = add_template(cwd if cwd is not None else Path.cwd(), template, name)
    if json_output:
        print_json(
            {
                "root": str(added.root),
                "template": added.template,
                "namespace": added.namespace,
                "files": added.files,
                "env_added": added.env_added,
                "env_commented": added.env_commented,
            }
        )
        return
    notes: list[Line] = []
    if added.env_added:
        notes.append([(f"Added to .env: {', '.join(added.env_added)}. Fill in their values.", YELLOW)])
    if added.env_commented:
        notes.append([(f"Already in .env, added commented out: {', '.join(added.env_commented)}.", YELLOW)])
    body = file_tree(added.root.name, added.files) + ([[], *notes] if notes else [])
    title = f'Added the "{added.template}" template as {added.namespace}/'
    print_lines(panel(title, body, GREEN, terminal_width()))
