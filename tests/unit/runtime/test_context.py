"""`Context` (variables, runtime values, Twilio client) and `Runtime` outside a handler."""

from __future__ import annotations

import pytest

from pyserverless.runtime.context import Context, TwilioCredentialsError
from pyserverless.runtime.runtime_api import Runtime

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "0123456789abcdef0123456789abcdef"


def make_context(env: dict[str, str]) -> Context:
    return Context(env, "/sms/reply", "abc.ngrok.example")


def test_variables_and_runtime_values() -> None:
    context = Context({"GREETING": "hi", "PATH": "/usr/bin"}, "/sms/reply", "abc.ngrok.example", "ZS1", "ZE1")
    assert (context.GREETING, context.PATH, context.DOMAIN_NAME) == ("hi", "/sms/reply", "abc.ngrok.example")
    assert (context.SERVICE_SID, context.ENVIRONMENT_SID) == ("ZS1", "ZE1")
    assert (context.get("GREETING"), context.get("MISSING"), context.get("MISSING", "d")) == ("hi", None, "d")


def test_a_missing_variable_says_how_to_add_it() -> None:
    with pytest.raises(AttributeError) as raised:
        _ = make_context({}).MISSING
    assert str(raised.value) == "context has no variable 'MISSING': add MISSING=... to the project's .env"


def test_repr_shows_no_secret_values() -> None:
    assert repr(make_context({"AUTH_TOKEN": TOKEN})) == (
        "Context(PATH='/sms/reply', DOMAIN_NAME='abc.ngrok.example', variables=['AUTH_TOKEN'])"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {},
            "ACCOUNT_SID and AUTH_TOKEN are not set: a Twilio client needs the project's ACCOUNT_SID and "
            "AUTH_TOKEN. Add them to .env (find them in the Twilio Console).",
        ),
        (
            {"ACCOUNT_SID": SID},
            "AUTH_TOKEN is not set: a Twilio client needs the project's ACCOUNT_SID and AUTH_TOKEN. "
            "Add them to .env (find them in the Twilio Console).",
        ),
        (
            {"ACCOUNT_SID": "ACnot-a-sid", "AUTH_TOKEN": TOKEN},
            "ACCOUNT_SID is malformed: an Account SID is 'AC' followed by 32 hexadecimal characters. "
            "Copy it from the Twilio Console into .env.",
        ),
        (
            {"ACCOUNT_SID": SID, "AUTH_TOKEN": "short"},
            "AUTH_TOKEN is malformed: an Auth Token is 32 letters and digits. "
            "Copy it from the Twilio Console into .env.",
        ),
    ],
)
def test_get_twilio_client_errors_are_clear(env: dict[str, str], message: str) -> None:
    with pytest.raises(TwilioCredentialsError) as raised:
        make_context(env).get_twilio_client()
    assert str(raised.value) == message
    assert TOKEN not in str(raised.value)


def test_get_twilio_client_builds_a_client_for_the_account() -> None:
    from twilio.rest import Client

    client = make_context({"ACCOUNT_SID": SID, "AUTH_TOKEN": TOKEN}).get_twilio_client(region="ie1")
    assert isinstance(client, Client)
    assert (client.username, client.password, client.account_sid, client.region) == (SID, TOKEN, SID, "ie1")


def test_runtime_outside_a_handler_says_so() -> None:
    with pytest.raises(RuntimeError) as raised:
        Runtime.get_functions()
    assert str(raised.value) == "Runtime is only available while a pyserverless function is imported or runs."
