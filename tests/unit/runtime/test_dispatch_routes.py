"""Route lookup, visibility, traversal, OPTIONS/CORS and asset serving, through `Dispatcher.dispatch`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
from pyserverless.runtime.http_dates import format_http_date
from pyserverless.runtime.routes import Route, RouteTable
from tests.support.runtime_requests import call, copy_project, make_dispatcher, make_request

TEXT = "text/plain; charset=utf-8"
NOT_FOUND = (404, [("content-type", TEXT)], b"Not Found")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project("runtime-payloads", tmp_path_factory.mktemp("routes") / "project")
    (root / ".env").write_text("SECRET=do-not-serve\n")
    (root / "assets" / ".hidden.txt").write_text("hidden\n")
    outside = root.parent / "outside.txt"
    outside.write_text("outside the project\n")
    (root / "assets" / "link.txt").symlink_to(outside)
    return root


@pytest.fixture(scope="module")
def dispatcher(project: Path) -> Iterator[Dispatcher]:
    dispatcher = make_dispatcher(project, env={"AUTH_TOKEN": "12345678901234567890123456789012"})
    yield dispatcher
    dispatcher.close()


def status_headers_body(response: object) -> tuple[object, object, object]:
    return (response.status, response.headers, response.body)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/../.env",
        "/%2e%2e/.env",
        "/%2E%2E/%2Eenv",
        "/.env",
        "/assets/../.env",
        "/functions/text.py",
        "/text.py",
        "/TEXT",
        "/text/",
        "/_helpers",
        "/.hidden.txt",
        "/link.txt",
        "/message.private.txt",
        "/nowhere",
    ],
)
def test_anything_outside_the_route_table_is_404(dispatcher: Dispatcher, path: str) -> None:
    response = call(dispatcher, path)
    assert status_headers_body(response) == NOT_FOUND
    assert response.route is None


@pytest.mark.parametrize("path", ["/%zz", "/text%2", "/%", "/%ff%fe"])
def test_invalid_percent_encoding_is_400(dispatcher: Dispatcher, path: str) -> None:
    response = call(dispatcher, path)
    assert status_headers_body(response) == (
        400,
        [("content-type", TEXT)],
        b"Bad Request: the path has an invalid percent-encoding.",
    )


def test_percent_encoded_route_is_found(dispatcher: Dispatcher) -> None:
    assert call(dispatcher, "/%74ext").body == b"hello"


def test_private_function_and_asset_are_403(dispatcher: Dispatcher) -> None:
    function = call(dispatcher, "/secret")
    asset = call(dispatcher, "/message.txt")
    assert status_headers_body(function) == (
        403,
        [("content-type", TEXT)],
        b"Forbidden: /secret is marked as private. Call it from a function through Runtime.get_functions().",
    )
    assert status_headers_body(asset) == (
        403,
        [("content-type", TEXT)],
        b"Forbidden: /message.txt is marked as private. "
        b"Call it from a function through Runtime.get_assets().",
    )
    assert (function.route, asset.route) == ("/secret", "/message.txt")


def test_options_on_a_known_route_answers_cors_without_running_it(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/errors/raises", method="OPTIONS")
    assert status_headers_body(response) == (
        204,
        [
            ("access-control-allow-origin", "*"),
            (
                "access-control-allow-headers",
                "Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, "
                "If-Unmodified-Since, User-Agent",
            ),
            ("access-control-allow-methods", "GET, POST, OPTIONS"),
            ("access-control-expose-headers", "ETag"),
            ("access-control-max-age", "86400"),
            ("access-control-allow-credentials", "true"),
        ],
        b"",
    )
    assert status_headers_body(call(dispatcher, "/nowhere", method="OPTIONS")) == NOT_FOUND


def expected_asset_headers(file: Path, content_type: str) -> list[tuple[str, str]]:
    etag = '"' + hashlib.sha1(file.read_bytes()).hexdigest() + '"'
    modified = format_http_date(int(os.stat(file).st_mtime))
    return [
        ("content-type", content_type),
        ("accept-ranges", "bytes"),
        ("etag", etag),
        ("last-modified", modified),
    ]


def test_asset_has_content_type_etag_and_last_modified(dispatcher: Dispatcher, project: Path) -> None:
    response = call(dispatcher, "/style.css")
    assert status_headers_body(response) == (
        200,
        expected_asset_headers(project / "assets" / "style.css", "text/css; charset=utf-8"),
        b"body { color: red; }\n",
    )
    assert response.route == "/style.css"


def test_root_serves_index_html(dispatcher: Dispatcher, project: Path) -> None:
    response = call(dispatcher, "/")
    assert status_headers_body(response) == (
        200,
        expected_asset_headers(project / "assets" / "index.html", "text/html; charset=utf-8"),
        b"<h1>home</h1>\n",
    )
    assert response.route == "/index.html"


def test_if_none_match_gives_304(dispatcher: Dispatcher) -> None:
    etag = call(dispatcher, "/style.css").header("etag")
    assert etag is not None
    response = call(dispatcher, "/style.css", headers=[("if-none-match", f'"other", W/{etag}')])
    assert (response.status, response.body) == (304, b"")
    assert response.headers[0] == ("etag", etag)
    assert call(dispatcher, "/style.css", headers=[("if-none-match", '"other"')]).status == 200


def test_if_modified_since_gives_304(dispatcher: Dispatcher, project: Path) -> None:
    modified = format_http_date(int(os.stat(project / "assets" / "style.css").st_mtime))
    assert call(dispatcher, "/style.css", headers=[("if-modified-since", modified)]).status == 304
    assert call(dispatcher, "/style.css", headers=[("if-modified-since", "not a date")]).status == 200


def test_head_on_an_asset_sends_its_length_and_no_body(dispatcher: Dispatcher, project: Path) -> None:
    response = call(dispatcher, "/style.css", method="HEAD")
    assert status_headers_body(response) == (
        200,
        [
            *expected_asset_headers(project / "assets" / "style.css", "text/css; charset=utf-8"),
            ("content-length", "21"),
        ],
        b"",
    )


STYLE = b"body { color: red; }\n"  # 21 bytes


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [
        ("bytes=0-3", 0, 3),
        ("bytes=5-", 5, 20),
        ("bytes=-4", 17, 20),
        ("bytes=10-999", 10, 20),
        ("bytes=-99", 0, 20),
    ],
)
def test_a_range_of_an_asset_is_a_206_with_those_bytes(
    dispatcher: Dispatcher, project: Path, range_header: str, first: int, last: int
) -> None:
    response = call(dispatcher, "/style.css", headers=[("range", range_header)])
    assert status_headers_body(response) == (
        206,
        [
            *expected_asset_headers(project / "assets" / "style.css", "text/css; charset=utf-8"),
            ("content-range", f"bytes {first}-{last}/21"),
        ],
        STYLE[first : last + 1],
    )


def test_head_with_a_range_sends_the_range_length(dispatcher: Dispatcher) -> None:
    response = call(dispatcher, "/style.css", method="HEAD", headers=[("range", "bytes=0-3")])
    assert (response.status, response.header("content-range"), response.header("content-length")) == (
        206,
        "bytes 0-3/21",
        "4",
    )
    assert response.body == b""


@pytest.mark.parametrize("range_header", ["bytes=21-", "bytes=100-200", "bytes=-0"])
def test_a_range_past_the_end_is_a_416(dispatcher: Dispatcher, range_header: str) -> None:
    response = call(dispatcher, "/style.css", headers=[("range", range_header)])
    assert status_headers_body(response) == (
        416,
        [("content-type", TEXT), ("accept-ranges", "bytes"), ("content-range", "bytes */21")],
        b"Range Not Satisfiable: /style.css is 21 bytes long.",
    )


@pytest.mark.parametrize(
    "range_header", ["bytes=0-1,5-6", "bytes=abc", "bytes=4-2", "items=0-3", "bytes=-", "bytes=0-3x"]
)
def test_several_ranges_or_a_malformed_one_get_the_whole_asset(
    dispatcher: Dispatcher, range_header: str
) -> None:
    response = call(dispatcher, "/style.css", headers=[("range", range_header)])
    assert (response.status, response.header("content-range"), response.body) == (200, None, STYLE)


def test_if_range_serves_the_range_only_for_the_current_version(
    dispatcher: Dispatcher, project: Path
) -> None:
    etag = call(dispatcher, "/style.css").header("etag")
    assert etag is not None
    modified = format_http_date(int(os.stat(project / "assets" / "style.css").st_mtime))
    ranged = [("range", "bytes=0-3")]
    assert call(dispatcher, "/style.css", headers=[*ranged, ("if-range", etag)]).status == 206
    assert call(dispatcher, "/style.css", headers=[*ranged, ("if-range", modified)]).status == 206
    stale = call(dispatcher, "/style.css", headers=[*ranged, ("if-range", '"an-old-version"')])
    assert (stale.status, stale.body) == (200, STYLE)
    old_date = format_http_date(0)
    assert call(dispatcher, "/style.css", headers=[*ranged, ("if-range", old_date)]).status == 200


def test_a_changed_asset_is_read_again(tmp_path: Path) -> None:
    root = copy_project("runtime-payloads", tmp_path / "project")
    dispatcher = make_dispatcher(root)
    try:
        assert call(dispatcher, "/style.css").body == b"body { color: red; }\n"
        (root / "assets" / "style.css").write_text("body { color: blue; margin: 0; }\n")
        assert call(dispatcher, "/style.css").body == b"body { color: blue; margin: 0; }\n"
    finally:
        dispatcher.close()


def test_an_asset_swapped_for_a_link_out_of_the_project_is_404(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "assets").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    asset = root / "assets" / "page.txt"
    asset.symlink_to(outside)
    route = Route("/page.txt", "asset", "public", asset, "assets/page.txt")
    dispatcher = Dispatcher(RuntimeSettings(root=root, routes=RouteTable([route]), env={}, export_env=False))
    try:
        assert status_headers_body(call(dispatcher, "/page.txt")) == NOT_FOUND
    finally:
        dispatcher.close()


def test_a_deleted_asset_is_404(tmp_path: Path) -> None:
    root = copy_project("runtime-payloads", tmp_path / "project")
    dispatcher = make_dispatcher(root)
    try:
        (root / "assets" / "style.css").unlink()
        assert status_headers_body(call(dispatcher, "/style.css")) == NOT_FOUND
    finally:
        dispatcher.close()


def test_malformed_json_is_400_with_a_clear_body(dispatcher: Dispatcher) -> None:
    response = call(
        dispatcher,
        "/echo_event",
        method="POST",
        headers=[("content-type", "application/json")],
        body=b"{oops",
    )
    assert status_headers_body(response) == (
        400,
        [("content-type", TEXT)],
        b"Bad Request: the body is not valid JSON (Expecting property name enclosed in double quotes: "
        b"line 1 column 2 (char 1)).",
    )


def test_json_that_is_not_an_object_is_400(dispatcher: Dispatcher) -> None:
    response = call(
        dispatcher, "/echo_event", method="POST", headers=[("content-type", "application/json")], body=b"[1]"
    )
    assert (response.status, response.body) == (
        400,
        b"Bad Request: the JSON body must be an object of parameters, not list.",
    )


def test_concurrent_requests_are_answered_each_with_its_own_result(dispatcher: Dispatcher) -> None:
    async def many() -> list[bytes]:
        requests = [make_request(path) for path in ["/a/index", "/b/index", "/async_text", "/text"] * 5]
        responses = await asyncio.gather(*(dispatcher.dispatch(request) for request in requests))
        return [response.body for response in responses]

    assert asyncio.run(many()) == [b"index of a", b"index of b", b"async hello", b"hello"] * 5


def test_a_thousand_query_or_form_parameters_pass_and_one_more_is_refused(dispatcher: Dispatcher) -> None:
    thousand = "&".join(f"p{index}={index}" for index in range(1000))
    response = call(dispatcher, "/echo_event", query=thousand)
    assert (response.status, len(json.loads(response.body))) == (200, 1001)
    form = [("content-type", "application/x-www-form-urlencoded")]
    response = call(dispatcher, "/echo_event", method="POST", headers=form, body=thousand.encode())
    assert (response.status, len(json.loads(response.body))) == (200, 1001)
    too_many = thousand + "&p1000=1000"
    assert status_headers_body(call(dispatcher, "/echo_event", query=too_many)) == (
        400,
        [("content-type", TEXT)],
        b"Bad Request: the query holds more than 1,000 parameters.",
    )
    response = call(dispatcher, "/echo_event", method="POST", headers=form, body=too_many.encode())
    assert status_headers_body(response) == (
        413,
        [("content-type", TEXT)],
        b"Payload Too Large: the form body holds more than 1,000 parameters.",
    )


def test_an_asset_swapped_after_start_for_a_link_to_the_env_file_is_404(tmp_path: Path) -> None:
    root = copy_project("runtime-payloads", tmp_path / "project")
    (root / ".env").write_text("SECRET=do-not-serve\n")
    dispatcher = make_dispatcher(root)
    try:
        assert call(dispatcher, "/style.css").status == 200
        (root / "assets" / "style.css").unlink()
        (root / "assets" / "style.css").symlink_to(root / ".env")
        assert status_headers_body(call(dispatcher, "/style.css")) == NOT_FOUND
        (root / "assets" / "style.css").unlink()
        (root / "assets" / "style.css").symlink_to(root / "assets" / "index.html")
        assert call(dispatcher, "/style.css").status == 200  # a link inside assets/ is served, as scanned
    finally:
        dispatcher.close()
