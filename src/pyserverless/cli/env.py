"""`pyserverless env list|get|set|unset|import|diff`: a deployed environment's variables, without a redeploy.

Values are printed only by `get` and by `list --show-values`; `diff` masks secret-looking values.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import (
    DeployedEnvironment,
    DeployedEnvironmentCommand,
    JsonOption,
    deployed_environment,
)

if TYPE_CHECKING:
    from pyserverless.operate.environment import LiveEnvironment

app = typer.Typer(
    name="env",
    help="Read and change the variables of a deployed environment (no redeploy).",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="The variable's name.")]


@app.command("list", cls=DeployedEnvironmentCommand)
@deployed_environment
def list_command(
    *,
    show_values: Annotated[
        bool, typer.Option("--show-values", help="Print the values too (secrets included).")
    ] = False,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """List the names of the deployed variables (values with --show-values)."""
    show_variables(deployed.open(), show_values, json_output)


def show_variables(live: LiveEnvironment, show_values: bool, json_output: bool) -> None:
    """Print the names of the deployed variables, with their values only when `show_values`."""
    from pyserverless.cli.output import console
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.variables import deployed_variables

    variables = deployed_variables(live)
    if json_output:
        print_json(
            {
                "environment": live.environment,
                "function_name": live.function_name,
                "variables": dict(sorted(variables.items())) if show_values else sorted(variables),
            }
        )
        return
    if not variables:
        console.print(f"No variables are set in {live.environment} ({live.function_name}).")
        return
    for name in sorted(variables):
        console.print(f"{name}={variables[name]}" if show_values else name, markup=False)


@app.command("get", cls=DeployedEnvironmentCommand)
@deployed_environment
def get_command(
    name: NameArgument,
    *,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Print the value of one deployed variable."""
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.variables import get_variable

    live = deployed.open()
    value = get_variable(live, name)
    if json_output:
        print_json({"environment": live.environment, "name": name, "value": value})
        return
    print(value)


@app.command("set", cls=DeployedEnvironmentCommand)
@deployed_environment
def set_command(
    name: NameArgument,
    value: Annotated[str, typer.Argument(help="The value.")],
    *,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Set one deployed variable (the function's configuration changes; its code does not)."""
    from pyserverless.operate.variables import set_variable

    live = deployed.open()
    _show_change(
        live,
        name,
        set_variable(live, name, value),
        json_output,
        done=f"Set {name} in {live.environment} ({live.function_name}).",
        unchanged=f"{name} already has this value in {live.environment}: nothing changed.",
    )


@app.command("unset", cls=DeployedEnvironmentCommand)
@deployed_environment
def unset_command(
    name: NameArgument,
    *,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Remove one deployed variable."""
    from pyserverless.operate.variables import unset_variable

    live = deployed.open()
    _show_change(
        live,
        name,
        unset_variable(live, name),
        json_output,
        done=f"Removed {name} from {live.environment} ({live.function_name}).",
        unchanged=f"{name} is not set in {live.environment}: nothing changed.",
    )


def _show_change(
    live: LiveEnvironment, name: str, changed: bool, json_output: bool, *, done: str, unchanged: str
) -> None:
    """What `set` or `unset` did to the variable `name`: `done` or `unchanged`, or JSON."""
    from pyserverless.cli.output import console
    from pyserverless.cli.plain_output import print_json

    if json_output:
        print_json({"environment": live.environment, "name": name, "changed": changed})
    else:
        console.print(done if changed else unchanged, markup=False)


@app.command("import", cls=DeployedEnvironmentCommand)
@deployed_environment
def import_command(
    *,
    file: Annotated[
        Path | None, typer.Option("--file", help="The env file (default: the project's .env).")
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Also delete deployed variables the file does not have.")
    ] = False,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Add and update the deployed variables from an env file; delete none unless --prune."""
    from pyserverless.cli.output import console
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.variables import import_variables, read_env_file

    live = deployed.open()
    path, local = read_env_file(live.scope.root, file)
    result = import_variables(live, path, local, prune)
    if json_output:
        print_json(
            {
                "environment": live.environment,
                "file": str(result.file),
                "added": result.added,
                "changed": result.changed,
                "removed": result.removed,
                "kept": result.kept,
            }
        )
        return
    for label, names in (("Added", result.added), ("Changed", result.changed), ("Removed", result.removed)):
        if names:
            console.print(f"{label}: {', '.join(names)}", markup=False)
    if result.kept:
        console.print(f"Kept (deployed only; --prune deletes them): {', '.join(result.kept)}", markup=False)
    if not result.written:
        console.print(f"{live.environment} already has every variable of {result.file}: nothing changed.")
    else:
        console.print(f"Updated the variables of {live.environment} ({live.function_name}).", markup=False)


@app.command("diff", cls=DeployedEnvironmentCommand)
@deployed_environment
def diff_command(
    *,
    file: Annotated[
        Path | None, typer.Option("--file", help="The env file (default: the project's .env).")
    ] = None,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Compare the local env file with the deployed variables (secret values masked)."""
    from rich.table import Table

    from pyserverless.cli.output import console
    from pyserverless.cli.plain_output import print_json
    from pyserverless.deploy.variables import mask
    from pyserverless.operate.variables import deployed_variables, diff_variables, read_env_file

    live = deployed.open()
    path, local = read_env_file(live.scope.root, file)
    remote = deployed_variables(live)
    diff = diff_variables(local, remote)
    rows = [
        *((name, "local only", mask(name, local[name]), "") for name in diff.local_only),
        *((name, "deployed only", "", mask(name, remote[name])) for name in diff.deployed_only),
        *((name, "changed", mask(name, local[name]), mask(name, remote[name])) for name in diff.changed),
    ]
    rows.sort(key=lambda row: row[0])
    if json_output:
        print_json(
            {
                "environment": live.environment,
                "file": str(path),
                "differences": [
                    {"name": name, "change": change, "local": local_value, "deployed": deployed_value}
                    for name, change, local_value, deployed_value in rows
                ],
                "same": diff.same,
            }
        )
        return
    if not rows:
        console.print(f"{path.name} and {live.environment} have the same variables.", markup=False)
        return
    table = Table(title=f"{path.name} against {live.environment} (secrets masked)", title_justify="left")
    for column in ("Name", "Difference", "Local", "Deployed"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)
