"""What `pyserverless sms` and `pyserverless call` share: their options, opening the simulator, and showing
handler output.

`@simulator_options` gives a command `--url`, `--port`, `--env` and `--cwd` and passes it one `target:
SimulatorTarget`; `target.session(path, ...)` finds the project, opens the simulator (over HTTP to a `start`
of this project, or in-process), prints its notes (why in-process, a throwaway AUTH_TOKEN) on stderr, refuses
a path that is no route of the project, and, in-process, renders what the functions print or log on stderr,
tagged with their route as `pyserverless start` does, so stdout keeps only the replies (and stays valid JSON
with `--json`). Over HTTP the dev server shows that output in its own terminal. `refusal_hint` says why a
function answered 401.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from pyserverless.cli.options import Command, CwdOption, EnvFileOption, with_shared_options

if TYPE_CHECKING:
    from pyserverless.simulate.simulator import Exchange, Simulator

#: Text from the functions and the user is printed as is: no rich markup, no highlighting, never wrapped.
LITERAL: dict[str, Any] = {"markup": False, "highlight": False, "soft_wrap": True}
QUIET: dict[str, Any] = {**LITERAL, "style": "dim"}
DEFAULT_FROM = "+14155550100"
DEFAULT_TO = "+14155550199"

UrlOption = Annotated[
    str | None,
    typer.Option(
        help="Base URL of a running server (a dev server, a tunnel, a deployment). Default: the local "
        "`start` server (http://localhost:PORT) when one is running, else the project in-process."
    ),
]
PortOption = Annotated[
    int, typer.Option(help="Port of the local dev server to look for (default from config, else 3000).")
]
MethodOption = Annotated[
    Literal["POST", "GET"], typer.Option(case_sensitive=False, help="HTTP method of the webhook.")
]
#: The `[tool.pyserverless]` keys that give the defaults of `sms` and `call`.
CONFIG_KEYS = ("port", "env")

_KEYWORD = inspect.Parameter.KEYWORD_ONLY
_TARGET_PARAMETERS = [
    inspect.Parameter("url", _KEYWORD, default=None, annotation=UrlOption),
    inspect.Parameter("port", _KEYWORD, default=3000, annotation=PortOption),
    inspect.Parameter("env", _KEYWORD, default=None, annotation=EnvFileOption),
    inspect.Parameter("cwd", _KEYWORD, default=None, annotation=CwdOption),
]


@dataclass(frozen=True)
class SimulatorTarget:
    """Where `sms` and `call` send: `--url`, else a `start` server on `--port`, else the project itself."""

    url: str | None
    port: int
    env: Path | None
    cwd: Path | None

    @contextmanager
    def session(self, path: str, *, persist_cookies: bool) -> Iterator[Simulator]:
        """The simulator for `path`, with handler output shown on stderr while it runs in-process."""
        from pyserverless.project.folder import find_root
        from pyserverless.simulate.simulator import open_simulator

        root = find_root(self.cwd or Path.cwd())
        with open_simulator(
            root, url=self.url, port=self.port, env_file=self.env, persist_cookies=persist_cookies
        ) as simulator:
            simulator.check_route(path)
            with showing_handler_output(simulator):
                yield simulator


@contextmanager
def showing_handler_output(simulator: Simulator) -> Iterator[None]:
    """Print the simulator's notes, then, in-process, what the functions print or log, on stderr."""
    from pyserverless.cli.output import err_console
    from pyserverless.runtime.output import install_output_capture
    from pyserverless.server.request_log import LogPipeline
    from pyserverless.simulate.transport import InProcessTransport

    for note in simulator.notes:
        err_console.print(note, **QUIET)
    if not isinstance(simulator.transport, InProcessTransport):
        yield
        return
    pipeline = LogPipeline(err_console, show_requests=False)
    install_output_capture()
    pipeline.start()
    try:
        yield
    finally:
        pipeline.stop()


def refusal_hint(exchange: Exchange) -> str | None:
    """Why a protected function refused the request and what to do, for a 401; else None."""
    if exchange.status != 401:
        return None
    if not exchange.signed:
        return (
            "The function is protected and the request was not signed: the project's .env has no AUTH_TOKEN. "
            "Add the line AUTH_TOKEN=your_auth_token to .env (your Twilio auth token; for local tests any "
            "value works, and `pyserverless start` reloads on its own), or pass --env FILE."
        )
    return (
        "The function is protected and refused the signature: the server checks with another AUTH_TOKEN or "
        "another URL than this project's (its own --env or --public-url?)."
    )


def simulator_options(command: Command) -> Command:
    """Add `--url`, `--port`, `--env` and `--cwd` to `command`, which takes `target: SimulatorTarget`."""
    return with_shared_options(command, "target", _TARGET_PARAMETERS, SimulatorTarget)
