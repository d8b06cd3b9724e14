"""Record real traffic with `pyserverless start --record`, then `pyserverless replay` it against later code.

Three signed messages of the counter conversation go through a real `start --record`, each with the cookie
the one before set; the recording replays unchanged (exit 0), and once the function's text changes, the replay
exits 1 with a diff naming the change, until `--update` accepts it.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from pyserverless.testing import simulator_for_tests
from tests.support.cli_process import panel_lines, run_cli
from tests.support.server_process import StartedServer, copy_project

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "default"
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
SENDER, RECIPIENT = "+15550001111", "+15559998888"
STATE_FUNCTION = Path("functions") / "state.protected.py"
#: A request line of the log: `12:00:00 200 POST /state 3.1 ms text/xml; charset=utf-8 (recorded)`.
REQUEST_LINE = re.compile(r"\d\d:\d\d:\d\d \d{3} [A-Z]+ /")


def reply(text: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{text}</Message></Response>'


@pytest.fixture
def recorded_project(tmp_path: Path) -> Path:
    """The default template, its counter conversation (three messages) recorded by `start --record`."""
    project = tmp_path / "counter"
    shutil.copytree(TEMPLATE, project)
    (project / ".env").write_text(f"ACCOUNT_SID=AC{'a' * 32}\nAUTH_TOKEN={AUTH_TOKEN}\n")
    validator = RequestValidator(AUTH_TOKEN)
    cookie = ""
    with StartedServer(project, "--record") as server, httpx.Client(timeout=20) as client:
        assert f"Recording requests to functions in {project / '.pyserverless' / 'recordings'}" in (
            server.stdout_text()
        )
        url = server.url("/state")
        for number in range(3):
            params = {"From": SENDER, "To": RECIPIENT, "Body": f"message {number}"}
            headers = {"X-Twilio-Signature": validator.compute_signature(url, params)}
            if cookie:
                headers["Cookie"] = cookie
            response = client.post(url, data=params, headers=headers)
            assert response.status_code == 200
            cookie = response.headers["set-cookie"]
        assert client.get(server.url("/style.css")).status_code == 200  # an asset: not recorded
        assert client.post(url, data={"Body": "forged"}).status_code == 401  # refused: never reached it
        log = server.wait_for_output("401 POST /state")
    request_lines = [line.split(" ", 1)[1] for line in log.splitlines() if REQUEST_LINE.match(line)]
    assert [
        (line.split(" ms")[0].rsplit(" ", 1)[0], line.endswith("(recorded)")) for line in request_lines
    ] == [
        ("200 POST /state", True),
        ("200 POST /state", True),
        ("200 POST /state", True),
        ("200 GET /style.css", False),
        ("401 POST /state", False),
    ]
    return project


def recording_file(project: Path) -> Path:
    (file,) = (project / ".pyserverless" / "recordings").iterdir()
    return file


def test_start_record_writes_one_private_line_per_request_to_a_function(recorded_project: Path) -> None:
    file = recording_file(recorded_project)
    assert file.suffix == ".jsonl"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    text = file.read_text()
    assert AUTH_TOKEN not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["request"]["cookies"] for line in lines] == [{}, {"count": "1"}, {"count": "2"}]
    assert [line["response"]["body"] for line in lines] == [
        reply("Hello, thanks for the new message!"),
        reply("Your current count is 1"),
        reply("Your current count is 2"),
    ]
    first = lines[0]
    assert first["request"]["method"] == "POST"
    assert first["request"]["path"] == "/state"
    assert first["request"]["body"] == "From=%2B15550001111&To=%2B15559998888&Body=message+0"
    header_names = [name for name, _ in first["request"]["headers"]]
    assert "x-twilio-signature" in header_names
    assert not {"host", "cookie", "content-length"} & set(header_names)
    assert first["response"]["status"] == 200
    assert ["set-cookie", "count=1"] in first["response"]["headers"]


def test_replay_matches_then_shows_the_change_then_accepts_it(recorded_project: Path) -> None:
    same = run_cli("replay", cwd=recorded_project)
    assert same.returncode == 0, same.stderr
    file = recording_file(recorded_project)
    assert same.stdout.splitlines() == [
        str(file),
        "  ok       #1 POST /state 200",
        "  ok       #2 POST /state 200",
        "  ok       #3 POST /state 200",
        "3 replayed, 3 same, 0 changed.",
    ]

    function = recorded_project / STATE_FUNCTION
    function.write_text(function.read_text().replace("Your current count is", "Your count is now"))
    changed = run_cli("replay", cwd=recorded_project)
    assert changed.returncode == 1
    assert changed.stdout.splitlines() == [
        str(file),
        "  ok       #1 POST /state 200",
        "  CHANGED  #2 POST /state: body",
        "--- recorded",
        "+++ replayed",
        "@@ -1,4 +1,4 @@",
        " HTTP 200",
        " <Response>",
        "-  <Message>Your current count is 1</Message>",
        "+  <Message>Your count is now 1</Message>",
        " </Response>",
        "  CHANGED  #3 POST /state: body",
        "--- recorded",
        "+++ replayed",
        "@@ -1,4 +1,4 @@",
        " HTTP 200",
        " <Response>",
        "-  <Message>Your current count is 2</Message>",
        "+  <Message>Your count is now 2</Message>",
        " </Response>",
        "3 replayed, 1 same, 2 changed.",
    ]

    as_json = run_cli("replay", str(file), "--json", cwd=recorded_project)
    assert as_json.returncode == 1
    assert [(item["number"], item["same"], item["differences"]) for item in json.loads(as_json.stdout)] == [
        (1, True, []),
        (2, False, ["body"]),
        (3, False, ["body"]),
    ]

    updated = run_cli("replay", "--update", cwd=recorded_project)
    assert updated.returncode == 0
    assert updated.stdout.splitlines()[-1] == "3 replayed, 1 same, 2 updated."
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert run_cli("replay", cwd=recorded_project).returncode == 0


def test_replay_only_one_route_and_over_http(recorded_project: Path) -> None:
    only = run_cli("replay", "--only", "state", cwd=recorded_project)
    assert only.returncode == 0
    refused = run_cli("replay", "--only", "/sate", cwd=recorded_project)
    assert refused.returncode == 1
    assert "The project has no function or asset at /sate." in refused.stderr
    with StartedServer(recorded_project) as server:
        over_http = run_cli("replay", "--url", server.base_url, cwd=recorded_project)
    assert over_http.returncode == 0, over_http.stdout + over_http.stderr
    assert over_http.stdout.splitlines()[-1] == "3 replayed, 3 same, 0 changed."


def test_a_project_keeps_a_recording_as_a_regression_test(recorded_project: Path) -> None:
    kept = recorded_project / "tests" / "counter.jsonl"
    shutil.copy(recording_file(recorded_project), kept)
    (recorded_project / ".env").unlink()  # a test run has no AUTH_TOKEN: the fixture's test token signs
    simulator = simulator_for_tests(recorded_project)
    try:
        assert [item.response.status for item in simulator.assert_replay(kept)] == [200, 200, 200]
        function = recorded_project / STATE_FUNCTION
        function.write_text(function.read_text().replace("thanks for", "thank you for"))
    finally:
        simulator.close()
    simulator = simulator_for_tests(recorded_project)
    try:
        with pytest.raises(AssertionError) as failure:
            simulator.assert_replay(kept)
    finally:
        simulator.close()
    assert str(failure.value).splitlines()[:6] == [
        "1 of 3 recorded answers changed:",
        "#1 POST /state: body",
        "--- recorded",
        "+++ replayed",
        "@@ -1,4 +1,4 @@",
        " HTTP 200",
    ]
    assert "+  <Message>Hello, thank you for the new message!</Message>" in str(failure.value)


def test_record_true_in_the_config_records_and_no_record_overrides_it(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    (project / "pyproject.toml").write_text("[tool.pyserverless]\nrecord = true\n")
    with StartedServer(project) as server:
        assert httpx.get(server.url("/json-dict")).status_code == 200
        server.wait_for_output("GET /json-dict")
    with StartedServer(project, "--no-record") as server:
        assert httpx.get(server.url("/json-list")).status_code == 200
        log = server.wait_for_output("GET /json-list")
    assert "Recording requests" not in log
    lines = recording_file(project).read_text().splitlines()
    assert [json.loads(line)["request"]["path"] for line in lines] == ["/json-dict"]
    (project / ".env").unlink()
    replayed = run_cli("replay", cwd=project)  # the project has no .env: a throwaway token signs
    assert replayed.returncode == 0
    assert replayed.stderr == (
        "No AUTH_TOKEN in the project (no .env): signed and checked with a throwaway local token "
        "(in-process).\n"
    )


def test_replay_says_what_is_missing(tmp_path: Path) -> None:
    project = copy_project("server-payloads", tmp_path)
    nothing = run_cli("replay", cwd=project)
    assert nothing.returncode == 1
    assert panel_lines(nothing.stderr) == [
        f"No recordings in {project / '.pyserverless' / 'recordings'}.",
        "",
        "Record real traffic with `pyserverless start --record`, or name recording files.",
    ]
    missing = run_cli("replay", "gone.jsonl", cwd=project)
    assert panel_lines(missing.stderr)[0] == "gone.jsonl: no such recording file."
    (project / "other.jsonl").write_text("")
    empty = run_cli("replay", "other.jsonl", cwd=project)
    assert empty.returncode == 1
    assert panel_lines(empty.stderr)[0] == "No recorded request in other.jsonl."


def test_the_twilio_sim_fixture_replays_a_kept_recording(recorded_project: Path) -> None:
    recordings = recorded_project / "tests" / "recordings"
    recordings.mkdir()
    shutil.copy(recording_file(recorded_project), recordings / "counter.jsonl")
    (recorded_project / "tests" / "test_recorded.py").write_text(
        "from pathlib import Path\n\n"
        'RECORDINGS = Path(__file__).parent / "recordings"\n\n\n'
        "def test_what_twilio_really_sent_still_gets_the_same_answers(twilio_sim):\n"
        '    twilio_sim.assert_replay(RECORDINGS / "counter.jsonl")\n'
    )
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_recorded.py"]
    passed = subprocess.run(command, cwd=recorded_project, capture_output=True, text=True, check=False)
    assert passed.returncode == 0, passed.stdout
    function = recorded_project / STATE_FUNCTION
    function.write_text(function.read_text().replace("Your current count is", "Your count is now"))
    failed = subprocess.run(command, cwd=recorded_project, capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "AssertionError: 2 of 3 recorded answers changed:" in failed.stdout
    assert "+  <Message>Your count is now 2</Message>" in failed.stdout
