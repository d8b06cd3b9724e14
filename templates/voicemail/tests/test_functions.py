"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML; the
call stops at `<Record>`, and `twilio_sim.exchange(method, url, parameters, cookie_header)` then sends the
requests Twilio makes once the message is recorded. The first test is the call pyserverless's docs show.
"""

import logging

RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE" + "1" * 32


def test_a_caller_leaves_a_message(twilio_sim, caplog):
    caplog.set_level(logging.INFO)
    call = twilio_sim.call("/voicemail", from_="+15551111111")
    assert call.transcript == [
        "Hi, you have reached Sam. Please leave a message after the beep, then press pound or hang up.",
        "Record: Twilio would record the caller (max 120 s), then POST recorded. The simulation ends here.",
    ]
    recorded = twilio_sim.call("/recorded", from_="+15551111111")
    assert recorded.said == ["Thanks for your message. Goodbye!"]
    transcribed = twilio_sim.exchange(
        "POST",
        twilio_sim.url_for("/transcribed"),
        {
            "From": "+15551111111",
            "TranscriptionStatus": "completed",
            "TranscriptionText": "Hi Sam, call me back about Friday.",
            "RecordingUrl": RECORDING,
        },
        None,
    )
    assert transcribed.status == 200
    assert "Voicemail from +15551111111 says: Hi Sam, call me back about Friday." in caplog.messages


def test_the_recording_is_logged(twilio_sim, caplog):
    caplog.set_level(logging.INFO)
    parameters = {"From": "+15551111111", "RecordingUrl": RECORDING, "RecordingDuration": "14", "Digits": "#"}
    answer = twilio_sim.exchange("POST", twilio_sim.url_for("/recorded"), parameters, None)
    assert answer.status == 200
    assert f"Voicemail from +15551111111, 14 s: {RECORDING}" in caplog.messages


def test_a_failed_transcription_is_a_warning(twilio_sim, caplog):
    parameters = {"TranscriptionStatus": "failed", "RecordingUrl": RECORDING}
    assert twilio_sim.exchange("POST", twilio_sim.url_for("/transcribed"), parameters, None).status == 200
    assert f"Twilio could not transcribe the voicemail at {RECORDING}" in caplog.messages
