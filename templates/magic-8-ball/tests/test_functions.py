"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, cookies
kept per conversation. The first test is the conversation pyserverless's docs show for this template.
"""


def test_the_ball_answers_questions(twilio_sim):
    conversation = twilio_sim.sms("/magic-8-ball")
    assert conversation.send("Should I write more tests?").messages == ["🎱 It is certain."]
    assert conversation.send("Will the demo work?").messages == ["🎱 As sure as the sun rises."]


def test_the_same_question_gets_the_same_answer(twilio_sim):
    first = twilio_sim.sms("/magic-8-ball", from_="+15551111111").send("Will it rain tomorrow?")
    again = twilio_sim.sms("/magic-8-ball", from_="+15552222222").send("  will it RAIN tomorrow ")
    assert first.messages == again.messages == ["🎱 My answer is no."]


def test_a_text_with_no_question(twilio_sim):
    reply = twilio_sim.sms("/magic-8-ball").send(" ?! ")
    assert reply.messages == ["Ask me a yes-or-no question and I will answer it."]
