"""Containers: `pyserverless serve` (several workers) and uvicorn with `pyserverless.asgi:create_app`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

from tests.support.ports import free_port
from tests.support.processes import stop_process_group

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "projects" / "lambda-entry"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
READY_TIMEOUT_SECONDS = 30.0


@contextmanager
def running(command: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Start `command`, wait until `port` accepts connections, and always stop it (SIGINT, then kill it and
    whatever it started)."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.1)
        yield process
    finally:
        stop_process_group(process, timeout=15)


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def signed_post(base: str, path: str, form: dict[str, str], public_base: str) -> httpx.Response:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(public_base + path, form)
    return httpx.post(
        base + path,
        data=form,
        headers={"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https"},
        timeout=10,
    )


def test_serve_runs_the_project_as_deployed_with_several_workers(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / ".env").write_text(f"AUTH_TOKEN={AUTH_TOKEN}\nGREETING=ahoy\n")
    port = free_port()
    command = [sys.executable, "-m", "pyserverless", "serve", str(project), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "2"]
    with running(command, port, {"COLUMNS": "200"}) as server:
        base = f"http://127.0.0.1:{port}"
        assert len(children_of(server.pid)) >= 2
        hello = httpx.get(f"{base}/env", timeout=10)
        assert hello.status_code == 200
        assert hello.json() == {"greeting": "ahoy", "aws_secret_visible": False}
        failing = httpx.get(f"{base}/fail", headers={"accept": "application/json"}, timeout=10)
        assert failing.status_code == 500
        assert failing.json() == {
            "message": "Internal Server Error: the function failed; its log has the details.",
            "name": "InternalServerError",
        }
        assert httpx.get(f"{base}/secret", timeout=10).status_code == 403
        assert httpx.post(f"{base}/sms/reply", data={"Body": "x"}, timeout=10).status_code == 401
        # Behind a trusted proxy (loopback by default), the URL Twilio signed is the https one.
        signed = signed_post(base, "/sms/reply", {"Body": "hi"}, f"https://127.0.0.1:{port}")
        assert signed.status_code == 200
        assert signed.text == (
            '<?xml version="1.0" encoding="UTF-8"?><Response><Message>You said: hi</Message></Response>'
        )
    output = server.stdout.read() if server.stdout else ""
    assert f"Serving {project} on http://127.0.0.1:{port} with 2 workers" in output
    assert "500 GET /fail" in output


def test_asgi_factory_takes_secrets_from_the_environment(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    port = free_port()
    env = {
        "PYSERVERLESS_PROJECT": str(project),
        "PYSERVERLESS_ENV_KEYS": "AUTH_TOKEN,GREETING",
        "AUTH_TOKEN": AUTH_TOKEN,
        "GREETING": "from the platform",
        "AWS_SECRET_ACCESS_KEY": "not for handlers",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "pyserverless.asgi:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with running(command, port, env):
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/env", timeout=10).json() == {
            "greeting": "from the platform",
            "aws_secret_visible": False,
        }
        signed = signed_post(base, "/sms/reply", {"Body": "container"}, f"https://127.0.0.1:{port}")
        assert signed.status_code == 200
        assert "You said: container" in signed.text


def test_serve_trusts_forwarded_proto_only_from_the_allowed_proxies_and_never_forwarded_host(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / ".env").write_text(f"AUTH_TOKEN={AUTH_TOKEN}\n")
    port = free_port()
    command = [sys.executable, "-m", "pyserverless", "serve", str(project), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--forwarded-allow-ips", "10.9.8.7"]
    with running(command, port, {"COLUMNS": "200"}):
        base = f"http://127.0.0.1:{port}"
        # 127.0.0.1 is not among the allowed proxies: its X-Forwarded-Proto is ignored.
        assert signed_post(base, "/sms/reply", {"Body": "x"}, f"https://127.0.0.1:{port}").status_code == 401
        assert signed_post(base, "/sms/reply", {"Body": "x"}, base).status_code == 200
        form = {"Body": "x"}
        other = RequestValidator(AUTH_TOKEN).compute_signature("http://other-host.example/sms/reply", form)
        replayed = httpx.post(
            f"{base}/sms/reply",
            data=form,
            headers={"X-Twilio-Signature": other, "X-Forwarded-Host": "other-host.example"},
            timeout=10,
        )
        assert replayed.status_code == 401
        too_large = httpx.get(f"{base}/env", headers={"X-Big": "v" * 70_000}, timeout=10)
        assert (too_large.status_code, too_large.text) == (
            431,
            "Request Header Fields Too Large: the limit is 64 kB and 256 fields.\n",
        )
