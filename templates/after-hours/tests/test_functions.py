"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML;
`twilio_sim_env` sets .env variables for a test, here opening hours that make the answer the same at any time
of day. The first test is the call pyserverless's docs show for this template.
"""

import pytest

ALWAYS = "Mon-Sun 00:00-24:00"
MY_PHONE = "+15552222222"
CLOSED = "Thanks for calling. We are closed right now."


@pytest.mark.parametrize(
    "twilio_sim_env",
    [{"OPENING_HOURS": ALWAYS, "BUSINESS_TIME_ZONE": "America/New_York", "MY_PHONE_NUMBER": MY_PHONE}],
)
def test_during_opening_hours_the_call_is_forwarded(twilio_sim):
    call = twilio_sim.call("/after-hours")
    assert call.transcript == [
        "Connecting you now.",
        f"Dial {MY_PHONE}: Twilio would connect the call. The simulation ends here.",
    ]


@pytest.mark.parametrize(
    "twilio_sim_env",
    [{"OPENING_HOURS": "closed", "BUSINESS_TIME_ZONE": "Europe/Paris", "MY_PHONE_NUMBER": MY_PHONE}],
)
def test_when_closed_the_caller_hears_so(twilio_sim):
    call = twilio_sim.call("/after-hours")
    assert call.said == [f"{CLOSED} We are closed at the moment. Please call again then. Goodbye!"]
    assert call.ended


@pytest.mark.parametrize(
    "twilio_sim_env",
    [{"OPENING_HOURS": "Sat-Fri 00:00-24:00", "BUSINESS_TIME_ZONE": "UTC", "MY_PHONE_NUMBER": ""}],
)
def test_without_my_phone_number_callers_hear_the_closed_message(twilio_sim, caplog):
    call = twilio_sim.call("/after-hours")
    assert call.said == [
        f"{CLOSED} Our opening hours are Sat-Fri 00:00-24:00. Please call again then. Goodbye!"
    ]
    assert "Open, but MY_PHONE_NUMBER is not set in .env: callers hear the closed message." in caplog.messages


@pytest.mark.parametrize(
    "twilio_sim_env",
    [{"OPENING_HOURS": ALWAYS, "BUSINESS_TIME_ZONE": "Mars/Olympus_Mons", "MY_PHONE_NUMBER": MY_PHONE}],
)
def test_an_unknown_time_zone_reads_the_hours_in_utc(twilio_sim, caplog):
    assert twilio_sim.call("/after-hours").said == ["Connecting you now."]
    assert (
        "Unknown time zone 'Mars/Olympus_Mons' in BUSINESS_TIME_ZONE: hours are read in UTC. Check the name, "
        "or install the time zone database with `pip install tzdata`."
    ) in caplog.messages


@pytest.mark.parametrize(
    "twilio_sim_env",
    [{"OPENING_HOURS": "Mon-Fri 9-17", "BUSINESS_TIME_ZONE": "UTC", "MY_PHONE_NUMBER": MY_PHONE}],
)
def test_hours_that_cannot_be_read_keep_the_line_closed(twilio_sim, caplog):
    assert twilio_sim.call("/after-hours").said == [
        f"{CLOSED} We are closed at the moment. Please call again then. Goodbye!"
    ]
    assert (
        "OPENING_HOURS in .env is not valid ('9' is not a time such as 09:00): the line is treated as closed."
        in caplog.messages
    )
