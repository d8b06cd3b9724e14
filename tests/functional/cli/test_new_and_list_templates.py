"""`pyserverless new` and `pyserverless list-templates` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from pyserverless.scaffold.catalog import by_group, get_template, list_templates
from tests.support.cli_process import panel_lines, panel_title, run_cli
from tests.support.project_files import write_files


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def test_new_places_the_template_under_its_namespace(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "ACCOUNT_SID=\nAUTH_TOKEN=\n"})
    (tmp_path / "functions" / "sub").mkdir()
    result = run_cli("new", "ivr", "--template", "voice-ivr", cwd=tmp_path / "functions" / "sub")
    assert result.returncode == 0, result.stderr
    added = tmp_path / "functions" / "ivr" / "ivr.protected.py"
    assert (
        added.read_bytes()
        == (get_template("voice-ivr").folder / "functions" / "ivr.protected.py").read_bytes()
    )
    assert panel_title(result.stdout) == 'Added the "voice-ivr" template as ivr/'
    assert panel_lines(result.stdout)[:4] == [
        f"{tmp_path.name}/",
        "└── functions/",
        "└── ivr/",
        "└── ivr.protected.py",
    ]
    assert (tmp_path / ".env").read_text(encoding="utf-8") == "ACCOUNT_SID=\nAUTH_TOKEN=\n"


def test_new_with_assets_and_cwd(tmp_path: Path) -> None:
    project = write_files(tmp_path / "project", "functions/hello.py")
    result = run_cli("new", "starter", "-t", "default", "--cwd", str(project), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "env_added": [],
        "env_commented": [],
        "files": [
            "functions/starter/hello-world.py",
            "functions/starter/private-message.py",
            "functions/starter/sms/reply.protected.py",
            "functions/starter/state.protected.py",
            "assets/starter/index.html",
            "assets/starter/message.private.txt",
            "assets/starter/style.css",
        ],
        "namespace": "starter",
        "root": str(project.resolve()),
        "template": "default",
    }
    assert (project / "assets" / "starter" / "message.private.txt").is_file()


def test_new_appends_missing_env_keys(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "ACCOUNT_SID=\nAUTH_TOKEN=\n"})
    result = run_cli("new", "forward", "--template", "forward-call", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".env").read_text(encoding="utf-8") == (
        "ACCOUNT_SID=\n"
        "AUTH_TOKEN=\n"
        "\n"
        '# Variables of the template "forward-call" in forward/\n'
        "# The phone number calls are forwarded to, in E.164 format (+ country code and number).\n"
        "MY_PHONE_NUMBER=\n"
    )
    assert "Added to .env: MY_PHONE_NUMBER. Fill in their values." in panel_lines(result.stdout)


def test_new_comments_out_env_keys_the_project_has(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py", {".env": "MY_PHONE_NUMBER=+15550001111\n"})
    result = run_cli("new", "forward", "--template", "forward-call", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".env").read_text(encoding="utf-8") == (
        "MY_PHONE_NUMBER=+15550001111\n"
        "\n"
        '# Variables of the template "forward-call" in forward/\n'
        "# The phone number calls are forwarded to, in E.164 format (+ country code and number).\n"
        "# MY_PHONE_NUMBER=\n"
    )
    assert "Already in .env, added commented out: MY_PHONE_NUMBER." in panel_lines(result.stdout)


def test_new_refuses_to_overwrite_before_writing_anything(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        "functions/hello.py",
        {"functions/site/hello-world.py": "# mine\n", ".env": "ACCOUNT_SID=\n"},
    )
    before = snapshot(tmp_path)
    result = run_cli("new", "site", "--template", "default", cwd=tmp_path)
    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        'The template "default" cannot be added as site/: functions/site/hello-world.py already exists. '
        "Nothing was changed.",
        "",
        "Pick another name for it: pyserverless new OTHER-NAME --template default",
    ]
    assert snapshot(tmp_path) == before


def test_new_outside_a_project(tmp_path: Path) -> None:
    result = run_cli("new", "greet", "--template", "hello-world", cwd=tmp_path)
    assert result.returncode == 1
    assert panel_lines(result.stderr)[0] == (
        f"No pyserverless project found in {tmp_path.resolve()} or the folders above it."
    )
    assert list(tmp_path.iterdir()) == []


def test_new_needs_a_template(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    result = run_cli("new", "greet", cwd=tmp_path)
    assert result.returncode == 1
    assert "Missing option '--template'" in result.stderr


def test_new_with_a_bad_namespace(tmp_path: Path) -> None:
    write_files(tmp_path, "functions/hello.py")
    result = run_cli("new", "my ivr", "--template", "voice-ivr", cwd=tmp_path)
    assert result.returncode == 1
    assert panel_lines(result.stderr)[0] == (
        'Invalid name "my ivr": it must only include letters, numbers and hyphens.'
    )


def test_list_templates_by_group_with_what_each_needs(tmp_path: Path) -> None:
    result = run_cli("list-templates", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.strip() for line in lines if line.strip() in ("Messaging", "Voice", "Other")] == [
        "Messaging",
        "Voice",
        "Other",
    ]
    rows = [line.split("│") for line in lines if line.startswith("│")]
    # The name column is empty on the lines a long description or need wraps onto.
    names = [row[1].strip() for row in rows if row[1].strip()]
    grouped = by_group(list_templates())
    assert names == [template.name for members in grouped.values() for template in members]
    assert len(names) >= 20
    needs = {row[1].strip(): row[3].strip() for row in rows if row[1].strip()}
    assert needs["sms-wordle"] == "nothing"
    assert needs["pin-menu"] == "MENU_PIN in .env"
    assert "pyserverless init NAME --template T" in result.stdout


def test_list_templates_json(tmp_path: Path) -> None:
    result = run_cli("list-templates", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert listed == [
        {
            "description": template.description,
            "group": template.group,
            "name": template.name,
            "needs": list(template.needs),
        }
        for template in list_templates()
    ]
    assert {entry["name"]: (entry["group"], entry["needs"]) for entry in listed}["after-hours"] == (
        "voice",
        [
            "MY_PHONE_NUMBER, OPENING_HOURS, BUSINESS_TIME_ZONE in .env",
            "tzdata where the system has no time zones",
        ],
    )
    assert len(listed) >= 20
