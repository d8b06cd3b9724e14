"""The route table shown when the server starts (and again by the reload supervisor when routes change).

One row per route: path, kind, visibility and how to reach it. Public and protected routes show their full
URL under `base_url` (the local address, or the tunnel's); private ones are never served over HTTP, so their
row says how a function reaches them through `Runtime` instead.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from pyserverless.runtime.routes import Route, RouteTable

_VISIBILITY_STYLES = {"public": "green", "protected": "yellow", "private": "red"}


def reach(route: Route, base_url: str) -> str:
    """How to call `route`: its URL, or for a private route the `Runtime` call that returns it."""
    if route.visibility != "private":
        return base_url.rstrip("/") + route.path
    if route.kind == "asset":
        return f'Runtime.get_assets()["{route.path}"] (not served over HTTP)'
    return f'Runtime.get_functions()["{route.key}"] (not served over HTTP)'


def route_table(routes: RouteTable, base_url: str) -> Table | Text:
    """A rich table of every route, or a one-line note when the project has none yet."""
    if not len(routes):
        return Text("No functions or assets yet: add files under functions/ or assets/.", style="yellow")
    table = Table(title="Routes", title_justify="left", expand=False)
    table.add_column("Route", no_wrap=True)
    table.add_column("Kind")
    table.add_column("Visibility")
    table.add_column("URL", overflow="fold")
    for route in routes:
        table.add_row(
            route.path,
            route.kind,
            Text(route.visibility, style=_VISIBILITY_STYLES[route.visibility]),
            reach(route, base_url),
        )
    return table
