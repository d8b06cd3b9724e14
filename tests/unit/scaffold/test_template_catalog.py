"""The bundled templates: where they are found, what each holds, and that shared files stay identical."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

import pyserverless.types
from pyserverless.errors import UserError
from pyserverless.project.folder import route_for
from pyserverless.scaffold.catalog import (
    DEFAULT_TEMPLATE,
    GROUPS,
    by_group,
    get_template,
    list_templates,
    project_files_folder,
    read_template,
    templates_folder,
    walk_files,
)
from pyserverless.scaffold.env_merge import env_keys

REPOSITORY = Path(__file__).resolve().parents[3]
REQUIRED = [
    "after-hours",
    "call-blocklist",
    "call-screening",
    "conference-line",
    "default",
    "forward-call",
    "hello-world",
    "hold-music",
    "magic-8-ball",
    "message-status",
    "mms-picture",
    "pin-menu",
    "sms-forward",
    "sms-keywords",
    "sms-reply",
    "sms-survey",
    "sms-wordle",
    "state-counter",
    "voice-ivr",
    "voicemail",
]
#: The only functions of the templates that Twilio does not call, so they need no signature.
PUBLIC_FUNCTIONS = {
    ("default", "hello-world.py"),
    ("default", "private-message.py"),
    ("hello-world", "hello-world.py"),
}


def test_the_source_tree_templates_are_found_in_an_editable_install() -> None:
    assert templates_folder() == REPOSITORY / "templates"
    assert project_files_folder() == REPOSITORY / "templates" / "_project"


def test_every_required_template_is_listed_in_order() -> None:
    assert [template.name for template in list_templates()] == REQUIRED
    assert DEFAULT_TEMPLATE in REQUIRED
    assert len(REQUIRED) >= 20


def test_templates_by_group() -> None:
    groups = by_group(list_templates())
    assert list(groups) == list(GROUPS) == ["messaging", "voice", "other"]
    assert [template.name for template in groups["other"]] == ["default"]
    assert [template.name for template in groups["messaging"]] == [
        "magic-8-ball",
        "message-status",
        "mms-picture",
        "sms-forward",
        "sms-keywords",
        "sms-reply",
        "sms-survey",
        "sms-wordle",
        "state-counter",
    ]
    assert by_group([get_template("voicemail")]) == {"voice": [get_template("voicemail")]}


#: Every template's handler, its event annotated with a type of `pyserverless.types`.
HANDLER_SIGNATURE = re.compile(r"^def handler\(context, event: (\w+), callback\):$", re.MULTILINE)


@pytest.mark.parametrize("name", REQUIRED)
def test_each_template_is_complete(name: str) -> None:
    template = get_template(name)
    assert template.folder == REPOSITORY / "templates" / name
    assert template.description
    assert "\n" not in template.description
    assert template.group in GROUPS
    assert all(need and "\n" not in need for need in template.needs)
    functions = template.files("functions")
    assert functions, f"{name} has no functions"
    for relative in functions:
        mapped = route_for(PurePosixPath(relative.as_posix()), "function")
        assert mapped is not None
        source = (template.folder / "functions" / relative).read_text(encoding="utf-8")
        signature = HANDLER_SIGNATURE.search(source)
        assert signature is not None, (
            f"{name}/functions/{relative}: handler(context, event: <type>, callback)"
        )
        assert signature[1] in pyserverless.types.__all__
        assert f"from pyserverless.types import {signature[1]}\n" in source
        assert source.startswith('"""'), f"{name}/functions/{relative} does not say what it does"
        if (name, relative.as_posix()) not in PUBLIC_FUNCTIONS:
            assert mapped[1] == "protected", f"Twilio calls {name}/functions/{relative}: it must be protected"
    assert template.files("tests") == [Path("test_functions.py")]
    assert "twilio_sim" in (template.folder / "tests" / "test_functions.py").read_text(encoding="utf-8")


def test_template_env_files_never_define_the_credentials() -> None:
    for template in list_templates():
        if template.env_file is not None:
            keys = env_keys(template.env_file.read_text(encoding="utf-8"))
            assert keys
            assert not keys & {"ACCOUNT_SID", "AUTH_TOKEN"}


def test_every_env_variable_has_a_comment_and_is_named_in_needs() -> None:
    with_env = [template for template in list_templates() if template.env_file is not None]
    assert [template.name for template in with_env] == [
        "after-hours",
        "call-blocklist",
        "call-screening",
        "conference-line",
        "forward-call",
        "pin-menu",
        "sms-forward",
    ]
    for template in with_env:
        assert template.env_file is not None
        lines = template.env_file.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            if line and not line.startswith("#"):
                assert index > 0 and lines[index - 1].startswith("# "), (
                    f"{template.name}: {line} has no comment"
                )
        for key in env_keys(template.env_file.read_text(encoding="utf-8")):
            assert any(key in need for need in template.needs), f"{template.name} does not say it needs {key}"


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('name = "x"\ndescription = "d"\nneeds = []\n', "no group"),
        ('name = "x"\ndescription = "d"\ngroup = "fax"\nneeds = []\n', "an unknown group"),
        ('name = "x"\ndescription = "d"\ngroup = "voice"\nneeds = "MY_PHONE_NUMBER"\n', "needs as a string"),
    ],
)
def test_a_bad_template_toml_is_refused(tmp_path: Path, toml: str, problem: str) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "template.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        read_template(folder)
    assert raised.value.message == (
        "The bundled template x has a bad template.toml: name must be 'x', description a string, "
        "group one of messaging, voice, other and needs a list of strings."
    ), problem


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
