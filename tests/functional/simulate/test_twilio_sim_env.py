"""`twilio_sim_env`: variables set over the `.env` of the project for a test, in context and os.environ."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyserverless.testing import TwilioSim
from tests.support.project_files import write_files

ECHO = """import os


def handler(context, event, callback):
    greeting = os.environ.get("GREETING")
    callback(None, {"context": context.GREETING, "environ": greeting, "other": context.OTHER})
"""


@pytest.fixture
def twilio_sim_project(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"functions/echo.py": ECHO, ".env": "GREETING=Hello\nOTHER=kept\n"})


def echo(twilio_sim: TwilioSim) -> dict[str, str]:
    answer = twilio_sim.sms("/echo").send("hi")
    assert answer.status == 200, answer.text
    return dict(json.loads(answer.text))


def test_without_it_the_env_file_holds(twilio_sim: TwilioSim) -> None:
    assert echo(twilio_sim) == {"context": "Hello", "environ": "Hello", "other": "kept"}


@pytest.mark.parametrize("twilio_sim_env", [{"GREETING": "Ahoy"}])
def test_its_variables_win_over_the_env_file(twilio_sim: TwilioSim) -> None:
    assert echo(twilio_sim) == {"context": "Ahoy", "environ": "Ahoy", "other": "kept"}
