"""The numbers core against the Twilio API double: lookups, updates, restores and Twilio's errors."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from pyserverless.errors import UserError
from pyserverless.twilio_api.credentials import Credentials
from pyserverless.twilio_api.phone_numbers import NumbersApi, apply_update, restore_update
from tests.support.twilio_api import ACCOUNT_SID, API_KEY, API_SECRET, AUTH_TOKEN, TwilioApiDouble

CREDENTIALS = Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN")
NUMBERS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers"


@pytest.fixture
def api() -> Iterator[TwilioApiDouble]:
    with TwilioApiDouble() as double:
        double.add_number("+15551230001", sms_url="https://old.example.com/sms", sms_method="GET")
        double.add_number("+15551230002")
        double.add_number("+447700900123")
        yield double


def numbers_api(api: TwilioApiDouble, credentials: Credentials = CREDENTIALS) -> NumbersApi:
    return NumbersApi(credentials, {"PYSERVERLESS_TWILIO_API_URL": api.base_url})


def test_find_by_e164_lists_by_phone_number_and_keeps_the_exact_match(api: TwilioApiDouble) -> None:
    number = numbers_api(api).find("+1 555 123 0001")
    assert number.sid == "PN" + "0" * 31 + "1"
    assert number.phone_number == "+15551230001"
    assert number.values["sms_url"] == "https://old.example.com/sms"
    assert number.values["sms_method"] == "GET"
    assert number.values["sms_fallback_url"] == ""
    assert [(r.method, r.path, r.query) for r in api.requests] == [
        ("GET", f"{NUMBERS_PATH}.json", {"PhoneNumber": "+15551230001", "PageSize": "20"})
    ]


def test_find_by_sid_fetches_directly(api: TwilioApiDouble) -> None:
    sid = "PN" + "0" * 31 + "3"
    assert numbers_api(api).find(sid).phone_number == "+447700900123"
    assert [(r.method, r.path) for r in api.requests] == [("GET", f"{NUMBERS_PATH}/{sid}.json")]


def test_api_key_credentials_authenticate_as_the_key(api: TwilioApiDouble) -> None:
    credentials = Credentials(ACCOUNT_SID, API_KEY, API_SECRET, "the command line")
    assert numbers_api(api, credentials).find("+15551230002").phone_number == "+15551230002"
    assert api.requests[0].username == API_KEY


def test_unknown_number_lists_the_close_ones(api: TwilioApiDouble) -> None:
    with pytest.raises(UserError) as caught:
        numbers_api(api).find("+15551230009")
    assert caught.value.message == (
        f"+15551230009 is not a phone number of account {ACCOUNT_SID} (Twilio error 20404)."
    )
    assert caught.value.hint == (
        "Numbers of this account that look close: +15551230001 (PN00000000000000000000000000000001), "
        "+15551230002 (PN00000000000000000000000000000002). Check the number, or the credentials "
        "(TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN) if it belongs to another account."
    )


def test_unknown_sid_answers_20404_and_lists_close_sids(api: TwilioApiDouble) -> None:
    with pytest.raises(UserError) as caught:
        numbers_api(api).find("PN" + "0" * 31 + "9")
    assert caught.value.message == (
        f"PN{'0' * 31}9 is not a phone number of account {ACCOUNT_SID} (Twilio error 20404)."
    )
    assert caught.value.hint is not None
    assert caught.value.hint.startswith(
        "Numbers of this account that look close: +15551230001 (PN00000000000000000000000000000001), "
    )


def test_unknown_number_far_from_every_number(api: TwilioApiDouble) -> None:
    with pytest.raises(UserError) as caught:
        numbers_api(api).find("+81312345678")
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("None of the account's 3 numbers looks close to it.")


def test_bad_credentials_are_20003_naming_the_source(api: TwilioApiDouble) -> None:
    credentials = Credentials(ACCOUNT_SID, ACCOUNT_SID, "0" * 32, ".env")
    with pytest.raises(UserError) as caught:
        numbers_api(api, credentials).find("+15551230001")
    assert caught.value.message == (
        f"Twilio refused the credentials of account {ACCOUNT_SID} (auth token from .env): Authenticate "
        "(Twilio error 20003)."
    )
    assert "0" * 32 not in str(caught.value)


def test_update_sends_only_the_given_fields(api: TwilioApiDouble) -> None:
    client = numbers_api(api)
    number = client.find("+15551230001")
    outcome = apply_update(
        client, number, {"voice_url": "https://new.example.com/v", "sms_method": "POST"}, None, False
    )
    assert api.updates() == [{"VoiceUrl": "https://new.example.com/v", "SmsMethod": "POST"}]
    assert outcome.changed == ("voice_url", "sms_method")
    assert outcome.before.values["voice_url"] == "https://demo.twilio.com/welcome/voice/"
    assert outcome.after.values["voice_url"] == "https://new.example.com/v"
    assert outcome.after.values["sms_url"] == "https://old.example.com/sms"
    assert outcome.to_json()["restore_on_exit"] is False


def test_invalid_url_is_21402(api: TwilioApiDouble) -> None:
    client = numbers_api(api)
    number = client.find("+15551230001")
    with pytest.raises(UserError) as caught:
        apply_update(client, number, {"sms_url": "https://bad host/x"}, None, False)
    assert caught.value.message == (
        "Twilio refused a webhook URL: SmsUrl is not valid: https://bad host/x (Twilio error 21402)."
    )


def test_other_twilio_errors_keep_code_and_message(api: TwilioApiDouble) -> None:
    api.inject_error("POST", 429, 20429, "Too Many Requests")
    client = numbers_api(api)
    with pytest.raises(UserError) as caught:
        client.update(client.find("+15551230001").sid, {"friendly_name": "x"})
    assert caught.value.message == "Twilio answered 429: Too Many Requests (Twilio error 20429)."
    assert caught.value.hint == "See https://www.twilio.com/docs/errors/20429"


def test_network_failure_names_the_address_and_the_reason() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = NumbersApi(CREDENTIALS, {"PYSERVERLESS_TWILIO_API_URL": f"http://127.0.0.1:{port}"})
    with pytest.raises(UserError) as caught:
        client.find("+15551230001")
    assert (
        caught.value.message
        == f"Could not reach the Twilio API at http://127.0.0.1:{port}: Connection refused."
    )
    assert caught.value.hint == (
        "PYSERVERLESS_TWILIO_API_URL is set: check that the server it names is running, or unset it."
    )


def test_restore_puts_back_the_changed_fields(api: TwilioApiDouble) -> None:
    client = numbers_api(api)
    number = client.find("+15551230001")
    outcome = apply_update(
        client, number, {"sms_url": "https://tunnel.example/sms", "sms_method": "POST"}, None, False
    )
    restored = restore_update(client, outcome)
    assert api.updates()[-1] == {"SmsUrl": "https://old.example.com/sms", "SmsMethod": "GET"}
    assert restored.restored == ("sms_url", "sms_method")
    assert restored.left_alone == ()
    assert restored.number.values["sms_url"] == "https://old.example.com/sms"


def test_restore_leaves_alone_a_field_changed_by_someone_else(api: TwilioApiDouble) -> None:
    client = numbers_api(api)
    number = client.find("+15551230001")
    outcome = apply_update(
        client, number, {"sms_url": "https://t.example/s", "voice_url": "https://t.example/v"}, None, False
    )
    api.numbers[number.sid]["voice_url"] = "https://someone.else/v"
    restored = restore_update(client, outcome)
    assert api.updates()[-1] == {"SmsUrl": "https://old.example.com/sms"}
    assert restored.left_alone == ("voice_url",)
    assert restored.number.values["voice_url"] == "https://someone.else/v"


def test_failed_restore_gives_the_command_that_restores(api: TwilioApiDouble) -> None:
    client = numbers_api(api)
    number = client.find("+15551230001")
    outcome = apply_update(
        client, number, {"sms_url": "https://t.example/s", "sms_method": "POST"}, None, False
    )
    api.inject_error("POST", 500, 20500, "Internal Server Error")
    with pytest.raises(UserError) as caught:
        restore_update(client, outcome)
    assert caught.value.message == (
        "Could not restore the previous webhooks of +15551230001: Twilio answered 500: Internal Server Error "
        "(Twilio error 20500)."
    )
    assert caught.value.hint == (
        "It still points at the values set by this command. Run this to restore it:\n"
        "  pyserverless phone-numbers:update +15551230001 --sms-url https://old.example.com/sms "
        "--sms-method GET"
    )
