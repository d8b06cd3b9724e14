"""`init_project`: the trees it creates, what the project files hold, and that a failure leaves nothing."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from pyserverless import __version__
from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.scaffold.catalog import get_template, list_templates
from pyserverless.scaffold.new_project import CreatedProject, init_project
from pyserverless.tomlcompat import tomllib
from tests.support.init_trees import DEFAULT_TREE, EMPTY_TREE, SID, TOKEN, tree


def init(parent: Path, name: str = "demo", **options: Any) -> CreatedProject:
    arguments: dict[str, Any] = {
        "template_name": None,
        "empty": False,
        "account_sid": None,
        "auth_token": None,
        "environ": {},
        "ask": None,
    }
    arguments.update(options)
    return init_project(name, parent, **arguments)


def test_the_default_project(tmp_path: Path) -> None:
    created = init(tmp_path)
    root = tmp_path / "demo"
    assert created == CreatedProject(
        root=root, template="default", files=DEFAULT_TREE, missing_credentials=["ACCOUNT_SID", "AUTH_TOKEN"]
    )
    assert tree(root) == DEFAULT_TREE
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo"]
    for relative in DEFAULT_TREE:
        if relative.startswith(("functions/", "assets/")):
            assert (root / relative).read_bytes() == (get_template("default").folder / relative).read_bytes()


def test_the_default_project_routes(tmp_path: Path) -> None:
    init(tmp_path)
    project = load_project(tmp_path / "demo")
    assert [(route.path, route.visibility) for route in project.routes] == [
        ("/hello-world", "public"),
        ("/index.html", "public"),
        ("/message.txt", "private"),
        ("/private-message", "public"),
        ("/sms/reply", "protected"),
        ("/state", "protected"),
        ("/style.css", "public"),
    ]
    assert project.warnings == []
    assert project.config == {}
    assert project.env == {"ACCOUNT_SID": "", "AUTH_TOKEN": ""}


def test_an_empty_project(tmp_path: Path) -> None:
    created = init(tmp_path, "bare", empty=True)
    root = tmp_path / "bare"
    assert created.template is None
    assert created.files == EMPTY_TREE
    assert tree(root) == EMPTY_TREE
    assert sorted(path.name for path in root.iterdir() if path.is_dir()) == ["assets", "functions", "tests"]
    assert list((root / "functions").iterdir()) == []
    assert list((root / "assets").iterdir()) == []
    assert len(load_project(root).routes) == 0


def test_env_holds_the_credentials_and_only_the_owner_reads_it(tmp_path: Path) -> None:
    created = init(tmp_path, account_sid=SID, auth_token=TOKEN)
    env = tmp_path / "demo" / ".env"
    assert env.read_text(encoding="utf-8") == (
        "# The Twilio account of this project: context.get_twilio_client() uses it, and protected routes\n"
        "# check each request's X-Twilio-Signature with AUTH_TOKEN. Keep this file out of version control.\n"
        f"ACCOUNT_SID={SID}\n"
        f"AUTH_TOKEN={TOKEN}\n"
    )
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert created.missing_credentials == []


def test_env_is_never_readable_by_others_not_even_while_init_writes_it(tmp_path: Path) -> None:
    modes: list[int] = []
    watching = [True]

    def record_env_modes(event: str, args: tuple[object, ...]) -> None:
        # Audit hooks stay for the life of the process: this one records only during this test. The project is
        # built in a staging folder beside its final place, so every .env one level down is watched.
        if watching and event in ("open", "os.chmod", "os.rename", "shutil.copyfile"):
            modes.extend(stat.S_IMODE(env.stat().st_mode) for env in tmp_path.glob("*/.env"))

    sys.addaudithook(record_env_modes)
    previous_umask = os.umask(0o022)
    try:
        init(tmp_path, account_sid=SID, auth_token=TOKEN)
    finally:
        os.umask(previous_umask)
        watching.clear()
    assert modes and set(modes) == {0o600}


def test_credentials_from_the_environment(tmp_path: Path) -> None:
    init(tmp_path, environ={"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN})
    assert load_project(tmp_path / "demo").env == {"ACCOUNT_SID": SID, "AUTH_TOKEN": TOKEN}


def test_credentials_from_the_prompt(tmp_path: Path) -> None:
    answers = {False: SID, True: TOKEN}
    created = init(tmp_path, ask=lambda question, secret: answers[secret])
    assert load_project(created.root).env == {"ACCOUNT_SID": SID, "AUTH_TOKEN": TOKEN}


def test_the_users_pyproject(tmp_path: Path) -> None:
    init(tmp_path, "my-service")
    document = tomllib.loads((tmp_path / "my-service" / "pyproject.toml").read_text(encoding="utf-8"))
    assert document["project"]["name"] == "my-service"
    assert document["project"]["dependencies"] == ["twilio>=9"]
    assert document["project"]["optional-dependencies"] == {
        "dev": [f"pyserverless>={__version__}", "pytest>=8"]
    }
    assert document["build-system"] == {
        "requires": ["setuptools>=70.1"],
        "build-backend": "setuptools.build_meta",
    }
    assert document["tool"]["setuptools"] == {"packages": []}
    assert document["tool"]["pyserverless"] == {}
    assert document["tool"]["pytest"]["ini_options"] == {"testpaths": ["tests"]}
    assert document["tool"]["mypy"] == {
        "overrides": [{"module": ["twilio.*"], "ignore_missing_imports": True}]
    }


def test_the_gitignore_keeps_secrets_state_caches_and_venvs_out(tmp_path: Path) -> None:
    init(tmp_path)
    lines = (tmp_path / "demo" / ".gitignore").read_text(encoding="utf-8").splitlines()
    for entry in [".env", ".pyserverless/", "__pycache__/", "*.py[cod]", ".venv/", "venv/"]:
        assert entry in lines


def test_the_readme_says_how_to_start_test_and_deploy(tmp_path: Path) -> None:
    init(tmp_path)
    readme = (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# demo\n")
    for text in [
        "pyserverless start",
        "pytest",
        "pyserverless deploy",
        "- `/sms/reply` (protected function, `functions/sms/reply.protected.py`)",
        "- `/message.txt` (private asset, `assets/message.private.txt`)",
    ]:
        assert text in readme


def test_the_readme_of_an_empty_project(tmp_path: Path) -> None:
    init(tmp_path, empty=True)
    readme = (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")
    assert "None yet: add Python files to `functions/` and static files to `assets/`." in readme


@pytest.mark.parametrize("template", [template.name for template in list_templates()])
def test_every_template_makes_a_project(tmp_path: Path, template: str) -> None:
    created = init(tmp_path, template_name=template)
    assert created.template == template
    source = get_template(template)
    for folder in ("functions", "assets"):
        for relative in source.files(folder):
            assert (created.root / folder / relative).read_bytes() == (
                source.folder / folder / relative
            ).read_bytes()
    assert "tests/conftest.py" in created.files
    assert "tests/test_functions.py" in created.files
    assert len(load_project(created.root).routes) > 0


def test_a_template_env_is_added_after_the_credentials(tmp_path: Path) -> None:
    init(tmp_path, template_name="forward-call", account_sid=SID, auth_token=TOKEN)
    text = (tmp_path / "demo" / ".env").read_text(encoding="utf-8")
    assert text.endswith(
        f"AUTH_TOKEN={TOKEN}\n"
        "\n"
        "# Variables of the forward-call template\n"
        "# The phone number calls are forwarded to, in E.164 format (+ country code and number).\n"
        "MY_PHONE_NUMBER=\n"
    )
    assert load_project(tmp_path / "demo").env == {
        "ACCOUNT_SID": SID,
        "AUTH_TOKEN": TOKEN,
        "MY_PHONE_NUMBER": "",
    }


def test_path_is_the_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "projects").mkdir()
    created = init(tmp_path / "projects", "demo")
    assert created.root == (tmp_path / "projects" / "demo").resolve()


def assert_refused(tmp_path: Path, message: str, name: str = "demo", **options: Any) -> UserError:
    before = sorted(path.name for path in tmp_path.iterdir())
    with pytest.raises(UserError) as raised:
        init(tmp_path, name, **options)
    assert raised.value.message == message
    assert sorted(path.name for path in tmp_path.iterdir()) == before
    return raised.value


def test_a_bad_name_creates_nothing(tmp_path: Path) -> None:
    assert_refused(
        tmp_path,
        'Invalid project name "my app": it must only include letters, numbers and hyphens.',
        "my app",
    )


@pytest.mark.parametrize("kind", ["folder", "file", "symlink"])
def test_an_existing_target_is_refused(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "demo"
    if kind == "folder":
        target.mkdir()
        (target / "keep.txt").write_text("mine", encoding="utf-8")
    elif kind == "file":
        target.write_text("mine", encoding="utf-8")
    else:
        os.symlink(tmp_path / "nowhere", target)
    error = assert_refused(tmp_path, f"{tmp_path.resolve() / 'demo'} already exists.")
    assert error.hint == "Choose another name, or create the project in another folder with --path."
    if kind == "folder":
        assert tree(target) == ["keep.txt"]


def test_empty_with_template_is_refused(tmp_path: Path) -> None:
    error = assert_refused(
        tmp_path, "--empty and --template cannot be used together.", empty=True, template_name="hello-world"
    )
    assert error.hint == (
        "--empty creates a project without functions; --template NAME fills it from a template. Pick one."
    )


def test_an_unknown_template_is_refused(tmp_path: Path) -> None:
    error = assert_refused(tmp_path, 'There is no template called "nope".', template_name="nope")
    count = len(list_templates())
    assert error.hint == f"Run `pyserverless list-templates` to see the {count} templates."
    error = assert_refused(tmp_path, 'There is no template called "voice-irv".', template_name="voice-irv")
    assert (
        error.hint
        == f"Did you mean voice-ivr? Run `pyserverless list-templates` to see the {count} templates."
    )


def test_a_missing_parent_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        init(tmp_path / "missing")
    assert raised.value.message == f"The folder {tmp_path.resolve() / 'missing'} does not exist."


def test_a_bad_credential_creates_nothing(tmp_path: Path) -> None:
    assert_refused(
        tmp_path,
        "--account-sid is not an account SID: it should be AC followed by 32 hexadecimal digits "
        "(it has 5 characters).",
        account_sid="AC123",
    )


def test_a_folder_created_while_building_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "demo"

    def ask_while_someone_creates_the_folder(question: str, secret: bool) -> str:
        target.mkdir(exist_ok=True)
        (target / "theirs.txt").write_text("theirs", encoding="utf-8")
        return ""

    with pytest.raises(UserError) as raised:
        init(tmp_path, ask=ask_while_someone_creates_the_folder)
    assert raised.value.message == f"{tmp_path.resolve() / 'demo'} already exists."
    assert sorted(path.name for path in tmp_path.iterdir()) == ["demo"]
    assert tree(target) == ["theirs.txt"]


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copies: list[str] = []
    real_copyfile = shutil.copyfile

    def copyfile_until_the_disk_is_full(source: Any, destination: Any) -> Any:
        copies.append(str(destination))
        if len(copies) == 4:
            raise OSError(28, "No space left on device")
        return real_copyfile(source, destination)

    monkeypatch.setattr(shutil, "copyfile", copyfile_until_the_disk_is_full)
    with pytest.raises(UserError) as raised:
        init(tmp_path)
    assert (
        raised.value.message
        == f"Cannot create the project {tmp_path.resolve() / 'demo'}: No space left on device."
    )
    assert (
        raised.value.hint
        == f"Nothing was created. Check the free space and permissions of {tmp_path.resolve()}."
    )
    assert len(copies) == 4
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_writing_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: Any, destination: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copyfile", interrupted)
    with pytest.raises(KeyboardInterrupt):
        init(tmp_path)
    assert list(tmp_path.iterdir()) == []
