"""The route table shown when the server starts (and again by the reload supervisor when routes change), and
`UrlTable`, the table with a URL column that `start`, `deploy` and `list` print.

One row per route: path, kind, visibility and how to reach it. Public and protected routes show their full
URL under `base_url` (the local address, or the tunnel's); private ones are never served over HTTP, so their
row says how a function reaches them through `Runtime` instead.

How a `UrlTable` keeps URLs whole: it measures itself against the console when rendered. When every cell fits,
it is one table; when not (a terminal of 80 columns and a long tunnel or Lambda URL), the table leaves out the
URL column and each row's URL follows on a line of its own, which rich neither wraps nor cuts as long as the
table is printed with `console.print(table, crop=False)`. A URL copied from either form is whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from pyserverless.runtime.routes import Route, RouteTable

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

_VISIBILITY_STYLES = {"public": "green", "protected": "yellow", "private": "red"}
#: The width a table is measured in to learn how wide it wants to be (rich clamps a measure to the width).
UNBOUNDED_WIDTH = 100_000


@dataclass(frozen=True)
class UrlTable:
    """A titled table with a column of URLs (in a row with none, what to do instead); the last by default."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str | Text]]
    url_column: int = -1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        whole = self._table(with_urls=True)
        unbounded = options.update_width(UNBOUNDED_WIDTH)
        if Measurement.get(console, unbounded, whole).maximum <= options.max_width:
            yield whole
            return
        yield self._table(with_urls=False)
        for row in self.rows:
            key = row[0].plain if isinstance(row[0], Text) else row[0]
            yield Text(f"{key}  {row[self.url_column]}", no_wrap=True, overflow="ignore")

    def _table(self, with_urls: bool) -> Table:
        url_index = self.url_column % len(self.columns)
        shown = [index for index in range(len(self.columns)) if with_urls or index != url_index]
        table = Table(title=self.title, title_justify="left", expand=False)
        for index in shown:
            table.add_column(self.columns[index], no_wrap=index == 0, overflow="fold")  # no "…"
        for row in self.rows:
            table.add_row(*(row[index] for index in shown))
        return table


def reach(route: Route, base_url: str) -> str:
    """How to call `route`: its URL, or for a private route the `Runtime` call that returns it."""
    if route.visibility != "private":
        return base_url.rstrip("/") + route.path
    if route.kind == "asset":
        return f'Runtime.get_assets()["{route.path}"] (not served over HTTP)'
    return f'Runtime.get_functions()["{route.key}"] (not served over HTTP)'


def route_table(routes: RouteTable, base_url: str) -> RenderableType:
    """A table of every route (to print with `crop=False`), or a one-line note when there is none yet."""
    if not len(routes):
        return Text("No functions or assets yet: add files under functions/ or assets/.", style="yellow")
    return UrlTable(
        "Routes",
        ("Route", "Kind", "Visibility", "URL"),
        [
            (
                route.path,
                route.kind,
                Text(route.visibility, style=_VISIBILITY_STYLES[route.visibility]),
                reach(route, base_url),
            )
            for route in routes
        ],
    )
