"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML; it
stops where `<Dial>` hands the call to the conference. `twilio_sim_env` sets .env variables for a test. The
first test is the call pyserverless's docs show for this template.
"""

import pytest

HOST = "+15550001111"
JOIN = "Dial team-meeting: Twilio would connect the call. The simulation ends here."


@pytest.mark.parametrize("twilio_sim_env", [{"MODERATOR_PHONE_NUMBER": HOST}])
def test_guests_wait_for_the_host(twilio_sim):
    guest = twilio_sim.call("/conference", from_="+15551111111")
    assert guest.transcript == [
        "Welcome! The conference starts when the host joins. Please stay on the line.",
        JOIN,
    ]
    host = twilio_sim.call("/conference", from_=HOST)
    assert host.transcript == ["Welcome back. Your conference is starting.", JOIN]


@pytest.mark.parametrize("twilio_sim_env", [{"MODERATOR_PHONE_NUMBER": HOST}])
def test_the_host_starts_and_ends_the_conference(twilio_sim):
    host = twilio_sim.call("/conference", from_=HOST)
    guest = twilio_sim.call("/conference", from_="+15551111111")
    assert 'endConferenceOnExit="true" startConferenceOnEnter="true"' in host.exchanges[-1].text
    assert 'endConferenceOnExit="false" startConferenceOnEnter="false"' in guest.exchanges[-1].text


@pytest.mark.parametrize("twilio_sim_env", [{"MODERATOR_PHONE_NUMBER": ""}])
def test_without_a_moderator_the_first_caller_starts_it(twilio_sim):
    call = twilio_sim.call("/conference")
    assert call.transcript == ["Welcome! Joining the conference now.", JOIN]
    assert 'endConferenceOnExit="false" startConferenceOnEnter="true"' in call.exchanges[-1].text
