"""The Twilio REST client for the commands that call Twilio's API, and Twilio's errors as messages.

The twilio library is imported only where a client is made or its errors are read. Testing seam: when
`PYSERVERLESS_TWILIO_API_URL` is set, the client's HTTP layer (`redirect.RedirectingHttpClient`) replaces the
scheme and host of every `*.twilio.com` URL with that base URL, so every call reaches an API double or a
recording proxy. When it is not set, the stock client is used and `TWILIO_EDGE`/`TWILIO_REGION` keep working
as in the twilio library.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from pyserverless.errors import UserError
from pyserverless.twilio_api.credentials import CONSOLE_HINT, Credentials

API_URL_VARIABLE = "PYSERVERLESS_TWILIO_API_URL"
DEFAULT_API_URL = "https://api.twilio.com"
#: Seconds to wait for Twilio's API before reporting a network failure.
HTTP_TIMEOUT = 20.0

_TWILIO_PREFIX = re.compile(r"^Unable to [^:]*: ")
_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def redirect_url(url: str, base_url: str) -> str:
    """`url` with the scheme and host of a Twilio domain replaced by `base_url`; other URLs unchanged."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != "twilio.com" and not host.endswith(".twilio.com"):
        return url
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}{parts.path}{query}"


def api_base_url(environ: Mapping[str, str]) -> str | None:
    """The checked value of `PYSERVERLESS_TWILIO_API_URL`, or None when it is not set."""
    value = environ.get(API_URL_VARIABLE, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UserError(
            f"{API_URL_VARIABLE}={value} is not a base URL.",
            hint="Set it to the scheme and host of an API double, e.g. "
            f"{API_URL_VARIABLE}=http://127.0.0.1:8080, or unset it to call Twilio.",
        )
    return value.rstrip("/")


def make_client(credentials: Credentials, environ: Mapping[str, str] | None = None) -> Any:
    """A `twilio.rest.Client` for `credentials`, sent to `PYSERVERLESS_TWILIO_API_URL` when that is set."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    from pyserverless.twilio_api.redirect import RedirectingHttpClient

    environ = os.environ if environ is None else environ
    base_url = api_base_url(environ)
    http_client = (
        TwilioHttpClient(timeout=HTTP_TIMEOUT) if base_url is None else RedirectingHttpClient(base_url)
    )
    return Client(
        credentials.username,
        credentials.password,
        account_sid=credentials.account_sid,
        http_client=http_client,
        environment=dict(environ),
    )


class TwilioApiError(Exception):
    """An error answer of Twilio's API: HTTP status, Twilio's error code and Twilio's own message."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


def _api_error(error: Exception) -> TwilioApiError | None:
    """The Twilio error inside a twilio-library exception (a record's or a page's), if it holds one."""
    from twilio.base.exceptions import TwilioRestException

    if isinstance(error, TwilioRestException):
        code = int(error.code) if error.code is not None else int(error.status)
        return TwilioApiError(int(error.status), code, _TWILIO_PREFIX.sub("", str(error.msg)))
    response: Any = error.args[1] if len(error.args) > 1 else None
    status = getattr(response, "status_code", None)
    if not isinstance(status, int):
        return None
    try:
        body = json.loads(response.text)
    except (TypeError, ValueError):
        body = {}
    body = body if isinstance(body, dict) else {}
    return TwilioApiError(status, int(body.get("code", status)), str(body.get("message", response.text)))


@contextmanager
def api_errors(credentials: Credentials, environ: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn the failures of Twilio calls into errors: `UserError` for bad credentials (20003) and network
    failures, `TwilioApiError` for any other answer, which the caller explains since it knows what it asked.
    """
    import requests
    from twilio.base.exceptions import TwilioException

    try:
        yield
    except TwilioException as error:
        found = _api_error(error)
        if found is None:
            raise
        if found.code == 20003:
            raise UserError(
                f"Twilio refused the credentials of {credentials.describe()}: {found.message} "
                "(Twilio error 20003).",
                hint="Check the account SID and the auth token (or the API key, its secret, and that the key "
                f"belongs to {credentials.account_sid}). " + CONSOLE_HINT,
            ) from error
        raise found from error
    except requests.RequestException as error:
        raise network_error(error, os.environ if environ is None else environ) from error


def network_error(error: Exception, environ: Mapping[str, str]) -> UserError:
    """The message for a Twilio call that got no answer: where it went and the system's reason."""
    configured = api_base_url(environ)
    base_url = configured or DEFAULT_API_URL
    request = getattr(error, "request", None)
    if request is not None and getattr(request, "url", None):
        parts = urlsplit(request.url)
        base_url = f"{parts.scheme}://{parts.netloc}"
    import requests

    if isinstance(error, requests.Timeout):
        reason = f"no answer within {HTTP_TIMEOUT:g} s"
    else:
        found = _ERRNO_TEXT.search(str(error))
        reason = found.group(1).strip() if found else type(error).__name__
    hint = "Check your internet connection and proxy settings (HTTPS_PROXY), then run the command again."
    if configured is not None:
        hint = f"{API_URL_VARIABLE} is set: check that the server it names is running, or unset it."
    return UserError(f"Could not reach the Twilio API at {base_url}: {reason}.", hint=hint)
