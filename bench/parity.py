"""Differential test: the same requests to Twilio's dev server and to `pyserverless start`, answers compared.

Run through `bench/parity`, which installs twilio-run 5 and @twilio/runtime-handler 2.1 first (the versions
`twilio serverless:init` pins). Both mirror projects (bench/parity-projects/node and .../python, one handler
per behaviour) are copied to a temporary folder and served on free ports: `twilio-run start --no-fork-process`
(with @twilio/runtime-handler 2.1 as the project's dependency, so its dev server answers) and
`pyserverless start --no-reload --timeout 3`. Each probe is sent to both with http.client (exact headers,
repeated ones kept); what a probe compares is its status, its Content-Type (charset names compared without
case, as HTTP defines them), the headers it names and its body (bytes, parsed JSON, some JSON fields, or
nothing for error pages whose wording differs on purpose). A probe that differs on purpose names the row of
the parity table in docs/runtime.md that says why. Prints one line per probe, SAME, DIFF (expected: a
deliberate difference) or DIFF (unexpected), and the counts; exits 1 when a difference is unexpected.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from twilio.request_validator import RequestValidator

BENCH = Path(__file__).resolve().parent
PROJECTS = BENCH / "parity-projects"
NODE_MODULES = BENCH / ".cache" / "node_modules"
TWILIO_RUN = NODE_MODULES / ".bin" / "twilio-run"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"  # the mirror projects' .env (a made-up token)
PYSERVERLESS_TIMEOUT = 3
FORM = ("Content-Type", "application/x-www-form-urlencoded")
JSON_TYPE = ("Content-Type", "application/json")
NO_ANSWER = "no answer"
ERROR_ANSWERS = "The runtime's own error answers (400, 401, 403, 404, 416)"


@dataclass(frozen=True)
class Probe:
    """One request, and what of its answers is compared.

    `body` is how the bodies are compared: "bytes", "json", "fields:a,b" (those JSON fields) or "none".
    `deliberate` names the parity-table row when the two answers differ on purpose.
    """

    name: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    data: bytes = b""
    body: str = "bytes"
    compared_headers: tuple[str, ...] = ()
    deliberate: str | None = None
    signed: bool = False
    timeout: float = 10


@dataclass
class Answer:
    status: int | str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def form(**values: str) -> tuple[tuple[tuple[str, str], ...], bytes]:
    """The headers and body of a form-encoded request."""
    return (FORM,), urlencode(values).encode()


PROBES = [
    Probe("str result", "GET", "/text"),
    Probe("dict result", "GET", "/json-object", body="json"),
    Probe("list result", "GET", "/json-list", body="json"),
    Probe("bool result", "GET", "/json-bool", body="json"),
    Probe("TwiML result", "GET", "/twiml"),
    Probe("no result (callback(None))", "GET", "/empty"),
    Probe("Response: str body, no type", "GET", "/response-html"),
    Probe(
        "Response: text/xml set by hand, cookie",
        "GET",
        "/response-xml-by-hand",
        compared_headers=("set-cookie",),
    ),
    Probe("Response: another charset named", "GET", "/response-latin1"),
    Probe("Response: dict body, status 201", "GET", "/response-json", body="json"),
    Probe("Response: status as numeric text", "GET", "/response-status-text?status=201"),
    Probe(
        "Response: headers, set/remove cookie",
        "GET",
        "/response-cookies",
        compared_headers=("x-custom", "set-cookie"),
    ),
    Probe(
        "Response: bytes body labelled text/plain",
        "GET",
        "/response-bytes",
        deliberate="A bytes body labelled with a text type and no charset",
    ),
    Probe("Response: set_headers", "GET", "/response-set-headers", compared_headers=("x-a",)),
    Probe("event: query, repeated key, UTF-8", "GET", "/event?a=1&a=2&b=x&name=%C3%A9&empty=", body="json"),
    Probe(
        "event: bracketed query keys",
        "GET",
        "/event?b[c]=3&arr[]=1&arr[]=2&deep[a][b]=c&i[1]=y&i[0]=x",
        body="json",
    ),
    Probe("event: form body", "POST", "/event", *form(Body="hi", From="+15550001111"), body="json"),
    Probe("event: form body, repeated key", "POST", "/event", (FORM,), b"x=1&x=2&y=", body="json"),
    Probe(
        "event: form body, bracketed keys",
        "POST",
        "/event",
        (FORM,),
        b"f[c]=4&list[]=1&list[]=2",
        body="json",
    ),
    Probe(
        "event: form body wins over query",
        "POST",
        "/event?Body=query&Only=q",
        (FORM,),
        b"Body=form",
        body="json",
    ),
    Probe(
        "event: JSON object body",
        "POST",
        "/event",
        (JSON_TYPE,),
        b'{"a":{"b":1},"n":2,"l":[1,2]}',
        body="json",
    ),
    Probe("event: PUT with a JSON body", "PUT", "/event?q=1", (JSON_TYPE,), b'{"put":true}', body="json"),
    Probe("event: DELETE with a query", "DELETE", "/event?x=1", body="json"),
    Probe(
        "event: a parameter named request",
        "GET",
        "/event?request=mine&other=1",
        body="json",
        deliberate="A parameter named `request`",
    ),
    Probe(
        "event: JSON body that is not an object",
        "POST",
        "/event",
        (JSON_TYPE,),
        b"[1,2]",
        body="none",
        deliberate="A JSON body that is not an object (`[1,2]`)",
    ),
    Probe(
        "event.request: headers and cookies",
        "GET",
        "/headers",
        (
            ("X-Custom", "yes"),
            ("X-Multi", "a"),
            ("X-Multi", "b"),
            ("X-Forwarded-For", "203.0.113.9"),
            ("Via", "1.1 proxy"),
            ("Cookie", "a=1; b=two"),
            ("X-Twilio-Signature", "not-checked-here"),
        ),
        body="json",
    ),
    Probe("context", "GET", "/context", (("Host", "localhost:{port}"),), body="json"),
    Probe(
        "context.DOMAIN_NAME",
        "GET",
        "/context",
        (("Host", "127.0.0.1:{port}"),),
        body="fields:DOMAIN_NAME",
        deliberate="`context.DOMAIN_NAME`",
    ),
    Probe("Runtime: functions, assets, a private function", "GET", "/runtime", body="json"),
    Probe(
        "protected function, signed SMS webhook",
        "POST",
        "/sms",
        *form(Body="hi", From="+15550001111"),
        signed=True,
    ),
    Probe(
        "protected function, no signature",
        "POST",
        "/sms",
        *form(Body="hi"),
        body="none",
        deliberate="Protected function without a valid signature",
    ),
    Probe(
        "private function over HTTP", "GET", "/helper", body="none", deliberate="Private function over HTTP"
    ),
    Probe("callback(error)", "GET", "/error", body="fields:message"),
    Probe("callback after the handler returned", "GET", "/late-callback"),
    Probe("async handler", "GET", "/async-callback", body="json"),
    Probe("callback twice", "GET", "/callback-twice"),
    Probe(
        "handler that never calls back",
        "GET",
        "/never-callback",
        body="none",
        deliberate="Execution limit (also: a handler that never calls back)",
        timeout=PYSERVERLESS_TIMEOUT + 3,
    ),
    Probe("asset", "GET", "/style.css", compared_headers=("accept-ranges",)),
    Probe("asset, HEAD", "HEAD", "/style.css", compared_headers=("content-length", "accept-ranges")),
    Probe(
        "asset, Range: bytes=0-3",
        "GET",
        "/style.css",
        (("Range", "bytes=0-3"),),
        compared_headers=("content-range",),
    ),
    Probe(
        "asset, Range: bytes=-4",
        "GET",
        "/style.css",
        (("Range", "bytes=-4"),),
        compared_headers=("content-range",),
    ),
    Probe(
        "asset, Range past the end",
        "GET",
        "/style.css",
        (("Range", "bytes=100-"),),
        body="none",
        compared_headers=("content-range",),
        deliberate=ERROR_ANSWERS,
    ),
    Probe("asset, two ranges", "GET", "/style.css", (("Range", "bytes=0-1,5-6"),)),
    Probe("GET / (index.html)", "GET", "/", deliberate="`GET /`"),
    Probe("private asset", "GET", "/message.txt", body="none", deliberate=ERROR_ANSWERS),
    Probe(
        "protected asset, no signature",
        "GET",
        "/data.json",
        body="none",
        deliberate="Protected function without a valid signature",
    ),
    Probe("unknown route", "GET", "/nowhere", body="none", deliberate=ERROR_ANSWERS),
    Probe("route with a trailing slash", "GET", "/text/", body="none", deliberate=ERROR_ANSWERS),
    Probe("route in another case", "GET", "/TEXT", body="none", deliberate=ERROR_ANSWERS),
    Probe(
        "OPTIONS (CORS)",
        "OPTIONS",
        "/text",
        body="none",
        compared_headers=(
            "access-control-allow-origin",
            "access-control-allow-headers",
            "access-control-allow-methods",
            "access-control-expose-headers",
            "access-control-max-age",
            "access-control-allow-credentials",
        ),
    ),
    Probe("HEAD on a function", "HEAD", "/text", compared_headers=("content-length",)),
    Probe("POST to a function", "POST", "/text", (FORM,), b"a=1"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One server under test, in its own session, its output going to a file."""

    def __init__(self, name: str, command: list[str], cwd: Path, log: Path) -> None:
        self.name = name
        self.port = free_port()
        self._output = log.open("wb")
        self.process = subprocess.Popen(
            [part.replace("{port}", str(self.port)) for part in command],
            cwd=cwd,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_answering(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with code {self.process.returncode}")
            answer = send(self.port, Probe("ready", "GET", "/text"))
            if answer.status == 200 and answer.body == b"hello":
                return
            time.sleep(0.3)
        raise SystemExit(f"{self.name} did not answer GET /text within {timeout:g} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._output.close()


def send(port: int, probe: Probe) -> Answer:
    """The answer to `probe` from the server on `port`, or the reason there was none."""
    headers = [(name, value.replace("{port}", str(port))) for name, value in probe.headers]
    if probe.signed:
        params = dict(parse_qsl(probe.data.decode(), keep_blank_values=True))
        url = f"http://127.0.0.1:{port}{probe.path}"
        headers.append(("X-Twilio-Signature", RequestValidator(AUTH_TOKEN).compute_signature(url, params)))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=probe.timeout)
    try:
        connection.putrequest(probe.method, probe.path, skip_host=any(n == "Host" for n, _ in headers))
        for name, value in headers:
            connection.putheader(name, value)
        if probe.data or probe.method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(probe.data)))
        connection.endheaders(probe.data or None)
        response = connection.getresponse()
        return Answer(response.status, [(n.lower(), v) for n, v in response.getheaders()], response.read())
    except TimeoutError:
        return Answer(f"{NO_ANSWER} within {probe.timeout:g} s")
    except OSError as error:
        return Answer(f"{NO_ANSWER}: {error}")
    finally:
        connection.close()


