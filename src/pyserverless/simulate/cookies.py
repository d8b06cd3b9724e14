"""Cookies as Twilio keeps them for webhooks: per SMS conversation (From, To) for at most 4 hours, per voice
call.

Each `Set-Cookie` header of a webhook's answer is parsed into a name, a value and an expiry time: `Max-Age`
wins over `Expires` (RFC 6265 §5.3), a `Max-Age` of zero or less or an `Expires` in the past removes the
cookie, and a cookie with neither lives as long as its store. A store may cap every lifetime (`max_lifetime`):
Twilio's messaging platform keeps cookies for 4 hours at most, whatever the answer asked. A later cookie of
the same name replaces the earlier one. Expired cookies are dropped when the store is read.

`MessagingCookieJar` keeps one store per (From, To) pair, optionally persisted as JSON (the CLI's
`.pyserverless/cookies.json`), so consecutive `pyserverless sms` runs continue the same conversation.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from pyserverless.errors import UserError
from pyserverless.simulate.clock import Clock

#: Twilio's cap on cookies stored for an SMS conversation: four hours.
MESSAGING_COOKIE_LIFETIME = 4 * 3600.0
JAR_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Cookie:
    """A cookie as set by a `Set-Cookie` header or kept in a store; `expires_at` None: no lifetime (a session
    cookie)."""

    name: str
    value: str
    expires_at: float | None


def parse_set_cookie(header: str, now: float) -> Cookie | None:
    """Parse a `Set-Cookie` value such as `count=1;Max-Age=1800`; None when it names no cookie."""
    pair, *attributes = header.split(";")
    name, equals, value = pair.partition("=")
    name = name.strip()
    if not equals or not name:
        return None
    max_age: float | None = None
    expires: float | None = None
    for attribute in attributes:
        key, _, argument = attribute.partition("=")
        key = key.strip().lower()
        argument = argument.strip()
        if key == "max-age" and argument.lstrip("-").isdigit():
            max_age = float(argument)
        elif key == "expires":
            expires = _parse_http_date(argument)
    if max_age is not None:
        expires_at: float | None = now + max_age if max_age > 0 else now
    else:
        expires_at = expires
    return Cookie(name=name, value=value.strip(), expires_at=expires_at)


def _parse_http_date(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


class CookieStore:
    """The cookies of one conversation or call, in the order they were first set."""

    def __init__(self, max_lifetime: float | None = None) -> None:
        self.max_lifetime = max_lifetime
        self._cookies: dict[str, Cookie] = {}

    def update(self, set_cookie_headers: Iterable[str], now: float) -> None:
        """Apply the `Set-Cookie` headers of one answer, received at `now`."""
        for header in set_cookie_headers:
            parsed = parse_set_cookie(header, now)
            if parsed is None:
                continue
            expires_at = parsed.expires_at
            if self.max_lifetime is not None:
                cap = now + self.max_lifetime
                expires_at = cap if expires_at is None else min(expires_at, cap)
            if _expired(expires_at, now):
                self._cookies.pop(parsed.name, None)
            else:  # a name already kept keeps its place: dicts keep the order of first insertion
                self._cookies[parsed.name] = Cookie(parsed.name, parsed.value, expires_at)

    def live(self, now: float) -> list[Cookie]:
        """The cookies still alive at `now`; expired ones are forgotten."""
        for name in [name for name, cookie in self._cookies.items() if _expired(cookie.expires_at, now)]:
            del self._cookies[name]
        return list(self._cookies.values())

    def values(self, now: float) -> dict[str, str]:
        return {cookie.name: cookie.value for cookie in self.live(now)}

    def cookie_header(self, now: float) -> str | None:
        """The `Cookie` header to send back, or None when there is nothing to send."""
        cookies = self.live(now)
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in cookies) if cookies else None

    def clear(self) -> None:
        self._cookies.clear()

    def to_json(self) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "value": c.value, "expires_at": c.expires_at} for c in self._cookies.values()
        ]

    def load_json(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            expires_at = item.get("expires_at")
            self._cookies[str(item["name"])] = Cookie(
                str(item["name"]), str(item["value"]), None if expires_at is None else float(expires_at)
            )


def _expired(expires_at: float | None, now: float) -> bool:
    return expires_at is not None and expires_at <= now


class MessagingCookieJar:
    """Cookies per (From, To) pair with Twilio's 4-hour cap; saved to `path` after every change when given."""

    def __init__(self, clock: Clock, path: Path | None = None) -> None:
        self.clock = clock
        self.path = path
        self._stores: dict[tuple[str, str], CookieStore] = {}
        if path is not None and path.is_file():
            self._load(path)

    def _store(self, sender: str, recipient: str) -> CookieStore:
        key = (sender, recipient)
        if key not in self._stores:
            self._stores[key] = CookieStore(max_lifetime=MESSAGING_COOKIE_LIFETIME)
        return self._stores[key]

    def cookie_header(self, sender: str, recipient: str) -> str | None:
        """The `Cookie` header Twilio would send with the next message from `sender` to `recipient`."""
        return self._store(sender, recipient).cookie_header(self.clock.now())

    def cookies(self, sender: str, recipient: str) -> dict[str, str]:
        return self._store(sender, recipient).values(self.clock.now())

    def live(self, sender: str, recipient: str) -> list[Cookie]:
        """The pair's cookies still alive, with their expiry times."""
        return self._store(sender, recipient).live(self.clock.now())

    def pairs(self) -> list[tuple[str, str]]:
        """The (From, To) pairs that hold a live cookie, in the order they first did."""
        now = self.clock.now()
        return [pair for pair, store in self._stores.items() if store.live(now)]

    def store(self, sender: str, recipient: str, set_cookie_headers: Iterable[str]) -> None:
        """Keep the cookies the answer to a message of this pair set."""
        headers = list(set_cookie_headers)
        if not headers:
            return
        self._store(sender, recipient).update(headers, self.clock.now())
        self._save()

    def reset(self, sender: str, recipient: str) -> None:
        """Forget every cookie of the pair: the next message starts a new conversation."""
        self._store(sender, recipient).clear()
        self._save()

    def _load(self, path: Path) -> None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            if document.get("version") != JAR_FORMAT_VERSION:
                raise ValueError(f"unknown version {document.get('version')!r}")
            for conversation in document["conversations"]:
                store = self._store(str(conversation["from"]), str(conversation["to"]))
                store.load_json(conversation["cookies"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise UserError(
                f"The simulator's cookie file {path} cannot be read: {error}",
                hint="Delete the file: the simulated conversations then start afresh.",
            ) from error

    def _save(self) -> None:
        if self.path is None:
            return
        now = self.clock.now()
        conversations = [
            {"from": sender, "to": recipient, "cookies": store.to_json()}
            for (sender, recipient), store in self._stores.items()
            if store.live(now)
        ]
        document = {"version": JAR_FORMAT_VERSION, "conversations": conversations}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".cookies-", suffix=".json")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(document, file, indent=2)
                file.write("\n")
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
