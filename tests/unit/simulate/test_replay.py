"""Replaying recordings: how answers are compared and diffed, and requests re-signed and sent in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.runtime.http import Headers, HttpResponse, Request
from pyserverless.server.recording import Recording
from pyserverless.simulate.replay import Replayer, compare, recording_files, route_of
from pyserverless.simulate.transport import InProcessTransport
from tests.support.server_process import copy_project

TOKEN = "replay-test-token"


def recorded(body: bytes, content_type: str, status: int = 200) -> Recording:
    request = Request("GET", "/x", "", Headers([]), b"", "http://localhost:3000/x")
    return Recording.of(request, HttpResponse(status, [("content-type", content_type)], body), 0.0)


def test_twiml_is_compared_as_xml() -> None:
    before = recorded(
        b'<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="a" loop="2">Hi</Say></Response>',
        "text/xml",
    )
    same = HttpResponse(
        200,
        [("content-type", "text/xml; charset=utf-8")],
        b'<Response>\n  <Say loop="2" voice="a">Hi</Say>\n</Response>',
    )
    assert compare(before, same) == ([], "")
    changed = HttpResponse(
        200, [("content-type", "text/xml")], b'<Response><Say voice="a" loop="3">Hi</Say></Response>'
    )
    assert compare(before, changed) == (
        ["body"],
        "--- recorded\n+++ replayed\n@@ -1,4 +1,4 @@\n HTTP 200\n <Response>\n"
        '-  <Say loop="2" voice="a">Hi</Say>\n+  <Say loop="3" voice="a">Hi</Say>\n </Response>',
    )


def test_json_is_compared_as_data_and_other_bodies_byte_for_byte() -> None:
    before = recorded(b'{"b": [1, 2], "a": "x"}', "application/json")
    assert compare(
        before, HttpResponse(200, [("content-type", "application/json")], b'{"a":"x","b":[1,2]}')
    ) == ([], "")
    assert compare(before, HttpResponse(200, [("content-type", "application/json")], b'{"a":"y","b":[1,2]}'))[
        0
    ] == ["body"]
    text = recorded(b"hello", "text/plain")
    assert compare(text, HttpResponse(200, [("content-type", "text/plain")], b"hello "))[0] == ["body"]


def test_a_status_change_is_named_and_in_the_diff() -> None:
    before = recorded(b"ok", "text/plain")
    assert compare(before, HttpResponse(500, [("content-type", "text/plain")], b"ok")) == (
        ["status 200 -> 500"],
        "--- recorded\n+++ replayed\n@@ -1,2 +1,2 @@\n-HTTP 200\n+HTTP 500\n ok",
    )


def test_requests_go_again_re_signed_with_their_cookies_to_their_recorded_url(tmp_path: Path) -> None:
    project = load_project(copy_project("server-payloads", tmp_path))
    transport = InProcessTransport(project, {"AUTH_TOKEN": TOKEN})
    url = "https://abc.ngrok.app/echo?x=1"
    headers = Headers(
        [
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-twilio-signature", "old"),
            ("cookie", "count=2"),
        ]
    )
    request = Request("POST", "/echo", "x=1", headers, b"Body=hi", url)
    try:
        recording = Recording.of(request, HttpResponse(200), 0.0)
        first = Replayer(transport, TOKEN).send(recording)
        assert (
            Replayer(transport, TOKEN, "http://127.0.0.1:9/").url_for(recording)
            == "http://127.0.0.1:9/echo?x=1"
        )
    finally:
        transport.close()
    echoed = json.loads(first.body)
    assert echoed["domain"] == "abc.ngrok.app"
    assert echoed["event"]["Body"] == "hi"
    assert echoed["event"]["x"] == "1"
    assert echoed["event"]["request"]["cookies"] == {"count": "2"}
    assert echoed["event"]["request"]["headers"]["x-twilio-signature"] != "old"


def test_a_project_with_no_recordings_is_told_how_to_make_some(tmp_path: Path) -> None:
    with pytest.raises(UserError) as error:
        recording_files(tmp_path)
    assert error.value.message == f"No recordings in {tmp_path / '.pyserverless' / 'recordings'}."
    assert (
        error.value.hint == "Record real traffic with `pyserverless start --record`, or name recording files."
    )


def test_only_takes_a_route_however_written() -> None:
    assert [route_of(path) for path in ("sms/reply", "/sms/reply", "http://h/sms/reply?x=1", "/a%20b")] == [
        "/sms/reply",
        "/sms/reply",
        "/sms/reply",
        "/a b",
    ]
