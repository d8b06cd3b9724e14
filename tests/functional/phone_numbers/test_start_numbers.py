"""`start --ngrok --sms-number/--voice-number`: numbers follow the tunnel and come back on exit."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.support import fake_ngrok
from tests.support.cli_process import run_cli_in_terminal
from tests.support.phone_numbers_cli import CREDENTIAL_VARIABLES, panel_text
from tests.support.processes import children_of, wait_gone
from tests.support.server_process import StartedServer, run_start
from tests.support.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioApiDouble

OLD_SMS_URL = "https://old.example.com/sms"
OLD_VOICE_URL = "https://old.example.com/voice"
PARAMS = {"From": "+15550001111", "To": "+15551230001", "Body": "hi"}


@pytest.fixture
def api() -> Iterator[TwilioApiDouble]:
    with TwilioApiDouble() as double:
        double.add_number("+15551230001", sms_url=OLD_SMS_URL, voice_url=OLD_VOICE_URL, voice_method="GET")
        yield double


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "wired"
    (root / "functions" / "sms").mkdir(parents=True)
    (root / "functions" / "sms" / "reply.protected.py").write_text(
        "from twilio.twiml.messaging_response import MessagingResponse\n\n"
        "def handler(context, event, callback):\n"
        "    twiml = MessagingResponse()\n"
        "    twiml.message('got ' + event['Body'])\n"
        "    callback(None, twiml)\n"
    )
    (root / "functions" / "voice.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'v')\n"
    )
    (root / ".env").write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    return root


def start_env(api: TwilioApiDouble, tmp_path: Path) -> dict[str, str | None]:
    """Credentials only from the project's .env, the API double, and the fake ngrok agent."""
    env: dict[str, str | None] = dict.fromkeys(CREDENTIAL_VARIABLES)
    env.update(
        {
            "PYSERVERLESS_TWILIO_API_URL": api.base_url,
            "PYNGROK_NGROK_PATH": str(fake_ngrok.install(tmp_path / "bin")),
            "NGROK_AUTHTOKEN": "token-1",
            "FAKE_NGROK_STATE": str(tmp_path / "ngrok-state.jsonl"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        }
    )
    return env


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_numbers_follow_the_tunnel_and_are_restored_on_exit(
    api: TwilioApiDouble, project: Path, tmp_path: Path, signum: int
) -> None:
    args = ("--ngrok", "--sms-number", "+1 555 123 0001:/sms/reply", "--voice-number", "+15551230001:/voice")
    server = StartedServer(project, *args, env=start_env(api, tmp_path))
    with server:
        output = server.wait_for_output("Voice URL →")
        match = re.search(r"Tunnel open: (http://127\.0\.0\.1:\d+) → ", output)
        assert match is not None, output
        public = match.group(1)
        assert api.updates() == [{"SmsUrl": f"{public}/sms/reply", "VoiceUrl": f"{public}/voice"}]
        assert f"+15551230001 SMS URL → {public}/sms/reply (was {OLD_SMS_URL}; restored on exit)" in output
        assert f"+15551230001 Voice URL → {public}/voice (was {OLD_VOICE_URL}; restored on exit)" in output

        url = f"{public}/sms/reply"
        signature = RequestValidator(AUTH_TOKEN).compute_signature(url, PARAMS)
        reply = httpx.post(url, data=PARAMS, headers={"X-Twilio-Signature": signature}, timeout=10)
        assert (reply.status_code, reply.text) == (
            200,
            '<?xml version="1.0" encoding="UTF-8"?><Response><Message>got hi</Message></Response>',
        )

        assert server.process is not None
        processes = children_of(server.process.pid) | {server.process.pid}
        server.process.send_signal(signum)
        assert server.stop() == 0
    assert api.updates()[1:] == [{"SmsUrl": OLD_SMS_URL, "VoiceUrl": OLD_VOICE_URL}]
    assert api.numbers["PN" + "0" * 31 + "1"]["voice_method"] == "GET"
    stdout = server.stdout_text()
    assert f"Restored SMS URL of +15551230001: {OLD_SMS_URL}" in stdout
    assert f"Restored Voice URL of +15551230001: {OLD_VOICE_URL}" in stdout
    assert wait_gone(processes) == set()
    states = [event["event"] for event in fake_ngrok.read_state(tmp_path / "ngrok-state.jsonl")]
    assert states == ["start", "endpoint", "delete"]


def test_numbers_need_a_public_url(api: TwilioApiDouble, project: Path, tmp_path: Path) -> None:
    result = run_start(
        project, "--port", "0", "--sms-number", "+15551230001:/sms/reply", env=start_env(api, tmp_path)
    )
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        "--sms-number and --voice-number need a public URL that Twilio can call. "
        "Add --ngrok (or --public-url URL of your own tunnel)."
    )
    assert api.requests == []


def test_a_number_not_on_the_account_stops_start_cleanly(
    api: TwilioApiDouble, project: Path, tmp_path: Path
) -> None:
    result = run_start(
        project,
        "--port",
        "0",
        "--public-url",
        "https://dev.example.com",
        "--voice-number",
        "+15559999999:/voice",
        env=start_env(api, tmp_path),
    )
    assert result.returncode == 1
    assert panel_text(result.stderr).startswith(
        f"+15559999999 is not a phone number of account {ACCOUNT_SID} (Twilio error 20404)."
    )
    assert api.updates() == []


def test_numbers_without_credentials_name_what_start_reads(
    api: TwilioApiDouble, project: Path, tmp_path: Path
) -> None:
    (project / ".env").write_text("ACCOUNT_SID=\nAUTH_TOKEN=\n")
    args = ("--port", "0", "--public-url", "https://dev.example.com", "--sms-number", "+15551230001:/sms")
    result = run_start(project, *args, env=start_env(api, tmp_path))
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        "No Twilio credentials found. Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and "
        "TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), or fill in ACCOUNT_SID and AUTH_TOKEN in "
        f"{project / '.env'}. The account SID and auth token are on the Twilio Console home page: "
        "https://console.twilio.com"
    )
    assert "Server running" not in result.stdout


def test_a_number_without_a_path_fails_before_the_server_runs_when_nobody_can_answer(
    api: TwilioApiDouble, project: Path, tmp_path: Path
) -> None:
    args = ("--port", "0", "--public-url", "https://dev.example.com", "--sms-number", "+15551230001")
    result = run_start(project, *args, env=start_env(api, tmp_path))
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        "--sms-number +15551230001 names no route, and the project has 2 functions (/sms/reply, /voice). "
        "Add the route after a colon: --sms-number +15551230001:/sms/reply."
    )
    assert "Server running" not in result.stdout
    assert api.requests == []


def test_a_number_without_a_path_asks_which_function_on_a_terminal(
    api: TwilioApiDouble, project: Path, tmp_path: Path
) -> None:
    question = "Which function should --sms-number +15551230001 point at? (/sms/reply, /voice)"
    result = run_cli_in_terminal(
        "start",
        "--port",
        "0",
        "--public-url",
        "https://dev.example.com",
        "--sms-number",
        "+15551230001",
        cwd=project,
        env=start_env(api, tmp_path),
        dialogue=[(question, "/nope", False), ("/nope is not a function", "sms/reply", False)],
        interrupt_after="SMS URL →",
    )
    assert result.stderr == "/nope is not a function of this project.\n"
    assert api.updates() == [{"SmsUrl": "https://dev.example.com/sms/reply"}, {"SmsUrl": OLD_SMS_URL}]
    assert result.stdout.index(question) < result.stdout.index("Server running")
    assert f"Restored SMS URL of +15551230001: {OLD_SMS_URL}" in result.stdout
