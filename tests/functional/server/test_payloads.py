"""`pyserverless start` on the server-payloads fixture: every payload and error row of the runtime contract,
bad input, body limits and the terminal log, through a real server and a real HTTP client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.raw_http import raw_request
from tests.support.server_process import StartedServer, copy_project

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    project = copy_project("server-payloads", tmp_path_factory.mktemp("payloads"))
    with StartedServer(project, "--timeout", "1") as started:
        yield started


@pytest.fixture
def client(server: StartedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=20) as http:
        yield http


def assert_still_serving(client: httpx.Client) -> None:
    response = client.get("/text")
    assert (response.status_code, response.text) == (200, "hello")


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/text", "text/plain; charset=utf-8", b"hello"),
        ("/returned", "text/plain; charset=utf-8", b"returned"),
        ("/async-text", "text/plain; charset=utf-8", b"async hello"),
        ("/json-dict", "application/json; charset=utf-8", '{"greeting":"héllo","numbers":[1,2]}'.encode()),
        ("/json-list", "application/json; charset=utf-8", b'[1,"two",null]'),
        ("/json-bool", "application/json; charset=utf-8", b"true"),
        ("/json-number", "application/json; charset=utf-8", b"42.5"),
        (
            "/twiml",
            "text/xml; charset=utf-8",
            b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi &lt;there&gt; &amp; welcome'
            b"</Message></Response>",
        ),
        ("/binary", "application/octet-stream", bytes(range(256))),
        ("/nothing", None, b""),
    ],
)
def test_each_payload_type_is_answered_as_twilio_does(
    client: httpx.Client, path: str, content_type: str | None, body: bytes
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.get("content-type") == content_type
    assert response.headers["content-length"] == str(len(body))
    assert response.content == body


def test_a_built_response_keeps_its_status_and_headers(client: httpx.Client) -> None:
    response = client.get("/built")
    assert response.status_code == 201
    assert response.headers["x-custom"] == "yes"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>made</p>"
    response = client.get("/built-json")
    assert (response.status_code, response.headers["content-type"]) == (
        202,
        "application/json; charset=utf-8",
    )
    assert response.json() == {"ok": True}


def test_callback_error_is_a_500_in_json_for_clients_and_the_server_keeps_serving(
    client: httpx.Client,
) -> None:
    response = client.get("/error-callback")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    error = response.json()
    assert (error["name"], error["message"]) == ("ValueError", "bad <value> & more")
    assert_still_serving(client)


def test_an_exception_is_an_escaped_html_page_for_browsers(client: httpx.Client) -> None:
    response = client.get("/error-raise", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>RuntimeError: kaboom &lt;b&gt;</h1>" in response.text
    assert "kaboom <b>" not in response.text
    assert "raise RuntimeError(&quot;kaboom &lt;b&gt;&quot;)" in response.text
    assert_still_serving(client)


def test_the_first_callback_wins_and_the_second_is_logged(
    client: httpx.Client, server: StartedServer
) -> None:
    response = client.get("/double-callback")
    assert (response.status_code, response.text) == (200, "first")
    server.wait_for_output(
        "[/double-callback] /double-callback called callback more than once; the first result was sent, "
        "later ones are ignored."
    )
    assert_still_serving(client)


def test_no_result_is_a_500_that_says_so(client: httpx.Client) -> None:
    response = client.get("/no-result")
    assert response.status_code == 500
    assert response.json()["message"] == (
        "/no-result finished without a result: call callback(None, result) or return the result "
        "(return '' for an empty answer)."
    )
    assert_still_serving(client)


def test_past_the_execution_limit_is_a_504_and_logged(client: httpx.Client, server: StartedServer) -> None:
    response = client.get("/slow")
    assert response.status_code == 504
    assert response.text == ("Gateway Timeout: /slow did not finish within the execution limit of 1 seconds.")
    server.wait_for_output("/slow did not finish within the execution limit of 1 s; answered 504.")
    assert_still_serving(client)


def test_a_function_that_fails_to_import_breaks_only_its_route(
    client: httpx.Client, server: StartedServer
) -> None:
    response = client.get("/broken-import")
    assert response.status_code == 500
    error = response.json()
    assert error["name"] == "ImportError"
    assert error["message"] == "functions/broken-import.py failed to import: this module cannot load"
    assert 'raise ImportError("this module cannot load")' in error["stack"]
    server.wait_for_output(
        "functions/broken-import.py failed to import; its route answers 500 until it is fixed."
    )
    assert_still_serving(client)


def test_handler_print_and_logging_reach_the_terminal_tagged_with_the_route(
    client: httpx.Client, server: StartedServer
) -> None:
    assert client.get("/printer").text == "printed"
    output = server.wait_for_output("[/printer] logged by the handler")
    assert "[/printer] printed by the handler\n" in output


def test_each_request_is_one_log_line_with_status_method_path_duration_and_type(
    client: httpx.Client, server: StartedServer
) -> None:
    client.get("/json-list?x=1")
    output = server.wait_for_output(" 200 GET /json-list ")
    line = next(line for line in output.splitlines() if " 200 GET /json-list " in line)
    clock, status, method, path, duration, unit, content_type = line.split(" ", 6)
    assert (status, method, path, unit, content_type) == (
        "200",
        "GET",
        "/json-list",
        "ms",
        "application/json; charset=utf-8",
    )
    assert len(clock) == 8 and float(duration) >= 0


def test_a_response_over_6_mb_is_sent_with_a_warning(client: httpx.Client, server: StartedServer) -> None:
    response = client.get("/big-response")
    assert response.status_code == 200
    assert len(response.content) == 7 * MB
    server.wait_for_output(
        "/big-response answered 7.0 MB: deployed on AWS Lambda this response would fail (the limit is 6 MB)."
    )


def test_a_7_mb_request_body_is_413_and_6_mb_passes(client: httpx.Client) -> None:
    response = client.post("/size", content=b"data=" + b"x" * (7 * MB), headers=FORM)
    assert response.status_code == 413
    assert response.text == "Request body too large: the limit is 6 MB, as on AWS Lambda.\n"
    assert_still_serving(client)
    response = client.post("/size", content=b"data=" + b"x" * (6 * MB - 5), headers=FORM)
    assert (response.status_code, response.json()) == (200, {"size": 6 * MB - 5})


def test_a_chunked_body_over_the_limit_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"data="
        for _ in range(7):
            yield b"x" * MB

    response = client.post("/size", content=chunks(), headers=FORM)
    assert response.status_code == 413
    assert_still_serving(client)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_malformed_json_is_a_400_with_a_clear_body(client: httpx.Client) -> None:
    response = client.post("/echo", content=b'{"Body": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert (
        response.text
        == "Bad Request: the body is not valid JSON (Expecting value: line 1 column 10 (char 9))."
    )
    response = client.post("/echo", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.text == "Bad Request: the JSON body must be an object of parameters, not list."
    assert_still_serving(client)


@pytest.mark.parametrize("target", ["/te%zzxt", "/text%", "/%ff%fe"])
def test_invalid_percent_encoding_in_the_path_is_a_400(server: StartedServer, target: str) -> None:
    status, _, body = raw_request(server.port, "GET", target)
    assert (status, body) == (400, b"Bad Request: the path has an invalid percent-encoding.")


def test_a_percent_encoded_path_reaches_its_route(client: httpx.Client, server: StartedServer) -> None:
    status, _, body = raw_request(server.port, "GET", "/%74ext")
    assert (status, body) == (200, b"hello")


def test_the_event_merges_query_and_body_and_sees_cookies(
    client: httpx.Client, server: StartedServer
) -> None:
    response = client.post(
        "/echo?From=%2B15550001111&Body=query&Tag=a",
        content=b"Body=body+wins&Tag=b&Tag=c",
        headers={**FORM, "Cookie": "count=3; name=%22quoted%22", "X-Forwarded-For": "10.0.0.1"},
    )
    assert response.status_code == 200
    answer = response.json()
    event = answer["event"]
    assert event["From"] == "+15550001111"
    assert event["Body"] == "body wins"
    assert event["Tag"] == ["b", "c"]
    assert event["request"]["cookies"] == {"count": "3", "name": '"quoted"'}
    assert "x-forwarded-for" not in event["request"]["headers"]
    assert event["request"]["headers"]["cookie"] == "count=3; name=%22quoted%22"
    assert answer["path"] == "/echo"
    assert answer["domain"] == f"127.0.0.1:{server.port}"


def test_domain_name_is_never_a_forwarded_host(client: httpx.Client, server: StartedServer) -> None:
    response = client.get(
        "/echo", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app"}
    )
    assert response.json()["domain"] == f"127.0.0.1:{server.port}"


def test_options_is_cors_without_running_the_function(client: httpx.Client, server: StartedServer) -> None:
    response = client.options("/printer")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert "content-length" not in response.headers
    assert response.content == b""


def test_head_answers_the_length_without_a_body(client: httpx.Client) -> None:
    response = client.head("/text")
    assert response.status_code == 200
    assert response.headers["content-length"] == "5"
    assert response.content == b""


def test_an_unknown_route_is_404_and_routes_are_case_sensitive(client: httpx.Client) -> None:
    assert client.get("/nope").status_code == 404
    assert client.get("/TEXT").status_code == 404
    assert client.get("/text/").status_code == 404


def test_set_cookie_lines_are_exactly_twilios(client: httpx.Client) -> None:
    response = client.get("/cookies")
    assert response.headers.get_list("set-cookie") == [
        "count=1;Max-Age=1800",
        "flavour=oatmeal;Path=/;HttpOnly",
        "old=;Max-Age=0",
        "gone=;Max-Age=0",
    ]


def test_a_cookie_with_a_line_break_is_a_500_naming_it_and_injects_nothing(server: StartedServer) -> None:
    status, headers, body = raw_request(server.port, "GET", "/bad-cookie")
    assert status == 500
    assert "x-injected" not in dict(headers)
    error = json.loads(body)
    assert error["name"] == "ValueError"
    assert error["message"] == (
        "invalid value 'abc\\r\\nX-Injected: yes' for cookie 'session': it contains ';', a line break or a "
        "control character"
    )


def test_a_header_http_cannot_carry_is_a_500_naming_it(client: httpx.Client, server: StartedServer) -> None:
    response = client.get("/euro-header")
    assert response.status_code == 500
    assert response.text == "the header 'x-price' holds characters HTTP headers cannot carry\n"
    server.wait_for_output("/euro-header: the header 'x-price' holds characters HTTP headers cannot carry")
    assert_still_serving(client)


def test_project_files_are_never_served(server: StartedServer) -> None:
    for target in ("/.env", "/../.env", "/%2e%2e/.env", "/functions/text.py", "/reserved.env"):
        status, _, body = raw_request(server.port, "GET", target)
        assert (target, status, body) == (target, 404, b"Not Found")


def test_the_project_env_reaches_os_environ_of_the_worker(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    (project / "functions" / "environ.py").write_text(
        "import os\n\n\ndef handler(context, event):\n"
        "    return [os.environ.get('GREETING'), context.GREETING]\n"
    )
    with StartedServer(project) as started:
        assert httpx.get(started.url("/environ"), timeout=10).json() == ["from env", "from env"]
