"""The reload supervisor seen from outside: what restarts it, what it says, and how it survives user code."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
import pytest

from tests.support.processes import children_of, wait_gone
from tests.support.reloads import RELOADED, wait_for_count
from tests.support.server_process import StartedServer

CONFLICT_ERROR = (
    "functions/hello.public.py and functions/hello.py both map to the route /hello.\n"
    "Rename or remove one of them: each route must come from one file."
)
LOAD_FAILURE = (
    f"The project could not be loaded: {CONFLICT_ERROR}\n"
    "Fix it and save: the server restarts on the next change.\n"
)


def answer(text: str) -> str:
    return f"def handler(context, event, callback):\n    callback(None, {text!r})\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "watched"
    (root / "functions").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "functions" / "hello.py").write_text(answer("hello"))
    (root / "functions" / "greeting.py").write_text(
        "def handler(context, event, callback):\n    callback(None, context.GREETING)\n"
    )
    (root / "assets" / "a.txt").write_text("a")
    (root / ".env").write_text("GREETING=hi\n")
    (root / "pyproject.toml").write_text("[tool.pyserverless]\n")
    return root


def reload_lines(output: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in output.splitlines() if RELOADED in line]


def test_what_counts_as_a_change(project: Path) -> None:
    with StartedServer(project, "--no-logs") as server:
        assert httpx.get(server.url("/greeting")).text == "hi"
        (project / "assets" / "a.txt").write_text("edited")  # read live: no restart
        (project / "functions" / "__pycache__").mkdir()
        (project / "functions" / "__pycache__" / "hello.cpython-311.pyc").write_bytes(b"cache")
        (project / "functions" / ".hello.py.swp").write_text("editor")
        (project / "notes.md").write_text("not part of the project's code")
        time.sleep(0.5)
        (project / ".env").write_text("GREETING=hello again\n")
        output = wait_for_count(server, RELOADED, 1)
        assert httpx.get(server.url("/greeting")).text == "hello again"
        assert httpx.get(server.url("/a.txt")).text == "edited"

        (project / "pyproject.toml").write_text("[tool.pyserverless]\ntimeout = 5\n")
        wait_for_count(server, RELOADED, 2)
        routes_before = server.stdout_text().count("Routes")
        (project / "assets" / "b.txt").write_text("b")
        wait_for_count(server, RELOADED, 3)
        output = server.wait_for_output(f"{server.base_url}/b.txt")  # the table again: /b.txt is new
        assert httpx.get(server.url("/b.txt")).text == "b"

    lines = reload_lines(output)
    assert [line.split(" → ")[0] for line in lines] == [
        "↻ .env modified",
        "↻ pyproject.toml modified",
        "↻ assets/b.txt added",
    ]
    assert output.count("Routes") == routes_before + 1


def test_a_worker_that_dies_while_serving_is_restarted(project: Path) -> None:
    (project / "functions" / "die.py").write_text(
        "import os\n\ndef handler(context, event, callback):\n    os._exit(3)\n"
    )
    with StartedServer(project, "--no-logs") as server:
        with pytest.raises(httpx.HTTPError):
            httpx.get(server.url("/die"))
        output = wait_for_count(server, RELOADED, 1)
        assert "✗ The server process died (exit code 3)." in output
        assert "↻ restarted after the server process died → reloaded, ready in " in output
        assert httpx.get(server.url("/hello")).text == "hello"


def test_a_project_that_cannot_load_answers_503_with_the_error_until_it_is_fixed(project: Path) -> None:
    with StartedServer(project) as server:
        (project / "functions" / "hello.public.py").write_text(answer("twin"))
        wait_for_count(server, "✗ The server could not start", 1)
        assert server.process is not None and server.process.poll() is None
        for path in ("/hello", "/greeting", "/a.txt", "/nothing"):
            response = httpx.get(server.url(path), timeout=30)
            assert (response.status_code, response.headers["content-type"]) == (
                503,
                "text/plain; charset=utf-8",
            )
            assert response.text == LOAD_FAILURE
        output = server.wait_for_output("503 GET /nothing")
        assert f": {CONFLICT_ERROR}\n" in output  # after the change, or at first if the change came first
        until = "Until then every request gets 503 with this error."
        assert f"  Fix it and save: the server restarts on the next change. {until}" in output
        (project / "functions" / "hello.public.py").unlink()
        wait_for_count(server, RELOADED, 1)
        assert httpx.get(server.url("/hello")).text == "hello"


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def test_start_is_a_parent_and_two_worker_programs_without_a_resource_tracker(project: Path) -> None:
    with StartedServer(project, "--no-logs") as server:
        assert httpx.get(server.url("/hello")).text == "hello"
        assert server.process is not None
        deadline = time.monotonic() + 30
        while len(children_of(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # the spare starts once the first worker serves
        workers = [command_line(pid) for pid in sorted(children_of(server.process.pid))]
    assert [line[1:3] for line in workers] == [["-m", "pyserverless.dev.worker"]] * 2


def test_sigterm_stops_every_process_with_exit_code_0(project: Path) -> None:
    server = StartedServer(project, "--no-logs")
    with server:
        assert httpx.get(server.url("/hello")).text == "hello"
        assert server.process is not None
        processes = children_of(server.process.pid) | {server.process.pid}
        assert len(processes) >= 3  # the parent, the serving worker and the spare
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=15) == 0
    assert wait_gone(processes) == set()


def test_no_reload_serves_in_one_process(project: Path) -> None:
    with StartedServer(project, "--no-reload", "--no-logs") as server:
        assert "(no reload; Ctrl-C to stop)" in server.stdout_text()
        assert httpx.get(server.url("/hello")).text == "hello"
        assert server.process is not None
        assert children_of(server.process.pid) == set()
        (project / "functions" / "hello.py").write_text(answer("changed"))
        time.sleep(0.5)
        assert httpx.get(server.url("/hello")).text == "hello"
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=15) == 0
    assert RELOADED not in server.stdout_text()
