"""A localhost URL: tunnel through the fake ngrok, update, and restore the number on Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fake_ngrok import install, read_state
from tests.support.phone_numbers_cli import TOKEN_ENV, RunningUpdate, panel_text
from tests.support.processes import wait_gone
from tests.support.twilio_api import TwilioApiDouble

OLD_SMS_URL = "https://old.example.com/sms"


class _LocalApp(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"local app got {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def local_port() -> Iterator[int]:
    """A local web app on a free loopback port: what the developer runs on localhost."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LocalApp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def api() -> Iterator[TwilioApiDouble]:
    with TwilioApiDouble() as double:
        double.add_number("+15551230001", sms_url=OLD_SMS_URL, sms_method="GET")
        yield double


@pytest.fixture
def ngrok_env(tmp_path: Path) -> dict[str, str]:
    return {
        **TOKEN_ENV,
        "PYNGROK_NGROK_PATH": str(install(tmp_path / "bin")),
        "NGROK_AUTHTOKEN": "test-token",
        "FAKE_NGROK_STATE": str(tmp_path / "ngrok-state.jsonl"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def public_url(state_file: Path) -> str:
    endpoints = [event for event in read_state(state_file) if event["event"] == "endpoint"]
    assert len(endpoints) == 1
    return str(endpoints[0]["public_url"])


def assert_agent_gone(state_file: Path) -> None:
    """The fake agent deleted its endpoint and its process is gone (bounded wait: it is being reaped)."""
    events = read_state(state_file)
    assert [event["event"] for event in events] == ["start", "endpoint", "delete"]
    pid = events[0]["pid"]
    assert not wait_gone({pid}, timeout=10), f"ngrok agent {pid} outlived the command"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_localhost_url_is_tunnelled_then_restored(
    api: TwilioApiDouble, local_port: int, ngrok_env: dict[str, str], tmp_path: Path, signum: int
) -> None:
    state = tmp_path / "ngrok-state.jsonl"
    local = f"http://localhost:{local_port}/sms/reply?lang=fr"
    with RunningUpdate(api, "+15551230001", "--sms-url", local, env=ngrok_env) as running:
        running.wait_for("tunnel open — press Ctrl-C to stop")
        public = public_url(state)
        assert api.updates() == [{"SmsUrl": f"{public}/sms/reply?lang=fr"}]
        running.wait_for(f"Tunnel: {public} → http://127.0.0.1:{local_port}", "stdout")
        running.wait_for(
            f"If `pyserverless start` serves http://127.0.0.1:{local_port}, start it with --public-url "
            f"{public} so its protected functions check signatures against the tunnel's URL (or use "
            "`pyserverless start --ngrok --sms-number NUMBER` instead of this command).",
            "stdout",
        )
        through_tunnel = httpx.get(f"{public}/sms/reply?lang=fr", timeout=10)
        assert through_tunnel.text == "local app got /sms/reply?lang=fr"
        assert running.stop(signum) == 0
    assert api.updates() == [{"SmsUrl": f"{public}/sms/reply?lang=fr"}, {"SmsUrl": OLD_SMS_URL}]
    assert api.numbers["PN" + "0" * 31 + "1"]["sms_url"] == OLD_SMS_URL
    assert "Restored SMS URL of +15551230001." in running.stderr
    assert "Warning" not in running.stderr
    assert_agent_gone(state)


@pytest.mark.parametrize("sigint", ["default", "ignored"])
def test_ctrl_c_while_the_agent_starts_stops_the_command_and_the_agent(
    api: TwilioApiDouble, local_port: int, ngrok_env: dict[str, str], tmp_path: Path, sigint: str
) -> None:
    """Even started with SIGINT ignored (`&`, nohup), Ctrl-C stops it before the tunnel is up."""
    state = tmp_path / "ngrok-state.jsonl"
    args = ("+15551230001", "--sms-url", f"http://localhost:{local_port}/sms", "--ngrok-timeout", "300")
    env = {**ngrok_env, "FAKE_NGROK_BEHAVIOUR": "silent"}
    with RunningUpdate(api, *args, env=env, sigint_ignored=sigint == "ignored") as running:
        deadline = time.monotonic() + 60
        while not read_state(state):
            assert time.monotonic() < deadline, running.stderr
            time.sleep(0.05)
        assert running.stop(signal.SIGINT, timeout=60) == 130
    assert api.updates() == []
    [started] = read_state(state)
    assert wait_gone({started["pid"]}) == set()


def test_keep_leaves_the_tunnel_url_and_closes_the_tunnel(
    api: TwilioApiDouble, local_port: int, ngrok_env: dict[str, str], tmp_path: Path
) -> None:
    state = tmp_path / "ngrok-state.jsonl"
    args = ("+15551230001", "--voice-url", f"http://127.0.0.1:{local_port}/voice", "--keep", "--json")
    with RunningUpdate(api, *args, env=ngrok_env) as running:
        running.wait_for("tunnel open — press Ctrl-C to stop (stopping leaves the new URLs in place).")
        assert running.stop() == 0
    public = public_url(state)
    assert api.updates() == [{"VoiceUrl": f"{public}/voice"}]
    assert '"restore_on_exit": false' in running.stdout
    assert f'"public_url": "{public}"' in running.stdout
    assert_agent_gone(state)


def test_nothing_listening_is_a_warning(
    api: TwilioApiDouble, ngrok_env: dict[str, str], tmp_path: Path
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with RunningUpdate(
        api, "+15551230001", "--sms-url", f"http://localhost:{port}/sms", env=ngrok_env
    ) as running:
        running.wait_for("tunnel open")
        assert running.stop() == 0
    assert (
        f"Warning: Nothing is listening on localhost:{port} yet: Twilio's requests will fail until your "
        f"server runs there (`pyserverless start --port {port}`)." in running.stderr
    )
    assert api.updates()[-1] == {"SmsUrl": OLD_SMS_URL}
    assert_agent_gone(tmp_path / "ngrok-state.jsonl")


def test_a_failed_restore_prints_the_command_that_restores(
    api: TwilioApiDouble, local_port: int, ngrok_env: dict[str, str], tmp_path: Path
) -> None:
    args = ("+15551230001", "--sms-url", f"http://localhost:{local_port}/sms", "--sms-method", "POST")
    with RunningUpdate(api, *args, env=ngrok_env) as running:
        running.wait_for("tunnel open")
        api.inject_error("POST", 503, 20503, "Service Unavailable")
        assert running.stop() == 1
    assert panel_text(running.stderr) == (
        "Could not restore the previous webhooks of +15551230001: Twilio answered 503: Service Unavailable "
        "(Twilio error 20503). It still points at the values set by this command. Run this to restore it: "
        f"pyserverless phone-numbers:update +15551230001 --sms-url {OLD_SMS_URL} --sms-method GET"
    )
    assert_agent_gone(tmp_path / "ngrok-state.jsonl")
