"""`pyserverless deploy` in a real subprocess against moto, through a recording (and failing) proxy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from pyserverless.deploy.package import build_package
from pyserverless.deploy.target import LambdaTarget
from pyserverless.project.folder import load_project
from pyserverless.scaffold.new_project import init_project
from tests.support.aws_proxy import AwsProxy
from tests.support.cli_process import panel_lines
from tests.support.moto_server import LocalAws

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "abcdef0123456789" * 2
REGION = "us-east-1"
CLI_TIMEOUT_SECONDS = 120
MOTO_START_TIMEOUT_SECONDS = 30


@pytest.fixture(scope="module")
def aws() -> Iterator[AwsProxy]:
    with LocalAws(start_timeout=MOTO_START_TIMEOUT_SECONDS) as moto, AwsProxy(moto.endpoint) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def template_project(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Path:
    """The default template project with its Lambda dependencies already in its cache (built once)."""
    parent = tmp_path_factory.mktemp("template")
    root = init_project(
        "counter",
        parent,
        template_name=None,
        empty=False,
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        environ={},
        ask=None,
    ).root
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIP_NO_INDEX", "1")
        patch.setenv("PIP_FIND_LINKS", str(wheelhouse))
        build_package(load_project(root), LambdaTarget())
    return root


@pytest.fixture
def project(template_project: Path, tmp_path: Path) -> Path:
    """A copy of the template project (dependency cache included, no deploy record) for one test."""
    root = tmp_path / "counter"
    shutil.copytree(template_project, root, ignore=shutil.ignore_patterns("deployed", "__pycache__"))
    return root


def deploy(
    project: Path, aws: AwsProxy, service: str, *args: str, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    """Run `pyserverless deploy PROJECT --service-name SERVICE --region us-east-1 ARGS` against the proxy
    (`columns` wide); pip gets no index, so the project's dependency cache must serve."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "PYSERVERLESS_")) and key not in ("PIP_FIND_LINKS", "PIP_NO_INDEX")
    }
    env.update(aws.client_env(project.parent))
    env.update({"COLUMNS": str(columns), "PIP_NO_INDEX": "1", "NO_COLOR": "1"})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pyserverless",
            "deploy",
            str(project),
            "--service-name",
            service,
            "--region",
            REGION,
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )


def deploy_json(project: Path, aws: AwsProxy, service: str, *args: str) -> dict[str, Any]:
    result = deploy(project, aws, service, "--json", *args)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def table_rows(text: str) -> list[list[str]]:
    """The cells of every row of the rich tables in `text`."""
    return [
        [cell.strip() for cell in line.strip("│┃ ").split(line[0])]
        for line in text.splitlines()
        if line.startswith(("│", "┃"))
    ]


def actions(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(step["step"], step["action"]) for step in document["steps"]]


