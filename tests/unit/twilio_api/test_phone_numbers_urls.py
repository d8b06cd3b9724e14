"""How the URLs given to `phone-numbers:update` are checked, resolved and rewritten."""

from __future__ import annotations

import pytest

from pyserverless.errors import UserError
from pyserverless.twilio_api.phone_numbers import (
    PhoneNumber,
    check_changes,
    parse_number,
    restore_command,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+15551234567", "+15551234567"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("+44 7700.900123", "+447700900123"),
        ("PN" + "ab" * 16, "PN" + "ab" * 16),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    assert parse_number(text) == expected


def test_parse_number_without_country_code() -> None:
    with pytest.raises(UserError) as caught:
        parse_number("555-123-4567")
    assert caught.value.message == "555-123-4567 has no country code."
    assert caught.value.hint == (
        "Write the number in E.164 form, with + and the country code: +5551234567 if that is it."
    )


@pytest.mark.parametrize("text", ["+0123", "PN123", "hello", "+1555123456789012"])
def test_parse_number_refuses_other_text(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_number(text)
    assert caught.value.message == f"{text} is neither a phone number in E.164 form nor a phone number SID."


def test_check_changes_needs_a_field() -> None:
    with pytest.raises(UserError) as caught:
        check_changes({})
    assert caught.value.message == "Nothing to update: no field was given."


@pytest.mark.parametrize("value", ["example.com/sms", "ftp://example.com/sms", "https://"])
def test_check_changes_refuses_what_is_no_url(value: str) -> None:
    with pytest.raises(UserError) as caught:
        check_changes({"voice_url": value})
    assert caught.value.message == f"--voice-url {value} is not a URL."


def test_check_changes_accepts_urls_paths_and_empty() -> None:
    check_changes(
        {
            "sms_url": "https://example.com/sms",
            "voice_url": "/voice",
            "sms_fallback_url": "",
            "sms_method": "GET",
            "friendly_name": "anything at all",
        }
    )


def test_check_changes_refuses_other_methods() -> None:
    with pytest.raises(UserError) as caught:
        check_changes({"sms_method": "PUT"})
    assert caught.value.message == "--sms-method PUT is not an HTTP method Twilio uses."


def test_restore_command_quotes_every_value() -> None:
    before = PhoneNumber(
        "PN1",
        "+15551234567",
        {"sms_url": "https://example.com/a?x=1&y=2", "sms_method": "GET", "voice_url": ""},
    )
    assert restore_command(before, ("sms_url", "sms_method", "voice_url")) == (
        "pyserverless phone-numbers:update +15551234567 --sms-url 'https://example.com/a?x=1&y=2' "
        "--sms-method GET --voice-url ''"
    )
