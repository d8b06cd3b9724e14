"""Serving a project on a socket bound beforehand: what `start` was asked for, what to warn about first, and
the call that serves until Ctrl-C.

How it works: the caller binds the socket first (`sockets.bind_socket`), so connections wait in the kernel's
backlog until a server takes them: a server that starts a moment later, or a reload worker serving a socket
its parent bound, loses none. `serve` then runs a `LocalServer` (uvicorn's server over `ServerApp`, see
`local_server`) on that socket in this process. uvicorn is imported only there, so the `start` parent, which
only supervises, never loads it.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyserverless.project.folder import Project
from pyserverless.runtime.context import RUNTIME_VARIABLES

if TYPE_CHECKING:
    from rich.console import Console

    from pyserverless.server.dev_pages import LocalPages


@dataclass
class ServerOptions:
    """What `pyserverless start` was asked for."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 3000
    env_file: Path | None = None
    timeout: float = 10.0
    logs: bool = True
    check_signatures: bool = True
    #: The tunnel's URL or `--public-url`: the scheme and host of every request's public URL (signatures,
    #: DOMAIN_NAME), whatever the client's X-Forwarded-* headers say.
    public_url: str | None = None
    #: `--allowed-host`: Host names answered besides IP addresses, localhost and the public URL's.
    allowed_hosts: tuple[str, ...] = ()
    #: `--record`: requests that reach a function are appended to .pyserverless/recordings/.
    record: bool = False


def startup_warnings(project: Project, options: ServerOptions) -> list[str]:
    """What the user should know before the first request: config problems, ignored variables, no checks."""
    warnings = list(project.warnings)
    for name in RUNTIME_VARIABLES:
        if name in project.env:
            warnings.append(
                f"{project.env_file}: {name} is set by the runtime for each function "
                f"(context.{name}); the value in the env file is ignored."
            )
    if not options.check_signatures:
        warnings.append(
            "SIGNATURE CHECKS ARE OFF (--no-signature-check): protected functions and assets answer ANY "
            "caller. Deployed, they will require a valid X-Twilio-Signature."
        )
    return warnings


def serve(
    sock: socket.socket,
    project: Project,
    options: ServerOptions,
    console: Console,
    pages: LocalPages | None = None,
) -> None:
    """Serve `project` on the bound, listening `sock` until Ctrl-C or SIGTERM (blocks); `pages` adds
    `/_dev/` pages."""
    from pyserverless.server.local_server import LocalServer

    LocalServer(project, options, console, pages=pages).serve_on(sock)
