"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does, walks their TwiML and keeps
the call's cookies; `press` answers a `<Gather>`, `silence` lets it time out. The first test is the call
pyserverless's docs show for this template.
"""

MAIN_MENU = "For our opening hours, press 1. To reach a department, press 2."
DEPARTMENTS = "For sales, press 1. For support, press 2. To go back, press 0."
HOURS = "We are open Monday to Friday, from 9 AM to 5 PM."


def test_a_call_through_both_menus(twilio_sim):
    call = twilio_sim.call("/ivr")
    assert call.said == ["Thanks for calling!", MAIN_MENU]
    call.press("1").press("2")
    assert call.said[2:] == [HOURS, MAIN_MENU, DEPARTMENTS]
    call.press("2")
    assert call.said[-1] == "Connecting you to support. Goodbye!"
    assert call.ended


def test_the_menu_lives_in_a_cookie_of_the_call(twilio_sim):
    call = twilio_sim.call("/ivr")
    assert call.cookies == {"menu": "main"}
    call.press("2")
    assert call.cookies == {"menu": "departments"}
    call.press("1")
    assert (call.said[-1], call.cookies) == ("Connecting you to sales. Goodbye!", {})


def test_zero_goes_back_and_a_wrong_key_repeats_the_menu(twilio_sim):
    call = twilio_sim.call("/ivr").press("2").press("0")
    assert call.said[-1] == MAIN_MENU
    call.press("2").press("7")
    assert call.said[-2:] == ["Sorry, that is not an option.", DEPARTMENTS]


def test_silence_ends_the_call(twilio_sim):
    call = twilio_sim.call("/ivr").silence()
    assert call.said[-1] == "We did not hear a choice. Goodbye!"
    assert call.ended


def test_a_new_call_starts_over(twilio_sim):
    twilio_sim.call("/ivr").press("2")
    assert twilio_sim.call("/ivr").said == ["Thanks for calling!", MAIN_MENU]
