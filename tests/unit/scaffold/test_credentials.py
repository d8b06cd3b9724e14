"""Credentials written to a new project's .env: flag, else TWILIO_* variable, else the prompt, else empty."""

from __future__ import annotations

import pytest

from pyserverless.errors import UserError
from pyserverless.scaffold.new_project import MAX_ASKS, EnvCredentials, credentials_for_env
from pyserverless.twilio_api.credentials import CONSOLE_HINT, check_account_sid, check_secret

SID = "AC" + "0123456789abcdef" * 2
OTHER_SID = "AC" + "fedcba9876543210" * 2
TOKEN = "0123456789abcdef" * 2
OTHER_TOKEN = "abcdefABCDEF0123456789abcdefABCD"


def no_prompt(question: str, secret: bool) -> str:
    raise AssertionError(f"asked {question!r} although a value was given")


def test_flags_win_over_environment_and_prompt() -> None:
    environ = {"TWILIO_ACCOUNT_SID": OTHER_SID, "TWILIO_AUTH_TOKEN": OTHER_TOKEN}
    assert credentials_for_env(SID, TOKEN, environ, no_prompt) == EnvCredentials(SID, TOKEN)


def test_environment_wins_over_the_prompt() -> None:
    environ = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN}
    assert credentials_for_env(None, None, environ, no_prompt) == EnvCredentials(SID, TOKEN)


def test_each_credential_is_resolved_on_its_own() -> None:
    questions: list[tuple[str, bool]] = []

    def ask(question: str, secret: bool) -> str:
        questions.append((question, secret))
        return TOKEN

    assert credentials_for_env(SID, None, {}, ask) == EnvCredentials(SID, TOKEN)
    assert questions == [("Twilio Auth Token (hidden; press Enter to leave it empty)", True)]


def test_the_prompt_asks_for_both_and_hides_the_token() -> None:
    questions: list[tuple[str, bool]] = []
    answers = iter([f"  {SID}  ", TOKEN])

    def ask(question: str, secret: bool) -> str:
        questions.append((question, secret))
        return next(answers)

    assert credentials_for_env(None, None, {}, ask) == EnvCredentials(SID, TOKEN)
    assert questions == [
        ("Twilio Account SID (starts with AC; press Enter to leave it empty)", False),
        ("Twilio Auth Token (hidden; press Enter to leave it empty)", True),
    ]


def test_empty_answers_leave_the_credentials_empty() -> None:
    assert credentials_for_env(None, None, {}, lambda question, secret: "") == EnvCredentials("", "")


def test_without_a_prompt_they_are_left_empty_never_undefined() -> None:
    assert credentials_for_env(None, None, {"TWILIO_ACCOUNT_SID": "  "}, None) == EnvCredentials("", "")


def test_an_empty_flag_means_empty_and_asks_nothing() -> None:
    assert credentials_for_env("", "", {"TWILIO_ACCOUNT_SID": SID}, no_prompt) == EnvCredentials("", "")


@pytest.mark.parametrize(
    ("account_sid", "environ", "message"),
    [
        (
            "AC123",
            {},
            "--account-sid is not an account SID: it should be AC followed by 32 hexadecimal digits "
            "(it has 5 characters).",
        ),
        (
            "AC" + "g" * 32,
            {},
            "--account-sid is not an account SID: it should be AC followed by 32 hexadecimal digits "
            "(it has 34 characters).",
        ),
        (
            None,
            {"TWILIO_ACCOUNT_SID": "undefined"},
            "TWILIO_ACCOUNT_SID is not an account SID: it should be AC followed by 32 hexadecimal digits "
            "(it has 9 characters).",
        ),
        ("SK" + "0" * 32, {}, "--account-sid holds an API key SID (SK…), not an account SID."),
    ],
)
def test_a_bad_account_sid_names_its_source(
    account_sid: str | None, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(UserError) as raised:
        credentials_for_env(account_sid, TOKEN, environ, None)
    assert raised.value.message == message


def test_a_bad_typed_account_sid_says_it_was_typed() -> None:
    questions: list[str] = []

    def ask(question: str, secret: bool) -> str:
        questions.append(question)
        return "nope"

    with pytest.raises(UserError) as raised:
        credentials_for_env(None, None, {}, ask)
    assert raised.value.message == (
        "The account SID you entered is not an account SID: "
        "it should be AC followed by 32 hexadecimal digits (it has 4 characters)."
    )
    assert len(questions) == MAX_ASKS == 3


def test_a_mistyped_credential_is_asked_again_with_what_was_wrong() -> None:
    answers = iter(["AC123", SID, "too-short", TOKEN])
    questions: list[tuple[str, bool]] = []

    def ask(question: str, secret: bool) -> str:
        questions.append((question, secret))
        return next(answers)

    assert credentials_for_env(None, None, {}, ask) == EnvCredentials(SID, TOKEN)
    sid_question = "Twilio Account SID (starts with AC; press Enter to leave it empty)"
    token_question = "Twilio Auth Token (hidden; press Enter to leave it empty)"
    assert questions == [
        (sid_question, False),
        (
            "The account SID you entered is not an account SID: it should be AC followed by 32 hexadecimal "
            f"digits (it has 5 characters).\n{sid_question}",
            False,
        ),
        (token_question, True),
        (
            "The auth token you entered does not look like an auth token: it should be 32 letters and digits "
            f"(it has 9 characters).\n{token_question}",
            True,
        ),
    ]


def test_an_empty_answer_after_a_mistyped_one_leaves_it_empty() -> None:
    answers = iter(["AC123", "", ""])
    assert credentials_for_env(None, None, {}, lambda question, secret: next(answers)) == EnvCredentials(
        "", ""
    )


@pytest.mark.parametrize(
    ("auth_token", "environ", "label", "length"),
    [
        ("short-secret-value", {}, "--auth-token", 18),
        ("x" * 33, {}, "--auth-token", 33),
        ("0123456789abcdef0123456789abcde!", {}, "--auth-token", 32),
        (None, {"TWILIO_AUTH_TOKEN": "undefined"}, "TWILIO_AUTH_TOKEN", 9),
    ],
)
def test_a_bad_auth_token_is_never_shown(
    auth_token: str | None, environ: dict[str, str], label: str, length: int
) -> None:
    with pytest.raises(UserError) as raised:
        credentials_for_env(SID, auth_token, environ, None)
    assert raised.value.message == (
        f"{label} does not look like an auth token: it should be 32 letters and digits "
        f"(it has {length} characters)."
    )
    secret = auth_token if auth_token is not None else environ["TWILIO_AUTH_TOKEN"]
    assert secret not in str(raised.value)


def test_the_hints_point_at_the_console() -> None:
    with pytest.raises(UserError) as raised:
        check_account_sid("SK" + "0" * 32, "--account-sid")
    assert raised.value.hint == f"The account SID starts with AC. {CONSOLE_HINT}"
    with pytest.raises(UserError) as raised:
        check_secret("x", "--auth-token", "an auth token")
    assert (
        raised.value.hint
        == f"Copy it again from the Twilio Console, without quotes or spaces. {CONSOLE_HINT}"
    )


def test_upper_case_hex_is_an_account_sid() -> None:
    check_account_sid("AC" + "ABCDEF0123456789" * 2, "--account-sid")
