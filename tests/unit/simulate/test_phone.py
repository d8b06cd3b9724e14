"""The dev phone's engine: the counter story with no AUTH_TOKEN, pairs kept in the jar `sms` shares, resets,
calls, and the messages of what a client sent wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.simulate.phone import DevPhone, UnknownCall
from tests.support.counter_story import ALICE, BOB, COUNTER_STORY
from tests.support.server_process import copy_project

TO = "+14155550199"


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[DevPhone]:
    root = copy_project("simulate-counter", tmp_path)
    (root / ".env").write_text("AUTH_TOKEN=\n")
    (root / "functions" / "voice.py").write_text(
        "from twilio.twiml.voice_response import VoiceResponse\n\n\n"
        "def handler(context, event, callback):\n"
        "    twiml = VoiceResponse()\n"
        "    twiml.gather(num_digits=1).say('Press a key.')\n"
        "    callback(None, twiml)\n"
    )
    device = DevPhone(load_project(root), "http://localhost:3000", timeout=5)
    yield device
    device.close()


def test_the_counter_story_is_signed_with_a_throwaway_token_and_kept_in_the_sms_jar(phone: DevPhone) -> None:
    replies = [phone.send_message("/state", "hi", ALICE, None)["replies"] for _ in COUNTER_STORY]
    assert replies == [[reply] for reply in COUNTER_STORY]
    answer = phone.send_message("/state", "hi", ALICE, None)
    assert answer["requests"][0]["signed"] is True
    assert answer["cookies"]["count"]["value"] == "2"
    assert answer["cookies"]["count"]["expires_in"] == 14400
    saved = json.loads((phone.project.root / ".pyserverless" / "cookies.json").read_text())
    assert [(pair["from"], pair["to"]) for pair in saved["conversations"]] == [(ALICE, TO)]


def test_conversations_list_the_pairs_and_a_reset_without_numbers_forgets_them_all(phone: DevPhone) -> None:
    phone.send_message("/state", "hi", ALICE, None)
    phone.send_message("/state", "hi", BOB, "+15550000000")
    listed = phone.conversations()["conversations"]
    assert [(pair["from"], pair["to"], pair["cookies"]["count"]["value"]) for pair in listed] == [
        (ALICE, TO, "1"),
        (BOB, "+15550000000", "1"),
    ]
    assert phone.reset(None, None) == {
        "reset": [{"from": ALICE, "to": TO}, {"from": BOB, "to": "+15550000000"}]
    }
    assert phone.conversations()["conversations"] == []


def test_a_call_waits_for_digits_and_is_forgotten_once_hung_up(phone: DevPhone) -> None:
    call = phone.start_call("/voice", None, None)
    assert (call["waiting"], call["from"], call["to"]) == (True, "+14155550100", TO)
    assert call["new_events"][0] == {"kind": "say", "text": "Press a key."}
    with pytest.raises(UserError) as nothing:
        phone.answer_call(call["call_sid"])
    assert nothing.value.message == "Say what the caller does."
    after = phone.answer_call(call["call_sid"], digits="5")
    assert after["new_events"][0] == {"kind": "input", "text": "(caller presses 5)"}
    phone.hang_up(call["call_sid"])
    with pytest.raises(UnknownCall) as gone:
        phone.answer_call(call["call_sid"], digits="1")
    assert gone.value.message == f"There is no call {call['call_sid']} in progress."


@pytest.mark.parametrize(
    ("path", "sender", "message"),
    [
        ("state", None, "'state' is not a function path."),
        ("/nothing", None, "The project has no function or asset at /nothing."),
        (
            "/state",
            "+1\r\nX: y",
            '"from" must be a phone number or address of at most 64 printable characters.',
        ),
        ("/state", "+1" * 40, '"from" must be a phone number or address of at most 64 printable characters.'),
    ],
)
def test_what_a_client_sent_wrong_is_named(
    phone: DevPhone, path: str, sender: str | None, message: str
) -> None:
    with pytest.raises(UserError) as refused:
        phone.send_message(path, "hi", sender, None)
    assert refused.value.message == message


def test_the_generation_names_the_loaded_code(phone: DevPhone, tmp_path: Path) -> None:
    other = DevPhone(phone.project, phone.base_url)
    assert phone.routes() == {
        "functions": [
            "/broken",
            "/chatty",
            "/echo",
            "/loop",
            "/media",
            "/plain",
            "/second",
            "/state",
            "/voice",
        ],
        "code": phone.code(),
    }
    assert other.generation != phone.generation
