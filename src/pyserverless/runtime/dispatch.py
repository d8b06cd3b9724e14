"""Dispatch: one `Request` in, one `HttpResponse` out, exactly as Twilio Functions would answer it.

Steps, in order: decode the path strictly (bad percent-encoding -> 400); look the decoded path up in the
route table (exact, case-sensitive; `/` falls back to the asset `/index.html`), so only files in the table
are ever read and `..` or dotfiles cannot reach anything (-> 404); `OPTIONS` on a known route -> 204 with
Twilio's CORS headers, nothing run; private -> 403; more than 1,000 query parameters -> 400; protected and
the headers alone show no valid signature can be there (none, not shaped like one, no AUTH_TOKEN) -> 401
before the body is looked at; read the body's parameters (bad JSON -> 400, more than 1,000 form parameters ->
413); protected -> check the signature (-> 401, logged with the URL checked); then serve the asset or run the
function. A body larger than `PARSE_ON_LOOP_LIMIT` is parsed and its signature checked in a thread, so a
flood of large bodies never holds the event loop. A function's module is imported once (an import failure
is a 500 for that route only), its handler called with `event` and `context` (`invoke`, `on_loop`), and its
outcome turned into the answer: the payload, a 500 error page, a 500 for no result, or a 504 past the limit
(also for a handler that returned and never called back).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote_to_bytes

from pyserverless.runtime.alarm import call_with_limit
from pyserverless.runtime.context import RUNTIME_VARIABLES, Context
from pyserverless.runtime.error_page import describe, error_response
from pyserverless.runtime.event import (
    MAX_PARAMETERS,
    BadRequestBody,
    build_event,
    parse_body,
    too_many_parameters,
)
from pyserverless.runtime.http import HttpResponse, Request
from pyserverless.runtime.invoke import Handler, NotAHandler, Outcome, invoke_on_caller
from pyserverless.runtime.loader import HandlerLoadError, ModuleCache, make_importable
from pyserverless.runtime.output import HandlerOutput, current_output
from pyserverless.runtime.payload import TEXT, payload_response
from pyserverless.runtime.routes import Route, RouteTable
from pyserverless.runtime.runtime_api import RuntimeScope, current_scope
from pyserverless.runtime.signature import SignatureCheck, check_signature, precheck

if TYPE_CHECKING:
    from pyserverless.runtime.assets import AssetFiles

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


class FunctionCall(NamedTuple):
    """A request that passed every check on its way to a function, with the `event` its handler gets. (A
    named tuple: one is made per request, in half a frozen dataclass's time, 0.53 -> 0.27 µs.)"""

    route: Route
    request: Request
    event: dict[str, Any]


class Dispatcher:
    """Answers requests for one project; see the module docstring.

    Two ways in: `dispatch` from an event loop (the local server), and `dispatch_on_caller` on the main
    thread of a process that serves one request at a time (Lambda). asyncio and the worker threads are
    imported on the first function run from an event loop (`_LoopCalls`), so a Lambda that only runs sync
    handlers never loads them (about a third of its cold start); the asset server (with its date and MIME
    handling) on the first asset.
    """

    def __init__(self, settings: RuntimeSettings) -> None:
        self.settings = settings
        self._routes = settings.routes
        self._modules = ModuleCache()
        self._handlers: dict[str, Handler] = {}
        self._assets: AssetFiles | None = None
        self._loop_calls: _LoopCalls | None = None
        #: The last origin (`scheme://domain/`) a function was called on, and its domain.
        self._origin: tuple[str, str] | None = None
        self._unset_logged: set[str] = set()
        self._scope = RuntimeScope(routes=settings.routes, env=settings.env, modules=self._modules)
        index = self._routes.get("/index.html")
        self._index = index if index is not None and index.kind == "asset" else None
        make_importable(settings.root)
        if settings.export_env:
            os.environ.update({k: v for k, v in settings.env.items() if k not in RUNTIME_VARIABLES})

    def close(self) -> None:
        """Stop the handler threads once their running calls end."""
        if self._loop_calls is not None:
            self._loop_calls.threads.shutdown()

    async def dispatch(self, request: Request) -> HttpResponse:
        """The answer, from an event loop: a large body is read and sync handlers run on worker threads."""
        admitted = self._admit(request)
        if isinstance(admitted, HttpResponse):
            return admitted
        if len(request.body) > PARSE_ON_LOOP_LIMIT:
            import asyncio

            target = await asyncio.to_thread(self._target, admitted, request)
        else:
            target = self._target(admitted, request)
        if isinstance(target, FunctionCall):
            return await self.run_function(target)
        return target

    def dispatch_on_caller(self, request: Request) -> HttpResponse | FunctionCall:
        """The answer, computed on this thread, the main one: a function's import and a sync handler are
        stopped at the limit by SIGALRM (`alarm`). An async handler's call is returned instead, for
        `run_function` on an event loop."""
        admitted = self._admit(request)
        if isinstance(admitted, HttpResponse):
            return admitted
        call = self._target(admitted, request)
        if isinstance(call, HttpResponse):
            return call
        route = call.route
        with _HandlerScope(route.path, self._scope):
            handler = self._handlers.get(route.path)
            if handler is None:
                try:
                    if not call_with_limit(self._load, route, timeout=self.settings.timeout):
                        return self._finished(call, self._import_timed_out(route))
                except (HandlerLoadError, NotAHandler) as error:
                    return self._finished(call, self._load_failed(route, error, call.request))
                handler = self._handlers[route.path]
            if handler.is_async:
                return call
            outcome = invoke_on_caller(
                handler, self._context(call), call.event, route=route.path, timeout=self.settings.timeout
            )
        return self._finished(call, self._answer(route, outcome, call.request))

    async def run_function(self, call: FunctionCall) -> HttpResponse:
        """The answer of a function, from an event loop (a sync handler on a worker thread)."""
        loop_calls = self._loop_calls or self._start_loop_calls()
        route = call.route
        with _HandlerScope(route.path, self._scope):  # a file's import-time output and Runtime calls too
            handler = self._handlers.get(route.path)
            if handler is None:
                try:
                    handler = await loop_calls.run_in_thread(
                        loop_calls.threads, self._load, route, timeout=self.settings.timeout
                    )
                except (HandlerLoadError, NotAHandler) as error:
                    return self._finished(call, self._load_failed(route, error, call.request))
                except TimeoutError:
                    return self._finished(call, self._import_timed_out(route))
            outcome = await loop_calls.invoke(
                handler,
                self._context(call),
                call.event,
                route=route.path,
                timeout=self.settings.timeout,
                threads=loop_calls.threads,
            )
        return self._finished(call, self._answer(route, outcome, call.request))

    def _admit(self, request: Request) -> HttpResponse | tuple[Route, bool]:
        """The route a request goes on to and whether its signature is checked, or the answer that stops it
        before its body is read."""
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
        return route, signed

    def _target(self, admitted: tuple[Route, bool], request: Request) -> HttpResponse | FunctionCall:
        """Read the body's parameters (400/413 when it cannot be read), check the signature (401), then serve
        the asset or name the function call."""
        route, signed = admitted
        try:
            body = parse_body(request.headers, request.body)
        except BadRequestBody as error:
            return text_response(error.status, str(error), route.path)
        if signed:
            check = check_signature(request, self.settings.env.get("AUTH_TOKEN", ""), body.form)
            if not check.valid:
                return _unauthorized(route, check)
        if route.kind == "asset":
            served = self._asset_files().serve(route, request.method, request.headers)
            return served if served is not None else text_response(404, "Not Found")
        return FunctionCall(route, request, build_event(request, body))

    def _context(self, call: FunctionCall) -> Context:
        return Context(
            self.settings.env,
            call.route.path,
            self._domain(call.request.public_url),
            self.settings.service_sid,
            self.settings.environment_sid,
            unset_logged=self._unset_logged,
        )

    def _domain(self, public_url: str) -> str:
        """`domain_of(public_url)`, kept for the last origin: a server's requests nearly all have the same one
        (0.25 -> 0.13 µs)."""
        origin = self._origin
        if origin is not None and public_url.startswith(origin[0]):
            return origin[1]
        domain = domain_of(public_url)
        self._origin = (f"{public_url.partition('://')[0]}://{domain}/", domain)
        return domain

    def _answer(self, route: Route, outcome: Outcome, request: Request) -> HttpResponse:
        """The answer for how a handler call ended."""
        if outcome.kind == "result":
            try:
                return payload_response(outcome.value)
            except (TypeError, ValueError) as error:
                return self._failure(route, error, request)
        if outcome.kind == "error":
            return self._failure(route, outcome.value, request)
        if outcome.kind == "no_result":
            message = (
                f"{route.path} finished without a result: call callback(None, result) or return the "
                "result (return '' for an empty answer)."
            )
            return self._failure(route, NoResult(message), request)
        if outcome.kind == "no_callback":
            return self._timeout_response(route, "returned without calling back, and no callback came")
        return self._timeout_response(route)

    @staticmethod
    def _finished(call: FunctionCall, response: HttpResponse) -> HttpResponse:
        """A function's answer, marked with its route, its body dropped for HEAD."""
        response.route = call.route.path
        if call.request.method == "HEAD":
            response.headers.append(("content-length", str(len(response.body))))
            response.body = b""
        return response

    def _failure(self, route: Route, error: object, request: Request) -> HttpResponse:
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
        return error_response(error, request.headers.get("accept"), self.settings.expose_errors)

    def _load_failed(self, route: Route, error: Exception, request: Request) -> HttpResponse:
        RUNTIME_LOGGER.error("%s", _load_failure(error), extra={"route": route.path})
        return error_response(error, request.headers.get("accept"), self.settings.expose_errors)

    def _import_timed_out(self, route: Route) -> HttpResponse:
        RUNTIME_LOGGER.error(
            "%s did not finish importing within the execution limit of %g s; answered 504.",
            route.source,
            self.settings.timeout,
            extra={"route": route.path},
        )
        return self._timeout_response(route)

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

    def _asset_files(self) -> AssetFiles:
        if self._assets is None:
            from pyserverless.runtime.assets import AssetFiles

            self._assets = AssetFiles(self.settings.root)
        return self._assets

    def _start_loop_calls(self) -> _LoopCalls:
        self._loop_calls = _LoopCalls(self.settings.handler_threads)
        return self._loop_calls


class _LoopCalls:
    """What running functions from an event loop takes: the worker threads, `on_loop.invoke` and
    `threads.run_in_thread`, imported (with asyncio) on a dispatcher's first such run and kept, as importing
    them again on each run cost 1.4 µs."""

    def __init__(self, size: int) -> None:
        from pyserverless.runtime.on_loop import invoke
        from pyserverless.runtime.threads import HandlerThreads, run_in_thread

        self.threads = HandlerThreads(size)
        self.invoke = invoke
        self.run_in_thread = run_in_thread


class _HandlerScope:
    """While a handler runs: its output captured for its route, and `Runtime` answering for this project."""

    __slots__ = ("_output", "_output_token", "_scope", "_scope_token")

    def __init__(self, route: str, scope: RuntimeScope) -> None:
        self._output = HandlerOutput(route)
        self._scope = scope

    def __enter__(self) -> None:
        self._output_token = current_output.set(self._output)
        self._scope_token = current_scope.set(self._scope)

    def __exit__(self, *exc_info: object) -> None:
        current_scope.reset(self._scope_token)
        current_output.reset(self._output_token)
        self._output.flush()


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
