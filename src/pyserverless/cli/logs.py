"""`pyserverless logs`: a deployed environment's requests from CloudWatch Logs, one line each, with the
handlers' output under them; `--tail` follows until Ctrl-C."""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.options import DeployedEnvironment, JsonOption, deployed_environment
from pyserverless.signals import handling_signals, raise_keyboard_interrupt

if TYPE_CHECKING:
    from pyserverless.operate.logs import RequestLog


@deployed_environment
def command(
    *,
    tail: Annotated[bool, typer.Option("--tail", help="Keep following new requests until Ctrl-C.")] = False,
    route: Annotated[
        str | None, typer.Option("--route", help="Only the requests of this route (/sms/reply).")
    ] = None,
    since: Annotated[str, typer.Option("--since", help="How far back to start: 30s, 10m, 2h, 1d.")] = "1h",
    json_output: JsonOption = False,
    deployed: DeployedEnvironment,
) -> None:
    """Show the requests a deployed environment served, with what its handlers printed."""
    from pyserverless.cli.output import console
    from pyserverless.cli.plain_output import print_json
    from pyserverless.operate.logs import follow_logs, parse_since, read_logs

    since_seconds = parse_since(since)
    live = deployed.open()
    client = live.aws.client("logs")
    if tail:
        if not json_output:
            console.print(f"Following {live.function_name} (Ctrl-C to stop)…", markup=False)
        sink = _print_json_line if json_output else _print_request
        # Our own handler, not the inherited disposition: started with SIGINT ignored (`&`, nohup), Python
        # would never raise KeyboardInterrupt and Ctrl-C could not stop the loop.
        with handling_signals(raise_keyboard_interrupt), suppress(KeyboardInterrupt):
            follow_logs(live, client, since_seconds, route, sink)
        return
    requests = read_logs(live, client, since_seconds, route)
    if json_output:
        print_json([entry.to_json() for entry in requests])
        return
    if not requests:
        console.print(f"No requests logged by {live.function_name} in the last {since}.", markup=False)
        return
    for entry in requests:
        _print_request(entry)


def _time(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp / 1000).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _untabbed(message: str) -> str:
    """Lambda separates fields with tabs; two spaces keep them apart without the terminal's tab stops."""
    return message.replace("\t", "  ")


def _print_json_line(entry: RequestLog) -> None:
    print(json.dumps(entry.to_json(), sort_keys=True), flush=True)


def _print_request(entry: RequestLog) -> None:
    from rich.text import Text

    from pyserverless.cli.output import console

    if entry.request_id is None:
        for loose in entry.output:
            console.print(Text(f"{_time(loose.timestamp)}  {_untabbed(loose.message)}", style="dim"))
        return
    what = f"{entry.method} {entry.route or entry.path}" if entry.method else f"request {entry.request_id}"
    status = str(entry.status) if entry.status is not None else "-"
    duration = f"{entry.duration_ms:g} ms" if entry.duration_ms is not None else "-"
    line = Text(f"{_time(entry.timestamp)}  ")
    line.append(what, style="bold")
    line.append(f"  {status}", style="red" if entry.status is None or entry.status >= 500 else "green")
    line.append(f"  {duration}")
    console.print(line)
    for output in entry.output:
        console.print(Text(f"    {_untabbed(output.message)}"))
