"""Lambda Function URL events (payload format 2.0), shaped as AWS delivers them, for entry-point tests.

    event = function_url_event("POST", "/sms/reply", form=[("Body", "hi")], signed_with=AUTH_TOKEN)
    result = lambda_entry.handler(event, None)

As AWS does: header names are lower-cased and repeated headers joined with ","; the `Cookie` header is removed
from `headers` and given as the `cookies` list; a body that is not text (a form post included) arrives
base64-encoded with `isBase64Encoded: true`; `rawQueryString` is the query exactly as sent. `signed_with`
adds the `X-Twilio-Signature` Twilio would send for the public URL `https://<domain><path>?<query>`.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

DOMAIN = "abcdefghijklmnopqrstuvwxyz123456.lambda-url.us-east-1.on.aws"


def function_url_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    cookies: list[str] | None = None,
    form: list[tuple[str, str]] | None = None,
    json_body: str | None = None,
    raw_body: bytes | None = None,
    signed_with: str | None = None,
    domain: str = DOMAIN,
) -> dict[str, Any]:
    all_headers = {
        "host": domain,
        "user-agent": "TwilioProxy/1.1",
        "x-amzn-trace-id": "Root=1-6571b2a3-0a1b2c3d4e5f60718293a4b5",
        "x-forwarded-for": "54.172.60.1",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
        "accept": "*/*",
    }
    body = b""
    is_text = False
    if form is not None:
        body = urlencode(form).encode("utf-8")
        all_headers["content-type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        body = json_body.encode("utf-8")
        all_headers["content-type"] = "application/json"
        is_text = True
    elif raw_body is not None:
        body = raw_body
        all_headers["content-type"] = "application/octet-stream"
    all_headers.update({name.lower(): value for name, value in (headers or {}).items()})
    if signed_with is not None:
        url = f"https://{domain}{path}" + (f"?{query}" if query else "")
        all_headers["x-twilio-signature"] = RequestValidator(signed_with).compute_signature(
            url, dict(form or [])
        )
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all_headers,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": domain.split(".", 1)[0],
            "domainName": domain,
            "domainPrefix": domain.split(".", 1)[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "54.172.60.1",
                "userAgent": all_headers["user-agent"],
            },
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "routeKey": "$default",
            "stage": "$default",
            "time": "28/Nov/2026:22:00:00 +0000",
            "timeEpoch": 1795903200000,
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = _joined_query(query)
    if body:
        if is_text:
            event["body"] = body.decode("utf-8")
        else:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def _joined_query(query: str) -> dict[str, str]:
    """`queryStringParameters` as AWS gives it: repeated keys joined with "," (the entry point ignores it)."""
    from urllib.parse import parse_qsl

    joined: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined
