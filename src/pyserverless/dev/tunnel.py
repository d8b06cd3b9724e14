"""A public ngrok URL for a local port, through pyngrok.

`open_tunnel(port, options, host)` starts the ngrok agent (downloading it first when pyngrok's default binary
is missing) and asks it for one endpoint forwarding to `http://HOST:PORT`: a random URL, or the user's static
domain. The agent is started in its own session, so Ctrl-C in the terminal reaches only our process, which
closes the endpoint and stops the agent with `Tunnel.close()`.

pyngrok waits for the agent's start-up lines with a blocking read, so a binary that prints nothing would hang
it forever: the start runs in a helper thread, and past `start_timeout` the agent is killed and a `UserError`
raised. Every failure becomes a `UserError` that says how to fix it; the auth token itself is never printed.

The auth token comes from `--ngrok-authtoken`, else `NGROK_AUTHTOKEN`, else the user's own ngrok config file
(which the agent reads itself); `token_source` says which one applies, for the start banner. It never goes on
the agent's command line, where any user of the machine sees it (`ps`): pyngrok would pass it as
`--authtoken`, so it is given no token. The agent reads NGROK_AUTHTOKEN from the environment it inherits; a
token from the flag goes into a copy of the user's ngrok config in a private folder (0700, the file 0600),
which the agent is started with and which is deleted as soon as the agent has started.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyserverless.errors import UserError

if TYPE_CHECKING:
    from pyngrok.conf import PyngrokConfig
    from pyngrok.ngrok import NgrokTunnel

INSTALL_HINT = (
    "Install ngrok (https://ngrok.com/download, or `brew install ngrok`, `snap install ngrok`), then point "
    "--ngrok-path or PYNGROK_NGROK_PATH at the binary."
)
TOKEN_HINT = (
    "Get your auth token at https://dashboard.ngrok.com/get-started/your-authtoken (sign up for free "
    "at https://dashboard.ngrok.com/signup), then pass it with --ngrok-authtoken, set NGROK_AUTHTOKEN, "
    "or save it once with `ngrok config add-authtoken TOKEN`."
)
AUTH_TOKEN_MISSING = "ERR_NGROK_4018"
AUTH_TOKEN_REJECTED = ("ERR_NGROK_105", "ERR_NGROK_107")


@dataclass(frozen=True)
class TunnelOptions:
    """How to open the tunnel: `domain` is the user's static ngrok domain (None: a random URL)."""

    domain: str | None = None
    auth_token: str | None = None
    ngrok_path: Path | None = None
    start_timeout: float = 20.0


@dataclass
class Tunnel:
    """An open tunnel: `public_url` forwards to the local port until `close()`."""

    public_url: str
    token_source: str
    _config: PyngrokConfig

    def close(self) -> None:
        """Close the endpoint and stop the agent; safe to call twice, never raises."""
        from pyngrok import ngrok
        from pyngrok.exception import PyngrokError

        with contextlib.suppress(PyngrokError, OSError):  # the agent is stopped next anyway
            ngrok.disconnect(self.public_url, pyngrok_config=self._config)
        ngrok.kill(pyngrok_config=self._config)


def token_source(options: TunnelOptions) -> str:
    """Where the auth token comes from, for the user: the flag, the environment or the ngrok config file."""
    if options.auth_token:
        return "--ngrok-authtoken"
    if os.environ.get("NGROK_AUTHTOKEN"):
        return "NGROK_AUTHTOKEN"
    return f"your ngrok config file ({_user_config_path()})"


def _user_config_path() -> str:
    from pyngrok import conf

    return str(conf.get_config_path(conf.PyngrokConfig()))


def _write_token_config(token: str, folder: Path) -> Path:
    """The user's ngrok config with `token` as the agent's auth token, in `folder`, readable by its owner only
    (mode 0600 from its creation)."""
    from pyngrok import installer

    user_config = _user_config_path()
    document = dict(
        installer.get_ngrok_config(user_config, use_cache=False) if Path(user_config).is_file() else {}
    )
    if str(document.get("version", "3")) == "2":
        document["authtoken"] = token
    else:
        document["version"] = "3"
        document["agent"] = {**(document.get("agent") or {}), "authtoken": token}
    path = folder / "ngrok.yml"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(descriptor, "w", encoding="utf-8") as stream:
        json.dump(document, stream)  # JSON is YAML, which the agent reads
    return path


def _ngrok_path(options: TunnelOptions) -> str | None:
    """The binary the user pointed at (it must exist), or None for pyngrok's own (downloaded if missing)."""
    given = options.ngrok_path or (
        Path(os.environ["PYNGROK_NGROK_PATH"]) if os.environ.get("PYNGROK_NGROK_PATH") else None
    )
    if given is None:
        return None
    if not given.is_file():
        source = "--ngrok-path" if options.ngrok_path else "PYNGROK_NGROK_PATH"
        raise UserError(f"There is no ngrok binary at {given} (given by {source}).", hint=INSTALL_HINT)
    return str(given)


