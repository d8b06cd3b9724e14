"""Tests of this project's functions. Run them with `pytest`.

`call_function` (see conftest.py) calls a handler the way the runtime does and gives back its result. A call is
a series of requests that share the cookies the function sets, which `Call` below keeps as Twilio does.
"""

XML = '<?xml version="1.0" encoding="UTF-8"?>'
MAIN_MENU = (
    '<Gather numDigits="1"><Say>For our opening hours, press 1. To reach a department, press 2.</Say></Gather>'
    "<Say>We did not hear a choice. Goodbye!</Say><Hangup />"
)
DEPARTMENTS_MENU = (
    '<Gather numDigits="1"><Say>For sales, press 1. For support, press 2. To go back, press 0.</Say></Gather>'
    "<Say>We did not hear a choice. Goodbye!</Say><Hangup />"
)


class Call:
    """One phone call to the IVR: each answer posts the pressed key with the cookies of the call so far."""

    def __init__(self, call_function):
        self.call_function = call_function
        self.cookies = {}

    def answer(self, digits=None):
        parameters = {"CallSid": "CA" + "0" * 32, "From": "+15551111111"}
        if digits is not None:
            parameters["Digits"] = digits
        response = self.call_function("ivr.protected.py", parameters, cookies=self.cookies)
        assert response.get_header("Content-Type") == "text/xml"
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                pair, *attributes = value.split(";")
                cookie_name, _, cookie_value = pair.partition("=")
                if "Max-Age=0" in attributes:
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
        return response.body


def test_a_call_starts_at_the_main_menu(call_function):
    call = Call(call_function)
    assert call.answer() == f"{XML}<Response><Say>Thanks for calling!</Say>{MAIN_MENU}</Response>"
    assert call.cookies == {"menu": "main"}


def test_opening_hours_then_back_at_the_main_menu(call_function):
    call = Call(call_function)
    call.answer()
    assert call.answer("1") == (
        f"{XML}<Response><Say>We are open Monday to Friday, from 9 AM to 5 PM.</Say>{MAIN_MENU}</Response>"
    )


def test_the_departments_menu_remembers_where_the_caller_is(call_function):
    call = Call(call_function)
    call.answer()
    assert call.answer("2") == f"{XML}<Response>{DEPARTMENTS_MENU}</Response>"
    assert call.cookies == {"menu": "departments"}
    assert call.answer("2") == (
        f"{XML}<Response><Say>Connecting you to support. Goodbye!</Say><Hangup /></Response>"
    )
    assert call.cookies == {}


def test_zero_goes_back_to_the_main_menu(call_function):
    call = Call(call_function)
    call.answer()
    call.answer("2")
    assert call.answer("0") == f"{XML}<Response>{MAIN_MENU}</Response>"
    assert call.answer("2") == f"{XML}<Response>{DEPARTMENTS_MENU}</Response>"
    assert (
        call.answer("1")
        == f"{XML}<Response><Say>Connecting you to sales. Goodbye!</Say><Hangup /></Response>"
    )


def test_a_wrong_key_repeats_the_menu(call_function):
    call = Call(call_function)
    call.answer()
    call.answer("2")
    assert call.answer("7") == (
        f"{XML}<Response><Say>Sorry, that is not an option.</Say>{DEPARTMENTS_MENU}</Response>"
    )
    assert call.cookies == {"menu": "departments"}


def test_a_new_call_starts_over(call_function):
    first = Call(call_function)
    first.answer()
    first.answer("2")
    assert (
        Call(call_function).answer("1")
        == f"{XML}<Response><Say>Thanks for calling!</Say>{MAIN_MENU}</Response>"
    )
