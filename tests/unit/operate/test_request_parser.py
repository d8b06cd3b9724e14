"""`RequestParser`: CloudWatch events of a Lambda function turned into one entry per request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pyserverless.errors import UserError
from pyserverless.operate.logs import RequestParser, parse_since, request_line
from pyserverless.runtime.lambda_entry import REQUEST_LOG_MARKER


def event(stream: str, timestamp: int, message: str) -> dict[str, Any]:
    return {
        "logStreamName": stream,
        "timestamp": timestamp,
        "message": message,
        "eventId": f"{stream}-{timestamp}",
    }


def summary(request_id: str, route: str, status: int) -> str:
    key, value = REQUEST_LOG_MARKER
    document = {key: value, "request_id": request_id, "method": "POST", "path": route, "route": route}
    document.update({"status": status, "duration_ms": 5.0})
    return f"[INFO]\t2026-11-28T00:00:00.000Z\t{request_id}\t{json.dumps(document)}\n"


def test_interleaved_streams_keep_each_request_output_apart() -> None:
    parser = RequestParser()
    done = parser.feed(
        [
            event("a", 1, "START RequestId: r-a Version: $LATEST\n"),
            event("b", 2, "START RequestId: r-b Version: $LATEST\n"),
            event("a", 3, "from a\n"),
            event("b", 4, "from b\n"),
            event("b", 5, summary("r-b", "/b", 200)),
            event("a", 6, summary("r-a", "/a", 500)),
        ]
    )

    assert [(entry.request_id, entry.route, entry.status) for entry in done] == [
        ("r-b", "/b", 200),
        ("r-a", "/a", 500),
    ]
    assert [line.message for line in done[0].output] == ["from b"]
    assert [line.message for line in done[1].output] == ["from a"]


def test_a_request_without_the_runtime_line_completes_at_report_with_lambdas_duration() -> None:
    parser = RequestParser()
    done = parser.feed(
        [
            event("a", 1, "START RequestId: r-1 Version: $LATEST\n"),
            event("a", 2, "END RequestId: r-1\n"),
            event("a", 3, "REPORT RequestId: r-1\tDuration: 10003.52 ms\tBilled Duration: 10004 ms\n"),
        ]
    )

    assert len(done) == 1
    assert (done[0].request_id, done[0].status, done[0].duration_ms) == ("r-1", None, 10003.52)


def test_only_marked_json_lines_are_request_lines() -> None:
    assert request_line('{"status": 200}') is None
    assert request_line("not json {") is None
    assert request_line(summary("r", "/x", 200)) is not None


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("10m", 600), ("2h", 7200), ("1d", 86400)])
def test_since(text: str, seconds: int) -> None:
    assert parse_since(text) == seconds


def test_since_refuses_other_text() -> None:
    with pytest.raises(UserError) as raised:
        parse_since("10 minutes")
    assert raised.value.message == "--since '10 minutes' is not a duration."
