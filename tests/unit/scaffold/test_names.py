"""Project and namespace names: the rules of create-twilio-function, one message listing every problem."""

from __future__ import annotations

import pytest

from pyserverless.errors import UserError
from pyserverless.scaffold.new_project import check_name

HINT = "Use up to 32 letters, digits and hyphens, for example my-service."


@pytest.mark.parametrize("name", ["demo", "my-service", "A1", "x", "a" * 32, "123", "CamelCase-2"])
def test_valid_names(name: str) -> None:
    check_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("my app", 'Invalid project name "my app": it must only include letters, numbers and hyphens.'),
        ("my_app", 'Invalid project name "my_app": it must only include letters, numbers and hyphens.'),
        ("app.v2", 'Invalid project name "app.v2": it must only include letters, numbers and hyphens.'),
        ("caf\u00e9", 'Invalid project name "caf\u00e9": it must only include letters, numbers and hyphens.'),
        ("../evil", 'Invalid project name "../evil": it must only include letters, numbers and hyphens.'),
        ("-app", 'Invalid project name "-app": it must not start with a hyphen.'),
        ("app-", 'Invalid project name "app-": it must not end with a hyphen.'),
        ("-", 'Invalid project name "-": it must not start with a hyphen and must not end with a hyphen.'),
        ("", 'Invalid project name "": it must not be empty.'),
        (
            "a" * 33,
            f'Invalid project name "{"a" * 33}": it must be at most 32 characters long (it has 33).',
        ),
        (
            "-bad name" + "x" * 30 + "-",
            f'Invalid project name "-bad name{"x" * 30}-": '
            "it must be at most 32 characters long (it has 40), "
            "must only include letters, numbers and hyphens, must not start with a hyphen and "
            "must not end with a hyphen.",
        ),
    ],
)
def test_invalid_names_list_every_problem(name: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        check_name(name)
    assert raised.value.message == message
    assert raised.value.hint == HINT


def test_the_noun_names_what_is_checked() -> None:
    with pytest.raises(UserError) as raised:
        check_name("a b", "name")
    assert raised.value.message == 'Invalid name "a b": it must only include letters, numbers and hyphens.'
