"""Templates added with `new` under a folder of their own still find their neighbours: assets, private word
lists, whisper and action URLs are found relative to the function's own route, not at the project's root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.scaffold.add_template import add_template
from pyserverless.testing import TwilioSim, simulator_for_tests
from tests.support.project_files import write_files

NAMESPACES = {
    "default": "starter",
    "mms-picture": "pics",
    "hold-music": "hold",
    "sms-wordle": "games",
    "pin-menu": "staff",
    "call-blocklist": "calls",
    "call-screening": "screening",
    "voicemail": "vm",
}
ENV = {"MENU_PIN": "2468", "MY_PHONE_NUMBER": "+15552222222"}


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[TwilioSim]:
    write_files(tmp_path, "functions/hello.py")
    for template, namespace in NAMESPACES.items():
        add_template(tmp_path, template, namespace)
    with simulator_for_tests(tmp_path, env=ENV) as simulator:
        yield simulator


def test_media_urls_point_into_the_namespace(simulator: TwilioSim) -> None:
    assert simulator.sms("/pics/picture").send("hi").media == ["http://localhost:3000/pics/postcard.png"]
    assert simulator.call("/hold/hold").played == [
        "http://localhost:3000/hold/hold-music.wav (repeats until the caller acts)"
    ]
    assert simulator.exchange("GET", simulator.url_for("/pics/postcard.png"), {}, None).status == 200


def test_private_assets_are_read_from_the_namespace(simulator: TwilioSim) -> None:
    game = simulator.sms("/games/wordle")
    game.send("play 1")
    assert game.send("plant").messages[0].startswith("PLANT 🟩🟩🟩🟩🟩\nSolved in 1!")
    call = simulator.call("/staff/pin-menu").press("2468#").press("1")
    assert call.said[-2] == (
        "The team meeting moves to Thursday at 10 AM. The office is closed on Monday for maintenance."
    )
    assert simulator.sms("/starter/private-message").send("hi").messages == [
        "This message comes from a private asset: only your functions can read it."
    ]
    blocked = simulator.call("/calls/screen-calls", from_="+15550100666")
    assert blocked.transcript == ["Reject (busy): the call is not answered."]


def test_action_and_whisper_urls_stay_beside_their_function(simulator: TwilioSim) -> None:
    screening = simulator.call("/screening/incoming", from_="+15551111111")
    assert '<Number url="http://localhost:3000/screening/screen">' in screening.exchanges[-1].text
    assert screening.transcript[-1] == (
        "Dial +15552222222: Twilio would connect the call, then POST dial-ended. The simulation ends here."
    )
    voicemail = simulator.call("/vm/voicemail")
    assert 'action="recorded"' in voicemail.exchanges[-1].text
    assert simulator.resolve(voicemail.url, "recorded") == "http://localhost:3000/vm/recorded"
