"""`pyserverless init NAME`: create a project folder from a bundled template."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer


def command(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="Folder name of the project: up to 32 letters, digits and hyphens."
        ),
    ],
    *,
    path: Annotated[
        Path | None,
        typer.Option(
            "--path", help="The folder to create the project in.", show_default="the current folder"
        ),
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            help="A bundled template (see list-templates).",
            show_default="the default template",
        ),
    ] = None,
    empty: Annotated[
        bool, typer.Option("--empty", help="Create empty functions/ and assets/ folders, no template.")
    ] = False,
    account_sid: Annotated[
        str | None,
        typer.Option(
            "--account-sid", help="Twilio Account SID for .env.", show_default="$TWILIO_ACCOUNT_SID"
        ),
    ] = None,
    auth_token: Annotated[
        str | None,
        typer.Option("--auth-token", help="Twilio Auth Token for .env.", show_default="$TWILIO_AUTH_TOKEN"),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print what was created as JSON.")] = False,
) -> None:
    """Create a new project: functions, assets, tests, .env, pyproject.toml and README (offline)."""
    from pyserverless.cli.file_tree import file_tree
    from pyserverless.cli.plain_output import (
        BOLD,
        CYAN,
        GREEN,
        YELLOW,
        panel,
        print_json,
        print_lines,
        terminal_width,
    )
    from pyserverless.scaffold.new_project import init_project

    created = init_project(
        name,
        path if path is not None else Path.cwd(),
        template_name=template,
        empty=empty,
        account_sid=account_sid,
        auth_token=auth_token,
        environ=os.environ,
        ask=_ask if sys.stdin.isatty() and not json_output else None,
    )
    if json_output:
        print_json(
            {
                "root": str(created.root),
                "template": created.template,
                "files": created.files,
                "missing_credentials": created.missing_credentials,
            }
        )
        return
    origin = "an empty project" if created.template is None else f'the "{created.template}" template'
    body = [
        *file_tree(created.root.name, created.files),
        [],
        [("Next:", BOLD)],
        [(f"  cd {_shell_path(created.root)}", CYAN)],
        [("  pyserverless start", CYAN)],
    ]
    if created.missing_credentials:
        note = (
            f"{' and '.join(created.missing_credentials)} in .env: empty. Fill them in before you call "
            "protected functions or the Twilio API."
        )
        body += [[], [(note, YELLOW)]]
    print_lines(panel(f"Created {created.root.name} from {origin}", body, GREEN, terminal_width()))


def _ask(question: str, secret: bool) -> str:
    answer: str = typer.prompt(question, default="", show_default=False, hide_input=secret)
    return answer


def _shell_path(root: Path) -> str:
    """The shortest way to `cd` into the new project from the current folder."""
    try:
        return os.path.relpath(root)
    except ValueError:
        return str(root)
