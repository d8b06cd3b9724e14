"""The simulator's HTTP transport: the request exactly as built, the answer exactly as sent, with the standard
library only."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pyserverless.errors import UserError
from pyserverless.simulate.transport import HttpTransport, OutgoingRequest

seen: list[tuple[str, str, list[tuple[str, str]], bytes]] = []


class Answering(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        seen.append((self.command, self.path, list(self.headers.items()), body))
        self.send_response(302)
        self.send_header("Location", "/elsewhere")
        self.send_header("Set-Cookie", "count=1;Max-Age=1800")
        self.send_header("Set-Cookie", "step=2")
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"moved")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    seen.clear()


def test_the_request_goes_as_built_and_every_answer_header_comes_back_without_following_redirects(
    server_url: str,
) -> None:
    request = OutgoingRequest(
        "POST",
        f"{server_url}/sms/reply?x=1",
        [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "count=0")],
        b"Body=hi",
    )
    answer = HttpTransport().send(request)
    assert answer.status == 302
    assert answer.body == b"moved"
    assert [(name, value) for name, value in answer.headers if name == "set-cookie"] == [
        ("set-cookie", "count=1;Max-Age=1800"),
        ("set-cookie", "step=2"),
    ]
    assert ("location", "/elsewhere") in answer.headers
    [(method, path, headers, body)] = seen
    assert (method, path, body) == ("POST", "/sms/reply?x=1", b"Body=hi")
    assert headers == [
        ("Host", server_url.removeprefix("http://")),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Cookie", "count=0"),
        ("Content-Length", "7"),
    ]


def test_nothing_listening_is_a_user_error_saying_how_to_start_the_server() -> None:
    with pytest.raises(UserError) as raised:
        HttpTransport().send(OutgoingRequest("POST", "http://127.0.0.1:9/sms", [], b""))
    assert raised.value.message.startswith("Cannot reach http://127.0.0.1:9/sms: ")
    assert raised.value.hint == (
        "Start the dev server with `pyserverless start`, check --url, or leave --url out to run the project "
        "in-process."
    )


def test_the_simulator_and_the_cli_import_neither_httpx_nor_pydantic() -> None:
    script = (
        "import sys\n"
        "from pyserverless.cli.main import main\n"
        "import pyserverless.simulate.transport, pyserverless.simulate.simulator\n"
        "sys.argv = ['pyserverless', 'sms', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(loaded & {'httpx', 'pydantic', 'pydantic_core'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
