"""`pyserverless remove` against the local AWS: a confirmation naming what goes, then URL, permissions,
function and its role deleted (a role shared by environments, as earlier versions made, only with the last),
and the record; a later deploy recreates it all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.functional.operate.conftest import (
    BAD_TOKEN,
    CREDENTIALS_HINT,
    Template,
    cli,
    deploy,
    not_deployed_panel,
)
from tests.support.cli_process import panel_lines
from tests.support.moto_server import LocalAws

#: The role earlier versions shared between a service's environments (deploy now makes one per environment).
SHARED_ROLE = "pyserverless-svc"


def own_role(environment: str) -> str:
    return f"pyserverless-svc-{environment}"


def exists(call: Any, **arguments: str) -> bool:
    try:
        call(**arguments)
    except Exception as error:
        code = getattr(error, "response", {}).get("Error", {}).get("Code")
        if code in ("ResourceNotFoundException", "NoSuchEntity"):
            return False
        raise
    return True


def function_exists(aws: LocalAws, environment: str) -> bool:
    return exists(aws.client("lambda").get_function, FunctionName=f"svc-{environment}")


def role_exists(aws: LocalAws, name: str) -> bool:
    return exists(aws.client("iam").get_role, RoleName=name)


def plan(url: str, environment: str, *, role: str | None, kept_role: str | None = None) -> list[str]:
    lines = [
        "This deletes from AWS (us-east-1):",
        f"  - the function URL {url}",
        "  - the permissions FunctionURLAllowPublicAccess, FunctionURLAllowInvokeAction",
        f"  - the function svc-{environment}",
    ]
    if role:
        lines.append(f"  - the role {role}")
    lines.append(f"  - the deploy record .pyserverless/deployed/{environment}.json")
    if kept_role:
        lines.append(f"Kept: the role, as {kept_role}.")
    lines.append(
        f"Kept: the log group /aws/lambda/svc-{environment} (its logs stay until their retention ends)."
    )
    return lines


def test_each_environment_goes_with_its_own_role(aws: LocalAws, project: Path, template: Template) -> None:
    dev = deploy(project, "dev", template.package)
    deploy(project, "prod", template.package)

    result = cli(project, "remove", "--yes")

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == plan(dev.url, "dev", role=own_role("dev"))
    assert result.stdout == "Removed dev (svc-dev) from us-east-1.\n"
    assert not function_exists(aws, "dev")
    assert not role_exists(aws, own_role("dev"))
    assert not (project / ".pyserverless" / "deployed" / "dev.json").exists()
    assert function_exists(aws, "prod")
    assert role_exists(aws, own_role("prod"))


def test_a_shared_role_of_earlier_versions_stays_while_another_environment_uses_it(
    aws: LocalAws, project: Path, template: Template
) -> None:
    dev = deploy(project, "dev", template.package)
    prod = deploy(project, "prod", template.package)
    iam, lambda_ = aws.client("iam"), aws.client("lambda")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    shared = iam.create_role(RoleName=SHARED_ROLE, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.attach_role_policy(
        RoleName=SHARED_ROLE, PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    )
    for environment in ("dev", "prod"):
        lambda_.update_function_configuration(FunctionName=f"svc-{environment}", Role=shared)

    first = cli(project, "remove", "--yes")

    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == plan(
        dev.url, "dev", role=None, kept_role=f"{SHARED_ROLE} is still used by svc-prod"
    )
    assert role_exists(aws, SHARED_ROLE)

    last = cli(project, "remove", "--production", input="y\n")

    assert last.returncode == 0, last.stderr
    assert last.stderr.splitlines() == [
        *plan(prod.url, "prod", role=SHARED_ROLE),
        "Delete svc-prod and the above? [y/N] ",
    ]
    assert not role_exists(aws, SHARED_ROLE)
    assert lambda_.list_functions()["Functions"] == []


def test_declining_removes_nothing(aws: LocalAws, project: Path, template: Template) -> None:
    deploy(project, "dev", template.package)

    result = cli(project, "remove", input="n\n")

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Delete svc-dev and the above? [y/N] Nothing was removed."
    assert result.stdout == ""
    assert function_exists(aws, "dev")
    assert role_exists(aws, own_role("dev"))
    assert (project / ".pyserverless" / "deployed" / "dev.json").exists()


def test_json(aws: LocalAws, project: Path, template: Template) -> None:
    dev = deploy(project, "dev", template.package)

    result = cli(project, "remove", "--yes", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "environment": "dev",
        "function_name": "svc-dev",
        "region": "us-east-1",
        "removed": [
            f"function URL {dev.url}",
            "permission FunctionURLAllowPublicAccess",
            "permission FunctionURLAllowInvokeAction",
            "function svc-dev",
            f"role {own_role('dev')}",
            f"record {project / '.pyserverless' / 'deployed' / 'dev.json'}",
        ],
        "kept": ["log group /aws/lambda/svc-dev"],
    }


def test_remove_then_deploy_recreates_a_working_environment(
    aws: LocalAws, project: Path, template: Template
) -> None:
    deploy(project, "dev", template.package)
    assert cli(project, "remove", "--yes").returncode == 0

    redeployed = cli(project, "deploy", "--json", timeout=300)

    assert redeployed.returncode == 0, redeployed.stderr
    answer = json.loads(redeployed.stdout)
    assert [(step["step"], step["action"]) for step in answer["steps"]] == [
        ("role", "create"),
        ("function", "create"),
        ("function URL", "create"),
        ("permissions", "create"),
    ]
    lambda_ = aws.client("lambda")
    configuration = lambda_.get_function_configuration(FunctionName="svc-dev")
    assert configuration["State"] == "Active"
    assert configuration["CodeSha256"] == answer["code_sha256"]
    assert lambda_.get_function_url_config(FunctionName="svc-dev")["AuthType"] == "NONE"
    policy = json.loads(lambda_.get_policy(FunctionName="svc-dev")["Policy"])
    assert sorted(statement["Sid"] for statement in policy["Statement"]) == [
        "FunctionURLAllowInvokeAction",
        "FunctionURLAllowPublicAccess",
    ]
    assert role_exists(aws, own_role("dev"))
    routes = cli(project, "list", "routes", "--json")
    assert routes.returncode == 0, routes.stderr
    assert json.loads(routes.stdout)["url"] == answer["url"]
    assert (project / ".pyserverless" / "deployed" / "dev.json").exists()


def test_missing_environment(aws: LocalAws, project: Path) -> None:
    result = cli(project, "remove", "--environment", "staging", "--yes")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == not_deployed_panel()


def test_bad_credentials(aws: LocalAws, project: Path, template: Template) -> None:
    deploy(project, "dev", template.package)

    with aws.rejecting_credentials():
        result = cli(project, "remove", "--yes", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == [
        f"Reading the function svc-dev failed: {BAD_TOKEN}",
        "",
        CREDENTIALS_HINT,
    ]
    assert function_exists(aws, "dev")


def test_production_and_environment_must_agree(aws: LocalAws, project: Path) -> None:
    result = cli(project, "remove", "--production", "--environment", "dev", "--yes")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "--production and --environment dev contradict each other.",
        "",
        "--production is --environment prod: give one of them.",
    ]
