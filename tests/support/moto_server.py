"""moto as a real AWS endpoint in a child process, on a free loopback port, for tests that reach AWS through
AWS_ENDPOINT_URL (deploy's tests put `tests.support.aws_proxy` in front of it to record and fail calls).

    from tests.support.moto_server import LocalAws

    with LocalAws() as moto:                      # python tests/support/moto_server.py, port from its stdout
                                                  # (LocalAws(start_timeout=30): a tighter bound on that)
        subprocess.run([...], env={**os.environ, **moto.env()})   # AWS_ENDPOINT_URL, fake keys, region
        moto.client("lambda").list_functions()      # a boto3 client to it
        moto.reset()                                # forget every resource (between tests)
        with moto.rejecting_credentials():          # meanwhile AWS answers InvalidClientTokenId (HTTP 403)
            ...

The child serves moto's own WSGI application (AWS's managed IAM policies loaded, as on AWS), plus the one
thing moto leaves unreachable: GetFunction's `Code.Location`, a presigned S3 URL on AWS, points here to
`/_lambda-code/<account>/<region>/<function>`, which answers the function's zip as last uploaded.
`rejecting_credentials` turns on moto's IAM authentication (its `/moto-api/reset-auth` endpoint): the fake
access key is then unknown, so every call fails as AWS fails a bad key; moto's XML answer to a JSON service
is given in that service's protocol, as AWS does. Leaving `with LocalAws()` stops the child (SIGTERM, then
SIGKILL).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
START_TIMEOUT_SECONDS = 60
CODE_PATH = "/_lambda-code/"
#: The developer's own AWS settings, which a test must not inherit.
USER_AWS_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)


class LocalAws:
    def __init__(self, start_timeout: float = START_TIMEOUT_SECONDS) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._start_timeout = start_timeout
        self.endpoint = ""

    def __enter__(self) -> LocalAws:
        self._process = subprocess.Popen(
            [sys.executable, __file__],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={
                **os.environ,
                **FAKE_CREDENTIALS,
                "PYTHONUNBUFFERED": "1",
                "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
            },
            start_new_session=True,
        )
        assert self._process.stdout is not None
        line = _read_line(self._process, self._start_timeout)
        if not line.startswith("listening "):
            self.stop()
            raise RuntimeError(f"moto server did not start: {line!r}")
        self.endpoint = line.split()[1]
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self._process is None:
            return
        from tests.support.processes import stop_process_group  # here: this file also runs as a script

        stop_process_group(self._process, signal.SIGTERM)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None

    def env(self) -> dict[str, str]:
        """Variables that send boto3 (in this process or a child) to this server with fake credentials."""
        return {"AWS_ENDPOINT_URL": self.endpoint, "AWS_DEFAULT_REGION": REGION, **FAKE_CREDENTIALS}

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def _post(self, path: str, body: bytes) -> bytes:
        request = urllib.request.Request(
            self.endpoint + path, data=body, method="POST", headers={"Content-Type": "text/plain"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            data: bytes = response.read()
            return data

    def reset(self) -> None:
        """Delete every resource moto holds."""
        self._post("/moto-api/reset", b"")

    @contextmanager
    def rejecting_credentials(self) -> Iterator[None]:
        """While inside, moto authenticates every request, so the fake key is rejected as AWS rejects one."""
        previous = json.loads(self._post("/moto-api/reset-auth", b"0"))[
            "PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"
        ]
        try:
            yield
        finally:
            self._post("/moto-api/reset-auth", str(previous).encode())


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    import threading

    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0].strip() if lines else ""


_BAD_TOKEN_MESSAGE = "The security token included in the request is invalid."


def _as_aws_answers(moto_app: Any, environ: dict[str, Any], start_response: Any) -> Any:
    """moto's answer, except that its rejection of an unknown key (always an XML body) is given in the
    protocol of the service called, as AWS gives it: JSON services (CloudWatch Logs, X-Amz-Target) answer 400
    `{"__type": "UnrecognizedClientException"}`, REST-JSON ones (Lambda) 403 with `x-amzn-ErrorType`."""
    captured: list[Any] = []

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured[:] = [status, headers]
        return lambda data: None

    body = b"".join(moto_app(environ, capture))
    status, headers = captured
    rejected = status.startswith("403") and b"<Code>InvalidClientTokenId</Code>" in body
    if rejected and environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "UnrecognizedClientException", "message": _BAD_TOKEN_MESSAGE}).encode()
        status, headers = "400 Bad Request", [("Content-Type", "application/x-amz-json-1.1")]
    elif rejected and str(environ.get("PATH_INFO", "")).startswith("/20"):
        body = json.dumps({"message": _BAD_TOKEN_MESSAGE}).encode()
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", "UnrecognizedClientException")]
    headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
    start_response(status, [*headers, ("Content-Length", str(len(body)))])
    return [body]


def _serve() -> None:
    """The child: moto's WSGI app with Code.Location made reachable, on 127.0.0.1 and a free port."""
    from moto.awslambda import models
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    base: list[str] = []
    original_get_code = models.LambdaFunction.get_code

    def get_code(function: Any) -> dict[str, Any]:
        answer: dict[str, Any] = original_get_code(function)
        if "Code" in answer and "S3Key" in function.code:
            answer["Code"]["Location"] = (
                f"{base[0]}{CODE_PATH}{function.account_id}/{function.region}/{function.function_name}"
            )
        return answer

    models.LambdaFunction.get_code = get_code
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith(CODE_PATH):
            return _as_aws_answers(moto_app, environ, start_response)
        account, region, name = path[len(CODE_PATH) :].split("/", 2)
        try:
            function = models.lambda_backends[account][region].get_function(name)
        except Exception:
            return Response("NoSuchKey", status=404)(environ, start_response)
        return Response(function.code_bytes, content_type="application/zip")(environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    base.append(f"http://127.0.0.1:{server.server_port}")
    print(f"listening {base[0]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    _serve()
