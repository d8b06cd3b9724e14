"""`pyserverless start` on the server-visibility fixture: protected routes need Twilio's signature (form POST,
GET query, JSON with bodySHA256; a client's X-Forwarded-* headers change nothing), private routes are 403, and
nothing outside the route table (dotfiles, `..`, links out of the project) is ever served."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.support.raw_http import raw_request
from tests.support.server_process import StartedServer, copy_project

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
UNAUTHORIZED = "Unauthorized: this route is protected and needs a valid X-Twilio-Signature."
FORM = "application/x-www-form-urlencoded"
validator = RequestValidator(AUTH_TOKEN)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedServer]:
    folder = tmp_path_factory.mktemp("visibility")
    project = copy_project("server-visibility", folder)
    (folder / "outside.txt").write_text("outside the project\n")
    os.symlink(folder / "outside.txt", project / "assets" / "leak.txt")
    os.symlink("../secret.txt", project / "assets" / "inside-link.txt")
    with StartedServer(project) as started:
        yield started


@pytest.fixture
def client(server: StartedServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=20) as http:
        yield http


class FormParameters(dict[str, list[str]]):
    """Repeated form keys as twilio's validator reads them (through `getall`, like a Flask MultiDict)."""

    def getall(self, name: str) -> list[str]:
        return self[name]


def signed(url: str, params: dict[str, str | list[str]] | None = None) -> dict[str, str]:
    lists = FormParameters(
        {key: value if isinstance(value, list) else [value] for key, value in (params or {}).items()}
    )
    return {"X-Twilio-Signature": validator.compute_signature(url, lists)}


def test_form_post_needs_a_valid_signature(client: httpx.Client, server: StartedServer) -> None:
    params = {"From": "+15550001111", "Body": "hi", "Tag": ["a", "b"]}
    body = urlencode(params, doseq=True)
    url = server.url("/sms/reply")
    headers = {"Content-Type": FORM}
    unsigned = client.post("/sms/reply", content=body, headers=headers)
    assert (unsigned.status_code, unsigned.text) == (401, UNAUTHORIZED)
    wrong = client.post("/sms/reply", content=body, headers={**headers, **signed(url, {"Body": "other"})})
    assert (wrong.status_code, wrong.text) == (401, UNAUTHORIZED)
    right = client.post("/sms/reply", content=body, headers={**headers, **signed(url, params)})
    assert right.status_code == 200
    assert right.json()["params"] == {"From": "+15550001111", "Body": "hi", "Tag": ["a", "b"]}
    server.wait_for_output(
        f"401 for protected /sms/reply: X-Twilio-Signature does not match (URL checked: {url})."
    )
    server.wait_for_output(
        f"401 for protected /sms/reply: the request has no X-Twilio-Signature header (URL checked: {url})."
    )


def test_get_with_a_query_is_signed_over_the_full_url(client: httpx.Client, server: StartedServer) -> None:
    path = "/sms/reply?From=%2B15550001111&Body=hello+there"
    url = server.url(path)
    assert client.get(path).status_code == 401
    assert client.get(path, headers=signed(server.url("/sms/reply"))).status_code == 401
    response = client.get(path, headers=signed(url))
    assert response.status_code == 200
    assert response.json()["params"] == {"From": "+15550001111", "Body": "hello there"}


def test_json_is_signed_with_body_sha256(client: httpx.Client, server: StartedServer) -> None:
    body = json.dumps({"From": "+15550001111", "Body": "json"}).encode()
    digest = hashlib.sha256(body).hexdigest()
    path = f"/sms/reply?bodySHA256={digest}"
    headers = {"Content-Type": "application/json"}
    assert client.post(path, content=body, headers=headers).status_code == 401
    tampered = body.replace(b"json", b"JSON")
    response = client.post(path, content=tampered, headers={**headers, **signed(server.url(path))})
    assert response.status_code == 401
    response = client.post(path, content=body, headers={**headers, **signed(server.url(path))})
    assert response.status_code == 200
    assert response.json()["params"] == {"bodySHA256": digest, "From": "+15550001111", "Body": "json"}


def test_forwarded_headers_never_change_the_url_checked(client: httpx.Client, server: StartedServer) -> None:
    params = {"From": "+15550001111", "Body": "via a spoofed proxy"}
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "abc.ngrok.app", "Content-Type": FORM}
    public = "https://abc.ngrok.app/sms/reply"
    response = client.post("/sms/reply", data=params, headers={**forwarded, **signed(public, params)})
    assert response.status_code == 401
    server.wait_for_output(f"(URL checked: {server.url('/sms/reply')}).")
    local_signature = signed(server.url("/sms/reply"), params)
    response = client.post("/sms/reply", data=params, headers={**forwarded, **local_signature})
    assert response.status_code == 200
    assert response.json() == {"params": params, "domain": f"127.0.0.1:{server.port}"}


def test_private_function_and_asset_are_403(client: httpx.Client) -> None:
    function = client.get("/helper")
    assert (function.status_code, function.text) == (
        403,
        "Forbidden: /helper is marked as private. Call it from a function through Runtime.get_functions().",
    )
    asset = client.get("/message.txt")
    assert (asset.status_code, asset.text) == (
        403,
        "Forbidden: /message.txt is marked as private. Call it from a function through Runtime.get_assets().",
    )
    assert client.get("/reads-private").text == "top secret message\n"


def test_assets_and_the_index(client: httpx.Client) -> None:
    response = client.get("/public.txt")
    assert (response.status_code, response.text) == (200, "public text\n")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "etag" in response.headers
    again = client.get("/public.txt", headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")
    assert "content-length" not in again.headers
    index = client.get("/")
    assert (index.status_code, index.text) == (200, "<h1>home</h1>\n")


@pytest.mark.parametrize(
    "target",
    [
        "/.env",
        "/../.env",
        "/%2e%2e/.env",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/assets/../.env",
        "/secret.txt",
        "/../secret.txt",
        "/leak.txt",
        "/inside-link.txt",
        "/assets/public.txt",
        "/functions/helper.private.py",
        "//etc/passwd",
    ],
)
def test_nothing_outside_the_route_table_is_served(server: StartedServer, target: str) -> None:
    status, _, body = raw_request(server.port, "GET", target)
    assert (status, body) == (404, b"Not Found")
