"""`pyserverless env list|get|set|unset|import|diff` against the local AWS.

The module shares one local AWS; each test that changes variables deploys its own environment to change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.operate.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BAD_TOKEN,
    CREDENTIALS_HINT,
    Template,
    cli,
    configuration,
    deploy,
    not_deployed_panel,
    variables,
)
from tests.support.cli_process import panel_lines
from tests.support.moto_server import LocalAws

NEW_TOKEN = "fedcba9876543210" * 2


@pytest.fixture(scope="module")
def project(module_aws: LocalAws, module_project: Path, template: Template) -> Path:
    deploy(module_project, "dev", template.package)
    return module_project


def test_list_names_values_only_when_asked(project: Path) -> None:
    names = cli(project, "env", "list")
    values = cli(project, "env", "list", "--show-values")

    assert names.returncode == 0, names.stderr
    assert names.stdout == "ACCOUNT_SID\nAUTH_TOKEN\n"
    assert values.stdout == f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={AUTH_TOKEN}\n"


def test_get(project: Path) -> None:
    plain = cli(project, "env", "get", "AUTH_TOKEN")
    as_json = cli(project, "env", "get", "ACCOUNT_SID", "--json")
    missing = cli(project, "env", "get", "NOPE")

    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == f"{AUTH_TOKEN}\n"
    assert json.loads(as_json.stdout) == {"environment": "dev", "name": "ACCOUNT_SID", "value": ACCOUNT_SID}
    assert missing.returncode == 1
    assert panel_lines(missing.stderr) == [
        "NOPE is not set in the environment 'dev' (svc-dev).",
        "",
        "`pyserverless env list --environment dev` shows the names that are set.",
    ]


def test_set_and_unset_change_variables_only(project: Path, template: Template, module_aws: LocalAws) -> None:
    deploy(project, "set", template.package)
    before = configuration(module_aws, "set")

    first = cli(project, "env", "set", "GREETING", "hello there", "--environment", "set")
    again = cli(project, "env", "set", "GREETING", "hello there", "--environment", "set")

    assert first.returncode == 0, first.stderr
    assert first.stdout == "Set GREETING in set (svc-set).\n"
    assert again.stdout == "GREETING already has this value in set: nothing changed.\n"
    after = configuration(module_aws, "set")
    assert after["Environment"]["Variables"] == {
        "ACCOUNT_SID": ACCOUNT_SID,
        "AUTH_TOKEN": AUTH_TOKEN,
        "GREETING": "hello there",
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN,GREETING",
        "PYSERVERLESS_TIMEOUT": "10",
    }
    assert after["CodeSha256"] == before["CodeSha256"]

    removed = cli(project, "env", "unset", "GREETING", "--environment", "set", "--json")
    gone = cli(project, "env", "unset", "GREETING", "--environment", "set")

    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout) == {"environment": "set", "name": "GREETING", "changed": True}
    assert gone.stdout == "GREETING is not set in set: nothing changed.\n"
    assert variables(module_aws, "set") == before["Environment"]["Variables"]


def test_reserved_names_are_refused(project: Path, module_aws: LocalAws) -> None:
    before = variables(module_aws, "dev")

    result = cli(project, "env", "set", "AWS_REGION", "eu-west-1")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "`pyserverless env set` sets AWS_REGION, reserved on AWS Lambda.",
        "",
        "Choose another name (Lambda sets AWS_* and friends itself; PATH and DOMAIN_NAME are set by the "
        "runtime for each request).",
    ]
    assert variables(module_aws, "dev") == before


def test_import_keeps_deployed_only_variables_unless_prune(
    project: Path, template: Template, module_aws: LocalAws, tmp_path: Path
) -> None:
    deployed_env = tmp_path / "deployed.env"
    deployed_env.write_text(
        f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={AUTH_TOKEN}\nEXTRA=kept\n", encoding="utf-8"
    )
    deploy(project, "imp", template.package, env_file=deployed_env)
    local = tmp_path / "local.env"
    local.write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={NEW_TOKEN}\nGREETING=hi\n", encoding="utf-8")

    merged = cli(project, "env", "import", "--file", str(local), "--environment", "imp")

    assert merged.returncode == 0, merged.stderr
    assert merged.stdout.splitlines() == [
        "Added: GREETING",
        "Changed: AUTH_TOKEN",
        "Kept (deployed only; --prune deletes them): EXTRA",
        "Updated the variables of imp (svc-imp).",
    ]
    assert NEW_TOKEN not in merged.stdout + merged.stderr
    assert variables(module_aws, "imp") == {
        "ACCOUNT_SID": ACCOUNT_SID,
        "AUTH_TOKEN": NEW_TOKEN,
        "EXTRA": "kept",
        "GREETING": "hi",
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN,EXTRA,GREETING",
        "PYSERVERLESS_TIMEOUT": "10",
    }

    pruned = cli(project, "env", "import", "--file", str(local), "--environment", "imp", "--prune", "--json")

    assert pruned.returncode == 0, pruned.stderr
    assert json.loads(pruned.stdout) == {
        "environment": "imp",
        "file": str(local),
        "added": [],
        "changed": [],
        "removed": ["EXTRA"],
        "kept": [],
    }
    assert variables(module_aws, "imp") == {
        "ACCOUNT_SID": ACCOUNT_SID,
        "AUTH_TOKEN": NEW_TOKEN,
        "GREETING": "hi",
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN,GREETING",
        "PYSERVERLESS_TIMEOUT": "10",
    }


def test_diff_masks_secret_values(project: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.env"
    local.write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={NEW_TOKEN}\nGREETING=hi\n", encoding="utf-8")

    as_json = cli(project, "env", "diff", "--file", str(local), "--json")
    table = cli(project, "env", "diff", "--file", str(local))

    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == {
        "environment": "dev",
        "file": str(local),
        "differences": [
            {"name": "AUTH_TOKEN", "change": "changed", "local": "****", "deployed": "****"},
            {"name": "GREETING", "change": "local only", "local": "hi", "deployed": ""},
        ],
        "same": ["ACCOUNT_SID"],
    }
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]] for line in table.stdout.splitlines() if "│" in line
    ]
    assert rows == [["AUTH_TOKEN", "changed", "****", "****"], ["GREETING", "local only", "hi", ""]]
    for output in (as_json.stdout, table.stdout):
        assert NEW_TOKEN not in output
        assert AUTH_TOKEN not in output


def test_diff_of_the_project_env_when_equal(project: Path) -> None:
    result = cli(project, "env", "diff")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ".env and dev have the same variables.\n"


def test_missing_environment(project: Path) -> None:
    result = cli(project, "env", "list", "--environment", "staging", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == not_deployed_panel()


def test_bad_credentials(project: Path, module_aws: LocalAws) -> None:
    with module_aws.rejecting_credentials():
        result = cli(project, "env", "set", "GREETING", "hi")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        f"Reading the function svc-dev failed: {BAD_TOKEN}",
        "",
        CREDENTIALS_HINT,
    ]
