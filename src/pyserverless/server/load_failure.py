"""What a dev server answers while its project cannot load (two files on one route, a broken env file...):
503 with the error, the very text the terminal shows, until a change lets the project load again."""

from __future__ import annotations

from pathlib import Path

from pyserverless.project.folder import Project
from pyserverless.runtime.http import HttpResponse, Request
from pyserverless.runtime.routes import RouteTable

TEXT = "text/plain; charset=utf-8"
FIX = "Fix it and save: the server restarts on the next change."


class LoadFailure:
    """Stands in for the project's `Dispatcher`: every request gets 503 and why the project did not load."""

    def __init__(self, error: str) -> None:
        self._body = f"The project could not be loaded: {error.rstrip()}\n{FIX}\n".encode()

    async def dispatch(self, request: Request) -> HttpResponse:
        return HttpResponse(503, [("content-type", TEXT), ("cache-control", "no-store")], self._body)

    def close(self) -> None:
        """Nothing to release: no handler ever ran."""


def unloaded(root: Path) -> Project:
    """The project folder with nothing loaded from it: no routes, no variables."""
    return Project(root=root.resolve(), routes=RouteTable([]), env={}, env_file=None, config={})
