"""The dev phone over HTTP: the page at `/_dev/phone` and the JSON API under `/_dev/api/` that it uses.

How it works: the server hands every `/_dev/` request of a caller on this machine (`server.dev_pages`: a
loopback peer and Host, no proxy header, so never through the tunnel) to `PhonePages.answer`, which serves the
page's static files from the package or calls the `DevPhone` engine in a thread (it blocks while a function
runs). A request the phone does not know falls through to the 404 of an unknown route. Requests that act must
send JSON (`Content-Type: application/json`) and, when they carry an `Origin`, come from a loopback origin:
a web page of another site cannot make a browser send either without a CORS preflight, which is not answered,
so only this machine's own pages and scripts can text the functions. The engine, and with it the simulator
package, is loaded by the first API request: a worker that nobody opens the phone on never imports it.

    GET    /_dev/phone                        the page (and /_dev/phone/phone.css, /_dev/phone/phone.js)
    GET    /_dev/api/routes                   {"functions": ["/state", …], "code": {…}}
    POST   /_dev/api/messages                 {"path", "body", "from"?, "to"?} -> the replies, TwiML, cookies
    GET    /_dev/api/conversations            every (From, To) pair holding cookies
    DELETE /_dev/api/conversations[?from=&to=]  forget one pair's cookies, or every pair's
    POST   /_dev/api/calls                    {"path", "from"?, "to"?} -> the call until it waits or ends
    POST   /_dev/api/calls/CA…                {"digits"} | {"speech"} | {"silence": true}
    DELETE /_dev/api/calls/CA…                the caller hangs up
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from pyserverless.errors import UserError
from pyserverless.project.folder import Project
from pyserverless.runtime.http import HttpResponse, Request
from pyserverless.server.dev_pages import LOOPBACK_HOSTS, PHONE_PAGE
from pyserverless.server.serving import ServerOptions
from pyserverless.server.sockets import base_url

if TYPE_CHECKING:
    from pyserverless.simulate.phone import DevPhone

API = "/_dev/api/"
CALLS = "/_dev/api/calls"
STATIC_FILES = {
    PHONE_PAGE: ("index.html", "text/html; charset=utf-8"),
    f"{PHONE_PAGE}/phone.css": ("phone.css", "text/css; charset=utf-8"),
    f"{PHONE_PAGE}/phone.js": ("phone.js", "text/javascript; charset=utf-8"),
}
#: The page's own files only: no inline script, nothing from elsewhere.
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
JSON = "application/json"


class PhonePages:
    """The dev phone's page and API for one server worker (its engine created on the first request)."""

    def __init__(self, project: Project, base_url: str, timeout: float | None = None) -> None:
        self._project = project
        self._base_url = base_url
        self._timeout = timeout
        self._phone: DevPhone | None = None

    @classmethod
    def for_server(cls, project: Project, sock: socket.socket, options: ServerOptions) -> PhonePages:
        """The phone of a dev server serving `project` on `sock`: its functions called as at its local URL."""
        return cls(project, base_url(options.host, sock.getsockname()[1]), options.timeout)

    async def answer(self, request: Request) -> HttpResponse | None:
        """The answer to a `/_dev/` request of a direct local caller, or None when it is no phone page."""
        if request.path in STATIC_FILES:
            return _static(*STATIC_FILES[request.path]) if request.method == "GET" else None
        if not request.path.startswith(API):
            return None
        if request.method in ("POST", "DELETE") and not _same_machine_origin(request):
            return _json(403, {"error": "The dev phone answers pages of this machine only."})
        operation = self._operation(request)
        if operation is None:
            return None
        # Here, not at the top: a worker loads the simulator only once the phone is used.
        from pyserverless.simulate.phone import UnknownCall

        try:
            return _json(200, await asyncio.to_thread(operation))
        except UnknownCall as error:
            return _json(404, {"error": error.message, "hint": error.hint})
        except UserError as error:
            return _json(400, {"error": error.message, "hint": error.hint})

    def close(self) -> None:
        if self._phone is not None:
            self._phone.close()

    @property
    def phone(self) -> DevPhone:
        if self._phone is None:
            from pyserverless.simulate.phone import DevPhone

            self._phone = DevPhone(self._project, self._base_url, self._timeout)
        return self._phone

    def _operation(self, request: Request) -> Callable[[], dict[str, Any]] | None:
        """What the request asks of the phone, ready to run; None for an unknown path or method."""
        path, method = request.path, request.method
        query = dict(parse_qsl(request.query_string))
        if path == f"{API}routes" and method == "GET":
            return self.phone.routes
        if path == f"{API}conversations" and method == "GET":
            return self.phone.conversations
        if path == f"{API}conversations" and method == "DELETE":
            return lambda: self.phone.reset(query.get("from"), query.get("to"))
        if path == f"{API}messages" and method == "POST":
            return lambda: _with_body(
                request,
                lambda body: self.phone.send_message(
                    body.get("path", ""), _text(body, "body"), body.get("from"), body.get("to")
                ),
            )
        if path == CALLS and method == "POST":
            return lambda: _with_body(
                request,
                lambda body: self.phone.start_call(body.get("path", ""), body.get("from"), body.get("to")),
            )
        if path.startswith(f"{CALLS}/") and method in ("POST", "DELETE"):
            sid = path[len(CALLS) + 1 :]
            if method == "DELETE":
                return lambda: self.phone.hang_up(sid)
            return lambda: _with_body(
                request,
                lambda body: self.phone.answer_call(
                    sid,
                    _optional_text(body, "digits"),
                    _optional_text(body, "speech"),
                    body.get("silence") is True,
                ),
            )
        return None


def _with_body(request: Request, operation: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise UserError("The dev phone API takes JSON.", hint="Send Content-Type: application/json.")
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as error:
        raise UserError(
            f"The request body is not JSON: {error}.", hint='Send e.g. {"path": "/state"}.'
        ) from error
    if not isinstance(body, dict):
        raise UserError("The request body must be a JSON object.", hint='Send e.g. {"path": "/state"}.')
    return operation(body)


def _text(body: dict[str, Any], name: str) -> str:
    value = _optional_text(body, name)
    return "" if value is None else value


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise UserError(f'"{name}" must be a string.', hint=f'Send e.g. "{name}": "1".')
    return value


def _same_machine_origin(request: Request) -> bool:
    """No `Origin` (a script), or a loopback one (the page itself)."""
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).hostname in LOOPBACK_HOSTS


def _static(name: str, content_type: str) -> HttpResponse:
    body = files("pyserverless.dev").joinpath("phone").joinpath(name).read_bytes()
    headers = [
        ("content-type", content_type),
        ("cache-control", "no-store"),
        ("content-security-policy", PAGE_POLICY),
        ("x-content-type-options", "nosniff"),
    ]
    return HttpResponse(200, headers, body)


def _json(status: int, document: dict[str, Any]) -> HttpResponse:
    body = json.dumps(document).encode()
    return HttpResponse(status, [("content-type", JSON), ("cache-control", "no-store")], body)
