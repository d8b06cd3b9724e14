"""The project as a plain ASGI application, for containers: `pyserverless.asgi:create_app`.

`create_app` is a factory that each server worker calls once (`uvicorn --factory
pyserverless.asgi:create_app`, gunicorn with uvicorn's worker and `'pyserverless.asgi:create_app()'`, or
`pyserverless serve`). It loads the project from PYSERVERLESS_PROJECT (default: the current folder or the
nearest above), builds the runtime's `Dispatcher` as deployed (signatures checked, 500 pages without stack
traces, the execution limit from PYSERVERLESS_TIMEOUT, default 10 s), and serves it through the same
`ServerApp` as `pyserverless start` (in its ASGI form), with request lines and handler output written to
stdout by the same non-blocking log pipeline.

Variables: the project's env file when there is one (PYSERVERLESS_ENV_FILE, default `.env`), then every
variable named in PYSERVERLESS_ENV_KEYS (comma-separated) taken from the process environment, as on Lambda,
so a container gets its secrets from its platform rather than from a file baked into the image. The public URL
that Twilio signed is read from X-Forwarded-Proto/Host only behind a trusted proxy: uvicorn's
`--forwarded-allow-ips` / FORWARDED_ALLOW_IPS decides which peers are trusted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pyserverless.errors import UserError
from pyserverless.project.folder import find_root, load_project
from pyserverless.runtime.manifest import TIMEOUT_VARIABLE, project_env
from pyserverless.server.app import ServerApp

PROJECT_VARIABLE = "PYSERVERLESS_PROJECT"
ENV_FILE_VARIABLE = "PYSERVERLESS_ENV_FILE"
APP_FACTORY = "pyserverless.asgi:create_app"


def create_app() -> ServerApp:
    """The ASGI application for the project the environment names (see the module docstring)."""
    from rich.console import Console

    from pyserverless.runtime.dispatch import Dispatcher, RuntimeSettings
    from pyserverless.runtime.output import install_output_capture
    from pyserverless.server.request_log import LogPipeline

    root = find_root(Path(os.environ.get(PROJECT_VARIABLE) or Path.cwd()))
    env_file = os.environ.get(ENV_FILE_VARIABLE)
    project = load_project(root, Path(env_file) if env_file else None)
    try:
        timeout = float(os.environ.get(TIMEOUT_VARIABLE) or "10")
    except ValueError as error:
        raise UserError(
            f"{TIMEOUT_VARIABLE}={os.environ[TIMEOUT_VARIABLE]!r} is not a number of seconds.",
            hint=f"Set {TIMEOUT_VARIABLE} to a number such as 10.",
        ) from error
    dispatcher = Dispatcher(
        RuntimeSettings(
            root=project.root,
            routes=project.routes,
            env={**project.env, **project_env(os.environ)},
            timeout=timeout,
            check_signatures=True,
            expose_errors=False,
        )
    )
    pipeline = LogPipeline(Console(highlight=False))
    pipeline.start()
    install_output_capture()
    return ServerApp(dispatcher, pipeline.log_request)


@dataclass(frozen=True)
class ServeOptions:
    root: Path
    host: str
    port: int
    workers: int
    env_file: Path | None
    timeout: float
    forwarded_allow_ips: str | None


def serve(options: ServeOptions) -> None:
    """`pyserverless serve`: run `create_app` in `options.workers` uvicorn worker processes (blocks)."""
    import uvicorn

    from pyserverless.server.http_limits import KEEP_ALIVE_TIMEOUT
    from pyserverless.server.uvicorn_limits import LimitedHttpProtocol

    load_project(options.root, options.env_file)  # fail here, once, rather than in every worker
    os.environ[PROJECT_VARIABLE] = str(options.root)
    os.environ[TIMEOUT_VARIABLE] = f"{options.timeout:g}"
    if options.env_file is not None:
        os.environ[ENV_FILE_VARIABLE] = str(options.env_file)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=options.host,
        port=options.port,
        workers=options.workers,
        lifespan="off",
        ws="none",
        access_log=False,
        log_level="warning",
        server_header=False,
        http=LimitedHttpProtocol,
        timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
        proxy_headers=True,
        forwarded_allow_ips=options.forwarded_allow_ips,
        timeout_graceful_shutdown=10,
    )
