"""Replay recorded requests (`start --record`) against the current code and say what answers changed.

How it works: each `Recording` is sent again through a transport, as it was recorded (method, path, query,
headers, body) with the cookies it was sent with, so a replay does not depend on the ones before it. Its
`X-Twilio-Signature` is computed again with the AUTH_TOKEN of the replaying side (the project's, or the
throwaway token the in-process simulator checks with), over the URL it is sent to. In-process that is the
recorded public URL, so `context.DOMAIN_NAME` is what it was; with a base URL (`--url`) the recorded path and
query on that base.

The answer is compared with the recorded one on status and body: TwiML and other XML as XML (attribute order
and the XML declaration do not matter), JSON as data (key order does not matter), anything else byte for
byte. Each difference comes with a unified diff of the two bodies, written the same normalised way (XML
indented, JSON indented with sorted keys), so the diff shows only what changed.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from pyserverless.errors import UserError
from pyserverless.runtime.event import BadRequestBody, parse_body
from pyserverless.runtime.http import Headers, HttpResponse, first_header, media_type
from pyserverless.runtime.signature import SIGNATURE_HEADER, compute_signature
from pyserverless.server.recording import RECORDINGS_DIR, Recording, read_recordings
from pyserverless.simulate.transport import OutgoingRequest, Transport

XML_TYPES = frozenset({"text/xml", "application/xml"})


@dataclass
class Replayed:
    """One recorded request sent again: the recording, where it came from, the new answer, what differs."""

    source: Path
    number: int
    recording: Recording
    response: HttpResponse
    #: What differs, one short phrase each ("status 200 -> 500", "body"); empty when the answer is the same.
    differences: list[str]
    #: The unified diff of the recorded and the new answer ("" when the same).
    diff: str

    @property
    def same(self) -> bool:
        return not self.differences

    @property
    def name(self) -> str:
        """`#3 POST /sms/reply`: the request's number in its file, method and path (query included)."""
        query = f"?{self.recording.query}" if self.recording.query else ""
        return f"#{self.number} {self.recording.method} {self.recording.path}{query}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "number": self.number,
            "method": self.recording.method,
            "path": self.recording.path,
            "query": self.recording.query,
            "recorded_status": self.recording.status,
            "status": self.response.status,
            "same": self.same,
            "differences": self.differences,
            "diff": self.diff,
        }


class Replayer:
    """Sends recordings again through `transport`, signed with `auth_token` (unsigned when None), to
    `base_url` when given, else to each recording's own URL."""

    def __init__(self, transport: Transport, auth_token: str | None, base_url: str | None = None) -> None:
        self.transport = transport
        self.auth_token = auth_token
        self.base_url = base_url.rstrip("/") if base_url else None

    def url_for(self, recording: Recording) -> str:
        if self.base_url is None:
            return recording.url
        query = f"?{recording.query}" if recording.query else ""
        return f"{self.base_url}{recording.path}{query}"

    def send(self, recording: Recording) -> HttpResponse:
        url = self.url_for(recording)
        headers = [(name, value) for name, value in recording.headers if name.lower() != SIGNATURE_HEADER]
        if self.auth_token is not None:
            headers.append(("X-Twilio-Signature", compute_signature(url, self.auth_token, _form(recording))))
        if recording.cookies:
            cookie = "; ".join(f"{name}={value}" for name, value in recording.cookies.items())
            headers.append(("Cookie", cookie))
        return self.transport.send(OutgoingRequest(recording.method, url, headers, recording.body))

    def replay(self, source: Path, number: int, recording: Recording) -> Replayed:
        response = self.send(recording)
        differences, diff = compare(recording, response)
        return Replayed(source, number, recording, response, differences, diff)

    def replay_file(self, path: Path, only: str | None = None) -> list[Replayed]:
        """Every recording of the file at `path` (those to the route `only` when given), replayed in order."""
        return [
            self.replay(path, number, recording)
            for number, recording in enumerate(read_recordings(path), start=1)
            if only is None or unquote(recording.path) == only
        ]


def _form(recording: Recording) -> list[tuple[str, str]] | None:
    try:
        return parse_body(Headers(recording.headers), recording.body).form
    except BadRequestBody:
        return None


def compare(recording: Recording, response: HttpResponse) -> tuple[list[str], str]:
    """What differs between the recorded answer and `response` (status, body), and their unified diff."""
    differences = []
    if response.status != recording.status:
        differences.append(f"status {recording.status} -> {response.status}")
    kind = media_type(first_header(recording.response_headers, "content-type"))
    before = _normalised(recording.response_body, kind)
    after = _normalised(response.body, media_type(response.header("content-type")))
    if before != after:
        differences.append("body")
    if not differences:
        return [], ""
    lines = difflib.unified_diff(
        [f"HTTP {recording.status}", *before.splitlines()],
        [f"HTTP {response.status}", *after.splitlines()],
        "recorded",
        "replayed",
        lineterm="",
    )
    return differences, "\n".join(lines)


def _normalised(body: bytes, kind: str) -> str:
    """The body as text to compare and diff: XML indented, JSON indented with sorted keys, else as is."""
    text = body.decode("utf-8", errors="replace")
    if kind in XML_TYPES or kind.endswith("+xml"):
        try:
            element = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return text
        ElementTree.indent(element)
        canonical: str = ElementTree.canonicalize(ElementTree.tostring(element, encoding="unicode"))
        return canonical
    if kind == "application/json" or kind.endswith("+json"):
        try:
            return json.dumps(json.loads(body), indent=2, sort_keys=True, ensure_ascii=False)
        except ValueError:
            return text
    return text


def recording_files(root: Path) -> list[Path]:
    """Every recording file of the project at `root`, oldest first; a `UserError` when there is none."""
    folder = root / RECORDINGS_DIR
    files = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not files:
        raise UserError(
            f"No recordings in {folder}.",
            hint="Record real traffic with `pyserverless start --record`, or name recording files.",
        )
    return files


def route_of(path: str) -> str:
    """`--only`'s route: `sms/reply`, `/sms/reply` or a URL -> `/sms/reply`."""
    return "/" + unquote(urlsplit(path).path).lstrip("/")
