"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation. The first test is the conversation pyserverless's docs show for this template.
"""

MENU = "Hi! Text one of these words: HOURS, ADDRESS, PRICES."


def test_each_keyword_gets_its_answer(twilio_sim):
    conversation = twilio_sim.sms("/keywords")
    assert conversation.send("hi").messages == [MENU]
    assert conversation.send("Hours?").messages == [
        "We are open Monday to Friday, 9 AM to 5 PM, and Saturday, 10 AM to 2 PM."
    ]
    assert conversation.send("address please").messages == [
        "You will find us at 100 Main Street, Springfield. Parking is behind the building."
    ]


def test_keywords_ignore_case_and_punctuation(twilio_sim):
    reply = twilio_sim.sms("/keywords").send("  pRiCeS!! ")
    assert reply.messages == ["A haircut is $25, a beard trim $15, both together $35."]


def test_an_empty_or_unknown_text_gets_the_list(twilio_sim):
    conversation = twilio_sim.sms("/keywords")
    assert conversation.send("").messages == [MENU]
    assert conversation.send("what are your hours").messages == [MENU]
