"""Which Twilio credentials `phone-numbers:update` uses, and how it refuses malformed ones."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from pyserverless.errors import UserError
from pyserverless.twilio_api.credentials import Credentials, resolve_credentials
from tests.support.twilio_api import ACCOUNT_SID, API_KEY, API_SECRET, AUTH_TOKEN

OTHER_SID = "AC" + "e5" * 16
OTHER_TOKEN = "f6" * 16


def resolve(
    environ: Mapping[str, str] | None = None,
    project_env: Mapping[str, str] | None = None,
    **flags: str,
) -> Credentials:
    return resolve_credentials(
        account_sid=flags.get("account_sid"),
        auth_token=flags.get("auth_token"),
        api_key=flags.get("api_key"),
        api_secret=flags.get("api_secret"),
        environ=environ or {},
        project_env=project_env,
        env_file_label="/p/.env",
    )


def refused(**arguments: object) -> str:
    with pytest.raises(UserError) as caught:
        resolve(**arguments)  # type: ignore[arg-type]
    return caught.value.message


def test_flags_win_over_environment_and_env_file() -> None:
    credentials = resolve(
        {"TWILIO_ACCOUNT_SID": OTHER_SID, "TWILIO_AUTH_TOKEN": OTHER_TOKEN},
        {"ACCOUNT_SID": OTHER_SID, "AUTH_TOKEN": OTHER_TOKEN},
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
    )
    assert credentials == Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "the command line")


def test_api_key_flags_authenticate_as_the_key_for_the_account() -> None:
    credentials = resolve(account_sid=ACCOUNT_SID, api_key=API_KEY, api_secret=API_SECRET)
    assert credentials == Credentials(ACCOUNT_SID, API_KEY, API_SECRET, "the command line")
    assert credentials.describe() == f"account {ACCOUNT_SID} (API key {API_KEY} from the command line)"


def test_environment_auth_token_wins_over_env_file() -> None:
    credentials = resolve(
        {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN},
        {"ACCOUNT_SID": OTHER_SID, "AUTH_TOKEN": OTHER_TOKEN},
    )
    assert credentials == Credentials(
        ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN"
    )


def test_environment_api_key() -> None:
    environ = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_API_KEY": API_KEY, "TWILIO_API_SECRET": API_SECRET}
    assert resolve(environ) == Credentials(
        ACCOUNT_SID, API_KEY, API_SECRET, "TWILIO_API_KEY/TWILIO_API_SECRET"
    )


def test_env_file_is_the_last_source() -> None:
    credentials = resolve(
        {"TWILIO_ACCOUNT_SID": OTHER_SID}, {"ACCOUNT_SID": ACCOUNT_SID, "AUTH_TOKEN": AUTH_TOKEN}
    )
    assert credentials == Credentials(ACCOUNT_SID, ACCOUNT_SID, AUTH_TOKEN, "/p/.env")
    assert credentials.describe() == f"account {ACCOUNT_SID} (auth token from /p/.env)"


def test_secrets_never_appear_in_descriptions_or_repr() -> None:
    credentials = resolve(account_sid=ACCOUNT_SID, api_key=API_KEY, api_secret=API_SECRET)
    assert API_SECRET not in repr(credentials)
    assert API_SECRET not in credentials.describe()


def test_no_source_at_all() -> None:
    with pytest.raises(UserError) as caught:
        resolve({}, {"ACCOUNT_SID": "", "AUTH_TOKEN": ""})
    assert caught.value.message == "No Twilio credentials found."
    assert caught.value.hint is not None
    assert caught.value.hint.startswith(
        "Pass --account-sid and --auth-token (or --api-key and --api-secret with --account-sid), set "
        "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"account_sid": ACCOUNT_SID}, "--account-sid was given without --auth-token."),
        ({"auth_token": AUTH_TOKEN}, "--auth-token was given without --account-sid."),
        ({"api_key": API_KEY, "account_sid": ACCOUNT_SID}, "--api-key was given without --api-secret."),
        ({"api_secret": API_SECRET, "account_sid": ACCOUNT_SID}, "--api-secret was given without --api-key."),
        (
            {"api_key": API_KEY, "api_secret": API_SECRET},
            "--api-key needs --account-sid: an API key does not say which account it belongs to.",
        ),
        (
            {
                "account_sid": ACCOUNT_SID,
                "auth_token": AUTH_TOKEN,
                "api_key": API_KEY,
                "api_secret": API_SECRET,
            },
            "--auth-token and --api-key/--api-secret were both given.",
        ),
    ],
)
def test_incomplete_flags(flags: dict[str, str], message: str) -> None:
    assert refused(**flags) == message


def test_api_key_sid_in_account_sid_is_named() -> None:
    assert (
        refused(account_sid=API_KEY, auth_token=AUTH_TOKEN)
        == "--account-sid holds an API key SID (SK…), not an account SID."
    )
    assert (
        refused(project_env={"ACCOUNT_SID": API_KEY, "AUTH_TOKEN": AUTH_TOKEN})
        == "ACCOUNT_SID in /p/.env holds an API key SID (SK…), not an account SID."
    )


def test_account_sid_in_api_key_is_named() -> None:
    assert (
        refused(account_sid=ACCOUNT_SID, api_key=OTHER_SID, api_secret=API_SECRET)
        == "--api-key holds an account SID (AC…), not an API key SID (SK…)."
    )


def test_malformed_values_are_described_without_showing_them() -> None:
    assert refused(environ={"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": AUTH_TOKEN}) == (
        "TWILIO_ACCOUNT_SID is not an account SID: it should be AC followed by 32 hexadecimal digits "
        "(it has 5 characters)."
    )
    message = refused(environ={"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "not-the-token"})
    assert message == (
        "TWILIO_AUTH_TOKEN does not look like an auth token: it should be 32 letters and digits "
        "(it has 13 characters)."
    )
    assert refused(account_sid=ACCOUNT_SID, api_key="SK1", api_secret=API_SECRET) == (
        "--api-key is not an API key SID: it should be SK followed by 32 hexadecimal digits "
        "(it has 3 characters)."
    )


def test_environment_api_key_without_account_sid() -> None:
    assert (
        refused(environ={"TWILIO_API_KEY": API_KEY, "TWILIO_API_SECRET": API_SECRET})
        == "TWILIO_API_KEY and TWILIO_API_SECRET are set but TWILIO_ACCOUNT_SID is not."
    )
