"""pytest plugin: the `twilio_sim` fixture texts and calls a project's functions in-process, as Twilio would.

Registered through the `pytest11` entry point, so any project with pyserverless installed gets the fixture
with no configuration. Loading the plugin imports nothing but pytest: the simulator and the runtime are
imported when a test first asks for `twilio_sim`, so test runs that never use it are not slowed down.

    def test_counter(twilio_sim):
        conv = twilio_sim.sms("/state", from_="+15551111111")
        assert conv.send("hi").messages == ["Hello, thanks for the new message!"]
        twilio_sim.clock.advance(hours=4)          # Twilio forgets the conversation's cookies after 4 hours

    def test_menu(twilio_sim):
        call = twilio_sim.call("/voice").press("1")
        assert call.said[-1] == "..."

    def test_recorded_traffic(twilio_sim):     # a file `pyserverless start --record` wrote, kept in tests/
        twilio_sim.assert_replay(Path(__file__).parent / "recordings" / "counter.jsonl")

The project is the nearest folder at or above the test file holding `functions/` or `assets/`; override the
`twilio_sim_project` fixture to point elsewhere. `twilio_sim_env` (empty unless overridden, for example with
`@pytest.mark.parametrize("twilio_sim_env", [{"MY_PHONE_NUMBER": "+15551234567"}])`) sets variables over the
project's `.env` for one test. Requests are signed with the project's `AUTH_TOKEN` (from its
`.env`); when it has none, the fixture uses a test token for both signing and checking, so protected functions
can be tested without secrets. The clock is a `ManualClock` that only moves when the test moves it; cookies
are kept in memory and start empty in every test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pyserverless.simulate.simulator import TwilioSim

__all__ = [
    "TEST_AUTH_TOKEN",
    "TwilioSim",
    "simulator_for_tests",
    "twilio_sim",
    "twilio_sim_env",
    "twilio_sim_project",
]

#: The AUTH_TOKEN the fixture signs and checks with when the project's environment has none.
TEST_AUTH_TOKEN = "pyserverless-test-auth-token"


def simulator_for_tests(
    root: Path,
    env_file: Path | None = None,
    start: float | None = None,
    env: Mapping[str, str] | None = None,
) -> TwilioSim:
    """An in-process simulator for the project at `root`, with a `ManualClock` (at `start`, default now) and
    an in-memory cookie jar; `env` sets variables over the project's `.env`. Close it when done (the fixture
    does)."""
    from pyserverless.project.folder import load_project
    from pyserverless.simulate.clock import ManualClock
    from pyserverless.simulate.simulator import DEFAULT_PORT, TwilioSim
    from pyserverless.simulate.transport import InProcessTransport

    project = load_project(root, env_file)
    env = {**project.env, **(env or {})}
    if not env.get("AUTH_TOKEN"):
        env["AUTH_TOKEN"] = TEST_AUTH_TOKEN
    transport = InProcessTransport(project, env)
    return TwilioSim(transport, f"http://localhost:{DEFAULT_PORT}", env, clock=ManualClock(start))


@pytest.fixture
def twilio_sim_project(request: pytest.FixtureRequest) -> Path:
    """The project the `twilio_sim` fixture runs: the nearest project folder above the test file."""
    from pyserverless.errors import UserError
    from pyserverless.project.folder import find_root

    try:
        return find_root(Path(str(request.path)).parent)
    except UserError as error:
        pytest.fail(f"twilio_sim: {error.message} Override the twilio_sim_project fixture.", pytrace=False)


@pytest.fixture
def twilio_sim_env() -> dict[str, str]:
    """Variables set over the project's `.env` for a test: none unless a test overrides this fixture."""
    return {}


@pytest.fixture
def twilio_sim(twilio_sim_project: Path, twilio_sim_env: Mapping[str, str]) -> Iterator[TwilioSim]:
    """A simulator running the project in-process: `.sms(path, from_=, to=)`, `.call(path, from_=, to=)`,
    `.clock.advance(hours=...)`."""
    saved_environ = dict(os.environ)
    simulator = simulator_for_tests(twilio_sim_project, env=twilio_sim_env)
    try:
        yield simulator
    finally:
        simulator.close()
        os.environ.clear()
        os.environ.update(saved_environ)


def __getattr__(name: str) -> Any:
    if name == "TwilioSim":  # for annotations (`twilio_sim: TwilioSim`), imported only when asked for
        from pyserverless.simulate.simulator import TwilioSim

        return TwilioSim
    raise AttributeError(f"module 'pyserverless.testing' has no attribute {name!r}")
