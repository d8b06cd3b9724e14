"""A deployed function's CloudWatch Logs, read back as one entry per request with its handler's output.

Lambda writes each invocation to the function's log group `/aws/lambda/<function>` as a run of events in one
log stream (an execution environment serves one request at a time): `START RequestId: <id>`, whatever the
handler prints or logs, the runtime's one JSON line per request (marked `"pyserverless": "request"`, with
method, path, route, status and duration_ms, written by `runtime.lambda_entry`), then `END RequestId: <id>`
and `REPORT RequestId: <id> Duration: …`. `RequestParser` follows each stream: a START opens a request, the
lines after it are its output, the JSON line fills in route, status and duration and completes it (without
one, as when Lambda stops a function that ran out of time, REPORT completes it with Lambda's duration).
Lines outside any request (cold-start imports) are kept as output of no request. Lambda's own logging
prefix (`[INFO]\\t<time>\\t<request id>\\t`) is reduced to the level.

`read_logs` fetches the events since a point in time with `FilterLogEvents` (all pages, bounded) and returns
the requests in order, completed or not. `follow_logs` polls every few seconds from the last event seen (with
a short overlap for late ingestion; event ids already seen are skipped) and hands each request to a sink as
soon as it completes, until interrupted.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pyserverless.errors import UserError
from pyserverless.operate.environment import LiveEnvironment, aws_call_unless_missing
from pyserverless.runtime.lambda_entry import REQUEST_LOG_MARKER

MAX_PAGES_PER_FETCH = 50
POLL_SECONDS = 2.0
INGESTION_OVERLAP_MS = 10_000
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PLATFORM = re.compile(r"^(START|END|REPORT) RequestId: (\S+)")
_REPORT_DURATION = re.compile(r"\bDuration: ([\d.]+) ms")
_LAMBDA_LOG_PREFIX = re.compile(r"^\[(\w+)\]\t\S+\t(\S+)\t")


def parse_since(text: str) -> int:
    """Seconds in "30s", "10m", "2h" or "1d"."""
    match = _DURATION.match(text.strip())
    if not match:
        raise UserError(
            f"--since {text!r} is not a duration.", hint="Write a number and a unit: 30s, 10m, 2h or 1d."
        )
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


@dataclass
class OutputLine:
    timestamp: int
    message: str


@dataclass
class RequestLog:
    """One request (or, with `request_id` None, output outside any request)."""

    request_id: str | None
    timestamp: int
    method: str | None = None
    path: str | None = None
    route: str | None = None
    status: int | None = None
    duration_ms: float | None = None
    output: list[OutputLine] = field(default_factory=list)
    complete: bool = False

    def matches(self, route: str | None) -> bool:
        return route is None or (self.request_id is not None and route in (self.route, self.path))

    def to_json(self) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "timestamp": self.timestamp,
            "method": self.method,
            "path": self.path,
            "route": self.route,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "output": [{"timestamp": line.timestamp, "message": line.message} for line in self.output],
        }


def request_line(message: str) -> dict[str, Any] | None:
    """The runtime's JSON line per request inside a log message, if this message is one."""
    start = message.find("{")
    if start < 0:
        return None
    try:
        document = json.loads(message[start:])
    except ValueError:
        return None
    key, value = REQUEST_LOG_MARKER
    if isinstance(document, dict) and document.get(key) == value:
        return document
    return None


