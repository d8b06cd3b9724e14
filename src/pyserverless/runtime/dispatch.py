"""Dispatch: one `Request` in, one `HttpResponse` out, exactly as Twilio Functions would answer it.

Steps, in order: decode the path strictly (bad percent-encoding -> 400); look the decoded path up in the
route table (exact, case-sensitive; `/` falls back to the asset `/index.html`), so only files in the table
are ever read and `..` or dotfiles cannot reach anything (-> 404); `OPTIONS` on a known route -> 204 with
Twilio's CORS headers, nothing run; private -> 403; more than 1,000 query parameters -> 400; protected and
the headers alone show no valid signature can be there (none, not shaped like one, no AUTH_TOKEN) -> 401
before the body is looked at; read the body's parameters (bad JSON -> 400, more than 1,000 form parameters ->
413); protected -> check the signature (-> 401, logged with the URL checked); then serve the asset or run the
function. A body larger than `PARSE_ON_LOOP_LIMIT` is parsed and its signature checked in a thread, so a
flood of large bodies never holds the event loop. A
function's module is imported once (an import failure is a 500 for that route only), called with `event` and
`context` through `invoke`, and its outcome turned into the answer: the payload, a 500 error page, a 500 for
no result, or a 504 past the limit (also for a handler that returned and never called back).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

from pyserverless.runtime.assets import AssetFiles
from pyserverless.runtime.context import RUNTIME_VARIABLES, Context
from pyserverless.runtime.error_page import describe, error_response
from pyserverless.runtime.event import (
    MAX_PARAMETERS,
    BadRequestBody,
    BodyParameters,
    build_event,
    parse_body,
    too_many_parameters,
)
from pyserverless.runtime.http import HttpResponse, Request
from pyserverless.runtime.invoke import Handler, NotAHandler, invoke
from pyserverless.runtime.loader import HandlerLoadError, ModuleCache, make_importable
from pyserverless.runtime.output import HandlerOutput, current_output
from pyserverless.runtime.payload import TEXT, payload_response
from pyserverless.runtime.routes import Route, RouteTable
from pyserverless.runtime.runtime_api import RuntimeScope, current_scope
from pyserverless.runtime.signature import SignatureCheck, check_signature, precheck
from pyserverless.runtime.threads import HandlerThreads, run_in_thread

RUNTIME_LOGGER = logging.getLogger("pyserverless.runtime")

CORS_HEADERS = [
    ("access-control-allow-origin", "*"),
    (
        "access-control-allow-headers",
        "Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, "
        "If-Unmodified-Since, User-Agent",
    ),
    ("access-control-allow-methods", "GET, POST, OPTIONS"),
    ("access-control-expose-headers", "ETag"),
    ("access-control-max-age", "86400"),
    ("access-control-allow-credentials", "true"),
]
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
HANDLER_THREADS = 32
#: Bodies larger than this (bytes) are parsed and signature-checked in a thread, off the event loop.
PARSE_ON_LOOP_LIMIT = 64 * 1024


@dataclass
class RuntimeSettings:
    """What a dispatcher serves and how.

    `expose_errors` puts stack traces in 500 bodies (local True, deployed False). `export_env` also copies
    `env` into `os.environ` (as Lambda does), except PATH and DOMAIN_NAME which the runtime owns.
    `sync_on_caller` runs sync handlers on the main thread with SIGALRM as their limit, for a host that
    serves one request at a time there (Lambda), instead of handing each to a worker thread.
    """

    root: Path
    routes: RouteTable
    env: dict[str, str]
    timeout: float = 10.0
    check_signatures: bool = True
    expose_errors: bool = True
    service_sid: str | None = None
    environment_sid: str | None = None
    export_env: bool = True
    handler_threads: int = HANDLER_THREADS
    sync_on_caller: bool = False


class InvalidPath(ValueError):
    pass


def decode_path(raw: str) -> str:
    """Percent-decode a request path strictly.

    A `%` not followed by two hex digits, or bytes that are not UTF-8, raise `InvalidPath`.
    """
    if "%" not in raw:
        return raw
    if _BAD_ESCAPE.search(raw):
        raise InvalidPath(raw)
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidPath(raw) from error


def text_response(status: int, text: str, route: str | None = None) -> HttpResponse:
    return HttpResponse(status, [("content-type", TEXT)], text.encode("utf-8"), route)


def domain_of(url: str) -> str:
    """`https://abc.ngrok.io/x?y` -> `abc.ngrok.io`."""
    return url.partition("://")[2].partition("/")[0].partition("?")[0]


class Dispatcher:
    """Answers requests for one project; see the module docstring."""

    def __init__(self, settings: RuntimeSettings) -> None:
        self.settings = settings
        self._routes = settings.routes
        self._modules = ModuleCache()
        self._handlers: dict[str, Handler] = {}
        self._assets = AssetFiles(settings.root)
        self._threads = HandlerThreads(settings.handler_threads)
        self._unset_logged: set[str] = set()
        self._scope = RuntimeScope(routes=settings.routes, env=settings.env, modules=self._modules)
        index = self._routes.get("/index.html")
        self._index = index if index is not None and index.kind == "asset" else None
        make_importable(settings.root)
        if settings.export_env:
            os.environ.update({k: v for k, v in settings.env.items() if k not in RUNTIME_VARIABLES})

    def close(self) -> None:
        """Stop the handler threads once their running calls end."""
        self._threads.shutdown()

    async def dispatch(self, request: Request) -> HttpResponse:
        try:
            path = decode_path(request.path)
        except InvalidPath:
            return text_response(400, "Bad Request: the path has an invalid percent-encoding.")
        route = self._routes.get(path)
        if route is None and path == "/":
            route = self._index
        if route is None or "/." in route.path:
            return text_response(404, "Not Found")
        if request.method == "OPTIONS":
            return HttpResponse(204, list(CORS_HEADERS), b"", route.path)
        if route.visibility == "private":
            return text_response(
                403,
                f"Forbidden: {route.path} is marked as private. Call it from a function through "
                f"Runtime.{'get_functions' if route.kind == 'function' else 'get_assets'}().",
                route.path,
            )
        if too_many_parameters(request.query_string):
            return text_response(
                400, f"Bad Request: the query holds more than {MAX_PARAMETERS:,} parameters.", route.path
            )
        signed = route.visibility == "protected" and self.settings.check_signatures
        if signed:
            failed = precheck(request, self.settings.env.get("AUTH_TOKEN", ""))
            if failed is not None:
                return _unauthorized(route, failed)
        if len(request.body) > PARSE_ON_LOOP_LIMIT:
            read = await asyncio.to_thread(self._read_parameters, route, request, signed)
        else:
            read = self._read_parameters(route, request, signed)
        if isinstance(read, HttpResponse):
            return read
        body = read
        if route.kind == "asset":
            served = self._assets.serve(route, request.method, request.headers)
            return served if served is not None else text_response(404, "Not Found")
        response = await self._run_function(route, request, build_event(request, body))
        response.route = route.path
        if request.method == "HEAD":
            response.headers.append(("content-length", str(len(response.body))))
            response.body = b""
        return response

    def _read_parameters(self, route: Route, request: Request, signed: bool) -> BodyParameters | HttpResponse:
        """The body's parameters, or the 400/413 for a body that cannot be read or the 401 for a bad
        signature."""
        try:
            body = parse_body(request.headers, request.body)
        except BadRequestBody as error:
            return text_response(error.status, str(error), route.path)
        if signed:
            check = check_signature(request, self.settings.env.get("AUTH_TOKEN", ""), body.form)
            if not check.valid:
                return _unauthorized(route, check)
        return body

    async def _run_function(self, route: Route, request: Request, event: dict[str, object]) -> HttpResponse:
        accept = request.headers.get("accept")
        output = HandlerOutput(route.path)
        output_token = current_output.set(output)
        scope_token = current_scope.set(self._scope)
        try:
            handler = self._handlers.get(route.path)
            if handler is None:
                try:
                    handler = await run_in_thread(
                        self._threads, self._load, route, timeout=self.settings.timeout
                    )
                except (HandlerLoadError, NotAHandler) as error:
                    RUNTIME_LOGGER.error("%s", _load_failure(error), extra={"route": route.path})
                    return error_response(error, accept, self.settings.expose_errors)
                except TimeoutError:
                    RUNTIME_LOGGER.error(
                        "%s did not finish importing within the execution limit of %g s; answered 504.",
                        route.source,
                        self.settings.timeout,
                        extra={"route": route.path},
                    )
                    return self._timeout_response(route)
            context = Context(
                self.settings.env,
                route.path,
                domain_of(request.public_url),
                self.settings.service_sid,
                self.settings.environment_sid,
                unset_logged=self._unset_logged,
            )
            outcome = await invoke(
                handler,
                context,
                event,
                route=route.path,
                timeout=self.settings.timeout,
                threads=self._threads,
                sync_on_caller=self.settings.sync_on_caller,
            )
        finally:
            current_scope.reset(scope_token)
            current_output.reset(output_token)
            output.flush()
        if outcome.kind == "result":
            try:
                return payload_response(outcome.value)
            except (TypeError, ValueError) as error:
                return self._failure(route, error, accept)
        if outcome.kind == "error":
            return self._failure(route, outcome.value, accept)
        if outcome.kind == "no_result":
            message = (
                f"{route.path} finished without a result: call callback(None, result) or return the "
                "result (return '' for an empty answer)."
            )
            return self._failure(route, NoResult(message), accept)
        if outcome.kind == "no_callback":
            return self._timeout_response(route, "returned without calling back, and no callback came")
        return self._timeout_response(route)

    def _failure(self, route: Route, error: object, accept: str | None) -> HttpResponse:
        """The 500 for a failed handler, logged with its traceback (the log never reaches the caller)."""
        name, message, stack = describe(error)
        RUNTIME_LOGGER.error(
            "%s answered 500: %s: %s%s",
            route.path,
            name,
            message,
            f"\n{stack}" if stack else "",
            extra={"route": route.path},
        )
        return error_response(error, accept, self.settings.expose_errors)

    def _timeout_response(self, route: Route, what: str = "did not finish") -> HttpResponse:
        return text_response(
            504,
            f"Gateway Timeout: {route.path} {what} within the execution limit of "
            f"{self.settings.timeout:g} seconds.",
        )

    def _load(self, route: Route) -> Handler:
        handler = Handler.of(self._modules.load(route), route.source)
        self._handlers[route.path] = handler
        return handler


def _unauthorized(route: Route, check: SignatureCheck) -> HttpResponse:
    """The 401 for a failed signature check, logged with why and the URL checked."""
    RUNTIME_LOGGER.warning(
        "401 for protected %s: %s (URL checked: %s).",
        route.path,
        check.reason,
        check.url,
        extra={"route": route.path},
    )
    return text_response(
        401, "Unauthorized: this route is protected and needs a valid X-Twilio-Signature.", route.path
    )


class NoResult(RuntimeError):
    """The handler neither called back nor returned a result."""


def _load_failure(error: Exception) -> str:
    if isinstance(error, HandlerLoadError):
        return f"{error.source} failed to import; its route answers 500 until it is fixed.\n{error.details}"
    return str(error)
