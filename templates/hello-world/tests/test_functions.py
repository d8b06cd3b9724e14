"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML.
The first test is the call pyserverless's docs show for this template.
"""


def test_hello_world_says_hello(twilio_sim):
    call = twilio_sim.call("/hello-world")
    assert call.transcript == ["Hello World!", "The TwiML ended: Twilio hangs up."]


def test_anyone_may_call_it(twilio_sim):
    answer = twilio_sim.exchange("GET", twilio_sim.url_for("/hello-world"), {}, None)
    assert answer.text == '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello World!</Say></Response>'
