"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation. The first test is the conversation pyserverless's docs show for this template.
"""


def test_reply_quotes_the_message(twilio_sim):
    conversation = twilio_sim.sms("/reply")
    assert conversation.send("Is this <on>?").messages == [
        'Thanks for your message! You said: "Is this <on>?"'
    ]


def test_reply_to_an_empty_message(twilio_sim):
    assert twilio_sim.sms("/reply").send("").messages == ["Thanks for your message!"]