def normalised_type(value: str | None) -> str | None:
    """`text/css; charset=UTF-8` -> `text/css; charset=utf-8`: a media type and its charset have no case."""
    if value is None:
        return None
    return "; ".join(part.strip().lower() for part in value.split(";"))


def view(probe: Probe, answer: Answer) -> dict[str, Any]:
    """What `probe` compares of `answer`."""
    if isinstance(answer.status, str):
        return {"status": answer.status}
    seen: dict[str, Any] = {"status": answer.status}
    if probe.method not in ("OPTIONS",) and answer.status not in (204, 304):
        seen["content-type"] = normalised_type(
            next((v for n, v in answer.headers if n == "content-type"), None)
        )
    for name in probe.compared_headers:
        seen[name] = [value for key, value in answer.headers if key == name]
    if probe.body == "bytes":
        seen["body"] = answer.body
    elif probe.body == "json" or probe.body.startswith("fields:"):
        try:
            document = json.loads(answer.body)
        except ValueError:
            seen["body"] = answer.body
        else:
            if probe.body.startswith("fields:") and isinstance(document, dict):
                names = probe.body.removeprefix("fields:").split(",")
                document = {name: document.get(name) for name in names}
            seen["body"] = document
    return seen


def shown(seen: dict[str, Any]) -> str:
    text = ", ".join(f"{key}={value!r}" if key != "status" else str(value) for key, value in seen.items())
    return text if len(text) <= 160 else text[:157] + "..."


