from __future__ import annotations

from pyserverless.cli.main import expand_ngrok_domain


def test_ngrok_equals_domain_becomes_the_domain_option() -> None:
    assert expand_ngrok_domain(["start", "--ngrok=my-app.ngrok-free.app", "-p", "0"]) == [
        "start",
        "--ngrok-domain",
        "my-app.ngrok-free.app",
        "-p",
        "0",
    ]


def test_ngrok_equals_nothing_is_the_plain_flag() -> None:
    assert expand_ngrok_domain(["start", "--ngrok="]) == ["start", "--ngrok"]


def test_bare_ngrok_stays_a_flag_and_keeps_the_next_argument() -> None:
    assert expand_ngrok_domain(["start", "--ngrok", "my-project"]) == ["start", "--ngrok", "my-project"]


def test_arguments_after_the_separator_are_left_alone() -> None:
    assert expand_ngrok_domain(["sms", "--", "--ngrok=x"]) == ["sms", "--", "--ngrok=x"]
