"""`pyserverless env list|get|set|unset|import|diff`: a deployed environment's variables, without a redeploy.

Values are printed only by `get` and by `list --show-values`; `diff` masks secret-looking values.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.operate_options import (
    CwdOption,
    EnvironmentOption,
    JsonOption,
    ProductionOption,
    ProfileOption,
    RegionOption,
    ServiceOption,
    chosen_environment,
    project_scope,
)

if TYPE_CHECKING:
    from pyserverless.operate.environment import LiveEnvironment

app = typer.Typer(
    name="env",
    help="Read and change the variables of a deployed environment (no redeploy).",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="The variable's name.")]


def _open(
    ctx: typer.Context,
    *,
    environment: str,
    production: bool,
    service_name: str | None,
    region: str | None,
    profile: str | None,
    cwd: Path | None,
) -> LiveEnvironment:
    from pyserverless.operate.environment import open_environment

    scope, config = project_scope(ctx, cwd, service_name, region, profile)
    return open_environment(scope, chosen_environment(ctx, environment, production, config))


@app.command("list")
def list_command(
    ctx: typer.Context,
    *,
    show_values: Annotated[
        bool, typer.Option("--show-values", help="Print the values too (secrets included).")
    ] = False,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """List the names of the deployed variables (values with --show-values)."""
    show_variables(
        _open(
            ctx,
            environment=environment,
            production=production,
            service_name=service_name,
            region=region,
            profile=profile,
            cwd=cwd,
        ),
        show_values,
        json_output,
    )


def show_variables(live: LiveEnvironment, show_values: bool, json_output: bool) -> None:
    """Print the names of the deployed variables, with their values only when `show_values`."""
    from pyserverless.cli.output import console, print_json
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


@app.command("get")
def get_command(
    ctx: typer.Context,
    name: NameArgument,
    *,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Print the value of one deployed variable."""
    from pyserverless.cli.output import print_json
    from pyserverless.operate.variables import get_variable

    live = _open(
        ctx,
        environment=environment,
        production=production,
        service_name=service_name,
        region=region,
        profile=profile,
        cwd=cwd,
    )
    value = get_variable(live, name)
    if json_output:
        print_json({"environment": live.environment, "name": name, "value": value})
        return
    print(value)


@app.command("set")
def set_command(
    ctx: typer.Context,
    name: NameArgument,
    value: Annotated[str, typer.Argument(help="The value.")],
    *,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Set one deployed variable (the function's configuration changes; its code does not)."""
    from pyserverless.cli.output import console, print_json
    from pyserverless.operate.variables import set_variable

    live = _open(
        ctx,
        environment=environment,
        production=production,
        service_name=service_name,
        region=region,
        profile=profile,
        cwd=cwd,
    )
    changed = set_variable(live, name, value)
    if json_output:
        print_json({"environment": live.environment, "name": name, "changed": changed})
    elif changed:
        console.print(f"Set {name} in {live.environment} ({live.function_name}).", markup=False)
    else:
        console.print(f"{name} already has this value in {live.environment}: nothing changed.", markup=False)


@app.command("unset")
def unset_command(
    ctx: typer.Context,
    name: NameArgument,
    *,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Remove one deployed variable."""
    from pyserverless.cli.output import console, print_json
    from pyserverless.operate.variables import unset_variable

    live = _open(
        ctx,
        environment=environment,
        production=production,
        service_name=service_name,
        region=region,
        profile=profile,
        cwd=cwd,
    )
    changed = unset_variable(live, name)
    if json_output:
        print_json({"environment": live.environment, "name": name, "changed": changed})
    elif changed:
        console.print(f"Removed {name} from {live.environment} ({live.function_name}).", markup=False)
    else:
        console.print(f"{name} is not set in {live.environment}: nothing changed.", markup=False)


@app.command("import")
def import_command(
    ctx: typer.Context,
    *,
    file: Annotated[
        Path | None, typer.Option("--file", help="The env file (default: the project's .env).")
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Also delete deployed variables the file does not have.")
    ] = False,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Add and update the deployed variables from an env file; delete none unless --prune."""
    from pyserverless.cli.output import console, print_json
    from pyserverless.operate.variables import import_variables, read_env_file

    live = _open(
        ctx,
        environment=environment,
        production=production,
        service_name=service_name,
        region=region,
        profile=profile,
        cwd=cwd,
    )
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


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    *,
    file: Annotated[
        Path | None, typer.Option("--file", help="The env file (default: the project's .env).")
    ] = None,
    environment: EnvironmentOption = "dev",
    production: ProductionOption = False,
    service_name: ServiceOption = None,
    region: RegionOption = None,
    profile: ProfileOption = None,
    json_output: JsonOption = False,
    cwd: CwdOption = None,
) -> None:
    """Compare the local env file with the deployed variables (secret values masked)."""
    from rich.table import Table

    from pyserverless.cli.output import console, print_json
    from pyserverless.deploy.aws_lambda import mask
    from pyserverless.operate.variables import deployed_variables, diff_variables, read_env_file

    live = _open(
        ctx,
        environment=environment,
        production=production,
        service_name=service_name,
        region=region,
        profile=profile,
        cwd=cwd,
    )
    path, local = read_env_file(live.scope.root, file)
    deployed = deployed_variables(live)
    diff = diff_variables(local, deployed)
    rows = [
        *((name, "local only", mask(name, local[name]), "") for name in diff.local_only),
        *((name, "deployed only", "", mask(name, deployed[name])) for name in diff.deployed_only),
        *((name, "changed", mask(name, local[name]), mask(name, deployed[name])) for name in diff.changed),
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
