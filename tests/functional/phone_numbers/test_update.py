"""`pyserverless phone-numbers:update` end to end: a real subprocess against the Twilio API double."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.deploy.state import Deployment, write_deployment
from tests.support.phone_numbers_cli import TOKEN_ENV, panel_text, run_update
from tests.support.twilio_api import ACCOUNT_SID, API_KEY, API_SECRET, AUTH_TOKEN, TwilioApiDouble

SID = "PN" + "0" * 31 + "1"
NUMBERS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers"


@pytest.fixture
def api() -> Iterator[TwilioApiDouble]:
    with TwilioApiDouble() as double:
        double.add_number("+15551230001", sms_url="https://old.example.com/sms", sms_method="GET")
        double.add_number("+15551230002")
        yield double


def project(tmp_path: Path, env_text: str = "") -> Path:
    root = tmp_path / "project"
    (root / "functions").mkdir(parents=True)
    (root / ".env").write_text(env_text, encoding="utf-8")
    return root


def test_update_by_number_sends_only_the_given_fields(api: TwilioApiDouble) -> None:
    result = run_update(
        api,
        "+15551230001",
        "--voice-url",
        "https://new.example.com/voice",
        "--voice-method",
        "get",
        env=TOKEN_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert [(r.method, r.path, r.query, r.form) for r in api.requests] == [
        ("GET", f"{NUMBERS_PATH}.json", {"PhoneNumber": "+15551230001", "PageSize": "20"}, {}),
        (
            "POST",
            f"{NUMBERS_PATH}/{SID}.json",
            {},
            {"VoiceUrl": "https://new.example.com/voice", "VoiceMethod": "GET"},
        ),
    ]
    assert f"+15551230001 ({SID})" in result.stdout
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") == 4}
    assert [cell.strip() for cell in rows["Voice URL"].split("│")[1:4]] == [
        "Voice URL",
        "https://demo.twilio.com/welcome/voice/",
        "https://new.example.com/voice",
    ]
    assert [cell.strip() for cell in rows["SMS URL"].split("│")[1:4]] == [
        "SMS URL",
        "https://old.example.com/sms",
        "https://old.example.com/sms",
    ]
    assert result.stderr == (
        f"Using account {ACCOUNT_SID} (auth token from TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN).\n"
    )


def test_update_by_sid_with_the_subcommand_spelling_and_json(api: TwilioApiDouble) -> None:
    result = run_update(api, SID, "--sms-url", "", "--friendly-name", "Support line", "--json", env=TOKEN_ENV)
    assert result.returncode == 0, result.stderr
    assert [(r.method, r.path, r.form) for r in api.requests] == [
        ("GET", f"{NUMBERS_PATH}/{SID}.json", {}),
        ("POST", f"{NUMBERS_PATH}/{SID}.json", {"SmsUrl": "", "FriendlyName": "Support line"}),
    ]
    unchanged = {
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": "GET",
        "voice_fallback_method": "POST",
        "voice_fallback_url": "",
        "voice_method": "POST",
        "voice_url": "https://demo.twilio.com/welcome/voice/",
    }
    assert json.loads(result.stdout) == {
        "account_sid": ACCOUNT_SID,
        "credentials": "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN",
        "sid": SID,
        "phone_number": "+15551230001",
        "changed": ["friendly_name", "sms_url"],
        "before": {**unchanged, "friendly_name": "+15551230001", "sms_url": "https://old.example.com/sms"},
        "after": {**unchanged, "friendly_name": "Support line", "sms_url": ""},
        "tunnel": None,
        "restore_on_exit": False,
    }


def test_phone_numbers_update_spelling(api: TwilioApiDouble) -> None:
    result = run_update(
        api, "+15551230002", "--sms-method", "POST", env=TOKEN_ENV, spelling=("phone-numbers", "update")
    )
    assert result.returncode == 0, result.stderr
    assert api.updates() == [{"SmsMethod": "POST"}]


@pytest.mark.parametrize(
    ("args", "env", "username", "source"),
    [
        (
            ("--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN),
            {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "0" * 32},
            ACCOUNT_SID,
            "auth token from the command line",
        ),
        (
            ("--account-sid", ACCOUNT_SID, "--api-key", API_KEY, "--api-secret", API_SECRET),
            {},
            API_KEY,
            f"API key {API_KEY} from the command line",
        ),
        ((), TOKEN_ENV, ACCOUNT_SID, "auth token from TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN"),
        (
            (),
            {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_API_KEY": API_KEY, "TWILIO_API_SECRET": API_SECRET},
            API_KEY,
            f"API key {API_KEY} from TWILIO_API_KEY/TWILIO_API_SECRET",
        ),
    ],
)
def test_each_credential_source(
    api: TwilioApiDouble,
    tmp_path: Path,
    *,
    args: tuple[str, ...],
    env: dict[str, str],
    username: str,
    source: str,
) -> None:
    root = project(tmp_path, "ACCOUNT_SID=AC" + "9" * 32 + "\nAUTH_TOKEN=" + "9" * 32 + "\n")
    result = run_update(api, "+15551230001", "--sms-method", "POST", *args, env=env, cwd=root)
    assert result.returncode == 0, result.stderr
    assert {request.username for request in api.requests} == {username}
    assert result.stderr == f"Using account {ACCOUNT_SID} ({source}).\n"
    for secret in (AUTH_TOKEN, API_SECRET):
        assert secret not in result.stdout + result.stderr


def test_credentials_from_the_project_env_file(api: TwilioApiDouble, tmp_path: Path) -> None:
    root = project(tmp_path, f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    (root / "functions" / "sms").mkdir()
    result = run_update(api, "+15551230001", "--sms-method", "POST", cwd=root / "functions" / "sms")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Using account {ACCOUNT_SID} (auth token from {root.resolve()}/.env).\n"
    assert api.requests[0].username == ACCOUNT_SID


def test_no_credentials(api: TwilioApiDouble, tmp_path: Path) -> None:
    result = run_update(api, "+15551230001", "--sms-method", "POST", cwd=tmp_path)
    assert result.returncode == 1
    assert panel_text(result.stderr).startswith(
        "No Twilio credentials found. Pass --account-sid and --auth-token"
    )
    assert api.requests == []


def test_api_key_sid_in_account_sid_of_env_file(api: TwilioApiDouble, tmp_path: Path) -> None:
    root = project(tmp_path, f"ACCOUNT_SID={API_KEY}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    result = run_update(api, "+15551230001", "--sms-method", "POST", cwd=root)
    assert result.returncode == 1
    assert panel_text(result.stderr).startswith(
        f"ACCOUNT_SID in {root.resolve()}/.env holds an API key SID (SK…), not an account SID."
    )
    assert api.requests == []


def test_bad_credentials_20003(api: TwilioApiDouble) -> None:
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "f" * 32}
    result = run_update(api, "+15551230001", "--sms-method", "POST", env=env)
    assert result.returncode == 1
    assert panel_text(result.stderr).startswith(
        f"Twilio refused the credentials of account {ACCOUNT_SID} (auth token from "
        "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN): Authenticate (Twilio error 20003). Check the account SID"
    )
    assert "f" * 32 not in result.stderr
    assert api.updates() == []


def test_number_not_on_the_account_20404_lists_close_numbers(api: TwilioApiDouble) -> None:
    result = run_update(api, "+15551230003", "--sms-method", "POST", env=TOKEN_ENV)
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        f"+15551230003 is not a phone number of account {ACCOUNT_SID} (Twilio error 20404). "
        f"Numbers of this account that look close: +15551230001 ({SID}), "
        "+15551230002 (PN00000000000000000000000000000002). Check the number, or the credentials "
        "(TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN) if it belongs to another account."
    )
    assert api.updates() == []


def test_invalid_url_21402(api: TwilioApiDouble) -> None:
    result = run_update(api, "+15551230001", "--sms-url", "https://exa mple.com/sms", env=TOKEN_ENV)
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        "Twilio refused a webhook URL: SmsUrl is not valid: https://exa mple.com/sms (Twilio error 21402). "
        "A webhook URL must be a full http:// or https:// URL (host, path, URL-encoded query) that "
        "Twilio can reach over the internet."
    )


def test_network_failure() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {**TOKEN_ENV, "PYSERVERLESS_TWILIO_API_URL": f"http://127.0.0.1:{port}"}
    result = run_update(None, "+15551230001", "--sms-method", "POST", env=env)
    assert result.returncode == 1
    assert panel_text(result.stderr) == (
        f"Could not reach the Twilio API at http://127.0.0.1:{port}: Connection refused. "
        "PYSERVERLESS_TWILIO_API_URL is set: check that the server it names is running, or unset it."
    )


def test_a_method_other_than_get_or_post_is_a_usage_error(api: TwilioApiDouble) -> None:
    result = run_update(api, "+15551230001", "--sms-method", "PUT", env=TOKEN_ENV)
    assert result.returncode != 0
    assert "PUT" in result.stderr
    assert api.requests == []


def test_a_path_resolves_against_the_last_deployment(api: TwilioApiDouble, tmp_path: Path) -> None:
    root = project(tmp_path)
    write_deployment(
        root,
        Deployment(
            service="project",
            environment="prod",
            region="eu-west-1",
            function_name="project-prod",
            function_arn="arn:aws:lambda:eu-west-1:123456789012:function:project-prod",
            url="https://xyz.lambda-url.eu-west-1.on.aws/",
            code_sha256="abc",
            runtime="python3.12",
            arch="x86_64",
            deployed_at="2026-11-28T10:00:00+00:00",
        ),
    )
    result = run_update(
        api, "+15551230001", "--sms-url", "/sms/reply", "--environment", "prod", env=TOKEN_ENV, cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert api.updates() == [{"SmsUrl": "https://xyz.lambda-url.eu-west-1.on.aws/sms/reply"}]


def test_a_path_without_deployment(api: TwilioApiDouble, tmp_path: Path) -> None:
    result = run_update(api, "+15551230001", "--sms-url", "/sms/reply", env=TOKEN_ENV, cwd=project(tmp_path))
    assert result.returncode == 1
    assert panel_text(result.stderr).startswith(
        "--sms-url /sms/reply is a path, but the project has no deployment of the environment 'dev' "
        "(.pyserverless/deployed/dev.json does not exist). Deploy first with `pyserverless deploy "
        "--environment dev`"
    )
    assert api.requests == []
