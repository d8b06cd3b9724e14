"""`pyserverless start`: load the project, bind once, open the tunnel, print the routes, then serve.

How it works: the project is loaded and the socket bound in this (parent) process before anything else, so a
broken project or a port in use is reported at once and connections wait in the socket's backlog from then
on. The tunnel opens next, so its public URL survives every reload; the route table and the banner follow.
Numbers given with `--sms-number`/`--voice-number` are pointed at the public URL while the server runs and
restored when it stops, before the tunnel closes (`number_wiring.numbers_wired`). With reload on,
the `Supervisor` serves through worker processes; with `reload=False` this process serves by itself (for
debuggers). Ctrl-C or SIGTERM ends `start` normally, closing the tunnel and the socket, then says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pyserverless.dev.supervisor import Supervisor
from pyserverless.dev.tunnel import TunnelOptions, open_tunnel
from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.server.dev_pages import PHONE_PAGE
from pyserverless.server.recording import RECORDINGS_DIR
from pyserverless.server.serving import ServerOptions, serve, startup_warnings
from pyserverless.server.sockets import base_url, bind_socket

if TYPE_CHECKING:
    from rich.console import Console

    from pyserverless.dev.number_wiring import NumberWiring


@dataclass(frozen=True)
class DevOptions:
    """How `start` runs: reloading or not, and through an ngrok tunnel or not."""

    reload: bool = True
    tunnel: TunnelOptions | None = None
    numbers: NumberWiring | None = None


def start(options: ServerOptions, dev: DevOptions, console: Console, warn: Callable[[str], None]) -> None:
    """Load, bind, open the tunnel, print the routes, then serve until Ctrl-C or SIGTERM (blocks)."""
    from pyserverless.dev.number_wiring import numbers_wired
    from pyserverless.dev.route_table import route_table

    if options.public_url is not None:
        check_public_url(options.public_url)
    project = load_project(options.root, options.env_file)
    for warning in startup_warnings(project, options):
        warn(warning)
    sock = bind_socket(options.host, options.port)
    tunnel = None
    try:
        local = base_url(options.host, sock.getsockname()[1])
        if dev.tunnel is not None:
            wildcard = options.host in ("", "0.0.0.0", "::")
            tunnel = open_tunnel(sock.getsockname()[1], dev.tunnel, "127.0.0.1" if wildcard else options.host)
            console.print(
                f"Tunnel open: {tunnel.public_url} → {local} (ngrok auth token from {tunnel.token_source})",
                soft_wrap=True,
            )
        if tunnel is not None:  # workers check signatures against it and take DOMAIN_NAME from it
            options = replace(options, public_url=tunnel.public_url)
        public = (options.public_url or local).rstrip("/")
        console.print(route_table(project.routes, public), crop=False)  # URLs never cut
        where = f"{local}, public URL {public}" if public != local else local
        mode = "reloading on changes" if dev.reload else "no reload"
        console.print(
            f"Dev phone: {local}{PHONE_PAGE} (text and call your functions from a browser)", soft_wrap=True
        )
        console.print(f"Server running at {where} ({mode}; Ctrl-C to stop)", soft_wrap=True)
        if options.record:
            console.print(
                f"Recording requests to functions in {options.root / RECORDINGS_DIR}", soft_wrap=True
            )
        with numbers_wired(dev.numbers, public, project.routes, console.print, warn):
            if dev.reload:
                Supervisor(sock, options, console, public, project.routes).run()
            else:
                from pyserverless.dev.phone_pages import PhonePages

                serve(sock, project, options, console, PhonePages.for_server(project, sock, options))
    finally:
        if tunnel is not None:
            tunnel.close()
        sock.close()
    console.print("Stopped.")


def check_public_url(url: str) -> None:
    """`--public-url` must be an http(s) origin, such as https://abc.trycloudflare.com."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise UserError(
            f"--public-url {url} is not an http(s) URL of a host.",
            hint="Give the origin your tunnel or proxy serves, e.g. --public-url https://abc.trycloudflare.com",
        )
    if parts.query or parts.fragment:
        raise UserError(f"--public-url {url} holds a query or fragment.", hint="Give only scheme and host.")
