"""Fixtures of the day-two command tests: a local AWS (moto with code download and credential checks), the
default template project with its Lambda dependencies cached, deploys done in-process as setup, and the CLI
run as the user runs it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyserverless.deploy import steps
from pyserverless.deploy.aws import connect
from pyserverless.deploy.package import Package, build_package
from pyserverless.deploy.pipeline import record_deploy
from pyserverless.deploy.state import Deployment, read_deployment
from pyserverless.deploy.steps import DeploySpec, StepResult
from pyserverless.deploy.target import LambdaTarget
from pyserverless.project.folder import load_project
from pyserverless.scaffold.new_project import init_project
from tests.support.cli_process import run_cli
from tests.support.lambda_wheelhouse import wheelhouse
from tests.support.moto_server import USER_AWS_VARIABLES, LocalAws

__all__ = ["wheelhouse"]

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "abcdef0123456789" * 2
SERVICE = "svc"


@pytest.fixture(scope="session")
def local_aws() -> Iterator[LocalAws]:
    with LocalAws() as aws:
        yield aws


def _point_at(patch: pytest.MonkeyPatch, local_aws: LocalAws, home: Path, wheelhouse: Path) -> None:
    """The environment (inherited by the CLI) pointed at the local AWS, pip offline, no AWS files."""
    for name in USER_AWS_VARIABLES:
        patch.delenv(name, raising=False)
    variables = {
        **local_aws.env(),
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheelhouse),
        "NO_COLOR": "1",
        "TZ": "UTC",
    }
    for name, value in variables.items():
        patch.setenv(name, value)


@pytest.fixture
def aws(local_aws: LocalAws, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, wheelhouse: Path) -> LocalAws:
    """The local AWS, emptied, for one test."""
    local_aws.reset()
    _point_at(monkeypatch, local_aws, tmp_path, wheelhouse)
    return local_aws


@pytest.fixture(scope="module")
def module_aws(
    local_aws: LocalAws, tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path
) -> Iterator[LocalAws]:
    """The local AWS, emptied, shared by the tests of one module (for tests that only read)."""
    local_aws.reset()
    with pytest.MonkeyPatch.context() as patch:
        _point_at(patch, local_aws, tmp_path_factory.mktemp("home"), wheelhouse)
        yield local_aws


@dataclass(frozen=True)
class Template:
    """The template project, built once: its folder and its package for the default Lambda target."""

    root: Path
    package: Package


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory, wheelhouse: Path) -> Template:
    """The default template as project `svc`, its Lambda dependencies in its cache, its package built once."""
    parent = tmp_path_factory.mktemp("template")
    root = init_project(
        SERVICE,
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
        package = build_package(load_project(root), LambdaTarget())
    return Template(root, package)


def copy_project(template: Template, folder: Path) -> Path:
    root = folder / SERVICE
    shutil.copytree(template.root, root, ignore=shutil.ignore_patterns("deployed", "__pycache__"))
    return root


@pytest.fixture
def project(template: Template, tmp_path: Path) -> Path:
    """A fresh copy of the template project (dependency cache included, no deploy record)."""
    return copy_project(template, tmp_path)


@pytest.fixture(scope="module")
def module_project(template: Template, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(template, tmp_path_factory.mktemp("project"))


class _Quiet:
    def started(self, step: str) -> None:
        return

    def finished(self, result: StepResult) -> None:
        return


def deploy(project: Path, environment: str, package: Package, env_file: Path | None = None) -> Deployment:
    """Setup: deploy `package` (built from `project`) to `environment` with deploy's own steps, and write the
    record as `pyserverless deploy` does; the package is passed in so that tests build it once."""
    loaded = load_project(project, env_file)
    spec = DeploySpec(
        service=SERVICE,
        environment=environment,
        target=LambdaTarget(),
        memory=256,
        timeout=10.0,
        env=loaded.env,
        package=package,
    )
    aws = connect(None, None)
    outcome = steps.deploy(aws, spec, _Quiet())
    assert outcome.url is not None and outcome.function_arn is not None
    record_deploy(
        project,
        spec,
        region=aws.region,
        function_arn=outcome.function_arn,
        url=outcome.url,
        routes=loaded.routes,
    )
    return read_deployment(project, environment)


def rebuild(project: Path) -> Package:
    return build_package(load_project(project), LambdaTarget())


def cli(
    project: Path, *args: str, input: str | None = None, timeout: float = 120, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    """`pyserverless ARGS` in the project folder, as a user runs it (in a terminal `columns` wide)."""
    return run_cli(*args, cwd=project, input=input, timeout=timeout, env={"COLUMNS": str(columns)})


def configuration(aws: LocalAws, environment: str) -> dict[str, Any]:
    answer: dict[str, Any] = aws.client("lambda").get_function_configuration(
        FunctionName=f"{SERVICE}-{environment}"
    )
    return answer


def variables(aws: LocalAws, environment: str) -> dict[str, str]:
    return dict(configuration(aws, environment).get("Environment", {}).get("Variables", {}))


def put_log_events(aws: LocalAws, environment: str, stream: str, events: list[tuple[int, str]]) -> None:
    """Write events into the function's log group as Lambda would (group and stream created when missing)."""
    logs = aws.client("logs")
    group = f"/aws/lambda/{SERVICE}-{environment}"
    if not logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]:
        logs.create_log_group(logGroupName=group)
    if not logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=stream)["logStreams"]:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": timestamp, "message": message} for timestamp, message in events],
    )


NOT_DEPLOYED_HINT = (
    "Deploy it with `pyserverless deploy --environment staging`, or check --service-name and --region "
    "(`pyserverless list` shows what is deployed)."
)
BAD_TOKEN = "UnrecognizedClientException: The security token included in the request is invalid."
CREDENTIALS_HINT = (
    "Your AWS credentials are not valid: check `aws configure`, --profile or AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY."
)


def not_deployed_panel(environment: str = "staging") -> list[str]:
    return [
        f"The environment '{environment}' of the service 'svc' is not deployed: there is no function "
        f"svc-{environment} in us-east-1.",
        "",
        NOT_DEPLOYED_HINT.replace("staging", environment),
    ]