class RequestParser:
    """Turns log events (in time order) into requests; see the module docstring."""

    def __init__(self) -> None:
        self._open: dict[str, RequestLog] = {}
        self._current: dict[str, str] = {}
        self.requests: list[RequestLog] = []

    def feed(self, events: Iterable[dict[str, Any]]) -> list[RequestLog]:
        """Add events; return the requests they completed and the output they had outside any request."""
        done: list[RequestLog] = []
        for event in events:
            entry = self._add(event)
            if entry is not None:
                done.append(entry)
        return done

    def _request(self, request_id: str, timestamp: int) -> RequestLog:
        entry = self._open.get(request_id)
        if entry is None:
            entry = RequestLog(request_id=request_id, timestamp=timestamp)
            self._open[request_id] = entry
            self.requests.append(entry)
        return entry

    def _complete(self, entry: RequestLog) -> RequestLog:
        entry.complete = True
        if entry.request_id is not None:
            self._open.pop(entry.request_id, None)
        return entry

    def _add(self, event: dict[str, Any]) -> RequestLog | None:
        stream = str(event.get("logStreamName", ""))
        timestamp = int(event.get("timestamp", 0))
        message = str(event.get("message", "")).rstrip("\n")
        platform = _PLATFORM.match(message)
        if platform:
            kind, request_id = platform.groups()
            if kind == "START":
                self._current[stream] = request_id
                self._request(request_id, timestamp)
                return None
            entry = self._open.get(request_id)
            if entry is None:
                return None
            if kind == "END":
                self._current.pop(stream, None)
                return None
            duration = _REPORT_DURATION.search(message)
            entry.duration_ms = float(duration.group(1)) if duration else None
            return self._complete(entry)
        summary = request_line(message)
        request_id = self._current.get(stream)
        if summary is not None:
            entry = self._request(str(summary.get("request_id") or request_id or "unknown"), timestamp)
            entry.method = summary.get("method")
            entry.path = summary.get("path")
            entry.route = summary.get("route")
            entry.status = summary.get("status")
            entry.duration_ms = summary.get("duration_ms")
            return self._complete(entry)
        prefix = _LAMBDA_LOG_PREFIX.match(message)
        if prefix:
            message = f"{prefix.group(1)} {message[prefix.end() :]}"
            request_id = prefix.group(2) if prefix.group(2) in self._open else request_id
        if request_id is None:
            loose = RequestLog(request_id=None, timestamp=timestamp, complete=True)
            loose.output.append(OutputLine(timestamp, message))
            self.requests.append(loose)
            return loose
        self._request(request_id, timestamp).output.append(OutputLine(timestamp, message))
        return None


def log_group(live: LiveEnvironment) -> str:
    configured = live.configuration.get("LoggingConfig", {}).get("LogGroup")
    return str(configured or f"/aws/lambda/{live.function_name}")


def _fetch(client: Any, group: str, start_ms: int) -> list[dict[str, Any]]:
    """Every event of `group` from `start_ms` on, oldest first ([] when the group does not exist yet)."""
    events: list[dict[str, Any]] = []
    arguments: dict[str, Any] = {"logGroupName": group, "startTime": start_ms}
    for _ in range(MAX_PAGES_PER_FETCH):
        page = aws_call_unless_missing(
            f"Reading the log group {group}", lambda: client.filter_log_events(**arguments)
        )
        if page is None:
            return []
        events.extend(page.get("events", []))
        token = page.get("nextToken")
        if not token:
            break
        arguments["nextToken"] = token
    events.sort(key=lambda event: (int(event.get("timestamp", 0)), str(event.get("eventId", ""))))
    return events


def read_logs(live: LiveEnvironment, client: Any, since_seconds: int, route: str | None) -> list[RequestLog]:
    """The requests logged in the last `since_seconds`, oldest first, only those of `route` when given."""
    parser = RequestParser()
    parser.feed(_fetch(client, log_group(live), int((time.time() - since_seconds) * 1000)))
    return [entry for entry in parser.requests if entry.matches(route)]


def follow_logs(
    live: LiveEnvironment,
    client: Any,
    since_seconds: int,
    route: str | None,
    sink: Callable[[RequestLog], None],
    *,
    poll_seconds: float = POLL_SECONDS,
) -> None:
    """Hand every request to `sink` as it completes, polling until interrupted (Ctrl-C)."""
    group = log_group(live)
    parser = RequestParser()
    seen: dict[str, int] = {}
    cursor = int((time.time() - since_seconds) * 1000)
    first = True
    while True:
        events = [
            event
            for event in _fetch(client, group, max(0, cursor - INGESTION_OVERLAP_MS) if not first else cursor)
            if str(event.get("eventId")) not in seen
        ]
        first = False
        for event in events:
            seen[str(event.get("eventId"))] = int(event.get("timestamp", 0))
            cursor = max(cursor, int(event.get("timestamp", 0)))
        for entry in parser.feed(events):
            if entry.matches(route):
                sink(entry)
        parser.requests.clear()
        horizon = cursor - INGESTION_OVERLAP_MS
        seen = {event_id: stamp for event_id, stamp in seen.items() if stamp >= horizon}
        time.sleep(poll_seconds)