def lambda_client(aws: AwsProxy) -> Any:
    return boto3.client(
        "lambda",
        region_name=REGION,
        endpoint_url=aws.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def iam_client(aws: AwsProxy) -> Any:
    return boto3.client(
        "iam",
        region_name=REGION,
        endpoint_url=aws.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_first_deploy_creates_everything_and_a_second_uploads_nothing(project: Path, aws: AwsProxy) -> None:
    # As on AWS: the first read is throttled, and the role just created is not assumable at once.
    throttled = "^/2015-03-31/functions/first-dev/configuration$"
    aws.fail("GET", throttled, 429, "TooManyRequestsException", "Rate exceeded", times=1)
    not_yet = "The role defined for the function cannot be assumed by Lambda."
    aws.fail("POST", "^/2015-03-31/functions$", 400, "InvalidParameterValueException", not_yet, times=1)
    aws.clear_calls()
    first = deploy_json(project, aws, "first")
    assert [call for call in aws.calls if call[:2] == ("GET", throttled[1:-1])][:2] == [
        ("GET", throttled[1:-1], None)
    ] * 2
    assert [call for call in aws.calls if call[:2] == ("POST", "/2015-03-31/functions")] == [
        ("POST", "/2015-03-31/functions", None)
    ] * 2
    assert actions(first) == [
        ("role", "create"),
        ("function", "create"),
        ("function URL", "create"),
        ("permissions", "create"),
    ]
    assert first["function_name"] == "first-dev"
    url = first["url"]
    assert url.startswith("https://") and url.endswith(".lambda-url.us-east-1.on.aws")

    role = iam_client(aws).get_role(RoleName="pyserverless-first")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    attached = iam_client(aws).list_attached_role_policies(RoleName="pyserverless-first")["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in attached] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    client = lambda_client(aws)
    configuration = client.get_function_configuration(FunctionName="first-dev")
    assert configuration["Runtime"] == "python3.12"
    assert configuration["Handler"] == "pyserverless.runtime.lambda_entry.handler"
    assert configuration["Architectures"] == ["x86_64"]
    assert configuration["MemorySize"] == 256
    assert configuration["Timeout"] == 13
    assert configuration["Role"] == role["Arn"]
    assert configuration["CodeSha256"] == first["code_sha256"]
    assert configuration["Environment"]["Variables"] == {
        "ACCOUNT_SID": ACCOUNT_SID,
        "AUTH_TOKEN": AUTH_TOKEN,
        "PYSERVERLESS_ENV_KEYS": "ACCOUNT_SID,AUTH_TOKEN",
        "PYSERVERLESS_TIMEOUT": "10",
    }
    assert client.get_function_url_config(FunctionName="first-dev")["AuthType"] == "NONE"
    statements = json.loads(client.get_policy(FunctionName="first-dev")["Policy"])["Statement"]
    by_sid = {statement["Sid"]: statement for statement in statements}
    assert by_sid["FunctionURLAllowPublicAccess"]["Action"] == "lambda:InvokeFunctionUrl"
    assert by_sid["FunctionURLAllowPublicAccess"]["FunctionUrlAuthType"] == "NONE"
    assert by_sid["FunctionURLAllowInvokeAction"]["Action"] == "lambda:InvokeFunction"
    assert by_sid["FunctionURLAllowInvokeAction"]["InvokedViaFunctionUrl"] is True

    record = json.loads((project / ".pyserverless" / "deployed" / "dev.json").read_text())
    assert record["function_arn"] == configuration["FunctionArn"]
    assert record["url"] == url
    assert record["code_sha256"] == first["code_sha256"]
    assert {route["path"]: route["url"] for route in record["routes"]}["/sms/reply"] == url + "/sms/reply"
    assert first["routes"] == record["routes"]

    aws.clear_calls()
    second = deploy(project, aws, "first")
    assert second.returncode == 0, second.stderr
    assert aws.writes() == []
    assert "No changes: first-dev is up to date." in second.stdout
    rows = table_rows(second.stdout)
    assert rows[0] == ["Route", "Visibility", "URL"]
    assert ["/state", "protected", f"{url}/state"] in rows
    assert ["/message.txt", "private", "not served over HTTP (Runtime only)"] in rows
    assert ["/style.css", "public", f"{url}/style.css"] in rows
    assert "pyserverless phone-numbers:update +1XXXXXXXXXX --sms-url /sms/reply --environment dev" in (
        second.stdout
    )
    assert "code          first-dev  unchanged  no changes (CodeSha256 equal)" in second.stderr


def test_changed_function_updates_code_only(project: Path, aws: AwsProxy) -> None:
    first = deploy_json(project, aws, "code", "--production", "--memory", "512")
    assert first["function_name"] == "code-prod"
    hello = project / "functions" / "hello-world.py"
    hello.write_text(hello.read_text().replace("Hello World!", "Hello again!"))
    aws.clear_calls()
    second = deploy_json(project, aws, "code", "--production", "--memory", "512")
    assert actions(second) == [
        ("role", "unchanged"),
        ("code", "update"),
        ("configuration", "unchanged"),
        ("function URL", "unchanged"),
        ("permissions", "unchanged"),
    ]
    assert second["code_sha256"] != first["code_sha256"]
    assert aws.writes() == [("PUT", "/2015-03-31/functions/code-prod/code", None)]
    configuration = lambda_client(aws).get_function_configuration(FunctionName="code-prod")
    assert configuration["CodeSha256"] == second["code_sha256"]
    assert configuration["MemorySize"] == 512
    record = json.loads((project / ".pyserverless" / "deployed" / "prod.json").read_text())
    assert record["code_sha256"] == second["code_sha256"]
    assert not (project / ".pyserverless" / "deployed" / "dev.json").exists()


def test_changed_env_is_planned_masked_then_updates_configuration_only(project: Path, aws: AwsProxy) -> None:
    deploy_json(project, aws, "config")
    new_token = "9" * 32
    (project / ".env").write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={new_token}\nGREETING=ahoy\n")
    aws.clear_calls()
    plan = deploy(project, aws, "config", "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert aws.writes() == []
    assert "Dry run: config-dev would change. Nothing was changed." in plan.stdout
    rows = table_rows(plan.stdout)
    assert ["AUTH_TOKEN", "changed", "****"] in rows
    assert ["GREETING", "added", "ahoy"] in rows
    assert new_token not in plan.stdout + plan.stderr
    assert "configuration config-dev  would update  Environment" in plan.stderr
    variables = lambda_client(aws).get_function_configuration(FunctionName="config-dev")["Environment"]
    assert variables["Variables"]["AUTH_TOKEN"] == AUTH_TOKEN

    second = deploy_json(project, aws, "config")
    assert actions(second) == [
        ("role", "unchanged"),
        ("code", "unchanged"),
        ("configuration", "update"),
        ("function URL", "unchanged"),
        ("permissions", "unchanged"),
    ]
    assert second["steps"][2]["detail"] == "Environment"
    assert second["variables"] == [
        {"name": "GREETING", "change": "added", "value": "ahoy"},
        {"name": "AUTH_TOKEN", "change": "changed", "value": "****"},
    ]
    assert aws.writes() == [("PUT", "/2015-03-31/functions/config-dev/configuration", None)]
    variables = lambda_client(aws).get_function_configuration(FunctionName="config-dev")["Environment"]
    assert variables["Variables"]["GREETING"] == "ahoy"
    assert variables["Variables"]["AUTH_TOKEN"] == new_token
    assert variables["Variables"]["PYSERVERLESS_ENV_KEYS"] == "ACCOUNT_SID,AUTH_TOKEN,GREETING"


def test_dry_run_of_a_new_service_changes_nothing_and_masks_secrets(project: Path, aws: AwsProxy) -> None:
    aws.clear_calls()
    plan = deploy_json(project, aws, "dry", "--dry-run")
    assert plan["dry_run"] is True
    assert actions(plan) == [
        ("role", "create"),
        ("function", "create"),
        ("function URL", "create"),
        ("permissions", "create"),
    ]
    assert plan["variables"] == [
        {"name": "ACCOUNT_SID", "change": "added", "value": ACCOUNT_SID},
        {"name": "AUTH_TOKEN", "change": "added", "value": "****"},
    ]
    assert plan["url"] is None
    assert aws.writes() == []
    assert not (project / ".pyserverless" / "deployed").exists()
    with pytest.raises(lambda_client(aws).exceptions.ResourceNotFoundException):
        lambda_client(aws).get_function(FunctionName="dry-dev")


def test_a_failed_url_step_names_it_and_a_rerun_converges(project: Path, aws: AwsProxy) -> None:
    action = "lambda:CreateFunctionUrlConfig"
    denied = f"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: {action}"
    aws.fail("POST", r"^/2021-10-31/functions/converge-dev/url$", 403, "AccessDeniedException", denied)
    try:
        failed = deploy(project, aws, "converge")
    finally:
        aws.clear_failures()
    assert failed.returncode == 1
    assert f"Deploy step 'function URL' failed: AccessDeniedException: {denied}" in " ".join(
        failed.stderr.split()
    )
    assert "docs/deploy.md lists what deploy needs." in " ".join(failed.stderr.split())
    assert "Traceback" not in failed.stderr
    assert not (project / ".pyserverless" / "deployed" / "dev.json").exists()

    rerun = deploy_json(project, aws, "converge")
    assert actions(rerun) == [
        ("role", "unchanged"),
        ("code", "unchanged"),
        ("configuration", "unchanged"),
        ("function URL", "create"),
        ("permissions", "create"),
    ]
    assert (project / ".pyserverless" / "deployed" / "dev.json").is_file()
    assert actions(deploy_json(project, aws, "converge"))[3:] == [
        ("function URL", "unchanged"),
        ("permissions", "unchanged"),
    ]


def test_reserved_variables_are_refused_before_anything_happens(project: Path, aws: AwsProxy) -> None:
    (project / ".env").write_text("AWS_REGION=eu-west-1\nAUTH_TOKEN=x\n")
    aws.clear_calls()
    result = deploy(project, aws, "reserved")
    assert result.returncode == 1
    assert "The .env file sets AWS_REGION, reserved on AWS Lambda." in result.stderr
    assert aws.calls == []


@pytest.mark.parametrize("command", [["deploy"], ["list"], ["logs"], ["env", "list"]])
def test_missing_boto3_is_a_clear_error(project: Path, aws: AwsProxy, command: list[str]) -> None:
    env = {**os.environ, **aws.client_env(project.parent), "COLUMNS": "200", "PIP_NO_INDEX": "1"}
    code = (
        "import sys; sys.modules['boto3'] = None; sys.argv = ['pyserverless', *sys.argv[1:], "
        "'--region', 'us-east-1']; from pyserverless.cli.main import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *command, "--cwd", str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 1
    message, blank, *hint = panel_lines(result.stderr)
    assert (message, blank) == ("This command talks to AWS through boto3, which is not installed.", "")
    assert " ".join(hint) == (
        "Install it where pyserverless is installed: pip install boto3 (the aws extra: pip install "
        "'/path/to/pyserverless[aws]' from a clone, 'pyserverless[aws]' once published; pipx inject "
        "pyserverless boto3; uv tool install --with boto3 /path/to/pyserverless)."
    )


def test_an_empty_auth_token_with_protected_routes_is_refused_before_anything_happens(
    project: Path, aws: AwsProxy
) -> None:
    (project / ".env").write_text(f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN=\n")
    aws.clear_calls()
    result = deploy(project, aws, "emptytoken")
    assert result.returncode == 1
    assert panel_lines(result.stderr) == [
        "AUTH_TOKEN is empty in .env, but the project has protected routes (/sms/reply, /state): deployed, "
        "they would refuse every request Twilio sends.",
        "",
        "Put your account's values in .env (ACCOUNT_SID=AC…, AUTH_TOKEN=…, both on https://console.twilio.com),"
        " or deploy another file with --env FILE. If this deploy serves public routes only, pass",
        "--allow-empty-token.",
    ]
    assert aws.calls == []
    assert not (project / ".pyserverless" / "deployed").exists()


def test_allow_empty_token_deploys_anyway(project: Path, aws: AwsProxy) -> None:
    (project / ".env").write_text("ACCOUNT_SID=\nAUTH_TOKEN=\n")
    document = deploy_json(project, aws, "publiconly", "--allow-empty-token")
    assert document["changed"] is True
    assert [(route["path"], route["visibility"]) for route in document["routes"]][:2] == [
        ("/hello-world", "public"),
        ("/index.html", "public"),
    ]


def test_live_urls_are_whole_at_80_columns(project: Path, aws: AwsProxy) -> None:
    result = deploy(project, aws, "narrow", columns=80)
    assert result.returncode == 0, result.stderr
    url = json.loads((project / ".pyserverless" / "deployed" / "dev.json").read_text())["url"]
    lines = result.stdout.splitlines()
    assert f"/sms/reply  {url}/sms/reply" in lines
    assert "/message.txt  not served over HTTP (Runtime only)" in lines
    assert ["/sms/reply", "protected"] in table_rows(result.stdout)
    assert (
        "Next: point a number at it: pyserverless phone-numbers:update +1XXXXXXXXXX --sms-url /sms/reply "
        "--environment dev"
    ) in lines
