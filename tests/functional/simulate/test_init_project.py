"""A project made by `pyserverless init` passes its own tests (using `twilio_sim`) and ours, in its pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.functional.simulate.conftest import RunCli
from tests.support.server_process import child_env

SIMULATED_TESTS = """
COUNT = ["Hello, thanks for the new message!", "Your current count is 1", "Your current count is 2"]


def test_sms_reply(twilio_sim):
    assert twilio_sim.sms("/sms/reply").send("Hi there").messages == ["Hello World!"]


def test_hello_world(twilio_sim):
    call = twilio_sim.call("/hello-world")
    assert (call.said, call.ended) == (["Hello World!"], True)


def test_state_per_pair_and_four_hours(twilio_sim):
    alice = twilio_sim.sms("/state", from_="+15551111111")
    bob = twilio_sim.sms("/state", from_="+15552222222")
    assert [alice.send("hi").messages[0] for _ in range(3)] == COUNT
    assert bob.send("hi").messages == COUNT[:1]
    twilio_sim.clock.advance(hours=4)
    assert alice.send("hi").messages == COUNT[:1]


def test_private_assets_stay_private(twilio_sim):
    assert twilio_sim.sms("/message.txt").send("hi").status == 403
"""


def test_the_default_project_passes_its_tests_with_the_fixture(run_cli: RunCli, tmp_path: Path) -> None:
    created = run_cli(tmp_path, "init", "my-service")
    assert created.returncode == 0, created.stderr
    project = tmp_path / "my-service"
    assert "twilio_sim" in (project / "tests" / "test_functions.py").read_text()
    (project / "tests" / "test_simulated.py").write_text(SIMULATED_TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider"],
        stdin=subprocess.DEVNULL,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=child_env(),
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    passed = [
        line.split("::")[-1]
        for line in result.stdout.splitlines()
        if line.startswith("PASSED tests/test_simulated")
    ]
    assert passed == [
        "test_sms_reply",
        "test_hello_world",
        "test_state_per_pair_and_four_hours",
        "test_private_assets_stay_private",
    ]
