"""The PYSERVERLESS_TWILIO_API_URL seam: every Twilio call to the base URL; TWILIO_EDGE/REGION otherwise."""

from __future__ import annotations

import pytest
from twilio.http.http_client import TwilioHttpClient

from pyserverless.errors import UserError
from pyserverless.twilio_api.client import api_base_url, make_client, redirect_url
from pyserverless.twilio_api.credentials import Credentials
from pyserverless.twilio_api.redirect import RedirectingHttpClient
from tests.support.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioApiDouble

CREDENTIALS = Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "test")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PhoneNumber=%2B1",
            "http://127.0.0.1:9/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PhoneNumber=%2B1",
        ),
        ("https://api.sydney.au1.twilio.com/v1/x", "http://127.0.0.1:9/v1/x"),
        ("https://serverless.twilio.com/v1/Services", "http://127.0.0.1:9/v1/Services"),
        ("https://example.com/twilio.com/x", "https://example.com/twilio.com/x"),
        ("https://nottwilio.com/x", "https://nottwilio.com/x"),
    ],
)
def test_redirect_url_replaces_scheme_and_host_of_twilio_domains_only(url: str, expected: str) -> None:
    assert redirect_url(url, "http://127.0.0.1:9/") == expected


def test_base_url_may_carry_a_path_prefix() -> None:
    assert redirect_url("https://api.twilio.com/2010-04-01/x.json", "http://proxy:8080/rec") == (
        "http://proxy:8080/rec/2010-04-01/x.json"
    )


@pytest.mark.parametrize("value", ["127.0.0.1:8080", "ftp://host", "http://", "http://h/?a=1"])
def test_a_malformed_base_url_is_refused(value: str) -> None:
    with pytest.raises(UserError) as caught:
        api_base_url({"PYSERVERLESS_TWILIO_API_URL": value})
    assert caught.value.message == f"PYSERVERLESS_TWILIO_API_URL={value} is not a base URL."


def test_unset_or_empty_means_twilio() -> None:
    assert api_base_url({}) is None
    assert api_base_url({"PYSERVERLESS_TWILIO_API_URL": " "}) is None


def test_without_the_seam_edge_and_region_still_pick_the_host() -> None:
    client = make_client(CREDENTIALS, {"TWILIO_EDGE": "sydney", "TWILIO_REGION": "au1"})
    assert type(client.http_client) is TwilioHttpClient
    assert client.get_hostname("https://api.twilio.com/2010-04-01/Accounts.json") == (
        "https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json"
    )


def test_with_the_seam_every_call_reaches_the_base_url_even_with_an_edge() -> None:
    with TwilioApiDouble() as api:
        sid = api.add_number("+15551230001")
        client = make_client(
            CREDENTIALS,
            {"PYSERVERLESS_TWILIO_API_URL": api.base_url, "TWILIO_EDGE": "sydney", "TWILIO_REGION": "au1"},
        )
        assert isinstance(client.http_client, RedirectingHttpClient)
        fetched = client.api.v2010.accounts(ACCOUNT_SID).incoming_phone_numbers(sid).fetch()
    assert fetched.phone_number == "+15551230001"
    assert [(request.method, request.path, request.username) for request in api.requests] == [
        ("GET", f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers/{sid}.json", ACCOUNT_SID)
    ]
