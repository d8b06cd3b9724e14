"""Shape checks for Twilio credentials, with messages that name the source and never show a secret.

An account SID is `AC` followed by 32 hexadecimal digits, an API key SID `SK` and 32 hexadecimal digits; an
auth token or API key secret is 32 letters and digits. This module imports nothing heavy, so `init` checks
credentials without loading the twilio library.
"""

from __future__ import annotations

import re

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
