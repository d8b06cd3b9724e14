"""Tests of this project's functions. Run them with `pytest`.

`call_function` (see conftest.py) calls a handler the way the runtime does and gives back its result.
"""


def test_hello_world_says_hello(call_function):
    twiml = call_function("hello-world.py")
    assert str(twiml) == '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello World!</Say></Response>'
