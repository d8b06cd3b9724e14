from __future__ import annotations

import re

import pytest

from pyserverless.simulate.twiml import TwimlError, Verb, looks_like_twiml, parse_twiml
from pyserverless.simulate.webhooks import account_sid_for, segment_count, sms_params, voice_params

SID = re.compile(r"^(SM|MM|CA|AC)[0-9a-f]{32}$")
ACCOUNT = "AC" + "1" * 32


def test_parse_reads_verbs_text_attributes_and_nouns() -> None:
    verbs = parse_twiml(
        b'<?xml version="1.0" encoding="UTF-8"?><Response>'
        b'<Message to="+15550001111">Hi <Media>https://x.test/a.png</Media></Message>'
        b'<Redirect method="GET">/next</Redirect></Response>'
    )
    assert [verb.name for verb in verbs] == ["Message", "Redirect"]
    message = verbs[0]
    assert message.own_text == "Hi"
    assert message.text == "Hi https://x.test/a.png"
    assert message.attribute("to") == "+15550001111"
    assert message.nouns("Media") == [Verb("Media", {}, "https://x.test/a.png", "https://x.test/a.png", ())]
    assert verbs[1].attributes == {"method": "GET"}
    assert verbs[1].text == "/next"


def test_an_empty_response_has_no_verbs() -> None:
    assert parse_twiml(b"<Response/>") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<Response><Message>", "the answer is not well-formed XML (no element found: line 1, column 19)"),
        (b"<html><body>hi</body></html>", "the root element is <html>, not <Response>"),
    ],
)
def test_what_is_not_twiml_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(TwimlError) as raised:
        parse_twiml(body)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/xml; charset=utf-8", b"", True),
        ("application/xml", b"<Response/>", True),
        (None, b'  <?xml version="1.0"?><Response/>', True),
        ("text/plain", b"<Response></Response>", True),
        ("text/plain; charset=utf-8", b"hello", False),
        ("application/json", b'{"a": 1}', False),
    ],
)
def test_looks_like_twiml(content_type: str | None, body: bytes, expected: bool) -> None:
    assert looks_like_twiml(content_type, body) is expected


def test_sms_params_are_twilios() -> None:
    params = sms_params(ACCOUNT, "+14155550100", "+12125550199", "hello")
    assert SID.match(params["MessageSid"]) and params["MessageSid"].startswith("SM")
    assert params["SmsSid"] == params["SmsMessageSid"] == params["MessageSid"]
    without_sid = {key: value for key, value in params.items() if "Sid" not in key or key == "AccountSid"}
    assert without_sid == {
        "AccountSid": ACCOUNT,
        "ApiVersion": "2010-04-01",
        "Body": "hello",
        "From": "+14155550100",
        "FromCity": "SAN FRANCISCO",
        "FromCountry": "US",
        "FromState": "CA",
        "FromZip": "94103",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "To": "+12125550199",
        "ToCity": "NEW YORK",
        "ToCountry": "US",
        "ToState": "NY",
        "ToZip": "10001",
    }


def test_sms_params_with_media_and_unknown_places() -> None:
    params = sms_params(ACCOUNT, "+447700900123", "+15005550006", "", ["https://x.test/cat.jpg"])
    assert params["MessageSid"].startswith("MM")
    assert params["NumMedia"] == "1"
    assert params["MediaUrl0"] == "https://x.test/cat.jpg"
    assert params["MediaContentType0"] == "image/jpeg"
    assert (params["FromCountry"], params["FromCity"], params["FromState"], params["FromZip"]) == (
        "GB",
        "",
        "",
        "",
    )
    assert (params["ToCountry"], params["ToCity"]) == ("US", "")


def test_voice_params_are_twilios() -> None:
    params = voice_params(ACCOUNT, "CA" + "2" * 32, "+14155550100", "+13125550199", "ringing")
    assert params["CallSid"] == "CA" + "2" * 32
    assert params["CallStatus"] == "ringing"
    assert params["Direction"] == "inbound"
    assert params["ApiVersion"] == "2010-04-01"
    assert params["From"] == params["Caller"] == "+14155550100"
    assert params["To"] == params["Called"] == "+13125550199"
    assert (params["CallerCity"], params["FromCity"], params["CalledCity"], params["ToCity"]) == (
        "SAN FRANCISCO",
        "SAN FRANCISCO",
        "CHICAGO",
        "CHICAGO",
    )


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("é" * 160, 1),
        ("ł" * 70, 1),
        ("ł" * 71, 2),
        ("😀" * 35, 1),
        ("😀" * 36, 2),
    ],
)
def test_segment_count(body: str, segments: int) -> None:
    assert segment_count(body) == segments


def test_the_project_account_sid_is_used_when_it_is_one() -> None:
    assert account_sid_for({"ACCOUNT_SID": ACCOUNT}) == ACCOUNT
    made_up = account_sid_for({"ACCOUNT_SID": "not-a-sid"})
    assert SID.match(made_up) and made_up.startswith("AC")
