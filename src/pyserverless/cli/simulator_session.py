"""What `pyserverless sms` and `pyserverless call` share: opening the simulator, and showing handler output.

`simulator_session` finds the project, takes `--port`/`--env` defaults from `[tool.pyserverless]`, opens the
simulator (over HTTP, or in-process when no dev server listens) and, in-process, renders what the functions
print or log on stderr, tagged with their route as `pyserverless start` does, so stdout keeps only the replies
(and stays valid JSON with `--json`). Over HTTP the dev server shows that output in its own terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

if TYPE_CHECKING:
    from pyserverless.simulate.simulator import Simulator

#: Text from the functions and the user is printed as is: no rich markup, no highlighting, never wrapped.
LITERAL: dict[str, Any] = {"markup": False, "highlight": False, "soft_wrap": True}
QUIET: dict[str, Any] = {**LITERAL, "style": "dim"}
DEFAULT_FROM = "+14155550100"
DEFAULT_TO = "+14155550199"

# The options `simulator_session` reads (and the webhook method), declared once for `sms` and `call`.
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
EnvOption = Annotated[Path | None, typer.Option(help="The env file to load instead of the project's .env.")]
CwdOption = Annotated[Path | None, typer.Option(help="The project folder (default: the current one).")]


@contextmanager
def simulator_session(
    ctx: typer.Context,
    *,
    cwd: Path | None,
    url: str | None,
    port: int,
    env: Path | None,
    persist_cookies: bool,
) -> Iterator[Simulator]:
    from pyserverless.cli.flags import chosen_env_file, given
    from pyserverless.cli.output import err_console
    from pyserverless.config import choose, read_config
    from pyserverless.log_pipeline import LogPipeline
    from pyserverless.project import find_root
    from pyserverless.runtime.output import install_output_capture
    from pyserverless.simulate.simulator import open_simulator
    from pyserverless.simulate.transport import InProcessTransport

    root = find_root(cwd or Path.cwd())
    config, _ = read_config(root)
    with open_simulator(
        root,
        url=url,
        port=choose(given(ctx, "port"), port, config, "port"),
        env_file=chosen_env_file(ctx, env, config),
        persist_cookies=persist_cookies,
    ) as simulator:
        if not isinstance(simulator.transport, InProcessTransport):
            yield simulator
            return
        pipeline = LogPipeline(err_console, show_requests=False)
        install_output_capture()
        pipeline.start()
        try:
            yield simulator
        finally:
            pipeline.stop()
