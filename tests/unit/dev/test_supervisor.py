"""How a restart line of `start` names the changed files."""

from __future__ import annotations

from pyserverless.dev.supervisor import describe


def test_describe_names_one_file_or_counts_several() -> None:
    assert describe([("modified", "functions/a.py")]) == "functions/a.py modified"
    assert (
        describe([("added", "functions/a.py"), ("modified", "functions/a.py")])
        == "functions/a.py added/modified"
    )
    assert (
        describe([("modified", ".env"), ("added", "functions/b.py")])
        == "2 files changed: .env, functions/b.py"
    )
    many = [("modified", f"functions/f{index}.py") for index in range(5)]
    assert describe(many) == "5 files changed: functions/f0.py, functions/f1.py, functions/f2.py and 2 more"
