"""`pyserverless start [DIR]`: run the project's functions and assets on a local server."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pyserverless.cli.defaults import given
from pyserverless.cli.options import (
    CwdOption,
    DirectoryArgument,
    EnvFileOption,
    TimeoutOption,
    check_local_timeout,
)
from pyserverless.errors import UserError
from pyserverless.signals import handling_signals, raise_keyboard_interrupt

#: The `[tool.pyserverless]` keys that give this command's defaults.
CONFIG_KEYS = (
    "host",
    "port",
    "env",
    "timeout",
    "logs",
    "signature-check",
    "reload",
    "ngrok",
    "ngrok-authtoken",
    "public-url",
    "allowed-hosts",
    "record",
)


def command(
    ctx: typer.Context,
    directory: DirectoryArgument = None,
    *,
    port: Annotated[
        int,
        typer.Option(
            "--port", "-p", envvar="PORT", help="Port to listen on (env PORT); 0 picks a free port."
        ),
    ] = 3000,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    env: EnvFileOption = None,
    timeout: TimeoutOption = 10.0,
    logs: Annotated[
        bool,
        typer.Option("--logs/--no-logs", help="Log each request (--no-logs: handler output only)."),
    ] = True,
    signature_check: Annotated[
        bool,
        typer.Option(
            "--signature-check/--no-signature-check",
            help="Check X-Twilio-Signature on protected routes (--no-signature-check serves them to "
            "anyone, to curl them; never deployed).",
        ),
    ] = True,
    cwd: CwdOption = None,
    record: Annotated[
        bool,
        typer.Option(
            "--record/--no-record",
            help="Append each request to a function, and its answer, to "
            ".pyserverless/recordings/<date>.jsonl (for `pyserverless replay`).",
        ),
    ] = False,
    reload: Annotated[
        bool,
        typer.Option(
            "--reload/--no-reload",
            help="Restart on changes (--no-reload: serve in this one process, for debuggers).",
        ),
    ] = True,
    ngrok: Annotated[
        bool,
        typer.Option(
            "--ngrok",
            help="Open an ngrok tunnel to this server: a random public URL, or --ngrok=DOMAIN for yours.",
        ),
    ] = False,
    ngrok_domain: Annotated[
        str | None,
        typer.Option(help="Your static ngrok domain for the tunnel (implies --ngrok)."),
    ] = None,
    ngrok_authtoken: Annotated[
        str | None,
        typer.Option(help="ngrok auth token (default: NGROK_AUTHTOKEN, else your ngrok config file)."),
    ] = None,
    ngrok_path: Annotated[
        Path | None,
        typer.Option(help="The ngrok binary to use (default: PYNGROK_NGROK_PATH, else pyngrok's own)."),
    ] = None,
    ngrok_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for the ngrok agent to start.")
    ] = 20.0,
    public_url: Annotated[
        str | None,
        typer.Option(
            help="The public URL of another tunnel or proxy to this server (cloudflared, a VPS), "
            "for the route table and signature checks."
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="<host>",
            help="A Host name to answer besides IP addresses, localhost and the public URL's (a proxy's "
            "name; others are refused against DNS rebinding; repeatable).",
        ),
    ] = None,
    insecure_public: Annotated[
        bool,
        typer.Option(
            "--insecure-public",
            help="Allow --no-signature-check with --ngrok or --public-url: anyone on the internet can "
            "then call the protected functions.",
        ),
    ] = False,
    sms_number: Annotated[
        list[str] | None,
        typer.Option(
            "--sms-number",
            metavar="<number[:path]>",
            help="Point this Twilio number's SMS URL at PATH on the public URL while the server runs, "
            "restored on exit (needs --ngrok or --public-url; repeatable).",
        ),
    ] = None,
    voice_number: Annotated[
        list[str] | None,
        typer.Option(
            "--voice-number",
            metavar="<number[:path]>",
            help="The same for the number's voice URL.",
        ),
    ] = None,
) -> None:
    """Serve the project locally, enforcing public/protected/private exactly as deployed."""
    from pyserverless.cli.output import console, warn
    from pyserverless.dev.number_wiring import wiring_from_options, with_routes
    from pyserverless.dev.session import DevOptions, start
    from pyserverless.dev.tunnel import TunnelOptions
    from pyserverless.project.folder import find_root, scan_routes
    from pyserverless.server.serving import ServerOptions

    root = find_root(directory or cwd or Path.cwd())
    options = ServerOptions(
        root=root,
        host=host,
        port=port,
        env_file=env,
        timeout=timeout,
        logs=logs,
        check_signatures=signature_check,
        public_url=public_url,
        allowed_hosts=tuple(allowed_host or ()),
        record=record,
    )
    if not 0 <= options.port <= 65535:
        raise UserError(
            f"--port {options.port} is not a port number.", hint="Use 0 to 65535 (0 picks a free port)."
        )
    check_local_timeout(options.timeout)
    tunnel = None
    if ngrok or given(ctx, "ngrok_domain"):
        tunnel = TunnelOptions(
            domain=ngrok_domain,
            auth_token=ngrok_authtoken,
            ngrok_path=ngrok_path,
            start_timeout=ngrok_timeout,
        )
    if tunnel is not None and options.public_url is not None:
        raise UserError("--ngrok and --public-url both name the public URL.", hint="Use only one of them.")
    if not signature_check and (tunnel is not None or public_url is not None) and not insecure_public:
        exposed = "--ngrok" if tunnel is not None else "--public-url"
        raise UserError(
            f"--no-signature-check with {exposed} would let anyone on the internet call the protected "
            "functions.",
            hint="Sign your test requests instead (docs/local-development.md) and drop "
            "--no-signature-check, or add --insecure-public if that is really what you want.",
        )
    numbers = wiring_from_options(
        sms_number or [],
        voice_number or [],
        public_url_known=tunnel is not None or options.public_url is not None,
        env_file=root / (options.env_file or ".env"),
        environ=os.environ,
    )
    if numbers is not None:
        numbers = with_routes(numbers, scan_routes(root), _choose_function if sys.stdin.isatty() else None)
    # Ctrl-C and SIGTERM stop `start` cleanly (tunnel closed, numbers restored) from the first moment, even
    # when it was started with SIGINT ignored (`&`, nohup) or before the supervisor takes the signals over.
    with handling_signals(raise_keyboard_interrupt):
        start(options, DevOptions(reload=reload, tunnel=tunnel, numbers=numbers), console, warn)


def _choose_function(question: str, functions: list[str]) -> str:
    """Ask on the terminal until the answer is one of `functions` (with or without its leading /)."""
    from pyserverless.cli.output import err_console

    while True:
        answer: str = typer.prompt(f"{question} ({', '.join(functions)})").strip()
        path = "/" + answer.lstrip("/")
        if path in functions:
            return path
        err_console.print(f"{answer} is not a function of this project.", markup=False, highlight=False)
