"""`pyserverless start [DIR]`: run the project's functions and assets on a local server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pyserverless.cli.flags import chosen_env_file, given
from pyserverless.errors import UserError


def command(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="The project folder (default: --cwd, else the current folder or the nearest above)."
        ),
    ] = None,
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
    env: Annotated[
        Path | None, typer.Option(help="The env file to load instead of the project's .env.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Execution limit of a function in seconds (then 504).")
    ] = 10.0,
    no_logs: Annotated[
        bool, typer.Option("--no-logs", help="Do not log each request (handler output still shows).")
    ] = False,
    no_signature_check: Annotated[
        bool,
        typer.Option(
            "--no-signature-check",
            help="Serve protected routes without checking X-Twilio-Signature (to curl them; never deployed).",
        ),
    ] = False,
    cwd: Annotated[Path | None, typer.Option(help="The project folder (same as DIR).")] = None,
    no_reload: Annotated[
        bool,
        typer.Option("--no-reload", help="Serve in this one process, without reloading (for debuggers)."),
    ] = False,
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
    sms_number: Annotated[
        list[str] | None,
        typer.Option(
            "--sms-number",
            help="NUMBER[:PATH]: point this Twilio number's SMS URL at PATH on the public URL while the "
            "server runs, restored on exit (needs --ngrok or --public-url; repeatable).",
        ),
    ] = None,
    voice_number: Annotated[
        list[str] | None,
        typer.Option(
            "--voice-number",
            help="NUMBER[:PATH]: the same for the number's voice URL.",
        ),
    ] = None,
) -> None:
    """Serve the project locally, enforcing public/protected/private exactly as deployed."""
    from pyserverless.cli.output import console, warn
    from pyserverless.config import choose, read_config
    from pyserverless.number_wiring import wiring_from_options
    from pyserverless.project import find_root
    from pyserverless.reload import DevOptions, start
    from pyserverless.server import ServerOptions
    from pyserverless.tunnel import TunnelOptions

    root = find_root(directory or cwd or Path.cwd())
    config, _ = read_config(root)
    options = ServerOptions(
        root=root,
        host=choose(given(ctx, "host"), host, config, "host"),
        port=choose(given(ctx, "port"), port, config, "port"),
        env_file=chosen_env_file(ctx, env, config),
        timeout=choose(given(ctx, "timeout"), timeout, config, "timeout"),
        logs=choose(given(ctx, "no_logs"), not no_logs, config, "logs"),
        check_signatures=choose(
            given(ctx, "no_signature_check"), not no_signature_check, config, "signature-check"
        ),
        public_url=choose(given(ctx, "public_url"), public_url, config, "public-url"),
    )
    if not 0 <= options.port <= 65535:
        raise UserError(
            f"--port {options.port} is not a port number.", hint="Use 0 to 65535 (0 picks a free port)."
        )
    if options.timeout <= 0:
        raise UserError(
            f"--timeout {options.timeout:g} must be more than 0 seconds.", hint="The default is 10."
        )
    domain = choose(given(ctx, "ngrok_domain"), ngrok_domain, config, "ngrok")
    tunnel = None
    if ngrok or ngrok_domain:
        tunnel = TunnelOptions(
            domain=domain,
            auth_token=choose(given(ctx, "ngrok_authtoken"), ngrok_authtoken, config, "ngrok-authtoken"),
            ngrok_path=ngrok_path,
            start_timeout=ngrok_timeout,
        )
    if tunnel is not None and options.public_url is not None:
        raise UserError("--ngrok and --public-url both name the public URL.", hint="Use only one of them.")
    numbers = wiring_from_options(
        sms_number or [],
        voice_number or [],
        public_url_known=tunnel is not None or options.public_url is not None,
        env_file=root / (options.env_file or ".env"),
        environ=os.environ,
    )
    reload = choose(given(ctx, "no_reload"), not no_reload, config, "reload")
    start(options, DevOptions(reload=reload, tunnel=tunnel, numbers=numbers), console, warn)
