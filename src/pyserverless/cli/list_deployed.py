"""`pyserverless list [environments|routes|variables]`: what is deployed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import DeployedEnvironment, JsonOption, deployed_environment
from pyserverless.errors import UserError

if TYPE_CHECKING:
    from pyserverless.operate.listing import EnvironmentListing, RouteListing

KINDS = ("environments", "routes", "variables")
_LOCAL_STYLES = {"same": "green", "differs": "yellow", "unknown": "dim"}


@deployed_environment
def command(
    kind: Annotated[
        str, typer.Argument(help="What to list: environments, routes or variables.")
    ] = "environments",
    *,
    show_values: Annotated[
        bool, typer.Option("--show-values", help="With variables: print their values too (secrets included).")
    ] = False,
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """List the deployed environments, or the routes or variable names of one environment."""
    from pyserverless.cli.env import show_variables
    from pyserverless.cli.output import print_json, warn
    from pyserverless.operate.listing import list_environments, list_routes

    if kind not in KINDS:
        raise UserError(f"Cannot list {kind!r}.", hint="Use one of: environments, routes, variables.")
    if kind == "environments":
        listing = list_environments(deployed.scope())
        for message in listing.warnings:
            warn(message)
        if json_output:
            print_json(
                {
                    "service": listing.service,
                    "region": listing.region,
                    "environments": [vars(summary) for summary in listing.environments],
                }
            )
        else:
            _print_environments(listing)
        return
    live = deployed.open()
    if kind == "routes":
        routes = list_routes(live)
        if json_output:
            print_json({**vars(routes), "routes": [vars(route) for route in routes.routes]})
        else:
            _print_routes(routes)
        return
    show_variables(live, show_values, json_output)


def _print_environments(listing: EnvironmentListing) -> None:
    from rich.table import Table

    from pyserverless.cli.output import console

    if not listing.environments:
        console.print(
            f"No environment of the service {listing.service} is deployed in {listing.region}.", markup=False
        )
        return
    table = Table(title=f"Environments of {listing.service} ({listing.region})", title_justify="left")
    for column in ("Environment", "URL", "Last change", "Code hash", "Local project"):
        table.add_column(column)
    for summary in listing.environments:
        table.add_row(
            summary.environment,
            summary.url or "no function URL",
            summary.last_modified,
            summary.code_sha256,
            f"[{_LOCAL_STYLES[summary.local]}]{summary.local}[/]",
        )
    console.print(table)


def _print_routes(listing: RouteListing) -> None:
    from rich.table import Table

    from pyserverless.cli.output import console

    table = Table(title=f"Routes of {listing.environment} ({listing.function_name})", title_justify="left")
    for column in ("Route", "Visibility", "URL"):
        table.add_column(column)
    for route in listing.routes:
        if route.visibility == "private":
            url = "not served over HTTP (Runtime only)"
        else:
            url = route.url or "no function URL (deploy again to create it)"
        table.add_row(route.path, route.visibility, url)
    console.print(table)
