"""`pyserverless list [environments|routes|variables]` against the local AWS.

The module deploys once: prod from the template, then dev from the template with a changed function, so the
project here is the code of dev and differs from prod. The tests only read.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyserverless.deploy.state import Deployment
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
    rebuild,
)
from tests.support.cli_process import panel_lines
from tests.support.moto_server import LocalAws


@dataclass
class Deployed:
    project: Path
    dev: Deployment
    prod: Deployment


@pytest.fixture(scope="module")
def deployed(module_aws: LocalAws, module_project: Path, template: Template) -> Deployed:
    prod = deploy(module_project, "prod", template.package)
    (module_project / "functions" / "hello-world.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'changed')\n", encoding="utf-8"
    )
    dev = deploy(module_project, "dev", rebuild(module_project))
    return Deployed(module_project, dev, prod)


def table_rows(output: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines() if "│" in line]


def test_environments_with_url_time_hash_and_whether_the_project_differs(
    deployed: Deployed, module_aws: LocalAws
) -> None:
    live = {environment: configuration(module_aws, environment) for environment in ("dev", "prod")}

    result = cli(deployed.project, "list", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "service": "svc",
        "region": "us-east-1",
        "environments": [
            {
                "environment": "dev",
                "function_name": "svc-dev",
                "url": deployed.dev.url,
                "last_modified": live["dev"]["LastModified"],
                "code_sha256": deployed.dev.code_sha256,
                "runtime": "python3.12",
                "arch": "x86_64",
                "local": "same",
            },
            {
                "environment": "prod",
                "function_name": "svc-prod",
                "url": deployed.prod.url,
                "last_modified": live["prod"]["LastModified"],
                "code_sha256": deployed.prod.code_sha256,
                "runtime": "python3.12",
                "arch": "x86_64",
                "local": "differs",
            },
        ],
    }
    assert deployed.dev.code_sha256 != deployed.prod.code_sha256

    table = cli(deployed.project, "list", "environments")

    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].rstrip() == "Environments of svc (us-east-1)"
    assert table_rows(table.stdout) == [
        ["dev", deployed.dev.url, live["dev"]["LastModified"], deployed.dev.code_sha256, "same"],
        ["prod", deployed.prod.url, live["prod"]["LastModified"], deployed.prod.code_sha256, "differs"],
    ]


def test_urls_are_whole_at_80_columns(deployed: Deployed) -> None:
    environments = cli(deployed.project, "list", columns=80)
    routes = cli(deployed.project, "list", "routes", columns=80)

    assert environments.returncode == 0, environments.stderr
    assert "┃ Environment ┃ Last change" in environments.stdout
    assert "…" not in environments.stdout
    assert f"dev  {deployed.dev.url}" in environments.stdout.splitlines()
    assert f"prod  {deployed.prod.url}" in environments.stdout.splitlines()
    assert routes.returncode == 0, routes.stderr
    assert f"/sms/reply  {deployed.dev.url}/sms/reply" in routes.stdout.splitlines()


def test_no_environment_deployed(deployed: Deployed) -> None:
    result = cli(deployed.project, "list", "--service-name", "other")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "No environment of the service other is deployed in us-east-1.\n"


def test_routes_with_live_urls(deployed: Deployed) -> None:
    url = deployed.dev.url

    result = cli(deployed.project, "list", "routes", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "environment": "dev",
        "function_name": "svc-dev",
        "url": url,
        "routes": [
            {"path": "/hello-world", "kind": "function", "visibility": "public", "url": f"{url}/hello-world"},
            {"path": "/index.html", "kind": "asset", "visibility": "public", "url": f"{url}/index.html"},
            {"path": "/message.txt", "kind": "asset", "visibility": "private", "url": f"{url}/message.txt"},
            {
                "path": "/private-message",
                "kind": "function",
                "visibility": "public",
                "url": f"{url}/private-message",
            },
            {"path": "/sms/reply", "kind": "function", "visibility": "protected", "url": f"{url}/sms/reply"},
            {"path": "/state", "kind": "function", "visibility": "protected", "url": f"{url}/state"},
            {"path": "/style.css", "kind": "asset", "visibility": "public", "url": f"{url}/style.css"},
        ],
    }

    table = cli(deployed.project, "list", "routes", "--production")

    assert table.returncode == 0, table.stderr
    prod = deployed.prod.url
    assert table.stdout.splitlines()[0].rstrip() == "Routes of prod (svc-prod)"
    assert table_rows(table.stdout) == [
        ["/hello-world", "public", f"{prod}/hello-world"],
        ["/index.html", "public", f"{prod}/index.html"],
        ["/message.txt", "private", "not served over HTTP (Runtime only)"],
        ["/private-message", "public", f"{prod}/private-message"],
        ["/sms/reply", "protected", f"{prod}/sms/reply"],
        ["/state", "protected", f"{prod}/state"],
        ["/style.css", "public", f"{prod}/style.css"],
    ]


def test_routes_come_from_the_live_code_when_this_machine_has_no_record(
    deployed: Deployed, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "svc"
    shutil.copytree(deployed.project, elsewhere, ignore=shutil.ignore_patterns("deployed", "deps"))

    result = cli(elsewhere, "list", "routes", "--json", "--region", "us-east-1")

    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)["routes"]
    assert listed == [
        {"path": route.path, "kind": route.kind, "visibility": route.visibility, "url": route.url}
        for route in deployed.dev.routes
    ]


def test_variable_names_and_values_only_when_asked(deployed: Deployed) -> None:
    names = cli(deployed.project, "list", "variables")
    values = cli(deployed.project, "list", "variables", "--show-values", "--json")

    assert names.returncode == 0, names.stderr
    assert names.stdout == "ACCOUNT_SID\nAUTH_TOKEN\n"
    assert values.returncode == 0, values.stderr
    assert json.loads(values.stdout) == {
        "environment": "dev",
        "function_name": "svc-dev",
        "variables": {"ACCOUNT_SID": ACCOUNT_SID, "AUTH_TOKEN": AUTH_TOKEN},
    }


def test_missing_environment(deployed: Deployed) -> None:
    result = cli(deployed.project, "list", "routes", "--environment", "staging", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == not_deployed_panel()


def test_unknown_kind(deployed: Deployed) -> None:
    result = cli(deployed.project, "list", "functions")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "Cannot list 'functions'.",
        "",
        "Use one of: environments, routes, variables.",
    ]


def test_bad_credentials(deployed: Deployed, module_aws: LocalAws) -> None:
    with module_aws.rejecting_credentials():
        result = cli(deployed.project, "list", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == [
        f"Listing the Lambda functions failed: {BAD_TOKEN}",
        "",
        CREDENTIALS_HINT,
    ]
