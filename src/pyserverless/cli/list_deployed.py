"""`pyserverless list [environments|routes|variables]`: what is deployed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import DeployedEnvironment, JsonOption, deployed_environment
from pyserverless.errors import UserError

if TYPE_CHECKING:
    from pyserverless.deploy.state import DeployedRoute
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
    from pyserverless.cli.output import warn
    from pyserverless.cli.plain_output import print_json
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
    from rich.text import Text

    from pyserverless.cli.output import console
    from pyserverless.dev.route_table import UrlTable

    if not listing.environments:
        console.print(
            f"No environment of the service {listing.service} is deployed in {listing.region}.", markup=False
        )
        return
    table = UrlTable(
        f"Environments of {listing.service} ({listing.region})",
        ("Environment", "URL", "Last change", "Code hash", "Local project"),
        [
            (
                summary.environment,
                summary.url or "no function URL",
                summary.last_modified,
                summary.code_sha256,
                Text(summary.local, style=_LOCAL_STYLES[summary.local]),
            )
            for summary in listing.environments
        ],
        url_column=1,
    )
    console.print(table, crop=False)  # URLs never cut


def _print_routes(listing: RouteListing) -> None:
    from pyserverless.cli.output import console
    from pyserverless.dev.route_table import UrlTable

    table = UrlTable(
        f"Routes of {listing.environment} ({listing.function_name})",
        ("Route", "Visibility", "URL"),
        [(route.path, route.visibility, _reach(route)) for route in listing.routes],
    )
    console.print(table, crop=False)  # URLs never cut


def _reach(route: DeployedRoute) -> str:
    if route.visibility == "private":
        return "not served over HTTP (Runtime only)"
    return route.url or "no function URL (deploy again to create it)"
