"""`lambda_entry.handler` called with real Function URL (payload 2.0) events, in-process.

The task root is laid out as the deploy package lays it out (`project/` + the manifest) and found through
LAMBDA_TASK_ROOT, as on Lambda.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyserverless.project.folder import scan_routes
from pyserverless.runtime import lambda_entry
from pyserverless.runtime.manifest import MANIFEST_NAME, PROJECT_DIR, manifest_bytes
from tests.support.function_url_events import DOMAIN, function_url_event

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "projects" / "lambda-entry"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def handler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    task_root = tmp_path_factory.mktemp("task")
    project = task_root / PROJECT_DIR
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("__pycache__"))
    (project / MANIFEST_NAME).write_bytes(manifest_bytes(scan_routes(project)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAMBDA_TASK_ROOT", str(task_root))
        patch.setenv("PYSERVERLESS_ENV_KEYS", "AUTH_TOKEN,GREETING")
        patch.setenv("PYSERVERLESS_TIMEOUT", "5")
        patch.setenv("AUTH_TOKEN", AUTH_TOKEN)
        patch.setenv("GREETING", "ahoy")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "lambda-own-credentials")
        lambda_entry.process_dispatcher.cache_clear()
        yield lambda_entry.handler
        lambda_entry.process_dispatcher.cache_clear()


def body_json(result: dict[str, Any]) -> Any:
    assert result["isBase64Encoded"] is False
    return json.loads(result["body"])


def test_form_post_with_repeated_query_keys(handler: Any) -> None:
    event = function_url_event(
        "POST", "/echo", query="tag=a&tag=b&only=1", form=[("Body", "hello there"), ("From", "+15551234567")]
    )
    result = handler(event, None)
    assert result["statusCode"] == 200
    assert result["headers"]["content-type"] == "application/json; charset=utf-8"
    payload = body_json(result)
    assert payload["path"] == "/echo"
    assert payload["domain"] == DOMAIN
    event_seen = payload["event"]
    assert event_seen["tag"] == ["a", "b"]
    assert event_seen["only"] == "1"
    assert event_seen["Body"] == "hello there"
    assert event_seen["From"] == "+15551234567"
    assert "x-forwarded-for" not in event_seen["request"]["headers"]
    assert event_seen["request"]["headers"]["user-agent"] == "TwilioProxy/1.1"


def test_json_body(handler: Any) -> None:
    result = handler(function_url_event("POST", "/echo", json_body='{"Body": "json", "n": 2}'), None)
    assert result["statusCode"] == 200
    event_seen = body_json(result)["event"]
    assert event_seen["Body"] == "json"
    assert event_seen["n"] == 2


def test_base64_body_is_decoded(handler: Any) -> None:
    event = function_url_event("POST", "/echo", form=[("Body", "ünïcode ✓")])
    assert event["isBase64Encoded"] is True
    assert body_json(handler(event, None))["event"]["Body"] == "ünïcode ✓"


def test_cookies_list_in_and_set_cookie_list_out(handler: Any) -> None:
    result = handler(function_url_event("GET", "/cookies", cookies=["count=3", "theme=dark"]), None)
    assert result["statusCode"] == 200
    assert body_json(result) == {"cookies": {"count": "3", "theme": "dark"}}
    assert result["cookies"] == ["count=1;Max-Age=1800", "flavour=mint"]
    assert "set-cookie" not in result["headers"]
    assert result["headers"]["x-seen"] == "a, b"


def test_protected_with_signature_over_the_function_url(handler: Any) -> None:
    form = [("Body", "signed"), ("From", "+15551234567")]
    event = function_url_event("POST", "/sms/reply", query="x=1", form=form, signed_with=AUTH_TOKEN)
    result = handler(event, None)
    assert result["statusCode"] == 200
    assert result["headers"]["content-type"] == "text/xml; charset=utf-8"
    assert result["body"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: signed</Message></Response>'
    )


def test_protected_without_or_with_a_wrong_signature_is_401(handler: Any) -> None:
    form = [("Body", "unsigned")]
    assert handler(function_url_event("POST", "/sms/reply", form=form), None)["statusCode"] == 401
    wrong = function_url_event("POST", "/sms/reply", form=form, signed_with="f" * 32)
    assert handler(wrong, None)["statusCode"] == 401
    other_host = function_url_event("POST", "/sms/reply", form=form, signed_with=AUTH_TOKEN, domain="x.test")
    other_host["requestContext"]["domainName"] = DOMAIN
    assert handler(other_host, None)["statusCode"] == 401


def test_private_function_is_403(handler: Any) -> None:
    result = handler(function_url_event("GET", "/secret"), None)
    assert result["statusCode"] == 403
    assert "marked as private" in result["body"]


def test_binary_asset_is_base64(handler: Any) -> None:
    result = handler(function_url_event("GET", "/pixel.png"), None)
    assert result["statusCode"] == 200
    assert result["headers"]["content-type"] == "image/png"
    assert result["isBase64Encoded"] is True
    assert base64.b64decode(result["body"]) == (FIXTURE / "assets" / "pixel.png").read_bytes()


def test_root_serves_index_html_as_text(handler: Any) -> None:
    result = handler(function_url_event("GET", "/"), None)
    assert result["statusCode"] == 200
    assert result["isBase64Encoded"] is False
    assert result["body"] == (FIXTURE / "assets" / "index.html").read_text()


def test_unknown_route_is_404(handler: Any) -> None:
    assert handler(function_url_event("GET", "/nope"), None)["statusCode"] == 404


def test_bracketed_query_keys_nest_deployed_too(handler: Any) -> None:
    event_seen = body_json(handler(function_url_event("GET", "/echo", query="b[c]=3&arr[]=1&arr[]=2"), None))
    assert (event_seen["event"]["b"], event_seen["event"]["arr"]) == ({"c": "3"}, ["1", "2"])


def test_a_range_of_an_asset_is_a_206_deployed_too(handler: Any) -> None:
    result = handler(function_url_event("GET", "/pixel.png", headers={"range": "bytes=0-3"}), None)
    size = (FIXTURE / "assets" / "pixel.png").stat().st_size
    assert (result["statusCode"], result["headers"]["content-range"], result["headers"]["accept-ranges"]) == (
        206,
        f"bytes 0-3/{size}",
        "bytes",
    )
    assert base64.b64decode(result["body"]) == (FIXTURE / "assets" / "pixel.png").read_bytes()[:4]


def test_a_callback_after_the_handler_returned_is_waited_for_deployed_too(handler: Any) -> None:
    result = handler(function_url_event("GET", "/later"), None)
    assert (result["statusCode"], result["body"]) == (200, "called back later")


def test_context_sees_only_the_project_variables(handler: Any) -> None:
    result = handler(function_url_event("GET", "/env"), None)
    assert body_json(result) == {"greeting": "ahoy", "aws_secret_visible": False}


def test_a_failure_answers_only_its_request_id_and_logs_the_details(
    handler: Any, caplog: pytest.LogCaptureFixture
) -> None:
    invocation = type("LambdaContext", (), {"aws_request_id": "8f5e1c2a-0000-4000-8000-000000000002"})()
    with caplog.at_level(logging.ERROR, logger="pyserverless.runtime"):
        result = handler(
            function_url_event("GET", "/fail", headers={"accept": "application/json"}), invocation
        )
    assert result["statusCode"] == 500
    assert body_json(result) == {
        "message": "Internal Server Error: the function failed; its log has the details.",
        "name": "InternalServerError",
        "request_id": "8f5e1c2a-0000-4000-8000-000000000002",
    }
    [record] = [record for record in caplog.records if record.name == "pyserverless.runtime"]
    assert record.getMessage().startswith("/fail answered 500: RuntimeError: the handler broke\n")
    assert "fail.py" in record.getMessage()

    page = handler(function_url_event("GET", "/fail", headers={"accept": "text/html"}), invocation)
    assert (page["statusCode"], page["headers"]["content-type"]) == (500, "text/html; charset=utf-8")
    assert page["body"] == (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>500 Internal Server Error</title></head>'
        "<body><h1>Internal Server Error</h1><p>The function failed; its log has the details "
        "(request id 8f5e1c2a-0000-4000-8000-000000000002).</p></body></html>\n"
    )
    assert "the handler broke" not in page["body"]


def test_one_json_line_per_request_is_logged(handler: Any) -> None:
    records: list[logging.LogRecord] = []
    collector = logging.Handler()
    collector.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("pyserverless.request")
    logger.addHandler(collector)
    try:
        invocation = type("LambdaContext", (), {"aws_request_id": "8f5e1c2a-0000-4000-8000-000000000001"})()
        handler(function_url_event("GET", "/secret", query="a=1"), invocation)
    finally:
        logger.removeHandler(collector)
    [line] = [json.loads(record.getMessage()) for record in records]
    assert line.pop("duration_ms") >= 0
    assert line == {
        "pyserverless": "request",
        "request_id": "8f5e1c2a-0000-4000-8000-000000000001",
        "method": "GET",
        "path": "/secret",
        "route": "/secret",
        "status": 403,
    }


def test_a_response_over_lambdas_limit_is_a_logged_500(handler: Any) -> None:
    records: list[logging.LogRecord] = []
    collector = logging.Handler()
    collector.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("pyserverless.runtime")
    logger.addHandler(collector)
    try:
        result = handler(function_url_event("GET", "/huge"), None)
    finally:
        logger.removeHandler(collector)
    assert result["statusCode"] == 500
    assert result["body"] == "Internal Server Error: the response is larger than AWS Lambda's 6 MB limit.\n"
    assert [record.getMessage() for record in records] == [
        "/huge answered 7.0 MB (text): more than AWS Lambda can return (6 MB); the caller gets a 500."
    ]


def test_an_empty_or_wrong_body_sha256_is_401(handler: Any) -> None:
    body = '{"Body": "json"}'
    for query in ("bodySHA256=", "bodySHA256=" + hashlib.sha256(b"other").hexdigest()):
        event = function_url_event("POST", "/sms/reply", query=query, json_body=body, signed_with=AUTH_TOKEN)
        assert handler(event, None)["statusCode"] == 401


def test_more_than_a_thousand_form_parameters_is_a_413_on_lambda_too(handler: Any) -> None:
    form = [(f"p{index}", "v") for index in range(1001)]
    result = handler(function_url_event("POST", "/sms/reply", form=form, signed_with=AUTH_TOKEN), None)
    assert (result["statusCode"], result["body"]) == (
        413,
        "Payload Too Large: the form body holds more than 1,000 parameters.",
    )
