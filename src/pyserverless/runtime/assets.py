"""Serve asset files with a content type from the file name, `ETag`/`Last-Modified`, conditional 304s and
single byte ranges.

Each asset is read once and kept with its validators until a `stat` shows the file changed (size, time,
inode). Each time it is (re)read, its real location is checked to be inside the project's `assets/` (as when
the routes were scanned) and that very path is opened without following a link, so a file swapped for a
link after start (to `.env`, say) is never served. Content types come from Python's built-in table only (not
the machine's `/etc/mime.types`), so every machine answers the same.

Byte ranges (Safari and iOS fetch audio and video this way): `Range: bytes=first-last`, `first-` or
`-suffix` answers 206 with those bytes and `Content-Range`; a range that starts past the end is 416 with
`Content-Range: bytes */size`. Several ranges, a syntax error, or an `If-Range` validator the asset no longer
matches get the whole asset (200), which RFC 9110 allows. Every asset answer says `Accept-Ranges: bytes`.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pyserverless.runtime.http import Headers, HttpResponse
from pyserverless.runtime.http_dates import format_http_date, parse_http_date
from pyserverless.runtime.routes import Route

#: Opening the checked path fails if it has become a link since (POSIX; Windows has no such flag).
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TEXT_TYPES = ("application/javascript", "application/json", "application/xml", "image/svg+xml")
_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


@cache
def _builtin_types() -> mimetypes.MimeTypes:
    """Python's built-in table. Made on the first asset served, not at import: making one also reads the
    machine's files into the module's own table (unused here), milliseconds a Lambda cold start would pay."""
    return mimetypes.MimeTypes()


def content_type_for(name: str) -> str:
    """`message.txt` -> `text/plain; charset=utf-8`; unknown -> `application/octet-stream`."""
    guessed, _ = _builtin_types().guess_type(name, strict=False)
    if guessed is None:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in _TEXT_TYPES:
        return f"{guessed}; charset=utf-8"
    return guessed


@dataclass(frozen=True)
class _Loaded:
    stat_key: tuple[int, int, int, int]
    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    last_modified: str
    modified: int


class AssetFiles:
    """Asset bodies and validators by route path, for one project root."""

    def __init__(self, root: Path) -> None:
        self._folder = (root / "assets").resolve()
        self._loaded: dict[str, _Loaded] = {}

    def serve(self, route: Route, method: str, headers: Headers) -> HttpResponse | None:
        """The answer for an asset route, or None when its file is gone or leads out of the project."""
        try:
            stat = os.stat(route.file)
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev)
        loaded = self._loaded.get(route.path)
        if loaded is None or loaded.stat_key != key:
            loaded = self._load(route)
            if loaded is None:
                return None
            self._loaded[route.path] = loaded
        if _not_modified(headers, loaded):
            validators = [("etag", loaded.etag), ("last-modified", loaded.last_modified)]
            return HttpResponse(304, validators, b"", route.path)
        wanted = requested_range(headers, loaded)
        if wanted == UNSATISFIABLE:
            return _unsatisfiable(route.path, method, len(loaded.body))
        status, lines, body = 200, list(loaded.headers), loaded.body
        if isinstance(wanted, ByteRange):
            status, body = 206, body[wanted.first : wanted.last + 1]
            lines.append(("content-range", f"bytes {wanted.first}-{wanted.last}/{len(loaded.body)}"))
        if method == "HEAD":
            return HttpResponse(status, [*lines, ("content-length", str(len(body)))], b"", route.path)
        return HttpResponse(status, lines, body, route.path)

    def _load(self, route: Route) -> _Loaded | None:
        try:
            real = route.file.resolve(strict=True)
            if not real.is_relative_to(self._folder):
                return None
            with open(os.open(real, os.O_RDONLY | _NO_FOLLOW), "rb") as file:
                stat = os.fstat(file.fileno())
                body = file.read()
        except OSError:
            return None
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_dev)
        modified = int(stat.st_mtime)
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        last_modified = format_http_date(modified)
        headers = [
            ("content-type", content_type_for(route.path)),
            ("accept-ranges", "bytes"),
            ("etag", etag),
            ("last-modified", last_modified),
        ]
        return _Loaded(key, body, headers, etag, last_modified, modified)


@dataclass(frozen=True)
class ByteRange:
    """Bytes `first` to `last` of an asset, both included."""

    first: int
    last: int


UNSATISFIABLE: Literal["unsatisfiable"] = "unsatisfiable"


def requested_range(headers: Headers, loaded: _Loaded) -> ByteRange | Literal["unsatisfiable"] | None:
    """The one byte range a request asks for, UNSATISFIABLE, or None for the whole asset."""
    value = headers.get("range")
    if value is None or not _range_is_current(headers.get("if-range"), loaded):
        return None
    unit, _, spec = value.partition("=")
    match = _RANGE_SPEC.fullmatch(spec.strip())
    if unit.strip().lower() != "bytes" or match is None or match.group(1) == match.group(2) == "":
        return None
    size = len(loaded.body)
    first, last = match.groups()
    if not first:  # the last `last` bytes
        suffix = int(last)
        return ByteRange(max(size - suffix, 0), size - 1) if suffix and size else UNSATISFIABLE
    if last and int(last) < int(first):
        return None
    if int(first) >= size:
        return UNSATISFIABLE
    return ByteRange(int(first), min(int(last), size - 1) if last else size - 1)


def _unsatisfiable(path: str, method: str, size: int) -> HttpResponse:
    lines = [
        ("content-type", "text/plain; charset=utf-8"),
        ("accept-ranges", "bytes"),
        ("content-range", f"bytes */{size}"),
    ]
    message = f"Range Not Satisfiable: {path} is {size} bytes long."
    return HttpResponse(416, lines, b"" if method == "HEAD" else message.encode(), path)


def _range_is_current(if_range: str | None, loaded: _Loaded) -> bool:
    """Whether `If-Range` (an ETag or a date) still names this version of the asset."""
    if if_range is None:
        return True
    if '"' in if_range:
        return if_range.strip() == loaded.etag
    since = parse_http_date(if_range)
    return since is not None and loaded.modified <= since


def _not_modified(headers: Headers, loaded: _Loaded) -> bool:
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or loaded.etag in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since is not None:
        since = parse_http_date(if_modified_since)
        return since is not None and since >= loaded.modified
    return False
