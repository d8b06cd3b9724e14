"""`Context` (variables, runtime values, Twilio client) and `Runtime` outside a handler."""

from __future__ import annotations

import logging

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


def test_an_unset_variable_is_none_and_logged_once_per_name(caplog: pytest.LogCaptureFixture) -> None:
    # context.X is undefined in JavaScript, so `context.X || "default"` ports to `context.X or "default"`.
    logged: set[str] = set()
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        first = Context({}, "/sms/reply", "abc.ngrok.example", unset_logged=logged)
        assert (first.MISSING or "default", first.MISSING) == ("default", None)
        second = Context({}, "/other", "abc.ngrok.example", unset_logged=logged)
        assert (second.MISSING, second.ALSO_MISSING) == (None, None)
    assert [record.getMessage() for record in caplog.records] == [
        "/sms/reply read context.MISSING, which is not set, so it is None: add MISSING=... to the project's "
        ".env, or read it with context.get('MISSING', default).",
        "/other read context.ALSO_MISSING, which is not set, so it is None: add ALSO_MISSING=... to the "
        "project's .env, or read it with context.get('ALSO_MISSING', default).",
    ]
    assert [record.route for record in caplog.records] == ["/sms/reply", "/other"]  # type: ignore[attr-defined]


def test_get_reads_a_variable_or_a_default_without_logging(caplog: pytest.LogCaptureFixture) -> None:
    context = make_context({"GREETING": "hi"})
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        assert (context.get("MISSING", "d"), context.get("GREETING", "d"), context.get("PATH")) == (
            "d",
            "hi",
            "/sms/reply",
        )
        assert (context.get("SERVICE_SID", "d"), context.get("get_twilio_client")) == (None, None)
    assert caplog.records == []


def test_dunder_names_are_not_variables() -> None:
    with pytest.raises(AttributeError):
        _ = make_context({}).__wrapped__


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
