"""Every bundled template, made into a fresh project, passes its own tests, and docs/templates.md shows the
conversation of each one's first test as those tests played it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pyserverless.scaffold.catalog import get_template, list_templates
from tests.support.template_docs import DOC, catalog_markdown, current_catalog
from tests.support.template_runs import EMPTY_PROJECT, TemplateRuns, run_template_tests


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> TemplateRuns:
    return run_template_tests(tmp_path_factory.mktemp("templates"))


def template_test_names(name: str) -> list[str]:
    """The names of the test functions of a template's tests/test_functions.py, in order."""
    source = (get_template(name).folder / "tests" / "test_functions.py").read_text(encoding="utf-8")
    return [
        node.name
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]


@pytest.mark.parametrize("name", [template.name for template in list_templates()])
def test_a_fresh_project_passes_its_own_tests(runs: TemplateRuns, name: str) -> None:
    tests = runs.tests[name]
    failures = {test.name: test.failure for test in tests if test.outcome != "passed"}
    assert failures == {}, runs.output
    assert [test.name.partition("[")[0] for test in tests] == template_test_names(name), runs.output
    assert tests[0].transcript, f"the first test of {name} plays no conversation with twilio_sim"


def test_an_empty_project_passes_its_own_tests(runs: TemplateRuns) -> None:
    assert [(test.name, test.outcome) for test in runs.tests[EMPTY_PROJECT]] == [
        ("test_every_function_defines_a_handler", "passed")
    ], runs.output


def test_the_docs_show_each_templates_conversation_as_its_tests_played_it(runs: TemplateRuns) -> None:
    doc = Path(DOC).read_text(encoding="utf-8")
    assert current_catalog(doc) == catalog_markdown(runs), (
        "docs/templates.md is out of date: run `python -m tests.support.template_docs`"
    )
