"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture comes with pyserverless. It texts and calls your functions the way Twilio would: it runs
the project in-process, signs each request with your AUTH_TOKEN (a test token while .env has none), and keeps
cookies as Twilio does, per From/To pair and for four hours at most. `twilio_sim.clock.advance(hours=4)` moves
time on. pyserverless's docs/testing.md lists all it can do.
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


def test_hello_world_says_hello(twilio_sim):
    call = twilio_sim.call("/hello-world")
    assert call.said == ["Hello World!"]
    assert call.ended


def test_sms_reply_answers_hello_world(twilio_sim):
    reply = twilio_sim.sms("/sms/reply").send("Hi there")
    assert reply.messages == ["Hello World!"]


def test_state_counts_the_messages_of_a_conversation(twilio_sim):
    conversation = twilio_sim.sms("/state", from_="+15551111111")
    replies = [conversation.send("hi").messages[0] for _ in range(9)]
    assert replies == [*COUNT, COUNT[0], COUNT[1]]


def test_each_sender_has_a_count_of_their_own(twilio_sim):
    alice = twilio_sim.sms("/state", from_="+15551111111")
    bob = twilio_sim.sms("/state", from_="+15552222222")
    alice.send("hi")
    alice.send("hi")
    assert bob.send("hi").messages == [COUNT[0]]
    assert alice.send("hi").messages == [COUNT[2]]


def test_twilio_forgets_the_count_after_four_hours(twilio_sim):
    conversation = twilio_sim.sms("/state", from_="+15551111111")
    conversation.send("hi")
    twilio_sim.clock.advance(hours=4)
    assert conversation.send("hi").messages == [COUNT[0]]


def test_private_message_reads_the_private_asset(twilio_sim):
    reply = twilio_sim.sms("/private-message").send("hi")
    assert reply.messages == ["This message comes from a private asset: only your functions can read it."]


def test_private_assets_are_never_served(twilio_sim):
    assert twilio_sim.sms("/message.txt").send("hi").status == 403
