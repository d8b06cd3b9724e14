"""Deploy checks and plans that need no AWS: variables, names, masking, env changes, deploy records."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyserverless.deploy.aws import check_service_name, execution_role_name
from pyserverless.deploy.package import Package
from pyserverless.deploy.pipeline import check_twilio_credentials, default_service_name
from pyserverless.deploy.state import DeployedRoute, Deployment, read_deployment, write_deployment
from pyserverless.deploy.steps import DeploySpec
from pyserverless.deploy.target import LambdaTarget
from pyserverless.deploy.variables import EnvChanges, check_variables, env_changes, mask
from pyserverless.errors import UserError
from pyserverless.project.folder import load_project
from tests.support.project_files import write_files


def test_reserved_names_are_refused() -> None:
    with pytest.raises(UserError) as raised:
        check_variables({"AWS_ACCESS_KEY_ID": "x", "LAMBDA_TASK_ROOT": "y", "PATH": "/bin", "OK": "1"})
    assert raised.value.message == (
        "The .env file sets AWS_ACCESS_KEY_ID, LAMBDA_TASK_ROOT, PATH, reserved on AWS Lambda."
    )


def test_names_lambda_refuses_are_refused() -> None:
    with pytest.raises(UserError) as raised:
        check_variables({"MY-KEY": "1", "1ST": "2", "GOOD_ONE": "3"})
    assert raised.value.message == "The .env file has names Lambda refuses: 1ST, MY-KEY."


def test_more_than_4_kb_of_variables_is_refused() -> None:
    check_variables({"BIG": "x" * 4093})
    with pytest.raises(UserError) as raised:
        check_variables({"BIG": "x" * 4094})
    assert raised.value.message == "The .env variables take 4097 bytes; AWS Lambda allows 4096 in all."


def test_function_names() -> None:
    check_service_name("my_service-1", "dev")
    with pytest.raises(UserError) as raised:
        check_service_name("my service", "dev")
    assert raised.value.message == (
        "The function name 'my service-dev' (<service>-<environment>) is not a valid Lambda function name."
    )
    with pytest.raises(UserError):
        check_service_name("s" * 61, "prod")
    assert default_service_name(Path("/tmp/My Project.v2")) == "My-Project-v2"
    assert default_service_name(Path("/tmp/...")) == "pyserverless"


def test_secret_looking_values_are_masked() -> None:
    assert mask("AUTH_TOKEN", "abc") == "****"
    assert mask("TWILIO_API_SECRET", "abc") == "****"
    assert mask("stripe_key", "abc") == "****"
    assert mask("ACCOUNT_SID", "AC123") == "AC123"
    assert mask("GREETING", "ahoy") == "ahoy"


def test_env_changes_ignore_the_runtime_variables() -> None:
    current = {
        "A": "1",
        "B": "2",
        "GONE": "x",
        "PYSERVERLESS_ENV_KEYS": "A,B,GONE",
        "PYSERVERLESS_TIMEOUT": "10",
    }
    assert env_changes(current, {"A": "1", "B": "3", "NEW": "n"}) == EnvChanges(
        added=["NEW"], changed=["B"], removed=["GONE"]
    )
    assert not env_changes({"A": "1", "PYSERVERLESS_TIMEOUT": "5"}, {"A": "1"})


def test_function_variables_list_the_project_names_and_the_limit() -> None:
    spec = DeploySpec(
        service="svc",
        environment="dev",
        target=LambdaTarget(),
        memory=256,
        timeout=2.5,
        env={"B": "2", "A": "1"},
        package=Package(b"", "", 0, 0, []),
    )
    assert spec.function_name == "svc-dev"
    assert spec.role_name == "pyserverless-svc-dev"
    assert spec.tags == {"pyserverless:service": "svc", "pyserverless:environment": "dev"}
    assert spec.lambda_timeout == 6
    assert spec.function_variables() == {
        "A": "1",
        "B": "2",
        "PYSERVERLESS_ENV_KEYS": "A,B",
        "PYSERVERLESS_TIMEOUT": "2.5",
    }


def test_deploy_record_round_trips_and_a_missing_one_is_a_clear_error(tmp_path: Path) -> None:
    deployment = Deployment(
        service="svc",
        environment="dev",
        region="us-east-1",
        function_name="svc-dev",
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:svc-dev",
        url="https://abc.lambda-url.us-east-1.on.aws",
        code_sha256="hash=",
        runtime="python3.12",
        arch="x86_64",
        deployed_at="2026-11-28T22:00:00+00:00",
        routes=[
            DeployedRoute(
                "/sms/reply", "function", "protected", "https://abc.lambda-url.us-east-1.on.aws/sms/reply"
            )
        ],
    )
    path = write_deployment(tmp_path, deployment)
    assert path == tmp_path / ".pyserverless" / "deployed" / "dev.json"
    assert read_deployment(tmp_path, "dev") == deployment
    with pytest.raises(UserError) as raised:
        read_deployment(tmp_path, "prod")
    assert raised.value.hint == "Run `pyserverless deploy --environment prod` first."


def test_role_names_fit_iams_64_characters_and_stay_distinct() -> None:
    assert execution_role_name("svc", "prod") == "pyserverless-svc-prod"
    long_service = "s" * 58
    dev, prod = execution_role_name(long_service, "dev"), execution_role_name(long_service, "prod")
    assert len(dev) == len(prod) == 64
    assert dev.startswith("pyserverless-" + "s" * 42 + "-") and dev != prod
    assert execution_role_name(long_service, "dev") == dev


SID = "AC" + "0123456789abcdef" * 2
TOKEN = "abcdef0123456789" * 2


def test_protected_routes_with_an_empty_auth_token_are_refused(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        "functions/sms/reply.protected.py",
        "functions/hello.py",
        {".env": f"ACCOUNT_SID={SID}\nAUTH_TOKEN=\n"},
    )
    with pytest.raises(UserError) as raised:
        check_twilio_credentials(load_project(tmp_path))
    assert raised.value.message == (
        "AUTH_TOKEN is empty in .env, but the project has protected routes (/sms/reply): deployed, they "
        "would refuse every request Twilio sends."
    )
    assert raised.value.hint == (
        "Put your account's values in .env (ACCOUNT_SID=AC…, AUTH_TOKEN=…, both on "
        "https://console.twilio.com), or deploy another file with --env FILE. If this deploy serves public "
        "routes only, pass --allow-empty-token."
    )


def test_both_credentials_missing_from_the_env_file_given_are_named(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        *(f"functions/p{number}.protected.py" for number in range(4)),
        "assets/data.protected.json",
        {".env.prod": "GREETING=hi\n"},
    )
    with pytest.raises(UserError) as raised:
        check_twilio_credentials(load_project(tmp_path, Path(".env.prod")))
    assert raised.value.message == (
        "ACCOUNT_SID and AUTH_TOKEN are empty in .env.prod, but the project has protected routes "
        "(/data.json, /p0, /p1 and 2 more): deployed, they would refuse every request Twilio sends."
    )


@pytest.mark.parametrize(
    ("files", "env"),
    [
        (["functions/hello.py", "functions/secret.private.py", "assets/index.html"], "AUTH_TOKEN=\n"),
        (["functions/sms/reply.protected.py"], f"ACCOUNT_SID={SID}\nAUTH_TOKEN={TOKEN}\n"),
    ],
)
def test_public_only_projects_and_complete_credentials_pass(
    tmp_path: Path, files: list[str], env: str
) -> None:
    write_files(tmp_path, *files, {".env": env})
    check_twilio_credentials(load_project(tmp_path))
