"""`start --sms-number/--voice-number`: parsing, checks, and wiring numbers to a public URL and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.dev.number_wiring import (
    NumberTarget,
    NumberWiring,
    numbers_wired,
    parse_target,
    route_for_target,
    wiring_from_options,
)
from pyserverless.errors import UserError
from pyserverless.runtime.routes import Route, RouteTable
from pyserverless.twilio_api.credentials import Credentials
from tests.support.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioApiDouble

CREDENTIALS = Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "test")
PUBLIC = "https://ab12.ngrok.app"


def routes(*paths: str, visibility: str = "protected") -> RouteTable:
    return RouteTable(
        Route(
            path=path,
            kind="function",
            visibility=visibility,
            file=Path(f"/p{path}.py"),
            source=f"functions{path}.py",
        )  # type: ignore[arg-type]
        for path in paths
    )


@pytest.fixture
def api() -> Iterator[TwilioApiDouble]:
    with TwilioApiDouble() as double:
        double.add_number("+15551230001", sms_url="https://old.example.com/sms", voice_url="")
        double.add_number("+15551230002")
        yield double


def test_parse_target() -> None:
    assert parse_target("+1 555 123 0001:/sms/reply", "sms_url") == NumberTarget(
        "+15551230001", "sms_url", "/sms/reply"
    )
    assert parse_target("+15551230001", "voice_url") == NumberTarget("+15551230001", "voice_url", None)
    with pytest.raises(UserError) as caught:
        parse_target("+15551230001:sms/reply", "sms_url")
    assert (
        caught.value.message == "--sms-number +15551230001:sms/reply: the path after ':' must start with /."
    )


def test_wiring_needs_a_public_url(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        wiring_from_options(["+15551230001:/sms"], [], public_url_known=False, env_file=None, environ={})
    assert caught.value.message == "--sms-number and --voice-number need a public URL that Twilio can call."
    assert caught.value.hint == "Add --ngrok (or --public-url URL of your own tunnel)."


def test_no_numbers_no_wiring() -> None:
    assert wiring_from_options([], [], public_url_known=False, env_file=None, environ={}) is None


def test_wiring_takes_credentials_from_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={AUTH_TOKEN}\n", encoding="utf-8")
    wiring = wiring_from_options(
        ["+15551230001:/sms"], ["+15551230001:/voice"], public_url_known=True, env_file=env_file, environ={}
    )
    assert wiring == NumberWiring(
        (
            NumberTarget("+15551230001", "sms_url", "/sms"),
            NumberTarget("+15551230001", "voice_url", "/voice"),
        ),
        Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, str(env_file)),
        {},
    )


def test_route_defaults_to_the_only_function() -> None:
    target = NumberTarget("+15551230001", "sms_url", None)
    assert route_for_target(target, routes("/sms/reply")) == "/sms/reply"
    with pytest.raises(UserError) as caught:
        route_for_target(target, routes("/a", "/b"))
    assert (
        caught.value.message
        == "--sms-number +15551230001 names no route, and the project has 2 functions (/a, /b)."
    )
    assert caught.value.hint == "Add the route after a colon: --sms-number +15551230001:/a."
    asked: list[tuple[str, list[str]]] = []

    def choose(question: str, functions: list[str]) -> str:
        asked.append((question, functions))
        return functions[-1]

    assert route_for_target(target, routes("/a", "/b"), choose) == "/b"
    assert asked == [("Which function should --sms-number +15551230001 point at?", ["/a", "/b"])]


def test_numbers_point_at_the_public_url_and_are_restored(api: TwilioApiDouble) -> None:
    said: list[str] = []
    warned: list[str] = []
    wiring = NumberWiring(
        (
            NumberTarget("+15551230001", "sms_url", "/sms/reply"),
            NumberTarget("+15551230001", "voice_url", "/voice"),
            NumberTarget("+15551230002", "sms_url", "/missing"),
        ),
        CREDENTIALS,
        {"PYSERVERLESS_TWILIO_API_URL": api.base_url},
    )
    with numbers_wired(wiring, PUBLIC + "/", routes("/sms/reply", "/voice"), said.append, warned.append):
        assert api.updates() == [
            {"SmsUrl": f"{PUBLIC}/sms/reply", "VoiceUrl": f"{PUBLIC}/voice"},
            {"SmsUrl": f"{PUBLIC}/missing"},
        ]
    assert api.updates()[2:] == [
        {"SmsUrl": "https://old.example.com/sms", "VoiceUrl": ""},
        {"SmsUrl": "https://demo.twilio.com/welcome/sms/reply"},
    ]
    assert warned == ["/missing is not a route of the project (yet): Twilio will get 404 until it is."]
    assert said == [
        f"+15551230001 SMS URL → {PUBLIC}/sms/reply (was https://old.example.com/sms; restored on exit)",
        f"+15551230001 Voice URL → {PUBLIC}/voice (was nothing; restored on exit)",
        f"+15551230002 SMS URL → {PUBLIC}/missing "
        "(was https://demo.twilio.com/welcome/sms/reply; restored on exit)",
        "Restored SMS URL of +15551230001: https://old.example.com/sms",
        "Restored Voice URL of +15551230001: nothing",
        "Restored SMS URL of +15551230002: https://demo.twilio.com/welcome/sms/reply",
    ]


def test_an_error_while_serving_still_restores(api: TwilioApiDouble) -> None:
    wiring = NumberWiring(
        (NumberTarget("+15551230001", "sms_url", "/sms/reply"),),
        CREDENTIALS,
        {"PYSERVERLESS_TWILIO_API_URL": api.base_url},
    )
    with pytest.raises(RuntimeError), numbers_wired(wiring, PUBLIC, routes("/sms/reply"), print, print):
        raise RuntimeError("server crashed")
    assert api.updates()[-1] == {"SmsUrl": "https://old.example.com/sms"}


def test_a_number_not_found_restores_the_ones_already_wired(api: TwilioApiDouble) -> None:
    wiring = NumberWiring(
        (NumberTarget("+15551230001", "sms_url", "/s"), NumberTarget("+15559999999", "sms_url", "/s")),
        CREDENTIALS,
        {"PYSERVERLESS_TWILIO_API_URL": api.base_url},
    )
    with pytest.raises(UserError) as caught, numbers_wired(wiring, PUBLIC, routes("/s"), print, print):
        pytest.fail("the block must not run")
    assert (
        caught.value.message
        == f"+15559999999 is not a phone number of account {ACCOUNT_SID} (Twilio error 20404)."
    )
    assert api.updates() == [{"SmsUrl": f"{PUBLIC}/s"}, {"SmsUrl": "https://old.example.com/sms"}]


def test_a_failed_restore_lists_the_commands(api: TwilioApiDouble) -> None:
    wiring = NumberWiring(
        (NumberTarget("+15551230001", "sms_url", "/s"),),
        CREDENTIALS,
        {"PYSERVERLESS_TWILIO_API_URL": api.base_url},
    )
    with pytest.raises(UserError) as caught, numbers_wired(wiring, PUBLIC, routes("/s"), print, print):
        api.inject_error("POST", 500, 20500, "Internal Server Error")
    assert caught.value.message == (
        "Could not restore the previous webhooks of +15551230001: Twilio answered 500: Internal Server Error "
        "(Twilio error 20500)."
    )
    assert caught.value.hint == (
        "It still points at the values set by this command. Run this to restore it:\n"
        "  pyserverless phone-numbers:update +15551230001 --sms-url https://old.example.com/sms"
    )
