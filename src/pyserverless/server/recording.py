"""`start --record`: every request that reaches a function, and its answer, as one JSON line in a file.

How it works: `Recorder.record` is called by `ServerApp` after a function answered (assets, CORS answers,
the dev pages and refusals before dispatch are not recorded). It turns the request and the answer into a
`Recording` and appends its JSON line to `.pyserverless/recordings/<date>.jsonl` of the project (the local
date of the request), a file created with mode 0600 in a folder of mode 0700: recordings hold phone numbers
and message texts. Each line is written with one `write` on a file opened for appending, so the lines of two
workers serving during a reload never interleave.

What is kept of the request: method, raw path and query, the public URL it was signed for, the headers the
runtime sees but the ones a transport sets again (`host`, `content-length`, `connection`, ...) and
credentials (`authorization`), the cookies sent, and the body. The AUTH_TOKEN is never in a request, and the
signature header, which cannot reveal it, stays. Bodies that are UTF-8 text are kept as text, others in
base64. `replay` (`simulate.replay`) reads the same lines back with `read_recordings`.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pyserverless.errors import UserError
from pyserverless.runtime.cookies import parse_cookie_header
from pyserverless.runtime.http import HttpResponse, Request
from pyserverless.runtime.routes import RouteTable

logger = logging.getLogger("pyserverless.server")

RECORDINGS_DIR = Path(".pyserverless") / "recordings"
#: Request headers a recording leaves out: the transport sets them again, or they are credentials.
DROPPED_REQUEST_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "cookie",
        "authorization",
        "proxy-authorization",
    }
)
#: How the runtime's 401 for a missing or wrong signature begins: such a request never reached the function.
REFUSED_SIGNATURE = b"Unauthorized: this route is protected"
#: Answer headers the server adds by itself.
DROPPED_RESPONSE_HEADERS = frozenset({"content-length", "connection", "date", "server"})


@dataclass
class Recording:
    """One recorded request to a function and the answer it got."""

    method: str
    path: str
    query: str
    url: str
    headers: list[tuple[str, str]]
    cookies: dict[str, str]
    body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_body: bytes
    recorded_at: float

    @classmethod
    def of(cls, request: Request, response: HttpResponse, recorded_at: float) -> Recording:
        headers = [(name, value) for name, value in request.headers if name not in DROPPED_REQUEST_HEADERS]
        return cls(
            method=request.method,
            path=request.path,
            query=request.query_string,
            url=request.public_url,
            headers=headers,
            cookies=parse_cookie_header(request.headers.get("cookie") or ""),
            body=request.body,
            status=response.status,
            response_headers=_kept(response),
            response_body=response.body,
            recorded_at=recorded_at,
        )

    def to_json(self) -> str:
        document: dict[str, Any] = {
            "recorded_at": round(self.recorded_at, 3),
            "request": {
                "method": self.method,
                "path": self.path,
                "query": self.query,
                "url": self.url,
                "headers": [list(pair) for pair in self.headers],
                "cookies": self.cookies,
                **_body_fields(self.body),
            },
            "response": {
                "status": self.status,
                "headers": [list(pair) for pair in self.response_headers],
                **_body_fields(self.response_body),
            },
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Recording:
        """The recording of one line; `ValueError` (or `KeyError`, `TypeError`) when it is not one."""
        document = json.loads(line)
        request, response = document["request"], document["response"]
        return cls(
            method=str(request["method"]),
            path=str(request["path"]),
            query=str(request.get("query", "")),
            url=str(request["url"]),
            headers=[(str(name), str(value)) for name, value in request.get("headers", [])],
            cookies={str(name): str(value) for name, value in request.get("cookies", {}).items()},
            body=_body_of(request),
            status=int(response["status"]),
            response_headers=[(str(name), str(value)) for name, value in response.get("headers", [])],
            response_body=_body_of(response),
            recorded_at=float(document.get("recorded_at", 0.0)),
        )

    def with_answer(self, response: HttpResponse) -> Recording:
        """This recording with `response` as its answer (`replay --update`)."""
        return replace(
            self, status=response.status, response_headers=_kept(response), response_body=response.body
        )


def _kept(response: HttpResponse) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.headers if name.lower() not in DROPPED_RESPONSE_HEADERS]


def _body_fields(body: bytes) -> dict[str, str]:
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def _body_of(part: dict[str, Any]) -> bytes:
    if "body_base64" in part:
        try:
            return base64.b64decode(str(part["body_base64"]), validate=True)
        except binascii.Error as error:
            raise ValueError(f"body_base64 is not base64: {error}") from error
    return str(part.get("body", "")).encode("utf-8")


class Recorder:
    """Appends recordings of the requests that reach the functions of `routes` to the project's file of the
    day."""

    def __init__(self, root: Path, routes: RouteTable) -> None:
        self.folder = root / RECORDINGS_DIR
        self._functions = frozenset(route.path for route in routes.functions if route.visibility != "private")
        self._failed = False

    def records(self, method: str, response: HttpResponse) -> bool:
        """Whether this answer came from a function: not an asset, a CORS answer or a refused signature."""
        if response.route not in self._functions or method == "OPTIONS":
            return False
        return not (response.status == 401 and response.body.startswith(REFUSED_SIGNATURE))

    def file_for(self, when: float) -> Path:
        return self.folder / f"{time.strftime('%Y-%m-%d', time.localtime(when))}.jsonl"

    def record(self, request: Request, response: HttpResponse, when: float) -> None:
        line = (Recording.of(request, response, when).to_json() + "\n").encode("utf-8")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(self.file_for(when), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(descriptor, line)
            finally:
                os.close(descriptor)
        except OSError as error:
            if not self._failed:  # said once: the server keeps serving, unrecorded
                self._failed = True
                logger.error("--record cannot write to %s: %s", self.folder, error.strerror or error)


def read_recordings(path: Path) -> list[Recording]:
    """Every recording of a `.jsonl` file, in order; `UserError` naming the line that is not one."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as error:
        raise UserError(
            f"{path}: no such recording file.",
            hint="Record with `pyserverless start --record`; recordings go to .pyserverless/recordings/.",
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(
            f"Cannot read {path}: {error}.", hint="Check the file and its permissions."
        ) from error
    recordings = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            recordings.append(Recording.from_json(line))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise UserError(
                f"{path}:{number} is not a recording ({type(error).__name__}: {error}).",
                hint="Each line must be one JSON object as `pyserverless start --record` writes them.",
            ) from error
    return recordings


def write_recordings(path: Path, recordings: list[Recording]) -> None:
    """Replace the file's lines with `recordings` (mode 0600), through a temporary file."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.writelines(recording.to_json() + "\n" for recording in recordings)
    os.replace(temporary, path)
