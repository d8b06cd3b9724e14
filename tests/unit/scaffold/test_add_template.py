"""`add_template` (the `new` command): namespace placement, refusing before writing anything, .env keys."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from pyserverless.scaffold.add_template import AddedTemplate, add_template
from pyserverless.scaffold.catalog import get_template, list_templates
from pyserverless.scaffold.env_merge import env_keys
from tests.support.project_files import write_files


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def test_the_template_lands_under_its_namespace(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    added = add_template(tmp_path, "voice-ivr", "ivr")
    assert added == AddedTemplate(
        root=tmp_path.resolve(),
        template="voice-ivr",
        namespace="ivr",
        files=["functions/ivr/ivr.protected.py"],
        env_added=[],
        env_commented=[],
    )
    source = get_template("voice-ivr").folder / "functions" / "ivr.protected.py"
    assert (tmp_path / "functions" / "ivr" / "ivr.protected.py").read_bytes() == source.read_bytes()
    assert [route.path for route in load_project(tmp_path).routes] == ["/hello", "/ivr/ivr"]
    assert not (tmp_path / ".env").exists()


def test_assets_land_under_the_namespace_too(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    added = add_template(tmp_path, "default", "starter")
    assert added.files == [
        "functions/starter/hello-world.py",
        "functions/starter/private-message.py",
        "functions/starter/sms/reply.protected.py",
        "functions/starter/state.protected.py",
        "assets/starter/index.html",
        "assets/starter/message.private.txt",
        "assets/starter/style.css",
    ]
    assert ("/starter/message.txt", "private") in [
        (route.path, route.visibility) for route in load_project(tmp_path).routes
    ]


def test_the_project_is_found_from_a_folder_inside_it(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/sms/reply.py")
    added = add_template(tmp_path / "functions" / "sms", "hello-world", "greet")
    assert added.root == tmp_path.resolve()
    assert (tmp_path / "functions" / "greet" / "hello-world.py").is_file()


def test_missing_env_keys_are_appended_to_a_new_env(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    added = add_template(tmp_path, "forward-call", "forward")
    assert added.env_added == ["MY_PHONE_NUMBER"]
    assert (tmp_path / ".env").read_text(encoding="utf-8") == (
        '# Variables of the template "forward-call" in forward/\n'
        "# The phone number calls are forwarded to, in E.164 format (+ country code and number).\n"
        "MY_PHONE_NUMBER=\n"
    )


def test_a_missing_env_is_created_for_its_owner_only_and_an_existing_one_keeps_its_mode(
    tmp_path: Path,
) -> None:
    write_files(tmp_path, "functions/hello.py")
    previous_umask = os.umask(0o022)
    try:
        add_template(tmp_path, "forward-call", "forward")
        assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
        (tmp_path / ".env").chmod(0o640)
        add_template(tmp_path, "forward-call", "forward2")
    finally:
        os.umask(previous_umask)
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o640
    assert "# MY_PHONE_NUMBER=" in (tmp_path / ".env").read_text(encoding="utf-8")


def test_present_env_keys_are_appended_commented_out(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "ACCOUNT_SID=AC1\nMY_PHONE_NUMBER=+15550001111\n"})
    added = add_template(tmp_path, "forward-call", "forward")
    assert added.env_added == []
    assert added.env_commented == ["MY_PHONE_NUMBER"]
    assert (tmp_path / ".env").read_text(encoding="utf-8") == (
        "ACCOUNT_SID=AC1\n"
        "MY_PHONE_NUMBER=+15550001111\n"
        "\n"
        '# Variables of the template "forward-call" in forward/\n'
        "# The phone number calls are forwarded to, in E.164 format (+ country code and number).\n"
        "# MY_PHONE_NUMBER=\n"
    )
    assert load_project(tmp_path).env["MY_PHONE_NUMBER"] == "+15550001111"


def test_an_existing_file_refuses_before_writing_anything(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/site/private-message.py", {".env": "A=1\n"})
    before = snapshot(tmp_path)
    with pytest.raises(UserError) as raised:
        add_template(tmp_path, "default", "site")
    assert raised.value.message == (
        'The template "default" cannot be added as site/: functions/site/private-message.py already exists. '
        "Nothing was changed."
    )
    assert raised.value.hint == "Pick another name for it: pyserverless new OTHER-NAME --template default"
    assert snapshot(tmp_path) == before


def test_every_conflict_is_listed(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/site/hello-world.py", "assets/site/style.css", "functions/site/state.py")
    before = snapshot(tmp_path)
    with pytest.raises(UserError) as raised:
        add_template(tmp_path, "default", "site")
    assert raised.value.message == (
        'The template "default" cannot be added as site/: functions/site/hello-world.py already exists; '
        "functions/site/state.protected.py would answer /site/state, the route of functions/site/state.py; "
        "assets/site/style.css already exists. Nothing was changed."
    )
    assert snapshot(tmp_path) == before


def test_a_bad_namespace_is_refused(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    with pytest.raises(UserError) as raised:
        add_template(tmp_path, "hello-world", "a/b")
    assert raised.value.message == 'Invalid name "a/b": it must only include letters, numbers and hyphens.'


def test_an_unknown_template_is_refused(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    with pytest.raises(UserError) as raised:
        add_template(tmp_path, "nope", "x")
    assert raised.value.message == 'There is no template called "nope".'


def test_outside_a_project(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        add_template(tmp_path, "hello-world", "greet")
    assert (
        raised.value.message
        == f"No pyserverless project found in {tmp_path.resolve()} or the folders above it."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", [template.name for template in list_templates()])
def test_every_template_can_be_added(tmp_path: Path, name: str) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "ACCOUNT_SID=\nAUTH_TOKEN=\n"})
    added = add_template(tmp_path, name, "extra")
    template = get_template(name)
    expected = [
        f"{folder}/extra/{relative.as_posix()}"
        for folder in ("functions", "assets")
        for relative in template.files(folder)
    ]
    assert added.files == expected
    routes = sorted(route.path for route in load_project(tmp_path).routes)
    assert routes[-1] == "/hello"
    assert len(routes) > 1
    assert all(path.startswith("/extra/") for path in routes[:-1])
    if template.env_file is not None:
        assert set(added.env_added) == env_keys(template.env_file.read_text(encoding="utf-8"))
