"""The newcomer's first replies: `init` with no Twilio account, then `sms` and `call`, offline.

Every run has no TWILIO_* variable in its environment, so the project's `.env` has an empty AUTH_TOKEN: the
in-process simulator signs and checks with a throwaway token, while a running `start` keeps refusing unsigned
requests and `sms`/`call` say what to put in `.env`. They send over HTTP only to a `start` of their folder.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.support import cli_process
from tests.support.cli_process import panel_lines
from tests.support.counter_story import COUNTER_STORY
from tests.support.ports import free_port
from tests.support.server_process import StartedServer, copy_project

NO_TWILIO = {name: None for name in os.environ if name.startswith("TWILIO_")}
LOCAL_TOKEN = "No AUTH_TOKEN in .env: signed and checked with a throwaway local token (in-process)."
UNSIGNED_HINT = (
    "Warning: The function is protected and the request was not signed: the project's .env has no "
    "AUTH_TOKEN. Add the line AUTH_TOKEN=your_auth_token to .env (your Twilio auth token; for local tests "
    "any value works, and `pyserverless start` reloads on its own), or pass --env FILE."
)
UNAUTHORIZED = (
    "HTTP 401 text/plain; charset=utf-8\n"
    "Unauthorized: this route is protected and needs a valid X-Twilio-Signature.\n"
)


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli_process.run_cli(*args, cwd=project, env=NO_TWILIO)


def fresh_project(tmp_path: Path, *template: str) -> Path:
    created = run(tmp_path, "init", "demo", *template)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "demo"
    assert "AUTH_TOKEN=\n" in (project / ".env").read_text()
    return project


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_counter_story_from_a_fresh_init_with_no_account(tmp_path: Path) -> None:
    project = fresh_project(tmp_path)
    replies = []
    for _ in range(7):  # as README says it: the default port, where another server may well be running
        result = run(project, "sms", "/state", "hi")
        assert result.returncode == 0, result.stderr
        assert LOCAL_TOKEN in result.stderr.splitlines()
        replies.append(result.stdout)
    assert replies == [f"{text}\n" for text in COUNTER_STORY[:7]]


def test_the_first_reply_says_how_it_was_sent_in_two_lines(tmp_path: Path) -> None:
    project = fresh_project(tmp_path)
    port = free_port()
    result = run(project, "sms", "/state", "hi", "--port", str(port))
    assert (result.returncode, result.stdout) == (0, f"{COUNTER_STORY[0]}\n")
    assert result.stderr.splitlines() == [
        LOCAL_TOKEN,
        f"+14155550100 → +14155550199 · POST http://localhost:{port}/state (in-process)",
    ]


def test_the_voice_menu_from_a_fresh_init_with_no_account(tmp_path: Path) -> None:
    project = fresh_project(tmp_path, "--template", "voice-ivr")
    port = free_port()
    result = run(project, "call", "/ivr", "--digits", "2,1", "--port", str(port))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "“Thanks for calling!”",
        "“For our opening hours, press 1. To reach a department, press 2.”",
        "Gather: waits for dtmf, 1 digit(s)",
        "(caller presses 2)",
        "“For sales, press 1. For support, press 2. To go back, press 0.”",
        "Gather: waits for dtmf, 1 digit(s)",
        "(caller presses 1)",
        "“Connecting you to sales. Goodbye!”",
        "Hangup: the call ends.",
    ]
    assert result.stderr.splitlines() == [
        LOCAL_TOKEN,
        f"Calling http://localhost:{port}/ivr (in-process) from +14155550100 to +14155550199.",
    ]


def test_a_running_start_with_no_token_refuses_and_sms_says_what_to_put_in_env(tmp_path: Path) -> None:
    project = fresh_project(tmp_path)
    with StartedServer(project, env=NO_TWILIO) as server:
        result = run(project, "sms", "/state", "hi", "--port", str(server.port))
        signed = run(project, "sms", "/state", "hi", "--url", server.base_url)
        assert httpx.post(server.url("/state"), data={"Body": "hi"}).status_code == 401
        assert httpx.post(server.url("/hello-world")).status_code == 200
        server.wait_for_output("401 POST /state")
    assert (result.returncode, result.stdout) == (1, UNAUTHORIZED)
    assert result.stderr.splitlines()[0] == (
        f"+14155550100 → +14155550199 · POST http://localhost:{server.port}/state (over HTTP)"
    )
    assert one_line(result.stderr).endswith(UNSIGNED_HINT)
    assert (signed.returncode, signed.stdout) == (1, UNAUTHORIZED)


def test_call_says_why_a_running_start_refused_it(tmp_path: Path) -> None:
    project = fresh_project(tmp_path, "--template", "voice-ivr")
    with StartedServer(project, env=NO_TWILIO) as server:
        result = run(project, "call", "/ivr", "--digits", "1", "--port", str(server.port))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"HTTP 401 from http://localhost:{server.port}/ivr: Twilio says an application error occurred and "
        "hangs up.",
        "Unauthorized: this route is protected and needs a valid X-Twilio-Signature.",
    ]
    assert one_line(result.stderr).endswith(UNSIGNED_HINT)


def test_a_start_of_another_project_is_not_used(tmp_path: Path) -> None:
    project = fresh_project(tmp_path)
    other = copy_project("simulate-counter", tmp_path)
    with StartedServer(other) as server:
        result = run(project, "sms", "/state", "hi", "--port", str(server.port))
        answered = httpx.get(server.url("/plain")).text  # a request the other server logs after the probe
        server.wait_for_output("GET /plain")
    assert (result.returncode, result.stdout) == (0, f"{COUNTER_STORY[0]}\n")
    assert result.stderr.splitlines() == [
        f"localhost:{server.port} is not a `pyserverless start` of this project ({project.resolve()}): "
        "running the project in-process instead.",
        LOCAL_TOKEN,
        f"+14155550100 → +14155550199 · POST http://localhost:{server.port}/state (in-process)",
    ]
    assert answered == "just text"
    assert "POST /state" not in server.stdout_text()


@pytest.mark.parametrize(
    ("command", "hint"),
    [
        (
            ("sms", "/stat", "hi"),
            "Did you mean /state? Its functions: /hello-world, /private-message, /sms/reply, /state.",
        ),
        (("call", "/nothing-like-it"), "Its functions: /hello-world, /private-message, /sms/reply, /state."),
        (
            ("sms", "hello"),
            "Did you mean /hello-world? Its functions: /hello-world, /private-message, /sms/reply, /state.",
        ),
    ],
)
def test_an_unknown_route_lists_the_routes_and_the_nearest(
    tmp_path: Path, command: tuple[str, ...], hint: str
) -> None:
    project = fresh_project(tmp_path)
    result = run(project, *command, "--port", str(free_port()))
    assert (result.returncode, result.stdout) == (1, "")
    route = "/" + command[1].lstrip("/")
    assert panel_lines(result.stderr) == [f"The project has no function or asset at {route}.", "", hint]
