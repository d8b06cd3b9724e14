"""A two-level IVR driven by the `twilio_sim` fixture and by `pyserverless call --digits`; call cookies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.simulate import TwilioSim
from tests.functional.simulate.conftest import RunCli
from tests.support.server_process import StartedServer

MENU = "Welcome. Press 1 for sales, 2 for support."
SALES = "Sales. Press 1 for new orders, 2 for a quote."
SUPPORT = "Support. Press 1 or say internet, press 2 or say phone."


@pytest.fixture
def twilio_sim_project(ivr_project: Path) -> Path:
    return ivr_project


def test_keys_lead_to_the_sales_leaf(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice")
    assert call.said == [MENU]
    assert call.waiting
    call.press("1")
    assert call.said == [MENU, SALES]
    call.press("2")
    assert call.said == [MENU, SALES, "Quotes: we will send you a quote today."]
    assert call.ended
    assert call.events[-1].kind == "hangup"


def test_speech_leads_to_the_support_leaf(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice").press("2").speak("Internet")
    assert call.said[-2:] == [SUPPORT, "Internet support: please restart your router."]
    assert call.exchanges[-1].params["SpeechResult"] == "Internet"
    assert call.exchanges[-1].params["CallStatus"] == "in-progress"
    assert call.exchanges[0].params["CallStatus"] == "ringing"


def test_a_dial_ends_the_simulation_with_what_twilio_would_do(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice").press("1").press("1")
    assert call.transcript[-2:] == [
        "New orders: connecting you to our order desk.",
        "Dial +14155550142: Twilio would connect the call. The simulation ends here.",
    ]
    assert call.ended


def test_gather_actions_are_posted_relative_to_the_document(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice").press("1#").press("2")
    assert [(e.method, e.url) for e in call.exchanges] == [
        ("POST", "http://localhost:3000/voice"),
        ("POST", "http://localhost:3000/ivr/menu"),
        ("POST", "http://localhost:3000/ivr/leaf"),
    ]
    assert (call.exchanges[1].params["Digits"], call.exchanges[1].params["FinishedOnKey"]) == ("1", "#")
    assert len({exchange.params["CallSid"] for exchange in call.exchanges}) == 1
    assert re.fullmatch(r"CA[0-9a-f]{32}", call.sid)


def test_no_input_runs_the_verbs_after_the_gather(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice").silence()
    assert call.transcript[-3:] == [
        "(no input: the gather times out)",
        "We did not get your choice. Goodbye.",
        "The TwiML ended: Twilio hangs up.",
    ]


def test_cookies_live_within_the_call(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice").press("9")
    assert call.said == [
        MENU,
        "That is not a choice.",
        "Welcome back, this call already visited 1 times.",
        MENU,
    ]
    assert call.cookies == {"visits": "2"}


def test_call_cookies_do_not_leak_into_the_next_call(twilio_sim: TwilioSim) -> None:
    first = twilio_sim.call("/cookies")
    assert first.said == ["Cookies: none"]
    first.press("1")
    assert first.said == ["Cookies: none", f"Cookies: seen={first.sid}"]
    second = twilio_sim.call("/cookies")
    assert second.said == ["Cookies: none"]
    assert twilio_sim.sms("/cookies").cookies == {}


def test_a_twiml_loop_is_bounded(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/loop")
    assert call.ended
    assert len(call.exchanges) == 50
    assert call.transcript[-1] == "Stopped after 50 webhook requests in one call (a TwiML loop?)."


def test_answers_the_gather_does_not_take_are_refused(twilio_sim: TwilioSim) -> None:
    call = twilio_sim.call("/voice")
    with pytest.raises(UserError) as raised:
        call.speak("sales")
    assert raised.value.message == "Cannot say 'sales': this <Gather> accepts dtmf input only."
    call.press("2").press("2")
    with pytest.raises(UserError) as raised:
        call.press("1")
    assert raised.value.message == "Cannot press '1': the call has ended."


CLI_SUPPORT_PHONE = f"""“{MENU}”
Gather: waits for dtmf, 1 digit(s), then POST /ivr/menu
(caller presses 2)
“{SUPPORT}”
Gather: waits for dtmf or speech, 1 digit(s), then POST leaf
(caller says 'phone')
“Phone support: please check your line.”
Hangup: the call ends.
"""


def test_digits_drive_the_ivr_in_process(run_cli: RunCli, ivr_project: Path, idle_port: int) -> None:
    result = run_cli(ivr_project, "call", "/voice", "--digits", "2,phone", "--port", str(idle_port))
    assert result.returncode == 0, result.stderr
    assert result.stdout == CLI_SUPPORT_PHONE
    assert result.stderr == (
        f"Calling http://localhost:{idle_port}/voice (in-process) from +14155550100 to +14155550199.\n"
    )


def test_digits_drive_the_ivr_on_a_running_server(run_cli: RunCli, ivr_project: Path) -> None:
    with StartedServer(ivr_project) as server:
        result = run_cli(ivr_project, "call", "/voice", "--digits", "2,phone", "--url", server.base_url)
        server.wait_for_output("POST /ivr/leaf")
    assert result.returncode == 0, result.stderr
    assert result.stdout == CLI_SUPPORT_PHONE


def test_the_caller_hangs_up_when_digits_run_out(run_cli: RunCli, ivr_project: Path, idle_port: int) -> None:
    result = run_cli(ivr_project, "call", "/voice", "--digits", "1", "--port", str(idle_port), "--json")
    assert result.returncode == 0
    call = json.loads(result.stdout)
    assert [event["text"] for event in call["events"]][-3:] == [
        SALES,
        "Gather: waits for dtmf, 1 digit(s), then POST leaf",
        "The caller hung up.",
    ]
    assert call["ended"] is True
    assert "No more --digits: the caller hangs up." in result.stderr


def test_interactive_keys_from_the_keyboard(run_cli: RunCli, ivr_project: Path, idle_port: int) -> None:
    result = run_cli(ivr_project, "call", "/voice", "--port", str(idle_port), input="1\n2\n")
    prompt = "keys (Enter: no input, Ctrl-D: hang up)> "
    assert result.stdout == (
        f"“{MENU}”\nGather: waits for dtmf, 1 digit(s), then POST /ivr/menu\n{prompt}(caller presses 1)\n"
        f"“{SALES}”\nGather: waits for dtmf, 1 digit(s), then POST leaf\n{prompt}(caller presses 2)\n"
        "“Quotes: we will send you a quote today.”\nHangup: the call ends.\n"
    )


LOST = """
from twilio.twiml.voice_response import VoiceResponse


def handler(context, event, callback):
    twiml = VoiceResponse()
    twiml.redirect("/missing")
    callback(None, twiml)
"""


def test_an_error_status_ends_the_call(run_cli: RunCli, ivr_project: Path, idle_port: int) -> None:
    (ivr_project / "functions" / "lost.py").write_text(LOST)
    result = run_cli(ivr_project, "call", "/lost", "--port", str(idle_port))
    assert result.returncode == 1
    assert result.stdout == (
        f"Redirect to http://localhost:{idle_port}/missing\n"
        f"HTTP 404 from http://localhost:{idle_port}/missing: Twilio says an application error occurred and "
        "hangs up.\nNot Found\n"
    )
