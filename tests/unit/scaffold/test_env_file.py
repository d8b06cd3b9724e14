"""Merging a template's .env into a project's: new keys added, existing ones commented out, comments kept."""

from __future__ import annotations

from pyserverless.scaffold.env_merge import MergedEnv, env_keys, merge_env

ADDITION = "# The number to forward to.\nMY_PHONE_NUMBER=+15551234567\n# Optional greeting.\nGREETING=Hello\n"


def test_keys_the_project_lacks_are_added_under_a_header() -> None:
    merged = merge_env("ACCOUNT_SID=AC1\n", ADDITION, "Variables of x")
    assert merged == MergedEnv(
        text=(
            "ACCOUNT_SID=AC1\n"
            "\n"
            "# Variables of x\n"
            "# The number to forward to.\n"
            "MY_PHONE_NUMBER=+15551234567\n"
            "# Optional greeting.\n"
            "GREETING=Hello\n"
        ),
        added=["MY_PHONE_NUMBER", "GREETING"],
        commented=[],
    )


def test_keys_the_project_has_are_commented_out_and_keep_their_value() -> None:
    merged = merge_env("GREETING=Hi there\n", ADDITION, "Variables of x")
    assert merged.text == (
        "GREETING=Hi there\n"
        "\n"
        "# Variables of x\n"
        "# The number to forward to.\n"
        "MY_PHONE_NUMBER=+15551234567\n"
        "# Optional greeting.\n"
        "# GREETING=Hello\n"
    )
    assert merged.added == ["MY_PHONE_NUMBER"]
    assert merged.commented == ["GREETING"]
    assert env_keys(merged.text) == {"GREETING", "MY_PHONE_NUMBER"}


def test_an_empty_or_missing_env() -> None:
    merged = merge_env("", "A=1\n", "Header")
    assert merged.text == "# Header\nA=1\n"


def test_an_env_without_a_final_newline_or_with_a_blank_line() -> None:
    assert merge_env("A=1", "B=2\n", "H").text == "A=1\n\n# H\nB=2\n"
    assert merge_env("A=1\n\n", "B=2\n", "H").text == "A=1\n\n# H\nB=2\n"


def test_export_lines_and_keys_defined_twice_in_the_addition() -> None:
    merged = merge_env("A=1\n", "export A=2\nB=3\nB=4\n", "H")
    assert merged.text == "A=1\n\n# H\n# export A=2\nB=3\n# B=4\n"
    assert merged.added == ["B"]
    assert merged.commented == ["A", "B"]


def test_env_keys_reads_multiline_and_bare_keys() -> None:
    assert env_keys('A="one\ntwo"\nBARE\n# C=3\nexport D=4\n') == {"A", "BARE", "D"}
