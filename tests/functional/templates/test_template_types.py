"""mypy checks every bundled template's functions against the `pyserverless.types` they are annotated with.

Each template is made into a project as `pyserverless init --template T` does, and mypy runs over its
`functions/` with the project's own configuration (its pyproject.toml), as a user would run `mypy functions`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

from pyserverless.scaffold.catalog import list_templates
from pyserverless.scaffold.new_project import init_project


def make_project(template: str, parent: Path) -> Path:
    created = init_project(
        template,
        parent,
        template_name=template,
        empty=False,
        account_sid=None,
        auth_token=None,
        environ={},
        ask=None,
    )
    return created.root


def mypy_functions(project: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    monkeypatch.chdir(project)
    out, err, status = api.run(["--cache-dir", str(cache), "--no-error-summary", "functions"])
    return out + err, status


def test_every_template_type_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failures = {}
    for template in list_templates():
        project = make_project(template.name, tmp_path)
        output, status = mypy_functions(project, tmp_path / "mypy-cache", monkeypatch)
        if status != 0:
            failures[template.name] = output
    assert failures == {}


def test_a_wrong_event_key_is_a_type_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project("state-counter", tmp_path)
    function = project / "functions" / "state.protected.py"
    function.write_text(function.read_text().replace('event["request"]', 'event["requests"]'))
    output, status = mypy_functions(project, tmp_path / "mypy-cache", monkeypatch)
    assert status == 1
    assert output.splitlines() == [
        'functions/state.protected.py:18: error: TypedDict "SmsWebhook" has no key "requests"  [typeddict-item]',
        'functions/state.protected.py:18: note: Did you mean "request"?',
    ]
