"""The bundled templates: where they are found, what each holds, and that shared files stay identical."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import route_for
from pyserverless.scaffold.catalog import (
    DEFAULT_TEMPLATE,
    get_template,
    list_templates,
    project_files_folder,
    templates_folder,
    walk_files,
)
from pyserverless.scaffold.env_merge import env_keys

REPOSITORY = Path(__file__).resolve().parents[3]
REQUIRED = ["default", "forward-call", "hello-world", "sms-reply", "state-counter", "voice-ivr"]


def test_the_source_tree_templates_are_found_in_an_editable_install() -> None:
    assert templates_folder() == REPOSITORY / "templates"
    assert project_files_folder() == REPOSITORY / "templates" / "_project"


def test_every_required_template_is_listed_in_order() -> None:
    assert [template.name for template in list_templates()] == REQUIRED
    assert DEFAULT_TEMPLATE in REQUIRED


@pytest.mark.parametrize("name", REQUIRED)
def test_each_template_is_complete(name: str) -> None:
    template = get_template(name)
    assert template.folder == REPOSITORY / "templates" / name
    assert template.description
    assert "\n" not in template.description
    functions = template.files("functions")
    assert functions, f"{name} has no functions"
    for relative in functions:
        assert route_for(PurePosixPath(relative.as_posix()), "function") is not None
        assert (
            "def handler(context, event, callback):" in (template.folder / "functions" / relative).read_text()
        )
    assert template.files("tests") == [Path("test_functions.py")]


def test_template_env_files_never_define_the_credentials() -> None:
    for template in list_templates():
        if template.env_file is not None:
            keys = env_keys(template.env_file.read_text(encoding="utf-8"))
            assert keys
            assert not keys & {"ACCOUNT_SID", "AUTH_TOKEN"}


def test_only_forward_call_needs_a_variable() -> None:
    assert [template.name for template in list_templates() if template.env_file is not None] == [
        "forward-call"
    ]


@pytest.mark.parametrize(
    ("template", "relative"),
    [("hello-world", "hello-world.py"), ("state-counter", "state.protected.py")],
)
def test_the_default_template_shares_its_functions_with_the_single_templates(
    template: str, relative: str
) -> None:
    single = get_template(template).folder / "functions" / relative
    default = get_template(DEFAULT_TEMPLATE).folder / "functions" / relative
    assert single.read_bytes() == default.read_bytes()


def test_an_unknown_template() -> None:
    with pytest.raises(UserError) as raised:
        get_template("_project")
    assert raised.value.message == 'There is no template called "_project".'


def test_walk_files_leaves_caches_out(tmp_path: Path) -> None:
    for relative in ["a.py", "__pycache__/a.cpython-311.pyc", "b/c.txt", "b/d.pyc", ".pytest_cache/x"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    assert [path.relative_to(tmp_path).as_posix() for path in walk_files(tmp_path)] == ["a.py", "b/c.txt"]
    assert list(walk_files(tmp_path / "missing")) == []
