"""The dev phone's JSON API against a real `pyserverless start`: the counter story, cookies per pair, calls
through a voice menu, reloads, and who may use it (loopback only, never through the tunnel)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import fake_ngrok
from tests.support.counter_story import ALICE, BOB, COUNTER_STORY
from tests.support.reloads import RELOADED, wait_for_count
from tests.support.server_process import StartedServer, copy_project

MENU = "Welcome. Press 1 for sales, 2 for support."
SALES = "Sales. Press 1 for new orders, 2 for a quote."


def post(server: StartedServer, path: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.post(server.url(f"/_dev/api/{path}"), json=body, headers=headers, timeout=30)


def text(server: StartedServer, body: str, sender: str = ALICE) -> dict[str, Any]:
    answer = post(server, "messages", {"path": "/state", "body": body, "from": sender})
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


@pytest.fixture
def no_token_project(tmp_path: Path) -> Path:
    """The counter project with no AUTH_TOKEN, as a fresh `init` has."""
    project = copy_project("simulate-counter", tmp_path)
    (project / ".env").write_text("ACCOUNT_SID=\nAUTH_TOKEN=\n")
    return project


def test_the_counter_story_is_told_through_the_api_with_no_credentials(no_token_project: Path) -> None:
    with StartedServer(no_token_project) as server:
        assert f"Dev phone: {server.base_url}/_dev/phone (text and call your functions from a browser)" in (
            server.stdout_text()
        )
        replies = [text(server, "hi")["replies"] for _ in COUNTER_STORY]
        assert replies == [[reply] for reply in COUNTER_STORY]

        first = text(server, "again")
        assert first["status"] == 200
        assert first["from"] == ALICE and first["to"] == "+14155550199"
        assert first["twiml"] == (
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<Response><Message>Your current count is 1</Message></Response>"
        )
        assert first["requests"][0]["signed"] is True
        assert first["requests"][0]["url"] == f"{server.base_url}/state"
        assert list(first["cookies"]) == ["count"]
        assert first["cookies"]["count"]["value"] == "2"
        assert 14390 <= first["cookies"]["count"]["expires_in"] <= 14400  # Twilio's 4-hour cap

        other = text(server, "hi", sender=BOB)
        assert other["replies"] == [COUNTER_STORY[0]]
        listed = httpx.get(server.url("/_dev/api/conversations"), timeout=10).json()
        assert [(pair["from"], pair["cookies"]["count"]["value"]) for pair in listed["conversations"]] == [
            (ALICE, "2"),
            (BOB, "1"),
        ]
        reset = httpx.delete(
            server.url("/_dev/api/conversations"), params={"from": ALICE, "to": "+14155550199"}, timeout=10
        )
        assert reset.json() == {"reset": [{"from": ALICE, "to": "+14155550199"}]}
        assert text(server, "hi")["replies"] == [COUNTER_STORY[0]]
        # The jar is the one `pyserverless sms` keeps.
        saved = json.loads((no_token_project / ".pyserverless" / "cookies.json").read_text())
        assert {pair["from"] for pair in saved["conversations"]} == {ALICE, BOB}


def test_media_and_redirects_are_in_the_reply(tmp_path: Path) -> None:
    with StartedServer(copy_project("simulate-counter", tmp_path)) as server:
        reply = post(server, "messages", {"path": "/media", "body": "hi"}).json()
        assert reply["messages"][:2] == [
            {"body": "Here is a cat", "media": ["https://demo.twilio.com/owl.png"], "to": None, "from": None},
            {"body": "And a note to the team", "media": [], "to": "+14155550123", "from": None},
        ]
        assert [request["url"] for request in reply["requests"]] == [
            server.url("/media"),
            server.url("/second"),
        ]


def test_a_voice_menu_is_walked_with_digits_and_ends_on_hangup(tmp_path: Path) -> None:
    with StartedServer(copy_project("simulate-ivr", tmp_path)) as server:
        started = post(server, "calls", {"path": "/voice"})
        assert started.status_code == 200, started.text
        call = started.json()
        assert call["waiting"] is True and call["ended"] is False
        assert [event["text"] for event in call["new_events"]] == [
            MENU,
            "Gather: waits for dtmf, 1 digit(s), then POST /ivr/menu",
        ]
        assert call["cookies"] == {"visits": "1"}
        pressed = post(server, f"calls/{call['call_sid']}", {"digits": "1"}).json()
        assert [event["text"] for event in pressed["new_events"]][:2] == ["(caller presses 1)", SALES]
        hung = httpx.delete(server.url(f"/_dev/api/calls/{call['call_sid']}"), timeout=10).json()
        assert hung["new_events"] == [{"kind": "hangup", "text": "The caller hung up."}]
        gone = post(server, f"calls/{call['call_sid']}", {"digits": "1"})
        assert gone.status_code == 404
        assert gone.json() == {
            "error": f"There is no call {call['call_sid']} in progress.",
            "hint": "Calls end when the code reloads or the call hangs up: start a new call.",
        }


def test_the_next_message_runs_the_new_code_and_says_the_code_changed(tmp_path: Path) -> None:
    project = copy_project("simulate-counter", tmp_path)
    with StartedServer(project) as server:
        before = post(server, "messages", {"path": "/echo", "body": "one"}).json()
        function = project / "functions" / "echo.py"
        function.write_text(
            "def handler(context, event, callback):\n    callback(None, 'new code: ' + event['Body'])\n"
        )
        wait_for_count(server, RELOADED, 1)
        after = post(server, "messages", {"path": "/echo", "body": "two"}).json()
        assert after["requests"][0]["body"] == "new code: two"
        assert after["code"]["generation"] != before["code"]["generation"]


def test_bad_requests_are_answered_with_what_to_fix(tmp_path: Path) -> None:
    with StartedServer(copy_project("simulate-counter", tmp_path)) as server:
        unknown = post(server, "messages", {"path": "/stat", "body": "hi"})
        assert unknown.status_code == 400
        assert unknown.json()["error"] == "The project has no function or asset at /stat."
        form = httpx.post(server.url("/_dev/api/messages"), data={"path": "/state"}, timeout=10)
        assert (form.status_code, form.json()) == (
            400,
            {"error": "The dev phone API takes JSON.", "hint": "Send Content-Type: application/json."},
        )
        bad_from = post(server, "messages", {"path": "/state", "from": "+1\n2"})
        assert bad_from.status_code == 400
        assert bad_from.json()["error"].startswith('"from" must be a phone number or address')
        assert httpx.get(server.url("/_dev/api/nothing"), timeout=10).status_code == 404


def test_only_this_machine_may_use_the_phone(tmp_path: Path) -> None:
    with StartedServer(copy_project("simulate-counter", tmp_path), "--allowed-host", "phone.test") as server:
        page = httpx.get(server.url("/_dev/phone"), timeout=10)
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        assert httpx.get(server.url("/_dev/phone/phone.js"), timeout=10).status_code == 200
        elsewhere = post(server, "messages", {"path": "/state"}, Origin="https://attacker.example")
        assert (elsewhere.status_code, elsewhere.json()) == (
            403,
            {"error": "The dev phone answers pages of this machine only."},
        )
        # Another Host name, a proxy's headers: the 404 of an unknown route.
        for headers in ({"Host": "phone.test"}, {"X-Forwarded-For": "203.0.113.9"}):
            assert httpx.get(server.url("/_dev/phone"), headers=headers, timeout=10).status_code == 404
            assert post(server, "messages", {"path": "/state"}, **headers).status_code == 404


def test_the_tunnel_answers_404_for_the_dev_pages(tmp_path: Path) -> None:
    ngrok = fake_ngrok.install(tmp_path / "bin")
    env: dict[str, str | None] = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NGROK_AUTHTOKEN": "token-1",
        "FAKE_NGROK_STATE": str(tmp_path / "ngrok-state.jsonl"),
        "PYNGROK_NGROK_PATH": None,
    }
    project = copy_project("simulate-counter", tmp_path)
    with StartedServer(project, "--ngrok", "--ngrok-path", str(ngrok), env=env) as server:
        public = next(
            line.split()[2] for line in server.stdout_text().splitlines() if line.startswith("Tunnel open:")
        )
        assert httpx.get(f"{public}/echo?Body=x", timeout=10).status_code == 200
        for path in ("/_dev/phone", "/_dev/phone/phone.js", "/_dev/api/routes", "/_dev/api/conversations"):
            assert httpx.get(f"{public}{path}", timeout=10).status_code == 404, path
        assert (
            httpx.post(f"{public}/_dev/api/messages", json={"path": "/state"}, timeout=10).status_code == 404
        )
