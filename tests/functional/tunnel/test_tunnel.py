"""`start --ngrok` against the fake ngrok agent, and `--public-url`: URLs, signatures, reloads, exit."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.support import fake_ngrok
from tests.support.processes import children_of, ignoring_sigint, stop_process_group, wait_gone
from tests.support.reloads import RELOADED, wait_for_count
from tests.support.server_process import StartedServer, child_env, run_start

AUTH_TOKEN = "12345678901234567890123456789012"
PARAMS = {"From": "+15550001111", "Body": "hi"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "tunnelled"
    (root / "functions").mkdir(parents=True)
    (root / "functions" / "hello.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'hello from ' + context.DOMAIN_NAME)\n"
    )
    (root / "functions" / "secret.protected.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'secret for ' + event['From'])\n"
    )
    (root / ".env").write_text(f"ACCOUNT_SID=AC{'0' * 32}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    return root


@pytest.fixture
def ngrok(tmp_path: Path) -> Path:
    return fake_ngrok.install(tmp_path / "bin")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str | None]:
    """A fresh ngrok config folder, a token in NGROK_AUTHTOKEN, and the fake's record file."""
    return {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NGROK_AUTHTOKEN": "token-1",
        "FAKE_NGROK_STATE": str(tmp_path / "ngrok-state.jsonl"),
        "PYNGROK_NGROK_PATH": None,
        "FAKE_NGROK_BEHAVIOUR": None,
        "FAKE_NGROK_VALID_TOKEN": None,
    }


def signed_post(url: str) -> httpx.Response:
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, PARAMS)
    return httpx.post(url, data=PARAMS, headers={"X-Twilio-Signature": signature}, timeout=10)


def one_line(text: str) -> str:
    """Terminal output with rich's panel borders and line wrapping taken out."""
    return " ".join(text.replace("│", " ").replace("╭", " ").replace("╰", " ").split())


def events(tmp_path: Path, kind: str) -> list[dict[str, object]]:
    return [
        event for event in fake_ngrok.read_state(tmp_path / "ngrok-state.jsonl") if event["event"] == kind
    ]


def reload(server: StartedServer, project: Path, answer: str) -> None:
    seen = server.stdout_text().count(RELOADED)
    (project / "functions" / "hello.py").write_text(
        f"def handler(context, event, callback):\n    callback(None, {answer!r})\n"
    )
    wait_for_count(server, RELOADED, seen + 1)


