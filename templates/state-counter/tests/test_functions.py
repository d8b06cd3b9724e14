"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) texts the functions the way Twilio does: signed requests, and the
cookies of each conversation kept per sender and number for four hours at most, which is where the count lives.
The first test is the conversation pyserverless's docs show for this template.
"""

COUNT = [
    "Hello, thanks for the new message!",
    "Your current count is 1",
    "Your current count is 2",
    "Your current count is 3",
    "Your current count is 4",
    "Your current count is 5",
    "You've reached the end of the count!",
]


def test_state_counts_the_messages_of_a_conversation(twilio_sim):
    conversation = twilio_sim.sms("/state", from_="+15551111111")
    replies = [conversation.send("hi").messages[0] for _ in range(9)]
    assert replies == [*COUNT, *COUNT[:2]]


def test_each_pair_has_its_own_count(twilio_sim):
    alice = twilio_sim.sms("/state", from_="+15551111111")
    bob = twilio_sim.sms("/state", from_="+15552222222")
    alice.send("hi")
    alice.send("hi")
    assert bob.send("hi").messages == [COUNT[0]]
    assert alice.send("hi").messages == [COUNT[2]]


def test_the_end_of_the_count_removes_its_cookie(twilio_sim):
    conversation = twilio_sim.sms("/state")
    replies = [conversation.send("hi") for _ in range(7)]
    assert replies[-1].last.set_cookies == ["count=;Max-Age=0"]
    assert conversation.cookies == {}


def test_twilio_forgets_the_count_after_four_hours(twilio_sim):
    conversation = twilio_sim.sms("/state")
    conversation.send("hi")
    twilio_sim.clock.advance(hours=4)
    assert conversation.send("hi").messages == [COUNT[0]]
