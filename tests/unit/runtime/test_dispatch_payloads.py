"""Every payload and error row of the runtime contract, through `Dispatcher.dispatch`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.runtime.dispatch import Dispatcher
from tests.support.runtime_requests import call, copy_project, make_dispatcher

TEXT = "text/plain; charset=utf-8"
JSON = "application/json; charset=utf-8"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project("runtime-payloads", tmp_path_factory.mktemp("runtime") / "project")


@pytest.fixture(scope="module")
def dispatcher(project: Path) -> Iterator[Dispatcher]:
    dispatcher = make_dispatcher(project, env={"GREETING": "hey"}, timeout=0.5)
    yield dispatcher
    dispatcher.close()


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/text", TEXT, b"hello"),
        ("/callback_text", TEXT, b"hi from callback"),
        ("/json_dict", JSON, '{"greeting":"héllo","count":2}'.encode()),
        ("/json_list", JSON, b'[1,"two",null]'),
        ("/json_bool", JSON, b"true"),
        ("/json_number", JSON, b"42"),
        (
            "/twiml",
            "text/xml; charset=utf-8",
            b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi &amp; bye</Message></Response>',
        ),
        ("/bytes", "application/octet-stream", b"\x00\x01\xff"),
        ("/async_text", TEXT, b"async hello"),
        ("/async_callback", JSON, b'{"async":true}'),
        ("/a/index", TEXT, b"index of a"),
        ("/b/index", TEXT, b"index of b"),
        ("/uses_helper", TEXT, b"HELPED"),
        ("/response_json", JSON, b'{"ok":true}'),
    ],
)
def test_payload_types(dispatcher: Dispatcher, path: str, content_type: str, body: bytes) -> None:
    response = call(dispatcher, path)
    assert (response.status, response.headers, response.body, response.route) == (
        200,
        [("content-type", content_type)],
        body,
        path,
    )


def test_none_payload_is_an_empty_200(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/none")
    assert (response.status, response.headers, response.body) == (200, [], b"")


def test_response_object_is_sent_as_built(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/response")
    assert response.status == 201
    assert response.headers == [
        ("x-custom", "yes"),
        ("set-cookie", "count=1;Max-Age=1800"),
        ("content-type", "text/html; charset=utf-8"),
    ]
    assert response.body == b"<p>made</p>"


def test_response_keeps_its_own_content_type(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/response_typed")
    assert (response.status, response.headers, response.body) == (
        202,
        [("content-type", "text/csv; charset=utf-8")],
        b"a,b\n",
    )


def test_exception_is_a_json_500_without_html_accept(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/raises")
    assert (response.status, response.headers) == (500, [("content-type", JSON)])
    body = json.loads(response.body)
    assert body["message"] == "boom <b>&</b>"
    assert body["name"] == "ValueError"
    assert body["stack"].startswith("Traceback (most recent call last):\n")
    assert 'errors/raises.py", line 2, in handler' in body["stack"]
    assert "pyserverless/runtime" not in body["stack"]
    assert body["stack"].endswith("ValueError: boom <b>&</b>\n")


def test_exception_is_an_escaped_html_page_for_browsers(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/raises", headers=[("accept", "text/html,application/xhtml+xml")])
    assert (response.status, response.headers) == (500, [("content-type", "text/html; charset=utf-8")])
    page = response.body.decode()
    assert page.startswith('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>500 ValueError</title>')
    assert "<h1>ValueError: boom &lt;b&gt;&amp;&lt;/b&gt;</h1>" in page
    assert "<b>" not in page


def test_nothing_of_the_error_is_answered_when_errors_are_not_exposed(project: Path) -> None:
    dispatcher = make_dispatcher(project, expose_errors=False)
    try:
        response = call(dispatcher, "/errors/raises")
    finally:
        dispatcher.close()
    assert json.loads(response.body) == {
        "message": "Internal Server Error: the function failed; its log has the details.",
        "name": "InternalServerError",
    }


def test_callback_with_an_error_is_a_500(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/callback_error")
    body = json.loads(response.body)
    assert (response.status, body["message"], body["name"]) == (500, "went wrong", "RuntimeError")


def test_callback_with_a_plain_value_error_is_a_500(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/callback_text")
    assert (response.status, json.loads(response.body)) == (
        500,
        {"message": "plain failure", "name": "Error"},
    )


def test_double_callback_keeps_the_first_and_warns(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(dispatcher, "/double")
    assert (response.status, response.body) == (200, b"first")
    assert [record.getMessage() for record in caplog.records] == [
        "/double called callback more than once; the first result was sent, later ones are ignored."
    ]
    assert caplog.records[0].route == "/double"  # type: ignore[attr-defined]


def test_no_result_is_a_500_that_says_so(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/no_result")
    body = json.loads(response.body)
    assert (response.status, body["name"]) == (500, "NoResult")
    assert body["message"] == (
        "/no_result finished without a result: call callback(None, result) or return the result "
        "(return '' for an empty answer)."
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [("/callback_later_thread", b"called back from a timer"), ("/callback_later_task", b'{"from":"a task"}')],
)
def test_a_callback_after_the_handler_returned_is_waited_for(
    dispatcher: Dispatcher, path: str, body: bytes
) -> None:
    response = call(dispatcher, path)
    assert (response.status, response.body) == (200, body)


def test_a_handler_that_returned_and_never_calls_back_is_a_504_at_the_limit(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        response = call(dispatcher, "/callback_never")
    assert (response.status, response.headers) == (504, [("content-type", TEXT)])
    assert response.body == (
        b"Gateway Timeout: /callback_never returned without calling back, and no callback came within the "
        b"execution limit of 0.5 seconds."
    )
    assert [record.getMessage() for record in caplog.records] == [
        "/callback_never returned without calling back, and no callback came within the execution limit "
        "of 0.5 s; answered 504."
    ]


@pytest.mark.parametrize("path", ["/slow", "/async_slow"])
def test_past_the_limit_is_a_logged_504(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        response = call(dispatcher, path)
    assert (response.status, response.headers, response.route) == (504, [("content-type", TEXT)], path)
    assert response.body == (
        f"Gateway Timeout: {path} did not finish within the execution limit of 0.5 seconds.".encode()
    )
    assert [record.getMessage() for record in caplog.records] == [
        f"{path} did not finish within the execution limit of 0.5 s; answered 504."
    ]
    assert call(dispatcher, "/text").body == b"hello"


def test_import_error_is_a_500_for_that_route_only(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        response = call(dispatcher, "/errors/broken_import")
    body = json.loads(response.body)
    assert (response.status, body["name"]) == (500, "ModuleNotFoundError")
    assert body["message"] == (
        "functions/errors/broken_import.py failed to import: No module named 'module_that_does_not_exist'"
    )
    assert "import module_that_does_not_exist" in body["stack"]
    assert (
        caplog.records[0]
        .getMessage()
        .startswith(
            "functions/errors/broken_import.py failed to import; its route answers 500 until it is fixed.\n"
            "Traceback (most recent call last):"
        )
    )
    assert call(dispatcher, "/text").body == b"hello"


def test_a_file_without_handler_is_a_500_naming_it(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/no_handler")
    body = json.loads(response.body)
    assert (response.status, body["name"]) == (500, "NotAHandler")
    assert body["message"] == (
        "functions/errors/no_handler.py defines no handler: add `def handler(context, event, callback):` "
        "(or `def handler(context, event)` returning the result)."
    )


def test_sys_exit_in_a_handler_is_a_500_and_the_runtime_keeps_serving(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/exits")
    assert (response.status, json.loads(response.body)["name"]) == (500, "SystemExit")
    assert call(dispatcher, "/text").body == b"hello"


def test_a_cookie_with_a_line_break_is_a_500_naming_the_cookie(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/cookie_injection")
    body = json.loads(response.body)
    assert (response.status, body["name"]) == (500, "ValueError")
    assert body["message"] == (
        "invalid value 'abc\\r\\nX-Injected: yes' for cookie 'session': "
        "it contains ';', a line break or a control character"
    )
    assert response.headers == [("content-type", JSON)]


def test_an_unserializable_result_is_a_500(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/unserializable")
    body = json.loads(response.body)
    assert (response.status, body["name"], body["message"]) == (
        500,
        "TypeError",
        "Object of type object is not JSON serializable",
    )


def test_context_holds_env_and_runtime_variables(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/context_info", url="https://abc.ngrok.example/context_info")
    assert json.loads(response.body) == {
        "PATH": "/context_info",
        "DOMAIN_NAME": "abc.ngrok.example",
        "SERVICE_SID": None,
        "ENVIRONMENT_SID": None,
        "GREETING": "hey",
    }


def test_domain_name_follows_each_request_origin(dispatcher: Dispatcher) -> None:
    urls = [
        "https://abc.ngrok.example/context_info",
        "https://abc.ngrok.example/context_info?x=1",
        "http://abc.ngrok.example.evil/context_info",
        "https://abc.ngrok.example:8443/context_info",
        "http://127.0.0.1:3000/context_info",
        "https://abc.ngrok.example/context_info",
    ]
    domains = [json.loads(call(dispatcher, "/context_info", url=url).body)["DOMAIN_NAME"] for url in urls]
    assert domains == [
        "abc.ngrok.example",
        "abc.ngrok.example",
        "abc.ngrok.example.evil",
        "abc.ngrok.example:8443",
        "127.0.0.1:3000",
        "abc.ngrok.example",
    ]


def test_an_unset_variable_reads_as_none_and_is_logged_once(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        answers = [call(dispatcher, "/context_default") for _ in range(2)]
    assert [(answer.status, answer.body) for answer in answers] == [(200, b"default"), (200, b"default")]
    assert [record.getMessage() for record in caplog.records] == [
        "/context_default read context.NOT_IN_ENV, which is not set, so it is None: add NOT_IN_ENV=... to "
        "the project's .env, or read it with context.get('NOT_IN_ENV', default)."
    ]


def test_env_cannot_override_path_or_domain_name(project: Path) -> None:
    dispatcher = make_dispatcher(
        project, env={"GREETING": "x", "PATH": "/usr/bin", "DOMAIN_NAME": "evil.example"}
    )
    try:
        body = json.loads(call(dispatcher, "/context_info").body)
    finally:
        dispatcher.close()
    assert (body["PATH"], body["DOMAIN_NAME"]) == ("/context_info", "example.test")


def test_runtime_reaches_private_functions_and_assets(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/runtime_functions")
    body = json.loads(response.body)
    assert body["secret"] == "secret"
    assert body["secret_path"] == "functions/secret.private.py"
    assert body["message"] == "a private message\n"
    assert body["assets"] == ["/message.txt"]  # private ones only, as on Twilio
    assert "sms/reply" not in body["functions"]
    assert {"secret", "a/index", "b/index", "errors/raises", "text"} <= set(body["functions"])


def test_head_runs_the_function_and_sends_no_body(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/text", method="HEAD")
    assert (response.status, response.headers, response.body) == (
        200,
        [("content-type", TEXT), ("content-length", "5")],
        b"",
    )


def test_a_result_called_back_before_the_limit_is_sent_even_if_the_handler_keeps_running(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pyserverless.runtime"):
        response = call(dispatcher, "/callback_then_block")
    assert (response.status, response.body) == (200, b"early")
    assert [record.getMessage() for record in caplog.records] == [
        "/callback_then_block kept running past the execution limit of 0.5 s after calling back; "
        "its result was sent."
    ]


def test_a_function_named_like_a_standard_module_does_not_shadow_it(dispatcher: Dispatcher) -> None:
    assert call(dispatcher, "/colorsys").body == b'{"stdlib":true}'


def test_an_import_past_the_limit_is_a_logged_504_and_other_routes_keep_working(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        response = call(dispatcher, "/errors/slow_import")
    assert (response.status, response.body) == (
        504,
        b"Gateway Timeout: /errors/slow_import did not finish within the execution limit of 0.5 seconds.",
    )
    assert [record.getMessage() for record in caplog.records] == [
        "functions/errors/slow_import.py did not finish importing within the execution limit of 0.5 s; "
        "answered 504."
    ]
    assert call(dispatcher, "/loaded_late").body == b"loaded while another import was stuck"


def test_a_failed_handler_is_logged_with_its_traceback(
    dispatcher: Dispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        call(dispatcher, "/errors/raises")
        call(dispatcher, "/no_result")
    raised, no_result = (record.getMessage() for record in caplog.records)
    assert raised.startswith(
        "/errors/raises answered 500: ValueError: boom <b>&</b>\nTraceback (most recent call last):\n"
    )
    assert raised.endswith("ValueError: boom <b>&</b>\n")
    assert no_result == (
        "/no_result answered 500: NoResult: /no_result finished without a result: "
        "call callback(None, result) or return the result (return '' for an empty answer)."
    )
    assert [record.route for record in caplog.records] == ["/errors/raises", "/no_result"]  # type: ignore[attr-defined]


def test_runtime_get_sync_is_the_sync_service_of_the_account(project: Path) -> None:
    env = {"ACCOUNT_SID": "AC" + "0123456789abcdef" * 2, "AUTH_TOKEN": "0123456789abcdef0123456789abcdef"}
    dispatcher = make_dispatcher(project, env=env)
    try:
        response = call(dispatcher, "/sync_service")
    finally:
        dispatcher.close()
    assert json.loads(response.body) == [
        "<Twilio.Sync.V1.ServiceContext sid=default>",
        "<Twilio.Sync.V1.ServiceContext sid=IS0123>",
    ]


def test_runtime_get_sync_without_credentials_is_a_500_saying_what_is_missing(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/sync_service")
    body = json.loads(response.body)
    assert (response.status, body["name"]) == (500, "TwilioCredentialsError")
    assert body["message"].startswith("ACCOUNT_SID and AUTH_TOKEN are not set")


def test_a_function_file_may_use_runtime_while_it_is_imported(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    (tmp_path / "functions" / "listing.py").write_text(
        "from pyserverless import Runtime\n\nROUTES = sorted(Runtime.get_functions())\n\n\n"
        "def handler(context, event):\n    return ','.join(ROUTES)\n"
    )
    (tmp_path / "functions" / "other.py").write_text("def handler(context, event):\n    return 'other'\n")
    dispatcher = make_dispatcher(tmp_path)
    try:
        response = call(dispatcher, "/listing")
    finally:
        dispatcher.close()
    assert (response.status, response.body) == (200, b"listing,other")
