"""`phone-numbers:update`: point a Twilio phone number's webhooks at your code, localhost included.

How it works: each URL given is resolved first: a bare path (`/sms/reply`) is joined to the URL of the
project's last deployment of the environment (`.pyserverless/deployed/<environment>.json`, field `url`); a
URL on localhost/127.0.0.1/[::1] gets an ngrok tunnel to its port (`tunnel`) and is rewritten to the tunnel's
public URL with the same path and query. The number is then updated through `twilio_api.phone_numbers`.

With a tunnel the command stays up ("tunnel open") until Ctrl-C or SIGTERM, then restores the fields it
changed to their previous values (unless `keep`) and only then closes the tunnel, so the number never points
at a dead tunnel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from pyserverless.dev.tunnel import Tunnel, TunnelOptions, open_tunnel
from pyserverless.errors import UserError
from pyserverless.server.sockets import is_listening
from pyserverless.signals import StopSignal, handling_signals, raise_keyboard_interrupt
from pyserverless.twilio_api.credentials import Credentials
from pyserverless.twilio_api.phone_numbers import (
    FIELDS_BY_NAME,
    NumbersApi,
    RestoreOutcome,
    TunnelLink,
    UpdateOutcome,
    application_warnings,
    apply_update,
    check_changes,
    restore_update,
)

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class UpdateRequest:
    """Everything `update_phone_number` needs: which number, the changes as given, and the context."""

    number: str
    changes: Mapping[str, str]
    credentials: Credentials
    environ: Mapping[str, str]
    project_root: Path | None = None
    environment: str = "dev"
    keep: bool = False
    tunnel_options: TunnelOptions = field(default_factory=TunnelOptions)


class UpdateReporter(Protocol):
    """How the command shows progress; the core never prints."""

    def using(self, credentials: Credentials) -> None: ...

    def warning(self, message: str) -> None: ...

    def updated(self, outcome: UpdateOutcome) -> None: ...

    def waiting(self, outcome: UpdateOutcome) -> None: ...

    def restored(self, outcome: RestoreOutcome) -> None: ...


def deployed_url(root: Path | None, environment: str, option: str, path: str) -> str:
    """The URL of the project's last deployment of `environment` (`.pyserverless/deployed/<env>.json`)."""
    from pyserverless.deploy.state import STATE_DIR, read_deployment, state_path

    if root is None:
        raise UserError(
            f"{option} {path} is a path, but there is no pyserverless project here to resolve it against.",
            hint="Run the command in your project folder (or pass --cwd), or give a full URL.",
        )
    if not state_path(root, environment).is_file():
        raise UserError(
            f"{option} {path} is a path, but the project has no deployment of the environment "
            f"{environment!r} ({STATE_DIR / f'{environment}.json'} does not exist).",
            hint=f"Deploy first with `pyserverless deploy --environment {environment}`, choose another "
            "environment with --environment, or give a full URL.",
        )
    return read_deployment(root, environment).url


def resolve_paths(changes: Mapping[str, str], root: Path | None, environment: str) -> dict[str, str]:
    """`changes` with every bare path joined to the URL of the deployment of `environment`."""
    resolved = dict(changes)
    for name, value in changes.items():
        if FIELDS_BY_NAME[name].is_url and value.startswith("/"):
            base = deployed_url(root, environment, FIELDS_BY_NAME[name].option, value)
            resolved[name] = base.rstrip("/") + value
    return resolved


def local_port(url: str) -> int | None:
    """The port of a URL on localhost/127.0.0.1/[::1] (None for any other URL); https is refused."""
    parts = urlsplit(url)
    if (parts.hostname or "") not in LOCAL_HOSTS:
        return None
    if parts.scheme != "http":
        raise UserError(
            f"{url} is a local https URL: the tunnel forwards to plain http on your machine.",
            hint=f"Use http://{parts.netloc}{parts.path} (Twilio still calls the tunnel over https).",
        )
    try:
        port = parts.port
    except ValueError as error:
        raise UserError(
            f"{url} has an invalid port.", hint="Write it as http://localhost:3000/path."
        ) from error
    return port or 80


def tunnel_port(changes: Mapping[str, str]) -> int | None:
    """The one local port the localhost URLs of `changes` point at, or None when there is none."""
    ports = {port for value in changes.values() if value and (port := local_port(value)) is not None}
    if len(ports) > 1:
        listed = ", ".join(str(port) for port in sorted(ports))
        raise UserError(
            f"The localhost URLs point at several ports ({listed}); one tunnel forwards to one port.",
            hint="Serve every function from one local server (pyserverless start), or update the number once "
            "per port.",
        )
    return ports.pop() if ports else None


def rewrite_to_public(url: str, public_url: str) -> str:
    """`url` (a localhost URL) on the tunnel: the public URL + the same path and query."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{public_url.rstrip('/')}{parts.path or '/'}{query}"


def update_phone_number(request: UpdateRequest, reporter: UpdateReporter) -> UpdateOutcome:
    """Update the number; with a localhost URL, stay up behind a tunnel until Ctrl-C/SIGTERM, then restore."""
    check_changes(request.changes)
    changes = resolve_paths(request.changes, request.project_root, request.environment)
    port = tunnel_port(changes)
    reporter.using(request.credentials)
    api = NumbersApi(request.credentials, request.environ)
    number = api.find(request.number)
    for message in application_warnings(number, changes):
        reporter.warning(message)
    if port is None:
        outcome = apply_update(api, number, changes, None, request.keep)
        reporter.updated(outcome)
        return outcome
    if not is_listening("127.0.0.1", port, timeout=1.0):
        reporter.warning(
            f"Nothing is listening on localhost:{port} yet: Twilio's requests will fail until your server "
            f"runs there (`pyserverless start --port {port}`)."
        )
    # Both stop signals, not only SIGTERM: started with SIGINT ignored (`&`, nohup), Ctrl-C must still close
    # the tunnel rather than be lost until the wait below.
    with handling_signals(raise_keyboard_interrupt):
        tunnel: Tunnel = open_tunnel(port, request.tunnel_options)
        try:
            link = TunnelLink(f"http://127.0.0.1:{port}", tunnel.public_url)
            public = {
                name: rewrite_to_public(value, tunnel.public_url) if value and local_port(value) else value
                for name, value in changes.items()
            }
            with StopSignal() as stop:
                outcome = apply_update(api, number, public, link, request.keep)
                reporter.updated(outcome)
                reporter.waiting(outcome)
                stop.wait()
                if not request.keep:
                    reporter.restored(restore_update(api, outcome))
            return outcome
        finally:
            tunnel.close()
