"""`pyserverless promote --from dev --to prod` against the local AWS: the target runs the source's very zip
(same CodeSha256) and keeps its own variables; a missing target is created without any."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from pyserverless.deploy.state import Deployment, read_deployment
from tests.functional.operate.conftest import (
    ACCOUNT_SID,
    BAD_TOKEN,
    CREDENTIALS_HINT,
    Template,
    cli,
    configuration,
    deploy,
    not_deployed_panel,
    rebuild,
    variables,
)
from tests.support.cli_process import panel_lines
from tests.support.moto_server import LocalAws

PROD_TOKEN = "0011223344556677" * 2


@pytest.fixture(scope="module")
def project(
    module_aws: LocalAws, module_project: Path, template: Template, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """prod runs the template with its own variables; dev runs a changed function."""
    prod_env = tmp_path_factory.mktemp("env") / "prod.env"
    prod_env.write_text(
        f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={PROD_TOKEN}\nMODE=production\n", encoding="utf-8"
    )
    deploy(module_project, "prod", template.package, env_file=prod_env)
    (module_project / "functions" / "hello-world.py").write_text(
        "def handler(context, event, callback):\n    callback(None, 'new code')\n", encoding="utf-8"
    )
    deploy(module_project, "dev", rebuild(module_project))
    return module_project


def test_target_gets_the_source_code_and_keeps_its_variables(project: Path, module_aws: LocalAws) -> None:
    dev = configuration(module_aws, "dev")
    prod_before = configuration(module_aws, "prod")
    assert dev["CodeSha256"] != prod_before["CodeSha256"]

    result = cli(project, "promote", "--from", "dev", "--to", "prod")

    assert result.returncode == 0, result.stderr
    prod = configuration(module_aws, "prod")
    assert prod["CodeSha256"] == dev["CodeSha256"]
    assert prod["Environment"] == prod_before["Environment"]
    assert prod["Environment"]["Variables"]["AUTH_TOKEN"] == PROD_TOKEN
    assert result.stdout.splitlines() == [
        f"Promoted svc-dev to svc-prod (code {dev['CodeSha256']}).",
        f"URL: {read_deployment(project, 'prod').url}",
    ]
    record = read_deployment(project, "prod")
    assert record.code_sha256 == dev["CodeSha256"]
    assert record.function_name == "svc-prod"
    assert [route.path for route in record.routes] == [
        route.path for route in read_deployment(project, "dev").routes
    ]
    assert all(route.url == record.url + route.path for route in record.routes)

    again = cli(project, "promote", "--from", "dev", "--to", "prod")

    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "svc-prod already runs the code of svc-dev: nothing changed."


def test_variables_set_outside_pyserverless_are_kept(project: Path, module_aws: LocalAws) -> None:
    lambda_ = module_aws.client("lambda")
    before = variables(module_aws, "prod")
    lambda_.update_function_configuration(
        FunctionName="svc-prod", Environment={"Variables": {**before, "FROM_CONSOLE": "1"}}
    )

    result = cli(project, "promote", "--from", "dev", "--to", "prod")

    assert result.returncode == 0, result.stderr
    after = variables(module_aws, "prod")
    assert after == {
        **before,
        "FROM_CONSOLE": "1",
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN,FROM_CONSOLE,MODE",
    }


def test_a_missing_target_is_created_without_variables(project: Path, module_aws: LocalAws) -> None:
    dev = configuration(module_aws, "dev")

    result = cli(project, "promote", "--from", "dev", "--to", "staging", "--json")

    assert result.returncode == 0, result.stderr
    staging = configuration(module_aws, "staging")
    assert staging["CodeSha256"] == dev["CodeSha256"]
    assert staging["Environment"]["Variables"] == {"PYSERVERLESS_ENV_KEYS": "", "PYSERVERLESS_TIMEOUT": "10"}
    url = (
        module_aws.client("lambda")
        .get_function_url_config(FunctionName="svc-staging")["FunctionUrl"]
        .rstrip("/")
    )
    policy = json.loads(module_aws.client("lambda").get_policy(FunctionName="svc-staging")["Policy"])
    assert sorted(statement["Sid"] for statement in policy["Statement"]) == [
        "FunctionURLAllowInvokeAction",
        "FunctionURLAllowPublicAccess",
    ]
    answer = json.loads(result.stdout)
    record: Deployment = read_deployment(project, "staging")
    assert answer == {
        "source_function": "svc-dev",
        "target_function": "svc-staging",
        "environment": "staging",
        "region": "us-east-1",
        "code_sha256": dev["CodeSha256"],
        "created": True,
        "changed": True,
        "url": url,
        "routes": [vars(route) for route in record.routes],
        "record": str(project / ".pyserverless" / "deployed" / "staging.json"),
    }
    assert (
        "svc-staging was created without variables (promote never uploads a local .env): set them with "
        in (" ".join(result.stderr.split()))
    )


def test_a_target_it_did_not_create_is_refused_untouched_then_adopted(
    project: Path, module_aws: LocalAws
) -> None:
    lambda_ = module_aws.client("lambda")
    theirs = lambda_.get_function_configuration(FunctionName="svc-dev")
    lambda_.create_function(
        FunctionName="svc-qa",
        Runtime="python3.12",
        Role=theirs["Role"],
        Handler="app.handler",
        Code={"ZipFile": zip_of({"app.py": "def handler(event, context):\n    return 'theirs'\n"})},
        Environment={"Variables": {"THEIRS": "1"}},
    )
    before = {
        key: value for key, value in configuration(module_aws, "qa").items() if key != "ResponseMetadata"
    }

    refused = cli(project, "promote", "--from", "dev", "--to", "qa")

    assert refused.returncode == 1
    assert " ".join(panel_lines(refused.stderr)).startswith(
        "Deploy would change the Lambda function svc-qa, which it did not create for the service svc "
        "(environment qa): it is not tagged pyserverless:service=svc, pyserverless:environment=qa. Nothing "
        "was changed."
    )
    assert {
        key: value for key, value in configuration(module_aws, "qa").items() if key != "ResponseMetadata"
    } == (before)
    assert not (project / ".pyserverless" / "deployed" / "qa.json").exists()

    adopted = cli(project, "promote", "--from", "dev", "--to", "qa", "--adopt")

    assert adopted.returncode == 0, adopted.stderr
    assert configuration(module_aws, "qa")["CodeSha256"] == configuration(module_aws, "dev")["CodeSha256"]
    assert variables(module_aws, "qa")["THEIRS"] == "1"
    assert lambda_.get_function(FunctionName="svc-qa")["Tags"] == {
        "pyserverless:service": "svc",
        "pyserverless:environment": "qa",
    }

    module_aws.client("iam").attach_role_policy(
        RoleName="pyserverless-svc-qa", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    reviewed = cli(project, "promote", "--from", "dev", "--to", "qa")

    assert reviewed.returncode == 0, reviewed.stderr
    assert "The execution role pyserverless-svc-qa has the managed policy AdministratorAccess attached" in (
        " ".join(reviewed.stderr.split())
    )


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_missing_source(project: Path) -> None:
    result = cli(project, "promote", "--from", "staging-2", "--to", "prod")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == not_deployed_panel("staging-2")


def test_same_source_and_target(project: Path) -> None:
    result = cli(project, "promote", "--from", "dev", "--to", "dev")

    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "--from and --to are both 'dev'.",
        "",
        "Promote from one environment to another, e.g. --from dev --to prod.",
    ]


def test_bad_credentials(project: Path, module_aws: LocalAws) -> None:
    before = variables(module_aws, "prod")

    with module_aws.rejecting_credentials():
        result = cli(project, "promote", "--from", "dev", "--to", "prod", "--json")

    assert result.returncode == 1
    assert result.stdout == ""
    assert panel_lines(result.stderr) == [
        f"Reading the function svc-dev failed: {BAD_TOKEN}",
        "",
        CREDENTIALS_HINT,
    ]
    assert variables(module_aws, "prod") == before
