"""Property tests of the event builder: any query, headers and body give an event or a clean 400, and the
runtime's own `event["request"]` can never be replaced or see a restricted header."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyserverless.runtime.event import (
    RESTRICTED_HEADER_PREFIXES,
    RESTRICTED_HEADERS,
    BadRequestBody,
    build_event,
    parse_body,
)
from pyserverless.runtime.http import Headers, Request

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORM = "application/x-www-form-urlencoded"
header_names = st.one_of(
    st.sampled_from(
        [
            "X-Forwarded-For",
            "x-forwarded-host",
            "I-Twilio-Idempotency-Token",
            "Via",
            "Connection",
            "X-Amz-Date",
            "Cookie",
            "X-Twilio-Signature",
            "Content-Type",
            "REQUEST",
        ]
    ),
    st.text(st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=":"), min_size=1),
)
latin1_values = st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=40)
pairs = st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=12)


def request_of(query: str, headers: list[tuple[str, str]], body: bytes) -> Request:
    return Request("POST", "/x", query, Headers(headers), body, "http://example.test/x", "127.0.0.1")


def event_or_400(request: Request) -> dict[str, object] | None:
    try:
        body = parse_body(request.headers, request.body)
    except BadRequestBody as error:
        assert str(error).startswith("Bad Request: ")
        return None
    return build_event(request, body)


def assert_runtime_request(event: dict[str, object], headers: list[tuple[str, str]]) -> None:
    request = event["request"]
    assert isinstance(request, dict)
    assert set(request) == {"headers", "cookies"}
    shown = request["headers"]
    assert isinstance(shown, dict)
    for name in shown:
        assert name == name.lower()
        assert name not in RESTRICTED_HEADERS
        assert not name.startswith(RESTRICTED_HEADER_PREFIXES)
    expected = {name.lower() for name, _ in headers} - RESTRICTED_HEADERS
    assert set(shown) == {name for name in expected if not name.startswith(RESTRICTED_HEADER_PREFIXES)}


@SETTINGS
@given(query=pairs, form=pairs, headers=st.lists(st.tuples(header_names, latin1_values), max_size=10))
def test_form_requests_always_build_an_event_whose_request_entry_is_the_runtimes(
    query: list[tuple[str, str]], form: list[tuple[str, str]], headers: list[tuple[str, str]]
) -> None:
    query = [*query, ("request", "from the query")]
    form = [*form, ("request", "from the body")]
    all_headers = [("content-type", FORM), *headers]
    event = event_or_400(request_of(urlencode(query), all_headers, urlencode(form).encode()))
    assert event is not None
    assert_runtime_request(event, all_headers)
    for key, _ in form:
        if key != "request":
            assert key in event


@SETTINGS
@given(body=st.binary(max_size=200), kind=st.sampled_from([FORM, "application/json", "text/plain", ""]))
def test_any_body_bytes_give_an_event_or_a_400(body: bytes, kind: str) -> None:
    headers = [("content-type", kind)] if kind else []
    event = event_or_400(request_of("", headers, body))
    if event is not None:
        assert_runtime_request(event, headers)


@SETTINGS
@given(query=st.text(max_size=200), cookie=latin1_values)
def test_any_raw_query_string_and_cookie_header_build_an_event(query: str, cookie: str) -> None:
    headers = [("cookie", cookie)]
    event = event_or_400(request_of(query, headers, b""))
    assert event is not None
    assert_runtime_request(event, headers)


@SETTINGS
@given(values=st.recursive(st.none() | st.integers() | st.text(max_size=5), st.lists))
def test_a_json_object_body_keeps_its_values_but_never_the_request_key(values: object) -> None:
    body = json.dumps({"value": values, "request": "spoofed"}).encode()
    event = event_or_400(request_of("", [("content-type", "application/json")], body))
    assert event is not None
    assert event["value"] == values
    assert event["request"] != "spoofed"


def test_json_nested_past_the_parsers_depth_is_a_400() -> None:
    headers = Headers([("content-type", "application/json")])
    for body in (b"[" * 100_000, b'{"a":' * 100_000):
        try:
            parse_body(headers, body)
        except BadRequestBody as error:
            assert str(error) == "Bad Request: the JSON body is nested too deeply."
        else:
            raise AssertionError("a body nested 100,000 deep was accepted")


def test_ten_thousand_query_parameters_all_reach_the_event() -> None:
    query = "&".join(f"p{index}={index}" for index in range(10_000))
    event = event_or_400(request_of(query, [], b""))
    assert event is not None
    assert len(event) == 10_001
    assert event["p9999"] == "9999"
