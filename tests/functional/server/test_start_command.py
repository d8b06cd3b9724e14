"""`pyserverless start` as a user runs it: options, defaults from the environment and pyproject.toml, the
route table, warnings, a port in use, and a clean stop."""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import StartedServer, copy_project, run_start


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port some other program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def port_in_use_message(port: int) -> str:
    return f"Port {port} is already in use on 127.0.0.1."


def test_route_table_shows_every_route_with_how_to_reach_it(tmp_path: Path) -> None:
    project = copy_project("server-visibility", tmp_path)
    with StartedServer(project) as server:
        output = server.stdout_text()
    rows = {
        line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[2:5]] for line in _rows(output)
    }
    assert rows == {
        "/helper": ["function", "private", 'Runtime.get_functions()["helper"] (not served over HTTP)'],
        "/index.html": ["asset", "public", f"{server.base_url}/index.html"],
        "/message.txt": ["asset", "private", 'Runtime.get_assets()["/message.txt"] (not served over HTTP)'],
        "/public.txt": ["asset", "public", f"{server.base_url}/public.txt"],
        "/reads-private": ["function", "public", f"{server.base_url}/reads-private"],
        "/sms/reply": ["function", "protected", f"{server.base_url}/sms/reply"],
    }
    assert f"Server running at {server.base_url} (" in output


def _rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("│ /")]


def test_port_0_picks_a_free_port(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, "--port", "0", "--no-reload") as server:
        assert server.port > 0
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"


def test_a_port_in_use_is_an_error_naming_it(tmp_path: Path, busy_port: int) -> None:
    project = copy_project("server-payloads", tmp_path)
    result = run_start(project, "--port", str(busy_port))
    assert result.returncode == 1
    assert port_in_use_message(busy_port) in result.stderr
    assert "--port 0 picks a free one." in result.stderr
    assert "Traceback" not in result.stderr
    assert "Server running" not in result.stdout


def test_the_port_comes_from_env_port_then_pyproject(tmp_path: Path, busy_port: int) -> None:
    project = copy_project("server-payloads", tmp_path)
    result = run_start(project, env={"PORT": str(busy_port)})
    assert (result.returncode, port_in_use_message(busy_port) in result.stderr) == (1, True)
    (project / "pyproject.toml").write_text(f"[tool.pyserverless]\nport = {busy_port}\n")
    result = run_start(project)
    assert (result.returncode, port_in_use_message(busy_port) in result.stderr) == (1, True)
    with StartedServer(project, "--port", "0", "--no-reload") as server:  # the flag wins over the config
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"


def test_env_file_setting_path_or_domain_name_is_warned_and_ignored(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, "--env", "reserved.env", "--no-reload") as server:
        answer = httpx.get(server.url("/echo"), timeout=10).json()
        errors = server.stderr_text()
    env_file = project.resolve() / "reserved.env"
    assert (
        f"{env_file}: PATH is set by the runtime for each function (context.PATH); the value in the env file "
        "is ignored." in " ".join(errors.split())
    )
    assert "DOMAIN_NAME is set by the runtime for each function (context.DOMAIN_NAME)" in " ".join(
        errors.split()
    )
    assert (answer["path"], answer["domain"]) == ("/echo", f"127.0.0.1:{server.port}")


def test_a_dotenv_line_twilio_reads_differently_is_warned_about_at_start(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    (project / ".env").write_text("export GREETING=hello\n", encoding="utf-8")
    with StartedServer(project, "--no-reload") as server:
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"
        errors = " ".join(server.stderr_text().split())
    assert (
        f"{project.resolve() / '.env'} line 1: `export GREETING=...` is read here, but Twilio's Node tooling "
        "ignores the whole line; write `GREETING=...` without `export`." in errors
    )


def test_no_signature_check_warns_loudly_and_serves_protected_routes(tmp_path: Path) -> None:
    project = copy_project("server-visibility", tmp_path)
    with StartedServer(project, "--no-signature-check", "--no-reload") as server:
        response = httpx.post(server.url("/sms/reply"), data={"Body": "curl"}, timeout=10)
        errors = " ".join(server.stderr_text().split())
    assert response.status_code == 200
    assert (
        "SIGNATURE CHECKS ARE OFF (--no-signature-check): protected functions and assets answer ANY caller."
        in (errors)
    )


def test_no_logs_drops_request_lines_but_keeps_handler_output(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, "--no-logs", "--no-reload") as server:
        assert httpx.get(server.url("/printer"), timeout=10).text == "printed"
        output = server.wait_for_output("[/printer] printed by the handler")
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"
    assert " GET /printer " not in output
    assert " GET /text " not in server.stdout_text()


def test_invalid_options_are_errors(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    result = run_start(project, "--timeout", "0")
    assert (result.returncode, "--timeout 0 must be more than 0 seconds." in result.stderr) == (1, True)
    result = run_start(project, "--port", "70000")
    assert (result.returncode, "--port 70000 is not a port number." in result.stderr) == (1, True)
    (tmp_path / "empty").mkdir()
    result = run_start(tmp_path / "empty", "--port", "0")
    assert result.returncode == 1
    assert f"No pyserverless project found in {(tmp_path / 'empty').resolve()}" in "".join(
        result.stderr.split("│")
    )


def test_cwd_names_the_project(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, "--cwd", str(project), "--no-reload") as server:
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"


@pytest.mark.parametrize("mode", ["--reload", "--no-reload"])
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_the_server_with_exit_code_0(
    tmp_path: Path, stop_signal: int, mode: str
) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, mode) as server:
        assert httpx.get(server.url("/text"), timeout=10).text == "hello"
        assert server.process is not None
        server.process.send_signal(stop_signal)
        assert server.process.wait(timeout=15) == 0
        assert server.wait_for_output("Stopped.\n").endswith("text/plain; charset=utf-8\nStopped.\n")
        assert "Traceback" not in server.stderr_text()


def test_ipv6_loopback_host(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    with StartedServer(project, "--host", "::1", "--no-reload") as server:
        assert server.base_url == f"http://[::1]:{server.port}"
        answer = httpx.get(
            server.url("/echo"), headers={"X-Forwarded-Host": "abc.ngrok.app"}, timeout=10
        ).json()
    assert answer["domain"] == f"[::1]:{server.port}"  # a client's X-Forwarded-Host is never trusted


def test_urls_are_never_cut_or_wrapped_at_80_columns(tmp_path: Path) -> None:
    project = copy_project("server-visibility", tmp_path)
    public = "https://a-rather-long-tunnel-name-0123456789.trycloudflare.com"
    with StartedServer(project, "--public-url", public, env={"COLUMNS": "80"}) as server:
        lines = server.stdout_text().splitlines()
    assert f"/sms/reply  {public}/sms/reply" in lines
    assert '/helper  Runtime.get_functions()["helper"] (not served over HTTP)' in lines
    assert not any("│" in line and "http" in line for line in lines)
    where = f"{server.base_url}, public URL {public}"
    assert f"Server running at {where} (reloading on changes; Ctrl-C to stop)" in lines
