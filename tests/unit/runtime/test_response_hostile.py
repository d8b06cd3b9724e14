"""Property tests of the cookie writer and parser and of every `Response` method: whatever a handler passes,
either `ValueError` is raised or every header line that reaches the transport is free of line breaks and
control characters, so no handler-controlled value can inject a header."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from pyserverless.runtime.cookies import parse_cookie_header
from pyserverless.runtime.payload import payload_response
from pyserverless.runtime.response import Response

SETTINGS = settings(max_examples=150, deadline=None)
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Text that favours what injects headers: CR, LF, NUL, ";", ":" and ordinary characters.
hostile = st.text(
    st.one_of(st.sampled_from(["\r", "\n", "\0", ";", ":", " ", "=", "\t", "\x7f"]), st.characters()),
    max_size=20,
)
values = st.one_of(hostile, st.integers(), st.floats(allow_nan=False), st.lists(hostile, max_size=3))
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def build(action: Callable[[Response], object]) -> Response | None:
    response = Response("body")
    try:
        action(response)
    except ValueError:
        return None
    return response


def assert_clean(response: Response | None) -> None:
    if response is None:
        return
    sent = payload_response(response)
    for name, value in sent.headers:
        assert TOKEN.fullmatch(name), name
        assert not CONTROL.search(value), (name, value)


@SETTINGS
@given(name=hostile, value=values)
def test_append_header_cannot_inject(name: str, value: object) -> None:
    assert_clean(build(lambda response: response.append_header(name, value)))  # type: ignore[arg-type]


@SETTINGS
@given(headers=st.dictionaries(hostile, values, max_size=4))
def test_set_headers_and_the_constructor_cannot_inject(headers: dict[str, object]) -> None:
    assert_clean(build(lambda response: response.set_headers(headers)))  # type: ignore[arg-type]
    try:
        built: Response | None = Response("body", 200, headers)  # type: ignore[arg-type]
    except ValueError:
        built = None
    assert_clean(built)


@SETTINGS
@given(name=hostile, value=hostile, attributes=st.lists(hostile, max_size=3))
def test_set_cookie_cannot_inject_and_writes_twilios_format(
    name: str, value: str, attributes: list[str]
) -> None:
    response = build(lambda response: response.set_cookie(name, value, attributes))
    assert_clean(response)
    if response is not None:
        assert response.headers[-1] == ("Set-Cookie", ";".join([f"{name}={value}", *attributes]))
        assert TOKEN.fullmatch(name)
        assert ";" not in value and all(attributes)


@SETTINGS
@given(name=hostile, others=st.lists(st.sampled_from(["a", "b", "session"]), max_size=4))
def test_remove_cookie_cannot_inject_and_drops_earlier_cookies_of_that_name(
    name: str, others: list[str]
) -> None:
    def action(response: Response) -> None:
        for other in others:
            response.set_cookie(other, "1")
        response.remove_cookie(name)

    response = build(action)
    assert_clean(response)
    if response is not None:
        cookies = [value for key, value in response.headers if key == "Set-Cookie"]
        assert cookies[-1] == f"{name}=;Max-Age=0"
        assert not any(value.startswith(f"{name}=") for value in cookies[:-1])


@SETTINGS
@given(status=st.one_of(st.integers(), st.booleans(), st.floats(), st.text(max_size=3)))
def test_set_status_code_takes_100_to_599_only(status: object) -> None:
    response = build(lambda response: response.set_status_code(status))  # type: ignore[arg-type]
    if response is not None:
        if isinstance(status, str):  # numeric text is read as its number
            assert status.strip().isascii() and status.strip().isdigit()
            status = int(status)
        assert isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599
        assert payload_response(response).status == status


cookie_names = st.from_regex(TOKEN, fullmatch=True).filter(lambda name: len(name) < 20)
cookie_values = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';%"'), max_size=20
)


@SETTINGS
@given(pairs=st.lists(st.tuples(cookie_names, cookie_values), max_size=6))
def test_what_set_cookie_writes_the_parser_reads_back(pairs: list[tuple[str, str]]) -> None:
    header = "; ".join(f"{name}={value}" for name, value in pairs)
    expected: dict[str, str] = {}
    for name, value in pairs:
        expected.setdefault(name, value.strip())
    assert parse_cookie_header(header) == expected


@SETTINGS
@given(header=st.text(max_size=200))
def test_the_cookie_parser_takes_any_header(header: str) -> None:
    cookies = parse_cookie_header(header)
    for name in cookies:
        assert name and name == name.strip() and ";" not in name
