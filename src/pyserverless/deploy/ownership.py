"""Which AWS resources with deploy's names are this project's, so that deploy never takes over another one.

Every function and role deploy creates is tagged `pyserverless:service` and `pyserverless:environment`. Before
any step writes, `claim` reads the function `<service>-<environment>` and the role
`pyserverless-<service>-<environment>`: a missing one will be created; one tagged for this service and
environment is ours; an untagged function that earlier versions of deploy made (the deploy record here names
it, or its handler and description are the ones deploy gives) is ours too. Any other is refused with the fix,
unless `adopt` (`--adopt`) says to take it over knowingly. What is ours but untagged is tagged by the step
that writes it next, so the next deploy needs no flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyserverless.deploy.aws import AwsClients, error_code, execution_role_name, lambda_function_name
from pyserverless.deploy.package import HANDLER
from pyserverless.errors import UserError

SERVICE_TAG = "pyserverless:service"
ENVIRONMENT_TAG = "pyserverless:environment"


def function_description(service: str, environment: str) -> str:
    """The description deploy gives a function (and has given since before it tagged)."""
    return f"pyserverless service {service}, environment {environment}"


def owner_tags(service: str, environment: str) -> dict[str, str]:
    """The tags that make a function or role the one of `service`'s environment `environment`."""
    return {SERVICE_TAG: service, ENVIRONMENT_TAG: environment}


@dataclass(frozen=True)
class Claim:
    """What the steps may write: each existing resource that is ours but must be tagged first."""

    tag_function: bool = False
    tag_role: bool = False


def claim(
    aws: AwsClients, service: str, environment: str, adopt: bool, recorded_function_arn: str | None
) -> Claim:
    """Check that the function and role deploy would write are missing or this project's; `UserError` naming
    each one that is not, with the fix."""
    wanted = owner_tags(service, environment)
    function_name = lambda_function_name(service, environment)
    role_name = execution_role_name(service, environment)
    function = _function(aws, function_name)
    role = _role(aws, role_name)
    function_tags = None if function is None else dict(function.get("Tags") or {})
    role_tags = None if role is None else {tag["Key"]: tag["Value"] for tag in role.get("Tags") or []}
    earlier = (
        function is not None
        and SERVICE_TAG not in (function_tags or {})
        and _made_by_deploy(function["Configuration"], service, environment, recorded_function_arn)
    )
    foreign: list[str] = []
    if function_tags is not None and not _owns(function_tags, wanted) and not earlier:
        foreign.append(f"the Lambda function {function_name}{_owner(function_tags)}")
    if role_tags is not None and not _owns(role_tags, wanted):
        foreign.append(f"the IAM role {role_name}{_owner(role_tags)}")
    if foreign and not adopt:
        raise UserError(
            f"Deploy would change {' and '.join(foreign)}, which it did not create for the service {service} "
            f"(environment {environment}): it is not tagged {SERVICE_TAG}={service}, "
            f"{ENVIRONMENT_TAG}={environment}. Nothing was changed.",
            hint="Deploy under another name (--service-name or --environment) to leave it alone, or pass "
            "--adopt to take it over knowingly: a function's code, configuration, variables, URL and "
            "permissions are then replaced; a role becomes the function's execution role and gets its "
            "log policy.",
        )
    return Claim(
        tag_function=function_tags is not None and not _owns(function_tags, wanted),
        tag_role=role_tags is not None and not _owns(role_tags, wanted),
    )


def _made_by_deploy(
    configuration: dict[str, Any], service: str, environment: str, recorded_function_arn: str | None
) -> bool:
    """Whether an untagged function is one an earlier deploy of this service's environment made."""
    if configuration.get("FunctionArn") == recorded_function_arn:
        return True
    return configuration.get("Handler") == HANDLER and configuration.get("Description") == (
        function_description(service, environment)
    )


def _owns(tags: dict[str, str], wanted: dict[str, str]) -> bool:
    return all(tags.get(key) == value for key, value in wanted.items())


def _owner(tags: dict[str, str]) -> str:
    if SERVICE_TAG not in tags:
        return ""
    return f" (tagged for the service {tags[SERVICE_TAG]}, environment {tags.get(ENVIRONMENT_TAG, '?')})"


def _function(aws: AwsClients, name: str) -> dict[str, Any] | None:
    try:
        function: dict[str, Any] = aws.lambda_.get_function(FunctionName=name)
    except Exception as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        return None
    return function


def _role(aws: AwsClients, name: str) -> dict[str, Any] | None:
    try:
        role: dict[str, Any] = aws.iam.get_role(RoleName=name)["Role"]
    except Exception as error:
        if error_code(error) != "NoSuchEntity":
            raise
        return None
    return role