def copy_projects(work: Path) -> tuple[Path, Path]:
    node, python = work / "node", work / "python"
    shutil.copytree(PROJECTS / "node", node)
    shutil.copytree(PROJECTS / "python", python)
    (node / "node_modules").symlink_to(NODE_MODULES)
    return node, python


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pyserverless-parity-"))
    node, python = copy_projects(work)
    servers = [
        Server(
            "twilio-run start --no-fork-process",
            [str(TWILIO_RUN), "start", "--no-fork-process", "--port", "{port}"],
            node,
            work / "twilio-run.log",
        ),
        Server(
            "pyserverless start",
            [
                sys.executable,
                "-m",
                "pyserverless",
                "start",
                "--port",
                "{port}",
                "--no-reload",
                "--timeout",
                str(PYSERVERLESS_TIMEOUT),
            ],
            python,
            work / "pyserverless.log",
        ),
    ]
    counts = {"SAME": 0, "DIFF (deliberate)": 0, "DIFF (unexpected)": 0}
    try:
        for server in servers:
            server.wait_until_answering()
        print(f"twilio-run on :{servers[0].port}, pyserverless on :{servers[1].port} (logs in {work})\n")
        for probe in PROBES:
            node_view, python_view = (view(probe, send(server.port, probe)) for server in servers)
            if node_view == python_view:
                verdict = "SAME"
            elif probe.deliberate:
                verdict = "DIFF (deliberate)"
            else:
                verdict = "DIFF (unexpected)"
            counts[verdict] += 1
            print(f"{verdict:<18} {probe.method} {probe.path}  [{probe.name}]")
            if verdict != "SAME":
                print(f"    twilio-run:   {shown(node_view)}")
                print(f"    pyserverless: {shown(python_view)}")
                if probe.deliberate:
                    print(f"    parity table: {probe.deliberate}")
            elif probe.deliberate:
                print(f"    (listed as deliberate, {probe.deliberate!r}, but the answers agree)")
    finally:
        for server in servers:
            server.stop()
    print("\n" + ", ".join(f"{verdict}: {count}" for verdict, count in counts.items()) + f" of {len(PROBES)}")
    sys.exit(1 if counts["DIFF (unexpected)"] else 0)


if __name__ == "__main__":
    main()
