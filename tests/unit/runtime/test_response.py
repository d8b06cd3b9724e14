"""`Response`, method by method, with the exact header lines it produces."""

from __future__ import annotations

import pytest
from twilio.twiml.voice_response import VoiceResponse

from pyserverless.runtime.payload import payload_response
from pyserverless.runtime.response import Response


def lines(response: Response) -> list[str]:
    return [f"{name}: {value}" for name, value in response.headers]


def test_defaults() -> None:
    response = Response()
    assert (response.status_code, response.body, response.headers) == (200, None, [])


def test_setters_chain() -> None:
    response = Response()
    assert response.set_status_code(201) is response
    assert response.set_body("x") is response
    assert response.append_header("X-A", "1") is response
    assert response.set_headers({"X-B": "2"}) is response
    assert response.set_cookie("a", "1") is response
    assert response.remove_cookie("a") is response


def test_constructor_takes_body_status_and_headers() -> None:
    response = Response({"a": 1}, status_code=404, headers={"X-Reason": "gone"})
    assert (response.status_code, response.body, lines(response)) == (404, {"a": 1}, ["X-Reason: gone"])


def test_set_cookie_is_written_as_twilio_does() -> None:
    response = Response().set_cookie("count", "1", ["Max-Age=1800"])
    assert lines(response) == ["Set-Cookie: count=1;Max-Age=1800"]


def test_set_cookie_without_attributes_and_with_several() -> None:
    response = Response().set_cookie("a", "x").set_cookie("b", "y", ["Path=/", "HttpOnly", "Max-Age=60"])
    assert lines(response) == ["Set-Cookie: a=x", "Set-Cookie: b=y;Path=/;HttpOnly;Max-Age=60"]


def test_remove_cookie_drops_earlier_ones_of_that_name_and_expires_it() -> None:
    response = (
        Response()
        .set_cookie("count", "1")
        .set_cookie("other", "2")
        .set_cookie("count", "3", ["Max-Age=5"])
        .set_cookie("counter", "9")
        .remove_cookie("count")
    )
    assert lines(response) == ["Set-Cookie: other=2", "Set-Cookie: counter=9", "Set-Cookie: count=;Max-Age=0"]


def test_remove_cookie_of_a_cookie_never_set() -> None:
    assert lines(Response().remove_cookie("gone")) == ["Set-Cookie: gone=;Max-Age=0"]


def test_append_header_keeps_earlier_lines_and_takes_lists_and_numbers() -> None:
    response = Response().append_header("X-A", "1").append_header("X-A", ["2", 3]).append_header("X-N", 4.5)
    assert lines(response) == ["X-A: 1", "X-A: 2", "X-A: 3", "X-N: 4.5"]


def test_set_headers_replaces_every_header_including_cookies() -> None:
    response = Response().set_cookie("a", "1").append_header("X-Old", "o")
    response.set_headers({"Content-Type": "text/csv", "X-List": ["1", "2"]})
    assert lines(response) == ["Content-Type: text/csv", "X-List: 1", "X-List: 2"]
    assert response.get_header("content-type") == "text/csv"


def test_set_status_code_checks_the_range() -> None:
    assert Response().set_status_code(418).status_code == 418
    for bad in (99, 600, "600", "2O1", "201.0", "", True):
        with pytest.raises(ValueError, match="invalid status code"):
            Response().set_status_code(bad)  # type: ignore[arg-type]


def test_a_status_code_given_as_numeric_text_is_that_integer() -> None:
    # A status read from `event` is text; Node's HTTP layer accepts it, so a ported handler must work.
    assert Response().set_status_code("201").status_code == 201
    assert Response(status_code=" 404 ").status_code == 404
    with pytest.raises(ValueError) as refused:
        Response().set_status_code("abc")
    assert str(refused.value) == "invalid status code 'abc': use an integer from 100 to 599"


@pytest.mark.parametrize(
    ("name", "value", "attributes", "message"),
    [
        ("bad name", "v", None, "invalid cookie name 'bad name': a cookie name must be a non-empty token"),
        ("a;b", "v", None, "invalid cookie name 'a;b': a cookie name must be a non-empty token"),
        ("", "v", None, "invalid cookie name '': a cookie name must be a non-empty token"),
        (
            "session",
            "abc\r\nX-Injected: yes",
            None,
            "invalid value 'abc\\r\\nX-Injected: yes' for cookie 'session': "
            "it contains ';', a line break or a control character",
        ),
        (
            "session",
            "a;Domain=evil",
            None,
            "invalid value 'a;Domain=evil' for cookie 'session': "
            "it contains ';', a line break or a control character",
        ),
        (
            "session",
            "a",
            ["Path=/\nX: y"],
            "invalid attribute 'Path=/\\nX: y' for cookie 'session': "
            "it must be non-empty text without ';', a line break or a control character",
        ),
        (
            "session",
            "a",
            ["Path=/;Secure"],
            "invalid attribute 'Path=/;Secure' for cookie 'session': "
            "it must be non-empty text without ';', a line break or a control character",
        ),
        (
            "session",
            "a\x00",
            None,
            "invalid value 'a\\x00' for cookie 'session': "
            "it contains ';', a line break or a control character",
        ),
    ],
)
def test_set_cookie_refuses_what_could_inject(
    name: str, value: str, attributes: list[str] | None, message: str
) -> None:
    response = Response()
    with pytest.raises(ValueError) as raised:
        response.set_cookie(name, value, attributes)
    assert str(raised.value) == message
    assert response.headers == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("X-A\r\nX-B", "v", "invalid header name 'X-A\\r\\nX-B': a header name must be a non-empty token"),
        ("X A", "v", "invalid header name 'X A': a header name must be a non-empty token"),
        (
            "X-A",
            "v\r\nX-Injected: yes",
            "invalid value 'v\\r\\nX-Injected: yes' for header 'X-A': "
            "it contains a line break or control character",
        ),
        (
            "X-A",
            {"a": 1},
            "invalid value {'a': 1} for header 'X-A': use a string, a number or a list of them",
        ),
        (
            "X-A",
            ["ok", None],
            "invalid value None for header 'X-A': use a string, a number or a list of them",
        ),
    ],
)
def test_append_header_and_set_headers_refuse_bad_names_and_values(
    name: str, value: object, message: str
) -> None:
    response = Response().append_header("X-Kept", "yes")
    with pytest.raises(ValueError) as appended:
        response.append_header(name, value)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as replaced:
        response.set_headers({name: value})  # type: ignore[dict-item]
    assert str(appended.value) == str(replaced.value) == message
    assert lines(response) == ["X-Kept: yes"]


