"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML; it
stops where `<Dial>` hands the call over. `twilio_sim_env` sets .env variables. The first test is the call
pyserverless's docs show for this template.
"""

import pytest

MY_PHONE = {"MY_PHONE_NUMBER": "+15552222222"}


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_blocked_numbers_hear_busy_and_others_get_through(twilio_sim):
    blocked = twilio_sim.call("/screen-calls", from_="+15550100666")
    assert blocked.transcript == ["Reject (busy): the call is not answered."]
    welcome = twilio_sim.call("/screen-calls", from_="+15551111111")
    assert welcome.transcript == [
        "Dial +15552222222: Twilio would connect the call. The simulation ends here."
    ]


@pytest.mark.parametrize("twilio_sim_env", [MY_PHONE])
def test_anonymous_callers_are_rejected(twilio_sim):
    for caller in ["anonymous", "+266696687", ""]:
        assert twilio_sim.call("/screen-calls", from_=caller).transcript == [
            "Reject (busy): the call is not answered."
        ]


def test_the_list_is_never_served(twilio_sim):
    assert twilio_sim.exchange("GET", twilio_sim.url_for("/blocked.txt"), {}, None).status == 403


@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": ""}])
def test_without_my_phone_number_the_caller_hears_why(twilio_sim):
    assert twilio_sim.call("/screen-calls", from_="+15551111111").said == [
        "This number cannot forward calls yet. Set MY_PHONE_NUMBER in the project's .env file."
    ]
