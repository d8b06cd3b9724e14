"""Tests of this project's functions. Run them with `pytest`.

`call_function` (see conftest.py) calls a handler the way the runtime does and gives back its result.
"""

XML = '<?xml version="1.0" encoding="UTF-8"?>'


def test_reply_quotes_the_message(call_function):
    twiml = call_function("reply.protected.py", {"Body": "Is this <on>?", "From": "+15551111111"})
    assert str(twiml) == (
        f'{XML}<Response><Message>Thanks for your message! You said: "Is this &lt;on&gt;?"</Message></Response>'
    )


def test_reply_to_an_empty_message(call_function):
    twiml = call_function("reply.protected.py", {"Body": "", "From": "+15551111111"})
    assert str(twiml) == f"{XML}<Response><Message>Thanks for your message!</Message></Response>"
