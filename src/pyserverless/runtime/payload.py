"""Turn a handler's result into the HTTP answer, as Twilio Functions do.

`str` -> text/plain, TwiML -> text/xml, `Response` -> as built (a str body without Content-Type is HTML, a
dict or list body JSON), `bytes` -> application/octet-stream, None -> empty 200, anything else -> JSON.
A text body (str, TwiML, JSON) is always UTF-8, so its Content-Type says `charset=utf-8` whatever the handler
set, as Express relabels it; a bytes body keeps the Content-Type the handler gave it, untouched.
Header lines of a `Response` are checked once more here, so nothing with a line break ever reaches the
transport, and its Content-Length/Transfer-Encoding are left to the transport, which knows the real body.
"""

from __future__ import annotations

import json
from typing import Any

from twilio.twiml import TwiML

from pyserverless.runtime.http import HttpResponse
from pyserverless.runtime.response import Response, check_header_name, check_header_value

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
BINARY = "application/octet-stream"
# How the body is framed is the transport's business: a handler's value could only contradict the real body.
FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def utf8_content_type(content_type: str) -> str:
    """`text/XML` -> `text/xml; charset=utf-8`; another charset is replaced, other parameters are kept."""
    media, *parameters = (part.strip() for part in content_type.split(";"))
    kept = [part for part in parameters if part and part.partition("=")[0].strip().lower() != "charset"]
    return "; ".join([media.lower(), *kept, "charset=utf-8"])


def payload_response(payload: Any) -> HttpResponse:
    """The answer for a successful handler result; raises ValueError/TypeError for one that cannot be sent."""
    if isinstance(payload, str):
        return HttpResponse(200, [("content-type", TEXT)], payload.encode("utf-8"))
    if isinstance(payload, Response):
        return _built_response(payload)
    if isinstance(payload, TwiML):
        return HttpResponse(200, [("content-type", XML)], str(payload).encode("utf-8"))
    if isinstance(payload, bytes | bytearray | memoryview):
        return HttpResponse(200, [("content-type", BINARY)], bytes(payload))
    if payload is None:
        return HttpResponse(200, [], b"")
    return HttpResponse(200, [("content-type", JSON)], to_json(payload))


def _built_response(response: Response) -> HttpResponse:
    headers = []
    for name, value in response.headers:
        check_header_name(name)
        check_header_value(name, value)
        lower = name.lower()
        if lower not in FRAMING_HEADERS:
            headers.append((lower, value))
    body = response.body
    has_type = any(name == "content-type" for name, _ in headers)
    if isinstance(body, bytes | bytearray | memoryview):
        if not has_type:
            headers.append(("content-type", BINARY))
        return HttpResponse(response.status_code, headers, bytes(body))
    default_type: str | None
    if body is None:
        data, default_type = b"", None
    elif isinstance(body, str):
        data, default_type = body.encode("utf-8"), HTML
    elif isinstance(body, TwiML):
        data, default_type = str(body).encode("utf-8"), XML
    else:
        data, default_type = to_json(body), JSON
    if has_type:
        headers = [
            (name, utf8_content_type(value) if name == "content-type" else value) for name, value in headers
        ]
    elif default_type is not None:
        headers.append(("content-type", default_type))
    return HttpResponse(response.status_code, headers, data)
