"""Protected routes: X-Twilio-Signature checked with twilio's RequestValidator, as Twilio signs."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from pyserverless.runtime.dispatch import Dispatcher
from pyserverless.runtime.http import HttpResponse, public_url
from tests.support.runtime_requests import call, copy_project, make_dispatcher

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
FORM = "application/x-www-form-urlencoded"
UNAUTHORIZED = b"Unauthorized: this route is protected and needs a valid X-Twilio-Signature."


@pytest.fixture(scope="module")
def dispatcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dispatcher]:
    root = copy_project("runtime-payloads", tmp_path_factory.mktemp("signature") / "project")
    dispatcher = make_dispatcher(root, env={"AUTH_TOKEN": AUTH_TOKEN})
    yield dispatcher
    dispatcher.close()


def sign(url: str, params: dict[str, str | list[str]] | None = None, token: str = AUTH_TOKEN) -> str:
    class MultiDict(dict[str, list[str]]):
        def getlist(self, key: str) -> list[str]:
            return self[key]

    grouped = MultiDict(
        {key: value if isinstance(value, list) else [value] for key, value in (params or {}).items()}
    )
    return RequestValidator(token).compute_signature(url, grouped)


def post_form(
    dispatcher: Dispatcher, pairs: list[tuple[str, str]], signature: str | None, url: str | None = None
) -> HttpResponse:
    headers = [("content-type", FORM)]
    if signature is not None:
        headers.append(("x-twilio-signature", signature))
    return call(
        dispatcher, "/signed", method="POST", headers=headers, body=urlencode(pairs).encode(), url=url
    )


def test_form_post_with_the_right_signature_runs(dispatcher: Dispatcher) -> None:
    pairs = [("Body", "hi"), ("From", "+15550001111")]
    response = post_form(dispatcher, pairs, sign("http://example.test/signed", dict(pairs)))
    assert (response.status, json.loads(response.body)) == (200, {"signed": True, "Body": "hi"})


def test_form_post_with_repeated_keys_is_signed_over_every_value(dispatcher: Dispatcher) -> None:
    pairs = [("Body", "hi"), ("Media", "a"), ("Media", "b")]
    right = sign("http://example.test/signed", {"Body": "hi", "Media": ["a", "b"]})
    only_first = sign("http://example.test/signed", {"Body": "hi", "Media": "a"})
    assert post_form(dispatcher, pairs, right).status == 200
    assert post_form(dispatcher, pairs, only_first).status == 401


def test_missing_signature_is_401_and_logs_the_url(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = post_form(dispatcher, [("Body", "hi")], None)
    assert (response.status, response.headers, response.body) == (
        401,
        [("content-type", "text/plain; charset=utf-8")],
        UNAUTHORIZED,
    )
    assert [record.getMessage() for record in caplog.records] == [
        "401 for protected /signed: the request has no X-Twilio-Signature header "
        "(URL checked: http://example.test/signed)."
    ]


def test_wrong_signature_is_401_and_logs_the_url(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    signature = sign("http://example.test/signed", {"Body": "hi"}, token="f" * 32)
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = post_form(dispatcher, [("Body", "hi")], signature)
    assert (response.status, response.body) == (401, UNAUTHORIZED)
    assert [record.getMessage() for record in caplog.records] == [
        "401 for protected /signed: X-Twilio-Signature does not match (URL checked: http://example.test/signed)."
    ]


def test_tampered_form_is_401(dispatcher: Dispatcher) -> None:
    signature = sign("http://example.test/signed", {"Body": "hi"})
    assert post_form(dispatcher, [("Body", "hijacked")], signature).status == 401


def test_get_with_query_is_signed_over_the_url(dispatcher: Dispatcher) -> None:
    url = "http://example.test/signed?Body=hey&From=%2B1555"
    good = call(
        dispatcher, "/signed", query="Body=hey&From=%2B1555", headers=[("x-twilio-signature", sign(url))]
    )
    assert (good.status, json.loads(good.body)) == (200, {"signed": True, "Body": "hey"})
    other = sign("http://example.test/signed?Body=other&From=%2B1555")
    bad = call(dispatcher, "/signed", query="Body=hey&From=%2B1555", headers=[("x-twilio-signature", other)])
    assert bad.status == 401


def test_json_body_is_checked_with_body_sha256(dispatcher: Dispatcher) -> None:
    body = b'{"Body": "json hi"}'
    query = "bodySHA256=" + hashlib.sha256(body).hexdigest()
    url = f"http://example.test/signed?{query}"
    headers = [("content-type", "application/json"), ("x-twilio-signature", sign(url))]
    good = call(dispatcher, "/signed", method="POST", query=query, headers=headers, body=body)
    assert (good.status, json.loads(good.body)) == (200, {"signed": True, "Body": "json hi"})
    tampered = call(
        dispatcher, "/signed", method="POST", query=query, headers=headers, body=b'{"Body": "evil"}'
    )
    assert tampered.status == 401


def test_json_body_without_body_sha256_is_401(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    headers = [
        ("content-type", "application/json"),
        ("x-twilio-signature", sign("http://example.test/signed")),
    ]
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(dispatcher, "/signed", method="POST", headers=headers, body=b'{"Body": "x"}')
    assert response.status == 401
    assert "the body is not a form and the URL has no bodySHA256 parameter" in caplog.records[0].getMessage()


def test_the_url_the_adapter_gives_is_checked_whatever_the_forwarded_headers_say(
    dispatcher: Dispatcher,
) -> None:
    headers = [
        ("content-type", FORM),
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "other-host.example"),
        ("x-twilio-signature", sign("https://other-host.example/signed", {"Body": "hi"})),
    ]
    response = call(dispatcher, "/signed", method="POST", headers=headers, body=b"Body=hi")
    assert (response.status, response.body) == (401, UNAUTHORIZED)
    url = public_url("https", "abc.ngrok.example", "/signed", "")
    headers[-1] = ("x-twilio-signature", sign("https://abc.ngrok.example/signed", {"Body": "hi"}))
    assert call(dispatcher, "/signed", method="POST", headers=headers, body=b"Body=hi", url=url).status == 200


def test_public_url_keeps_the_raw_path_and_query() -> None:
    assert public_url("https", "a.example", "/a%20b", "x=1&y=%2B") == "https://a.example/a%20b?x=1&y=%2B"
    assert public_url("http", "h:3000", "/p", "") == "http://h:3000/p"


def test_protected_asset_needs_a_signature(dispatcher: Dispatcher) -> None:
    assert call(dispatcher, "/data.json").status == 401
    signed = call(
        dispatcher, "/data.json", headers=[("x-twilio-signature", sign("http://example.test/data.json"))]
    )
    assert (signed.status, signed.body) == (200, b'{"signed": "asset"}\n')


def test_without_auth_token_protected_routes_are_401_saying_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dispatcher = make_dispatcher(copy_project("runtime-payloads", tmp_path / "project"))
    try:
        with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
            response = post_form(
                dispatcher, [("Body", "hi")], sign("http://example.test/signed", {"Body": "hi"})
            )
    finally:
        dispatcher.close()
    assert response.status == 401
    assert [record.getMessage() for record in caplog.records] == [
        "401 for protected /signed: AUTH_TOKEN is not set in the project's environment "
        "(URL checked: http://example.test/signed)."
    ]


def test_signature_checks_can_be_turned_off(tmp_path: Path) -> None:
    dispatcher = make_dispatcher(
        copy_project("runtime-payloads", tmp_path / "project"), check_signatures=False
    )
    try:
        response = post_form(dispatcher, [("Body", "hi")], None)
    finally:
        dispatcher.close()
    assert (response.status, json.loads(response.body)) == (200, {"signed": True, "Body": "hi"})


def test_an_empty_body_sha256_is_401_saying_why(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    url = "http://example.test/signed?bodySHA256="
    headers = [("content-type", "application/json"), ("x-twilio-signature", sign(url))]
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(
            dispatcher, "/signed", method="POST", query="bodySHA256=", headers=headers, body=b"{}"
        )
    assert (response.status, response.body) == (401, UNAUTHORIZED)
    assert [record.getMessage() for record in caplog.records] == [
        "401 for protected /signed: the URL's bodySHA256 parameter is empty (URL checked: "
        "http://example.test/signed?bodySHA256=)."
    ]


def test_body_sha256_is_compared_with_the_body_whatever_its_type(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    query = "bodySHA256=" + hashlib.sha256(b"Body=signed").hexdigest()
    url = f"http://example.test/signed?{query}"
    signature = sign(url, {"Body": "other"})
    headers = [("content-type", FORM), ("x-twilio-signature", signature)]
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(
            dispatcher, "/signed", method="POST", query=query, headers=headers, body=b"Body=other"
        )
    assert (response.status, response.body) == (401, UNAUTHORIZED)
    assert (
        caplog.records[0]
        .getMessage()
        .startswith("401 for protected /signed: the body does not match the URL's bodySHA256 parameter")
    )
    hash_of_nothing = "bodySHA256=" + hashlib.sha256(b"").hexdigest()
    headers = [("x-twilio-signature", sign(f"http://example.test/signed?{hash_of_nothing}"))]
    assert call(dispatcher, "/signed", query=hash_of_nothing, headers=headers).status == 200
    non_ascii = call(dispatcher, "/signed", query="bodySHA256=%C3%A9", headers=headers)
    assert (non_ascii.status, non_ascii.body) == (401, UNAUTHORIZED)


@pytest.mark.parametrize("signature", ["bogus", "x" * 28, "A" * 27 + "=" + "A", "A" * 43 + "="])
def test_a_signature_that_cannot_be_twilios_is_401_before_the_body_is_parsed(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture, signature: str
) -> None:
    headers = [("content-type", "application/json"), ("x-twilio-signature", signature)]
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(dispatcher, "/signed", method="POST", headers=headers, body=b"[" * 100_000)
    assert (response.status, response.body) == (401, UNAUTHORIZED)  # not the 400 of a body too deep
    assert [record.getMessage() for record in caplog.records] == [
        "401 for protected /signed: X-Twilio-Signature is not a Twilio signature (28 base64 characters) "
        "(URL checked: http://example.test/signed)."
    ]


def test_an_unsigned_request_is_401_before_the_body_is_parsed(dispatcher: Dispatcher) -> None:
    for content_type, body in (("application/json", b"[" * 100_000), (FORM, b"a=1&" * 5_000)):
        headers = [("content-type", content_type)]
        response = call(dispatcher, "/signed", method="POST", headers=headers, body=body)
        assert (response.status, response.body) == (401, UNAUTHORIZED)


def test_a_large_body_checked_off_the_event_loop_gets_the_same_answers(dispatcher: Dispatcher) -> None:
    pairs = [("Body", "x" * 100_000)]
    good = sign("http://example.test/signed", dict(pairs))
    response = post_form(dispatcher, pairs, good)
    assert (response.status, json.loads(response.body)) == (200, {"signed": True, "Body": "x" * 100_000})
    assert post_form(dispatcher, [("Body", "y" * 100_000)], good).status == 401
