"""`Response`: the value a handler builds when a plain payload is not enough (status, headers, cookies).

Every setter returns the response so calls chain. Header names and values, cookie names, values and attributes
are checked when they are set: a bad one raises `ValueError` naming it, so a handler can never smuggle a line
break (and with it a header of its own) into the answer. Cookies are written as Twilio writes them,
`name=value;Attr;Attr`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pyserverless.runtime.http import first_header

SET_COOKIE = "Set-Cookie"
HeaderValue = str | int | float | Iterable[str | int | float]

# RFC 7230 token: the characters a header name or a cookie name (RFC 6265) may hold.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A header value: visible characters, spaces and tabs only (no CR, LF, NUL or other control characters).
_BAD_HEADER_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# A cookie value or attribute: no control characters at all, and no `;` which would start a new attribute.
_BAD_COOKIE_PART = re.compile(r"[\x00-\x1f\x7f;]")
# A status code given as text, as Node's HTTP layer accepts it: ASCII digits, surrounding blanks allowed.
_DIGITS = re.compile(r"\s*[0-9]{3}\s*")


def check_header_name(name: str) -> str:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise ValueError(f"invalid header name {name!r}: a header name must be a non-empty token")
    return name


def check_header_value(name: str, value: str) -> str:
    if _BAD_HEADER_VALUE.search(value):
        raise ValueError(
            f"invalid value {value!r} for header {name!r}: it contains a line break or control character"
        )
    return value


def _check_cookie_name(name: str) -> str:
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        raise ValueError(f"invalid cookie name {name!r}: a cookie name must be a non-empty token")
    return name


def _header_lines(name: str, value: HeaderValue) -> list[tuple[str, str]]:
    """The checked `(name, text)` lines of one header: one per value when `value` is a list."""
    check_header_name(name)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        values = [value]
    elif isinstance(value, Mapping | bool) or not isinstance(value, Iterable):
        raise ValueError(
            f"invalid value {value!r} for header {name!r}: use a string, a number or a list of them"
        )
    else:
        values = list(value)
    lines = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueError(
                f"invalid value {item!r} for header {name!r}: use a string, a number or a list of them"
            )
        lines.append((name, check_header_value(name, str(item))))
    return lines


class Response:
    """A status code, headers (repeats allowed) and a body, as a handler returns it.

    The body may be a `str` (sent as `text/html; charset=utf-8` unless a Content-Type is set), a `dict` or
    `list` (sent as JSON), `bytes`, a TwiML object or None.
    """

    def __init__(
        self, body: Any = None, status_code: int | str = 200, headers: Mapping[str, HeaderValue] | None = None
    ) -> None:
        self._status_code = 200
        self._body: Any = None
        self._headers: list[tuple[str, str]] = []
        self.set_status_code(status_code)
        self.set_body(body)
        if headers is not None:
            self.set_headers(headers)

    @property
    def status_code(self) -> int:
        return self._status_code

    @property
    def body(self) -> Any:
        return self._body

    @property
    def headers(self) -> list[tuple[str, str]]:
        """The header lines in the order they were set, as (name, value) pairs."""
        return list(self._headers)

    def get_header(self, name: str) -> str | None:
        """The first value of header `name` (any case), or None."""
        return first_header(self._headers, name)

    def set_status_code(self, status_code: int | str) -> Response:
        """Set the status: an integer from 100 to 599, or that number as text (`"201"`, read from `event`)."""
        code = status_code
        if isinstance(status_code, str) and _DIGITS.fullmatch(status_code):
            code = int(status_code)
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise ValueError(f"invalid status code {status_code!r}: use an integer from 100 to 599")
        self._status_code = code
        return self

    def set_body(self, body: Any) -> Response:
        self._body = body
        return self

    def append_header(self, name: str, value: HeaderValue) -> Response:
        """Add a header line (one per value when `value` is a list), keeping the lines already there."""
        self._headers.extend(_header_lines(name, value))
        return self

    def set_headers(self, headers: Mapping[str, HeaderValue]) -> Response:
        """Replace every header, cookies included, with `headers`."""
        if not isinstance(headers, Mapping):
            raise ValueError(f"invalid headers {headers!r}: use a dict of header names to values")
        lines: list[tuple[str, str]] = []
        for name, value in headers.items():
            lines.extend(_header_lines(name, value))
        self._headers = lines
        return self

    def set_cookie(self, name: str, value: str, attributes: Iterable[str] | None = None) -> Response:
        """Add `Set-Cookie: name=value;Attr;Attr` (`set_cookie("count", "1", ["Max-Age=1800"])`)."""
        _check_cookie_name(name)
        value = str(value)
        if _BAD_COOKIE_PART.search(value):
            raise ValueError(
                f"invalid value {value!r} for cookie {name!r}: "
                "it contains ';', a line break or a control character"
            )
        parts = [f"{name}={value}"]
        for attribute in attributes or ():
            if not isinstance(attribute, str) or not attribute or _BAD_COOKIE_PART.search(attribute):
                raise ValueError(
                    f"invalid attribute {attribute!r} for cookie {name!r}: "
                    "it must be non-empty text without ';', a line break or a control character"
                )
            parts.append(attribute)
        self._headers.append((SET_COOKIE, ";".join(parts)))
        return self

    def remove_cookie(self, name: str) -> Response:
        """Drop the cookies of that name set so far and tell the client to delete it (`name=;Max-Age=0`)."""
        _check_cookie_name(name)
        prefix = f"{name}="
        self._headers = [
            (key, value)
            for key, value in self._headers
            if not (key.lower() == "set-cookie" and value.startswith(prefix))
        ]
        self._headers.append((SET_COOKIE, f"{name}=;Max-Age=0"))
        return self

    def __repr__(self) -> str:
        return f"Response(status_code={self._status_code}, headers={self._headers!r}, body={self._body!r})"
