"""Pages the local dev server answers itself, under `/_dev/`: no route can take that prefix (a file or folder
whose name starts with `_` is never a route).

The pages of `LocalPages` (the dev phone, `dev.phone_pages`) are answered under the same condition.

`GET /_dev/project?root=FOLDER` answers `{"serves": true}` when this server serves the project folder FOLDER,
else `{"serves": false}`: `sms` and `call` send over HTTP only to a `start` of their own project. The page
confirms a folder the caller names instead of telling which one it serves, so it reveals nothing the caller
does not already know, and it answers only a caller on this machine that came straight to it: a loopback peer,
a loopback Host (no DNS-rebound browser page), and no proxy's `X-Forwarded-*` or `Forwarded` header (nothing
that came through the tunnel). Anyone else gets the 404 of an unknown route.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from pyserverless.runtime.http import HttpResponse, Request

DEV_PREFIX = "/_dev/"
PROJECT_PAGE = "/_dev/project"
#: The dev phone (`dev.phone_pages`).
PHONE_PAGE = "/_dev/phone"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class LocalPages(Protocol):
    """More `/_dev/` pages, answered to direct local callers only: None for a path they do not serve."""

    async def answer(self, request: Request) -> HttpResponse | None: ...

    def close(self) -> None: ...


def dev_page(request: Request, root: Path) -> HttpResponse | None:
    """The answer of a `/_dev/` page to `request`, or None when it is not one this caller may see."""
    if request.method != "GET" or request.path != PROJECT_PAGE or not direct_local(request):
        return None
    asked = next((value for key, value in request.query if key == "root"), "")
    body = json.dumps({"serves": bool(asked) and _same_folder(Path(asked), root)}).encode()
    return HttpResponse(200, [("content-type", "application/json"), ("cache-control", "no-store")], body)


def direct_local(request: Request) -> bool:
    """A loopback peer that named a loopback host and came through no proxy."""
    if not _is_loopback(request.client) or any(
        name == "forwarded" or name.startswith("x-forwarded-") for name, _ in request.headers
    ):
        return False
    host = urlsplit(f"//{request.headers.get('host') or ''}").hostname
    return host in LOOPBACK_HOSTS


def _is_loopback(client: str | None) -> bool:
    return client is not None and (client.startswith("127.") or client in ("::1", "::ffff:127.0.0.1"))


def _same_folder(asked: Path, root: Path) -> bool:
    try:
        return asked.is_absolute() and asked.resolve() == root.resolve()
    except (OSError, ValueError):  # a path the system cannot resolve (a NUL byte, a loop of links)
        return False
