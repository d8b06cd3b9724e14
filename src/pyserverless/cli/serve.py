"""`pyserverless serve [DIR]`: serve the project as deployed, for containers (no reload, several workers)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from pyserverless.cli.options import (
    CwdOption,
    EnvFileOption,
    TimeoutOption,
    check_local_timeout,
)
from pyserverless.errors import UserError

#: The `[tool.pyserverless]` keys that give this command's defaults (host and port are `start`'s).
CONFIG_KEYS = ("env", "timeout")


def _default_workers() -> int:
    return max(2, os.cpu_count() or 1)


def command(
    directory: Annotated[
        Path | None, typer.Argument(help="The project folder (default: the current folder or one above).")
    ] = None,
    *,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "0.0.0.0",
    port: Annotated[
        int, typer.Option("--port", "-p", envvar="PORT", help="Port to listen on (env PORT).")
    ] = 3000,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default: the number of CPUs, at least 2).")
    ] = None,
    env: EnvFileOption = None,
    timeout: TimeoutOption = 10.0,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Proxies whose X-Forwarded-Proto is trusted, comma-separated or * (default: uvicorn's, "
            "FORWARDED_ALLOW_IPS or 127.0.0.1). Signature checks need the scheme Twilio used."
        ),
    ] = None,
    cwd: CwdOption = None,
) -> None:
    """Serve the project as deployed (signatures checked, no stack traces, no reload) with several workers."""
    from pyserverless.cli.output import console
    from pyserverless.project.folder import find_root
    from pyserverless.server.container import ServeOptions, serve

    root = find_root(directory or cwd or Path.cwd())
    worker_count = workers if workers is not None else _default_workers()
    if worker_count < 1:
        raise UserError(f"--workers {worker_count} must be at least 1.", hint="Leave it out for one per CPU.")
    options = ServeOptions(
        root=root,
        host=host,
        port=port,
        workers=worker_count,
        env_file=env,
        timeout=timeout,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    check_local_timeout(options.timeout)
    console.print(
        f"Serving {root} on http://{host}:{port} with {worker_count} workers (Ctrl-C to stop)", soft_wrap=True
    )
    serve(options)