def test_a_tab_in_a_header_value_is_allowed() -> None:
    assert lines(Response().append_header("X-A", "a\tb")) == ["X-A: a\tb"]


def test_str_body_without_content_type_is_html() -> None:
    answer = payload_response(Response().set_body("<p>hi</p>"))
    assert (answer.status, answer.headers, answer.body) == (
        200,
        [("content-type", "text/html; charset=utf-8")],
        b"<p>hi</p>",
    )


def test_dict_and_list_bodies_are_json() -> None:
    assert payload_response(Response().set_body({"a": [1, "é"]})).body == '{"a":[1,"é"]}'.encode()
    answer = payload_response(Response().set_body([True]).set_status_code(207))
    assert (answer.status, answer.headers, answer.body) == (
        207,
        [("content-type", "application/json; charset=utf-8")],
        b"[true]",
    )


def test_dict_body_with_a_content_type_is_still_json() -> None:
    answer = payload_response(Response({"a": 1}, headers={"Content-Type": "application/vnd.x+json"}))
    assert (answer.headers, answer.body) == (
        [("content-type", "application/vnd.x+json; charset=utf-8")],
        b'{"a":1}',
    )


def test_a_text_body_labelled_by_hand_says_utf_8() -> None:
    # The cookie-counter pattern of the templates: a TwiML string with Content-Type text/xml set by hand.
    answer = payload_response(Response("<Response/>").append_header("Content-Type", "text/xml"))
    assert answer.headers == [("content-type", "text/xml; charset=utf-8")]


@pytest.mark.parametrize(
    ("content_type", "sent"),
    [
        ("text/xml", "text/xml; charset=utf-8"),
        ("text/plain; charset=ISO-8859-1", "text/plain; charset=utf-8"),
        ("Text/HTML;Charset=latin1", "text/html; charset=utf-8"),
        ("text/csv; header=present", "text/csv; header=present; charset=utf-8"),
        ("application/octet-stream", "application/octet-stream; charset=utf-8"),
    ],
)
def test_a_str_body_is_always_labelled_utf_8(content_type: str, sent: str) -> None:
    answer = payload_response(Response("é", headers={"Content-Type": content_type}))
    assert (answer.headers, answer.body) == ([("content-type", sent)], "é".encode())


def test_twiml_json_and_empty_bodies_with_a_type_set_are_labelled_utf_8() -> None:
    twiml = payload_response(Response(VoiceResponse(), headers={"Content-Type": "application/xml"}))
    assert twiml.headers == [("content-type", "application/xml; charset=utf-8")]
    json_body = payload_response(Response([1], headers={"Content-Type": "application/json; charset=utf-16"}))
    assert json_body.headers == [("content-type", "application/json; charset=utf-8")]
    empty = payload_response(Response(headers={"Content-Type": "text/xml"}))
    assert (empty.headers, empty.body) == ([("content-type", "text/xml; charset=utf-8")], b"")


def test_a_bytes_body_keeps_the_content_type_the_handler_gave() -> None:
    answer = payload_response(Response(b"\xe9", headers={"Content-Type": "text/plain; charset=latin1"}))
    assert (answer.headers, answer.body) == ([("content-type", "text/plain; charset=latin1")], b"\xe9")


def test_twiml_and_bytes_and_empty_bodies() -> None:
    voice = VoiceResponse()
    voice.say("hi")
    twiml = payload_response(Response().set_body(voice))
    assert twiml.headers == [("content-type", "text/xml; charset=utf-8")]
    assert twiml.body == b'<?xml version="1.0" encoding="UTF-8"?><Response><Say>hi</Say></Response>'
    binary = payload_response(Response().set_body(b"\x00"))
    assert (binary.headers, binary.body) == ([("content-type", "application/octet-stream")], b"\x00")
    empty = payload_response(Response().set_status_code(204))
    assert (empty.status, empty.headers, empty.body) == (204, [], b"")


def test_cookies_and_headers_go_out_in_order_with_lower_cased_names() -> None:
    response = Response("ok").append_header("X-A", "1").set_cookie("count", "2", ["Max-Age=1800"])
    assert payload_response(response).headers == [
        ("x-a", "1"),
        ("set-cookie", "count=2;Max-Age=1800"),
        ("content-type", "text/html; charset=utf-8"),
    ]


def test_framing_headers_are_left_to_the_transport() -> None:
    response = (
        Response("four").append_header("Content-Length", "999").append_header("Transfer-Encoding", "chunked")
    )
    assert payload_response(response).headers == [("content-type", "text/html; charset=utf-8")]
