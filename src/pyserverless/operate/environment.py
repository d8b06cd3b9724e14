"""Which deployed function an operation acts on, the AWS clients to reach it, and AWS errors as messages.

An environment `E` of the service `S` is the Lambda function `S-E` (as `deploy` names it). The service name is
`--service-name` (or `service-name` in `[tool.pyserverless]`), else the one in this project's deploy records,
else the project folder's name. The region is `--region` (or the config's), else the one recorded for that
environment, else boto3's default. Every AWS call of an operation goes through `aws_call`, which turns a
botocore failure into an `AwsOperationError` naming what was being done, AWS's error code and message, and the
same likely fix `deploy` gives for that code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pyserverless.deploy.aws import (
    AwsClients,
    check_service_name,
    connect,
    error_details,
    hint_for,
    lambda_function_name,
)
from pyserverless.deploy.pipeline import default_service_name
from pyserverless.deploy.state import STATE_DIR, Deployment, read_deployment, state_path
from pyserverless.errors import UserError

T = TypeVar("T")
_DEFAULT_HINT = "Fix the cause above and run the command again."


@dataclass(frozen=True)
class Scope:
    """What every operation is given: the project, and the service, region and profile asked for (or None)."""

    root: Path
    service: str | None
    region: str | None
    profile: str | None


@dataclass
class LiveEnvironment:
    """A deployed environment as AWS has it now: the function's configuration, read when opened."""

    aws: AwsClients
    scope: Scope
    service: str
    environment: str
    configuration: dict[str, Any]

    @property
    def function_name(self) -> str:
        return lambda_function_name(self.service, self.environment)

    @property
    def code_sha256(self) -> str:
        return str(self.configuration.get("CodeSha256", ""))

    @property
    def variables(self) -> dict[str, str]:
        """Every variable of the function, pyserverless's own included."""
        return dict(self.configuration.get("Environment", {}).get("Variables", {}))


class AwsOperationError(UserError):
    """An AWS call failed: what was being done, AWS's error code and message, and a likely fix."""

    def __init__(self, action: str, code: str, message: str) -> None:
        hint = hint_for(code) or _DEFAULT_HINT
        super().__init__(f"{action} failed: {code}: {message}", hint=hint)
        self.code = code


def aws_call(action: str, call: Callable[[], T]) -> T:
    """`call()`, with botocore's failures raised as `AwsOperationError` for `action` ("Reading x-dev")."""
    import botocore.exceptions

    try:
        return call()
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as error:
        raise AwsOperationError(action, *error_details(error)) from error


def aws_call_unless_missing(action: str, call: Callable[[], T]) -> T | None:
    """`aws_call(action, call)`, or None when AWS answers that the thing read does not exist."""
    try:
        return aws_call(action, call)
    except AwsOperationError as error:
        if error.code == "ResourceNotFoundException":
            return None
        raise


def deployment_records(root: Path) -> dict[str, Deployment]:
    """This project's deploy records by environment."""
    folder = root / STATE_DIR
    if not folder.is_dir():
        return {}
    return {path.stem: read_deployment(root, path.stem) for path in sorted(folder.glob("*.json"))}


def record_of(root: Path, environment: str) -> Deployment | None:
    return read_deployment(root, environment) if state_path(root, environment).is_file() else None


def service_of(scope: Scope) -> str:
    if scope.service:
        return scope.service
    services = {record.service for record in deployment_records(scope.root).values()}
    if len(services) == 1:
        return services.pop()
    return default_service_name(scope.root)


def connect_for(scope: Scope, environment: str | None) -> AwsClients:
    """AWS clients in the region asked for, else the one `environment` was deployed to, else boto3's."""
    region = scope.region
    if region is None and environment is not None:
        record = record_of(scope.root, environment)
        region = record.region if record else None
    if region is None:
        regions = {record.region for record in deployment_records(scope.root).values()}
        region = regions.pop() if len(regions) == 1 else None
    return connect(region, scope.profile)


def not_deployed(service: str, environment: str, region: str) -> UserError:
    return UserError(
        f"The environment {environment!r} of the service {service!r} is not deployed: there is no function "
        f"{lambda_function_name(service, environment)} in {region}.",
        hint=f"Deploy it with `pyserverless deploy --environment {environment}`, or check --service-name and "
        "--region (`pyserverless list` shows what is deployed).",
    )


def open_environment(scope: Scope, environment: str) -> LiveEnvironment:
    """The live environment; a clear error when its function does not exist."""
    service = service_of(scope)
    check_service_name(service, environment)
    aws = connect_for(scope, environment)
    name = lambda_function_name(service, environment)
    try:
        configuration = aws_call(
            f"Reading the function {name}",
            lambda: aws.lambda_.get_function_configuration(FunctionName=name),
        )
    except AwsOperationError as error:
        if error.code == "ResourceNotFoundException":
            raise not_deployed(service, environment, aws.region) from error
        raise
    return LiveEnvironment(
        aws=aws, scope=scope, service=service, environment=environment, configuration=configuration
    )


def wait_until_updated(live: LiveEnvironment) -> None:
    """Wait (boto3's waiter, bounded) until no update of the function is in progress."""
    aws_call(
        f"Waiting for {live.function_name} to be ready",
        lambda: live.aws.lambda_.get_waiter("function_updated_v2").wait(
            FunctionName=live.function_name, WaiterConfig={"Delay": 2, "MaxAttempts": 150}
        ),
    )
