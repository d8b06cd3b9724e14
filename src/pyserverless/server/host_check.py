"""Which `Host` names the local server answers: a defence against DNS rebinding.

A web page on evil.example can make the browser resolve evil.example to 127.0.0.1 and then read what
`start` answers; the request still says `Host: evil.example`. So `start` answers only Host names that cannot
be rebound: IP addresses, `localhost` and `*.localhost`, the public URL's host (the tunnel's or
`--public-url`'s), and the names given with `--allowed-host`. A request without a Host header (HTTP/1.0)
names no host and is answered.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

#: The most allowed Host values remembered.
SEEN_LIMIT = 256


def host_name(host: str) -> str:
    """`Example.com:3000` -> `example.com`; `[::1]:3000` -> `::1`; "" when it cannot be read."""
    try:
        return (urlsplit(f"//{host}").hostname or "").rstrip(".")
    except ValueError:
        return ""


class AllowedHosts:
    """The Host names one local server answers (see the module docstring)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(host_name(name) for name in names if name)
        #: Host header values already allowed, so the usual few cost a set lookup (bounded: values vary).
        self._seen: set[str] = set()

    def allows(self, host: str | None) -> bool:
        if host is None or host in self._seen:
            return True
        allowed = self._allows(host_name(host))
        if allowed and len(self._seen) < SEEN_LIMIT:
            self._seen.add(host)
        return allowed

    def _allows(self, name: str) -> bool:
        if name == "localhost" or name.endswith(".localhost") or name in self.names:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True


def refusal(host: str) -> str:
    """The 403 body for a Host name this server does not answer."""
    return (
        f"Forbidden: this server does not answer for the host {host_name(host) or host!r} (a defence "
        "against DNS rebinding). Call it as localhost or by IP address, or start it with "
        "--allowed-host NAME (or --public-url) to answer that name.\n"
    )
