"""Event building (query, form and JSON bodies, `event["request"]`) and Cookie header parsing."""

from __future__ import annotations

import pytest

from pyserverless.runtime.cookies import parse_cookie_header
from pyserverless.runtime.event import BadRequestBody, build_event, parse_body
from pyserverless.runtime.http import Headers
from tests.support.runtime_requests import make_request

FORM = [("content-type", "application/x-www-form-urlencoded")]
JSON = [("content-type", "application/json; charset=utf-8")]


def event_for(
    query: str = "", headers: list[tuple[str, str]] | None = None, body: bytes = b""
) -> dict[str, object]:
    request = make_request("/x", method="POST", query=query, headers=headers, body=body)
    return build_event(request, parse_body(request.headers, request.body))


def test_query_parameters_with_repeated_keys_as_lists() -> None:
    event = event_for(query="a=1&b=2&a=3&empty=&plus=%2B1+2")
    assert {key: value for key, value in event.items() if key != "request"} == {
        "a": ["1", "3"],
        "b": "2",
        "empty": "",
        "plus": "+1 2",
    }


def test_bracketed_query_keys_nest_and_form_keys_stay_as_written() -> None:
    # As twilio-run: Express's qs reads the query, body-parser (extended: false) reads the form.
    event = event_for(query="b[c]=3&arr[]=1&arr[]=2", headers=FORM, body=b"f[c]=4&list[]=1&list[]=2")
    assert {key: value for key, value in event.items() if key != "request"} == {
        "b": {"c": "3"},
        "arr": ["1", "2"],
        "f[c]": "4",
        "list[]": ["1", "2"],
    }


def test_form_body_wins_over_the_query() -> None:
    event = event_for(query="Body=query&Only=q", headers=FORM, body=b"Body=form&Media=a&Media=b")
    assert {key: value for key, value in event.items() if key != "request"} == {
        "Body": "form",
        "Only": "q",
        "Media": ["a", "b"],
    }


def test_json_body_wins_over_the_query_and_keeps_its_types() -> None:
    event = event_for(query="a=q&b=q", headers=JSON, body=b'{"a": {"nested": [1, true]}, "c": null}')
    assert {key: value for key, value in event.items() if key != "request"} == {
        "a": {"nested": [1, True]},
        "b": "q",
        "c": None,
    }


def test_other_bodies_carry_no_parameters() -> None:
    event = event_for(query="a=1", headers=[("content-type", "text/plain")], body=b"b=2")
    assert {key: value for key, value in event.items() if key != "request"} == {"a": "1"}


def test_a_parameter_named_request_never_replaces_the_runtimes() -> None:
    event = event_for(query="request=fromquery", headers=JSON, body=b'{"request": "frombody"}')
    assert event["request"] == {
        "headers": {"host": "example.test", "content-type": JSON[0][1]},
        "cookies": {},
    }


def test_request_headers_are_lower_cased_lists_when_repeated_and_restricted_ones_removed() -> None:
    headers = [
        ("X-Twilio-Signature", "sig"),
        ("Cookie", "a=1"),
        ("X-Custom", "one"),
        ("x-custom", "two"),
        ("X-Forwarded-For", "1.2.3.4"),
        ("X-Forwarded-Proto", "https"),
        ("I-Twilio-Idempotency-Token", "t"),
        ("I-T-Thing", "t"),
        ("OT-Tracer", "t"),
        ("X-Amzn-Trace-Id", "t"),
        ("X-Accel-Buffering", "no"),
        ("Via", "proxy"),
        ("Referer", "http://r"),
        ("Connection", "keep-alive"),
        ("Transfer-Encoding", "chunked"),
        ("Proxy-Authorization", "p"),
        ("Proxy-Authenticate", "p"),
        ("Proxy-Connection", "p"),
        ("X-Real-IP", "1.2.3.4"),
        ("Expect", "100-continue"),
        ("Trailer", "t"),
        ("Upgrade", "h2c"),
        ("User-Agent", "TwilioProxy/1.1"),
    ]
    assert event_for(headers=headers)["request"] == {
        "headers": {
            "host": "example.test",
            "x-twilio-signature": "sig",
            "cookie": "a=1",
            "x-custom": ["one", "two"],
            "user-agent": "TwilioProxy/1.1",
        },
        "cookies": {"a": "1"},
    }


def test_cookies_from_every_cookie_header() -> None:
    event = event_for(headers=[("Cookie", "a=1; b=2"), ("Cookie", "c=3")])
    assert event["request"]["cookies"] == {"a": "1", "b": "2", "c": "3"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"{oops",
            "Bad Request: the body is not valid JSON (Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)).",
        ),
        (b'"text"', "Bad Request: the JSON body must be an object of parameters, not str."),
        (
            b"\xff",
            "Bad Request: the body is not valid JSON ('utf-8' codec can't decode byte 0xff in position 0: "
            "invalid start byte).",
        ),
    ],
)
def test_bad_json_bodies(body: bytes, message: str) -> None:
    with pytest.raises(BadRequestBody) as raised:
        parse_body(Headers(JSON), body)
    assert str(raised.value) == message


def test_form_body_that_is_not_utf8() -> None:
    with pytest.raises(BadRequestBody) as raised:
        parse_body(Headers(FORM), b"a=\xff")
    assert str(raised.value) == (
        "Bad Request: the form body is not valid UTF-8 ('utf-8' codec can't decode byte 0xff in position 2: "
        "invalid start byte)."
    )


def test_empty_json_body_has_no_parameters() -> None:
    assert parse_body(Headers(JSON), b"").values == {}


@pytest.mark.parametrize(
    ("header", "cookies"),
    [
        ("a=1; b=two", {"a": "1", "b": "two"}),
        ("a=1;b=2", {"a": "1", "b": "2"}),
        ("count=1; count=2", {"count": "1"}),
        ('q="quoted value"', {"q": "quoted value"}),
        ("enc=a%20b%3Bc", {"enc": "a b;c"}),
        ("bad%zz=x%zz", {"bad%zz": "x%zz"}),
        ("noequals; a=1; =nameless", {"a": "1"}),
        ("empty=", {"empty": ""}),
        ("eq=a=b", {"eq": "a=b"}),
        ("", {}),
    ],
)
def test_parse_cookie_header(header: str, cookies: dict[str, str]) -> None:
    assert parse_cookie_header(header) == cookies
