"""`pyserverless list-templates`: the bundled templates that `init --template` and `new --template` take."""

from __future__ import annotations

from typing import Annotated

import typer


def command(
    *,
    json_output: Annotated[bool, typer.Option("--json", help="Print the templates as JSON.")] = False,
) -> None:
    """List the bundled templates, by group (messaging, voice, other), with what each needs."""
    from pyserverless.cli.plain_output import CYAN, Line, print_json, print_lines, table, terminal_width
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
    name_width = max(len(template.name) for template in templates)
    lines: list[Line] = []
    for group, members in by_group(templates).items():
        rows = [
            [template.name.ljust(name_width), template.description, "\n".join(template.needs) or "nothing"]
            for template in members
        ]
        lines += table(
            group.capitalize(), ["Name", "Description", "Needs"], rows, [CYAN, "", ""], terminal_width()
        )
    lines.append(
        [
            ("Use one with ", ""),
            ("pyserverless init NAME --template T", CYAN),
            (" or ", ""),
            ("pyserverless new NAME --template T", CYAN),
            (".", ""),
        ]
    )
    print_lines(lines)
