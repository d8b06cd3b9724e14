"""Tests of this project's functions. Run them with `pytest`.

The `twilio_sim` fixture (from pyserverless) calls the functions the way Twilio does and walks their TwiML.
The first test is the call pyserverless's docs show for this template.
"""

from pathlib import Path

MUSIC = Path(__file__).resolve().parents[1] / "assets" / "hold-music.wav"


def test_the_caller_hears_a_greeting_then_music(twilio_sim):
    call = twilio_sim.call("/hold")
    assert call.said == ["Thanks for calling. Please hold, someone will be with you shortly."]
    assert call.played == ["http://localhost:3000/hold-music.wav (repeats until the caller acts)"]


def test_twilio_can_fetch_the_music(twilio_sim):
    music = twilio_sim.exchange("GET", twilio_sim.url_for("/hold-music.wav"), {}, None)
    assert (music.status, music.response.body) == (200, MUSIC.read_bytes())
    assert music.content_type.startswith("audio/")
