"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does, walks their TwiML and
keeps the call's cookies; `press` answers a `<Gather>`. `twilio_sim_env` sets .env variables for a test. The
first test is the call pyserverless's docs show for this template.
"""

import pytest

PIN = {"MENU_PIN": "2468"}
ASK = "Welcome. Please enter your PIN, then press pound."
AGAIN = "That PIN is not right. Please try again, then press pound."
MENU = "To hear today's announcement, press 1. To hang up, press 2."
ANNOUNCEMENT = "The team meeting moves to Thursday at 10 AM. The office is closed on Monday for maintenance."


@pytest.mark.parametrize("twilio_sim_env", [PIN])
def test_the_right_pin_opens_the_menu(twilio_sim):
    call = twilio_sim.call("/pin-menu")
    assert call.said == [ASK]
    call.press("1111#")
    assert call.said[-1] == AGAIN
    call.press("2468#")
    assert call.said[-2:] == ["Thank you.", MENU]
    call.press("1")
    assert call.said[-2:] == [ANNOUNCEMENT, MENU]
    call.press("2")
    assert (call.said[-1], call.ended) == ("Goodbye!", True)


@pytest.mark.parametrize("twilio_sim_env", [PIN])
def test_three_wrong_pins_end_the_call(twilio_sim):
    call = twilio_sim.call("/pin-menu").press("1#").press("2#")
    assert call.cookies == {"tries": "2"}
    call.press("3#")
    assert call.said[-1] == "That PIN is not right. Goodbye!"
    assert call.ended


@pytest.mark.parametrize("twilio_sim_env", [PIN])
def test_a_new_call_must_enter_the_pin_again(twilio_sim):
    twilio_sim.call("/pin-menu").press("2468#")
    assert twilio_sim.call("/pin-menu").said == [ASK]


@pytest.mark.parametrize("twilio_sim_env", [PIN])
def test_the_announcement_is_never_served(twilio_sim):
    assert twilio_sim.exchange("GET", twilio_sim.url_for("/announcement.txt"), {}, None).status == 403


@pytest.mark.parametrize("twilio_sim_env", [{"MENU_PIN": ""}])
def test_without_a_pin_nobody_gets_in(twilio_sim):
    call = twilio_sim.call("/pin-menu")
    assert call.said == ["This line has no PIN yet. Set MENU_PIN in the project's .env file. Goodbye!"]
    assert call.ended