def test_tunnel_serves_signed_requests_keeps_its_url_across_reloads_and_leaves_nothing(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    server = StartedServer(project, "--ngrok", "--ngrok-path", str(ngrok), env=env)
    with server:
        output = server.stdout_text()
        match = re.search(
            r"Tunnel open: (http://127\.0\.0\.1:(\d+)) → (\S+) \(ngrok auth token from (\S+)\)", output
        )
        assert match is not None, output
        public, public_port, local, source = match.groups()
        assert (local, source) == (server.base_url, "NGROK_AUTHTOKEN")
        assert f"{public}/hello" in output and f"{public}/secret" in output

        hello = httpx.get(f"{public}/hello", timeout=10)
        assert (hello.status_code, hello.text) == (200, f"hello from 127.0.0.1:{public_port}")
        secret = signed_post(f"{public}/secret")
        assert (secret.status_code, secret.text) == (200, "secret for +15550001111")
        assert httpx.post(f"{public}/secret", data=PARAMS, timeout=10).status_code == 401

        for answer in ("first", "second", "third"):
            reload(server, project, answer)
            response = httpx.get(f"{public}/hello", timeout=10)
            assert (response.status_code, response.text) == (200, answer)
        assert server.stdout_text().count("Tunnel open:") == 1
        assert len(events(tmp_path, "start")) == 1
        assert [event["public_url"] for event in events(tmp_path, "endpoint")] == [public]

        assert server.process is not None
        processes = children_of(server.process.pid) | {server.process.pid}
        assert len(processes) >= 4  # the parent, the serving worker, the spare, the ngrok agent
        assert server.stop() == 0
    assert wait_gone(processes) == set()
    assert len(events(tmp_path, "delete")) == 1


def test_static_domain_is_asked_for_and_signatures_are_checked_against_it(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    with StartedServer(
        project, "--ngrok=my-app.ngrok-free.app", "--ngrok-path", str(ngrok), env=env
    ) as server:
        assert "Tunnel open: https://my-app.ngrok-free.app → " in server.stdout_text()
        assert "https://my-app.ngrok-free.app/secret" in server.stdout_text()
        [endpoint] = events(tmp_path, "endpoint")
        assert endpoint["request"]["url"] == "https://my-app.ngrok-free.app"  # type: ignore[index]
        forward = f"http://127.0.0.1:{endpoint['forward_port']}"
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            "https://my-app.ngrok-free.app/secret", PARAMS
        )
        response = httpx.post(f"{forward}/secret", data=PARAMS, headers={"X-Twilio-Signature": signature})
        assert (response.status_code, response.text) == (200, "secret for +15550001111")
        hello = httpx.get(f"{forward}/hello")
        assert hello.text == "hello from my-app.ngrok-free.app"


def test_auth_token_flag_wins_and_the_config_file_is_the_last_resort(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    env |= {"NGROK_AUTHTOKEN": None, "FAKE_NGROK_VALID_TOKEN": "from-config"}
    config = tmp_path / "config" / "ngrok" / "ngrok.yml"
    config.parent.mkdir(parents=True)
    config.write_text('version: "3"\nagent:\n  authtoken: from-config\n')
    with StartedServer(project, "--ngrok", "--ngrok-path", str(ngrok), env=env) as server:
        assert f"(ngrok auth token from your ngrok config file ({config}))" in one_line(server.stdout_text())
    assert events(tmp_path, "start")[0]["token_source"] == "config"

    result = run_start(
        project,
        "--port",
        "0",
        "--ngrok",
        "--ngrok-authtoken",
        "from-flag",
        "--ngrok-path",
        str(ngrok),
        env=env,
    )
    assert result.returncode == 1
    assert "ngrok rejected the auth token from --ngrok-authtoken (ERR_NGROK_107)." in one_line(result.stderr)


def test_the_auth_token_is_never_on_the_agents_command_line(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    # From NGROK_AUTHTOKEN: the agent reads it from the environment it inherits.
    env |= {"NGROK_AUTHTOKEN": "token-from-env", "FAKE_NGROK_VALID_TOKEN": "token-from-env"}
    with StartedServer(project, "--ngrok", "--ngrok-path", str(ngrok), env=env) as server:
        assert "(ngrok auth token from NGROK_AUTHTOKEN)" in one_line(server.stdout_text())
    [from_env] = events(tmp_path, "start")
    assert from_env["token_source"] == "env"
    assert not [argument for argument in from_env["argv"] if "token-from" in str(argument)]

    # From the flag, NGROK_AUTHTOKEN set too: a private copy of the user config, gone once the agent started.
    user_config = tmp_path / "config" / "ngrok" / "ngrok.yml"
    user_config.parent.mkdir(parents=True, exist_ok=True)
    user_config.write_text('version: "3"\nagent:\n  authtoken: from-config\n  region: eu\n')
    env |= {"FAKE_NGROK_VALID_TOKEN": "token-from-flag"}
    arguments = ("--ngrok", "--ngrok-authtoken", "token-from-flag", "--ngrok-path", str(ngrok))
    with StartedServer(project, *arguments, env=env) as server:
        assert "(ngrok auth token from --ngrok-authtoken)" in one_line(server.stdout_text())
        [_, from_flag] = events(tmp_path, "start")
        assert from_flag["token_source"] == "config"
        assert from_flag["config_mode"] == "0o600"
        assert not [argument for argument in from_flag["argv"] if "token-from" in str(argument)]
        config = Path(str(from_flag["argv"][from_flag["argv"].index("--config") + 1]))
        assert not config.exists() and not config.parent.exists()
    assert user_config.read_text() == 'version: "3"\nagent:\n  authtoken: from-config\n  region: eu\n'


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port where nothing listens (bound, never listening): connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_missing_auth_token(project: Path, ngrok: Path, env: dict[str, str | None]) -> None:
    result = run_start(
        project, "--port", "0", "--ngrok", "--ngrok-path", str(ngrok), env=env | {"NGROK_AUTHTOKEN": None}
    )
    text = one_line(result.stderr)
    assert result.returncode == 1
    assert (
        "ngrok needs an auth token (ERR_NGROK_4018): there is none in --ngrok-authtoken, NGROK_AUTHTOKEN"
        in text
    )
    assert "https://dashboard.ngrok.com/get-started/your-authtoken" in text
    assert "Traceback" not in result.stderr


def test_invalid_auth_token(project: Path, ngrok: Path, env: dict[str, str | None]) -> None:
    result = run_start(
        project,
        "--port",
        "0",
        "--ngrok",
        "--ngrok-path",
        str(ngrok),
        env=env | {"FAKE_NGROK_VALID_TOKEN": "other"},
    )
    assert result.returncode == 1
    assert "ngrok rejected the auth token from NGROK_AUTHTOKEN (ERR_NGROK_107)." in one_line(result.stderr)


def test_agent_that_never_starts_is_given_up_and_killed(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    result = run_start(
        project,
        "--port",
        "0",
        "--ngrok",
        "--ngrok-path",
        str(ngrok),
        "--ngrok-timeout",
        "1",
        env=env | {"FAKE_NGROK_BEHAVIOUR": "silent"},
    )
    assert result.returncode == 1
    assert f"The ngrok agent ({ngrok}) did not start within 1 seconds." in one_line(result.stderr)
    [started] = events(tmp_path, "start")
    assert wait_gone({int(str(started["pid"]))}) == set()


@pytest.mark.parametrize("sigint", ["default", "ignored"])
def test_ctrl_c_while_the_agent_starts_stops_start_and_the_agent(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path, sigint: str
) -> None:
    """Even started with SIGINT ignored (`&`, nohup), Ctrl-C stops `start` before the tunnel is up."""
    command = [sys.executable, "-m", "pyserverless", "start", str(project), "--port", "0", "--ngrok"]
    command += ["--ngrok-path", str(ngrok), "--ngrok-timeout", "300"]
    process = subprocess.Popen(
        command if sigint == "default" else ignoring_sigint(command),
        env=child_env(env | {"FAKE_NGROK_BEHAVIOUR": "silent"}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        agent = wait_for_event(tmp_path, "start")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        assert process.returncode == 130
        assert wait_gone({int(str(agent["pid"]))}) == set()
    finally:
        stop_process_group(process, signum=None)


def wait_for_event(tmp_path: Path, kind: str, timeout: float = 60) -> dict[str, object]:
    """The fake agent's first `kind` event, once it has recorded it."""
    deadline = time.monotonic() + timeout
    while not (found := events(tmp_path, kind)):
        assert time.monotonic() < deadline, f"the fake ngrok agent recorded no {kind!r} event"
        time.sleep(0.05)
    return found[0]


def test_ngrok_path_that_does_not_exist(project: Path, env: dict[str, str | None], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ngrok"
    result = run_start(project, "--port", "0", "--ngrok", "--ngrok-path", str(missing), env=env)
    assert result.returncode == 1
    text = one_line(result.stderr)
    assert f"There is no ngrok binary at {missing} (given by --ngrok-path)." in text
    assert "point --ngrok-path or PYNGROK_NGROK_PATH at the binary" in text


def test_ngrok_that_cannot_be_downloaded(project: Path, env: dict[str, str | None], closed_port: int) -> None:
    proxy = f"http://127.0.0.1:{closed_port}"  # the download goes nowhere but this refusing loopback port
    offline = env | {"https_proxy": proxy, "HTTPS_PROXY": proxy, "no_proxy": None, "NO_PROXY": None}
    result = run_start(project, "--port", "0", "--ngrok", env=offline)
    assert result.returncode == 1
    text = one_line(result.stderr)
    assert "ngrok is not installed and could not be downloaded:" in text
    assert "Install ngrok (https://ngrok.com/download" in text


def test_public_url_of_another_proxy_is_used_for_routes_domain_and_signatures(project: Path) -> None:
    with StartedServer(project, "--public-url", "https://dev.example.org") as server:
        assert "https://dev.example.org/secret" in server.stdout_text()
        hello = httpx.get(server.url("/hello"))
        assert hello.text == "hello from dev.example.org"
        signature = RequestValidator(AUTH_TOKEN).compute_signature("https://dev.example.org/secret", PARAMS)
        response = httpx.post(server.url("/secret"), data=PARAMS, headers={"X-Twilio-Signature": signature})
        assert (response.status_code, response.text) == (200, "secret for +15550001111")


def test_public_url_must_be_an_origin(project: Path) -> None:
    result = run_start(project, "--port", "0", "--public-url", "dev.example.org/app")
    assert result.returncode == 1
    assert "--public-url dev.example.org/app is not an http(s) URL of a host." in one_line(result.stderr)


def test_through_the_tunnel_a_client_cannot_choose_the_url_checked_or_the_domain(
    project: Path, ngrok: Path, env: dict[str, str | None], tmp_path: Path
) -> None:
    """A signature made for another host (say the project's deployed URL), replayed through the tunnel with
    that host in X-Forwarded-Host, is refused: the URL checked is the tunnel's, whatever the client says."""
    with StartedServer(
        project, "--ngrok=my-app.ngrok-free.app", "--ngrok-path", str(ngrok), env=env
    ) as server:
        [endpoint] = events(tmp_path, "endpoint")
        forward = f"http://127.0.0.1:{endpoint['forward_port']}"
        other = RequestValidator(AUTH_TOKEN).compute_signature("https://other-host.example/secret", PARAMS)
        spoofed = {"X-Forwarded-Host": "other-host.example", "X-Forwarded-Proto": "https"}
        response = httpx.post(
            f"{forward}/secret", data=PARAMS, headers={**spoofed, "X-Twilio-Signature": other}, timeout=10
        )
        assert (response.status_code, response.text) == (
            401,
            "Unauthorized: this route is protected and needs a valid X-Twilio-Signature.",
        )
        server.wait_for_output(
            "401 for protected /secret: X-Twilio-Signature does not match "
            "(URL checked: https://my-app.ngrok-free.app/secret)."
        )
        hello = httpx.get(f"{forward}/hello", headers=spoofed, timeout=10)
        assert hello.text == "hello from my-app.ngrok-free.app"


@pytest.mark.parametrize("exposing", [["--ngrok"], ["--public-url", "https://dev.example.org"]])
def test_no_signature_check_on_a_public_url_is_refused_without_insecure_public(
    project: Path, ngrok: Path, env: dict[str, str | None], exposing: list[str]
) -> None:
    result = run_start(project, "--port", "0", "--no-signature-check", *exposing, env=env)
    assert result.returncode == 1
    assert (
        f"--no-signature-check with {exposing[0]} would let anyone on the internet call the protected "
        "functions." in one_line(result.stderr)
    )
    assert "or add --insecure-public if that is really what you want." in one_line(result.stderr)
    assert "Traceback" not in result.stderr


def test_insecure_public_allows_no_signature_check_on_a_public_url(project: Path) -> None:
    args = ("--public-url", "https://dev.example.org", "--no-signature-check", "--insecure-public")
    with StartedServer(project, *args) as server:
        response = httpx.post(server.url("/secret"), data=PARAMS, timeout=10)
        assert (response.status_code, response.text) == (200, "secret for +15550001111")
        assert "SIGNATURE CHECKS ARE OFF" in server.stderr_text()
