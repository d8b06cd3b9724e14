"""Tests of this project's functions. Run them with `pytest`.

`call_function` (see conftest.py) calls a handler the way the runtime does and gives back its result.
"""

XML = '<?xml version="1.0" encoding="UTF-8"?>'


def test_calls_are_forwarded_to_my_phone_number(call_function):
    twiml = call_function(
        "forward-call.protected.py", {"From": "+15551111111"}, env={"MY_PHONE_NUMBER": "+15552222222"}
    )
    assert str(twiml) == f"{XML}<Response><Dial>+15552222222</Dial></Response>"


def test_without_my_phone_number_the_caller_hears_why(call_function):
    twiml = call_function("forward-call.protected.py", {"From": "+15551111111"}, env={"MY_PHONE_NUMBER": ""})
    assert str(twiml) == (
        f"{XML}<Response><Say>This number cannot forward calls yet. "
        "Set MY_PHONE_NUMBER in the project's .env file.</Say></Response>"
    )
