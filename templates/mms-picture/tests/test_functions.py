"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation. The first test is the conversation pyserverless's docs show for this template.
"""

from pathlib import Path

POSTCARD = Path(__file__).resolve().parents[1] / "assets" / "postcard.png"


def test_every_text_gets_the_postcard(twilio_sim):
    reply = twilio_sim.sms("/picture").send("Send me something nice")
    assert reply.messages == ["Greetings from the hills! Here is a postcard for you."]
    assert reply.media == ["http://localhost:3000/postcard.png"]


def test_twilio_can_fetch_the_picture(twilio_sim):
    media_url = twilio_sim.sms("/picture").send("hi").media[0]
    picture = twilio_sim.exchange("GET", media_url, {}, None)
    assert (picture.status, picture.content_type) == (200, "image/png")
    assert picture.response.body == POSTCARD.read_bytes()
