"""The 500 answer for a failed handler: an escaped HTML page for browsers, JSON `{message, name, stack}` else.

The stack leaves out the runtime's own frames. When errors are not exposed (deployed), the answer says nothing
of the error, which may hold secrets or internals: a generic page or `{message, name, request_id}`, where the
request id is the one the platform's adapter set in `current_request_id` (Lambda's `aws_request_id`), so that
the caller can find the details in the log (`pyserverless logs`).
"""

from __future__ import annotations

import html
import json
import traceback
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pyserverless.runtime.http import HttpResponse
from pyserverless.runtime.loader import HandlerLoadError
from pyserverless.runtime.payload import HTML, JSON

_RUNTIME_DIR = str(Path(__file__).resolve().parent)
#: The id of the request being answered, as the platform knows it; None where it has none.
current_request_id: ContextVar[str | None] = ContextVar("pyserverless_request_id", default=None)
HIDDEN_ERROR_NAME = "InternalServerError"
HIDDEN_ERROR_MESSAGE = "Internal Server Error: the function failed; its log has the details."


def describe(error: Any) -> tuple[str, str, str | None]:
    """(name, message, stack) of an exception, an import failure or another value given to callback(err)."""
    if isinstance(error, HandlerLoadError):
        cause = error.__cause__
        name = type(cause).__name__ if cause is not None else "ImportError"
        return name, f"{error.source} failed to import: {cause}", error.details
    if isinstance(error, BaseException):
        summary = traceback.TracebackException.from_exception(error)
        frames = [frame for frame in summary.stack if not frame.filename.startswith(_RUNTIME_DIR)]
        if not frames:  # raised by the runtime itself about the result: the message says it all
            return type(error).__name__, str(error), None
        summary.stack = traceback.StackSummary.from_list(frames)
        return type(error).__name__, str(error), "".join(summary.format())
    return "Error", str(error), None


def wants_html(accept: str | None) -> bool:
    return accept is not None and "text/html" in accept


def error_response(error: Any, accept: str | None, expose_errors: bool) -> HttpResponse:
    if not expose_errors:
        return hidden_error_response(accept)
    name, message, stack = describe(error)
    if wants_html(accept):
        title = html.escape(f"{name}: {message}")
        trace = f"<pre>{html.escape(stack)}</pre>" if stack else ""
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f"<title>500 {html.escape(name)}</title></head><body><h1>{title}</h1>{trace}</body></html>\n"
        )
        return HttpResponse(500, [("content-type", HTML)], page.encode("utf-8"))
    fields = {"message": message, "name": name}
    if stack is not None:
        fields["stack"] = stack
    return HttpResponse(500, [("content-type", JSON)], json.dumps(fields, ensure_ascii=False).encode("utf-8"))


def hidden_error_response(accept: str | None) -> HttpResponse:
    """The deployed 500: no word of the error, only where to look for it."""
    request_id = current_request_id.get()
    if wants_html(accept):
        where = f" (request id {html.escape(request_id)})" if request_id else ""
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            "<title>500 Internal Server Error</title></head>"
            f"<body><h1>Internal Server Error</h1><p>The function failed; its log has the details{where}.</p>"
            "</body></html>\n"
        )
        return HttpResponse(500, [("content-type", HTML)], page.encode("utf-8"))
    fields = {"message": HIDDEN_ERROR_MESSAGE, "name": HIDDEN_ERROR_NAME}
    if request_id:
        fields["request_id"] = request_id
    return HttpResponse(500, [("content-type", JSON)], json.dumps(fields).encode("utf-8"))
