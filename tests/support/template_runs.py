"""Every bundled template made into a fresh project, and all their own tests run in one pytest process.

`run_template_tests(folder)` creates one project per template in `folder` with `init_project` (as
`pyserverless init NAME --template T` does; no credentials, so `twilio_sim` signs with its test token), one
`--empty` project, then runs pytest once over all of them: one interpreter start instead of one per project,
which keeps the suite fast as templates are added. Each project's tests run from their own files, conftest and
`.env`; pytest's importlib mode keeps the projects' same-named test modules apart. `transcript_recorder.py`
becomes the conftest.py of `folder` and reports each test's outcome and what its simulator heard.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pyserverless.scaffold.catalog import list_templates
from pyserverless.scaffold.new_project import init_project
from tests.support import transcript_recorder

EMPTY_PROJECT = "empty"
# Plugins of pyserverless's own test run that the projects' tests do not use (hypothesis doubles start-up).
PYTEST_OPTIONS = ["-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--import-mode=importlib"]


@dataclass(frozen=True)
class TestRun:
    """One test of a project: its name (with parameters), outcome, failure text and transcript lines."""

    name: str
    outcome: str
    failure: str
    transcript: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateRuns:
    """The tests of each project by its name (a template's, or `EMPTY_PROJECT`) and pytest's own output."""

    tests: dict[str, list[TestRun]]
    output: str


def run_template_tests(folder: Path) -> TemplateRuns:
    """Create every template's project in `folder`, run all their tests once, and read what happened."""
    names = [template.name for template in list_templates()]
    for name in names:
        _init(folder, name, name)
    _init(folder, EMPTY_PROJECT, None)
    shutil.copyfile(transcript_recorder.__file__, folder / "conftest.py")
    # Without a configuration file here, pytest would take the first project's pyproject.toml as the run's and
    # its folder as the root, and never read the conftest.py above it.
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    results_file = folder / "results.json"
    process = subprocess.run(
        [sys.executable, "-m", "pytest", *PYTEST_OPTIONS, *names, EMPTY_PROJECT],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TEMPLATE_RUNS_FILE": str(results_file)},
    )
    output = process.stdout + process.stderr
    if not results_file.is_file():
        raise AssertionError(f"pytest wrote no results:\n{output}")
    tests: dict[str, list[TestRun]] = {name: [] for name in [*names, EMPTY_PROJECT]}
    for nodeid, result in json.loads(results_file.read_text(encoding="utf-8")).items():
        project, _, test = nodeid.partition("/tests/test_functions.py::")
        tests.setdefault(project, []).append(
            TestRun(test or nodeid, result["outcome"], result["failure"], result.get("transcript", []))
        )
    return TemplateRuns(tests=tests, output=output)


def _init(folder: Path, name: str, template: str | None) -> None:
    init_project(
        name,
        folder,
        template_name=template,
        empty=template is None,
        account_sid=None,
        auth_token=None,
        environ={},
        ask=None,
    )
