"""`pyserverless phone-numbers:update NUMBER` (also `phone-numbers update`): point a number at your code."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pyserverless.cli.defaults import configured

if TYPE_CHECKING:
    from pyserverless.twilio_api.credentials import Credentials
    from pyserverless.twilio_api.phone_numbers import PhoneNumber, RestoreOutcome, UpdateOutcome


class HttpMethod(str, Enum):
    """The methods Twilio can use to call a webhook."""

    GET = "GET"
    POST = "POST"


#: The `[tool.pyserverless]` keys that give this command's defaults.
CONFIG_KEYS = ("environment", "ngrok", "ngrok-authtoken")
_METHOD_HELP = "How Twilio calls that URL: GET or POST."
_URL_HELP = (
    "a full URL, a localhost URL (tunnelled with ngrok while the command runs) or a path of your deployed "
    "project (/sms/reply); '' clears it"
)

app = typer.Typer(help="Manage the Twilio phone numbers of your account.", no_args_is_help=True)


class TerminalReporter:
    """Shows the update: the table (or JSON) on stdout, progress and warnings on stderr."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def using(self, credentials: Credentials) -> None:
        from pyserverless.cli.output import err_console

        err_console.print(f"Using {credentials.describe()}.")

    def warning(self, message: str) -> None:
        from pyserverless.cli.output import warn

        warn(message)

    def updated(self, outcome: UpdateOutcome) -> None:
        from pyserverless.cli.output import console
        from pyserverless.cli.plain_output import print_json

        if self.as_json:
            print_json(outcome.to_json())
            return
        console.print(_table(outcome.before, outcome.after, outcome.changed))
        if outcome.tunnel is not None:
            console.print(f"Tunnel: {outcome.tunnel.public_url} → {outcome.tunnel.local}")
            console.print(
                f"If `pyserverless start` serves {outcome.tunnel.local}, start it with --public-url "
                f"{outcome.tunnel.public_url} so its protected functions check signatures against the "
                "tunnel's URL (or use `pyserverless start --ngrok --sms-number NUMBER` instead of this "
                "command).",
                soft_wrap=True,
            )

    def waiting(self, outcome: UpdateOutcome) -> None:
        from pyserverless.cli.output import err_console

        after = "leaves the new URLs in place" if outcome.kept else "restores the previous webhooks"
        err_console.print(f"tunnel open — press Ctrl-C to stop (stopping {after}).")

    def restored(self, outcome: RestoreOutcome) -> None:
        from pyserverless.cli.output import err_console, warn
        from pyserverless.twilio_api.phone_numbers import FIELDS_BY_NAME

        for name in outcome.left_alone:
            warn(
                f"{FIELDS_BY_NAME[name].label} of {outcome.number.phone_number} changed while the tunnel "
                f"was open: left as {outcome.number.values[name]!r}."
            )
        if outcome.restored:
            labels = ", ".join(FIELDS_BY_NAME[name].label for name in outcome.restored)
            err_console.print(f"Restored {labels} of {outcome.number.phone_number}.")


def _table(before: PhoneNumber, after: PhoneNumber, changed: tuple[str, ...]) -> object:
    from rich.table import Table

    from pyserverless.twilio_api.phone_numbers import FIELDS

    table = Table(title=f"{after.phone_number} ({after.sid})", title_justify="left")
    table.add_column("Field")
    table.add_column("Before")
    table.add_column("After")
    for webhook in FIELDS:
        old, new = before.values[webhook.name], after.values[webhook.name]
        style = "bold green" if webhook.name in changed and old != new else None
        table.add_row(webhook.label, old or "—", new or "—", style=style)
    return table


