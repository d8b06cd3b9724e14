"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation. `twilio_sim_env` sets .env variables for a test. The first test is the conversation
pyserverless's docs show for this template.
"""

import pytest

MY_PHONE = {"MY_PHONE_NUMBER": "+15552222222"}


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_texts_are_forwarded_to_my_phone_number(twilio_sim):
    reply = twilio_sim.sms("/forward", from_="+15551111111").send("Are you open on Sunday?")
    assert [(message.to, message.body) for message in reply.outgoing] == [
        ("+15552222222", "From +15551111111: Are you open on Sunday?")
    ]


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_pictures_are_forwarded_too(twilio_sim):
    photo = "https://example.com/photo.jpg"
    reply = twilio_sim.sms("/forward", from_="+15551111111").send("Look", media=[photo])
    assert [(message.to, message.media) for message in reply.outgoing] == [("+15552222222", (photo,))]


@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": ""}])
def test_without_my_phone_number_nothing_is_forwarded(twilio_sim, caplog):
    reply = twilio_sim.sms("/forward").send("hello")
    assert (reply.status, reply.outgoing) == (200, [])
    assert "Not forwarded: set MY_PHONE_NUMBER in the project's .env file." in caplog.messages
