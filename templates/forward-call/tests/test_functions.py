"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML; it
stops where `<Dial>` hands the call over. `twilio_sim_env` sets .env variables for a test. The first test is the
call pyserverless's docs show for this template.
"""

import pytest


@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": "+15552222222"}])
def test_calls_are_forwarded_to_my_phone_number(twilio_sim):
    call = twilio_sim.call("/forward-call", from_="+15551111111")
    assert call.transcript == ["Dial +15552222222: Twilio would connect the call. The simulation ends here."]


@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": ""}])
def test_without_my_phone_number_the_caller_hears_why(twilio_sim):
    call = twilio_sim.call("/forward-call", from_="+15551111111")
    assert call.said == [
        "This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file."
    ]
