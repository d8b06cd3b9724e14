"""AWS Lambda entry point (`pyserverless.runtime.lambda_entry.handler`): Function URL events in and out.

At cold start the dispatcher is built once for the process: routes from the manifest written at package time
(`project/pyserverless.json` under LAMBDA_TASK_ROOT, the unzipped package; no folder scan), the project's
variables from `os.environ` restricted to the names listed in PYSERVERLESS_ENV_KEYS (so Lambda's own AWS
credentials never reach `context`), the execution limit from PYSERVERLESS_TIMEOUT, signatures checked, and
500 answers that say nothing of the error but the invocation's `aws_request_id` (the details are in the log).

Each invocation turns the payload-format-2.0 event into a `Request`: method from `requestContext.http`,
`rawPath` and `rawQueryString` untouched (repeated keys kept), headers (lower-cased by Lambda) plus a
`cookie` header rebuilt from the `cookies` list, the body base64-decoded when `isBase64Encoded`, and the
public URL `https://<requestContext.domainName><rawPath>?<rawQueryString>` that Twilio signed. The
`HttpResponse` goes back as `{statusCode, headers, cookies, body, isBase64Encoded}`: every Set-Cookie in
`cookies`, other repeated headers joined with ", ", and the body as text when it is textual UTF-8, else
base64; a body over Lambda's 6 MB limit becomes a logged 500 instead of Lambda's own opaque failure.
A request is answered on Lambda's main thread (one at a time), a sync handler stopped by SIGALRM at the
execution limit, with no event loop: asyncio is imported only when an async handler first runs, on one event
loop kept for the life of the process. One JSON line per request is logged for `pyserverless logs`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import sys
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyserverless.runtime.alarm import on_main_thread
from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.error_page import current_request_id
from pyserverless.runtime.http import Headers, HttpResponse, Request, media_type, public_url
from pyserverless.runtime.manifest import PROJECT_DIR, TIMEOUT_VARIABLE, project_env, read_manifest
from pyserverless.runtime.payload import TEXT

if TYPE_CHECKING:
    import asyncio

REQUEST_LOGGER = logging.getLogger("pyserverless.request")
RUNTIME_LOGGER = logging.getLogger("pyserverless.runtime")
#: What a Function URL response body may weigh (AWS Lambda's 6 MB payload limit, with room for the rest).
MAX_RESPONSE_BODY = 6 * 1024 * 1024 - 16 * 1024
TOO_LARGE = b"Internal Server Error: the response is larger than AWS Lambda's 6 MB limit.\n"
#: The key and value that mark the one JSON line per request, which `pyserverless logs` reads back.
REQUEST_LOG_MARKER = ("pyserverless", "request")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


@cache
def process_dispatcher() -> Dispatcher:
    """The process's dispatcher, built on the first invocation (the cold start).

    Kept for the life of the process; `process_dispatcher.cache_clear()` forgets it, so the next invocation
    builds it again from the environment (tests do this around a changed task root).
    """
    logger = logging.getLogger("pyserverless")
    logger.setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        logger.addHandler(stream)
    root = Path(os.environ.get("LAMBDA_TASK_ROOT") or PACKAGE_ROOT) / PROJECT_DIR
    settings = RuntimeSettings(
        root=root,
        routes=read_manifest(root),
        env=project_env(os.environ),
        timeout=float(os.environ.get(TIMEOUT_VARIABLE, "10")),
        check_signatures=True,
        expose_errors=False,
        export_env=False,
    )
    return Dispatcher(settings)


@cache
def process_event_loop() -> asyncio.AbstractEventLoop:
    """The process's event loop, made when a request first needs one (an async handler)."""
    import asyncio

    return asyncio.new_event_loop()


def answer(dispatcher: Dispatcher, request: Request) -> HttpResponse:
    """The dispatcher's answer, on this thread when it is the main one (it is on Lambda), else on the loop."""
    if not on_main_thread():
        return process_event_loop().run_until_complete(dispatcher.dispatch(request))
    answered = dispatcher.dispatch_on_caller(request)
    if isinstance(answered, HttpResponse):
        return answered
    return process_event_loop().run_until_complete(dispatcher.run_function(answered))


def request_from_event(event: dict[str, Any]) -> Request:
    """The `Request` a Function URL event (payload format 2.0) describes."""
    context = event.get("requestContext", {})
    http = context.get("http", {})
    raw_path = event.get("rawPath") or http.get("path") or "/"
    raw_query = event.get("rawQueryString") or ""
    pairs = [
        (name, value) for name, value in (event.get("headers") or {}).items() if name.lower() != "cookie"
    ]
    cookies = event.get("cookies") or []
    if cookies:
        pairs.append(("cookie", "; ".join(cookies)))
    headers = Headers(pairs)
    body_text = event.get("body") or ""
    body = base64.b64decode(body_text) if event.get("isBase64Encoded") else body_text.encode("utf-8")
    host = context.get("domainName") or headers.get("host") or "localhost"
    return Request(
        method=str(http.get("method", "GET")).upper(),
        path=raw_path,
        query_string=raw_query,
        headers=headers,
        body=body,
        public_url=public_url("https", host, raw_path, raw_query),
        client=http.get("sourceIp"),
    )


def _is_text(content_type: str | None) -> bool:
    media = media_type(content_type)
    return media.startswith(_TEXT_TYPES) or media.endswith(_TEXT_SUFFIXES)


def result_from_response(response: HttpResponse) -> dict[str, Any]:
    """The Function URL response for an `HttpResponse`."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in response.headers:
        key = name.lower()
        if key == "set-cookie":
            cookies.append(value)
        elif key in headers:
            headers[key] = f"{headers[key]}, {value}"
        else:
            headers[key] = value
    body: str
    encoded = True
    if _is_text(response.header("content-type")):
        try:
            body = response.body.decode("utf-8")
            encoded = False
        except UnicodeDecodeError:
            pass
    if encoded:
        body = base64.b64encode(response.body).decode("ascii")
    return {
        "statusCode": response.status,
        "headers": headers,
        "cookies": cookies,
        "body": body,
        "isBase64Encoded": encoded,
    }


def handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    """Lambda's handler: answer one Function URL request through the project's dispatcher."""
    dispatcher = process_dispatcher()
    started = time.perf_counter()
    request = request_from_event(event)
    request_id = getattr(context, "aws_request_id", None)
    token = current_request_id.set(request_id)
    try:
        response = answer(dispatcher, request)
    finally:
        current_request_id.reset(token)
    result = result_from_response(response)
    if len(result["body"]) > MAX_RESPONSE_BODY:
        RUNTIME_LOGGER.error(
            "%s answered %.1f MB (%s): more than AWS Lambda can return (6 MB); the caller gets a 500.",
            response.route or request.path,
            len(response.body) / 1024 / 1024,
            "base64-encoded" if result["isBase64Encoded"] else "text",
            extra={"route": response.route or request.path},
        )
        response = HttpResponse(500, [("content-type", TEXT)], TOO_LARGE, response.route)
        result = result_from_response(response)
    REQUEST_LOGGER.info(
        "%s",
        json.dumps(
            {
                REQUEST_LOG_MARKER[0]: REQUEST_LOG_MARKER[1],
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "route": response.route,
                "status": response.status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
            sort_keys=True,
        ),
    )
    return result
