"""`pyserverless replay [FILE...]`: send recorded requests again and show what answers changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import CwdOption, EnvFileOption, JsonOption
from pyserverless.cli.simulator_session import LITERAL

if TYPE_CHECKING:
    from pyserverless.simulate.replay import Replayed

#: The `[tool.pyserverless]` keys that give this command's defaults.
CONFIG_KEYS = ("env",)


def command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help="Recording files (default: every file in the project's .pyserverless/recordings/).",
        ),
    ] = None,
    *,
    url: Annotated[
        str | None,
        typer.Option(help="Base URL of a running server to send them to (default: the project in-process)."),
    ] = None,
    only: Annotated[
        str | None, typer.Option(metavar="<path>", help="Replay only the requests to this route.")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Accept the new answers: write them into the recordings.")
    ] = False,
    json_output: JsonOption = False,
    env: EnvFileOption = None,
    cwd: CwdOption = None,
) -> None:
    """Replay recorded requests (start --record) against the current code and diff the answers; exit 1
    when one changed."""
    from pyserverless.cli.plain_output import print_json
    from pyserverless.cli.simulator_session import showing_handler_output
    from pyserverless.errors import UserError
    from pyserverless.project.folder import find_root
    from pyserverless.simulate.replay import recording_files, route_of
    from pyserverless.simulate.simulator import open_simulator

    root = find_root(cwd or Path.cwd())
    paths = files or recording_files(root)
    route = route_of(only) if only is not None else None
    results: list[Replayed] = []
    with open_simulator(root, url=url, env_file=env, persist_cookies=False, find_server=False) as simulator:
        if route is not None:
            simulator.check_route(route)
        with showing_handler_output(simulator):
            for path in paths:
                replayed = simulator.replay(path, route)
                results.extend(replayed)
                if update and any(not item.same for item in replayed):
                    _update(path, replayed)
    if not results:
        where = f" to {route}" if route is not None else ""
        raise UserError(
            f"No recorded request{where} in {', '.join(str(path) for path in paths)}.",
            hint="Record some with `pyserverless start --record`, or check --only.",
        )
    if json_output:
        print_json([item.as_dict() for item in results])
    else:
        _show(results, update)
    if not update and any(not item.same for item in results):
        raise typer.Exit(1)


def _update(path: Path, replayed: list[Replayed]) -> None:
    """Write the new answers of `replayed` into the recording file they came from."""
    from pyserverless.server.recording import read_recordings, write_recordings

    recordings = read_recordings(path)
    for item in replayed:
        recordings[item.number - 1] = item.recording.with_answer(item.response)
    write_recordings(path, recordings)


def _show(results: list[Replayed], updated: bool) -> None:
    from pyserverless.cli.output import console

    changed = 0
    current: Path | None = None
    for item in results:
        if item.source != current:
            current = item.source
            console.print(str(current), style="bold", **LITERAL)
        if item.same:
            console.print(f"  ok       {item.name} {item.response.status}", **LITERAL)
            continue
        changed += 1
        label = "updated " if updated else "CHANGED "
        console.print(f"  {label} {item.name}: {', '.join(item.differences)}", style="yellow", **LITERAL)
        console.print(item.diff, **LITERAL)
    verdict = "updated" if updated else "changed"
    console.print(f"{len(results)} replayed, {len(results) - changed} same, {changed} {verdict}.", **LITERAL)
