"""The seed's counter conversation and Twilio's messaging cookie rules, through the `twilio_sim` fixture."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pyserverless.project.folder import load_project
from pyserverless.simulate import Simulator, TwilioSim
from pyserverless.simulate.transport import InProcessTransport
from tests.support.counter_story import ALICE, BOB, COUNTER_STORY


@pytest.fixture
def twilio_sim_project(counter_project: Path) -> Path:
    return counter_project


def test_the_counter_story_with_a_second_pair_interleaved(twilio_sim: TwilioSim) -> None:
    alice = twilio_sim.sms("/state", from_=ALICE)
    bob = twilio_sim.sms("/state", from_=BOB)
    alice_replies, bob_replies = [], []
    for turn in range(len(COUNTER_STORY)):
        alice_replies.extend(alice.send("hi").messages)
        if turn in (1, 4, 6):
            bob_replies.extend(bob.send("hey").messages)
    assert alice_replies == COUNTER_STORY
    assert bob_replies == COUNTER_STORY[:3]
    assert alice.cookies == {"count": "1"}
    assert bob.cookies == {"count": "3"}


def test_the_conversation_is_forgotten_four_hours_after_the_last_cookie(twilio_sim: TwilioSim) -> None:
    conversation = twilio_sim.sms("/state", from_=ALICE)
    assert conversation.send("hi").messages == [COUNTER_STORY[0]]
    twilio_sim.clock.advance(hours=3, minutes=59)
    assert conversation.send("hi").messages == [COUNTER_STORY[1]]
    twilio_sim.clock.advance(hours=4)
    assert conversation.send("hi").messages == [COUNTER_STORY[0]]


def test_reset_starts_a_new_conversation_for_that_pair_only(twilio_sim: TwilioSim) -> None:
    alice, bob = twilio_sim.sms("/state", from_=ALICE), twilio_sim.sms("/state", from_=BOB)
    alice.send("hi"), bob.send("hi"), bob.send("hi")
    alice.reset()
    assert alice.send("hi").messages == [COUNTER_STORY[0]]
    assert bob.send("hi").messages == [COUNTER_STORY[2]]


def test_the_same_sender_to_another_number_is_another_conversation(twilio_sim: TwilioSim) -> None:
    twilio_sim.sms("/state", from_=ALICE, to="+14155550199").send("hi")
    assert twilio_sim.sms("/state", from_=ALICE, to="+14155550188").send("hi").messages == [COUNTER_STORY[0]]


def test_get_webhooks_are_signed_over_the_url_with_its_query(twilio_sim: TwilioSim) -> None:
    conversation = twilio_sim.sms("/state", method="GET")
    first = conversation.send("hi")
    assert first.messages == [COUNTER_STORY[0]]
    assert first.last.method == "GET"
    assert first.last.url.startswith("http://localhost:3000/state?")
    assert "Body=hi" in first.last.url.split("?", 1)[1].split("&")
    assert conversation.send("hi").messages == [COUNTER_STORY[1]]


def test_the_function_sees_what_twilio_sends(twilio_sim: TwilioSim) -> None:
    conversation = twilio_sim.sms("/echo", from_="+14155550100", to="+12125550199")
    conversation.simulator.jar.store("+14155550100", "+12125550199", ["step=2"])
    event = json.loads(conversation.send("Ahoy! ☃").text)
    request = event.pop("request")
    assert re.fullmatch(r"SM[0-9a-f]{32}", event.pop("MessageSid"))
    assert event.pop("SmsSid") == event.pop("SmsMessageSid")
    assert event == {
        "AccountSid": "AC00000000000000000000000000000001",
        "ApiVersion": "2010-04-01",
        "Body": "Ahoy! ☃",
        "From": "+14155550100",
        "FromCity": "SAN FRANCISCO",
        "FromCountry": "US",
        "FromState": "CA",
        "FromZip": "94103",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "To": "+12125550199",
        "ToCity": "NEW YORK",
        "ToCountry": "US",
        "ToState": "NY",
        "ToZip": "10001",
    }
    assert request["cookies"] == {"step": "2"}
    headers = request["headers"]
    assert headers["user-agent"] == "TwilioProxy/1.1"
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert headers["cookie"] == "step=2"
    assert re.fullmatch(r"[A-Za-z0-9+/]{27}=", headers["x-twilio-signature"])


def test_messages_media_and_redirects_are_read_from_the_twiml(twilio_sim: TwilioSim) -> None:
    reply = twilio_sim.sms("/media").send("hello")
    assert [message.as_dict() for message in reply.outgoing] == [
        {"body": "Here is a cat", "media": ["https://demo.twilio.com/owl.png"], "to": None, "from": None},
        {"body": "And a note to the team", "media": [], "to": "+14155550123", "from": None},
        {"body": "Redirected with 'hello' from +14155550100", "media": [], "to": None, "from": None},
    ]
    assert [exchange.url for exchange in reply.exchanges] == [
        "http://localhost:3000/media",
        "http://localhost:3000/second",
    ]
    assert reply.media == ["https://demo.twilio.com/owl.png"]
    assert reply.problem is None


def test_a_redirect_loop_is_stopped(twilio_sim: TwilioSim) -> None:
    reply = twilio_sim.sms("/loop").send("hello")
    assert len(reply.exchanges) == 11
    assert reply.problem == "More than 10 <Redirect>s in a row: stopped (a redirect loop?)."
    assert not reply.ok


def test_errors_and_plain_answers_are_kept_as_they_came(twilio_sim: TwilioSim) -> None:
    broken = twilio_sim.sms("/broken").send("hello")
    assert (broken.status, broken.ok, broken.messages) == (500, False, [])
    assert json.loads(broken.text)["message"] == "the database is down"
    plain = twilio_sim.sms("/plain").send("hello")
    assert (plain.status, plain.is_twiml, plain.text, plain.messages) == (200, False, "just text", [])


def test_a_wrong_auth_token_is_refused_by_the_protected_function(counter_project: Path) -> None:
    project = load_project(counter_project)
    transport = InProcessTransport(project, dict(project.env))
    with Simulator(transport, "http://localhost:3000", {"AUTH_TOKEN": "not-the-token"}) as simulator:
        reply = simulator.sms("/state").send("hi")
    assert reply.status == 401
    assert reply.text == "Unauthorized: this route is protected and needs a valid X-Twilio-Signature."
