"""A recording proxy, for deploy tests, in front of a local AWS (`moto_server.LocalAws`); it can fail calls.

    with LocalAws(start_timeout=30) as moto, AwsProxy(moto.endpoint) as aws:
        env = aws.client_env(home)      # AWS_ENDPOINT_URL=<proxy>, fake credentials, no ~/.aws files
        run pyserverless deploy with env
        aws.calls                       # [("POST", "/2015-03-31/functions", None), ("POST", "/", "GetRole")]
        aws.writes()                    # the calls that change something
        aws.fail("POST", r"/url$", 403, "AccessDeniedException", "not authorized")   # matching calls fail
        aws.fail("GET", r"/configuration$", 429, "TooManyRequestsException", "Rate exceeded", times=1)
        aws.clear_failures()

`AwsProxy` is a small HTTP proxy in the test process: it forwards every request to moto byte for byte and
records (method, path, IAM action); a failure rule answers matching calls itself with AWS's REST-JSON error
shape (status, `x-amzn-ErrorType`, `{"Type": "User", "Message": ...}`), so botocore raises the same
`ClientError` a real AWS refusal gives.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


@dataclass
class FailureRule:
    method: str
    path: re.Pattern[str]
    status: int
    code: str
    message: str
    times: int | None


class AwsProxy:
    def __init__(self, upstream: str) -> None:
        self._upstream = urlsplit(upstream)
        self._lock = threading.Lock()
        self._failures: list[FailureRule] = []
        self.calls: list[tuple[str, str, str | None]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def client_env(self, home: Path) -> dict[str, str]:
        """Variables that send boto3 here with fake credentials and no user AWS configuration."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": str(home / "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        }

    def fail(
        self,
        method: str,
        path_pattern: str,
        status: int,
        code: str,
        message: str,
        *,
        times: int | None = None,
    ) -> None:
        """Answer matching calls with this AWS error: the next `times` of them, or all until cleared."""
        rule = FailureRule(method, re.compile(path_pattern), status, code, message, times)
        with self._lock:
            self._failures.append(rule)

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def clear_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def writes(self) -> list[tuple[str, str, str | None]]:
        """Calls that change something: Lambda's non-GET calls and IAM actions other than Get/List."""
        with self._lock:
            return [
                call
                for call in self.calls
                if (call[2] is None and call[0] != "GET")
                or (call[2] is not None and not call[2].startswith(("Get", "List")))
            ]

    def _rule_for(self, method: str, path: str) -> FailureRule | None:
        with self._lock:
            rule = next(
                (rule for rule in self._failures if rule.method == method and rule.path.search(path)), None
            )
            if rule is not None and rule.times is not None:
                rule.times -= 1
                if rule.times == 0:
                    self._failures.remove(rule)
            return rule

    def __enter__(self) -> AwsProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                action = None
                if path == "/" and body:
                    action = parse_qs(body.decode("utf-8", "replace")).get("Action", [None])[0]
                with proxy._lock:
                    proxy.calls.append((self.command, path, action))
                rule = proxy._rule_for(self.command, path)
                if rule is not None:
                    payload = json.dumps({"Type": "User", "Message": rule.message}).encode()
                    self.send_response(rule.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("x-amzn-ErrorType", rule.code)
                    self.send_header("x-amzn-RequestId", "proxy-injected-failure")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                upstream = http.client.HTTPConnection(
                    proxy._upstream.hostname or "127.0.0.1", proxy._upstream.port, timeout=60
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP_HEADERS and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("content-length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
