"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML; it
stops where `<Dial>` hands the call over. The whisper and the Dial's action are the next requests Twilio makes:
the tests make them as calls to those functions, or with `twilio_sim.exchange(method, url, parameters,
cookie_header)`. `twilio_sim_env` sets .env variables. The first test is the call pyserverless's docs show.
"""

import pytest

CALLER = "+15551111111"
MY_PHONE = {"MY_PHONE_NUMBER": "+15552222222"}
WHISPER = "Call from + 1 5 5 5 1 1 1 1 1 1 1. Press 1 to accept, any other key to decline."


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_you_hear_who_calls_and_accept(twilio_sim):
    call = twilio_sim.call("/incoming", from_=CALLER)
    assert call.transcript == [
        "Please hold while we connect you.",
        "Dial +15552222222: Twilio would connect the call, then POST dial-ended. The simulation ends here.",
    ]
    whisper = twilio_sim.call("/screen", from_=CALLER, to="+15552222222")
    assert whisper.said == [WHISPER]
    whisper.press("1")
    assert whisper.transcript[-1] == "The TwiML ended: Twilio hangs up."


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_the_whisper_names_itself_to_twilio(twilio_sim):
    call = twilio_sim.call("/incoming", from_=CALLER)
    assert '<Number url="http://localhost:3000/screen">+15552222222</Number>' in call.exchanges[-1].text


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_declining_or_silence_hangs_up_your_side(twilio_sim):
    declined = twilio_sim.call("/screen", from_=CALLER).press("9")
    assert (declined.said[-1], declined.ended) == ("Declined.", True)
    silent = twilio_sim.call("/screen", from_=CALLER).silence()
    assert silent.transcript[-2:] == ["Declined.", "Hangup: the call ends."]


def test_the_caller_hears_when_nobody_took_the_call(twilio_sim):
    sorry = "<Say>Sorry, nobody can take your call right now. Please try again later. Goodbye!</Say>"
    for parameters, said in [
        ({"DialCallStatus": "no-answer", "DialBridged": "false"}, sorry),
        ({"DialCallStatus": "completed", "DialBridged": "false"}, sorry),
        ({"DialCallStatus": "completed", "DialBridged": "true"}, ""),
    ]:
        answer = twilio_sim.exchange("POST", twilio_sim.url_for("/dial-ended"), parameters, None)
        assert answer.text == f'<?xml version="1.0" encoding="UTF-8"?><Response>{said}<Hangup /></Response>'


@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": ""}])
def test_without_my_phone_number_the_caller_hears_why(twilio_sim):
    assert twilio_sim.call("/incoming").said == [
        "This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file."
    ]
