"""AWS as deploy and the day-two commands reach it: the boto3 clients of one profile and region (`connect`),
AWS's errors read and given a likely fix (`error_details`, `hint_for`, `DeployStepError`), and the names
pyserverless gives what it creates (function `<service>-<environment>`, role
`pyserverless-<service>-<environment>`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from pyserverless.errors import UserError

_FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ROLE_PREFIX = "pyserverless-"
MAX_ROLE_NAME = 64
_PERMISSION_HINT = (
    "Your AWS identity lacks the permission named above; docs/deploy.md lists what deploy needs."
)
_CREDENTIALS_HINT = (
    "Your AWS credentials are not valid: check `aws configure`, --profile or AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY."
)
_EXPIRED_HINT = "Your AWS session has expired: log in again (e.g. `aws sso login`) and deploy again."
_UNREACHABLE_HINT = "AWS could not be reached: check the network, --region and AWS_ENDPOINT_URL."
_RESUME_HINT = "Fix the cause above and run the same deploy again: it resumes where it stopped."
_HINTS_BY_CODE = {
    "AccessDenied": _PERMISSION_HINT,
    "AccessDeniedException": _PERMISSION_HINT,
    "UnrecognizedClientException": _CREDENTIALS_HINT,
    "InvalidClientTokenId": _CREDENTIALS_HINT,
    "ExpiredToken": _EXPIRED_HINT,
    "ExpiredTokenException": _EXPIRED_HINT,
    "TooManyRequestsException": "AWS throttled the requests: wait a minute and deploy again.",
    "ResourceConflictException": "Another change to the function is in progress: deploy again in a minute.",
    "CodeStorageExceededException": "The account's Lambda code storage is full: delete old versions.",
    "InvalidParameterValueException": "AWS refused a value pyserverless sent; the message says which.",
    "ServiceException": "AWS Lambda had an internal error: deploy again.",
    "EndpointConnectionError": _UNREACHABLE_HINT,
    "ConnectTimeoutError": _UNREACHABLE_HINT,
}


def hint_for(code: str) -> str | None:
    """The likely fix for an AWS error code (or botocore exception name), if pyserverless knows one."""
    return _HINTS_BY_CODE.get(code)


class DeployStepError(UserError):
    """A step failed on an AWS error: which step, AWS's code and message, and a likely fix."""

    def __init__(self, step: str, code: str, message: str) -> None:
        hint = hint_for(code) or _RESUME_HINT
        super().__init__(f"Deploy step '{step}' failed: {code}: {message}", hint=hint)
        self.step = step
        self.code = code
        self.aws_message = message


def error_details(error: Exception) -> tuple[str, str]:
    """AWS's error code and message in a botocore failure; its class name and text when AWS sent none (a
    connection error, say)."""
    response: dict[str, Any] = getattr(error, "response", {}) or {}
    details = response.get("Error", {})
    return str(details.get("Code", type(error).__name__)), str(details.get("Message", error))


def error_code(error: Exception) -> str:
    """AWS's error code in a botocore failure; empty when AWS sent none (or `error` is not AWS's)."""
    response: dict[str, Any] = getattr(error, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


def lambda_function_name(service: str, environment: str) -> str:
    """The Lambda function that is the environment `environment` of the service `service`."""
    return f"{service}-{environment}"


def execution_role_name(service: str, environment: str) -> str:
    """The IAM role deploy creates for the environment `environment` of `service`: one per function, so that
    each may write its own log group only. IAM allows 64 characters: a longer name ends in a hash instead."""
    name = f"{ROLE_PREFIX}{lambda_function_name(service, environment)}"
    if len(name) <= MAX_ROLE_NAME:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{name[: MAX_ROLE_NAME - len(digest) - 1]}-{digest}"


def shared_role_name(service: str) -> str:
    """The role earlier versions created for every environment of `service` (with AWS's managed logging
    policy, which writes any log group); `remove` deletes it once no function uses it."""
    return f"{ROLE_PREFIX}{service}"


def check_service_name(service: str, environment: str) -> None:
    name = lambda_function_name(service, environment)
    if not _FUNCTION_NAME.match(name):
        raise UserError(
            f"The function name {name!r} (<service>-<environment>) is not a valid Lambda function name.",
            hint="Use letters, digits, - and _ only, 64 characters at most, in --service-name and "
            "--environment.",
        )


@dataclass
class AwsClients:
    """The clients of one boto3 session (one profile and region), all with the same retry settings."""

    session: Any
    config: Any
    iam: Any
    lambda_: Any
    region: str

    def client(self, service: str) -> Any:
        """Another client ("logs") of the same session, with the same settings."""
        return self.session.client(service, config=self.config)


def connect(region: str | None, profile: str | None) -> AwsClients:
    """IAM and Lambda clients from boto3's usual credential chain (AWS_ENDPOINT_URL honoured by boto3)."""
    try:
        import boto3
        import botocore.config
        import botocore.exceptions
    except ImportError as error:
        raise UserError(
            "This command talks to AWS through boto3, which is not installed.",
            hint="Install it where pyserverless is installed: pip install boto3 (the aws extra: pip install "
            "'/path/to/pyserverless[aws]' from a clone, 'pyserverless[aws]' once published; pipx inject "
            "pyserverless boto3; uv tool install --with boto3 /path/to/pyserverless).",
        ) from error
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except botocore.exceptions.ProfileNotFound as error:
        raise UserError(
            f"The AWS profile {profile!r} does not exist.", hint="Check --profile and ~/.aws/config."
        ) from error
    if session.region_name is None:
        raise UserError(
            "No AWS region is set.",
            hint="Pass --region (e.g. --region us-east-1), set AWS_DEFAULT_REGION, or set a region in "
            "~/.aws/config.",
        )
    if session.get_credentials() is None:
        raise UserError(
            "No AWS credentials were found.",
            hint="Run `aws configure` (or `aws sso login`), pass --profile, or set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY.",
        )
    config = botocore.config.Config(retries={"mode": "standard", "max_attempts": 8}, connect_timeout=10)
    return AwsClients(
        session=session,
        config=config,
        iam=session.client("iam", config=config),
        lambda_=session.client("lambda", config=config),
        region=session.region_name,
    )
