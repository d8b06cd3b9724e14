"""`pyserverless sms` in a real subprocess: in-process (no server listening) and against a real `start`."""

from __future__ import annotations

import json
from pathlib import Path

from pyserverless.simulate import open_simulator
from tests.functional.simulate.conftest import RunCli
from tests.support.counter_story import ALICE, BOB, COUNTER_STORY
from tests.support.server_process import StartedServer


def tell_the_story(run_cli: RunCli, project: Path, *where: str) -> tuple[list[str], list[str]]:
    """Run `pyserverless sms /state hi` once per message: Alice's eight, with three of Bob's in between."""
    alice, bob = [], []
    for turn in range(len(COUNTER_STORY)):
        result = run_cli(project, "sms", "/state", "hi", "--from", ALICE, *where)
        assert result.returncode == 0, result.stderr
        alice.append(result.stdout)
        if turn in (1, 4, 6):
            result = run_cli(project, "sms", "/state", "hey", "--from", BOB, *where)
            assert result.returncode == 0, result.stderr
            bob.append(result.stdout)
    return alice, bob


def test_the_counter_story_in_process_across_runs(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    alice, bob = tell_the_story(run_cli, counter_project, "--port", str(idle_port))
    assert alice == [f"{text}\n" for text in COUNTER_STORY]
    assert bob == [f"{text}\n" for text in COUNTER_STORY[:3]]
    saved = json.loads((counter_project / ".pyserverless" / "cookies.json").read_text())
    assert sorted((c["from"], c["to"], c["cookies"][0]["value"]) for c in saved["conversations"]) == [
        (ALICE, "+14155550199", "1"),
        (BOB, "+14155550199", "3"),
    ]


def test_the_counter_story_against_a_running_start_server(counter_project: Path) -> None:
    with (
        StartedServer(counter_project) as server,
        open_simulator(counter_project, url=server.base_url) as simulator,
    ):
        alice = simulator.sms("/state", from_=ALICE)
        bob = simulator.sms("/state", from_=BOB)
        alice_replies, bob_replies = [], []
        for turn in range(len(COUNTER_STORY)):
            alice_replies.extend(alice.send("hi").messages)
            if turn in (1, 4, 6):
                bob_replies.extend(bob.send("hey").messages)
        server.wait_for_output("POST /state")
    assert simulator.transport.description == "over HTTP"
    assert alice_replies == COUNTER_STORY
    assert bob_replies == COUNTER_STORY[:3]


def test_the_dev_server_on_the_configured_port_is_used_when_it_runs(
    run_cli: RunCli, counter_project: Path
) -> None:
    with StartedServer(counter_project) as server:
        result = run_cli(counter_project, "sms", "/state", "hi", "--port", str(server.port))
        server.wait_for_output("200 POST /state")
    assert result.stdout == f"{COUNTER_STORY[0]}\n"
    assert (
        result.stderr
        == f"+14155550100 → +14155550199 · POST http://localhost:{server.port}/state (over HTTP)\n"
    )


def test_reset_clears_the_pair(run_cli: RunCli, counter_project: Path, idle_port: int) -> None:
    port = ("--port", str(idle_port))
    run_cli(counter_project, "sms", "/state", "hi", *port)
    assert run_cli(counter_project, "sms", "/state", "hi", *port).stdout == f"{COUNTER_STORY[1]}\n"
    assert run_cli(counter_project, "sms", "/state", "hi", "--reset", *port).stdout == f"{COUNTER_STORY[0]}\n"


def test_messages_media_and_redirect_are_shown(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    result = run_cli(counter_project, "sms", "/media", "hello", "--port", str(idle_port))
    assert result.returncode == 0
    assert result.stdout == (
        "Here is a cat\n"
        "  media: https://demo.twilio.com/owl.png\n"
        "[to +14155550123] And a note to the team\n"
        "Redirected with 'hello' from +14155550100\n"
    )
    assert (
        result.stderr
        == f"+14155550100 → +14155550199 · POST http://localhost:{idle_port}/media (in-process)\n"
    )


def test_an_error_status_is_shown_plainly(run_cli: RunCli, counter_project: Path, idle_port: int) -> None:
    result = run_cli(counter_project, "sms", "/broken", "hello", "--port", str(idle_port))
    assert result.returncode == 1
    status, body = result.stdout.split("\n", 1)
    assert status == "HTTP 500 application/json; charset=utf-8"
    assert json.loads(body)["message"] == "the database is down"


def test_a_plain_answer_is_shown_with_its_status(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    result = run_cli(counter_project, "sms", "/plain", "hello", "--port", str(idle_port))
    assert (result.returncode, result.stdout) == (0, "HTTP 200 text/plain; charset=utf-8\njust text\n")


def test_json_output(run_cli: RunCli, counter_project: Path, idle_port: int) -> None:
    result = run_cli(
        counter_project, "sms", "/state", "hi", "--json", "--method", "get", "--port", str(idle_port)
    )
    reply = json.loads(result.stdout)
    assert result.stderr == ""
    assert reply["messages"] == [{"body": COUNTER_STORY[0], "from": None, "media": [], "to": None}]
    assert reply["status"] == 200
    (request,) = reply["requests"]
    assert request["method"] == "GET"
    assert request["set_cookies"] == ["count=1;Max-Age=86400"]
    assert request["params"]["Body"] == "hi"


def test_an_interactive_conversation_until_end_of_input(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    result = run_cli(counter_project, "sms", "/state", "--port", str(idle_port), input="hi\n\nagain\nmore\n")
    assert result.returncode == 0
    assert result.stdout == (
        f"you> {COUNTER_STORY[0]}\nyou> you> {COUNTER_STORY[1]}\nyou> {COUNTER_STORY[2]}\nyou> \n"
    )
    assert result.stderr == (
        f"Texting http://localhost:{idle_port}/state (in-process) as +14155550100 → +14155550199. "
        "Type a message and press Enter; Ctrl-D ends.\n"
    )


def test_a_project_with_no_auth_token_is_signed_with_a_throwaway_one_in_process(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    (counter_project / ".env").write_text("ACCOUNT_SID=AC00000000000000000000000000000001\n")
    result = run_cli(counter_project, "sms", "/state", "hi", "--port", str(idle_port))
    assert (result.returncode, result.stdout) == (0, f"{COUNTER_STORY[0]}\n")
    assert result.stderr.splitlines() == [
        "No AUTH_TOKEN in .env: signed and checked with a throwaway local token (in-process).",
        f"+14155550100 → +14155550199 · POST http://localhost:{idle_port}/state (in-process)",
    ]


def test_handler_output_goes_to_stderr_tagged_with_the_route(
    run_cli: RunCli, counter_project: Path, idle_port: int
) -> None:
    result = run_cli(counter_project, "sms", "/chatty", "42", "--json", "--port", str(idle_port))
    assert json.loads(result.stdout)["messages"][0]["body"] == "Your order is on its way"
    logged = [line.split(" ", 1)[1] for line in result.stderr.splitlines()]
    assert logged == ["[/chatty] looking up 42", "[/chatty] order 42 is late"]
