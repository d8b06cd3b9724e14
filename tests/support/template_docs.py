"""The catalog in docs/templates.md, written from the bundled templates and the transcripts of their tests.

`catalog_markdown(runs)` renders each group's templates: description, what it needs, its routes, and the
transcript of the first test of its `tests/test_functions.py`, as recorded while the template's own tests ran
in a fresh project (see `template_runs`). The catalog sits between two markers of the doc; a functional test
checks it is what this module would write. `python -m tests.support.template_docs` rewrites it.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from pyserverless.project.folder import scan_routes
from pyserverless.scaffold.catalog import Template, by_group, list_templates
from tests.support.template_runs import TemplateRuns, run_template_tests

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"
BEGIN = "<!-- catalog: written by `python -m tests.support.template_docs` from the templates' tests -->"
END = "<!-- end of catalog -->"


def catalog_markdown(runs: TemplateRuns) -> str:
    """The catalog section, markers included."""
    parts = [BEGIN]
    for group, templates in by_group(list_templates()).items():
        parts.append(f"### {group.capitalize()}")
        for template in templates:
            parts.append(_template_markdown(template, runs))
    parts.append(END)
    return "\n\n".join(parts) + "\n"


def _template_markdown(template: Template, runs: TemplateRuns) -> str:
    example = runs.tests[template.name][0]
    routes = ", ".join(
        f"`{route.path}` ({route.visibility} {route.kind})" for route in scan_routes(template.folder)
    )
    needs = "; ".join(template.needs) if template.needs else "nothing"
    transcript = "\n".join(example.transcript)
    return (
        f"#### `{template.name}`\n\n{template.description}\n\n"
        f"- Routes: {routes}\n- Needs: {needs}\n\n"
        f"Played by `{example.name.partition('[')[0]}`:\n\n```text\n{transcript}\n```"
    )


def current_catalog(doc_text: str) -> str:
    """The catalog section as the doc has it now (empty when the markers are missing)."""
    match = re.search(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n", doc_text, re.DOTALL)
    return match.group(0) if match else ""


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        runs = run_template_tests(Path(folder))
    failed = [
        f"{name}: {test.name}"
        for name, tests in runs.tests.items()
        for test in tests
        if test.outcome != "passed"
    ]
    if failed:
        print("Templates' tests failed, the doc is left as it is:\n" + "\n".join(failed) + "\n" + runs.output)
        return 1
    text = DOC.read_text(encoding="utf-8")
    current = current_catalog(text)
    if not current:
        print(f"{DOC} has no catalog markers: add the lines\n{BEGIN}\n{END}")
        return 1
    DOC.write_text(text.replace(current, catalog_markdown(runs)), encoding="utf-8")
    print(f"Wrote the catalog of {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
