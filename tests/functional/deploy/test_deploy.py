"""`pyserverless deploy` in a real subprocess against moto, through a recording (and failing) proxy."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from pyserverless.deploy.bytecode import BytecodeCompiler
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
    compiler = BytecodeCompiler.find(LambdaTarget())  # a running python3.12 on PATH, if this machine has one
    assert first["package"]["bytecode"] == (compiler.cache_tag if compiler else None)
    assert first["package"]["dependency_bytecode"] is (compiler is not None)
    url = first["url"]
    assert url.startswith("https://") and url.endswith(".lambda-url.us-east-1.on.aws")

    iam = iam_client(aws)
    role = iam.get_role(RoleName="pyserverless-first-dev")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert sorted((tag["Key"], tag["Value"]) for tag in role["Tags"]) == [
        ("pyserverless:environment", "dev"),
        ("pyserverless:service", "first"),
    ]
    assert iam.list_attached_role_policies(RoleName="pyserverless-first-dev")["AttachedPolicies"] == []
    assert iam.list_role_policies(RoleName="pyserverless-first-dev")["PolicyNames"] == ["pyserverless-logs"]
    log_policy = iam.get_role_policy(RoleName="pyserverless-first-dev", PolicyName="pyserverless-logs")
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/first-dev"
    assert [statement["Resource"] for statement in log_policy["PolicyDocument"]["Statement"]] == [
        [group, f"{group}:*"],
        f"{group}:*",
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
    assert client.get_function(FunctionName="first-dev")["Tags"] == {
        "pyserverless:service": "first",
        "pyserverless:environment": "dev",
    }
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


def test_changed_env_is_planned_by_name_only_then_updates_configuration_only(
    project: Path, aws: AwsProxy
) -> None:
    deploy_json(project, aws, "config")
    new_token = "9" * 32
    database_url = "postgres://admin:hunter2@db.example.com/app"
    (project / ".env").write_text(
        f"ACCOUNT_SID={ACCOUNT_SID}\nAUTH_TOKEN={new_token}\nGREETING=ahoy\nDATABASE_URL={database_url}\n"
    )
    aws.clear_calls()
    plan = deploy(project, aws, "config", "--dry-run")
    assert plan.returncode == 0, plan.stderr
    assert aws.writes() == []
    assert "Dry run: config-dev would change. Nothing was changed." in plan.stdout
    rows = table_rows(plan.stdout)
    assert rows[:4] == [
        ["Name", "Change"],
        ["DATABASE_URL", "added"],
        ["GREETING", "added"],
        ["AUTH_TOKEN", "changed"],
    ]
    for value in (new_token, database_url, "hunter2", "ahoy", ACCOUNT_SID):
        assert value not in plan.stdout + plan.stderr
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
        {"name": "DATABASE_URL", "change": "added"},
        {"name": "GREETING", "change": "added"},
        {"name": "AUTH_TOKEN", "change": "changed"},
    ]
    assert aws.writes() == [("PUT", "/2015-03-31/functions/config-dev/configuration", None)]
    variables = lambda_client(aws).get_function_configuration(FunctionName="config-dev")["Environment"]
    assert variables["Variables"]["GREETING"] == "ahoy"
    assert variables["Variables"]["AUTH_TOKEN"] == new_token
    assert variables["Variables"]["DATABASE_URL"] == database_url
    assert variables["Variables"]["PYSERVERLESS_ENV_KEYS"] == "ACCOUNT_SID,AUTH_TOKEN,DATABASE_URL,GREETING"


def test_dry_run_of_a_new_service_changes_nothing_and_shows_no_value(project: Path, aws: AwsProxy) -> None:
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
        {"name": "ACCOUNT_SID", "change": "added"},
        {"name": "AUTH_TOKEN", "change": "added"},
    ]
    assert plan["url"] is None
    assert aws.writes() == []
    assert not (project / ".pyserverless" / "deployed").exists()
    with pytest.raises(lambda_client(aws).exceptions.ResourceNotFoundException):
        lambda_client(aws).get_function(FunctionName="dry-dev")


def test_a_dotenv_line_twilio_reads_differently_is_warned_about(project: Path, aws: AwsProxy) -> None:
    env_file = project / ".env"
    lines = [*env_file.read_text(encoding="utf-8").splitlines(), "GREETING=hello # greeting"]
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = len(lines)
    result = deploy(project, aws, "dialect", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert (
        f"{env_file.resolve()} line {line}: the ` #` after the value of GREETING starts a comment here, but "
        "Twilio's Node tooling keeps it in the value;" in " ".join(result.stderr.split())
    )


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


TRUST_LAMBDA = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}
REFUSAL_HINT = (
    "Deploy under another name (--service-name or --environment) to leave it alone, or pass --adopt to take "
    "it over knowingly: a function's code, configuration, variables, URL and permissions are then replaced; "
    "a role becomes the function's execution role and gets its log policy."
)


def one_line(text: str) -> str:
    """The text of the error panel in `text` (or `text` when it has none), on one line."""
    return " ".join(" ".join(panel_lines(text) or [text]).split())


def unrelated_function(aws: AwsProxy, name: str) -> dict[str, Any]:
    """A function someone else made, with the name deploy would give: its own role, an IAM-only URL, a
    variable."""
    role = iam_client(aws).create_role(
        RoleName=f"someone-else-{name}", AssumeRolePolicyDocument=json.dumps(TRUST_LAMBDA)
    )["Role"]
    client = lambda_client(aws)
    client.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="app.handler",
        Code={"ZipFile": package_bytes({"app.py": "def handler(event, context):\n    return 'theirs'\n"})},
        Environment={"Variables": {"THEIRS": "1"}},
    )
    client.create_function_url_config(FunctionName=name, AuthType="AWS_IAM")
    return dict(client.get_function(FunctionName=name)["Configuration"])


def package_bytes(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_function_it_did_not_create_is_refused_untouched_then_adopted(project: Path, aws: AwsProxy) -> None:
    before = unrelated_function(aws, "theirs-dev")
    aws.clear_calls()
    for refused in (deploy(project, aws, "theirs"), deploy(project, aws, "theirs", "--dry-run")):
        assert refused.returncode == 1
        assert (
            "Deploy would change the Lambda function theirs-dev, which it did not create for the service "
            "theirs (environment dev): it is not tagged pyserverless:service=theirs, "
            "pyserverless:environment=dev. Nothing was changed."
        ) in one_line(refused.stderr)
        assert REFUSAL_HINT in one_line(refused.stderr)
        assert "Traceback" not in refused.stderr
    assert aws.writes() == []
    client = lambda_client(aws)
    assert client.get_function(FunctionName="theirs-dev")["Configuration"] == before
    assert client.get_function_url_config(FunctionName="theirs-dev")["AuthType"] == "AWS_IAM"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_policy(FunctionName="theirs-dev")
    with pytest.raises(iam_client(aws).exceptions.NoSuchEntityException):
        iam_client(aws).get_role(RoleName="pyserverless-theirs-dev")

    adopted = deploy_json(project, aws, "theirs", "--adopt")
    assert actions(adopted)[:3] == [("role", "create"), ("tags", "update"), ("code", "update")]
    assert client.get_function(FunctionName="theirs-dev")["Tags"] == {
        "pyserverless:service": "theirs",
        "pyserverless:environment": "dev",
    }
    assert client.get_function_url_config(FunctionName="theirs-dev")["AuthType"] == "NONE"
    assert actions(deploy_json(project, aws, "theirs")) == [
        ("role", "unchanged"),
        ("code", "unchanged"),
        ("configuration", "unchanged"),
        ("function URL", "unchanged"),
        ("permissions", "unchanged"),
    ]


def test_a_function_of_another_service_with_the_same_name_is_refused(project: Path, aws: AwsProxy) -> None:
    # Service "a" environment "b-dev" and service "a-b" environment "dev" both name function and role a-b-dev.
    assert deploy(project, aws, "a", "--environment", "b-dev").returncode == 0
    aws.clear_calls()
    refused = deploy(project, aws, "a-b")
    assert refused.returncode == 1
    owner = "(tagged for the service a, environment b-dev)"
    assert one_line(refused.stderr).startswith(
        f"Deploy would change the Lambda function a-b-dev {owner} and the IAM role pyserverless-a-b-dev "
        f"{owner}, which it did not create for the service a-b (environment dev): it is not tagged "
        "pyserverless:service=a-b, pyserverless:environment=dev. Nothing was changed."
    )
    assert aws.writes() == []


def test_a_function_deployed_before_tags_is_recognised_by_its_record_or_its_description(
    project: Path, aws: AwsProxy
) -> None:
    first = deploy_json(project, aws, "legacy")
    client = lambda_client(aws)
    client.untag_resource(
        Resource=first["function_arn"], TagKeys=["pyserverless:service", "pyserverless:environment"]
    )
    again = deploy_json(project, aws, "legacy")
    assert actions(again)[:2] == [("role", "unchanged"), ("tags", "update")]
    assert client.get_function(FunctionName="legacy-dev")["Tags"] == {
        "pyserverless:service": "legacy",
        "pyserverless:environment": "dev",
    }
    # Deployed from another machine (no record here): its handler and description are deploy's.
    client.untag_resource(Resource=first["function_arn"], TagKeys=["pyserverless:service"])
    (project / ".pyserverless" / "deployed" / "dev.json").unlink()
    assert actions(deploy_json(project, aws, "legacy"))[1] == ("tags", "update")
    # Neither: someone else's.
    client.untag_resource(Resource=first["function_arn"], TagKeys=["pyserverless:service"])
    client.update_function_configuration(FunctionName="legacy-dev", Description="the billing job")
    (project / ".pyserverless" / "deployed" / "dev.json").unlink()
    assert deploy(project, aws, "legacy").returncode == 1


def test_a_role_it_did_not_create_is_refused_and_an_adopted_one_is_reviewed(
    project: Path, aws: AwsProxy
) -> None:
    iam = iam_client(aws)
    anyone = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    iam.create_role(RoleName="pyserverless-admin-dev", AssumeRolePolicyDocument=json.dumps(anyone))
    iam.attach_role_policy(
        RoleName="pyserverless-admin-dev", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    aws.clear_calls()
    refused = deploy(project, aws, "admin")
    assert refused.returncode == 1
    assert (
        "Deploy would change the IAM role pyserverless-admin-dev, which it did not create for the service "
        "admin (environment dev): it is not tagged"
    ) in one_line(refused.stderr)
    assert aws.writes() == []
    with pytest.raises(lambda_client(aws).exceptions.ResourceNotFoundException):
        lambda_client(aws).get_function(FunctionName="admin-dev")

    adopted = deploy(project, aws, "admin", "--adopt", "--json")
    assert adopted.returncode == 0, adopted.stderr
    role_step = json.loads(adopted.stdout)["steps"][0]
    assert role_step == {
        "step": "role",
        "resource": "pyserverless-admin-dev",
        "action": "update",
        "detail": "tag as this environment's (--adopt), logs of admin-dev only",
    }
    warnings = one_line(adopted.stderr)
    assert 'The execution role pyserverless-admin-dev trusts {"AWS": "*"} to assume it' in warnings
    assert (
        "The execution role pyserverless-admin-dev has the managed policy AdministratorAccess attached"
        in (warnings)
    )
    role = iam.get_role(RoleName="pyserverless-admin-dev")["Role"]
    assert role["AssumeRolePolicyDocument"] == anyone  # warned about, left as it is
    assert sorted(tag["Key"] for tag in role["Tags"]) == ["pyserverless:environment", "pyserverless:service"]
    assert iam.list_role_policies(RoleName="pyserverless-admin-dev")["PolicyNames"] == ["pyserverless-logs"]


def test_a_function_on_the_shared_role_of_earlier_versions_moves_to_its_own(
    project: Path, aws: AwsProxy
) -> None:
    first = deploy_json(project, aws, "moved")
    iam, client = iam_client(aws), lambda_client(aws)
    shared = iam.create_role(RoleName="pyserverless-moved", AssumeRolePolicyDocument=json.dumps(TRUST_LAMBDA))
    iam.attach_role_policy(
        RoleName="pyserverless-moved",
        PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    )
    client.update_function_configuration(FunctionName="moved-dev", Role=shared["Role"]["Arn"])

    again = deploy_json(project, aws, "moved")

    assert [(step["step"], step["action"], step["detail"]) for step in again["steps"]][:3] == [
        ("role", "unchanged", ""),
        ("code", "unchanged", "no changes (CodeSha256 equal)"),
        ("configuration", "update", "Role"),
    ]
    own = iam.get_role(RoleName="pyserverless-moved-dev")["Role"]["Arn"]
    assert client.get_function_configuration(FunctionName="moved-dev")["Role"] == own
    assert again["function_arn"] == first["function_arn"]


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
