"""`start --record`: which answers are recorded, what a line holds, the file's mode, reading back."""

from __future__ import annotations

import json
import logging
import stat
import time
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.runtime.http import Headers, HttpResponse, Request
from pyserverless.runtime.routes import Route, RouteTable
from pyserverless.server.recording import Recorder, Recording, read_recordings, write_recordings

ROUTES = RouteTable(
    [
        Route("/sms/reply", "function", "protected", Path("f/r.py"), "functions/sms/reply.protected.py"),
        Route("/helper", "function", "private", Path("f/h.py"), "functions/helper.private.py"),
        Route("/style.css", "asset", "public", Path("a/s.css"), "assets/style.css"),
    ]
)
WHEN = time.mktime((2026, 12, 6, 12, 0, 0, 0, 0, -1))


def request(body: bytes = b"Body=hi&From=%2B15551111111") -> Request:
    headers = Headers(
        [
            ("host", "abc.ngrok.app"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("content-length", str(len(body))),
            ("x-twilio-signature", "c2lnbmF0dXJlLW9mLTI4LWNoYXJhY3Q="),
            ("authorization", "Basic dXNlcjpwYXNz"),
            ("cookie", "count=2; theme=dark"),
        ]
    )
    return Request(
        "POST", "/sms/reply", "a=1", headers, body, "https://abc.ngrok.app/sms/reply?a=1", "127.0.0.1"
    )


def answer(route: str | None = "/sms/reply", status: int = 200, body: bytes = b"<Response/>") -> HttpResponse:
    headers = [("content-type", "text/xml"), ("set-cookie", "count=3"), ("content-length", "11")]
    return HttpResponse(status, headers, body, route)


def test_only_answers_of_functions_are_recorded() -> None:
    recorder = Recorder(Path("/project"), ROUTES)
    assert recorder.records("POST", answer())
    assert recorder.records("GET", answer(status=500, body=b"boom"))
    assert recorder.records("POST", answer(status=401, body=b"the handler's own 401"))
    assert not recorder.records("GET", answer("/style.css"))
    assert not recorder.records("GET", answer("/helper", 403))
    assert not recorder.records("OPTIONS", answer(status=204))
    assert not recorder.records("GET", answer(None, 404))
    refused = b"Unauthorized: this route is protected and needs a valid X-Twilio-Signature."
    assert not recorder.records("POST", answer(status=401, body=refused))


def test_a_line_keeps_the_request_and_answer_but_credentials_and_transport_headers() -> None:
    line = json.loads(Recording.of(request(), answer(), WHEN).to_json())
    assert line == {
        "recorded_at": WHEN,
        "request": {
            "method": "POST",
            "path": "/sms/reply",
            "query": "a=1",
            "url": "https://abc.ngrok.app/sms/reply?a=1",
            "headers": [
                ["content-type", "application/x-www-form-urlencoded"],
                ["x-twilio-signature", "c2lnbmF0dXJlLW9mLTI4LWNoYXJhY3Q="],
            ],
            "cookies": {"count": "2", "theme": "dark"},
            "body": "Body=hi&From=%2B15551111111",
        },
        "response": {
            "status": 200,
            "headers": [["content-type", "text/xml"], ["set-cookie", "count=3"]],
            "body": "<Response/>",
        },
    }


def test_bodies_that_are_not_utf8_go_in_base64_and_read_back_the_same() -> None:
    recording = Recording.of(request(b"\xff\x00"), answer(body=bytes(range(256))), WHEN)
    line = json.loads(recording.to_json())
    assert line["request"]["body_base64"] == "/wA="
    assert "body" not in line["response"]
    assert Recording.from_json(recording.to_json()) == recording


def test_the_file_of_the_day_is_private_and_lines_are_appended(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, ROUTES)
    recorder.record(request(), answer(), WHEN)
    recorder.record(request(), answer(body=b"<Response><Message>2</Message></Response>"), WHEN)
    file = tmp_path / ".pyserverless" / "recordings" / "2026-12-06.jsonl"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert [item.response_body for item in read_recordings(file)] == [
        b"<Response/>",
        b"<Response><Message>2</Message></Response>",
    ]


def test_a_file_that_cannot_be_written_is_said_once_and_serving_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ".pyserverless").write_text("not a folder")
    recorder = Recorder(tmp_path, ROUTES)
    with caplog.at_level(logging.ERROR, "pyserverless.server"):
        recorder.record(request(), answer(), WHEN)
        recorder.record(request(), answer(), WHEN)
    assert [record.getMessage() for record in caplog.records] == [
        f"--record cannot write to {tmp_path / '.pyserverless' / 'recordings'}: Not a directory"
    ]


def test_a_line_that_is_no_recording_is_named(tmp_path: Path) -> None:
    file = tmp_path / "r.jsonl"
    file.write_text(Recording.of(request(), answer(), WHEN).to_json() + '\n\n{"request": {}}\n')
    with pytest.raises(UserError) as error:
        read_recordings(file)
    assert error.value.message == f"{file}:3 is not a recording (KeyError: 'response')."
    with pytest.raises(UserError) as missing:
        read_recordings(tmp_path / "none.jsonl")
    assert missing.value.message == f"{tmp_path / 'none.jsonl'}: no such recording file."


def test_rewriting_a_file_keeps_it_private(tmp_path: Path) -> None:
    file = tmp_path / "r.jsonl"
    recording = Recording.of(request(), answer(), WHEN)
    write_recordings(file, [recording, recording.with_answer(answer(status=500, body=b"x"))])
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert [(item.status, item.response_body) for item in read_recordings(file)] == [
        (200, b"<Response/>"),
        (500, b"x"),
    ]
