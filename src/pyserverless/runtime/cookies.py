"""Parse the `Cookie` request header into the `event["request"]["cookies"]` dict."""

from __future__ import annotations

from urllib.parse import unquote


def parse_cookie_header(header: str) -> dict[str, str]:
    """`"a=1; b=two"` -> `{"a": "1", "b": "two"}`.

    Pairs without `=` are skipped, the first of two equal names wins (as browsers order the more specific one
    first), surrounding double quotes are removed and percent-escapes decoded.
    """
    cookies: dict[str, str] = {}
    for pair in header.split(";"):
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name or name in cookies:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        cookies[name] = unquote(value) if "%" in value else value
    return cookies
