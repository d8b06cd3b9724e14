"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation (for four hours at most). The first test is the conversation pyserverless's docs show for
this template.
"""

import logging

RATING = "From 1 (poor) to 5 (great), how was your visit today?"
RECOMMEND = "Would you recommend us to a friend? Reply YES or NO."
COMMENT = "Last one: what could we do better?"


def test_a_survey_from_start_to_end(twilio_sim, caplog):
    caplog.set_level(logging.INFO)
    conversation = twilio_sim.sms("/survey", from_="+15551111111")
    assert conversation.send("survey").messages == [f"Thanks for taking our 3-question survey! {RATING}"]
    assert conversation.send("4").messages == [RECOMMEND]
    assert conversation.send("yes!").messages == [COMMENT]
    assert conversation.send("More chairs; the queue was long").messages == [
        "Thank you! Your answers help us get better."
    ]
    assert conversation.cookies == {}
    assert (
        'Survey answers: {"comment": "More chairs; the queue was long", "from": "+15551111111", '
        '"rating": "4", "recommend": "YES"}'
    ) in caplog.messages


def test_an_answer_that_does_not_fit_asks_again(twilio_sim):
    conversation = twilio_sim.sms("/survey")
    conversation.send("hi")
    assert conversation.send("great").messages == [f"Please answer with a number from 1 to 5. {RATING}"]
    assert conversation.send("5").messages == [RECOMMEND]
    assert conversation.send("maybe").messages == [f"Please answer YES or NO. {RECOMMEND}"]
    assert conversation.cookies == {"survey": "started", "rating": "5"}


def test_each_sender_has_a_survey_of_their_own(twilio_sim):
    alice = twilio_sim.sms("/survey", from_="+15551111111")
    bob = twilio_sim.sms("/survey", from_="+15552222222")
    alice.send("hi")
    alice.send("2")
    assert bob.send("hi").messages == [f"Thanks for taking our 3-question survey! {RATING}"]
    assert alice.send("no").messages == [COMMENT]


def test_a_survey_left_for_four_hours_starts_over(twilio_sim):
    conversation = twilio_sim.sms("/survey")
    conversation.send("hi")
    conversation.send("3")
    twilio_sim.clock.advance(hours=4)
    assert conversation.send("yes").messages == [f"Thanks for taking our 3-question survey! {RATING}"]