def command(
    number: Annotated[str, typer.Argument(help="The phone number, as +15551234567 or its SID PN….")],
    *,
    sms_url: Annotated[
        str | None, typer.Option("--sms-url", help=f"URL Twilio calls on an incoming SMS: {_URL_HELP}.")
    ] = None,
    sms_method: Annotated[
        HttpMethod | None, typer.Option("--sms-method", case_sensitive=False, help=_METHOD_HELP)
    ] = None,
    sms_fallback_url: Annotated[
        str | None, typer.Option("--sms-fallback-url", help="URL Twilio calls when the SMS URL fails.")
    ] = None,
    sms_fallback_method: Annotated[
        HttpMethod | None, typer.Option("--sms-fallback-method", case_sensitive=False, help=_METHOD_HELP)
    ] = None,
    voice_url: Annotated[
        str | None, typer.Option("--voice-url", help=f"URL Twilio calls on an incoming call: {_URL_HELP}.")
    ] = None,
    voice_method: Annotated[
        HttpMethod | None, typer.Option("--voice-method", case_sensitive=False, help=_METHOD_HELP)
    ] = None,
    voice_fallback_url: Annotated[
        str | None, typer.Option("--voice-fallback-url", help="URL Twilio calls when the voice URL fails.")
    ] = None,
    voice_fallback_method: Annotated[
        HttpMethod | None, typer.Option("--voice-fallback-method", case_sensitive=False, help=_METHOD_HELP)
    ] = None,
    friendly_name: Annotated[
        str | None, typer.Option("--friendly-name", help="The number's name in the Twilio Console.")
    ] = None,
    account_sid: Annotated[str | None, typer.Option("--account-sid", help="Account SID (AC…).")] = None,
    auth_token: Annotated[str | None, typer.Option("--auth-token", help="Auth token of the account.")] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="API key SID (SK…), with --api-secret and --account-sid.")
    ] = None,
    api_secret: Annotated[str | None, typer.Option("--api-secret", help="Secret of the API key.")] = None,
    environment: Annotated[
        str,
        typer.Option("--environment", help="The deployment that bare paths (/sms/reply) resolve against."),
    ] = "dev",
    keep: Annotated[
        bool, typer.Option("--keep", help="On Ctrl-C, leave the tunnel URLs in place instead of restoring.")
    ] = False,
    ngrok_domain: Annotated[
        str | None,
        typer.Option(
            "--ngrok-domain", help="Your static ngrok domain for the tunnel (default: a random URL)."
        ),
    ] = None,
    ngrok_authtoken: Annotated[
        str | None,
        typer.Option(
            "--ngrok-authtoken", help="ngrok auth token (default: NGROK_AUTHTOKEN, else your ngrok config)."
        ),
    ] = None,
    ngrok_path: Annotated[
        Path | None,
        typer.Option("--ngrok-path", help="The ngrok binary (default: PYNGROK_NGROK_PATH, else pyngrok's)."),
    ] = None,
    ngrok_timeout: Annotated[
        float, typer.Option("--ngrok-timeout", help="Seconds to wait for the ngrok agent to start.")
    ] = 20.0,
    cwd: Annotated[
        Path | None,
        typer.Option(
            "--cwd", help="The project folder, for its .env and deployments (default: the current one)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the before → after as JSON.")] = False,
) -> None:
    """Point a Twilio phone number's webhooks at your functions; localhost URLs get a tunnel."""
    from pyserverless.dev.number_update import UpdateRequest, update_phone_number
    from pyserverless.dev.tunnel import TunnelOptions
    from pyserverless.errors import UserError
    from pyserverless.project.folder import find_root, load_env
    from pyserverless.twilio_api.credentials import resolve_credentials

    try:
        root: Path | None = find_root(cwd or Path.cwd())
    except UserError:
        if cwd is not None:
            raise
        root = None
    env_file = root / ".env" if root is not None else None
    project_env = load_env(env_file) if env_file is not None and env_file.is_file() else None
    credentials = resolve_credentials(
        account_sid=account_sid,
        auth_token=auth_token,
        api_key=api_key,
        api_secret=api_secret,
        environ=os.environ,
        project_env=project_env,
        env_file_label=str(env_file),
    )
    given_fields = {
        "friendly_name": friendly_name,
        "sms_url": sms_url,
        "sms_method": sms_method,
        "sms_fallback_url": sms_fallback_url,
        "sms_fallback_method": sms_fallback_method,
        "voice_url": voice_url,
        "voice_method": voice_method,
        "voice_fallback_url": voice_fallback_url,
        "voice_fallback_method": voice_fallback_method,
    }
    changes = {
        name: value.value if isinstance(value, HttpMethod) else value
        for name, value in given_fields.items()
        if value is not None
    }
    request = UpdateRequest(
        number=number,
        changes=changes,
        credentials=credentials,
        environ=os.environ,
        project_root=root,
        environment=environment,
        keep=keep,
        tunnel_options=TunnelOptions(
            domain=ngrok_domain,
            auth_token=ngrok_authtoken,
            ngrok_path=ngrok_path,
            start_timeout=ngrok_timeout,
        ),
    )
    update_phone_number(request, TerminalReporter(as_json))


app.command("update", cls=configured(*CONFIG_KEYS))(command)
