"""Twilio credentials: which ones a command uses, and their shapes checked with messages that name the source
and never show a secret.

Credentials come from the first complete source, in this order: the command-line flags (`--account-sid` with
`--auth-token`, or with `--api-key`/`--api-secret`), the environment (`TWILIO_ACCOUNT_SID` +
`TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET` with `TWILIO_ACCOUNT_SID`), then the project's
`.env` (`ACCOUNT_SID`, `AUTH_TOKEN`). An account SID is `AC` followed by 32 hexadecimal digits, an API key SID
`SK` and 32 hexadecimal digits; an auth token or API key secret is 32 letters and digits. This module imports
nothing heavy, so `init` checks credentials without loading the twilio library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyserverless.errors import UserError

ACCOUNT_SID_PATTERN = re.compile(r"AC[0-9a-fA-F]{32}")
API_KEY_PATTERN = re.compile(r"SK[0-9a-fA-F]{32}")
SECRET_PATTERN = re.compile(r"[A-Za-z0-9]{32}")
CONSOLE_HINT = (
    "The account SID and auth token are on the Twilio Console home page: https://console.twilio.com"
)


def check_account_sid(value: str, label: str) -> None:
    """Refuse anything but `AC` + 32 hex digits; `label` names where the value came from ("--account-sid")."""
    if ACCOUNT_SID_PATTERN.fullmatch(value):
        return
    if value.startswith("SK"):
        raise UserError(
            f"{label} holds an API key SID (SK…), not an account SID.",
            hint=f"The account SID starts with AC. {CONSOLE_HINT}",
        )
    raise UserError(
        f"{label} is not an account SID: it should be AC followed by 32 hexadecimal digits "
        f"(it has {len(value)} characters).",
        hint=CONSOLE_HINT,
    )


def check_api_key(value: str, label: str) -> None:
    """Refuse anything but `SK` + 32 hex digits; an account SID (`AC…`) gets its own message."""
    if API_KEY_PATTERN.fullmatch(value):
        return
    if value.startswith("AC"):
        raise UserError(
            f"{label} holds an account SID (AC…), not an API key SID (SK…).",
            hint="Create an API key in the Twilio Console (Account > API keys & tokens); its SID starts "
            "with SK.",
        )
    raise UserError(
        f"{label} is not an API key SID: it should be SK followed by 32 hexadecimal digits "
        f"(it has {len(value)} characters).",
        hint="API key SIDs are listed in the Twilio Console under Account > API keys & tokens.",
    )


def check_secret(value: str, label: str, what: str) -> None:
    """Refuse a token or secret (`what`, e.g. "an auth token") that is not 32 letters and digits, unshown."""
    if SECRET_PATTERN.fullmatch(value):
        return
    raise UserError(
        f"{label} does not look like {what}: it should be 32 letters and digits "
        f"(it has {len(value)} characters).",
        hint=f"Copy it again from the Twilio Console, without quotes or spaces. {CONSOLE_HINT}",
    )


@dataclass(frozen=True)
class Credentials:
    """Who calls Twilio: the account, the user name and password of Basic auth, and where they came from."""

    account_sid: str
    username: str
    password: str = field(repr=False)
    source: str

    @property
    def uses_api_key(self) -> bool:
        return self.username != self.account_sid

    def describe(self) -> str:
        """Which credentials are used, without the secret: 'account AC… (auth token from .env)'."""
        kind = f"API key {self.username}" if self.uses_api_key else "auth token"
        return f"account {self.account_sid} ({kind} from {self.source})"


def resolve_credentials(
    *,
    account_sid: str | None,
    auth_token: str | None,
    api_key: str | None,
    api_secret: str | None,
    environ: Mapping[str, str],
    project_env: Mapping[str, str] | None,
    env_file_label: str = ".env",
    accepts_flags: bool = True,
) -> Credentials:
    """The credentials of the first complete source (flags, environment, project `.env`), shapes checked;
    `accepts_flags` False for a command with no credential flags (`start`), so the hint names none."""
    if any(value is not None for value in (account_sid, auth_token, api_key, api_secret)):
        return _from_flags(account_sid, auth_token, api_key, api_secret)
    from_environment = _from_environment(environ)
    if from_environment is not None:
        return from_environment
    if project_env and project_env.get("ACCOUNT_SID") and project_env.get("AUTH_TOKEN"):
        source = env_file_label
        sid = project_env["ACCOUNT_SID"]
        check_account_sid(sid, f"ACCOUNT_SID in {source}")
        check_secret(project_env["AUTH_TOKEN"], f"AUTH_TOKEN in {source}", "an auth token")
        return Credentials(sid, sid, project_env["AUTH_TOKEN"], source)
    flags = "Pass --account-sid and --auth-token (or --api-key and --api-secret with --account-sid), set"
    first, where = (flags, "the project's .env") if accepts_flags else ("Set", env_file_label)
    raise UserError(
        "No Twilio credentials found.",
        hint=f"{first} TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY "
        f"and TWILIO_API_SECRET with TWILIO_ACCOUNT_SID), or fill in ACCOUNT_SID and AUTH_TOKEN in {where}. "
        + CONSOLE_HINT,
    )


def _from_flags(
    account_sid: str | None, auth_token: str | None, api_key: str | None, api_secret: str | None
) -> Credentials:
    source = "the command line"
    if api_key is not None or api_secret is not None:
        if auth_token is not None:
            raise UserError(
                "--auth-token and --api-key/--api-secret were both given.",
                hint="Authenticate either with the auth token or with an API key and its secret, not both.",
            )
        if api_key is None or api_secret is None:
            given, missing = (
                ("--api-key", "--api-secret") if api_secret is None else ("--api-secret", "--api-key")
            )
            raise UserError(f"{given} was given without {missing}.", hint="Give the API key and its secret.")
        if account_sid is None:
            raise UserError(
                "--api-key needs --account-sid: an API key does not say which account it belongs to.",
                hint="Add --account-sid AC… (the account SID of the Twilio Console home page).",
            )
        check_account_sid(account_sid, "--account-sid")
        check_api_key(api_key, "--api-key")
        check_secret(api_secret, "--api-secret", "an API key secret")
        return Credentials(account_sid, api_key, api_secret, source)
    if account_sid is None or auth_token is None:
        given, missing = (
            ("--account-sid", "--auth-token") if auth_token is None else ("--auth-token", "--account-sid")
        )
        raise UserError(
            f"{given} was given without {missing}.",
            hint="Pass --account-sid with --auth-token, or --account-sid with --api-key and --api-secret.",
        )
    check_account_sid(account_sid, "--account-sid")
    check_secret(auth_token, "--auth-token", "an auth token")
    return Credentials(account_sid, account_sid, auth_token, source)


def _from_environment(environ: Mapping[str, str]) -> Credentials | None:
    account_sid = environ.get("TWILIO_ACCOUNT_SID", "")
    auth_token = environ.get("TWILIO_AUTH_TOKEN", "")
    if account_sid and auth_token:
        check_account_sid(account_sid, "TWILIO_ACCOUNT_SID")
        check_secret(auth_token, "TWILIO_AUTH_TOKEN", "an auth token")
        return Credentials(account_sid, account_sid, auth_token, "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN")
    api_key = environ.get("TWILIO_API_KEY", "")
    api_secret = environ.get("TWILIO_API_SECRET", "")
    if api_key and api_secret:
        if not account_sid:
            raise UserError(
                "TWILIO_API_KEY and TWILIO_API_SECRET are set but TWILIO_ACCOUNT_SID is not.",
                hint="An API key does not say which account it belongs to: set TWILIO_ACCOUNT_SID to the "
                "account SID (AC…) too.",
            )
        check_account_sid(account_sid, "TWILIO_ACCOUNT_SID")
        check_api_key(api_key, "TWILIO_API_KEY")
        check_secret(api_secret, "TWILIO_API_SECRET", "an API key secret")
        return Credentials(account_sid, api_key, api_secret, "TWILIO_API_KEY/TWILIO_API_SECRET")
    return None