def _agent_error(error: Exception, options: TunnelOptions) -> UserError:
    from pyngrok.exception import PyngrokNgrokError, PyngrokNgrokInstallError

    if isinstance(error, PyngrokNgrokInstallError):
        return UserError(f"ngrok is not installed and could not be downloaded: {error}", hint=INSTALL_HINT)
    code = error.ngrok_error_code if isinstance(error, PyngrokNgrokError) else None
    if code == AUTH_TOKEN_MISSING:
        return UserError(
            f"ngrok needs an auth token ({code}): there is none in --ngrok-authtoken, NGROK_AUTHTOKEN or "
            f"{token_source(options)}.",
            hint=TOKEN_HINT,
        )
    if code in AUTH_TOKEN_REJECTED:
        return UserError(
            f"ngrok rejected the auth token from {token_source(options)} ({code}).",
            hint="Check that the token is current (it changes when you reset it). " + TOKEN_HINT,
        )
    detail = f"{error}".strip()
    return UserError(
        f"ngrok could not open a tunnel: {detail}",
        hint="Run the command again with --debug for ngrok's log, or check https://ngrok.com/docs/errors/"
        + (f"{code.lower()}/" if code else "")
        + " for the meaning of the error.",
    )


def _kill_started_agent(config: PyngrokConfig) -> None:
    """Kill the agent a hung start left behind.

    pyngrok holds its process-table lock while it waits for the agent, so `ngrok.kill` would wait too: the
    agent is found in pyngrok's table directly and killed, which ends pyngrok's blocking read. pyngrok has no
    public way to do this, so pyproject.toml bounds pyngrok below its next major version (a test covers it).
    """
    from pyngrok import process

    started = process._current_processes.get(config.ngrok_path)
    if started is not None:
        started.proc.kill()


def open_tunnel(port: int, options: TunnelOptions, host: str = "127.0.0.1") -> Tunnel:
    """Open a public URL forwarding to `http://{host}:{port}`; `UserError` with a fix when it cannot."""
    address = f"[{host}]" if ":" in host else host
    path = _ngrok_path(options)
    token_folder = Path(tempfile.mkdtemp(prefix="pyserverless-ngrok-")) if options.auth_token else None
    try:
        return _start_agent(port, options, address, path, token_folder)
    finally:
        if token_folder is not None:  # the agent read it when it started
            shutil.rmtree(token_folder, ignore_errors=True)


def _start_agent(
    port: int, options: TunnelOptions, address: str, path: str | None, token_folder: Path | None
) -> Tunnel:
    from pyngrok import conf, ngrok
    from pyngrok.exception import PyngrokError

    token_config = None
    if token_folder is not None:
        token_config = str(_write_token_config(str(options.auth_token), token_folder))
        # The agent inherits this environment, where NGROK_AUTHTOKEN would override the file: the flag wins.
        os.environ.pop("NGROK_AUTHTOKEN", None)
    config = conf.PyngrokConfig(
        ngrok_path=path,
        config_path=token_config,
        startup_timeout=max(1, int(options.start_timeout)),
        start_new_session=True,
    )
    config.auth_token = None  # pyngrok would pass the token (or NGROK_AUTHTOKEN's) as an argument
    logging.getLogger("pyngrok").setLevel(logging.CRITICAL)
    extra = {"url": f"https://{options.domain}"} if options.domain else {}
    outcome: list[NgrokTunnel | Exception] = []

    def start() -> None:
        try:
            outcome.append(ngrok.connect(f"http://{address}:{port}", pyngrok_config=config, **extra))
        except (PyngrokError, OSError) as error:
            outcome.append(error)

    starter = threading.Thread(target=start, name="ngrok-start", daemon=True)
    starter.start()
    starter.join(options.start_timeout)
    # The token file is deleted once the agent has read it; pyngrok would write a default config in its place.
    config.config_path = None
    if starter.is_alive():
        _kill_started_agent(config)
        starter.join(5)
        raise UserError(
            f"The ngrok agent ({config.ngrok_path}) did not start within {options.start_timeout:g} seconds.",
            hint="Check that the binary is ngrok version 3 (`ngrok version`) and that it runs on its own; "
            "a firewall or proxy can also keep it from reaching ngrok's servers.",
        )
    result = outcome[0]
    if isinstance(result, Exception):
        ngrok.kill(pyngrok_config=config)
        raise _agent_error(result, options) from result
    return Tunnel(public_url=str(result.public_url), token_source=token_source(options), _config=config)
